package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"emplois/internal/account"
	"emplois/internal/application"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// TestJourney_EmployerRefusesWithTheReasonSharedAndTheJobSeekerReadsIt: a job seeker's
// candidature, seeded through the domain, is declined by the employer through the refusal
// wizard with the reason shared; the job seeker then reads the reason on the candidature page
// (applications.md §3.6, R23). axe checks every page on the way.
func TestJourney_EmployerRefusesWithTheReasonSharedAndTheJobSeekerReadsIt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		cfg, _ := demoReference(t, d)
		const employer, jobSeeker, password = "karim@jardins.demo", "julie@example.org", "Serre-Tomates-Arrosoir-2026"
		co := seedEmployer(t, d, employer, password)
		if _, err := d.NewRaw("UPDATE company SET spontaneous_applications_open_since = ? WHERE id = ?", co.CreatedAt, co.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		js := seedUser(t, d, &account.User{Email: jobSeeker, Kind: account.JobSeeker, FirstName: "Julie", LastName: "Martin",
			Title: account.Madame, AddressLine1: "5 rue de la République", PostCode: "69002", City: "Lyon", Department: "69"}, password)
		app, err := application.NewService(d, cfg, nil).Submit(ctx, actor.Actor{UserID: js.ID, Kind: actor.JobSeeker},
			application.SubmitInput{CompanyUID: co.UID, Spontaneous: true, Message: "Je cherche un emploi en maraîchage."})
		if err != nil {
			t.Fatal(err)
		}
		e := StartWith(t, d, nil)

		e.Navigate(t, "/accounts/login")
		e.login(t, employer, password)
		e.WaitForPath(t, "/dashboard")
		e.Navigate(t, application.DetailsPath(app.PublicID))
		e.WaitForText(t, "Je cherche un emploi en maraîchage.")
		e.CheckPageAccessibility(t)
		e.ClickText(t, "Décliner")
		e.WaitForText(t, "Choix du motif de refus")
		e.CheckPageAccessibility(t)
		e.Click(t, `label[for="id_reason_lacking_skills"]`)
		e.Click(t, `label[for="id_shared"]`)
		e.Click(t, "#refusal-next")
		e.WaitForText(t, "Étape 2 sur 2")
		e.CheckPageAccessibility(t)
		e.Click(t, "#refusal-confirm")
		e.WaitForText(t, "La candidature de Julie MARTIN a bien été refusée.")
		e.WaitForText(t, "Candidature déclinée")
		e.CheckPageAccessibility(t)

		e.switchUser(t, jobSeeker, password)
		e.Navigate(t, application.SenderDetailsPath(app.PublicID))
		e.WaitForText(t, "Le candidat n’a pas les compétences requises pour le poste")
		e.CheckPageAccessibility(t)
	})
}

// TestJourney_EmployerFiltersTheInboxByASenderFoundByName: the sender filters of the inbox are
// comboboxes over the senders' names; the keyboard picks one, which becomes a checked box, and
// the filtered list keeps it checked (applications.md §4).
func TestJourney_EmployerFiltersTheInboxByASenderFoundByName(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		cfg, _ := demoReference(t, d)
		const employer, password = "karim@jardins.demo", "Serre-Tomates-Arrosoir-2026"
		co := seedEmployer(t, d, employer, password)
		if _, err := d.NewRaw("UPDATE company SET spontaneous_applications_open_since = ? WHERE id = ?", co.CreatedAt, co.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		svc := application.NewService(d, cfg, nil)
		for i, name := range []string{"Propreté de Villeurbanne", "Bâtiment Solidaire"} {
			sender := seedCompanyAt(t, d, org.EI, name, "69266", 100+i)
			u := seedUser(t, d, &account.User{Email: fmt.Sprintf("employeur%d@example.org", i), Kind: account.Professional, FirstName: "Eva", LastName: "Orienteuse"}, password)
			seedMember(t, d, sender, u)
			js := seedUser(t, d, &account.User{Email: fmt.Sprintf("candidat%d@example.org", i), Kind: account.JobSeeker, FirstName: "Léa", LastName: fmt.Sprintf("Candidate%c", 'A'+i),
				Title: account.Madame, AddressLine1: "5 rue de la République", PostCode: "69002", City: "Lyon", Department: "69"}, password)
			orienteur := actor.Actor{UserID: u.ID, Kind: actor.Professional, Organization: &actor.Organization{Type: string(org.TypeCompany), Kind: string(org.EI), ID: sender.ID, UID: sender.UID}}
			if _, err := svc.Submit(ctx, orienteur, application.SubmitInput{CompanyUID: co.UID, JobSeekerPublicID: js.PublicID, Spontaneous: true, Message: "Nous vous adressons Léa."}); err != nil {
				t.Fatal(err)
			}
		}
		e := StartWith(t, d, nil)
		e.Navigate(t, "/accounts/login")
		e.login(t, employer, password)
		e.WaitForPath(t, "/dashboard")
		e.Navigate(t, application.InboxPath)
		e.WaitForText(t, "2 candidatures")

		e.do(t, "focus the sender search", chromedp.Focus(chromedp.ID("id_sender_companies_search")))
		e.Press(t, "batiment")
		e.waitFor(t, "the suggestion", `document.querySelector("#sender_companies-options [role=option]") !== null`)
		e.Press(t, kb.ArrowDown)
		e.Press(t, kb.Enter)
		e.waitFor(t, "the checked box", `document.querySelector("#sender_companies-chosen input:checked") !== null`)
		if v := Eval[string](t, e, `document.getElementById("id_sender_companies_search").value`); v != "" {
			e.fail(t, "the search keeps %q after the pick", v)
		}
		e.Click(t, `#applications-filters button[type="submit"]`)
		e.WaitForText(t, "1 candidature")
		e.WaitForText(t, "Léa CANDIDATEB")
		if u := e.CurrentURL(t); !strings.Contains(u, "sender_companies=") || strings.Contains(u, "departments=") {
			e.fail(t, "the filtered list's address %s", u)
		}
		if !Eval[bool](t, e, `document.querySelector("#sender_companies-chosen input:checked + label").textContent === "Bâtiment Solidaire"`) {
			e.fail(t, "the filtered list lost the chosen sender")
		}
		e.CheckPageAccessibility(t)
	})
}
