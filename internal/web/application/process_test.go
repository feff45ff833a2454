package application_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/application"
	"emplois/internal/application/resumetest"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
	"emplois/internal/web/webtest"
)

// world is a receiving company A with a member, another company, an authorized prescriber
// organization with two members, another authorized one, an orienteur, two job seekers and
// staff; the prescriber sent a candidature of the first job seeker to A, with a CV.
type world struct {
	site                              *webtest.Site
	companyA, companyB                *org.Company
	memberA, otherEmployer            *account.User
	prescriber, colleague, otherPresc *account.User
	orienteur                         *account.User
	owner, otherJobSeeker, staff      *account.User
	prescriberOrg, orienteurOrg       *org.PrescriberOrganization
	app                               *application.Application
}

func openSpontaneous(co *org.Company) {
	t := time.Now().UTC().Add(-time.Hour)
	co.SpontaneousApplicationsOpenSince = &t
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	if err := reference.LoadDemo(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	site := webtest.New(t, d)
	w := &world{site: site}
	w.companyA = site.StoredCompany(org.ACI, openSpontaneous)
	w.companyB = site.StoredCompany(org.EI, openSpontaneous)
	w.memberA = site.EmployerOf(w.companyA, "membre.a@example.org")
	w.otherEmployer = site.EmployerOf(w.companyB, "membre.b@example.org")
	w.prescriberOrg = site.Prescriber(org.ML, "Mission locale de Lille", true)
	w.prescriber = site.Member(org.TypePrescriber, w.prescriberOrg.ID, "ml@example.org", "Paula", "Prescriptrice")
	w.colleague = site.Member(org.TypePrescriber, w.prescriberOrg.ID, "ml2@example.org", "Colette", "Collègue")
	other := site.Prescriber(org.ML, "Mission locale de Roubaix", true)
	w.otherPresc = site.Member(org.TypePrescriber, other.ID, "ml3@example.org", "Pierre", "Autre")
	w.orienteurOrg = site.Prescriber(org.OtherKind, "Association du quartier", false)
	w.orienteur = site.Member(org.TypePrescriber, w.orienteurOrg.ID, "asso@example.org", "Omar", "Orienteur")
	w.owner = site.CreateUser(account.JobSeeker, "julie@example.org", "Julie", "Candidate")
	site.Diagnose(w.owner)
	w.otherJobSeeker = site.CreateUser(account.JobSeeker, "autre@example.org", "Anne", "Autre")
	w.staff = site.CreateUser(account.Staff, "support@example.org", "Sam", "Support")
	w.app = w.submit(t, w.asPrescriber(w.prescriber), w.owner, w.companyA, resumetest.PDF())
	return w
}

func (w *world) asPrescriber(u *account.User) actor.Actor {
	po := w.prescriberOrg
	if u.ID == w.orienteur.ID {
		po = w.orienteurOrg
	}
	return actor.Actor{UserID: u.ID, Kind: actor.Professional,
		Organization: &actor.Organization{Type: string(org.TypePrescriber), Kind: string(po.Kind), ID: po.ID, UID: po.UID}}
}

func (w *world) asEmployer(u *account.User, co *org.Company) actor.Actor {
	return actor.Actor{UserID: u.ID, Kind: actor.Professional,
		Organization: &actor.Organization{Type: string(org.TypeCompany), Kind: string(co.Kind), ID: co.ID, UID: co.UID}}
}

// submit sends a spontaneous candidature of js to co, as a.
func (w *world) submit(t *testing.T, a actor.Actor, js *account.User, co *org.Company, cv []byte) *application.Application {
	t.Helper()
	app, err := w.site.Services.Applications.Submit(context.Background(), a, application.SubmitInput{CompanyUID: co.UID,
		JobSeekerPublicID: js.PublicID, Spontaneous: true, Message: "Julie cherche un emploi en maraîchage.", Resume: cv})
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return app
}

func (w *world) state(t *testing.T, publicID string) application.State {
	t.Helper()
	var s application.State
	if err := w.site.DB.NewSelect().Table("job_application").Column("state").Where("public_id = ?", publicID).Scan(context.Background(), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

type pageRole struct {
	name     string
	user     func(w *world) *account.User
	employer int // status of the employer's page, its CV link and actions
	sender   int // status of the sender's page
	resume   int
}

// TestDetails_EachRoleSeesOnlyThePageTheSpecGivesThem is the matrix of the two pages and the CV
// download (§3.7): the receiving company's members and staff get the employer's page; the
// sender, their organization and the job seeker the other; anybody else a 404 (or the login).
func TestDetails_EachRoleSeesOnlyThePageTheSpecGivesThem(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.app.PublicID
		roles := []pageRole{
			{"employer member", func(w *world) *account.User { return w.memberA }, 200, 404, 200},
			{"other employer", func(w *world) *account.User { return w.otherEmployer }, 404, 404, 404},
			{"sender prescriber", func(w *world) *account.User { return w.prescriber }, 403, 200, 200},
			{"sender's colleague", func(w *world) *account.User { return w.colleague }, 403, 200, 200},
			{"other prescriber", func(w *world) *account.User { return w.otherPresc }, 403, 404, 404},
			{"orienteur", func(w *world) *account.User { return w.orienteur }, 403, 404, 404},
			{"job seeker owner", func(w *world) *account.User { return w.owner }, 403, 200, 200},
			{"other job seeker", func(w *world) *account.User { return w.otherJobSeeker }, 403, 404, 404},
			{"staff", func(w *world) *account.User { return w.staff }, 200, 404, 404},
			{"anonymous", func(*world) *account.User { return nil }, 303, 303, 303},
		}
		for _, r := range roles {
			b := w.site.Browser()
			if u := r.user(w); u != nil {
				b = w.site.LoginAs(u)
			}
			for _, c := range []struct {
				path string
				want int
			}{{application.DetailsPath(id), r.employer}, {application.SenderDetailsPath(id), r.sender}, {"/apply/" + id + "/resume", r.resume}} {
				res := b.Get(c.path)
				if res.StatusCode != c.want {
					t.Errorf("%s GET %s: %d, want %d", r.name, c.path, res.StatusCode, c.want)
				}
				if c.want == http.StatusOK && strings.HasSuffix(c.path, "/resume") {
					if res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), `attachment; filename="CV_`) ||
						res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(res.Body, "%PDF-") {
						t.Errorf("%s: the CV is not a PDF download: %v", r.name, res.Header)
					}
				}
			}
		}

		// What the employer's page shows: the state, the sender, the CV, the actions of the table.
		res := w.site.LoginAs(w.memberA).Get(application.DetailsPath(id))
		webtest.WantBody(t, res, "Nouvelle candidature", "Prescripteur habilité", "Mission locale de Lille", "Télécharger le CV",
			"Étudier", "Décliner", "Mettre en attente", "Ajouter au vivier", "Accepter", "Commentaires", "fr-badge--new")
		webtest.WantNoBody(t, res, "/siae/cancel", "Réinitialiser", "Actions préalables")
		// What the state does not allow is said, with the states it needs.
		webtest.WantBody(t, res, "Annuler l&#39;embauche : possible pour une candidature « Candidature acceptée ».")
		// Staff see the staff transitions only.
		res = w.site.LoginAs(w.staff).Get(application.DetailsPath(id))
		webtest.WantBody(t, res, "Étudier", "Accepter")
		webtest.WantNoBody(t, res, "Décliner", "Mettre en attente", "Commentaires")
		// The job seeker reads the sender and no action.
		res = w.site.LoginAs(w.owner).Get(application.SenderDetailsPath(id))
		webtest.WantBody(t, res, "Julie CANDIDATE", "Paula PRESCRIPTRICE")
		webtest.WantNoBody(t, res, "Étudier", "application-actions")
	})
}

