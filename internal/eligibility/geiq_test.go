package eligibility

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
)

// §2.2 and edge case 47: authorized prescribers and GEIQ members author GEIQ diagnoses; a GEIQ
// ticks at least one criterion.
func TestCreateGEIQ_WhoMayAuthor(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		js, jsActor := f.jobSeeker()
		staff := actor.Actor{UserID: f.user(actor.Staff, "Sam").ID, Kind: actor.Staff}
		for _, tt := range []struct {
			name string
			a    actor.Actor
		}{
			{"the job seeker", jsActor},
			{"staff", staff},
			{"an orienteur", f.prescriber(false)},
			{"an ACI", f.employer(f.company(org.ACI))},
			{"an EA", f.employer(f.company(org.EA))},
		} {
			_, err := f.svc.CreateGEIQ(ctx, tt.a, js.PublicID, f.geiqKeys(RSA))
			if err != ErrNotGEIQAuthor {
				t.Errorf("%s: error %v, want %q", tt.name, err, ErrNotGEIQAuthor)
			}
		}
		g := f.employer(f.company(org.GEIQ))
		_, err := f.svc.CreateGEIQ(ctx, g, js.PublicID, nil)
		wantField(t, err, CriteriaField, MsgGEIQCriteriaNeeded)
		_, err = f.svc.CreateGEIQ(ctx, g, js.PublicID, f.geiqKeys(QPV, ZRR))
		wantField(t, err, "resident-zrr", geiqIncompatible[0].message)
		if n := f.count("geiq_eligibility_diagnosis", "1 = 1"); n != 0 {
			t.Fatalf("%d GEIQ diagnoses written by refusals", n)
		}
		dg := f.createGEIQ(g, js, SENIOR, "PM")
		wantDay(t, "GEIQ expires_at", dg.ExpiresAt, "2025-06-03")
		if dg.AuthorKind != AuthorGEIQ || dg.AuthorGEIQID == nil || *dg.AuthorGEIQID != g.Organization.ID || dg.Allowance() != AllowanceFull {
			t.Errorf("GEIQ diagnosis %+v allowance %d", dg.DiagnosisBase, dg.Allowance())
		}
		if n := f.count("job_seeker_assignment", "job_seeker_id = ? AND last_action_kind = 'GEIQ_ELIGIBILITY'", js.ID); n != 1 {
			t.Errorf("%d GEIQ_ELIGIBILITY assignments, want 1", n)
		}
		if n := f.count("audit_event", "action = 'geiq_eligibility_diagnosis_created' AND object_id = ?", idStr(dg.ID)); n != 1 {
			t.Errorf("%d audit events, want 1", n)
		}
		js2, _ := f.jobSeeker()
		p := f.createGEIQ(f.prescriber(true), js2)
		if p.AuthorKind != AuthorPrescriber || p.Allowance() != AllowanceFull {
			t.Errorf("prescriber GEIQ diagnosis %+v allowance %d", p.DiagnosisBase, p.Allowance())
		}
	})
}

// Edge case 47: a valid prescriber diagnosis blocks a GEIQ's until it expires; a GEIQ's blocks
// a second one of the same GEIQ, not another GEIQ's.
func TestCreateGEIQ_Uniqueness(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		js, _ := f.jobSeeker()
		g1, g2 := f.employer(f.company(org.GEIQ)), f.employer(f.company(org.GEIQ))
		f.createGEIQ(f.prescriber(true), js)
		_, err := f.svc.CreateGEIQ(ctx, g1, js.PublicID, f.geiqKeys(RSA))
		wantFault(t, err, ErrGEIQExists)
		_, err = f.svc.CreateGEIQ(ctx, f.prescriber(true), js.PublicID, nil)
		wantFault(t, err, ErrGEIQExists)
		f.clk.AdvanceDays(182) // 2025-06-03: the prescriber's diagnosis expired today
		f.createGEIQ(g1, js, RSA)
		_, err = f.svc.CreateGEIQ(ctx, g1, js.PublicID, f.geiqKeys(RSA))
		wantFault(t, err, ErrGEIQExists)
		f.createGEIQ(g2, js, RSA)
	})
}

