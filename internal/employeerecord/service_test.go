package employeerecord

import (
	"context"
	"errors"
	"testing"
	"time"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
)

func isConflict(err error) bool {
	k, ok := fault.KindOf(err)
	return ok && k == fault.KindConflict
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	if !fault.FieldsOf(err).Has(field) {
		t.Errorf("want an error on %s, got %v", field, err)
	}
}

func TestCandidates_TheLatestHirePerPASSWithoutAFicheInTheConvention(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f, ctx := newFixture(t, d), context.Background()
		earlier := f.today.AddDate(0, -2, 0)
		js := f.employee()
		f.hired(js, f.antenna, "999990000001", earlier)
		// A second hire on the same PASS: only the latest is offered.
		var pass int64
		if err := d.NewRaw("SELECT id FROM approval WHERE number = '999990000001'").Scan(ctx, &pass); err != nil {
			t.Fatal(err)
		}
		latest := f.accepted(js, f.antenna, pass, f.today)
		// Switched off by the support team.
		off := f.hired(f.employee(), f.antenna, "999990000002", earlier)
		f.exec("UPDATE job_application SET create_employee_record = FALSE WHERE public_id = ?", off)
		// A PASS whose fiche the mother structure already made: same ASP SIRET.
		other := f.employee()
		motherHire := f.hired(other, f.asp, "999990000003", earlier)
		if _, err := f.svc.Create(ctx, f.member(f.asp, true), motherHire, ""); err != nil {
			t.Fatal(err)
		}
		var pass3 int64
		if err := d.NewRaw("SELECT id FROM approval WHERE number = '999990000003'").Scan(ctx, &pass3); err != nil {
			t.Fatal(err)
		}
		f.accepted(other, f.antenna, pass3, f.today)
		// Accepted without a PASS (a GEIQ-like hire never reaches here, but a manual delivery does).
		f.exec(`INSERT INTO job_application (public_id, job_seeker_id, to_company_id, sender_kind, state, processed_at, created_at, updated_at)
			VALUES ('00000000-0000-0000-0000-000000000001', ?, ?, 'job_seeker', 'accepted', ?, ?, ?)`, f.employee(), f.antenna, f.today, f.today, f.today)

		got, err := f.svc.Candidates(ctx, f.admin)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].ApplicationPublicID != latest || got[0].ApprovalNumber != "999990000001" {
			t.Errorf("candidates %+v, want only the latest hire %s", got, latest)
		}
	})
}

func TestCreate_ChecksThePersonAndCopiesTheMotherStructuresIdentity(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f, ctx := newFixture(t, d), context.Background()
		js := f.employee()
		hire := f.hired(js, f.antenna, "999990000001", f.today)

		f.exec("UPDATE job_seeker_profile SET education_level = '', nir = '785056912345678' WHERE user_id = ?", js)
		_, err := f.svc.Create(ctx, f.admin, hire, "")
		wantField(t, err, "education_level")
		wantField(t, err, "ntt") // a NIA needs an NTT
		_, err = f.svc.Create(ctx, f.admin, hire, "3234567890A")
		wantField(t, err, "ntt")
		f.exec("UPDATE job_seeker_profile SET hexa_post_code = '', hexa_commune_code = '', hexa_lane_number = '', hexa_lane_type = '', hexa_lane_name = '' WHERE user_id = ?", js)
		if n := f.count("employee_record", "TRUE"); n != 0 {
			t.Fatalf("%d fiches written by refusals", n)
		}

		f.exec("UPDATE job_seeker_profile SET education_level = '40' WHERE user_id = ?", js)
		r, err := f.svc.Create(ctx, f.admin, hire, "1234567890AB")
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != StatusNew || r.SIRET != motherSIRET || r.ASPID != 4242 || r.ASPMeasure != "AI_DC" ||
			r.ApprovalNumber != "999990000001" || deref(r.NTT) != "1234567890AB" {
			t.Errorf("fiche %+v", r)
		}
		if _, err := f.svc.Create(ctx, f.admin, hire, "1234567890AB"); !errors.Is(err, ErrDuplicate) {
			t.Errorf("second fiche: %v", err)
		}

		f.exec("UPDATE job_seeker_profile SET nir = NULL, lack_of_nir_reason = 'NIR_ASSOCIATED_TO_OTHER' WHERE user_id = ?", js)
		if _, err := f.svc.Ready(ctx, f.admin, r.PublicID); !errors.Is(err, ErrNIROfSomeoneElse) {
			t.Errorf("ready with a NIR of someone else: %v", err)
		}
	})
}

