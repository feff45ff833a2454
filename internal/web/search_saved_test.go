package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/savedsearch"
)

func TestSavedSearches_AreSavedListedRunAndDeletedByTheirOwner(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		site.companyAt(org.ACI, "Jardins de Lyon", lyonINSEE)
		wantNoBody(t, site.browser().get("/search/employers?city=69123&kinds=ACI"), "Mes recherches enregistrées")

		alice := site.loginAs(site.createJobSeeker("alice@example.org"))
		res := alice.get("/search/employers?city=69123&kinds=ACI")
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "Mes recherches enregistrées", `name="from" value="/search/employers?city=69123&amp;distance=25&amp;kinds=ACI"`,
			`id="id_name" name="name"`, `value="Lyon"`, "Aucune recherche enregistrée pour l'instant.")

		saved := alice.post("/search/saved", url.Values{"from": {"/search/employers?city=69123&distance=25&kinds=ACI&page=3"}, "name": {" ACI  à Lyon "}})
		wantStatus(t, saved, http.StatusSeeOther)
		if loc := saved.Header.Get("Location"); loc != "/search/employers?city=69123&distance=25&kinds=ACI" {
			t.Errorf("after saving: %s", loc)
		}
		res = alice.follow(saved)
		wantBody(t, res, "Votre recherche « ACI à Lyon » est enregistrée.", `href="/search/employers?city=69123&amp;distance=25&amp;kinds=ACI">ACI à Lyon</a>`,
			"Jardins de Lyon")
		dashboard := alice.get("/dashboard")
		wantBody(t, dashboard, "ACI à Lyon", `name="next" value="/dashboard"`)

		// Refusals show the search again with the message, and save nothing.
		for name, msg := range map[string]string{"ACI à Lyon": savedsearch.MsgNameTaken, "  ": savedsearch.MsgNameRequired,
			strings.Repeat("x", 51): savedsearch.MsgNameTooLong} {
			res := alice.post("/search/saved", url.Values{"from": {"/search/job-descriptions?city=69123"}, "name": {name}})
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("name %q: status %d", name, res.StatusCode)
			}
			wantBody(t, res, escaped(msg), `aria-invalid="true"`, "Rechercher un emploi inclusif", "Fiches de poste (0)")
		}
		for _, from := range []string{"/accounts/login", "/search/employers", "https://ailleurs.example/search/employers?city=69123", "%zz"} {
			res := alice.post("/search/saved", url.Values{"from": {from}, "name": {"Autre"}})
			wantStatus(t, res, http.StatusBadRequest)
		}

		// Another user cannot delete it; its owner can, and comes back to the page asked.
		uid := site.savedUIDs(t, "alice@example.org")[0]
		bob := site.loginAs(site.createJobSeeker("bob@example.org"))
		wantStatus(t, bob.post("/search/saved/"+uid+"/delete", nil), http.StatusNotFound)
		wantNoBody(t, bob.get("/dashboard"), "ACI à Lyon")
		deleted := alice.post("/search/saved/"+uid+"/delete", url.Values{"next": {"/search/employers?city=69123"}})
		wantStatus(t, deleted, http.StatusSeeOther)
		if loc := deleted.Header.Get("Location"); loc != "/search/employers?city=69123" {
			t.Errorf("after deleting: %s", loc)
		}
		wantBody(t, alice.follow(deleted), "La recherche « ACI à Lyon » est supprimée.", "Aucune recherche enregistrée")
		if left := site.savedUIDs(t, "alice@example.org"); len(left) != 0 {
			t.Errorf("still saved: %v", left)
		}
	})
}

func TestSavedSearches_RefuseThe21stWithAMessage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		u := site.createJobSeeker("alice@example.org")
		for i := range savedsearch.MaxPerUser {
			if _, err := site.Server.saved.Save(site.ctx, u.ID, fmt.Sprintf("Recherche %d", i), "/search/employers", "city=69123"); err != nil {
				t.Fatal(err)
			}
		}
		res := site.loginAs(u).post("/search/saved", url.Values{"from": {"/search/employers?city=69123"}, "name": {"Encore une"}})
		wantStatus(t, res, http.StatusBadRequest)
		wantBody(t, res, escaped(savedsearch.MsgTooMany), "Recherche 19")
	})
}

// With htmx, the box follows the results out of band, so that it saves the search on screen.
func TestSavedSearches_BoxFollowsTheResultsSwappedByHTMX(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		alice := site.loginAs(site.createJobSeeker("alice@example.org"))
		res := alice.getHTMX("/search/job-descriptions?city=69123&domains=K")
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, `<div id="saved-searches" hx-swap-oob="true">`, `value="/search/job-descriptions?city=69123&amp;distance=25&amp;domains=K"`)
		wantNoBody(t, site.browser().getHTMX("/search/job-descriptions?city=69123"), "saved-searches")
	})
}

// savedUIDs are the uids of the searches saved by the account with this e-mail.
func (ss *searchSite) savedUIDs(t *testing.T, email string) []string {
	t.Helper()
	var uids []string
	err := ss.DB.NewRaw("SELECT ss.uid FROM saved_search ss JOIN users u ON u.id = ss.user_id WHERE u.email = ? ORDER BY ss.id", email).Scan(ss.ctx, &uids)
	if err != nil {
		t.Fatal(err)
	}
	return uids
}
