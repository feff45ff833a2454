package autocomplete_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"emplois/internal/api"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
	"emplois/internal/web/webtest"
)

// newReferenceSite serves a site whose database holds the demo reference data.
func newReferenceSite(t *testing.T, d *db.DB) *webtest.Browser {
	t.Helper()
	if err := reference.LoadDemo(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return webtest.New(t, d).Browser()
}

var optionValue = regexp.MustCompile(`role="option"[^>]* data-value="([^"]+)"`)

// optionValues returns the data-value of each option of a fragment, in order.
func optionValues(body string) []string {
	var values []string
	for _, m := range optionValue.FindAllStringSubmatch(body, -1) {
		values = append(values, m[1])
	}
	return values
}

func TestAutocompleteCities_ListsCommunesAsOptions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		b := newReferenceSite(t, d)
		res := b.Get("/autocomplete/cities?q=" + url.QueryEscape("saint etienne"))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d\n%s", res.StatusCode, res.Body)
		}
		if got := strings.Join(optionValues(res.Body), ","); got != "42218,13094,42219" {
			t.Errorf("options = %s, want 42218,13094,42219", got)
		}
		for _, want := range []string{
			`role="listbox"`, `data-label="Saint-Étienne (42)"`, `data-slug="saint-etienne-42"`, `>Saint-Étienne (42)</li>`,
			`aria-label="Communes correspondant à « saint etienne »"`,
		} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("fragment lacks %s:\n%s", want, res.Body)
			}
		}
		if strings.Contains(res.Body, "<html") {
			t.Error("fragment rendered inside the layout")
		}
	})
}

func TestAutocompleteCities_SaysWhenNothingMatchesAndIgnoresShortQueries(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		b := newReferenceSite(t, d)
		res := b.Get("/autocomplete/cities?q=zzzz")
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Aucune commune ne correspond à « zzzz ».") {
			t.Errorf("no match: %d %s", res.StatusCode, res.Body)
		}
		for _, q := range []string{"", "l", "%20"} {
			res := b.Get("/autocomplete/cities?q=" + q)
			if res.StatusCode != http.StatusOK || strings.TrimSpace(res.Body) != "" {
				t.Errorf("q=%q: %d %q, want an empty fragment", q, res.StatusCode, res.Body)
			}
		}
		res = b.Get("/autocomplete/cities?q=" + strings.Repeat("a", 101))
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `role="alert">La recherche est trop longue : 100 caractères au plus.</p>`) {
			t.Errorf("long query: %d %s", res.StatusCode, res.Body)
		}
	})
}

func TestAutocompleteJobs_ListsAppellationsWithTheirRomeCode(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		b := newReferenceSite(t, d)
		res := b.Get("/autocomplete/jobs?q=" + url.QueryEscape("agent entretien"))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d\n%s", res.StatusCode, res.Body)
		}
		if !strings.Contains(res.Body, `data-label="Agent / Agente d&#39;entretien/propreté de locaux (K2204)"`) ||
			!strings.Contains(res.Body, `data-value="10688"`) {
			t.Errorf("fragment lacks the K2204 appellation:\n%s", res.Body)
		}
		if n := len(optionValues(res.Body)); n == 0 || n > 10 {
			t.Errorf("%d options", n)
		}
		if res := b.Get("/autocomplete/jobs?q=zzzz"); !strings.Contains(res.Body, "Aucun métier ne correspond à « zzzz ».") {
			t.Errorf("no match: %s", res.Body)
		}
	})
}

func TestAPIAutocompleteCities_AnswersAtMostTenResults(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		b := newReferenceSite(t, d)
		res := b.Get("/api/v1/autocomplete/cities?q=" + url.QueryEscape("Saint-Étienne"))
		body := webtest.DecodeJSON[api.Results[api.City]](t, res)
		if res.StatusCode != http.StatusOK || len(body.Results) != 3 {
			t.Fatalf("%d %s", res.StatusCode, res.Body)
		}
		first := body.Results[0]
		if first.ID != "42218" || first.Label != "Saint-Étienne (42)" || first.Slug != "saint-etienne-42" || first.Department != "42" ||
			strings.Join(first.PostalCodes, " ") != "42000 42100 42230" || first.Latitude != 45.4241 || first.Longitude != 4.3665 {
			t.Errorf("first = %+v", first)
		}
		// 11 communes of the demo are in the Bouches-du-Rhône: only 10 come back.
		if body := webtest.DecodeJSON[api.Results[api.City]](t, b.Get("/api/v1/autocomplete/cities?q=13")); len(body.Results) != 10 {
			t.Errorf("%d results for 13, want 10", len(body.Results))
		}
		for _, q := range []string{"", "l"} {
			res := b.Get("/api/v1/autocomplete/cities?q=" + q)
			if res.StatusCode != http.StatusOK || strings.TrimSpace(res.Body) != `{"results":[]}` {
				t.Errorf("q=%q: %d %s, want an empty list", q, res.StatusCode, res.Body)
			}
		}
	})
}

func TestAPIAutocomplete_RefusesOverlongQueriesAsAnErrorOfTheParameter(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		b := newReferenceSite(t, d)
		for _, path := range []string{"/api/v1/autocomplete/cities", "/api/v1/autocomplete/jobs"} {
			res := b.Get(path + "?q=" + strings.Repeat("a", 101))
			body := webtest.DecodeJSON[map[string][]string](t, res)
			if res.StatusCode != http.StatusBadRequest || len(body["q"]) != 1 || body["q"][0] != "La recherche est trop longue : 100 caractères au plus." {
				t.Errorf("%s: %d %s", path, res.StatusCode, res.Body)
			}
		}
	})
}

func TestAPIAutocompleteJobs_FindsAppellationsByWordsOrRomeCode(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		b := newReferenceSite(t, d)
		body := webtest.DecodeJSON[api.Results[api.Job]](t, b.Get("/api/v1/autocomplete/jobs?q="+url.QueryEscape("agent entretien")))
		found := false
		for _, j := range body.Results {
			if !strings.HasPrefix(j.Name, "Agent / Agente") || !strings.Contains(j.Name, "entretien") {
				t.Errorf("unexpected %+v", j)
			}
			if j.ID == "10688" && j.Label == "Agent / Agente d'entretien/propreté de locaux (K2204)" && j.RomeCode == "K2204" && j.RomeLabel == "Nettoyage de locaux" {
				found = true
			}
		}
		if !found {
			t.Errorf("10688 missing from %+v", body.Results)
		}
		body = webtest.DecodeJSON[api.Results[api.Job]](t, b.Get("/api/v1/autocomplete/jobs?q=k2204"))
		if len(body.Results) != 10 {
			t.Errorf("%d results for k2204, want 10", len(body.Results))
		}
		for _, j := range body.Results {
			if j.RomeCode != "K2204" {
				t.Errorf("k2204 found %+v", j)
			}
		}
	})
}

func TestAutocomplete_LeavesTheMessageForTheNextPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		if err := reference.LoadDemo(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		site := webtest.New(t, d)
		b := site.LoginAs(site.CreateJobSeeker("alice@example.org"))
		if res := b.Post("/accounts/logout", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout: %d", res.StatusCode)
		}
		if res := b.Get("/autocomplete/cities?q=lyon"); !strings.Contains(res.Body, `data-value="69123"`) {
			t.Fatalf("autocomplete: %s", res.Body)
		}
		if res := b.Get("/"); !strings.Contains(res.Body, "Vous êtes déconnecté.") {
			t.Error("the logout message was consumed by the autocomplete request")
		}
	})
}
