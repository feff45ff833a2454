package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/uuid"

	"emplois/internal/geo"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
)

// seedCompanyAt stores an active company of this kind at the centre of the commune (an SIAE
// with an active convention) and returns it.
func seedCompanyAt(t *testing.T, d *db.DB, kind org.CompanyKind, name, insee string, serial int) *org.Company {
	t.Helper()
	ctx := context.Background()
	c, err := geo.NewStore(d).Commune(ctx, insee)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	siret := fmt.Sprintf("5123456%07d", serial)
	co := &org.Company{UID: uuid.NewString(), SIRET: siret, Kind: kind, Name: name, Source: org.SourceGEIQ,
		IsSearchable: true, Department: c.DepartmentCode, SpontaneousApplicationsOpenSince: &now, CreatedAt: now, UpdatedAt: now,
		Address: org.Address{AddressLine1: "1 place de la Mairie", PostCode: c.PostalCodes[0], CityName: c.Name, CommuneCode: insee,
			Latitude: &c.Latitude, Longitude: &c.Longitude}}
	if kind.IsSIAE() {
		conv := &org.Convention{Kind: kind, SiretSignature: siret, IsActive: true, ASPID: int64(serial), CreatedAt: now, UpdatedAt: now}
		if _, err := d.NewInsert().Model(conv).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		co.ConventionID, co.Source = &conv.ID, org.SourceASP
	}
	if _, err := d.NewInsert().Model(co).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	return co
}

// TestJourney_VisitorSearchesEmployersAroundLyon: a visitor types "lyon" in the city field, picks
// Lyon in the autocomplete, widens the radius to 50 km, keeps only the ACI and opens a company's
// card — every step updating the results in place (htmx) under a bookmarkable URL. axe checks
// the search pages on the way.
func TestJourney_VisitorSearchesEmployersAroundLyon(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := reference.LoadDemo(ctx, d); err != nil {
			t.Fatal(err)
		}
		seedCompanyAt(t, d, org.EI, "Propreté de Villeurbanne", "69266", 1)
		seedCompanyAt(t, d, org.ACI, "Jardins de Vénissieux", "69259", 2)
		far := seedCompanyAt(t, d, org.ACI, "Atelier du Gier", "42207", 3) // Saint-Chamond, about 41 km away
		now := time.Now().UTC()
		fiche := &jobdesc.JobDescription{UID: uuid.NewString(), CompanyID: far.ID, AppellationCode: "10688", ContractType: jobdesc.FixedTermI,
			OpenPositions: 1, IsActive: true, CreatedAt: now, UpdatedAt: now, LastEmployerUpdateAt: now, CreationSource: jobdesc.Manually}
		if _, err := d.NewInsert().Model(fiche).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		e := StartWith(t, d, nil)

		e.Navigate(t, "/")
		e.ClickText(t, "Rechercher un emploi inclusif")
		e.WaitForPath(t, "/search/employers")
		e.CheckPageAccessibility(t)

		e.Fill(t, "id_city_name", "lyon")
		e.Click(t, "#commune-69123")
		if v := Eval[string](t, e, `document.getElementById("id_city").value`); v != "69123" {
			t.Fatalf("picked code %q", v)
		}
		e.Click(t, `#search-form button[type="submit"]`)
		e.WaitForText(t, "2 employeurs à 25 km maximum de Lyon (69)")
		e.WaitForText(t, "Propreté de Villeurbanne")
		if strings.Contains(Eval[string](t, e, `document.body.innerText`), "Atelier du Gier") {
			t.Fatal("a company 41 km away shows within 25 km")
		}
		e.CheckPageAccessibility(t)

		// Widening the radius updates the results in place and the address bar (Select fires
		// the change event a person's choice fires).
		e.Select(t, "id_distance", "50")
		e.WaitForText(t, "3 employeurs à 50 km maximum de Lyon (69)")
		e.WaitForText(t, "Atelier du Gier")

		e.Click(t, `label[for="kind-aci"]`)
		e.WaitForText(t, "2 employeurs à 50 km maximum de Lyon (69)")
		if strings.Contains(Eval[string](t, e, `document.getElementById("search-results").innerText`), "Propreté de Villeurbanne") {
			t.Fatal("the EI is still listed with the ACI filter")
		}
		u := e.CurrentURL(t)
		for _, part := range []string{"/search/employers?", "city=69123", "distance=50", "kinds=ACI"} {
			if !strings.Contains(u, part) {
				t.Errorf("the address %s lacks %s", u, part)
			}
		}
		e.CheckPageAccessibility(t)

		// The URL is a plain, shareable search.
		e.Navigate(t, u)
		e.WaitForText(t, "2 employeurs à 50 km maximum de Lyon (69)")

		e.ClickText(t, "Atelier du Gier")
		e.WaitForPath(t, "/company/"+far.UID+"/card")
		e.WaitForText(t, "Recrutements en cours")

		// The fiche tab keeps the search.
		e.Navigate(t, u)
		e.ClickText(t, "Fiches de poste (1)")
		e.WaitForPath(t, "/search/job-descriptions")
		e.WaitForText(t, "1 fiche de poste à 50 km maximum de Lyon (69)")
		e.CheckPageAccessibility(t)
		e.CheckConsole(t)
	})
}

