package search_test

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
	"emplois/internal/search"
	"emplois/internal/web/webtest"
)

// Communes of the demo extract (internal/geo/demo) the search tests place organizations in.
const (
	lyonINSEE         = "69123"
	villeurbanneINSEE = "69266"
	saintEtienneINSEE = "42218"
	lilleINSEE        = "59350"
)

// newSearchSite serves a site whose database holds the demo reference data: companies and
// prescriber organizations are placed at its communes (their coordinates are the commune's centre).
func newSearchSite(t *testing.T, d *db.DB) *webtest.Site {
	t.Helper()
	if err := reference.LoadDemo(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return webtest.New(t, d)
}

// ficheOf stores an open fiche de poste (agent de propreté, CDD insertion) of the company.
func ficheOf(t testing.TB, site *webtest.Site, co *org.Company, title string) *jobdesc.JobDescription {
	t.Helper()
	now := time.Now().UTC()
	jd := &jobdesc.JobDescription{UID: uuid.NewString(), CompanyID: co.ID, AppellationCode: "10688", CustomName: title,
		ContractType: jobdesc.FixedTermI, OpenPositions: 2, IsActive: true, CreatedAt: now, UpdatedAt: now,
		LastEmployerUpdateAt: now, CreationSource: jobdesc.Manually}
	if _, err := site.DB.NewInsert().Model(jd).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	return jd
}

func TestSearchPages_ShowTheEmptyFormWithoutACity(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		b := site.Browser()
		for path, heading := range map[string]string{"/search/employers": "Rechercher un emploi inclusif",
			"/search/job-descriptions": "Rechercher un emploi inclusif", "/search/prescribers": "Rechercher un prescripteur"} {
			res := b.Get(path)
			webtest.WantStatus(t, res, http.StatusOK)
			webtest.WantBody(t, res, "<h1>"+heading+"</h1>", `name="city_name"`, `name="city"`, `<option value="2">2 km</option>`,
				`hx-get="/autocomplete/cities"`, `id="search-results"`, `<p id="search-status" class="fr-sr-only" role="status"></p>`)
			webtest.WantNoBody(t, res, "fr-alert")
		}
		webtest.WantBody(t, b.Get("/search/employers"), `<option value="25" selected>25 km</option>`)
		webtest.WantBody(t, b.Get("/search/prescribers"), `<option value="5" selected>5 km</option>`)
	})
}

func TestSearchEmployersPage_ListsCompaniesWithDistanceFichesAndBothCounts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		lyon := site.CompanyAt(org.ACI, "Jardins de Lyon", lyonINSEE)
		ficheOf(t, site, lyon, "Maraîcher")
		villeurbanne := site.CompanyAt(org.EI, "Propreté Villeurbanne", villeurbanneINSEE)
		site.Services.Orgs.SetJobApplicationsBlocked(t.Context(), actor.Actor{Kind: actor.Staff}, villeurbanne.UID, true)
		site.CompanyAt(org.EI, "Loin d'ici", lilleINSEE)

		res := site.Browser().Get("/search/employers?city=69123&distance=10")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Jardins de Lyon", template.HTMLEscapeString("Atelier chantier d'insertion"), "à moins de 100 m",
			"Propreté Villeurbanne", "à 4,5 km", "Ne recrute pas via la plateforme",
			`href="/company/`+lyon.UID+`/card"`, "Maraîcher", `href="/search/job-descriptions?city=69123&amp;distance=10"`,
			"Employeurs (2)", "Fiches de poste (1)", "2 employeurs à 10 km maximum de Lyon (69)",
			`value="Lyon (69)"`, `value="69123"`, `<option value="10" selected>10 km</option>`,
			`id="kind-aci" name="kinds" value="ACI"`, "Rhône (69) (2)")
		webtest.WantNoBody(t, res, template.HTMLEscapeString("Loin d'ici"))

		fiches := site.Browser().Get("/search/job-descriptions?city=69123&distance=10")
		webtest.WantStatus(t, fiches, http.StatusOK)
		webtest.WantBody(t, fiches, "Maraîcher", "CDD insertion", "2 postes ouverts", "Jardins de Lyon", "1 fiche de poste à 10 km maximum",
			"Employeurs (2)", "Fiches de poste (1)", "F – Construction", `id="contract-fixed_term_i"`)
	})
}

