package eligibility

import (
	"context"
	"strings"
	"testing"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// Statuses tells whole pages of an export seen from no company: a valid PASS first, then a
// valid prescriber's diagnosis; an SIAE's own diagnosis does not count (§2.4).
func TestStatuses_TellsEachJobSeekerFromThePrescribersDiagnoses(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		aci := f.company(org.ACI)
		withPASS, _ := f.jobSeeker()
		byPrescriber, _ := f.jobSeeker()
		byACI, _ := f.jobSeeker()
		expired, _ := f.jobSeeker()
		none, _ := f.jobSeeker()
		f.pass(withPASS, nil, f.clk.Now().AddDate(0, 3, 0))
		f.createIAE(f.prescriber(true), byPrescriber, CreateOptions{})
		f.createIAE(f.employer(aci), byACI, hiring, RSA)
		old := f.createIAE(f.prescriber(true), expired, CreateOptions{})
		f.setExpiry("eligibility_diagnosis", old.ID, Day(f.clk.Now()))

		got, err := f.svc.Statuses(ctx, []int64{withPASS.ID, byPrescriber.ID, byACI.ID, expired.ID, none.ID})
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]StatusKind{withPASS.ID: StatusPASS, byPrescriber.ID: StatusValid, byACI.ID: StatusToValidate,
			expired.ID: StatusToValidate, none.ID: StatusToValidate}
		for id, w := range want {
			if got[id] != w {
				t.Errorf("%d: %s, want %s", id, got[id].Label(), w.Label())
			}
		}
		if got, err := f.svc.Statuses(ctx, nil); err != nil || len(got) != 0 {
			t.Errorf("no job seeker: %v, %v", got, err)
		}
	})
}

// StatusOf and BoxFor: seen from SIAE B, SIAE A's diagnosis does not exist; the prescriber's
// is shown to both, with its author; an authorized prescriber is offered the renewal, an
// employer not; a company without IAE eligibility gets no box (§2.1).
func TestBoxFor_ShowsTheDiagnosisThatCountsForTheViewer(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		aci, ei, geiqCo := f.company(org.ACI), f.company(org.EI), f.company(org.GEIQ)
		js, _ := f.jobSeeker()
		aciEmployer, eiEmployer := f.employer(aci), f.employer(ei)
		f.createIAE(aciEmployer, js, hiring, RSA)

		b, err := f.svc.BoxFor(ctx, eiEmployer, js.ID, js.PublicID, org.EI, "/back", "")
		if err != nil || b.Label != StatusToValidate.Label() || b.DiagnosisURL != "" || b.ActionURL != "" {
			t.Fatalf("SIAE B sees %+v, %v", b, err)
		}
		b, err = f.svc.BoxFor(ctx, aciEmployer, js.ID, js.PublicID, org.ACI, "/back", "")
		if err != nil || b.Label != StatusValid.Label() || len(b.Criteria) != 1 || b.Organization != aci.Name {
			t.Fatalf("SIAE A sees %+v, %v", b, err)
		}
		presc := f.prescriber(true)
		b, err = f.svc.BoxFor(ctx, presc, js.ID, js.PublicID, org.ACI, "/back", "")
		if err != nil || b.Label != StatusToValidate.Label() || b.ActionURL != IAEPath(js.PublicID, "/back") || b.ActionLabel != "Valider l'éligibilité IAE" {
			t.Fatalf("a prescriber sees %+v, %v", b, err)
		}
		f.createIAE(presc, js, CreateOptions{}, QPV)
		for _, a := range []struct {
			name string
			b    func() (*Box, error)
		}{
			{"SIAE B", func() (*Box, error) { return f.svc.BoxFor(ctx, eiEmployer, js.ID, js.PublicID, org.EI, "", "") }},
			{"the prescriber", func() (*Box, error) { return f.svc.BoxFor(ctx, presc, js.ID, js.PublicID, org.ACI, "", "") }},
		} {
			b, err := a.b()
			if err != nil || b.Label != StatusValid.Label() || b.Author != "Paul Martin" || len(b.Criteria) != 1 || b.Criteria[0] != "Résident QPV" {
				t.Errorf("%s sees %+v, %v", a.name, b, err)
			}
		}
		if b, _ := f.svc.BoxFor(ctx, eiEmployer, js.ID, js.PublicID, org.EI, "", ""); b.ActionURL != "" {
			t.Errorf("an employer is offered %q", b.ActionURL)
		}
		if b, err := f.svc.BoxFor(ctx, eiEmployer, js.ID, js.PublicID, org.OPCS, "", ""); b != nil || err != nil {
			t.Errorf("an OPCS candidature gets %+v, %v", b, err)
		}
		// A GEIQ: no diagnosis yet, its members are offered the step; once a diagnosis is made,
		// its allowance.
		geiqEmployer := f.employer(geiqCo)
		b, err = f.svc.BoxFor(ctx, geiqEmployer, js.ID, js.PublicID, org.GEIQ, "", "/step")
		if err != nil || b.Title != "Éligibilité GEIQ" || b.ActionURL != "/step" || b.DiagnosisURL != "" {
			t.Fatalf("a GEIQ gets %+v, %v", b, err)
		}
		f.createGEIQ(geiqEmployer, js, SENIOR)
		b, err = f.svc.BoxFor(ctx, geiqEmployer, js.ID, js.PublicID, org.GEIQ, "", "/step")
		if err != nil || b.ActionURL != "" || b.Allowance != "0 € (aucune aide de l'État)" || len(b.Criteria) != 1 {
			t.Fatalf("a GEIQ with its diagnosis gets %+v, %v", b, err)
		}
		// The prescriber does not see the GEIQ's own diagnosis, and is offered theirs.
		b, err = f.svc.BoxFor(ctx, presc, js.ID, js.PublicID, org.GEIQ, "/back", "/step")
		if err != nil || b.DiagnosisURL != "" || b.ActionURL != GEIQPath(js.PublicID, "/back") {
			t.Fatalf("a prescriber on a GEIQ candidature gets %+v, %v", b, err)
		}
	})
}