// TestDetails_AnOrienteurSeesTheirCandidatureWithTheJobSeekerMasked: R35.
func TestDetails_AnOrienteurSeesTheirCandidatureWithTheJobSeekerMasked(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		app := w.submit(t, w.asPrescriber(w.orienteur), w.otherJobSeeker, w.companyA, nil)
		res := w.site.LoginAs(w.orienteur).Get(application.SenderDetailsPath(app.PublicID))
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "A… A…", "Orienteur", "Aucun CV")
		webtest.WantNoBody(t, res, "autre@example.org", "Anne")
		res = w.site.LoginAs(w.memberA).Get(application.DetailsPath(app.PublicID))
		webtest.WantBody(t, res, "Anne AUTRE", "autre@example.org")
	})
}

// TestDetails_CostsTheSameQueriesWhateverTheHistoryAndComments guards the page's query budget.
func TestDetails_CostsTheSameQueriesWhateverTheHistoryAndComments(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		counter := &webtest.QueryCounter{}
		w := newWorld(t, &db.DB{DB: d.DB.WithQueryHook(counter), Engine: d.Engine})
		ctx, svc := context.Background(), w.site.Services.Applications
		a := w.asEmployer(w.memberA, w.companyA)
		b := w.site.LoginAs(w.memberA)
		queries := func() int64 {
			before := counter.Count()
			webtest.WantStatus(t, b.Get(application.DetailsPath(w.app.PublicID)), http.StatusOK)
			return counter.Count() - before
		}
		first := queries()
		for i := 0; i < 5; i++ {
			if _, err := svc.AddComment(ctx, a, w.app.PublicID, fmt.Sprintf("Appel n°%d", i)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.Process(ctx, a, w.app.PublicID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Postpone(ctx, a, w.app.PublicID, "Nous revenons vers vous."); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddToPool(ctx, a, w.app.PublicID, ""); err != nil {
			t.Fatal(err)
		}
		if then := queries(); then != first {
			t.Fatalf("%d queries for a new candidature, %d with 3 transitions and 5 comments", first, then)
		}
	})
}

// TestActions_OnlyWhatTheTableAllowsToWhomItAllows: the buttons post to the service, which
// refuses others with a 404 and a state the table does not leave with a French message,
// changing nothing.
func TestActions_OnlyWhatTheTableAllowsToWhomItAllows(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.app.PublicID
		for _, u := range []*account.User{w.otherEmployer, w.prescriber, w.owner} {
			res := w.site.LoginAs(u).Post("/apply/"+id+"/siae/process", nil)
			if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
				t.Errorf("%s processes: %d", u.Email, res.StatusCode)
			}
		}
		webtest.WantStatus(t, w.site.Browser().Post("/apply/"+id+"/siae/process", nil), http.StatusForbidden)
		if s := w.state(t, id); s != application.New {
			t.Fatalf("state %s after refused attempts", s)
		}

		b := w.site.LoginAs(w.memberA)
		// Cancel is not allowed from new: a French message, nothing changes.
		webtest.WantRedirect(t, b.Post("/apply/"+id+"/siae/cancel", nil), application.DetailsPath(id))
		res := b.Get(application.DetailsPath(id))
		webtest.WantBody(t, res, "Vous ne pouvez pas annuler cette embauche.")
		// Staff may not reset a new one either, nor archive anything.
		staff := w.site.LoginAs(w.staff)
		staff.Post("/apply/"+id+"/siae/reset", nil)
		webtest.WantBody(t, staff.Get(application.DetailsPath(id)), "Action déjà effectuée.")
		webtest.WantStatus(t, staff.Post("/apply/"+id+"/siae/archive", nil), http.StatusForbidden)
		if s := w.state(t, id); s != application.New {
			t.Fatalf("state %s after refused transitions", s)
		}

		webtest.WantRedirect(t, b.Post("/apply/"+id+"/siae/process", nil), application.DetailsPath(id))
		if s := w.state(t, id); s != application.Processing {
			t.Fatalf("state %s after « Étudier »", s)
		}
		webtest.WantBody(t, b.Get(application.DetailsPath(id)), "La candidature est à l&#39;étude.", "Candidature à l&#39;étude »</strong> par Karim BENALI")

		// Postpone: the answer is required (R21, scenario 24).
		webtest.WantStatus(t, b.Get("/apply/"+id+"/siae/answer/postpone"), http.StatusOK)
		res = b.Post("/apply/"+id+"/siae/answer/postpone", url.Values{"answer": {"  "}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Ce champ est obligatoire.")
		if s := w.state(t, id); s != application.Processing {
			t.Fatalf("state %s after an empty postpone", s)
		}
		webtest.WantRedirect(t, b.Post("/apply/"+id+"/siae/answer/postpone", url.Values{"answer": {"Nous vous recontactons en mai."}}), application.DetailsPath(id))
		if s := w.state(t, id); s != application.Postponed {
			t.Fatalf("state %s after postpone", s)
		}
		// Pool, prefilled.
		webtest.WantBody(t, b.Get("/apply/"+id+"/siae/answer/pool"), "retenu notre attention")
		webtest.WantRedirect(t, b.Post("/apply/"+id+"/siae/answer/pool", url.Values{"answer": {""}}), application.DetailsPath(id))
		if s := w.state(t, id); s != application.Pool {
			t.Fatalf("state %s after pool", s)
		}
		// Postpone is not offered from pool? It is (T2 leaves pool); process too. Unknown action: 404.
		webtest.WantStatus(t, b.Post("/apply/"+id+"/siae/fly", nil), http.StatusNotFound)
	})
}

