package api

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"emplois/internal/directory"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
	"emplois/internal/search"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/")

// siaesFixture serves the handler over a database holding the demo reference data.
type siaesFixture struct {
	t   *testing.T
	d   *db.DB
	h   *Siaes
	seq int
}

func newSiaesFixture(t *testing.T, d *db.DB) *siaesFixture {
	t.Helper()
	if err := reference.LoadDemo(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://emplois.example.org")
	return &siaesFixture{t: t, d: d, h: NewSiaes(directory.NewService(d, search.NewService(d)), base,
		slog.New(slog.NewTextHandler(io.Discard, nil)))}
}

// get calls the handler and returns the status and the body.
func (f *siaesFixture) get(query string) (int, string) {
	f.t.Helper()
	rec := httptest.NewRecorder()
	f.h.ListHandler(rec, httptest.NewRequest(http.MethodGet, "/api/v1/siaes/?"+query, nil))
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		f.t.Errorf("Content-Type %q", ct)
	}
	return rec.Code, rec.Body.String()
}

func (f *siaesFixture) page(query string) SiaePage {
	f.t.Helper()
	status, body := f.get(query)
	if status != http.StatusOK {
		f.t.Fatalf("%s: %d %s", query, status, body)
	}
	var p SiaePage
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		f.t.Fatal(err)
	}
	return p
}

var (
	created = time.Date(2024, 1, 15, 9, 30, 0, 0, time.UTC)          // winter: +01:00 in Paris
	updated = time.Date(2026, 6, 20, 8, 12, 45, 123456789, time.UTC) // summer: +02:00
	later   = time.Date(2026, 6, 21, 10, 0, 0, 0, time.UTC)
)

// company stores a company at Lyon's centre with a fixed uid; SIAE get a convention.
func (f *siaesFixture) company(uid string, kind org.CompanyKind, change func(*org.Company), conventionActive bool) *org.Company {
	f.t.Helper()
	f.seq++
	lat, lon := 45.758, 4.8351
	co := &org.Company{UID: uid, SIRET: fmt.Sprintf("123456789%05d", f.seq), Kind: kind, Name: fmt.Sprintf("Structure %02d", f.seq),
		Source: org.SourceASP, IsSearchable: true, Department: "69", CreatedAt: created, UpdatedAt: updated,
		Address: org.Address{CityName: "Lyon", PostCode: "69003", CommuneCode: "69123", Latitude: &lat, Longitude: &lon}}
	if !kind.IsSIAE() {
		co.Source = org.SourceStaffCreated
	}
	if change != nil {
		change(co)
	}
	if kind.IsSIAE() {
		conv := &org.Convention{Kind: kind, SiretSignature: co.SIRET, IsActive: conventionActive, ASPID: int64(f.seq), CreatedAt: created, UpdatedAt: created}
		if _, err := f.d.NewInsert().Model(conv).Exec(context.Background()); err != nil {
			f.t.Fatal(err)
		}
		co.ConventionID = &conv.ID
	}
	if _, err := f.d.NewInsert().Model(co).Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return co
}

func (f *siaesFixture) fiche(uid string, co *org.Company, change func(*jobdesc.JobDescription)) {
	f.t.Helper()
	j := &jobdesc.JobDescription{UID: uid, CompanyID: co.ID, AppellationCode: "10688", ContractType: jobdesc.FixedTermI,
		OpenPositions: 1, IsActive: true, CreatedAt: created, UpdatedAt: updated, LastEmployerUpdateAt: updated,
		CreationSource: jobdesc.Manually}
	if change != nil {
		change(j)
	}
	if _, err := f.d.NewInsert().Model(j).Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

// The golden file is the contract with partners: every field name, type and format of the
// original API, on a tiny data set. Regenerate with: go test ./internal/api/ -run Golden -update
func TestSiaes_AnswersTheOriginalsFieldsAndFormats_Golden(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newSiaesFixture(t, d)
		aci := f.company("aaaaaaaa-0000-4000-8000-000000000001", org.ACI, func(c *org.Company) {
			c.Name, c.Brand = "Association Les Jardins de Lyon", "Les Jardins"
			c.Phone, c.Email, c.Website = "0478000000", "contact@jardins.example", "https://jardins.example"
			c.Description = "Maraîchage & espaces verts <bio>"
			c.AddressLine1, c.AddressLine2 = "12 rue de la Paix", "Bâtiment B"
		}, true)
		f.fiche("bbbbbbbb-0000-4000-8000-000000000001", aci, func(j *jobdesc.JobDescription) {
			j.LocationCode, j.CustomName, j.UpdatedAt = "69266", "Agent de propreté (H/F)", later
			j.Description, j.ProfileDescription, j.OpenPositions = "Entretien des locaux.", "Ponctualité.", 3
		})
		f.fiche("bbbbbbbb-0000-4000-8000-000000000002", aci, func(j *jobdesc.JobDescription) {
			j.AppellationCode, j.ContractType, j.OtherContractType = "11453", jobdesc.Other, "Contrat saisonnier"
		})
		f.fiche("bbbbbbbb-0000-4000-8000-000000000003", aci, func(j *jobdesc.JobDescription) { j.IsActive = false })
		// An inactive SIAE that blocks applications, without brand nor fiche: listed, flagged.
		f.company("aaaaaaaa-0000-4000-8000-000000000002", org.EI, func(c *org.Company) {
			c.Name, c.BlockJobApplications = "Bâtir Ensemble", true
		}, false)
		f.company("aaaaaaaa-0000-4000-8000-000000000003", org.EA, nil, false)
		f.company("aaaaaaaa-0000-4000-8000-000000000004", org.Reserved, nil, false)

		status, body := f.get("code_insee=69123&distance_max_km=10")
		if status != http.StatusOK {
			t.Fatalf("%d %s", status, body)
		}
		golden(t, d, "testdata/siaes_lyon.golden.json", body)
	})
}