func TestFiches_OnlyTheCompanysAdminsSeeThem(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f, ctx := newFixture(t, d), context.Background()
		hire := f.hired(f.employee(), f.antenna, "999990000001", f.today)
		r, err := f.svc.Create(ctx, f.admin, hire, "")
		if err != nil {
			t.Fatal(err)
		}
		geiq := f.insertID(`INSERT INTO company (uid, siret, kind, name, source, created_at, updated_at) VALUES ('g', '99999999900011', 'GEIQ', 'G', 'GEIQ', ?, ?)`, f.today, f.today)
		jobSeeker := actor.Actor{UserID: f.employee(), Kind: actor.JobSeeker}
		for name, tc := range map[string]struct {
			a    actor.Actor
			want error
		}{
			"a member who is not admin": {f.member(f.antenna, false), ErrNotAdmin},
			"the admin of the mother":   {f.member(f.asp, true), ErrNotFound}, // another company's fiche
			"a GEIQ's admin":            {f.member(geiq, true), ErrNotEligible},
			"the employee":              {jobSeeker, ErrNotFound},
		} {
			if _, err := f.svc.Get(ctx, tc.a, r.PublicID); !errors.Is(err, tc.want) {
				t.Errorf("%s: get %v, want %v", name, err, tc.want)
			}
			if _, err := f.svc.Disable(ctx, tc.a, r.PublicID); !errors.Is(err, tc.want) {
				t.Errorf("%s: disable %v, want %v", name, err, tc.want)
			}
		}
		if got, err := f.svc.Get(ctx, f.admin, r.PublicID); err != nil || got.ID != r.ID {
			t.Errorf("admin: %v", err)
		}
	})
}

func TestReady_OnceTheContractStartedWithEverythingTheASPNeeds(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f, ctx := newFixture(t, d), context.Background()
		js := f.employee()
		future := f.hired(js, f.antenna, "999990000001", f.today.AddDate(0, 0, 1))
		r, err := f.svc.Create(ctx, f.admin, future, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Ready(ctx, f.admin, r.PublicID); !errors.Is(err, ErrNotStarted) {
			t.Errorf("ready before the hire: %v", err)
		}
		f.exec("UPDATE job_application SET hiring_start_at = ? WHERE public_id = ?", f.today, future)
		f.exec("UPDATE job_seeker_profile SET birth_country_code = NULL, birth_place_code = NULL WHERE user_id = ?", js)
		_, err = f.svc.Ready(ctx, f.admin, r.PublicID)
		wantField(t, err, "birth_country")
		f.exec("UPDATE job_seeker_profile SET birth_country_code = '99100', birth_place_code = '75056' WHERE user_id = ?", js)
		// The convention's ASP SIRET changed since the creation: « ready » takes the new one.
		f.exec("UPDATE company SET siret = '12345678900020' WHERE id = ?", f.asp)
		got, err := f.svc.Ready(ctx, f.admin, r.PublicID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != StatusReady || got.SIRET != "12345678900020" {
			t.Errorf("ready: %+v", got)
		}
		if n := f.count("employee_record_transition_log", "employee_record_id = ? AND transition = 'ready' AND from_status = 'NEW'", r.ID); n != 1 {
			t.Errorf("%d log rows", n)
		}
		if n := f.count("job_seeker_profile", "user_id = ? AND employee_record_checked_at IS NOT NULL", js); n != 1 {
			t.Error("the profile is not marked as checked")
		}
		if _, err := f.svc.Disable(ctx, f.admin, r.PublicID); !isConflict(err) {
			t.Errorf("disable a READY fiche: %v", err)
		}
	})
}

func TestDisableAndEnable_ThroughTheTable(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f, ctx := newFixture(t, d), context.Background()
		r, err := f.svc.Create(ctx, f.admin, f.hired(f.employee(), f.antenna, "999990000001", f.today), "")
		if err != nil {
			t.Fatal(err)
		}
		if got, err := f.svc.Disable(ctx, f.admin, r.PublicID); err != nil || got.Status != StatusDisabled {
			t.Fatalf("disable: %v %+v", err, got)
		}
		if _, err := f.svc.Disable(ctx, f.admin, r.PublicID); !isConflict(err) {
			t.Errorf("disable twice: %v", err)
		}
		if got, err := f.svc.Enable(ctx, f.admin, r.PublicID); err != nil || got.Status != StatusNew {
			t.Errorf("enable: %v %+v", err, got)
		}
		list, err := f.svc.List(ctx, f.admin, nil, 1)
		if err != nil {
			t.Fatal(err)
		}
		if list.Total != 1 || list.Rows[0].PublicID != r.PublicID || list.Rows[0].LastName == "" || list.SIRETChanged {
			t.Errorf("default list %+v", list)
		}
		if list, err := f.svc.List(ctx, f.admin, []Status{StatusProcessed}, 1); err != nil || list.Total != 0 {
			t.Errorf("processed list %+v %v", list, err)
		}
		f.exec("UPDATE employee_record SET status = 'PROCESSED', siret = '12345678900038' WHERE id = ?", r.ID)
		if list, err := f.svc.List(ctx, f.admin, nil, 1); err != nil || !list.SIRETChanged || list.Total != 0 {
			t.Errorf("SIRET warning %+v %v", list, err)
		}
	})
}

