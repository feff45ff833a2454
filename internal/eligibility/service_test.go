package eligibility

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
)

var hiring = CreateOptions{ForHiring: true}

func TestCreateIAE_WhoMayAuthor(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		js, jsActor := f.jobSeeker()
		aci, geiqCo, opcs := f.company(org.ACI), f.company(org.GEIQ), f.company(org.OPCS)
		other := f.company(org.ACI)
		outsider := f.employer(other)
		outsider.Organization = &actor.Organization{Type: string(org.TypeCompany), Kind: string(aci.Kind), ID: aci.ID, UID: aci.UID}
		staff := f.user(actor.Staff, "Sam")
		tests := []struct {
			name string
			a    actor.Actor
			opts CreateOptions
			want *fault.Error
		}{
			{"the job seeker", jsActor, hiring, ErrNotIAEAuthor},
			{"staff", actor.Actor{UserID: staff.ID, Kind: actor.Staff}, hiring, ErrNotIAEAuthor},
			{"an orienteur", f.prescriber(false), CreateOptions{}, ErrNotIAEAuthor},
			{"a professional without organization", actor.Actor{UserID: f.user(actor.Professional, "Lou").ID, Kind: actor.Professional}, hiring, ErrNotIAEAuthor},
			{"an SIAE outside a hire", f.employer(aci), CreateOptions{}, ErrSIAEOutsideHiring},
			{"a GEIQ, even hiring", f.employer(geiqCo), hiring, ErrNotSIAE},
			{"an OPCS, even hiring", f.employer(opcs), hiring, ErrNotSIAE},
			{"someone acting for an SIAE they are not a member of", outsider, hiring, ErrNotIAEAuthor},
		}
		for _, tt := range tests {
			_, err := f.svc.CreateIAE(ctx, tt.a, js.PublicID, f.keys(RSA), tt.opts)
			if err == nil || err.Error() != tt.want.Error() {
				t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
			}
		}
		if n := f.count("eligibility_diagnosis", "1 = 1"); n != 0 {
			t.Fatalf("%d diagnoses written by refused authors", n)
		}

		// Those who may: an authorized prescriber anywhere, an SIAE while hiring.
		p := f.createIAE(f.prescriber(true), js, CreateOptions{})
		if p.AuthorKind != AuthorPrescriber || p.AuthorPrescriberOrganizationID == nil || p.AuthorCompanyID != nil {
			t.Errorf("prescriber diagnosis %+v", p.DiagnosisBase)
		}
		js2, _ := f.jobSeeker()
		e := f.createIAE(f.employer(aci), js2, hiring, RSA)
		if e.AuthorKind != AuthorEmployer || e.AuthorCompanyID == nil || *e.AuthorCompanyID != aci.ID || e.AuthorPrescriberOrganizationID != nil {
			t.Errorf("employer diagnosis %+v", e.DiagnosisBase)
		}
		if _, err := f.svc.CreateIAE(ctx, f.prescriber(true), "not-a-public-id", nil, CreateOptions{}); err != ErrJobSeekerNotFound {
			t.Errorf("unknown job seeker: %v", err)
		}
	})
}

// Scenario 5 and edge case 45: an EI needs 3 level-2 criteria; a refusal writes nothing; the
// diagnosis lasts 92 days. Scenario 6: an ETTI needs 2.
func TestCreateIAE_EmployerCriteriaMinimum(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		js, _ := f.jobSeeker()
		ei := f.employer(f.company(org.EI))
		_, err := f.svc.CreateIAE(ctx, ei, js.PublicID, f.keys("CAP_BEP", ASE), hiring)
		wantField(t, err, CriteriaField, MsgCriteriaNumber)
		if n := f.count("eligibility_diagnosis", "1 = 1") + f.count("audit_event", "1 = 1") + f.count("job_seeker_assignment", "1 = 1"); n != 0 {
			t.Fatalf("a refused diagnosis wrote %d rows", n)
		}
		dg := f.createIAE(ei, js, hiring, "CAP_BEP", ASE, "PM")
		wantDay(t, "employer expires_at", dg.ExpiresAt, "2025-03-05")
		wantDay(t, "stored expires_at", f.iaeRow(dg.ID).ExpiresAt, "2025-03-05")
		if n := f.count("selected_administrative_criteria", "eligibility_diagnosis_id = ?", dg.ID); n != 3 {
			t.Errorf("%d criteria stored, want 3", n)
		}
		if n := f.count("job_seeker_assignment", "job_seeker_id = ? AND last_action_kind = 'IAE_ELIGIBILITY'", js.ID); n != 1 {
			t.Errorf("%d IAE_ELIGIBILITY assignments, want 1", n)
		}
		if n := f.count("audit_event", "action = 'eligibility_diagnosis_created' AND object_id = ?", idStr(dg.ID)); n != 1 {
			t.Errorf("%d audit events, want 1", n)
		}

		js2, _ := f.jobSeeker()
		etti := f.employer(f.company(org.ETTI))
		_, err = f.svc.CreateIAE(ctx, etti, js2.PublicID, f.keys(ASE), hiring)
		wantField(t, err, CriteriaField, MsgCriteriaNumberAIETTI)
		f.createIAE(etti, js2, hiring, "CAP_BEP", ASE)
	})
}