// TestTransferArchiveAndReset: the internal transfer to another company of the user (T10), the
// archives (R28) and staff's reset of an obsolete candidature (T12).
func TestTransferArchiveAndReset(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx, svc := context.Background(), w.site.Services.Applications
		id := w.app.PublicID
		// The member of A joins B: the page offers B.
		if _, err := d.NewRaw(`INSERT INTO company_membership (user_id, organization_id, joined_at, is_admin, is_active, created_at, updated_at)
			VALUES (?, ?, ?, FALSE, TRUE, ?, ?)`, w.memberA.ID, w.companyB.ID, time.Now(), time.Now(), time.Now()).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		b := w.site.LoginAs(w.memberA)
		res := b.Get(application.DetailsPath(id))
		webtest.WantBody(t, res, "transfer-form", w.companyB.UID)
		webtest.WantRedirect(t, b.Post("/apply/"+id+"/siae/transfer", url.Values{"target": {w.companyA.UID}}), application.DetailsPath(id))
		webtest.WantBody(t, b.Get(application.DetailsPath(id)), "La candidature est déjà dans cette structure.")
		webtest.WantRedirect(t, b.Post("/apply/"+id+"/siae/transfer", url.Values{"target": {w.companyB.UID}}), application.DetailsPath(id))
		var to int64
		if err := d.NewSelect().Table("job_application").Column("to_company_id").Where("public_id = ?", id).Scan(ctx, &to); err != nil || to != w.companyB.ID {
			t.Fatalf("transferred to %d (%v), want %d", to, err, w.companyB.ID)
		}

		// Another candidature of the same job seeker is accepted: this one becomes obsolete.
		other := w.submit(t, w.asPrescriber(w.prescriber), w.owner, w.companyA, nil)
		a := w.asEmployer(w.memberA, w.companyA)
		start := time.Now().UTC()
		if _, err := svc.Accept(ctx, a, other.PublicID, application.AcceptInput{HiringStartAt: &start}); err != nil {
			t.Fatal(err)
		}
		if s := w.state(t, id); s != application.Obsolete {
			t.Fatalf("state %s, want obsolete", s)
		}
		// Archive and unarchive (R28).
		webtest.WantRedirect(t, b.Post("/apply/"+id+"/siae/archive", nil), application.DetailsPath(id))
		webtest.WantBody(t, b.Get(application.DetailsPath(id)), "Archivée", "Désarchiver")
		webtest.WantRedirect(t, b.Post("/apply/"+id+"/siae/unarchive", nil), application.DetailsPath(id))
		webtest.WantNoBody(t, b.Get(application.DetailsPath(id)), "Désarchiver")
		// An employer may not reset; staff may.
		b.Post("/apply/"+id+"/siae/reset", nil)
		if s := w.state(t, id); s != application.Obsolete {
			t.Fatalf("an employer reset it: %s", s)
		}
		staff := w.site.LoginAs(w.staff)
		webtest.WantBody(t, staff.Get(application.DetailsPath(id)), "Réinitialiser")
		webtest.WantRedirect(t, staff.Post("/apply/"+id+"/siae/reset", nil), application.DetailsPath(id))
		if s := w.state(t, id); s != application.New {
			t.Fatalf("state %s after reset", s)
		}
		// Staff may also accept (T6), through the same wizard.
		webtest.WantStatus(t, staff.Get("/apply/"+id+"/accept?info=done"), http.StatusOK)
		start = w.site.Clock.Now().AddDate(0, 0, 1)
		webtest.WantRedirect(t, staff.Post("/apply/"+id+"/accept", url.Values{"hiring_start_at": {start.Format(time.DateOnly)}, "step": {"confirm"}}),
			application.DetailsPath(id))
		if s := w.state(t, id); s != application.Accepted {
			t.Fatalf("state %s after staff's acceptance", s)
		}
	})
}

