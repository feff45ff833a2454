package api

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// Credentials and parameters (DI1): only a data·inclusion service token, and a type.
func TestDataInclusion_RefusesOtherCredentialsAndBadTypes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newPartnersFixture(t, d)
		for _, c := range []struct {
			name, path, key string
			status          int
			body            string
		}{
			{"no token", "/api/v1/data-inclusion/?type=siae", "", 401, `{"detail":"Informations d'authentification non fournies."}`},
			{"unknown key", "/api/v1/data-inclusion/?type=siae", "nope", 401, `{"detail":"Informations d'authentification non fournies."}`},
			{"Dora's token", "/api/v1/data-inclusion/?type=siae", f.doraKey, 403, `{"detail":"Vous n'avez pas la permission d'effectuer cette action."}`},
			{"Marché's token", "/api/v1/data-inclusion/?type=siae", f.marcheKey, 403, `{"detail":"Vous n'avez pas la permission d'effectuer cette action."}`},
			{"no type", "/api/v1/data-inclusion/", f.dataInclusionKey, 400, "[\"Le paramètre `type` est obligatoire.\"]"},
			{"other type", "/api/v1/data-inclusion/?type=geiq", f.dataInclusionKey, 400, "[\"La valeur du paramètre `type` doit être `siae` ou `orga`.\"]"},
			{"page beyond the last", "/api/v1/data-inclusion/?type=orga&page=2", f.dataInclusionKey, 404, `{"detail":"Page non valide."}`},
		} {
			status, body := f.get(c.path, c.key)
			if status != c.status || body != c.body+"\n" {
				t.Errorf("%s: %d %s, want %d %s", c.name, status, body, c.status, c.body)
			}
		}
	})
}

// The fields of both types, word for word (api.md §4's example), on a tiny data set.
func TestDataInclusion_AnswersTheOriginalsFields_Golden(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newPartnersFixture(t, d)
		lon, lat := 2.4551, 48.7904
		conv := f.convention(org.ACI, "12345678900012", true)
		f.company(org.ACI, "12345678900012", org.SourceASP, conv, func(c *org.Company) {
			c.Name, c.Brand, c.Phone, c.Email = "ASSOCIATION LE VAL", "Recyclerie du Val", "0145000000", "contact@recyclerie-du-val.example"
			c.Website, c.PostCode, c.CityName, c.AddressLine1 = "https://recyclerie-du-val.example", "94000", "Créteil", "3 rue de la Gare"
			c.Longitude, c.Latitude = &lon, &lat
			c.UpdatedAt = c.UpdatedAt.AddDate(2, 1, 17).Add(123456 * 1000)
		})
		status, body := f.get("/api/v1/data-inclusion/?type=siae", f.dataInclusionKey)
		if status != http.StatusOK {
			t.Fatalf("%d %s", status, body)
		}
		golden(t, d, "testdata/data_inclusion_siae.golden.json", body)

		authorized := prescriber(t, f, org.ML, org.AuthorizationValidated)
		prescriber(t, f, org.Orienteur, org.AuthorizationNotSet)
		p := page[Structure](f, "/api/v1/data-inclusion/?type=orga", f.dataInclusionKey)
		if p.Count != 2 || p.Results[0].ID != authorized.UID {
			t.Fatalf("orga: %+v", p)
		}
		// DI5: the card of an authorized organization only.
		if got := p.Results[0].LienSource; got == nil || *got != "https://emplois.example.org/prescribers/"+authorized.UID+"/card" {
			t.Errorf("lien_source of the authorized organization: %v", got)
		}
		if p.Results[1].LienSource != nil || p.Results[1].Kind != "Orienteur" {
			t.Errorf("other organization: %+v", p.Results[1])
		}
		// DI5: date_maj follows an edit.
		edited := authorized.UpdatedAt.AddDate(0, 0, 1)
		if _, err := f.d.NewUpdate().Model(authorized).Set("description = ?, updated_at = ?", "Nouvelle description", edited).WherePK().Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		p = page[Structure](f, "/api/v1/data-inclusion/?type=orga", f.dataInclusionKey)
		if got := p.Results[0]; got.DateMaj != isoTime(edited) || got.Description != "Nouvelle description" {
			t.Errorf("after the edit: %+v", got)
		}
	})
}