// Edge case 49: a prescriber's GEIQ diagnosis expires the GEIQs' valid diagnoses that no
// candidature uses, and keeps those that one does.
func TestCreateGEIQ_PrescriberPriority(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		js, _ := f.jobSeeker()
		co1, co2 := f.company(org.GEIQ), f.company(org.GEIQ)
		hired := f.createGEIQ(f.employer(co1), js, RSA)
		f.candidature(js, co1, hired)
		free := f.createGEIQ(f.employer(co2), js, RSA)
		f.clk.AdvanceDays(3)
		p := f.createGEIQ(f.prescriber(true), js)
		today := f.svc.today()
		if got := f.geiqRow(free.ID); got.IsValid(today) {
			t.Errorf("the unused GEIQ diagnosis still expires on %s", got.ExpiresAt)
		} else {
			wantDay(t, "unused expires_at", got.ExpiresAt, "2024-12-06")
		}
		wantDay(t, "used expires_at", f.geiqRow(hired.ID).ExpiresAt, "2025-06-03")
		if n := f.count("audit_event", "action = 'geiq_eligibility_diagnosis_expired' AND object_id = ?", idStr(free.ID)); n != 1 {
			t.Errorf("%d expiry events, want 1", n)
		}

		// The GEIQ choice (§2.4): each GEIQ sees the prescribers' and its own, newest first.
		ds, err := f.svc.GEIQDiagnoses(ctx, d, js.ID, co1.ID)
		if err != nil || len(ds) != 2 || ds[0].ID != p.ID || ds[1].ID != hired.ID || len(ds[1].Criteria) != 1 {
			t.Fatalf("GEIQ 1 sees %v, %v; want the prescriber's then its own", ds, err)
		}
		if last, err := f.svc.LastValidGEIQ(ctx, d, js.ID, co2.ID); err != nil || last == nil || last.ID != p.ID {
			t.Errorf("GEIQ 2's valid one = %+v, %v; want the prescriber's", last, err)
		}
		if ds, err := f.svc.GEIQDiagnoses(ctx, d, js.ID, 0); err != nil || len(ds) != 1 || ds[0].ID != p.ID {
			t.Errorf("a prescriber sees %v, %v; want only the prescriber's", ds, err)
		}
		if _, err := f.svc.GEIQDiagnosisByID(ctx, f.employer(co2), hired.ID); err != ErrNotFound {
			t.Errorf("another GEIQ reads a GEIQ's diagnosis: %v", err)
		}
		if got, err := f.svc.GEIQDiagnosisByID(ctx, f.employer(co1), hired.ID); err != nil || len(got.Criteria) != 1 {
			t.Errorf("its GEIQ reads it: %+v, %v", got, err)
		}
	})
}