// Edge case 46: SENIOR + JEUNE and DETLD + DELD are refused for every author; an authorized
// prescriber may tick nothing. An unknown key is refused.
func TestCreateIAE_IncompatibleAndUnknownCriteria(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		js, _ := f.jobSeeker()
		p := f.prescriber(true)
		_, err := f.svc.CreateIAE(ctx, p, js.PublicID, f.keys(SENIOR, JEUNE), CreateOptions{})
		wantField(t, err, "level_2_7", iaeIncompatible[0].message)
		_, err = f.svc.CreateIAE(ctx, f.employer(f.company(org.ACI)), js.PublicID, f.keys(DETLD, DELD), hiring)
		wantField(t, err, "level_2_9", iaeIncompatible[1].message)
		_, err = f.svc.CreateIAE(ctx, p, js.PublicID, []string{"level_1_99"}, CreateOptions{})
		wantField(t, err, CriteriaField, MsgUnknownCriterion)
		dg := f.createIAE(p, js, CreateOptions{})
		if len(dg.Criteria) != 0 {
			t.Errorf("criteria %v, want none", dg.Criteria)
		}
	})
}

// Edge case 44 and scenario 31: a prescriber's new diagnosis is a new row valid 6 months, and
// the previous one expires today.
func TestCreateIAE_PrescriberUpdateExpiresThePreviousOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		js, _ := f.jobSeeker()
		p := f.prescriber(true)
		old := f.createIAE(p, js, CreateOptions{}, RSA)
		wantDay(t, "first expires_at", old.ExpiresAt, "2025-06-03")
		f.clk.AdvanceDays(10) // 2024-12-13
		renewed := f.createIAE(f.prescriber(true), js, CreateOptions{}, ASS)
		if renewed.ID == old.ID {
			t.Fatal("the update modified the old row")
		}
		wantDay(t, "new expires_at", renewed.ExpiresAt, "2025-06-13")
		stored := f.iaeRow(old.ID)
		wantDay(t, "old expires_at", stored.ExpiresAt, "2024-12-13")
		if stored.IsValid(f.svc.today()) {
			t.Error("the old diagnosis is still valid")
		}
		if n := f.count("audit_event", "action = 'eligibility_diagnosis_expired' AND object_id = ?", idStr(old.ID)); n != 1 {
			t.Errorf("%d expiry events, want 1", n)
		}
		got, err := f.svc.LastConsideredValid(ctx, d, js.ID, 0)
		if err != nil || got == nil || got.ID != renewed.ID {
			t.Fatalf("LastConsideredValid = %v, %v; want the new one", got, err)
		}
		if len(got.Criteria) != 1 || got.Criteria[0].Criterion.Kind != ASS {
			t.Errorf("criteria %+v, want ASS", got.Criteria)
		}
	})
}

// An SIAE may not author a diagnosis when one usable by it or a valid PASS exists; a prescriber
// needs none with a valid PASS (scenario 32).
func TestCreateIAE_RefusedWhenEligibilityIsAlreadyEstablished(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a, b := f.company(org.ACI), f.company(org.AI)
		js, _ := f.jobSeeker()
		f.createIAE(f.employer(a), js, hiring, RSA)
		_, err := f.svc.CreateIAE(ctx, f.employer(a), js.PublicID, f.keys(RSA), hiring)
		wantFault(t, err, ErrAlreadyEligible)
		// Another SIAE does not see A's diagnosis (edge case 43): it makes its own.
		f.createIAE(f.employer(b), js, hiring, RSA)

		js2, _ := f.jobSeeker()
		f.createIAE(f.prescriber(true), js2, CreateOptions{})
		_, err = f.svc.CreateIAE(ctx, f.employer(a), js2.PublicID, f.keys(RSA), hiring)
		wantFault(t, err, ErrAlreadyEligible)

		js3, _ := f.jobSeeker()
		f.pass(js3, nil, f.svc.today()) // an imported PASS ending today is still valid
		_, err = f.svc.CreateIAE(ctx, f.employer(a), js3.PublicID, f.keys(RSA), hiring)
		wantFault(t, err, ErrAlreadyEligible)
		_, err = f.svc.CreateIAE(ctx, f.prescriber(true), js3.PublicID, nil, CreateOptions{})
		wantFault(t, err, ErrValidPASS)
		f.clk.AdvanceDays(1) // the PASS ended yesterday
		f.createIAE(f.prescriber(true), js3, CreateOptions{})
	})
}