// TestSearchPages_HaveNoSeriousAccessibilityViolations checks the prescriber search, its card and
// the search pages with an input error.
func TestSearchPages_HaveNoSeriousAccessibilityViolations(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := reference.LoadDemo(ctx, d); err != nil {
			t.Fatal(err)
		}
		seedCompanyAt(t, d, org.ACI, "Jardins de Vénissieux", "69259", 1)
		c, err := geo.NewStore(d).Commune(ctx, "69123")
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		p := &org.PrescriberOrganization{UID: uuid.NewString(), SIRET: "51234567000011", Kind: org.ML, Name: "Mission locale de Lyon",
			AuthorizationStatus: org.AuthorizationValidated, Department: "69", CreatedAt: now, UpdatedAt: now, Phone: "04 72 00 00 00",
			Address: org.Address{AddressLine1: "2 place Bellecour", PostCode: "69002", CityName: "Lyon", CommuneCode: "69123",
				Latitude: &c.Latitude, Longitude: &c.Longitude}}
		if _, err := d.NewInsert().Model(p).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		e := StartWith(t, d, nil)
		for _, path := range []string{"/search/prescribers", "/search/prescribers?city=69123", "/prescribers/" + p.UID + "/card",
			"/search/job-descriptions?city=69123&domains=K", "/search/employers?city=69123&distance=2"} {
			t.Run(path, func(t *testing.T) { e.CheckAccessibility(t, path) })
		}
		for _, path := range []string{"/search/employers?city=99999", "/search/prescribers?city=69123&distance=500"} {
			t.Run(path, func(t *testing.T) {
				e.Navigate(t, path) // a 400 page: its document's "failed to load" is expected
				e.CheckPageAccessibility(t)
			})
		}
	})
}

