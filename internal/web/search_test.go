package web

import (
	"context"
	"fmt"
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
)

// Communes of the demo extract (internal/geo/demo) the search tests place organizations in.
const (
	lyonINSEE         = "69123"
	villeurbanneINSEE = "69266"
	saintEtienneINSEE = "42218"
	lilleINSEE        = "59350"
)

// searchSite is a test site with the demo reference data and helpers that place companies,
// fiches and prescriber organizations at communes (their coordinates are the commune's centre).
type searchSite struct {
	*orgSite
}

func newSearchSite(t *testing.T, d *db.DB) *searchSite {
	t.Helper()
	if err := reference.LoadDemo(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return &searchSite{orgSite: newOrgSite(t, d)}
}

// ficheOf stores an open fiche de poste (agent de propreté, CDD insertion) of the company.
func (ss *searchSite) ficheOf(co *org.Company, title string) *jobdesc.JobDescription {
	ss.t.Helper()
	now := time.Now().UTC()
	jd := &jobdesc.JobDescription{UID: uuid.NewString(), CompanyID: co.ID, AppellationCode: "10688", CustomName: title,
		ContractType: jobdesc.FixedTermI, OpenPositions: 2, IsActive: true, CreatedAt: now, UpdatedAt: now,
		LastEmployerUpdateAt: now, CreationSource: jobdesc.Manually}
	if _, err := ss.DB.NewInsert().Model(jd).Exec(ss.ctx); err != nil {
		ss.t.Fatal(err)
	}
	return jd
}

func (b *testBrowser) getHTMX(path string) *testResponse {
	b.site.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.site.URL+path, nil)
	req.Header.Set("HX-Request", "true")
	return b.do(req)
}

func TestSearchPages_ShowTheEmptyFormWithoutACity(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		b := site.browser()
		for path, heading := range map[string]string{"/search/employers": "Rechercher un emploi inclusif",
			"/search/job-descriptions": "Rechercher un emploi inclusif", "/search/prescribers": "Rechercher un prescripteur"} {
			res := b.get(path)
			wantStatus(t, res, http.StatusOK)
			wantBody(t, res, "<h1>"+heading+"</h1>", `name="city_name"`, `name="city"`, `<option value="2">2 km</option>`,
				`hx-get="/autocomplete/cities"`, `id="search-results"`, `<p id="search-status" class="fr-sr-only" role="status"></p>`)
			wantNoBody(t, res, "fr-alert")
		}
		wantBody(t, b.get("/search/employers"), `<option value="25" selected>25 km</option>`)
		wantBody(t, b.get("/search/prescribers"), `<option value="5" selected>5 km</option>`)
	})
}

func TestSearchEmployersPage_ListsCompaniesWithDistanceFichesAndBothCounts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		lyon := site.companyAt(org.ACI, "Jardins de Lyon", lyonINSEE)
		site.ficheOf(lyon, "Maraîcher")
		villeurbanne := site.companyAt(org.EI, "Propreté Villeurbanne", villeurbanneINSEE)
		site.Server.orgs.SetJobApplicationsBlocked(site.ctx, actor.Actor{Kind: actor.Staff}, villeurbanne.UID, true)
		site.companyAt(org.EI, "Loin d'ici", lilleINSEE)

		res := site.browser().get("/search/employers?city=69123&distance=10")
		wantStatus(t, res, http.StatusOK)
		km := search.DistanceKm(search.Point{Lat: 45.758, Lon: 4.8351}, search.Point{Lat: 45.7719, Lon: 4.8898})
		wantBody(t, res, "Jardins de Lyon", escaped("Atelier chantier d'insertion"), "à moins de 100 m",
			"Propreté Villeurbanne", distanceLabel(km), "Ne recrute pas via la plateforme",
			`href="/company/`+lyon.UID+`/card"`, "Maraîcher", `href="/search/job-descriptions?city=69123&amp;distance=10"`,
			"Employeurs (2)", "Fiches de poste (1)", "2 employeurs à 10 km maximum de Lyon (69)",
			`value="Lyon (69)"`, `value="69123"`, `<option value="10" selected>10 km</option>`,
			`id="kind-aci" name="kinds" value="ACI"`, "Rhône (69) (2)")
		wantNoBody(t, res, escaped("Loin d'ici"))
		if !strings.Contains(distanceLabel(km), ",") {
			t.Errorf("distance label %q has no decimal comma", distanceLabel(km))
		}

		fiches := site.browser().get("/search/job-descriptions?city=69123&distance=10")
		wantStatus(t, fiches, http.StatusOK)
		wantBody(t, fiches, "Maraîcher", "CDD insertion", "2 postes ouverts", "Jardins de Lyon", "1 fiche de poste à 10 km maximum",
			"Employeurs (2)", "Fiches de poste (1)", "F – Construction", `id="contract-fixed_term_i"`)
	})
}