// §2.2: only the GEIQ that wrote a valid diagnosis updates it; the criteria are replaced and it
// lasts 6 months from the update.
func TestUpdateGEIQ(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		js, _ := f.jobSeeker()
		co := f.company(org.GEIQ)
		dg := f.createGEIQ(f.employer(co), js, RSA)
		f.clk.AdvanceDays(30) // 2025-01-02
		for _, tt := range []struct {
			name string
			a    actor.Actor
			want *fault.Error
		}{
			{"another GEIQ", f.employer(f.company(org.GEIQ)), ErrNotFound},
			{"an authorized prescriber", f.prescriber(true), ErrNotGEIQUpdater},
			{"an SIAE", f.employer(f.company(org.ACI)), ErrNotGEIQUpdater},
		} {
			_, err := f.svc.UpdateGEIQ(ctx, tt.a, dg.ID, f.geiqKeys(ASS))
			if err != tt.want {
				t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
			}
		}
		colleague := f.employer(co)
		_, err := f.svc.UpdateGEIQ(ctx, colleague, dg.ID, nil)
		wantField(t, err, CriteriaField, MsgGEIQCriteriaNeeded)
		got, err := f.svc.UpdateGEIQ(ctx, colleague, dg.ID, f.geiqKeys("MINIMA"))
		if err != nil {
			t.Fatal(err)
		}
		wantDay(t, "updated expires_at", got.ExpiresAt, "2025-07-02")
		if got.AuthorID == nil || *got.AuthorID != colleague.UserID || got.Allowance() != AllowanceAnnex1 {
			t.Errorf("updated %+v allowance %d", got.DiagnosisBase, got.Allowance())
		}
		stored, err := f.svc.GEIQDiagnosisByID(ctx, colleague, dg.ID)
		if err != nil || len(stored.Criteria) != 1 || stored.Criteria[0].Criterion.Kind != "MINIMA" {
			t.Fatalf("stored criteria %+v, %v; want only MINIMA", stored, err)
		}
		f.setExpiry("geiq_eligibility_diagnosis", dg.ID, f.svc.today())
		_, err = f.svc.UpdateGEIQ(ctx, colleague, dg.ID, f.geiqKeys(ASS))
		wantFault(t, err, ErrExpired)
	})
}

// Two GEIQ diagnoses written at once for the same job seeker: the lock of the job seeker makes
// the second see the first, so exactly one is stored.
func TestCreateGEIQ_ConcurrentCreationsKeepUniqueness(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		js, _ := f.jobSeeker()
		authors := []actor.Actor{f.prescriber(true), f.prescriber(true), f.prescriber(true), f.prescriber(true)}
		errs := make(chan error, len(authors))
		var wg sync.WaitGroup
		for _, a := range authors {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.svc.CreateGEIQ(context.Background(), a, js.PublicID, nil)
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		created := 0
		for err := range errs {
			switch err {
			case nil:
				created++
			case ErrGEIQExists:
			default:
				t.Errorf("unexpected error %v", err)
			}
		}
		if n := f.count("geiq_eligibility_diagnosis", "job_seeker_id = ?", js.ID); created != 1 || n != 1 {
			t.Errorf("%d creations succeeded, %d rows stored; want 1 and 1", created, n)
		}
	})
}

// queryCounter counts the queries the database runs.
type queryCounter struct{ n atomic.Int64 }

func (q *queryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	q.n.Add(1)
	return ctx
}
func (q *queryCounter) AfterQuery(context.Context, *bun.QueryEvent) {}

// The GEIQ choice reads the diagnoses and all their criteria in two queries, however many
// diagnoses there are.
func TestGEIQDiagnoses_TwoQueriesWhateverTheCount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		counter := &queryCounter{}
		f := newFixture(t, &db.DB{DB: d.DB.WithQueryHook(counter), Engine: d.Engine})
		ctx := context.Background()
		co := f.company(org.GEIQ)
		one, _ := f.jobSeeker()
		many, _ := f.jobSeeker()
		f.createGEIQ(f.employer(co), one, RSA)
		for i := 0; i < 3; i++ {
			f.createGEIQ(f.employer(co), many, RSA, "PM")
			f.clk.AdvanceDays(183)
		}
		cost := func(jsID int64, want int) {
			t.Helper()
			before := counter.n.Load()
			ds, err := f.svc.GEIQDiagnoses(ctx, f.d, jsID, co.ID)
			if err != nil || len(ds) != want {
				t.Fatalf("%d diagnoses, %v; want %d", len(ds), err, want)
			}
			for _, dg := range ds {
				if len(dg.Criteria) == 0 {
					t.Errorf("diagnosis %d without its criteria", dg.ID)
				}
			}
			if n := counter.n.Load() - before; n != 2 {
				t.Errorf("%d queries for %d diagnoses, want 2", n, want)
			}
		}
		cost(one.ID, 1)
		cost(many.ID, 3)
	})
}