func TestSearchPages_FilterOnKindAndKeepTheFiltersInPageLinks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		for i := 0; i < 12; i++ {
			site.CompanyAt(org.ACI, fmt.Sprintf("Atelier %02d", i), lyonINSEE)
		}
		site.CompanyAt(org.GEIQ, "Compagnons du Rhône", lyonINSEE)
		b := site.Browser()
		res := b.Get("/search/employers?city=69123&kinds=ACI")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "12 employeurs", `href="/search/employers?city=69123&amp;distance=25&amp;kinds=ACI&amp;page=2"`, `value="ACI" checked`)
		webtest.WantNoBody(t, res, "Compagnons du Rhône")
		res = b.Get("/search/employers?city=69123&kinds=ACI&page=2")
		webtest.WantStatus(t, res, http.StatusOK)
		if n := strings.Count(res.Body, `class="fr-card fr-card--sm`); n != 2 {
			t.Errorf("page 2 shows %d cards", n)
		}
	})
}

func TestSearchEmployersPage_ListsFiveFichesOnACardAndLinksToTheRest(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		co := site.CompanyAt(org.ACI, "Jardins de Lyon", lyonINSEE)
		for i := range 7 {
			ficheOf(t, site, co, fmt.Sprintf("Métier %d", i+1))
		}
		res := site.Browser().Get("/search/employers?city=69123")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "7 fiches de poste ouvertes :", `href="/company/`+co.UID+`/card#recrutements">Voir les 7 fiches de poste ouvertes`)
		if n := strings.Count(res.Body, ">Métier "); n != 5 {
			t.Errorf("%d fiches listed on the card, want 5", n)
		}
	})
}

// The result cards are rendered once per version of the search index: a change shows at the
// next search, with the distance of that search.
func TestSearchPages_CardsFollowEveryChange(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		co := site.CompanyAt(org.ACI, "Jardins de Lyon", lyonINSEE)
		jd := ficheOf(t, site, co, "Maraîcher")
		b := site.Browser()
		webtest.WantBody(t, b.Get("/search/employers?city=69123"), "Jardins de Lyon", "Maraîcher", "à moins de 100 m")
		webtest.WantBody(t, b.Get("/search/job-descriptions?city=69123"), "Maraîcher", "Jardins de Lyon")
		webtest.WantBody(t, b.Get("/search/employers?city="+villeurbanneINSEE), "Jardins de Lyon", "à 4,5 km")

		for _, stmt := range []string{"UPDATE company SET name = 'Vergers de Lyon' WHERE id = ?", "UPDATE job_description SET custom_name = 'Arboriculteur' WHERE company_id = ?"} {
			if _, err := d.NewRaw(stmt, co.ID).Exec(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
		res := b.Get("/search/employers?city=69123")
		webtest.WantBody(t, res, "Vergers de Lyon", "Arboriculteur")
		webtest.WantNoBody(t, res, "Jardins de Lyon", "Maraîcher")
		res = b.Get("/search/job-descriptions?city=69123")
		webtest.WantBody(t, res, "Arboriculteur", "Vergers de Lyon", `href="/company/job_description/`+jd.UID+`/card"`)
		webtest.WantNoBody(t, res, "Maraîcher")
	})
}

func TestSearchPages_OfferTheArrondissementsOfLyon(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		site.CompanyAt(org.ACI, "Atelier du 1er", "69381")
		site.CompanyAt(org.ACI, "Atelier du 3e", "69383")
		site.CompanyAt(org.ACI, "Atelier de Villeurbanne", villeurbanneINSEE)
		b := site.Browser()
		res := b.Get("/search/employers?city=69123")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Arrondissement", `name="districts" value="69001"`, "1er arrondissement (69001) (1)",
			"3e arrondissement (69003) (1)", "3 employeurs")
		res = b.Get("/search/employers?city=69123&districts=69003")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Atelier du 3e", `value="69003" checked`, "1 employeur à 25 km", `href="/search/job-descriptions?city=69123&amp;distance=25&amp;districts=69003"`)
		webtest.WantNoBody(t, res, "Atelier du 1er", "Atelier de Villeurbanne")
		res = b.Get("/search/employers?city=" + villeurbanneINSEE + "&districts=69003")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "3 employeurs")
		webtest.WantNoBody(t, res, `name="districts"`)
	})
}

