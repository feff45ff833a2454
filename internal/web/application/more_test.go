package application_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/application"
	"emplois/internal/application/resumetest"
	"emplois/internal/eligibility"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
	"emplois/internal/web/webtest"
)

func rowCount(t *testing.T, site *webtest.Site, table string) int {
	t.Helper()
	n, err := site.DB.NewSelect().Table(table).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func actingFor(u *account.User, co *org.Company) actor.Actor {
	return actor.Actor{UserID: u.ID, Kind: actor.Professional,
		Organization: &actor.Organization{Type: string(org.TypeCompany), Kind: string(co.Kind), ID: co.ID, UID: co.UID}}
}

func dayFrom(t time.Time, days int) string { return t.AddDate(0, 0, days).Format("2006-01-02") }

func TestDirectHire_AnEmployerPicksTheJobSeekerChecksTheContractAndConfirms(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		if err := reference.LoadDemo(context.Background(), d); err != nil { // communes and métiers
			t.Fatal(err)
		}
		site := webtest.New(t, d)
		co := site.Company(org.ACI, "Jardins de Lyon")
		emp := site.EmployerOf(co, "emp@example.org")
		colleague := site.Member(org.TypeCompany, co.ID, "collegue@example.org", "Karim", "Benali")
		js := site.CreateJobSeeker("alice@example.org")
		site.Diagnose(js)
		b := site.LoginAs(emp)

		webtest.WantBody(t, b.Get("/dashboard"), `id="dashboard-hire-link"`, `href="/dashboard/notifications"`)
		res := b.Get("/apply/hire")
		webtest.WantRedirect(t, res, "/job-seekers/search?next=%2Fapply%2Fhire")
		// Her profile lacks a NIR: the information step comes first (§3.4-4); she goes on without.
		webtest.WantRedirect(t, b.Get("/apply/hire?job_seeker_public_id="+js.PublicID), "/apply/hire/info?job_seeker_public_id="+js.PublicID)
		webtest.WantBody(t, b.Get("/apply/hire/info?job_seeker_public_id="+js.PublicID), `name="nir"`, "Continuer sans compléter")
		res = b.Get("/apply/hire?job_seeker_public_id=" + js.PublicID + "&info=done")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Déclarer une embauche", "Alice MARTIN chez Jardins de Lyon", `name="hiring_start_at"`,
			"Informations du candidat", "alice@example.org", "5 rue de la République 69002 Lyon")
		webtest.WantNoBody(t, res, "Contrat GEIQ")
		// The same contract step as the acceptance: the advisor among the members, a new métier.
		webtest.WantBody(t, res, `name="advisor"`, "Karim BENALI", "Ajouter un poste lié à un nouveau métier")

		// Bad input: the form again with French errors, nothing written.
		today := site.Clock.Now()
		form := url.Values{"job_seeker_public_id": {js.PublicID}, "hiring_start_at": {dayFrom(today, -1)}, "hiring_end_at": {"31/02/2027"}}
		res = b.Post("/apply/hire", form)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Saisissez une date valide, au format JJ/MM/AAAA.")
		form.Set("hiring_end_at", "")
		res = b.Post("/apply/hire", form)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "antidater un contrat")
		if !strings.HasPrefix(res.Title(t), "Erreur") {
			t.Errorf("title %q", res.Title(t))
		}

		form.Set("hiring_start_at", dayFrom(today, 2))
		form.Set("answer", "Bienvenue !")
		form.Set("hired_job", "new")
		form.Set("appellation", "10688")
		form.Set("advisor", colleague.PublicID)
		res = b.Post("/apply/hire", form)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Confirmer l&#39;embauche", today.AddDate(0, 0, 2).Format("02/01/2006"), "Bienvenue !",
			"Nouveau poste : 10688", "Karim BENALI")
		if n := rowCount(t, site, "job_application"); n != 0 {
			t.Fatalf("the check wrote %d candidatures", n)
		}
		// « Modifier » comes back to the form with the values.
		form.Set("action", "edit")
		webtest.WantBody(t, b.Post("/apply/hire", form), `value="`+dayFrom(today, 2)+`"`)

		form.Set("action", "confirm")
		res = b.Post("/apply/hire", form)
		webtest.WantStatus(t, res, http.StatusSeeOther)
		loc := res.Header.Get("Location")
		if !strings.HasSuffix(loc, "/siae/hired") {
			t.Fatalf("redirected to %q", loc)
		}
		res = b.Get(loc)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Embauche déclarée", "Alice MARTIN", "Modifier les dates du contrat")
		var apps []application.Application
		if err := d.NewSelect().Model(&apps).Scan(context.Background()); err != nil || len(apps) != 1 ||
			apps[0].State != application.Accepted || apps[0].Answer != "Bienvenue !" || apps[0].HiredJobID == nil {
			t.Fatalf("candidatures %+v, %v", apps, err)
		}
		// The chosen colleague follows the job seeker (§3.4-5 as §3.5-3).
		if n, err := d.NewSelect().Table("job_seeker_assignment").Where("job_seeker_id = ?", js.ID).
			Where("professional_id = ?", colleague.ID).Where("company_id = ?", co.ID).Count(context.Background()); err != nil || n != 1 {
			t.Fatalf("%d assignments of the advisor (%v)", n, err)
		}
		// The hire is listed as an earlier candidature only when not accepted: the next hire of the
		// same person shows nothing blocking.
		webtest.WantNoBody(t, b.Get("/apply/hire?job_seeker_public_id="+js.PublicID), "hire-recent")
	})
}