// Edge case 43: SIAE B never sees SIAE A's diagnosis, valid or not; the prescriber's diagnosis
// comes first.
func TestLastConsideredValid_OtherSIAEAndPrescriberFirst(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a, b := f.company(org.ACI), f.company(org.ACI)
		js, _ := f.jobSeeker()
		fromA := f.createIAE(f.employer(a), js, hiring, RSA)
		last := func(company int64) *Diagnosis {
			t.Helper()
			got, err := f.svc.LastConsideredValid(ctx, d, js.ID, company)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		has := func(company int64) bool {
			t.Helper()
			ok, err := f.svc.HasValidDiagnosis(ctx, d, js.ID, company)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if got := last(a.ID); got == nil || got.ID != fromA.ID || len(got.Criteria) != 1 {
			t.Fatalf("seen from A: %+v, want A's diagnosis with its criterion", got)
		}
		if got := last(b.ID); got != nil {
			t.Errorf("seen from B: %+v, want none", got)
		}
		if got := last(0); got != nil {
			t.Errorf("seen from a prescriber: %+v, want none", got)
		}
		if !has(a.ID) || has(b.ID) || has(0) {
			t.Errorf("HasValidDiagnosis A=%v B=%v prescriber=%v, want true false false", has(a.ID), has(b.ID), has(0))
		}

		// The prescriber's diagnosis is returned before A's newer one.
		js2, _ := f.jobSeeker()
		p := f.createIAE(f.prescriber(true), js2, CreateOptions{})
		f.clk.AdvanceDays(1)
		f.setExpiry("eligibility_diagnosis", p.ID, f.svc.today())
		own := f.createIAE(f.employer(a), js2, hiring, RSA) // allowed: the prescriber's one expired
		f.setExpiry("eligibility_diagnosis", p.ID, p.ExpiresAt)
		if got, _ := f.svc.LastConsideredValid(ctx, d, js2.ID, a.ID); got == nil || got.ID != p.ID {
			t.Errorf("seen from A: %+v, want the prescriber's %d (not its own %d)", got, p.ID, own.ID)
		}

		// With a valid PASS, B still does not see A's expired diagnosis.
		f.clk.AdvanceDays(EmployerValidityDays + 1)
		f.pass(js, nil, f.svc.today().AddDate(1, 0, 0))
		if got := last(b.ID); got != nil {
			t.Errorf("seen from B with a PASS: %+v, want none", got)
		}
		if got := last(a.ID); got == nil || got.ID != fromA.ID {
			t.Errorf("seen from A with a PASS: %+v, want its expired diagnosis", got)
		}
		if !has(b.ID) {
			t.Error("a valid PASS establishes the eligibility for B too")
		}
	})
}

// Edge case 42: an expired diagnosis is considered valid through the PASS issued on it, not
// through an unrelated one.
func TestIsConsideredValid_ThroughItsOwnPASS(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		js, _ := f.jobSeeker()
		linked := f.createIAE(f.prescriber(true), js, CreateOptions{})
		js2, _ := f.jobSeeker()
		unrelated := f.createIAE(f.prescriber(true), js2, CreateOptions{})
		f.clk.AdvanceDays(200) // both expired
		today := f.svc.today()
		f.pass(js, linked, today.AddDate(0, 0, 1))
		f.pass(js2, nil, today.AddDate(0, 0, 1))
		for _, tt := range []struct {
			name string
			d    *Diagnosis
			want bool
		}{{"linked to a valid PASS", linked, true}, {"with an unrelated valid PASS", unrelated, false}} {
			got, err := f.svc.IsConsideredValid(ctx, d, f.iaeRow(tt.d.ID))
			if err != nil || got != tt.want {
				t.Errorf("%s: IsConsideredValid = %v, %v; want %v", tt.name, got, err, tt.want)
			}
		}
		// With the valid PASS the expired diagnosis is the one that counts; without, none.
		if got, _ := f.svc.LastConsideredValid(ctx, d, js.ID, 0); got == nil || got.ID != linked.ID {
			t.Errorf("LastConsideredValid = %+v, want the expired linked one", got)
		}
		f.clk.AdvanceDays(2) // the PASSes ended
		if got, _ := f.svc.LastConsideredValid(ctx, d, js.ID, 0); got != nil {
			t.Errorf("LastConsideredValid after the PASS = %+v, want none", got)
		}
	})
}