// TestJourney_PrescriberSavesASearch: a prescriber of the demo searches around Lyon, keeps the
// ACI (the results and the save box update in place), saves the search under a name of their
// own, finds it on the dashboard, runs it again and deletes it. axe checks the pages.
func TestJourney_PrescriberSavesASearch(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		_, _, logins := demoServices(t, d)
		var who org.DemoLogin
		for _, l := range logins {
			if l.Role == "prescriber" {
				who = l
			}
		}
		seedCompanyAt(t, d, org.ACI, "Jardins de Vénissieux", "69259", 901)
		seedCompanyAt(t, d, org.EI, "Propreté de Villeurbanne", "69266", 902)
		e := StartWith(t, d, nil)
		e.Navigate(t, "/accounts/login")
		e.login(t, who.Email, who.Password)
		e.WaitForPath(t, "/dashboard")

		e.Navigate(t, "/search/employers?city=69123")
		e.WaitForText(t, "Mes recherches enregistrées")
		e.Click(t, `label[for="kind-aci"]`)
		e.WaitForText(t, "2 employeurs à 25 km maximum de Lyon (69)") // with the demo's ACI
		if from := Eval[string](t, e, `document.querySelector('#save-search-form input[name="from"]').value`); !strings.Contains(from, "kinds=ACI") {
			t.Fatalf("the save form still holds %q after the filter", from)
		}
		e.CheckPageAccessibility(t)
		e.Fill(t, "id_name", "ACI autour de Lyon")
		e.Click(t, `#save-search-form button[type="submit"]`)
		e.WaitForText(t, "Votre recherche « ACI autour de Lyon » est enregistrée.")

		e.Navigate(t, "/dashboard")
		e.WaitForText(t, "ACI autour de Lyon")
		e.CheckPageAccessibility(t)
		e.ClickText(t, "ACI autour de Lyon")
		e.WaitForText(t, "2 employeurs à 25 km maximum de Lyon (69)")
		e.Click(t, `#saved-searches .emplois-inline-form button`)
		e.WaitForText(t, "La recherche « ACI autour de Lyon » est supprimée.")
		e.WaitForText(t, "Aucune recherche enregistrée")
		e.CheckConsole(t)
	})
}

// TestJourney_KeyboardUserSearchesWithoutLosingTheFocus: a keyboard user types « lyon », picks
// Lyon in the autocomplete with the arrow keys, searches, checks the ACI and applies the filters,
// then reaches a result with Tab. After each htmx swap the focus is still on the control used
// (not on the body, whence the next Tab went to the footer), the title and the live region tell
// the new count; a pagination link, gone after the swap, hands the focus to the results heading.
func TestJourney_KeyboardUserSearchesWithoutLosingTheFocus(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		if err := reference.LoadDemo(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		seedCompanyAt(t, d, org.EI, "Propreté de Villeurbanne", "69266", 1)
		for i := range 11 { // one page of ACI and one more
			seedCompanyAt(t, d, org.ACI, fmt.Sprintf("Jardins de Vénissieux %02d", i+1), "69259", 10+i)
		}
		e := StartWith(t, d, nil)
		e.Navigate(t, "/search/employers")
		wantFocus := func(want, after string) {
			t.Helper()
			if got := e.Focused(t); got != want {
				e.fail(t, "after %s the focus is on %s, want %s", after, got, want)
			}
		}

		e.do(t, "focus the city", chromedp.Focus(chromedp.ID("id_city_name")))
		e.Press(t, "lyon")
		e.waitFor(t, "the suggestions", `document.querySelector("#city-options [role=option]") !== null`)
		e.waitFor(t, "their count announced", `document.getElementById("combobox-status").textContent.includes("suggestion")`)
		for range 10 {
			if Eval[string](t, e, `document.getElementById("id_city_name").getAttribute("aria-activedescendant") || ""`) == "commune-69123" {
				break
			}
			e.Press(t, kb.ArrowDown)
		}
		option := `document.getElementById("commune-69123")`
		if Eval[string](t, e, option+`.getAttribute("aria-selected")`) != "true" ||
			!strings.Contains(Eval[string](t, e, `getComputedStyle(`+option+`).textDecorationLine`), "underline") {
			e.fail(t, "the highlighted option has no cue but its colour")
		}
		e.Press(t, kb.Enter)
		if v := Eval[string](t, e, `document.getElementById("id_city").value`); v != "69123" {
			e.fail(t, "picked code %q", v)
		}
		wantFocus("id_city_name", "picking Lyon")

		e.Press(t, kb.Enter)
		summary := "12 employeurs à 25 km maximum de Lyon (69)"
		e.WaitForText(t, summary)
		wantFocus("id_city_name", "the search")
		e.waitFor(t, "the title", fmt.Sprintf(`document.title.startsWith(%q)`, summary))
		e.waitFor(t, "the live region", fmt.Sprintf(`document.getElementById("search-status").textContent === %q`, summary))

		tabTo := func(id string) {
			t.Helper()
			for range 40 {
				if e.Focused(t) == id {
					return
				}
				e.Press(t, kb.Tab)
			}
			e.fail(t, "Tab never reached #%s (focus on %s)", id, e.Focused(t))
		}
		tabTo("kind-aci")
		e.Press(t, " ")
		e.WaitForText(t, "11 employeurs à 25 km maximum de Lyon (69)")
		wantFocus("kind-aci", "checking a filter")
		tabTo("search-apply")
		e.Press(t, kb.Enter)
		e.waitFor(t, "the answer to « Appliquer les filtres »", `document.querySelector("#search-form.htmx-request") === null && document.getElementById("search-apply") !== null`)
		wantFocus("search-apply", "« Appliquer les filtres »")

		// Tab goes on to the results, not to the footer.
		for range 40 {
			if e.Focused(t) == "a «Jardins de Vénissieux 01»" {
				break
			}
			if Eval[bool](t, e, `document.activeElement.closest("footer") !== null`) {
				e.fail(t, "Tab reached the footer before the results")
			}
			e.Press(t, kb.Tab)
		}
		wantFocus("a «Jardins de Vénissieux 01»", "tabbing to the results")

		// The next page: the link pressed is gone, the focus lands on the results heading.
		e.do(t, "focus the next page", chromedp.Focus(chromedp.CSS(".fr-pagination__link--next[href]")))
		e.Press(t, kb.Enter)
		e.WaitForText(t, "Jardins de Vénissieux 11")
		e.waitFor(t, "the focus on the results heading", `document.activeElement === document.getElementById("search-summary")`)
		e.Press(t, kb.Tab)
		if Eval[bool](t, e, `document.activeElement.closest("footer") !== null`) {
			e.fail(t, "after the page change, Tab goes to the footer")
		}
		e.CheckPageAccessibility(t)
	})
}