func prescriber(t *testing.T, f *partnersFixture, kind org.PrescriberKind, status org.AuthorizationStatus) *org.PrescriberOrganization {
	t.Helper()
	f.seq++
	p := &org.PrescriberOrganization{UID: "7614fc4b-aef9-4694-ab17-" + padded(f.seq), SIRET: "1183257590" + padded(f.seq)[8:], Kind: kind,
		Name: kind.Label(), AuthorizationStatus: status, CreatedAt: partnerCreated.AddDate(0, 0, f.seq), UpdatedAt: partnerCreated.AddDate(0, 0, f.seq)}
	if _, err := f.d.NewInsert().Model(p).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	return p
}

func padded(n int) string { return fmt.Sprintf("%012d", n) }

// Which companies are listed and with which SIRET (DI2–DI4), in a constant number of statements.
func TestDataInclusion_ListsActiveCompaniesWithThePublishableSIRET(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newPartnersFixture(t, d)
		active := f.convention(org.EI, "10000000000001", true)
		parent := f.company(org.EI, "10000000000001", org.SourceASP, active, nil)
		inactive := f.convention(org.EI, "20000000000001", false) // in its grace period: not listed
		f.company(org.EI, "20000000000001", org.SourceASP, inactive, nil)
		own := f.company(org.EI, "10000000000003", org.SourceUserCreated, active, nil)
		antenna := f.company(org.EI, "10000000099991", org.SourceUserCreated, active, nil)
		orphanConv := f.convention(org.ACI, "30000000000001", true)
		orphan := f.company(org.ACI, "30000000099991", org.SourceUserCreated, orphanConv, nil)
		twinConv := f.convention(org.ACI, "10000000000001", true)
		twin := f.company(org.ACI, "10000000000001", org.SourceASP, twinConv, nil) // DI4: same SIRET, other kind
		geiq := f.company(org.GEIQ, "40000000000001", org.SourceGEIQ, nil, nil)
		f.company(org.OPCS, "50000000000001", org.SourceUserCreated, nil, func(c *org.Company) { c.IsSearchable = false })
		f.company(org.Reserved, "60000000000001", org.SourceAdminCreated, nil, nil)
		f.company(org.EA, "70000000000001", org.SourceEAEATT, nil, nil)

		p := page[Structure](f, "/api/v1/data-inclusion/?type=siae&page_size=100", f.dataInclusionKey)
		want := []struct {
			co    *org.Company
			siret string
		}{{parent, "10000000000001"}, {own, "10000000000003"}, {antenna, "10000000000001"}, {orphan, ""},
			{twin, "10000000000001"}, {geiq, "40000000000001"}}
		if p.Count != len(want) || len(p.Results) != len(want) {
			t.Fatalf("count %d, %d results, want %d", p.Count, len(p.Results), len(want))
		}
		for i, w := range want {
			got := p.Results[i]
			siret := ""
			if got.SIRET != nil {
				siret = *got.SIRET
			}
			if got.ID != w.co.UID || siret != w.siret {
				t.Errorf("result %d: %s siret %q, want %s %q", i, got.ID, siret, w.co.UID, w.siret)
			}
		}
		if small, large := f.statements("/api/v1/data-inclusion/?type=siae&page_size=1", f.dataInclusionKey),
			f.statements("/api/v1/data-inclusion/?type=siae&page_size=50", f.dataInclusionKey); small != large {
			t.Errorf("siae: %d statements for a page of 1, %d for a page of 50", small, large)
		}
		prescriber(t, f, org.ML, org.AuthorizationValidated)
		prescriber(t, f, org.CCAS, org.AuthorizationNotSet)
		if small, large := f.statements("/api/v1/data-inclusion/?type=orga&page_size=1", f.dataInclusionKey),
			f.statements("/api/v1/data-inclusion/?type=orga&page_size=50", f.dataInclusionKey); small != large {
			t.Errorf("orga: %d statements for a page of 1, %d for a page of 50", small, large)
		}
	})
}