func TestDirectHire_AGEIQFillsTheContractFieldsAndOtherKindsCannotHire(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		geiq := site.Company(org.GEIQ, "GEIQ du Rhône")
		b := site.LoginAs(site.EmployerOf(geiq, "geiq@example.org"))
		js := site.CreateJobSeeker("alice@example.org")
		// No GEIQ diagnosis: the optional step first (§3.4-6), which the employer skips.
		webtest.WantRedirect(t, b.Get(eligibility.HirePath(js.PublicID)), eligibility.GEIQHireStepPath(js.PublicID))
		res := b.Get(eligibility.HireWithoutGEIQPath(js.PublicID))
		webtest.WantBody(t, res, "Contrat GEIQ", "Contrat de professionalisation", "Niveau 3 (CAP, BEP)")
		form := url.Values{"job_seeker_public_id": {js.PublicID}, "hiring_start_at": {dayFrom(site.Clock.Now(), -3)},
			"contract_type": {"OTHER"}, "nb_hours_per_week": {"35"}, "qualification_type": {"CQP"}, "qualification_level": {"LEVEL_3"},
			"planned_training_hours": {"0"}}
		res = b.Post("/apply/hire", form)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Les précisions sont nécessaires pour ce type de contrat.")
		form.Set("contract_type_details", "CDD d'insertion")
		res = b.Post("/apply/hire", form)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, `id="id_hired_job_error"`)

		opcs := site.Company(org.OPCS, "Clause sociale")
		ob := site.LoginAs(site.EmployerOf(opcs, "opcs@example.org"))
		webtest.WantNoBody(t, ob.Get("/dashboard"), `id="dashboard-hire-link"`)
		webtest.WantStatus(t, ob.Get("/apply/hire?job_seeker_public_id="+js.PublicID), http.StatusForbidden)
		webtest.WantStatus(t, ob.Post("/apply/hire", url.Values{"job_seeker_public_id": {js.PublicID}}), http.StatusForbidden)
		if n := rowCount(t, site, "job_application"); n != 0 {
			t.Errorf("%d candidatures", n)
		}
	})
}