func TestUpdateNotifications_APASSDateChangeQueuesOneNewLinePerFicheTheASPKnows(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f, ctx := newFixture(t, d), context.Background()
		known, err := f.svc.Create(ctx, f.admin, f.hired(f.employee(), f.antenna, "999990000001", f.today), "")
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := f.svc.Create(ctx, f.admin, f.hired(f.employee(), f.antenna, "999990000002", f.today), "")
		if err != nil {
			t.Fatal(err)
		}
		f.exec("UPDATE employee_record SET status = 'PROCESSED' WHERE id = ?", known.ID)
		for i := 1; i <= 2; i++ {
			f.exec("UPDATE approval SET end_at = ? WHERE number IN ('999990000001', '999990000002')", f.today.AddDate(2, 0, i))
		}
		f.exec("UPDATE approval SET created_at = ? WHERE number = '999990000001'", f.today.AddDate(0, 0, 1)) // not a date of the PASS
		if n := f.count("employee_record_update_notification", "employee_record_id = ? AND status = 'NEW'", known.ID); n != 1 {
			t.Errorf("%d NEW notifications of the processed fiche, want 1", n)
		}
		if n := f.count("employee_record_update_notification", "employee_record_id = ?", fresh.ID); n != 0 {
			t.Errorf("%d notifications of a fiche the ASP does not know", n)
		}
		// Once sent, the next change queues a new one beside it.
		f.exec("UPDATE employee_record_update_notification SET status = 'SENT', asp_batch_file = 'RIAE_FS_20260302100000.json', asp_batch_line_number = 1")
		f.exec("UPDATE approval SET start_at = ? WHERE number = '999990000001'", f.today.AddDate(0, 0, 1))
		if n := f.count("employee_record_update_notification", "employee_record_id = ?", known.ID); n != 2 {
			t.Errorf("%d notifications after a second change, want 2", n)
		}
	})
}

func TestArchiveAndSanitize_TheNightlyAndHourlyRules(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f, ctx := newFixture(t, d), context.Background()
		old := f.today.AddDate(-1, -2, 0)
		fiche := func(number string, passEnd time.Time) *Record {
			r, err := f.svc.Create(ctx, f.admin, f.hired(f.employee(), f.antenna, number, old), "")
			if err != nil {
				t.Fatal(err)
			}
			f.exec("UPDATE approval SET end_at = ? WHERE number = ?", passEnd, number)
			f.exec("UPDATE employee_record SET status = 'PROCESSED', asp_processing_code = '0000', archived_json = '{}', created_at = ?, updated_at = ? WHERE id = ?",
				old, f.today.AddDate(0, -2, 0), r.ID)
			return r
		}
		over := fiche("999990000001", f.today.AddDate(0, -7, 0))        // past the 6-month prolongation window
		prolongable := fiche("999990000002", f.today.AddDate(0, -5, 0)) // may still be prolonged
		n, err := f.svc.Archive(ctx)
		if err != nil || n != 1 {
			t.Fatalf("archived %d, %v", n, err)
		}
		if c := f.count("employee_record", "id = ? AND status = 'ARCHIVED' AND archived_json IS NULL", over.ID); c != 1 {
			t.Error("the fiche of a PASS over for good is not archived")
		}
		if c := f.count("employee_record", "id = ? AND status = 'PROCESSED'", prolongable.ID); c != 1 {
			t.Error("a fiche whose PASS may still be prolonged was archived")
		}

		// The PASS comes back (a prolongation by the support team): the sanitizer unarchives the
		// fiche to PROCESSED and queues the update the ASP missed.
		f.exec("UPDATE approval SET end_at = ?, updated_at = ? WHERE number = '999990000001'", f.today.AddDate(0, 3, 0), f.today.Add(12*time.Hour))
		// A hire that lost its PASS loses its fiche.
		lost := fiche("999990000003", f.today.AddDate(1, 0, 0))
		f.exec("UPDATE job_application SET approval_id = NULL, state = 'cancelled', approval_delivery_mode = '' WHERE id = ?", lost.JobApplicationID)
		deleted, back, err := f.svc.Sanitize(ctx)
		if err != nil || deleted != 1 || back != 1 {
			t.Fatalf("sanitize: %d deleted, %d back, %v", deleted, back, err)
		}
		if c := f.count("employee_record", "id = ? AND status = 'PROCESSED'", over.ID); c != 1 {
			t.Error("not unarchived to PROCESSED")
		}
		if c := f.count("employee_record_update_notification", "employee_record_id = ? AND status = 'NEW'", over.ID); c != 1 {
			t.Errorf("%d NEW notifications after the unarchive", c)
		}
		if c := f.count("employee_record", "id = ?", lost.ID); c != 0 {
			t.Error("the fiche of a hire without PASS is kept")
		}
	})
}