// TestRefusalWizard_BadInputChangesNothingAndTheJobSeekerReadsASharedReason: §3.6, R22, R23.
func TestRefusalWizard_BadInputChangesNothingAndTheJobSeekerReadsASharedReason(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.app.PublicID
		b := w.site.LoginAs(w.memberA)
		path := "/apply/refuse?ids=" + id + "&next=" + url.QueryEscape(application.DetailsPath(id))
		res := b.Get(path)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Candidat non joignable", "Candidat non éligible", "Étape 1 sur 2")
		webtest.WantNoBody(t, res, "Refus automatique")
		// Others may not open it.
		webtest.WantStatus(t, w.site.LoginAs(w.prescriber).Get(path), http.StatusForbidden)
		res = w.site.LoginAs(w.otherEmployer).Get(path)
		webtest.WantRedirect(t, res, application.DetailsPath(id))

		form := url.Values{"ids": {id}, "next": {application.DetailsPath(id)}, "step": {"reason"}, "reason": {"auto"}}
		res = b.Post("/apply/refuse", form)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Choisissez un motif de refus de la liste.")
		form.Set("reason", "lacking_skills")
		form.Set("shared", "on")
		res = b.Post("/apply/refuse", form)
		webtest.WantStatus(t, res, http.StatusOK)
		// The messages step: prefilled, and the prescriber's message is asked (scenario 18).
		webtest.WantBody(t, res, "Étape 2 sur 2", "votre profil ne correspond pas", "Message au prescripteur")
		form.Set("step", "messages")
		form.Set("answer", "Votre profil ne correspond pas.")
		res = b.Post("/apply/refuse", form)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Ce champ est obligatoire.")
		if s := w.state(t, id); s != application.New {
			t.Fatalf("state %s after a refused form", s)
		}
		form.Set("answer_to_prescriber", "Il manque le permis B.")
		webtest.WantRedirect(t, b.Post("/apply/refuse", form), application.DetailsPath(id))
		if s := w.state(t, id); s != application.Refused {
			t.Fatalf("state %s after the wizard", s)
		}
		webtest.WantBody(t, b.Get(application.DetailsPath(id)), "La candidature de Julie CANDIDATE a bien été refusée.", "fr-badge--error")

		// The job seeker reads the shared reason, not the private message; the sender reads both.
		res = w.site.LoginAs(w.owner).Get(application.SenderDetailsPath(id))
		webtest.WantBody(t, res, "Motif de refus", "compétences requises", "Votre profil ne correspond pas.")
		webtest.WantNoBody(t, res, "Il manque le permis B.")
		res = w.site.LoginAs(w.prescriber).Get(application.SenderDetailsPath(id))
		webtest.WantBody(t, res, "compétences requises", "partagé avec le candidat", "Il manque le permis B.")

		// Refusing it again: the state is named (scenario 20's words), nothing changes.
		res = b.Get(path)
		webtest.WantRedirect(t, res, application.DetailsPath(id))
		webtest.WantBody(t, b.Get(application.DetailsPath(id)), "ne peut pas être refusée car elle est au statut « Candidature déclinée »")
	})
}

