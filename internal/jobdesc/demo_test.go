package jobdesc

import (
	"context"
	"testing"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func TestSeedDemo_GivesEachCompanyOpenStaleAndClosedFichesOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		kinds := []org.CompanyKind{org.ACI, org.AI, org.EI, org.EITI, org.ETTI, org.GEIQ, org.OPCS}
		var uids []string
		actors := map[string]actor.Actor{}
		for _, k := range kinds {
			co := f.company(k)
			uids = append(uids, co.UID)
			actors[co.UID] = f.employer(co)
		}
		n, err := SeedDemo(ctx, d, uids, f.clk.Now())
		if err != nil || n != 3*len(kinds) {
			t.Fatalf("SeedDemo = %d, %v", n, err)
		}
		if n, err := SeedDemo(ctx, d, uids, f.clk.Now()); err != nil || n != 0 {
			t.Fatalf("second SeedDemo = %d, %v", n, err)
		}
		for i, uid := range uids {
			a := actors[uid]
			o, err := f.svc.Overview(ctx, a, CompanyOf(a))
			if err != nil {
				t.Fatal(err)
			}
			open := 0
			for _, jd := range o.Fiches {
				if !ContractAllowed(kinds[i], false, jd.ContractType) {
					t.Errorf("%s: demo contract %s not allowed", kinds[i], jd.ContractType)
				}
				if jd.IsActive {
					open++
				}
			}
			if len(o.Fiches) != 3 || open != 2 || !o.Reminder {
				t.Errorf("%s: %d fiches, %d open, reminder %v", kinds[i], len(o.Fiches), open, o.Reminder)
			}
			// Every demo fiche passes the form's rules: editing it as it is succeeds.
			for _, jd := range o.Fiches {
				if _, err := f.svc.Update(ctx, a, jd.UID, InputOf(jd)); err != nil {
					t.Errorf("%s: demo fiche refused by the editor: %v", kinds[i], err)
				}
			}
		}
	})
}