// hired accepts a candidature of a new job seeker in co, starting in days.
func hiredIn(t *testing.T, site *webtest.Site, co *org.Company, emp *account.User, days int) *application.Application {
	t.Helper()
	js := site.CreateJobSeeker("hired" + time.Now().Format("150405.000000") + "@example.org")
	start := application.Day(site.Clock.Now()).AddDate(0, 0, days)
	app, err := site.Services.Applications.DirectHire(context.Background(), actingFor(emp, co),
		application.DirectHireInput{JobSeekerPublicID: js.PublicID, AcceptInput: application.AcceptInput{HiringStartAt: &start}}, false)
	if err != nil {
		t.Fatal(err)
	}
	return app
}

func TestContractDates_TheEmployerMovesTheStartWithin30Days(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		co := site.Company(org.ACI, "Jardins de Lyon")
		emp := site.EmployerOf(co, "emp@example.org")
		app := hiredIn(t, site, co, emp, 5)
		b := site.LoginAs(emp)
		path := "/apply/" + app.PublicID + "/siae/contract-dates"
		webtest.WantBody(t, b.Get(application.DetailsPath(app.PublicID)), `href="`+path+`"`)
		res := b.Get(path)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Modifier les dates du contrat", `value="`+dayFrom(application.Day(site.Clock.Now()), 5)+`"`)

		res = b.Post(path, url.Values{"hiring_start_at": {dayFrom(site.Clock.Now(), 31)}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "entre aujourd&#39;hui et dans 30 jours")
		res = b.Post(path, url.Values{"hiring_start_at": {""}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Ce champ est obligatoire.")

		res = b.Post(path, url.Values{"hiring_start_at": {dayFrom(site.Clock.Now(), 20)}})
		webtest.WantRedirect(t, res, application.DetailsPath(app.PublicID))
		var got application.Application
		if err := d.NewSelect().Model(&got).Where("public_id = ?", app.PublicID).Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got.HiringStartAt.Format("2006-01-02") != dayFrom(site.Clock.Now(), 20) {
			t.Errorf("start %s", got.HiringStartAt)
		}
		if !strings.Contains(site.AuditActions(), application.ActionDatesEdited) {
			t.Error("no audit event")
		}
		// The candidature's timeline tells the edit in words.
		webtest.WantBody(t, b.Get(application.DetailsPath(app.PublicID)), "Dates du contrat modifiées : début le "+site.Clock.Now().AddDate(0, 0, 20).Format("02/01/2006"))
		// Another company's member does not learn the candidature exists.
		other := site.Company(org.ACI, "Autre")
		ob := site.LoginAs(site.EmployerOf(other, "other@example.org"))
		webtest.WantStatus(t, ob.Get(path), http.StatusNotFound)
		webtest.WantStatus(t, ob.Post(path, url.Values{"hiring_start_at": {dayFrom(site.Clock.Now(), 3)}}), http.StatusNotFound)
	})
}

func TestExternalTransfer_TheEmployerSearchesAnotherEmployerAndKeepsTheCV(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		ctx := context.Background()
		co := site.Company(org.ACI, "Jardins de Lyon")
		emp := site.EmployerOf(co, "emp@example.org")
		target := site.Company(org.EI, "Bâtir Ensemble")
		site.EmployerOf(target, "target@example.org")
		if err := site.Services.Orgs.SetSpontaneousApplications(ctx, actor.Actor{UserID: emp.ID, Kind: actor.Staff}, target.UID, true); err != nil {
			t.Fatal(err)
		}
		p := site.Prescriber(org.ML, "Mission locale", true)
		pro := site.Member(org.TypePrescriber, p.ID, "ml@example.org", "Paula", "Prescriptrice")
		js := site.CreateJobSeeker("alice@example.org")
		proA := actor.Actor{UserID: pro.ID, Kind: actor.Professional,
			Organization: &actor.Organization{Type: string(org.TypePrescriber), ID: p.ID, UID: p.UID}}
		orig, err := site.Services.Applications.Submit(ctx, proA, application.SubmitInput{CompanyUID: co.UID, JobSeekerPublicID: js.PublicID,
			Spontaneous: true, Message: "Très motivée.", Resume: resumetest.PDF()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := site.Services.Applications.Refuse(ctx, actingFor(emp, co), orig.PublicID, application.RefuseInput{
			Reason: "no_position", Answer: "Pas de poste.", AnswerToPrescriber: "Désolés."}); err != nil {
			t.Fatal(err)
		}
		b := site.LoginAs(emp)
		path := "/apply/" + orig.PublicID + "/siae/external-transfer"
		webtest.WantBody(t, b.Get(application.DetailsPath(orig.PublicID)), `href="`+path+`"`, "Transférer vers un autre employeur")
		res := b.Get(path + "?q=bâtir")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Bâtir Ensemble", path+"/"+target.UID)
		res = b.Get(path + "/" + target.UID)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Candidature spontanée", "Transmettre le CV de la candidature", "Paula PRESCRIPTRICE a écrit")

		before := rowCount(t, site, "job_application")
		res = b.PostMultipart(path+"/"+target.UID, url.Values{"spontaneous": {"on"}, "message": {"Je vous la recommande."}}, nil)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Indiquez si le CV de la candidature doit être transmis.")
		res = b.PostMultipart(path+"/"+target.UID, url.Values{"spontaneous": {"on"}, "message": {"Je vous la recommande."},
			"resume_choice": {"drop"}}, map[string][]byte{"resume": []byte("\x89PNG\r\n\x1a\n not a pdf")})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Le fichier doit être un PDF.")
		if rowCount(t, site, "job_application") != before {
			t.Fatal("a refused transfer wrote")
		}

		res = b.PostMultipart(path+"/"+target.UID, url.Values{"spontaneous": {"on"}, "message": {"Je vous la recommande."},
			"resume_choice": {"keep"}}, nil)
		webtest.WantRedirect(t, res, application.DetailsPath(orig.PublicID))
		var apps []application.Application
		if err := d.NewSelect().Model(&apps).Where("to_company_id = ?", target.ID).Scan(ctx); err != nil || len(apps) != 1 ||
			apps[0].ResumeKey == "" || apps[0].SenderCompanyID == nil || *apps[0].SenderCompanyID != co.ID {
			t.Fatalf("transferred %+v, %v", apps, err)
		}
		// Only the company's members: a prescriber and the target's members get a 403 or 404.
		webtest.WantStatus(t, site.LoginAs(pro).Get(path), http.StatusForbidden)
	})
}

func TestNotifications_AnEmployerChoosesTheWeeklyDigestAndAPrescriberCannot(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		co := site.Company(org.ACI, "Jardins de Lyon")
		emp := site.EmployerOf(co, "emp@example.org")
		b := site.LoginAs(emp)
		res := b.Get("/dashboard/notifications")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Nouvelle candidature reçue", `id="id_new_application_weekly"`, "Rappel des candidatures en attente")

		res = b.Post("/dashboard/notifications", url.Values{"new_application": {"weekly"}, "reminder": {"off"}, "sent": {"on"}})
		webtest.WantRedirect(t, res, "/dashboard/notifications")
		modes, err := site.Services.Applications.Notifications(context.Background(), actingFor(emp, co))
		if err != nil || modes[application.NotifyNewApplication] != application.ModeWeekly || modes[application.NotifyReminder] != application.ModeOff ||
			modes[application.NotifySent] != application.ModeOn {
			t.Fatalf("modes %v, %v", modes, err)
		}
		webtest.WantBody(t, b.Get("/dashboard/notifications"), `id="id_new_application_weekly" name="new_application" value="weekly" checked`)

		p := site.Prescriber(org.ML, "Mission locale", true)
		pb := site.LoginAs(site.Member(org.TypePrescriber, p.ID, "ml@example.org", "Paula", "Prescriptrice"))
		res = pb.Get("/dashboard/notifications")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantNoBody(t, res, "Nouvelle candidature reçue", "weekly")
		res = pb.Post("/dashboard/notifications", url.Values{"refused": {"weekly"}, "accepted": {"off"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Un des choix n&#39;est pas possible")
		if n := rowCount(t, site, "job_application_notification_setting"); n != 2 {
			t.Errorf("%d settings: the refused form wrote", n)
		}
	})
}