// TestRefusalWizard_ABatchRefusesTheRefusableOnesAndKeepsTheReasonPrivate: §3.6 with several
// candidatures, a job seeker's own among them (no prescriber message needed for it alone).
func TestRefusalWizard_ABatchRefusesTheRefusableOnesAndKeepsTheReasonPrivate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		own := w.submit(t, actor.Actor{UserID: w.otherJobSeeker.ID, Kind: actor.JobSeeker}, w.otherJobSeeker, w.companyA, nil)
		ids := own.PublicID + "," + w.app.PublicID + ",pas-un-uuid"
		b := w.site.LoginAs(w.memberA)
		res := b.Get("/apply/refuse?ids=" + ids + "&next=" + url.QueryEscape(application.InboxPath))
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Refuser 2 candidatures", "n’existe plus ou a été transférée")
		form := url.Values{"ids": {own.PublicID, w.app.PublicID}, "next": {application.InboxPath}, "step": {"messages"},
			"reason": {"no_position"}, "answer": {"Pas de poste."}, "answer_to_prescriber": {"Rien pour le moment."}}
		webtest.WantRedirect(t, b.Post("/apply/refuse", form), application.InboxPath)
		for _, id := range []string{own.PublicID, w.app.PublicID} {
			if s := w.state(t, id); s != application.Refused {
				t.Fatalf("%s is %s", id, s)
			}
		}
		res = w.site.LoginAs(w.otherJobSeeker).Get(application.SenderDetailsPath(own.PublicID))
		webtest.WantBody(t, res, "Pas de poste.")
		webtest.WantNoBody(t, res, "Motif de refus", "Pas de recrutement en cours")
	})
}

