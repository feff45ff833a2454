package approval

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// manualHire is a candidature of a new job seeker accepted by employer's company in manual
// delivery mode, hired from the fixture's today; it returns its public id and the job seeker.
func (f *fixture) manualHire(employer actor.Actor) (string, int64) {
	f.t.Helper()
	js := f.jobSeeker()
	id := f.hireID(js, employer, f.today(), 0, employer.UserID)
	f.exec(`UPDATE job_application SET approval_delivery_mode = 'manual' WHERE id = ?`, id)
	var publicID string
	if err := f.d.NewSelect().Table("job_application").Column("public_id").Where("id = ?", id).Scan(context.Background(), &publicID); err != nil {
		f.t.Fatal(err)
	}
	return publicID, js
}

func (f *fixture) staff() actor.Actor {
	id, _ := f.user(actor.Staff)
	return actor.Actor{UserID: id, Kind: actor.Staff, ClientIP: "192.0.2.9"}
}

func queueIDs(t *testing.T, f *fixture, a actor.Actor) []string {
	t.Helper()
	items, total, err := f.svc.ManualQueue(context.Background(), a, 1, 20)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range items {
		ids = append(ids, it.ApplicationPublicID)
	}
	if total != len(ids) {
		t.Fatalf("total %d for %d items", total, len(ids))
	}
	return ids
}

func TestManualQueue_ListsOnlyTheSIAEHiresWaitingForStaff(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		staff := f.staff()
		aci := f.company("ACI")
		waiting, _ := f.manualHire(aci)
		refused, _ := f.manualHire(aci)
		f.exec(`UPDATE job_application SET approval_manually_refused_at = ? WHERE public_id = ?`, f.clk.Now(), refused)
		pending, _ := f.manualHire(aci)
		f.exec(`UPDATE job_application SET state = 'refused', hiring_start_at = NULL, approval_delivery_mode = '' WHERE public_id = ?`, pending)
		geiq, _ := f.manualHire(f.company("GEIQ"))
		a, employer := f.hired("EI", f.today())
		f.exec(`UPDATE job_application SET approval_delivery_mode = 'manual' WHERE approval_id = ?`, a.ID)
		_ = employer
		if got := queueIDs(t, f, staff); len(got) != 1 || got[0] != waiting {
			t.Fatalf("queue %v, want only %s (not %s %s %s)", got, waiting, refused, pending, geiq)
		}
		for _, who := range []actor.Actor{aci, {UserID: a.UserID, Kind: actor.JobSeeker}, {}} {
			if _, _, err := f.svc.ManualQueue(context.Background(), who, 1, 20); !errors.Is(err, ErrStaffOnly) {
				t.Errorf("%+v: %v", who, err)
			}
		}
	})
}

func TestDeliverManually_IssuesAnAdminPASSFromTheHiringStartAndMailsTheEmployer(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		staff := f.staff()
		aci := f.company("ACI")
		app, js := f.manualHire(aci)
		start := f.today().AddDate(0, 0, 3)
		diagnosis := f.diagnosis(js)
		f.exec(`UPDATE job_application SET hiring_start_at = ?, eligibility_diagnosis_id = ? WHERE public_id = ?`, start, diagnosis, app)

		if _, err := f.svc.DeliverManually(context.Background(), aci, app); !errors.Is(err, ErrStaffOnly) {
			t.Fatalf("employer: %v", err)
		}
		a, err := f.svc.DeliverManually(context.Background(), staff, app)
		if err != nil {
			t.Fatal(err)
		}
		if a.Origin != OriginAdmin || !a.StartAt.Equal(start) || !a.EndAt.Equal(DefaultEnd(start)) || *a.EligibilityDiagnosisID != diagnosis || *a.CreatedByID != staff.UserID {
			t.Fatalf("PASS %+v", a)
		}
		var row struct {
			ApprovalID  *int64     `bun:"approval_id"`
			DeliveredBy *int64     `bun:"approval_manually_delivered_by_id"`
			SentAt      *time.Time `bun:"approval_number_sent_at"`
		}
		if err := d.NewSelect().Table("job_application").Column("approval_id", "approval_manually_delivered_by_id", "approval_number_sent_at").
			Where("public_id = ?", app).Scan(context.Background(), &row); err != nil {
			t.Fatal(err)
		}
		if row.ApprovalID == nil || *row.ApprovalID != a.ID || row.DeliveredBy == nil || *row.DeliveredBy != staff.UserID || row.SentAt == nil {
			t.Fatalf("candidature %+v", row)
		}
		if m := f.mails(); len(m) != 1 || m[0].To != f.email(aci.UserID) || m[0].Subject != "PASS IAE pour Julie Martin" {
			t.Fatalf("mails %+v", m)
		}
		if n, _ := d.NewSelect().Table("audit_event").Where("action = ?", ActionManuallyDelivered).Count(context.Background()); n != 1 {
			t.Fatalf("%d audit events", n)
		}
		if got := queueIDs(t, f, staff); len(got) != 0 {
			t.Fatalf("still queued: %v", got)
		}
		if _, err := f.svc.DeliverManually(context.Background(), staff, app); !errors.Is(err, ErrNotToDeliver) {
			t.Fatalf("second delivery: %v", err)
		}
		if err := f.svc.RefuseManually(context.Background(), staff, app); !errors.Is(err, ErrNotToDeliver) {
			t.Fatalf("refusal after delivery: %v", err)
		}
	})
}