// TestSearchError_ByHTMXMarksTheFieldAndFocusesTheSummary: an unknown city typed without picking
// it comes back in place with the field marked invalid, an error summary that takes the focus
// and links to the field, and a title starting with « Erreur ».
func TestSearchError_ByHTMXMarksTheFieldAndFocusesTheSummary(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		if err := reference.LoadDemo(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		e := StartWith(t, d, nil)
		e.Navigate(t, "/search/employers")
		e.Fill(t, "id_city_name", "Atlantide")
		e.Click(t, "#search-submit")
		e.waitFor(t, "the error summary focused", `document.activeElement === document.getElementById("error-summary")`)
		if !strings.HasPrefix(Eval[string](t, e, `document.title`), "Erreur : ") {
			e.fail(t, "title %q", Eval[string](t, e, `document.title`))
		}
		if Eval[string](t, e, `document.getElementById("id_city_name").getAttribute("aria-invalid")`) != "true" ||
			Eval[string](t, e, `document.querySelector("#error-summary a").getAttribute("href")`) != "#id_city_name" {
			e.fail(t, "the field is not marked invalid or not linked from the summary")
		}
		e.CheckPageAccessibility(t)
	})
}

// TestJourney_LoginToApplyComesBackToTheCompanyCard: « Se connecter pour postuler » on a company
// card leads to the login, which, once passed, lands on the same card (its `next` was once
// encoded twice, and the login sent everyone home).
func TestJourney_LoginToApplyComesBackToTheCompanyCard(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		_, _, logins := demoServices(t, d)
		co := seedCompanyAt(t, d, org.ACI, "Jardins de Vénissieux", "69259", 903)
		e := StartWith(t, d, nil)
		card := "/company/" + co.UID + "/card"
		e.Navigate(t, card)
		e.ClickText(t, "Se connecter pour postuler")
		e.WaitForPath(t, "/accounts/login")
		e.login(t, logins[0].Email, logins[0].Password)
		e.WaitForPath(t, card)
		e.WaitForText(t, "Jardins de Vénissieux")
	})
}