// The job seeker's own view (§2.4) and the waiting period of their latest PASS (§2.9).
func TestOwnBoxOf_TheJobSeekersDiagnosisAndWaitingPeriod(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		js, me := f.jobSeeker()
		if b, err := f.svc.OwnBoxOf(ctx, me); b != nil || err != nil {
			t.Fatalf("nothing to say: %+v, %v", b, err)
		}
		// An employer's diagnosis without a PASS is not theirs to see.
		f.createIAE(f.employer(f.company(org.ACI)), js, hiring, RSA)
		if b, err := f.svc.OwnBoxOf(ctx, me); b != nil || err != nil {
			t.Fatalf("an employer's diagnosis shown: %+v, %v", b, err)
		}
		// A PASS ended a year ago: the waiting period, lifted by a prescriber's diagnosis.
		f.pass(js, nil, f.clk.Now().AddDate(-1, 0, 0))
		b, err := f.svc.OwnBoxOf(ctx, me)
		if err != nil || b == nil || b.Diagnosis != "" || !strings.Contains(b.Waiting, "un délai de carence s'applique jusqu'au 03/12/2025") {
			t.Fatalf("waiting: %+v, %v", b, err)
		}
		f.createIAE(f.prescriber(true), js, CreateOptions{}, QPV)
		b, err = f.svc.OwnBoxOf(ctx, me)
		if err != nil || !b.Valid || b.Diagnosis != "Éligibilité IAE validée" || len(b.Criteria) != 1 ||
			b.Waiting != "Votre dernier PASS IAE a pris fin il y a moins de deux ans, mais un prescripteur habilité a validé votre éligibilité : vous pouvez de nouveau travailler dans une structure de l'insertion par l'activité économique." {
			t.Fatalf("lifted: %+v, %v", b, err)
		}
		if _, err := f.svc.OwnBoxOf(ctx, f.prescriber(true)); err != ErrNotFound {
			t.Errorf("a prescriber: %v", err)
		}
	})
}

// R10: only an authorized prescriber has the tunnel's step, for an SIAE without valid PASS or
// prescriber diagnosis, and for a GEIQ without a prescriber GEIQ diagnosis.
func TestTunnelStep_OnlyAuthorizedPrescribersWithoutAValidDiagnosis(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		js, me := f.jobSeeker()
		presc, orienteur, employer := f.prescriber(true), f.prescriber(false), f.employer(f.company(org.ACI))
		step := func(a actor.Actor, kind org.CompanyKind) string {
			t.Helper()
			to, err := f.svc.TunnelStep(ctx, a, js.PublicID, kind, "/back")
			if err != nil {
				t.Fatal(err)
			}
			return to
		}
		if got := step(presc, org.ACI); got != IAEPath(js.PublicID, "/back") {
			t.Errorf("SIAE: %q", got)
		}
		if got := step(presc, org.GEIQ); got != GEIQPath(js.PublicID, "/back") {
			t.Errorf("GEIQ: %q", got)
		}
		for name, a := range map[string]actor.Actor{"orienteur": orienteur, "employer": employer, "job seeker": me} {
			if got := step(a, org.ACI); got != "" {
				t.Errorf("%s: %q", name, got)
			}
		}
		if got := step(presc, org.EA); got != "" {
			t.Errorf("EA: %q", got)
		}
		// An employer's diagnosis does not lift the prescriber's step; a prescriber's does.
		f.createIAE(employer, js, hiring, RSA)
		if got := step(presc, org.ACI); got == "" {
			t.Error("an employer's diagnosis lifted the step")
		}
		f.createIAE(presc, js, CreateOptions{})
		f.createGEIQ(presc, js)
		if got := step(presc, org.ACI) + step(presc, org.GEIQ); got != "" {
			t.Errorf("with valid diagnoses: %q", got)
		}
	})
}

// A valid PASS IAE needs no step either (applications.md scenario 8).
func TestTunnelStep_AValidPASSNeedsNoStep(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		js, _ := f.jobSeeker()
		f.pass(js, nil, f.clk.Now().AddDate(0, 1, 0))
		if got, err := f.svc.TunnelStep(context.Background(), f.prescriber(true), js.PublicID, org.ACI, ""); got != "" || err != nil {
			t.Errorf("%q, %v", got, err)
		}
		if err := f.svc.MayAuthorIAE(context.Background(), f.prescriber(true), js.PublicID, CreateOptions{}); err != ErrValidPASS {
			t.Errorf("MayAuthorIAE: %v", err)
		}
		if err := f.svc.MayAuthorIAE(context.Background(), f.prescriber(false), "unknown", CreateOptions{}); err != ErrNotIAEAuthor {
			t.Errorf("an orienteur: %v, want the refusal before the lookup", err)
		}
	})
}

func TestSafeNext_KeepsOnlyPathsOfTheSite(t *testing.T) {
	for in, want := range map[string]string{
		"/apply/x/tunnel/message": "/apply/x/tunnel/message", "": "", "//evil.example.org/x": "",
		"/\\evil.example.org": "", "https://evil.example.org/": "", "relative": "", "/": "",
	} {
		if got := SafeNext(in); got != want {
			t.Errorf("SafeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