func TestDeliverManually_FindsTheDiagnosisOrRefusesWithoutOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		staff := f.staff()
		aci := f.company("AI")
		app, js := f.manualHire(aci)
		before := f.count("approval")
		if _, err := f.svc.DeliverManually(context.Background(), staff, app); !errors.Is(err, ErrNoDiagnosis) {
			t.Fatalf("no diagnosis: %v", err)
		}
		if f.count("approval") != before || len(f.mails()) != 0 {
			t.Fatal("a refused delivery wrote something")
		}
		diagnosis := f.diagnosis(js)
		var asked [2]int64
		f.svc.SetDiagnosisFinder(func(_ context.Context, _ bun.IDB, jobSeekerID, companyID int64) (int64, error) {
			asked = [2]int64{jobSeekerID, companyID}
			return diagnosis, nil
		})
		a, err := f.svc.DeliverManually(context.Background(), staff, app)
		if err != nil {
			t.Fatal(err)
		}
		if *a.EligibilityDiagnosisID != diagnosis || asked != [2]int64{js, aci.Organization.ID} {
			t.Fatalf("diagnosis %d asked %v", *a.EligibilityDiagnosisID, asked)
		}
	})
}

func TestDeliverManually_ReusesTheValidPASSOfTheJobSeeker(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		staff := f.staff()
		aci := f.company("ACI")
		app, js := f.manualHire(aci)
		held, err := f.issue(js, f.today().AddDate(0, -1, 0))
		if err != nil {
			t.Fatal(err)
		}
		a, err := f.svc.DeliverManually(context.Background(), staff, app)
		if err != nil {
			t.Fatal(err)
		}
		if a.ID != held.ID {
			t.Fatalf("issued %s instead of reusing %s", a.Number, held.Number)
		}
	})
}

func TestRefuseManually_RecordsTheRefusalAndMailsTheEmployer(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		staff := f.staff()
		ei := f.company("EI")
		app, _ := f.manualHire(ei)
		if err := f.svc.RefuseManually(context.Background(), ei, app); !errors.Is(err, ErrStaffOnly) {
			t.Fatalf("employer: %v", err)
		}
		if err := f.svc.RefuseManually(context.Background(), staff, "no-such-candidature"); !errors.Is(err, ErrNoApplication) {
			t.Fatalf("unknown: %v", err)
		}
		if err := f.svc.RefuseManually(context.Background(), staff, app); err != nil {
			t.Fatal(err)
		}
		var row struct {
			At *time.Time `bun:"approval_manually_refused_at"`
			By *int64     `bun:"approval_manually_refused_by_id"`
		}
		if err := d.NewSelect().Table("job_application").Column("approval_manually_refused_at", "approval_manually_refused_by_id").
			Where("public_id = ?", app).Scan(context.Background(), &row); err != nil {
			t.Fatal(err)
		}
		if row.At == nil || row.By == nil || *row.By != staff.UserID {
			t.Fatalf("candidature %+v", row)
		}
		if m := f.mails(); len(m) != 1 || m[0].Subject != "PASS IAE refusé pour Julie Martin" {
			t.Fatalf("mails %+v", m)
		}
		if got := queueIDs(t, f, staff); len(got) != 0 {
			t.Fatalf("still queued: %v", got)
		}
	})
}