func TestSearchPages_FilterOnKindAndKeepTheFiltersInPageLinks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		for i := 0; i < 12; i++ {
			site.companyAt(org.ACI, fmt.Sprintf("Atelier %02d", i), lyonINSEE)
		}
		site.companyAt(org.GEIQ, "Compagnons du Rhône", lyonINSEE)
		b := site.browser()
		res := b.get("/search/employers?city=69123&kinds=ACI")
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "12 employeurs", `href="/search/employers?city=69123&amp;distance=25&amp;kinds=ACI&amp;page=2"`, `value="ACI" checked`)
		wantNoBody(t, res, "Compagnons du Rhône")
		res = b.get("/search/employers?city=69123&kinds=ACI&page=2")
		wantStatus(t, res, http.StatusOK)
		if n := strings.Count(res.Body, `class="fr-card fr-card--sm`); n != 2 {
			t.Errorf("page 2 shows %d cards", n)
		}
	})
}

func TestSearchEmployersPage_ListsFiveFichesOnACardAndLinksToTheRest(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		co := site.companyAt(org.ACI, "Jardins de Lyon", lyonINSEE)
		for i := range 7 {
			site.ficheOf(co, fmt.Sprintf("Métier %d", i+1))
		}
		res := site.browser().get("/search/employers?city=69123")
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "7 fiches de poste ouvertes :", `href="/company/`+co.UID+`/card#recrutements">Voir les 7 fiches de poste ouvertes`)
		if n := strings.Count(res.Body, ">Métier "); n != maxFichesOnCard {
			t.Errorf("%d fiches listed on the card, want %d", n, maxFichesOnCard)
		}
	})
}

// The result cards are rendered once per version of the search index: a change shows at the
// next search, with the distance of that search.
func TestSearchPages_CardsFollowEveryChange(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		co := site.companyAt(org.ACI, "Jardins de Lyon", lyonINSEE)
		jd := site.ficheOf(co, "Maraîcher")
		b := site.browser()
		wantBody(t, b.get("/search/employers?city=69123"), "Jardins de Lyon", "Maraîcher", "à moins de 100 m")
		wantBody(t, b.get("/search/job-descriptions?city=69123"), "Maraîcher", "Jardins de Lyon")
		wantBody(t, b.get("/search/employers?city="+villeurbanneINSEE), "Jardins de Lyon", "à 4,5 km")

		for _, stmt := range []string{"UPDATE company SET name = 'Vergers de Lyon' WHERE id = ?", "UPDATE job_description SET custom_name = 'Arboriculteur' WHERE company_id = ?"} {
			if _, err := d.NewRaw(stmt, co.ID).Exec(site.ctx); err != nil {
				t.Fatal(err)
			}
		}
		res := b.get("/search/employers?city=69123")
		wantBody(t, res, "Vergers de Lyon", "Arboriculteur")
		wantNoBody(t, res, "Jardins de Lyon", "Maraîcher")
		res = b.get("/search/job-descriptions?city=69123")
		wantBody(t, res, "Arboriculteur", "Vergers de Lyon", `href="/company/job_description/`+jd.UID+`/card"`)
		wantNoBody(t, res, "Maraîcher")
	})
}

func TestSearchPages_OfferTheArrondissementsOfLyon(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		site.companyAt(org.ACI, "Atelier du 1er", "69381")
		site.companyAt(org.ACI, "Atelier du 3e", "69383")
		site.companyAt(org.ACI, "Atelier de Villeurbanne", villeurbanneINSEE)
		b := site.browser()
		res := b.get("/search/employers?city=69123")
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "Arrondissement", `name="districts" value="69001"`, "1er arrondissement (69001) (1)",
			"3e arrondissement (69003) (1)", "3 employeurs")
		res = b.get("/search/employers?city=69123&districts=69003")
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "Atelier du 3e", `value="69003" checked`, "1 employeur à 25 km", `href="/search/job-descriptions?city=69123&amp;distance=25&amp;districts=69003"`)
		wantNoBody(t, res, "Atelier du 1er", "Atelier de Villeurbanne")
		res = b.get("/search/employers?city=" + villeurbanneINSEE + "&districts=69003")
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "3 employeurs")
		wantNoBody(t, res, `name="districts"`)
	})
}