func TestSearchPages_AnswerBadInputWithAFrenchMessageNeverA500(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		site.CompanyAt(org.ACI, "Atelier", lyonINSEE)
		site.Prescriber(org.ML, "Mission locale", true)
		tests := []struct {
			query  string
			status int
			says   string
		}{
			{"city=99999", http.StatusBadRequest, search.MsgUnknownCity},
			{"city_name=Atlantide", http.StatusBadRequest, search.MsgUnknownCity},
			{"city=" + url.QueryEscape("<script>alert(1)</script>"), http.StatusBadRequest, search.MsgUnknownCity},
			{"city_name=" + strings.Repeat("a", 300), http.StatusBadRequest, search.MsgUnknownCity},
			{"city=69123&distance=0", http.StatusBadRequest, search.MsgDistance},
			{"city=69123&distance=500", http.StatusBadRequest, search.MsgDistance},
			{"city=69123&distance=abc", http.StatusBadRequest, search.MsgDistance},
			{"city=69123&page=-1", http.StatusOK, search.MsgPage},
			{"city=69123&page=0", http.StatusOK, search.MsgPage},
			{"city=69123&page=abc", http.StatusOK, search.MsgPage},
			{"city=69123&page=99", http.StatusOK, search.MsgPageBeyondEnd},
			{"city=69123&page=99999999999999999999999", http.StatusOK, search.MsgPageBeyondEnd},
			{"city=69123&kinds=XYZ&departments=../../&contract_types=nope&domains=Z", http.StatusOK, search.MsgFiltersIgnored},
			{"city=69123&company=" + strings.Repeat("x", 100), http.StatusOK, search.MsgFiltersIgnored},
			{"city=69123&o=%ff%fe", http.StatusOK, "Lyon (69)"},
		}
		b := site.Browser()
		for _, path := range []string{"/search/employers", "/search/job-descriptions", "/search/prescribers"} {
			for _, tt := range tests {
				if path == "/search/prescribers" && strings.Contains(tt.query, "kinds") {
					continue // the prescriber search has no filters to ignore
				}
				res := b.Get(path + "?" + tt.query)
				if res.StatusCode != tt.status {
					t.Errorf("%s?%s: status %d, want %d", path, tt.query, res.StatusCode, tt.status)
				}
				if !strings.Contains(res.Body, template.HTMLEscapeString(tt.says)) {
					t.Errorf("%s?%s: no %q", path, tt.query, tt.says)
				}
				if tt.status == http.StatusBadRequest && !strings.Contains(res.Body, `aria-invalid="true"`) {
					t.Errorf("%s?%s: the field in error is not marked", path, tt.query)
				}
			}
		}
	})
}

func TestSearchPages_AcceptACityTypedWithoutJavaScript(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		site.CompanyAt(org.ACI, "Atelier", lyonINSEE)
		b := site.Browser()
		for _, typed := range []string{"Lyon (69)", "lyon", "69123"} {
			res := b.Get("/search/employers?" + url.Values{"city_name": {typed}, "city": {""}, "distance": {"25"}}.Encode())
			webtest.WantStatus(t, res, http.StatusOK)
			webtest.WantBody(t, res, "1 employeur à 25 km maximum de Lyon (69)", `value="69123"`)
		}
	})
}

func TestSearchPages_AnswerHTMXWithTheFormItsTitleAndTheCountForTheLiveRegion(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		site.CompanyAt(org.ACI, "Atelier", lyonINSEE)
		b := site.Browser()
		res := b.GetHTMX("/search/employers?city=69123&distance=50&kinds=ACI")
		webtest.WantStatus(t, res, http.StatusOK)
		summary := "1 employeur à 50 km maximum de Lyon (69)"
		if !strings.HasPrefix(res.Body, "<title>"+summary+" - Les emplois de l'inclusion</title>") {
			t.Errorf("the answer does not start with the new title:\n%.200s", res.Body)
		}
		webtest.WantBody(t, res, "Atelier", "Employeurs (1)", `id="search-form"`, `hx-swap="outerHTML"`,
			`<p id="search-status" hx-swap-oob="innerHTML">`+summary+`</p>`)
		webtest.WantNoBody(t, res, "<html", "<h1>")
		// htmx swaps only successful answers: an input error comes as a 200 form, its title, field
		// and summary saying so; the summary takes the focus and links to the field.
		res = b.GetHTMX("/search/employers?city=99999")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "<title>Erreur : ", template.HTMLEscapeString(search.MsgUnknownCity), `aria-invalid="true"`,
			`aria-describedby="id_city_name_hint id_city_name_error"`, `id="error-summary" tabindex="-1" autofocus`,
			`<a href="#id_city_name">`+template.HTMLEscapeString(search.MsgUnknownCity)+`</a>`)
		webtest.WantNoBody(t, res, "<html")
		// A history restore wants the whole page.
		req, _ := http.NewRequest(http.MethodGet, site.URL+"/search/employers?city=69123", nil)
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-History-Restore-Request", "true")
		webtest.WantBody(t, b.Do(req), "<html", "<h1>")
	})
}

