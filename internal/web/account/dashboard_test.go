package account_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/application"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

// card reads a dashboard card's count and link.
func card(t *testing.T, res *webtest.Response, id string) (string, string) {
	t.Helper()
	count := regexp.MustCompile(`id="` + id + `-count">([^<]*)<`).FindStringSubmatch(res.Body)
	link := regexp.MustCompile(`href="([^"]*)" id="` + id + `-link"`).FindStringSubmatch(res.Body)
	if count == nil {
		t.Fatalf("no card %s", id)
	}
	if link == nil {
		return count[1], ""
	}
	return count[1], html.UnescapeString(link[1])
}

// wantCardMatchesList checks that a card's count is the total of the list it links to.
func wantCardMatchesList(t *testing.T, b *webtest.Browser, res *webtest.Response, id, want string) {
	t.Helper()
	count, link := card(t, res, id)
	if count != want {
		t.Errorf("card %s: %q, want %q", id, count, want)
	}
	list := b.Get(link)
	webtest.WantStatus(t, list, http.StatusOK)
	webtest.WantBody(t, list, `id="applications-count" tabindex="-1" data-swap-focus>`+count+`</h2>`)
}

func TestDashboard_CandidatureCardsCountWhatTheirListsShow(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		ctx := context.Background()
		open := site.Clock.Now().AddDate(0, 0, -1)
		co := site.StoredCompany(org.GEIQ, func(c *org.Company) { c.SpontaneousApplicationsOpenSince = &open })
		emp := site.EmployerOf(co, "employeur@example.org")
		empA := webtest.EmployerActor(emp, co)
		ml := site.Prescriber(org.ML, "Mission locale", true)
		pro := site.Member(org.TypePrescriber, ml.ID, "ml@example.org", "Paula", "Prescriptrice")
		proA := webtest.PrescriberActor(pro, ml)
		var apps []*application.Application
		var seekers []*account.User
		for i := range 5 {
			js := site.CreateUser(account.JobSeeker, fmt.Sprintf("js%d@example.org", i), "Jeanne", "Candidate")
			seekers = append(seekers, js)
			apps = append(apps, site.ApplySpontaneously(proA, co, js))
		}
		svc := site.Services.Applications
		if _, err := svc.Process(ctx, empA, apps[0].PublicID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Postpone(ctx, empA, apps[1].PublicID, "Plus tard."); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddToPool(ctx, empA, apps[2].PublicID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := d.NewUpdate().Table("job_application").Set("state = ?", application.PriorToHire).Where("id = ?", apps[3].ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}

		// Employer (a GEIQ: prior_to_hire is to process too).
		b := site.LoginAs(emp)
		res := b.Get("/dashboard")
		webtest.WantStatus(t, res, http.StatusOK)
		wantCardMatchesList(t, b, res, "dashboard-to-process", "3 candidatures")
		wantCardMatchesList(t, b, res, "dashboard-postponed", "1 candidature")
		wantCardMatchesList(t, b, res, "dashboard-pool", "1 candidature")

		// Prescriber: sent, and no stalled job seeker yet (they applied today).
		b = site.LoginAs(pro)
		res = b.Get("/dashboard")
		wantCardMatchesList(t, b, res, "dashboard-sent", "5 candidatures")
		if n, _ := card(t, res, "dashboard-stalled"); n != "0 candidat" {
			t.Errorf("stalled today: %q", n)
		}
		site.Clock.Advance(31 * 24 * time.Hour)
		if n, _ := card(t, site.LoginAs(pro).Get("/dashboard"), "dashboard-stalled"); n != "5 candidats" {
			t.Errorf("stalled after a month: %q", n)
		}

		// Job seeker.
		js := seekers[4]
		if _, err := d.NewUpdate().Table("users").Set("title = 'MME', address_line_1 = '1 rue A', post_code = '69003', city = 'Lyon', insee_code = '69123'").
			Where("id = ?", js.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		b = site.LoginAs(js)
		res = b.Get("/dashboard")
		webtest.WantStatus(t, res, http.StatusOK)
		wantCardMatchesList(t, b, res, "dashboard-my-applications", "1 candidature")
	})
}