func TestSearchPages_AnswerBadInputWithAFrenchMessageNeverA500(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		site.companyAt(org.ACI, "Atelier", lyonINSEE)
		site.prescriber(org.ML, "Mission locale", true)
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
		b := site.browser()
		for _, path := range []string{"/search/employers", "/search/job-descriptions", "/search/prescribers"} {
			for _, tt := range tests {
				if path == "/search/prescribers" && strings.Contains(tt.query, "kinds") {
					continue // the prescriber search has no filters to ignore
				}
				res := b.get(path + "?" + tt.query)
				if res.StatusCode != tt.status {
					t.Errorf("%s?%s: status %d, want %d", path, tt.query, res.StatusCode, tt.status)
				}
				if !strings.Contains(res.Body, escaped(tt.says)) {
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
		site.companyAt(org.ACI, "Atelier", lyonINSEE)
		b := site.browser()
		for _, typed := range []string{"Lyon (69)", "lyon", "69123"} {
			res := b.get("/search/employers?" + url.Values{"city_name": {typed}, "city": {""}, "distance": {"25"}}.Encode())
			wantStatus(t, res, http.StatusOK)
			wantBody(t, res, "1 employeur à 25 km maximum de Lyon (69)", `value="69123"`)
		}
	})
}

func TestSearchPages_AnswerHTMXWithTheFormItsTitleAndTheCountForTheLiveRegion(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		site.companyAt(org.ACI, "Atelier", lyonINSEE)
		b := site.browser()
		res := b.getHTMX("/search/employers?city=69123&distance=50&kinds=ACI")
		wantStatus(t, res, http.StatusOK)
		summary := "1 employeur à 50 km maximum de Lyon (69)"
		if !strings.HasPrefix(res.Body, "<title>"+summary+" - Les emplois de l'inclusion</title>") {
			t.Errorf("the answer does not start with the new title:\n%.200s", res.Body)
		}
		wantBody(t, res, "Atelier", "Employeurs (1)", `id="search-form"`, `hx-swap="outerHTML"`,
			`<p id="search-status" hx-swap-oob="innerHTML">`+summary+`</p>`)
		wantNoBody(t, res, "<html", "<h1>")
		// htmx swaps only successful answers: an input error comes as a 200 form, its title, field
		// and summary saying so; the summary takes the focus and links to the field.
		res = b.getHTMX("/search/employers?city=99999")
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "<title>Erreur : ", escaped(search.MsgUnknownCity), `aria-invalid="true"`,
			`aria-describedby="id_city_name_hint id_city_name_error"`, `id="error-summary" tabindex="-1" autofocus`,
			`<a href="#id_city_name">`+escaped(search.MsgUnknownCity)+`</a>`)
		wantNoBody(t, res, "<html")
		// A history restore wants the whole page.
		req, _ := http.NewRequest(http.MethodGet, site.URL+"/search/employers?city=69123", nil)
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-History-Restore-Request", "true")
		wantBody(t, b.do(req), "<html", "<h1>")
	})
}

func TestSearchPrescribersPage_ListsHabilitatedOrganizationsWithACard(t *testing.T) {
	// actors.md §22 scenario 33: 5 km by default, habilitated organizations only.
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d) // orgSite.prescriber places organizations at Lille
		ok := site.prescriber(org.ML, "Mission locale de Lille", true)
		pending := site.prescriber(org.CCAS, "CCAS en attente", false)
		b := site.browser()
		res := b.get("/search/prescribers?city=" + lilleINSEE)
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "Mission locale de Lille", "1 organisation prescriptrice habilitée à 5 km maximum de Lille (59)",
			`href="/prescribers/`+ok.UID+`/card"`, "1 rue B, 59000 Lille")
		wantNoBody(t, res, "CCAS en attente")

		card := b.get("/prescribers/" + ok.UID + "/card")
		wantStatus(t, card, http.StatusOK)
		wantBody(t, card, "<h1>Mission locale de Lille</h1>", "Prescripteur habilité", `href="/search/prescribers?city=59350"`)
		wantStatus(t, b.get("/prescribers/"+pending.UID+"/card"), http.StatusNotFound)
		wantStatus(t, b.get("/prescribers/inconnue/card"), http.StatusNotFound)
	})
}

func TestSearchPages_RunAsManyQueriesForOneOrTenResults(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		counter := &queryCounter{}
		site := newSearchSite(t, &db.DB{DB: d.DB.WithQueryHook(counter), Engine: d.Engine})
		one := site.companyAt(org.ACI, "Seule", lilleINSEE)
		site.ficheOf(one, "Poste")
		site.prescriber(org.ML, "Prescripteur", true) // at Lille
		for i := 0; i < 12; i++ {
			co := site.companyAt(org.ACI, fmt.Sprintf("Atelier %d", i), saintEtienneINSEE)
			site.member(org.TypeCompany, co.ID, fmt.Sprintf("m%d@example.org", i), "M", "N")
			site.ficheOf(co, "Poste A")
			site.ficheOf(co, "Poste B")
		}
		for i := 0; i < 11; i++ {
			po := site.prescriber(org.ML, fmt.Sprintf("ML %d", i), true)
			if _, err := d.NewRaw("UPDATE prescriber_organization SET latitude = 45.4241, longitude = 4.3665 WHERE id = ?", po.ID).Exec(site.ctx); err != nil {
				t.Fatal(err)
			}
		}
		b := site.browser()
		count := func(path string) int64 {
			before := counter.n.Load()
			wantStatus(t, b.get(path), http.StatusOK)
			return counter.n.Load() - before
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
		res := b.get("/search/employers?city=" + saintEtienneINSEE)
		if n := strings.Count(res.Body, `class="fr-card fr-card--sm`); n != 10 {
			t.Errorf("%d cards on the first page", n)
		}
	})
}

func TestMainMenu_OffersTheSearchPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		res := site.browser().get("/")
		wantBody(t, res, `href="/search/employers"`, "Rechercher un emploi inclusif", `href="/search/prescribers"`,
			"Rechercher un prescripteur", `action="/search/employers"`)
		wantBody(t, site.browser().get("/search/prescribers"), `aria-current="page"`)
	})
}
