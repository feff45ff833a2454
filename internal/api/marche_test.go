package api

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func TestMarche_RefusesOtherCredentials(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newPartnersFixture(t, d)
		for _, c := range []struct {
			name, key string
			status    int
			body      string
		}{
			{"no token", "", 401, `{"detail":"Informations d'authentification non fournies."}`},
			{"unknown key", "nope", 401, `{"detail":"Informations d'authentification non fournies."}`},
			{"data·inclusion's token", f.dataInclusionKey, 403, `{"detail":"Vous n'avez pas la permission d'effectuer cette action."}`},
			{"Dora's token", f.doraKey, 403, `{"detail":"Vous n'avez pas la permission d'effectuer cette action."}`},
		} {
			status, body := f.get("/api/v1/marche/", c.key)
			if status != c.status || body != c.body+"\n" {
				t.Errorf("%s: %d %s, want %d %s", c.name, status, body, c.status, c.body)
			}
		}
	})
}

// member stores an account with a membership of the company.
func (f *partnersFixture) member(co *org.Company, first, last, email string, joined time.Time, admin, active, userActive bool) {
	f.t.Helper()
	ctx := context.Background()
	var id int64
	if err := f.d.NewRaw(`INSERT INTO users (public_id, email, kind, title, first_name, last_name, date_joined, is_active) VALUES (?, ?, 'professional', '', ?, ?, ?, ?) RETURNING id`,
		uuid.NewString(), email, first, last, joined, userActive).Scan(ctx, &id); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.d.NewRaw(`INSERT INTO company_membership (user_id, organization_id, joined_at, is_admin, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, co.ID, joined, admin, active, joined, joined).Exec(ctx); err != nil {
		f.t.Fatal(err)
	}
}

// The fields, word for word (api.md §5's example), and M1–M5.
func TestMarche_ListsEveryCompanyButTheHolderWithItsLastAdmin(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newPartnersFixture(t, d)
		reserved := f.company(org.Reserved, "60000000000001", org.SourceAdminCreated, nil, nil)
		if p := page[MarcheCompany](f, "/api/v1/marche/", f.marcheKey); p.Count != 0 { // M1
			t.Errorf("the RESERVED holder alone: count %d", p.Count)
		}
		lon, lat := 2.4551, 48.7904
		conv := f.convention(org.ACI, "12345678900012", true)
		val := f.company(org.ACI, "12345678900012", org.SourceASP, conv, func(c *org.Company) {
			c.NAF, c.Name, c.Brand, c.Phone, c.Email = "8899B", "ASSOCIATION LE VAL", "Recyclerie du Val", "0145000000", "contact@recyclerie-du-val.example"
			c.Website, c.Description, c.PostCode, c.CityName = "https://recyclerie-du-val.example", "Collecte et revalorisation.", "94000", "Créteil"
			c.AddressLine1, c.Longitude, c.Latitude = "3 rue de la Gare", &lon, &lat
		})
		day := func(y int) time.Time { return time.Date(y, 1, 1, 9, 0, 0, 0, time.UTC) }
		f.member(val, "Paul", "Durand", "paul.durand@recyclerie-du-val.example", day(2021), true, true, true)
		f.member(val, "Claire", "Petit", "claire.petit@recyclerie-du-val.example", day(2023), true, true, true) // M3
		f.member(val, "Zoé", "Leroy", "zoe@example.org", day(2025), false, true, true)
		status, body := f.get("/api/v1/marche/", f.marcheKey)
		if status != http.StatusOK {
			t.Fatalf("%d %s", status, body)
		}
		golden(t, d, "testdata/marche.golden.json", body)

		// M2, M4: no convention, no admin to report.
		geiq := f.company(org.GEIQ, "40000000000001", org.SourceGEIQ, nil, nil)
		f.member(geiq, "Ina", "Ctive", "inactive-user@example.org", day(2024), true, true, false)
		f.member(geiq, "Ex", "Admin", "ex-admin@example.org", day(2024), false, false, true)
		f.member(geiq, "Non", "Admin", "member@example.org", day(2025), false, true, true)
		// M5: a 999dd antenna without parent gets its SIREN, with one its parent's SIRET.
		orphanConv := f.convention(org.EI, "30000000000001", true)
		orphan := f.company(org.EI, "30000000099991", org.SourceUserCreated, orphanConv, nil)
		parentConv := f.convention(org.EI, "10000000000001", false)
		f.company(org.EI, "10000000000001", org.SourceASP, parentConv, nil)
		antenna := f.company(org.EI, "10000000099991", org.SourceUserCreated, parentConv, nil)
		ea := f.company(org.EA, "70000000000001", org.SourceEAEATT, nil, nil)

		p := page[MarcheCompany](f, "/api/v1/marche/?page_size=100", f.marcheKey)
		byID := map[int64]MarcheCompany{}
		for i, c := range p.Results {
			if i > 0 && c.ID <= p.Results[i-1].ID {
				t.Errorf("not by id: %d after %d", c.ID, p.Results[i-1].ID)
			}
			byID[c.ID] = c
		}
		if _, ok := byID[reserved.ID]; ok || p.Count != 6 {
			t.Errorf("count %d (the holder listed: %v)", p.Count, ok)
		}
		if g := byID[geiq.ID]; g.ConventionIsActive != nil || g.ConventionASPID != nil || g.AdminName != nil || g.AdminEmail != nil {
			t.Errorf("GEIQ without convention nor admin: %+v", g)
		}
		if got := byID[orphan.ID].SIRET; got != "300000000" {
			t.Errorf("antenna without parent: %q", got)
		}
		if got := byID[antenna.ID]; got.SIRET != "10000000000001" || got.ConventionIsActive == nil || *got.ConventionIsActive {
			t.Errorf("antenna with a parent: %+v", got)
		}
		if _, ok := byID[ea.ID]; !ok {
			t.Error("the EA is not listed")
		}
		if small, large := f.statements("/api/v1/marche/?page_size=1", f.marcheKey),
			f.statements("/api/v1/marche/?page_size=50", f.marcheKey); small != large {
			t.Errorf("%d statements for a page of 1, %d for a page of 50", small, large)
		}
	})
}