// TestAcceptWizard_BadInputThenConfirmationThenOneAcceptanceOnly: §3.5, R12, and two members
// confirming at once: exactly one acceptance, the second is told.
func TestAcceptWizard_BadInputThenConfirmationThenOneAcceptanceOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.app.PublicID
		second := w.site.EmployerOf(w.companyA, "membre2.a@example.org")
		b := w.site.LoginAs(w.memberA)
		res := b.Get("/apply/" + id + "/accept?info=done")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "PASS IAE", "Date de début du contrat")
		webtest.WantNoBody(t, res, "Contrat GEIQ")
		// Others: not their company (404), or not acting for it.
		webtest.WantStatus(t, w.site.LoginAs(w.otherEmployer).Get("/apply/"+id+"/accept"), http.StatusNotFound)
		webtest.WantStatus(t, w.site.LoginAs(w.prescriber).Get("/apply/"+id+"/accept"), http.StatusForbidden)

		yesterday := w.site.Clock.Now().AddDate(0, 0, -1).Format(time.DateOnly)
		res = b.Post("/apply/"+id+"/accept", url.Values{"hiring_start_at": {yesterday}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Il n&#39;est pas possible d&#39;antidater un contrat.")
		res = b.Post("/apply/"+id+"/accept", url.Values{"hiring_start_at": {"demain"}, "hired_job": {"inconnu"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Saisissez une date valide, au format JJ/MM/AAAA.")
		if s := w.state(t, id); s != application.New {
			t.Fatalf("state %s after refused forms", s)
		}
		start := w.site.Clock.Now().AddDate(0, 0, 3).Format(time.DateOnly)
		// « Ajouter un poste lié à un nouveau métier »: the métier must be one of the ROME.
		form := url.Values{"hiring_start_at": {start}, "answer": {"Bienvenue !"}, "hired_job": {"new"}, "appellation": {"Dompteur de licornes"}}
		res = b.Post("/apply/"+id+"/accept", form)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Ce métier n&#39;existe pas dans le répertoire ROME")
		form.Set("appellation", "10688")
		form.Set("advisor", w.otherEmployer.PublicID) // not a member of A
		res = b.Post("/apply/"+id+"/accept", form)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Choisissez un membre de votre structure.")
		form.Set("advisor", second.PublicID)
		res = b.Post("/apply/"+id+"/accept", form)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Confirmer l'embauche", "Bienvenue !", "Nouveau poste : 10688", "Karim BENALI", `id="accept-edit"`)
		// « Modifier » brings the contract step back as typed, and writes nothing.
		edit := url.Values{"step": {"confirm"}, "action": {"edit"}, "hiring_start_at": {start}, "answer": {"Bienvenue !"}}
		res = b.Post("/apply/"+id+"/accept", edit)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Étape 1 sur 2", `value="`+start+`"`, "Bienvenue !")
		webtest.WantNoBody(t, res, "Confirmer l'embauche")
		if s := w.state(t, id); s != application.New {
			t.Fatalf("state %s before the confirmation", s)
		}
		other := w.site.LoginAs(second)
		webtest.WantStatus(t, other.Post("/apply/"+id+"/accept", form), http.StatusOK) // both at the confirmation
		form.Set("step", "confirm")
		webtest.WantRedirect(t, b.Post("/apply/"+id+"/accept", form), application.DetailsPath(id))
		res = other.Post("/apply/"+id+"/accept", form)
		if res.StatusCode != http.StatusConflict && res.StatusCode != http.StatusSeeOther {
			t.Fatalf("second acceptance: %d", res.StatusCode)
		}
		if res.StatusCode == http.StatusSeeOther {
			res = other.Follow(res)
		}
		webtest.WantBody(t, res, "Cette candidature a déjà été acceptée.")
		var n int
		if err := d.NewSelect().Table("job_application_transition_log").ColumnExpr("COUNT(*)").
			Where("transition = ?", application.TAccept).Scan(context.Background(), &n); err != nil || n != 1 {
			t.Fatalf("%d acceptances logged (%v), want 1", n, err)
		}
		webtest.WantBody(t, b.Get(application.DetailsPath(id)), "Candidature acceptée !", "Annuler l&#39;embauche",
			// No NIR nor France Travail identifier: the support team delivers the PASS (§2.8-6).
			"Votre demande de PASS IAE est en cours de vérification auprès de l&#39;équipe support.", "Poste retenu")
		// The chosen advisor follows the job seeker for company A (§3.5-3, §2.2 step 4).
		if n, err := d.NewSelect().Table("job_seeker_assignment").Where("job_seeker_id = ?", w.owner.ID).
			Where("professional_id = ?", second.ID).Where("company_id = ?", w.companyA.ID).Count(context.Background()); err != nil || n != 1 {
			t.Fatalf("%d assignments of the advisor (%v)", n, err)
		}
		// The new métier's fiche is created closed, from the hire.
		var hired jobdesc.JobDescription
		if err := d.NewSelect().Model(&hired).Where("jd.id = (SELECT hired_job_id FROM job_application WHERE public_id = ?)", id).
			Scan(context.Background()); err != nil || hired.AppellationCode != "10688" || hired.IsActive || hired.CompanyID != w.companyA.ID {
			t.Fatalf("hired fiche %+v (%v)", hired, err)
		}
		// Cancel the hire (T8) of a candidature sent 3 years ago: once cancelled the employer no
		// longer sees it (R31), so the page sends them to the inbox.
		if _, err := d.NewUpdate().Table("job_application").Set("created_at = ?", w.site.Clock.Now().AddDate(-3, 0, 0)).
			Where("public_id = ?", id).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		webtest.WantStatus(t, b.Get(application.DetailsPath(id)), http.StatusOK)
		webtest.WantRedirect(t, b.Post("/apply/"+id+"/siae/cancel", nil), application.InboxPath)
		webtest.WantStatus(t, b.Get(application.DetailsPath(id)), http.StatusNotFound)
		if s := w.state(t, id); s != application.Cancelled {
			t.Fatalf("state %s after cancel", s)
		}
	})
}

// TestGEIQ_ContractFieldsPriorActionsAndComments: the GEIQ acceptance fields (scenario 15), the
// prior actions (scenario 34) and the comments of the employer's page.
func TestGEIQ_ContractFieldsPriorActionsAndComments(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		geiq := w.site.StoredCompany(org.GEIQ, openSpontaneous)
		member := w.site.EmployerOf(geiq, "geiq@example.org")
		fiche, err := w.site.Services.Jobdescs.Create(ctx, w.asEmployer(member, geiq), geiq.ID,
			jobdesc.Input{Appellation: "Auxiliaire de vie", ContractType: "APPRENTICESHIP", OpenPositions: "1"})
		if err != nil {
			t.Fatalf("fiche: %v", err)
		}
		app := w.submit(t, w.asPrescriber(w.prescriber), w.owner, geiq, nil)
		id := app.PublicID
		b := w.site.LoginAs(member)

		// Comments: required, then added, then deleted by their author only.
		res := b.Post("/apply/"+id+"/siae/comments", url.Values{"message": {" "}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Ce champ est obligatoire.")
		webtest.WantRedirect(t, b.Post("/apply/"+id+"/siae/comments", url.Values{"message": {"Appelée le 3 mars."}}), application.DetailsPath(id))
		list, err := w.site.Services.Applications.Comments(ctx, w.asEmployer(member, geiq), id)
		if err != nil || len(list) != 1 {
			t.Fatalf("comments %v, %v", list, err)
		}
		webtest.WantBody(t, b.Get(application.DetailsPath(id)), "Appelée le 3 mars.", "Supprimer mon commentaire")
		webtest.WantBody(t, w.site.LoginAs(w.prescriber).Get(application.SenderDetailsPath(id)), "Mission locale")
		webtest.WantNoBody(t, w.site.LoginAs(w.prescriber).Get(application.SenderDetailsPath(id)), "Appelée le 3 mars.")
		webtest.WantRedirect(t, b.Post("/apply/"+id+"/siae/comments/"+list[0].PublicID+"/delete", nil), application.DetailsPath(id))
		webtest.WantNoBody(t, b.Get(application.DetailsPath(id)), "Appelée le 3 mars.")

		// Prior actions: dates checked, the first one moves to prior_to_hire, deleting it back.
		res = b.Post("/apply/"+id+"/siae/prior-actions", url.Values{"action": {"PMSMP"}, "start_at": {"2026-03-10"}, "end_at": {"2026-03-01"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "postérieure à la date de début")
		webtest.WantRedirect(t, b.Post("/apply/"+id+"/siae/prior-actions", url.Values{"action": {"PMSMP"}, "start_at": {"2026-03-01"}, "end_at": {"2026-03-10"}}), application.DetailsPath(id))
		if s := w.state(t, id); s != application.PriorToHire {
			t.Fatalf("state %s after a prior action", s)
		}
		actions, err := w.site.Services.Applications.PriorActions(ctx, w.asEmployer(member, geiq), id)
		if err != nil || len(actions) != 1 {
			t.Fatalf("prior actions %v, %v", actions, err)
		}
		webtest.WantRedirect(t, b.Post("/apply/"+id+"/siae/prior-actions/"+actions[0].PublicID+"/delete", nil), application.DetailsPath(id))
		if s := w.state(t, id); s != application.Processing {
			t.Fatalf("state %s after deleting the prior action", s)
		}

		// Acceptance: the GEIQ fields and the hired fiche are required; « Autre » needs details.
		res = b.Get("/apply/" + id + "/accept?info=done")
		webtest.WantBody(t, res, "Contrat GEIQ", "Postes ouverts au recrutement", "Auxiliaire de vie")
		webtest.WantNoBody(t, res, "pass-notice")
		start := w.site.Clock.Now().AddDate(0, 0, 1).Format(time.DateOnly)
		form := url.Values{"hiring_start_at": {start}, "contract_type": {"OTHER"}, "nb_hours_per_week": {"35"},
			"qualification_type": {"CQP"}, "qualification_level": {"LEVEL_3"}, "planned_training_hours": {"100"}}
		res = b.Post("/apply/"+id+"/accept", form)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Les précisions sont nécessaires pour ce type de contrat.")
		form.Set("contract_type_details", "CDD de droit commun")
		form.Set("hired_job", fiche.UID)
		form.Set("step", "confirm")
		webtest.WantRedirect(t, b.Post("/apply/"+id+"/accept", form), application.DetailsPath(id))
		var got application.Application
		if err := d.NewSelect().Model(&got).Where("public_id = ?", id).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if got.State != application.Accepted || got.ContractTypeDetails != "CDD de droit commun" || got.HiredJobID == nil ||
			got.ApprovalDeliveryMode != application.DeliveryNone {
			t.Fatalf("accepted GEIQ candidature: %+v", got)
		}
		// Frozen once accepted (R32): no prior action form any more.
		webtest.WantNoBody(t, b.Get(application.DetailsPath(id)), "prior-action-form")
	})
}

// TestActions_NobodyOutsideTheReceivingCompanyChangesAnything tries every action of the page as
// every other role: each is refused (403, 404, or the login for a visitor) and nothing is
// written — no transition, no comment, no archive. Staff may only fire the staff transitions.
func TestActions_NobodyOutsideTheReceivingCompanyChangesAnything(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.app.PublicID
		posts := []struct {
			path string
			form url.Values
		}{
			{"/siae/process", nil}, {"/siae/cancel", nil}, {"/siae/reset", nil}, {"/siae/archive", nil}, {"/siae/unarchive", nil},
			{"/siae/transfer", url.Values{"target": {w.companyB.UID}}},
			{"/siae/answer/postpone", url.Values{"answer": {"Plus tard."}}}, {"/siae/answer/pool", url.Values{"answer": {""}}},
			{"/siae/comments", url.Values{"message": {"Un mot."}}},
			{"/accept", url.Values{"hiring_start_at": {w.site.Clock.Now().Format(time.DateOnly)}, "step": {"confirm"}}},
		}
		refuse := url.Values{"ids": {id}, "next": {"/dashboard"}, "step": {"messages"}, "reason": {"other"},
			"answer": {"Non."}, "answer_to_prescriber": {"Non."}}
		for _, u := range []*account.User{w.otherEmployer, w.prescriber, w.colleague, w.otherPresc, w.orienteur, w.owner, w.otherJobSeeker, nil} {
			b := w.site.Browser()
			who := "anonymous"
			if u != nil {
				b, who = w.site.LoginAs(u), u.Email
			}
			for _, p := range posts {
				if res := b.Post("/apply/"+id+p.path, p.form); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
					t.Errorf("%s POST %s: %d", who, p.path, res.StatusCode)
				}
			}
			b.Post("/apply/refuse", refuse)
		}
		staff := w.site.LoginAs(w.staff)
		for _, p := range posts[3:9] { // archives, transfer, answers, comments: employers only
			if res := staff.Post("/apply/"+id+p.path, p.form); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
				t.Errorf("staff POST %s: %d", p.path, res.StatusCode)
			}
		}
		webtest.WantStatus(t, staff.Post("/apply/refuse", refuse), http.StatusForbidden)
		if s := w.state(t, id); s != application.New {
			t.Fatalf("state %s", s)
		}
		for _, table := range []string{"job_application_transition_log", "job_application_comment"} {
			if n, err := d.NewSelect().Table(table).Count(context.Background()); err != nil || n != 0 {
				t.Errorf("%s: %d rows (%v)", table, n, err)
			}
		}
		var archived int
		if err := d.NewSelect().Table("job_application").ColumnExpr("COUNT(*)").Where("archived_at IS NOT NULL").Scan(context.Background(), &archived); err != nil || archived != 0 {
			t.Errorf("%d archived (%v)", archived, err)
		}
	})
}

// TestDetails_TheSendingEmployerSeesTheSenderPage: an employer orienting a job seeker to another
// company follows the candidature from the sender's page, without the receiver's actions.
func TestDetails_TheSendingEmployerSeesTheSenderPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		app := w.submit(t, w.asEmployer(w.otherEmployer, w.companyB), w.otherJobSeeker, w.companyA, nil)
		b := w.site.LoginAs(w.otherEmployer)
		res := b.Get(application.SenderDetailsPath(app.PublicID))
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Anne AUTRE", "Employeur", w.companyB.Name)
		webtest.WantNoBody(t, res, "application-actions")
		webtest.WantStatus(t, b.Get(application.DetailsPath(app.PublicID)), http.StatusNotFound)
	})
}