func TestSiaes_RefusesBadParametersWithTheOriginalsBodies(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newSiaesFixture(t, d)
		f.company("aaaaaaaa-0000-4000-8000-000000000001", org.ACI, nil, true)
		for _, tc := range []struct {
			query  string
			status int
			body   string
		}{
			{"", 400, `["Les paramètres ` + "`code_insee` et `distance_max_km` sont obligatoires si ni `departement` ni `postes_dans_le_departement` ne sont spécifiés." + `"]`},
			{"code_insee=12345&distance_max_km=10", 404, `{"detail":"Pas de ville avec pour code_insee 12345"}`},
			{"code_insee=69123&distance_max_km=500", 400, `{"distance_max_km":["Assurez-vous que cette valeur est inférieure ou égale à 100."]}`},
			{"code_insee=69123&distance_max_km=0x1p4", 400, `{"distance_max_km":["Saisissez un nombre."]}`},
			{"code_insee=69123&distance_max_km=-1", 400, `{"distance_max_km":["Assurez-vous que cette valeur est supérieure ou égale à 0."]}`},
			// Every parameter's errors at once, in the order of the original's filters.
			{"o=x&distance_max_km=abc&departement=999", 400, `{"o":["Sélectionnez un choix valide. x n’en fait pas partie."],"distance_max_km":["Saisissez un nombre."],"departement":["Sélectionnez un choix valide. 999 n’en fait pas partie."]}`},
			// 75 is well formed, but not a département of the reference data.
			{"departement=75", 400, `{"departement":["Sélectionnez un choix valide. 75 n’en fait pas partie."]}`},
			{"departement=69&postes_dans_le_departement=75", 400, `{"postes_dans_le_departement":["Sélectionnez un choix valide. 75 n’en fait pas partie."]}`},
			{"departement=69&page=2", 404, `{"detail":"Page non valide."}`},
			{"departement=69&page=-1", 404, `{"detail":"Page non valide."}`},
			{"departement=69&page=922337203685477581", 404, `{"detail":"Page non valide."}`}, // panicked (issue 8)
			{"departement=69&page_size=1000&page=9223372036854775807", 404, `{"detail":"Page non valide."}`},
			{"departement=69&o=n%27importe+quoi", 400, `{"o":["Sélectionnez un choix valide. n'importe quoi n’en fait pas partie."]}`},
		} {
			status, body := f.get(tc.query)
			if status != tc.status || body != tc.body+"\n" {
				t.Errorf("%q: %d %s\nwant %d %s", tc.query, status, body, tc.status, tc.body)
			}
		}
	})
}