func TestSearchPrescribersPage_ListsHabilitatedOrganizationsWithACard(t *testing.T) {
	// actors.md §22 scenario 33: 5 km by default, habilitated organizations only.
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d) // site.Prescriber places organizations at Lille
		ok := site.Prescriber(org.ML, "Mission locale de Lille", true)
		pending := site.Prescriber(org.CCAS, "CCAS en attente", false)
		b := site.Browser()
		res := b.Get("/search/prescribers?city=" + lilleINSEE)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Mission locale de Lille", "1 organisation prescriptrice habilitée à 5 km maximum de Lille (59)",
			`href="/prescribers/`+ok.UID+`/card"`, "1 rue B, 59000 Lille")
		webtest.WantNoBody(t, res, "CCAS en attente")

		card := b.Get("/prescribers/" + ok.UID + "/card")
		webtest.WantStatus(t, card, http.StatusOK)
		webtest.WantBody(t, card, "<h1>Mission locale de Lille</h1>", "Prescripteur habilité", `href="/search/prescribers?city=59350"`)
		webtest.WantStatus(t, b.Get("/prescribers/"+pending.UID+"/card"), http.StatusNotFound)
		webtest.WantStatus(t, b.Get("/prescribers/inconnue/card"), http.StatusNotFound)
	})
}

func TestSearchPages_RunAsManyQueriesForOneOrTenResults(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		counter := &webtest.QueryCounter{}
		site := newSearchSite(t, &db.DB{DB: d.DB.WithQueryHook(counter), Engine: d.Engine})
		one := site.CompanyAt(org.ACI, "Seule", lilleINSEE)
		ficheOf(t, site, one, "Poste")
		site.Prescriber(org.ML, "Prescripteur", true) // at Lille
		for i := 0; i < 12; i++ {
			co := site.CompanyAt(org.ACI, fmt.Sprintf("Atelier %d", i), saintEtienneINSEE)
			site.Member(org.TypeCompany, co.ID, fmt.Sprintf("m%d@example.org", i), "M", "N")
			ficheOf(t, site, co, "Poste A")
			ficheOf(t, site, co, "Poste B")
		}
		for i := 0; i < 11; i++ {
			po := site.Prescriber(org.ML, fmt.Sprintf("ML %d", i), true)
			if _, err := d.NewRaw("UPDATE prescriber_organization SET latitude = 45.4241, longitude = 4.3665 WHERE id = ?", po.ID).Exec(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
		b := site.Browser()
		count := func(path string) int64 {
			before := counter.Count()
			webtest.WantStatus(t, b.Get(path), http.StatusOK)
			return counter.Count() - before
		}
		for _, path := range []string{"/search/employers", "/search/job-descriptions", "/search/prescribers"} {
			count(path + "?city=" + lilleINSEE) // warm the session and the département names
			small := count(path + "?city=" + lilleINSEE)
			big := count(path + "?city=" + saintEtienneINSEE)
			if small != big {
				t.Errorf("%s: %d queries for 1 result, %d for 10", path, small, big)
			}
			t.Logf("%s: %d queries per page", path, big)
		}
		res := b.Get("/search/employers?city=" + saintEtienneINSEE)
		if n := strings.Count(res.Body, `class="fr-card fr-card--sm`); n != 10 {
			t.Errorf("%d cards on the first page", n)
		}
	})
}

func TestMainMenu_OffersTheSearchPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		res := site.Browser().Get("/")
		webtest.WantBody(t, res, `href="/search/employers"`, "Rechercher un emploi inclusif", `href="/search/prescribers"`,
			"Rechercher un prescripteur", `action="/search/employers"`)
		webtest.WantBody(t, site.Browser().Get("/search/prescribers"), `aria-current="page"`)
	})
}

// Accessibility audit (issue 8, part 6): the count of results and the live region.
func TestSearchResults_CountIsAPlainHeadingAndOneLiveRegionSitsOutsideTheSwappedForm(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		site.Prescriber(org.ML, "Mission locale de Lille", true)
		for _, path := range []string{"/search/prescribers?city=" + lilleINSEE, "/search/employers?city=" + lilleINSEE} {
			res := site.Browser().Get(path)
			webtest.WantStatus(t, res, http.StatusOK)
			webtest.WantBody(t, res, `<h2 class="fr-h4" id="search-summary" tabindex="-1" data-swap-focus>`)
			if strings.Count(res.Body, `role="status"`) != 1 {
				t.Errorf("%s: %d live regions, want the one of the count", path, strings.Count(res.Body, `role="status"`))
			}
			if strings.Index(res.Body, `id="search-status"`) < strings.Index(res.Body, "</form>") {
				t.Errorf("%s: the live region is inside the form htmx swaps", path)
			}
		}
	})
}