// Who reads a diagnosis (edge case 43) and the job seeker's own view (§2.4).
func TestReadingADiagnosis_PerRole(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a, b := f.company(org.ACI), f.company(org.EI)
		js, jsActor := f.jobSeeker()
		other, otherActor := f.jobSeeker()
		fromA := f.createIAE(f.employer(a), js, hiring, RSA)
		fromP := f.createIAE(f.prescriber(true), other, CreateOptions{}, ASS)
		staff := actor.Actor{UserID: f.user(actor.Staff, "Sam").ID, Kind: actor.Staff}
		tests := []struct {
			name string
			a    actor.Actor
			d    *Diagnosis
			ok   bool
		}{
			{"the SIAE that wrote it", f.employer(a), fromA, true},
			{"another SIAE", f.employer(b), fromA, false},
			{"an authorized prescriber, an SIAE's diagnosis", f.prescriber(true), fromA, false},
			{"the job seeker, an SIAE's diagnosis without PASS", jsActor, fromA, false},
			{"staff", staff, fromA, true},
			{"any SIAE, a prescriber's diagnosis", f.employer(b), fromP, true},
			{"an authorized prescriber, a prescriber's diagnosis", f.prescriber(true), fromP, true},
			{"an orienteur", f.prescriber(false), fromP, false},
			{"its job seeker", otherActor, fromP, true},
			{"another job seeker", jsActor, fromP, false},
		}
		for _, tt := range tests {
			got, err := f.svc.IAEDiagnosis(ctx, tt.a, tt.d.ID)
			if tt.ok && (err != nil || got.ID != tt.d.ID || len(got.Criteria) != 1) {
				t.Errorf("%s: %+v, %v; want the diagnosis with its criterion", tt.name, got, err)
			}
			if !tt.ok && err != ErrNotFound {
				t.Errorf("%s: error %v, want not found", tt.name, err)
			}
		}

		// The job seeker's own view: the prescriber's newest, or one that led to a PASS.
		if got, err := f.svc.OwnDiagnosis(ctx, jsActor); err != nil || got != nil {
			t.Errorf("own view without PASS = %+v, %v; want none", got, err)
		}
		f.pass(js, fromA, f.svc.today().AddDate(2, 0, 0))
		if got, err := f.svc.OwnDiagnosis(ctx, jsActor); err != nil || got == nil || got.ID != fromA.ID {
			t.Errorf("own view with PASS = %+v, %v; want the diagnosis of the PASS", got, err)
		}
		if got, err := f.svc.IAEDiagnosis(ctx, jsActor, fromA.ID); err != nil || got.ID != fromA.ID {
			t.Errorf("the job seeker reads the diagnosis of their PASS: %+v, %v", got, err)
		}
		if got, err := f.svc.OwnDiagnosis(ctx, otherActor); err != nil || got == nil || got.ID != fromP.ID || len(got.Criteria) != 1 {
			t.Errorf("own view = %+v, %v; want the prescriber's", got, err)
		}
		if _, err := f.svc.OwnDiagnosis(ctx, f.employer(a)); err != ErrNotFound {
			t.Errorf("own view of an employer: %v", err)
		}
	})
}

// The acceptance of a candidature writes the SIAE's diagnosis in its own transaction: when that
// transaction fails, no diagnosis, assignment or audit event remains.
func TestCreateIAETx_RollsBackWithTheCallersTransaction(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		js, _ := f.jobSeeker()
		ai := f.employer(f.company(org.AI))
		errLater := errors.New("the hire failed")
		err := d.InTx(context.Background(), func(ctx context.Context, tx bun.Tx) error {
			dg, err := f.svc.CreateIAETx(ctx, tx, ai, js.ID, f.keys(ASE, "PM"), hiring)
			if err != nil {
				return err
			}
			wantDay(t, "AI expires_at", dg.ExpiresAt, "2025-03-05")
			return errLater
		})
		if err != errLater {
			t.Fatalf("InTx: %v", err)
		}
		for _, table := range []string{"eligibility_diagnosis", "selected_administrative_criteria", "job_seeker_assignment", "audit_event"} {
			if n := f.count(table, "1 = 1"); n != 0 {
				t.Errorf("%d rows left in %s", n, table)
			}
		}
	})
}