func TestSiaes_PagesWithAbsoluteLinksKeepingTheQuery(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newSiaesFixture(t, d)
		for i := 1; i <= 45; i++ {
			f.company(fmt.Sprintf("aaaaaaaa-0000-4000-8000-%012d", i), org.ACI, nil, true)
		}
		str := func(s *string) string {
			if s == nil {
				return "null"
			}
			return *s
		}
		for _, tc := range []struct {
			query          string
			count, results int
			next, previous string
		}{
			{"departement=69", 45, 20, "https://emplois.example.org/api/v1/siaes/?departement=69&page=2", "null"},
			{"departement=69&page=2", 45, 20, "https://emplois.example.org/api/v1/siaes/?departement=69&page=3",
				"https://emplois.example.org/api/v1/siaes/?departement=69"},
			{"page=3&departement=69", 45, 5, "null", "https://emplois.example.org/api/v1/siaes/?departement=69&page=2"},
			{"departement=69&page=last&page_size=40", 45, 5, "null", "https://emplois.example.org/api/v1/siaes/?departement=69&page_size=40"},
			{"o=-siret&departement=69&page_size=10&page=2", 45, 10,
				"https://emplois.example.org/api/v1/siaes/?departement=69&o=-siret&page=3&page_size=10",
				"https://emplois.example.org/api/v1/siaes/?departement=69&o=-siret&page_size=10"},
			{"departement=69&page_size=500", 45, 45, "null", "null"},
			{"departement=13", 0, 0, "null", "null"},
		} {
			p := f.page(tc.query)
			if p.Count != tc.count || len(p.Results) != tc.results || str(p.Next) != tc.next || str(p.Previous) != tc.previous {
				t.Errorf("%s: count %d, %d results, next %s, previous %s\nwant %d, %d, %s, %s", tc.query, p.Count, len(p.Results),
					str(p.Next), str(p.Previous), tc.count, tc.results, tc.next, tc.previous)
			}
		}
		// Following next from the first page visits every company once, in creation order.
		seen := map[string]bool{}
		q := "departement=69&page_size=20"
		for q != "" {
			p := f.page(q)
			for _, s := range p.Results {
				if seen[s.ID] {
					t.Fatalf("%s seen twice", s.ID)
				}
				seen[s.ID] = true
			}
			q = ""
			if p.Next != nil {
				u, _ := url.Parse(*p.Next)
				q = u.RawQuery
			}
		}
		if len(seen) != 45 {
			t.Errorf("%d companies visited, want 45", len(seen))
		}
	})
}

func TestSiaes_OrdersOnTheRequestedCriteria(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newSiaesFixture(t, d)
		f.company("aaaaaaaa-0000-4000-8000-000000000001", org.GEIQ, func(c *org.Company) { c.Name = "Bâtir" }, true)
		f.company("aaaaaaaa-0000-4000-8000-000000000002", org.ACI, func(c *org.Company) { c.Name, c.BlockJobApplications = "Avenir", true }, true)
		f.company("aaaaaaaa-0000-4000-8000-000000000003", org.EI, func(c *org.Company) { c.Name = "Chantiers" }, true)
		names := func(query string) string {
			var out []string
			for _, s := range f.page(query).Results {
				out = append(out, s.RaisonSociale)
			}
			return fmt.Sprint(out)
		}
		for query, want := range map[string]string{
			"departement=69":                             "[Bâtir Avenir Chantiers]",
			"departement=69&o=raison_sociale":            "[Avenir Bâtir Chantiers]",
			"departement=69&o=-raison_sociale":           "[Chantiers Bâtir Avenir]",
			"departement=69&o=type":                      "[Avenir Chantiers Bâtir]",
			"departement=69&o=-bloque_candidatures":      "[Avenir Bâtir Chantiers]",
			"departement=69&o=bloque_candidatures,-type": "[Bâtir Chantiers Avenir]",
		} {
			if got := names(query); got != want {
				t.Errorf("%s: %s, want %s", query, got, want)
			}
		}
	})
}

// A company's listing is encoded once per version of the data: any change shows in the next
// call, the ROME label of its fiches and their commune included.
func TestSiaes_ShowEveryChangeAtTheNextCall(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newSiaesFixture(t, d)
		co := f.company("00000000-0000-0000-0000-00000000000a", org.ACI, nil, true)
		f.fiche("00000000-0000-0000-0000-0000000000f1", co, func(j *jobdesc.JobDescription) { j.LocationCode = "69266" })
		if p := f.page("departement=69"); len(p.Results) != 1 || p.Results[0].RaisonSociale != co.Name {
			t.Fatalf("before: %+v", p)
		}
		for _, stmt := range []string{
			"UPDATE company SET name = 'Nouveau nom' WHERE uid = '00000000-0000-0000-0000-00000000000a'",
			"UPDATE rome_code SET label = 'Propreté urbaine' WHERE code = 'K2204'",
			"UPDATE commune SET name = 'Villeurbanne-Centre' WHERE insee_code = '69266'",
		} {
			if _, err := d.NewRaw(stmt).Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		p := f.page("departement=69")
		if len(p.Results) != 1 || p.Results[0].RaisonSociale != "Nouveau nom" {
			t.Fatalf("after: %+v", p)
		}
		poste := p.Results[0].Postes[0]
		if poste.Rome != "Propreté urbaine (K2204)" || poste.Lieu == nil || poste.Lieu.Nom != "Villeurbanne-Centre" {
			t.Errorf("poste after the changes: %+v, lieu %+v", poste, poste.Lieu)
		}
	})
}
