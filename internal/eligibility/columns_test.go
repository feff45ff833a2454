package eligibility

import (
	"context"
	"slices"
	"testing"

	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func TestCriteriaShown_AllUpToFourElseThreeAndTheCountOfTheOthers(t *testing.T) {
	labels := []string{"a", "b", "c", "d", "e", "f"}
	for _, tt := range []struct {
		n         int
		shown     []string
		wantMore  string
		wantShown int
	}{
		{0, nil, "", 0},
		{3, labels[:3], "", 3},
		{4, labels[:4], "", 4},
		{5, labels[:3], "+ 2 autres critères", 3},
		{6, labels[:3], "+ 3 autres critères", 3},
	} {
		shown, more := CriteriaShown(labels[:tt.n])
		if len(shown) != tt.wantShown || !slices.Equal(shown, tt.shown[:tt.wantShown]) || more != tt.wantMore {
			t.Errorf("%d labels: %v, %q; want %v, %q", tt.n, shown, more, tt.shown, tt.wantMore)
		}
	}
}

// Columns: seen from an SIAE, the prescriber's diagnosis first, else its own, never another
// SIAE's; a PASS IAE stands by itself and tells when it is suspended; a prescriber looking at a
// candidature to an SIAE sees that SIAE's diagnosis as an employer's; a GEIQ target shows the
// prescribers' GEIQ diagnoses only; any other company, « hors IAE ».
func TestColumns_ShowTheDiagnosisThatCountsForEachRow(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		aci, ei, geiqCo := f.company(org.ACI), f.company(org.EI), f.company(org.GEIQ)
		presc := f.prescriber(true)
		byPrescriber, _ := f.jobSeeker()
		byBoth, _ := f.jobSeeker()
		byACI, _ := f.jobSeeker()
		byEI, _ := f.jobSeeker()
		none, _ := f.jobSeeker()
		many, _ := f.jobSeeker()
		withPASS, _ := f.jobSeeker()
		suspended, _ := f.jobSeeker()
		geiqJS, _ := f.jobSeeker()
		f.createIAE(presc, byPrescriber, CreateOptions{}, QPV)
		f.createIAE(f.employer(aci), byBoth, hiring, RSA)
		f.createIAE(presc, byBoth, CreateOptions{}, ZRR)
		f.createIAE(f.employer(aci), byACI, hiring, RSA)
		f.createIAE(f.employer(ei), byEI, hiring, RSA)
		f.createIAE(presc, many, CreateOptions{}, RSA, ASS, AAH, DETLD, SENIOR)
		end := f.clk.Now().AddDate(0, 6, 0)
		f.pass(withPASS, nil, end)
		f.pass(suspended, nil, end)
		today := Day(f.clk.Now())
		if _, err := d.NewRaw(`INSERT INTO suspension (approval_id, start_at, end_at, created_at, updated_at)
			SELECT id, ?, ?, ?, ? FROM approval WHERE user_id = ?`, today.AddDate(0, 0, -3), today, f.clk.Now(), f.clk.Now(), suspended.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		f.createGEIQ(f.employer(geiqCo), geiqJS, SENIOR)

		iae := func(jsID, companyID int64) Seen {
			return Seen{JobSeekerID: jsID, CompanyID: companyID, Requirement: IAEEligibility}
		}
		cat, err := f.svc.Catalog(ctx)
		if err != nil {
			t.Fatal(err)
		}
		name := func(k Kind) string {
			for _, c := range cat.IAE {
				if c.Kind == k {
					return c.Name
				}
			}
			t.Fatalf("no criterion %s", k)
			return ""
		}
		valid, toValidate, pass := StatusValid.Label(), StatusToValidate.Label(), StatusPASS.Label()
		check := func(viewer int64, want map[Seen]Column) {
			t.Helper()
			var seen []Seen
			for v := range want {
				seen = append(seen, v)
			}
			got, err := f.svc.Columns(ctx, viewer, seen)
			if err != nil {
				t.Fatal(err)
			}
			for v, w := range want {
				g := got[v]
				if g.OutsideIAE != w.OutsideIAE || g.Text != w.Text || g.By != w.By || g.PASSSuspended != w.PASSSuspended ||
					!slices.Equal(g.Criteria, w.Criteria) || g.MoreCriteria != w.MoreCriteria {
					t.Errorf("job seeker %d from company %d: %+v, want %+v", v.JobSeekerID, v.CompanyID, g, w)
				}
			}
		}
		check(aci.ID, map[Seen]Column{
			iae(byPrescriber.ID, aci.ID): {Text: valid, By: ByPrescriber, Criteria: []string{name(QPV)}},
			iae(byBoth.ID, aci.ID):       {Text: valid, By: ByPrescriber, Criteria: []string{name(ZRR)}},
			iae(byACI.ID, aci.ID):        {Text: valid, By: ByOwnCompany, Criteria: []string{name(RSA)}},
			iae(byEI.ID, aci.ID):         {Text: toValidate, By: ByNone},
			iae(none.ID, aci.ID):         {Text: toValidate, By: ByNone},
			iae(many.ID, aci.ID):         {Text: valid, By: ByPrescriber, Criteria: []string{name(RSA), name(ASS), name(AAH)}, MoreCriteria: "+ 2 autres critères"},
			iae(withPASS.ID, aci.ID):     {Text: pass},
			iae(suspended.ID, aci.ID):    {Text: pass, PASSSuspended: true},
		})
		// A prescriber's sent list: each SIAE target's own diagnosis is an employer's.
		check(0, map[Seen]Column{
			iae(byACI.ID, aci.ID): {Text: valid, By: ByEmployer, Criteria: []string{name(RSA)}},
			iae(byEI.ID, ei.ID):   {Text: valid, By: ByEmployer, Criteria: []string{name(RSA)}},
			iae(byACI.ID, 0):      {Text: toValidate, By: ByNone},
			{JobSeekerID: geiqJS.ID, Requirement: GEIQEligibility}:     {Text: geiqNoneLabel},
			{JobSeekerID: byPrescriber.ID, Requirement: NoEligibility}: {OutsideIAE: true},
		})
		geiqDiag := f.createGEIQ(presc, geiqJS, SENIOR, QPV)
		if geiqDiag.AuthorKind != AuthorPrescriber {
			t.Fatalf("GEIQ diagnosis by %s", geiqDiag.AuthorKind)
		}
		stored, err := f.svc.LastValidGEIQ(ctx, d, geiqJS.ID, 0)
		if err != nil || stored == nil || stored.ID != geiqDiag.ID || len(stored.CriteriaNames()) != 2 {
			t.Fatalf("the prescriber's GEIQ diagnosis: %+v, %v", stored, err)
		}
		geiqNames := stored.CriteriaNames()
		check(0, map[Seen]Column{{JobSeekerID: geiqJS.ID, Requirement: GEIQEligibility}: {Text: geiqValidLabel, By: ByPrescriber, Criteria: geiqNames}})
		if got, err := f.svc.Columns(ctx, 0, nil); err != nil || len(got) != 0 {
			t.Errorf("no row: %v, %v", got, err)
		}
	})
}
