package search_test

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/savedsearch"
	"emplois/internal/web/webtest"
)

func TestSavedSearches_AreSavedListedRunAndDeletedByTheirOwner(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		site.CompanyAt(org.ACI, "Jardins de Lyon", lyonINSEE)
		webtest.WantNoBody(t, site.Browser().Get("/search/employers?city=69123&kinds=ACI"), "Mes recherches enregistrées")

		alice := site.LoginAs(site.CreateJobSeeker("alice@example.org"))
		res := alice.Get("/search/employers?city=69123&kinds=ACI")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Mes recherches enregistrées", `name="from" value="/search/employers?city=69123&amp;distance=25&amp;kinds=ACI"`,
			`id="id_name" name="name"`, `value="Lyon"`, "Aucune recherche enregistrée pour l'instant.")

		saved := alice.Post("/search/saved", url.Values{"from": {"/search/employers?city=69123&distance=25&kinds=ACI&page=3"}, "name": {" ACI  à Lyon "}})
		webtest.WantStatus(t, saved, http.StatusSeeOther)
		if loc := saved.Header.Get("Location"); loc != "/search/employers?city=69123&distance=25&kinds=ACI" {
			t.Errorf("after saving: %s", loc)
		}
		res = alice.Follow(saved)
		webtest.WantBody(t, res, "Votre recherche « ACI à Lyon » est enregistrée.", `href="/search/employers?city=69123&amp;distance=25&amp;kinds=ACI">ACI à Lyon</a>`,
			"Jardins de Lyon")
		dashboard := alice.Get("/dashboard")
		webtest.WantBody(t, dashboard, "ACI à Lyon", `name="next" value="/dashboard"`)

		// Refusals show the search again with the message, and save nothing.
		for name, msg := range map[string]string{"ACI à Lyon": savedsearch.MsgNameTaken, "  ": savedsearch.MsgNameRequired,
			strings.Repeat("x", 51): savedsearch.MsgNameTooLong} {
			res := alice.Post("/search/saved", url.Values{"from": {"/search/job-descriptions?city=69123"}, "name": {name}})
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("name %q: status %d", name, res.StatusCode)
			}
			webtest.WantBody(t, res, template.HTMLEscapeString(msg), `aria-invalid="true"`, "Rechercher un emploi inclusif", "Fiches de poste (0)")
		}
		for _, from := range []string{"/accounts/login", "/search/employers", "https://ailleurs.example/search/employers?city=69123", "%zz"} {
			res := alice.Post("/search/saved", url.Values{"from": {from}, "name": {"Autre"}})
			webtest.WantStatus(t, res, http.StatusBadRequest)
		}

		// Another user cannot delete it; its owner can, and comes back to the page asked.
		uid := savedUIDs(t, site, "alice@example.org")[0]
		bob := site.LoginAs(site.CreateJobSeeker("bob@example.org"))
		webtest.WantStatus(t, bob.Post("/search/saved/"+uid+"/delete", nil), http.StatusNotFound)
		webtest.WantNoBody(t, bob.Get("/dashboard"), "ACI à Lyon")
		deleted := alice.Post("/search/saved/"+uid+"/delete", url.Values{"next": {"/search/employers?city=69123"}})
		webtest.WantStatus(t, deleted, http.StatusSeeOther)
		if loc := deleted.Header.Get("Location"); loc != "/search/employers?city=69123" {
			t.Errorf("after deleting: %s", loc)
		}
		webtest.WantBody(t, alice.Follow(deleted), "La recherche « ACI à Lyon » est supprimée.", "Aucune recherche enregistrée")
		if left := savedUIDs(t, site, "alice@example.org"); len(left) != 0 {
			t.Errorf("still saved: %v", left)
		}
	})
}

func TestSavedSearches_RefuseThe21stWithAMessage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		u := site.CreateJobSeeker("alice@example.org")
		for i := range savedsearch.MaxPerUser {
			if _, err := site.Services.Saved.Save(t.Context(), u.ID, fmt.Sprintf("Recherche %d", i), "/search/employers", "city=69123"); err != nil {
				t.Fatal(err)
			}
		}
		res := site.LoginAs(u).Post("/search/saved", url.Values{"from": {"/search/employers?city=69123"}, "name": {"Encore une"}})
		webtest.WantStatus(t, res, http.StatusBadRequest)
		webtest.WantBody(t, res, template.HTMLEscapeString(savedsearch.MsgTooMany), "Recherche 19")
	})
}

// With htmx, the box follows the results out of band, so that it saves the search on screen.
func TestSavedSearches_BoxFollowsTheResultsSwappedByHTMX(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		alice := site.LoginAs(site.CreateJobSeeker("alice@example.org"))
		res := alice.GetHTMX("/search/job-descriptions?city=69123&domains=K")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, `<div id="saved-searches" hx-swap-oob="true">`, `value="/search/job-descriptions?city=69123&amp;distance=25&amp;domains=K"`)
		webtest.WantNoBody(t, site.Browser().GetHTMX("/search/job-descriptions?city=69123"), "saved-searches")
	})
}

// savedUIDs are the uids of the searches saved by the account with this e-mail.
func savedUIDs(t *testing.T, site *webtest.Site, email string) []string {
	t.Helper()
	var uids []string
	err := site.DB.NewRaw("SELECT ss.uid FROM saved_search ss JOIN users u ON u.id = ss.user_id WHERE u.email = ? ORDER BY ss.id", email).Scan(t.Context(), &uids)
	if err != nil {
		t.Fatal(err)
	}
	return uids
}
