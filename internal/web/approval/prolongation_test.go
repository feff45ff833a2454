package approval_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/application/resumetest"
	"emplois/internal/approval"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/localtime"
	"emplois/internal/platform/xlsx/xlsxtest"
	"emplois/internal/web/webtest"
)

// endingIn is the start of a PASS of the default duration that ends days after today.
func endingIn(days int) time.Time { return today().AddDate(0, 0, days-approval.DefaultDays+1) }

// habilitated is a member of a new habilitated prescriber organization.
func habilitated(t *testing.T, site *webtest.Site, name string) (*account.User, *org.PrescriberOrganization) {
	t.Helper()
	p := site.Prescriber(org.ML, name, true)
	return site.Member(org.TypePrescriber, p.ID, fmt.Sprintf("prescripteur%d@example.org", seq()), "Paula", "Prescriptrice"), p
}

func declarePath(p *approval.Approval) string { return "/approvals/declare_prolongation/" + p.PublicID }

// previewed posts the declaration form (with files, when any) and returns the path of the
// preview it leads to.
func previewed(t *testing.T, b *webtest.Browser, p *approval.Approval, form url.Values, files map[string][]byte) string {
	t.Helper()
	res := b.PostMultipart(declarePath(p), form, files)
	webtest.WantStatus(t, res, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, declarePath(p)+"/preview/") {
		t.Fatalf("the form leads to %q, not to its preview", loc)
	}
	return loc
}

func requestForm(reason approval.ProlongationReason, end time.Time, prescriber string) url.Values {
	return url.Values{"reason": {string(reason)}, "end_at": {iso(end)}, "prescriber_email": {prescriber},
		"reason_explanation": {"Le salarié poursuit son parcours."}}
}

func TestDeclarePage_Scenario15_ADirectProlongationAtOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		h := passFrom(t, site, org.EI, endingIn(60))
		b := site.LoginAs(h.Employer)
		res := b.Get(declarePath(h.Pass))
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "<h1>Prolonger un PASS IAE</h1>", "La prolongation commence le "+localtime.Date(h.Pass.EndAt),
			"Fin d&#39;une formation", "CDI conclu avec une personne de plus de 57 ans", `enctype="multipart/form-data"`)
		// Scenario 20: an EI is not offered PARTICULAR_DIFFICULTIES, nor the report file (AI only).
		webtest.WantNoBody(t, res, "PARTICULAR_DIFFICULTIES", `name="report_file"`)

		mails := len(site.Mails())
		preview := previewed(t, b, h.Pass, url.Values{"reason": {"COMPLETE_TRAINING"}, "end_at": {iso(h.Pass.EndAt.AddDate(0, 0, 30))}}, nil)
		res = b.Get(preview)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Fin d&#39;une formation", "du "+localtime.Date(h.Pass.EndAt)+" au "+localtime.Date(h.Pass.EndAt.AddDate(0, 0, 30)),
			"le PASS IAE sera prolongé immédiatement")
		webtest.WantNoBody(t, res, "Prescripteur habilité", "Fichier bilan")
		res = b.Post(preview, nil)
		webtest.WantRedirect(t, res, "/approvals/details/"+h.Pass.PublicID)
		got := reload(t, site, h.Pass)
		if !got.EndAt.Equal(h.Pass.EndAt.AddDate(0, 0, 30)) || len(got.Prolongations) != 1 || got.Prolongations[0].ValidatedByID != nil {
			t.Errorf("end %s, %d prolongations", got.EndAt, len(got.Prolongations))
		}
		if len(site.Mails()) != mails {
			t.Error("a direct prolongation sends mails")
		}
		if !strings.Contains(site.AuditActions(), approval.ActionProlonged) {
			t.Errorf("audit: %s", site.AuditActions())
		}
	})
}

func TestDeclarePage_RefusedInput_CapsDatesAndPermissions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		h := passFrom(t, site, org.AI, endingIn(60))
		b := site.LoginAs(h.Employer)
		path := declarePath(h.Pass)
		_, p := habilitated(t, site, "Mission locale de Lyon")
		_ = p
		orienteurOrg := site.Prescriber(org.OtherKind, "Association", false)
		orienteur := site.Member(org.TypePrescriber, orienteurOrg.ID, "orienteur@example.org", "Omar", "Orienteur")
		for _, c := range []struct {
			name string
			form url.Values
			want string
		}{
			{"past the per-declaration maximum", url.Values{"reason": {"COMPLETE_TRAINING"}, "end_at": {iso(h.Pass.EndAt.AddDate(0, 0, 366))}},
				"La durée de la prolongation est trop longue : sa date de fin doit être au plus tard le " + localtime.Date(h.Pass.EndAt.AddDate(0, 0, 365))},
			{"end = start (20)", url.Values{"reason": {"COMPLETE_TRAINING"}, "end_at": {iso(h.Pass.EndAt)}},
				"La date de fin de la prolongation doit être postérieure à sa date de début."},
			{"no reason", url.Values{"end_at": {iso(h.Pass.EndAt.AddDate(0, 0, 3))}}, "Ce champ est obligatoire."},
			{"a request without prescriber", requestForm(approval.Senior, h.Pass.EndAt.AddDate(0, 0, 30), ""), "Ce champ est obligatoire."},
			{"an orienteur instead of a habilitated prescriber", requestForm(approval.RQTH, h.Pass.EndAt.AddDate(0, 0, 30), orienteur.Email),
				"Cette adresse e-mail n&#39;est pas celle d&#39;un prescripteur habilité."},
			{"phone interview without contact (25)", func() url.Values {
				f := requestForm(approval.RQTH, h.Pass.EndAt.AddDate(0, 0, 30), "x@example.org")
				f.Set("require_phone_interview", "on")
				return f
			}(), "L&#39;adresse e-mail et le téléphone de contact sont obligatoires pour un entretien téléphonique."},
		} {
			res := b.Post(path, c.form)
			webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
			if !strings.Contains(res.Body, c.want) {
				t.Errorf("%s: want %q in the refused form", c.name, c.want)
			}
		}
		// A report file that is not an Excel workbook (a PDF here) is refused, and nothing is kept.
		form := requestForm(approval.RQTH, h.Pass.EndAt.AddDate(0, 0, 30), "x@example.org")
		res := b.PostMultipart(path, form, map[string][]byte{"report_file": resumetest.PDF()})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Le fichier bilan doit être un fichier Excel (.xlsx).")
		if n := count(t, site, "prolongation") + count(t, site, "prolongation_request"); n != 0 || !reload(t, site, h.Pass).EndAt.Equal(h.Pass.EndAt) {
			t.Errorf("%d rows written by refused forms", n)
		}

		// Another SIAE, a job seeker, a prescriber: 404 or 403.
		stranger := site.EmployerOf(site.Company(org.AI, "Autre AI"), "autre.ai@example.org")
		webtest.WantStatus(t, site.LoginAs(stranger).Get(path), http.StatusNotFound)
		webtest.WantStatus(t, site.LoginAs(stranger).Post(path, url.Values{"reason": {"COMPLETE_TRAINING"}, "end_at": {iso(h.Pass.EndAt.AddDate(0, 0, 3))}}), http.StatusNotFound)
		webtest.WantStatus(t, site.LoginAs(h.JobSeeker).Get(path), http.StatusForbidden)
		webtest.WantStatus(t, site.LoginAs(orienteur).Get(path), http.StatusForbidden)
	})
}

func TestDeclarePage_Scenarios20And21_ReasonsPerKindAndRemainingCap(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		h := passFrom(t, site, org.AI, endingIn(60))
		// 1095 days of prolongations already (three years of training), stored as they were.
		ctx := context.Background()
		from := h.Pass.StartAt.AddDate(0, 0, -1095)
		for i := range 3 {
			start := from.AddDate(0, 0, 365*i)
			if _, err := site.DB.NewRaw(`INSERT INTO prolongation (approval_id, start_at, end_at, reason, declared_by_company_id, created_at, updated_at)
				VALUES (?, ?, ?, 'COMPLETE_TRAINING', ?, ?, ?)`, h.Pass.ID, start, start.AddDate(0, 0, 365), h.Company.ID, time.Now(), time.Now()).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		b := site.LoginAs(h.Employer)
		res := b.Get(declarePath(h.Pass))
		webtest.WantStatus(t, res, http.StatusOK)
		for _, r := range []approval.ProlongationReason{approval.RQTH, approval.ParticularDifficulties} {
			webtest.WantBody(t, res, `value="`+string(r)+`" disabled`)
		}
		webtest.WantNoBody(t, res, `value="SENIOR" disabled`)
		webtest.WantBody(t, res, `value="SENIOR"`, "Indisponible : les prolongations de ce PASS IAE atteignent déjà la durée maximale pour ce motif.", `name="report_file"`)
		user, _ := habilitated(t, site, "Cap Emploi")
		res = b.Post(declarePath(h.Pass), requestForm(approval.RQTH, today().AddDate(0, 0, 90), user.Email))
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "La durée totale des prolongations de ce PASS IAE atteint déjà le maximum pour ce motif.")
		if count(t, site, "prolongation_request") != 0 {
			t.Error("a request past the cap was stored")
		}
	})
}

func TestDeclarePage_Scenario22_TheWindowEndsSixMonthsAfterThePASS(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		ended := func(end time.Time) hiredPass {
			return passFrom(t, site, org.ACI, end.AddDate(0, 0, -approval.DefaultDays+1))
		}
		five := ended(localtime.AddMonths(today(), -5))
		res := site.LoginAs(five.Employer).Get(declarePath(five.Pass))
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, `id="prolongation-form"`)
		late := ended(localtime.AddMonths(today(), -6).AddDate(0, 0, -1))
		b := site.LoginAs(late.Employer)
		res = b.Get(declarePath(late.Pass))
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Prolongation indisponible", "Ce PASS IAE a expiré depuis plus de 6 mois : il ne peut plus être prolongé.")
		webtest.WantNoBody(t, res, `id="prolongation-form"`)
		res = b.Post(declarePath(late.Pass), url.Values{"reason": {"COMPLETE_TRAINING"}, "end_at": {iso(late.Pass.EndAt.AddDate(0, 0, 10))}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Ce PASS IAE a expiré depuis plus de 6 mois")
	})
}

func TestRequestPages_Scenarios16To18And23_RequestedListedGranted(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		h := passFrom(t, site, org.AI, endingIn(60))
		prescriber, porg := habilitated(t, site, "Mission locale de Lyon")
		colleague := site.Member(org.TypePrescriber, porg.ID, "collegue@example.org", "Céline", "Collègue")
		eb := site.LoginAs(h.Employer)

		// 16: SENIOR with a report file: a PENDING request, the prescriber is mailed, the end stays.
		end := h.Pass.EndAt.AddDate(0, 0, 200)
		report := xlsxtest.Workbook()
		preview := previewed(t, eb, h.Pass, requestForm(approval.Senior, end, strings.ToUpper(prescriber.Email)),
			map[string][]byte{"report_file": report})
		res := eb.Post(preview, nil)
		webtest.WantRedirect(t, res, "/approvals/details/"+h.Pass.PublicID)
		got := reload(t, site, h.Pass)
		req := got.PendingRequest()
		if req == nil || !got.EndAt.Equal(h.Pass.EndAt) || req.ReportFileKey == "" {
			t.Fatalf("request %+v, end %s", req, got.EndAt)
		}
		link := site.LinkIn(prescriber.Email, "/approvals/prolongation/request/")
		if link != approval.RequestPath(req.ID) {
			t.Errorf("the prescriber's mail links %s", link)
		}
		// 17: the page now says a request is pending.
		res = eb.Get(declarePath(h.Pass))
		webtest.WantBody(t, res, "Une demande de prolongation est déjà en attente pour ce PASS IAE.")

		// 23: the list is for habilitated organizations only.
		orienteurOrg := site.Prescriber(org.OtherKind, "Association", false)
		orienteur := site.LoginAs(site.Member(org.TypePrescriber, orienteurOrg.ID, "orienteur@example.org", "Omar", "Orienteur"))
		webtest.WantStatus(t, orienteur.Get("/approvals/prolongation/requests"), http.StatusNotFound)
		webtest.WantStatus(t, eb.Get("/approvals/prolongation/requests"), http.StatusNotFound)
		webtest.WantStatus(t, eb.Get(approval.RequestPath(req.ID)), http.StatusNotFound)
		other, _ := habilitated(t, site, "France Travail Lille")
		ob := site.LoginAs(other)
		res = ob.Get("/approvals/prolongation/requests")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Aucune demande de prolongation.")
		webtest.WantStatus(t, ob.Get(approval.RequestPath(req.ID)), http.StatusNotFound)
		webtest.WantStatus(t, ob.Get(approval.RequestPath(req.ID)+"/report"), http.StatusNotFound)
		webtest.WantStatus(t, ob.Post(approval.RequestPath(req.ID)+"/grant", nil), http.StatusNotFound)

		cb := site.LoginAs(colleague)
		res = cb.Get("/approvals/prolongation/requests")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "1 demande de prolongation.", "Lina Titulaire", h.Pass.DisplayNumber(), `id="header-prolongations-link"`)
		webtest.WantNoBody(t, cb.Get("/approvals/prolongation/requests?status=GRANTED"), "Lina Titulaire")
		webtest.WantBody(t, cb.Get("/approvals/prolongation/requests?status=PENDING"), "Lina Titulaire")
		res = cb.Get(approval.RequestPath(req.ID))
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "À traiter", "50 ans et plus", "Le salarié poursuit son parcours.", `id="grant-button"`, `id="report-link"`)
		res = cb.Get(approval.RequestPath(req.ID) + "/report")
		webtest.WantStatus(t, res, http.StatusOK)
		if res.Body != string(report) || res.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Errorf("report download: %s", res.Header.Get("Content-Type"))
		}

		// §7: the organization loses its habilitation: the grant is refused, nothing moves.
		if _, err := site.DB.NewRaw(`UPDATE prescriber_organization SET authorization_status = 'REFUSED' WHERE id = ?`, porg.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		webtest.WantStatus(t, cb.Post(approval.RequestPath(req.ID)+"/grant", nil), http.StatusForbidden)
		if got := reload(t, site, h.Pass); got.PendingRequest() == nil {
			t.Fatal("granted without habilitation")
		}
		if _, err := site.DB.NewRaw(`UPDATE prescriber_organization SET authorization_status = 'VALIDATED' WHERE id = ?`, porg.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}

		// 18: a colleague grants it: the PASS ends with the prolongation; employer and job seeker are mailed.
		res = cb.Post(approval.RequestPath(req.ID)+"/grant", nil)
		webtest.WantRedirect(t, res, approval.RequestPath(req.ID))
		res = cb.Follow(res)
		webtest.WantBody(t, res, "La prolongation est acceptée", "Acceptée")
		webtest.WantNoBody(t, res, `id="grant-button"`)
		got = reload(t, site, h.Pass)
		if !got.EndAt.Equal(end) || len(got.Prolongations) != 1 || *got.Prolongations[0].ValidatedByID != colleague.ID || got.Requests[0].Status != approval.RequestGranted {
			t.Errorf("granted: end %s, %d prolongations", got.EndAt, len(got.Prolongations))
		}
		site.LinkIn(h.Employer.Email, "/approvals/details/"+h.Pass.PublicID)
		site.LinkIn(h.JobSeeker.Email, "/approvals/details/"+h.Pass.PublicID)
		// Granted twice: a message, nothing more.
		res = cb.Follow(cb.Post(approval.RequestPath(req.ID)+"/grant", nil))
		webtest.WantBody(t, res, "Cette demande de prolongation a déjà été acceptée.")
		if n := count(t, site, "prolongation"); n != 1 {
			t.Errorf("%d prolongations after a second grant", n)
		}
		if !strings.Contains(site.AuditActions(), approval.ActionProlongationAsked) || !strings.Contains(site.AuditActions(), approval.ActionProlongationGranted) {
			t.Errorf("audit: %s", site.AuditActions())
		}
	})
}

func TestDenyPage_Scenario19_IAENeedsProposedActions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		h := passFrom(t, site, org.ACI, endingIn(60))
		prescriber, _ := habilitated(t, site, "Cap Emploi du Rhône")
		eb := site.LoginAs(h.Employer)
		webtest.WantRedirect(t, eb.Post(previewed(t, eb, h.Pass, requestForm(approval.RQTH, h.Pass.EndAt.AddDate(0, 0, 100), prescriber.Email), nil), nil),
			"/approvals/details/"+h.Pass.PublicID)
		req := reload(t, site, h.Pass).PendingRequest()
		path := approval.RequestPath(req.ID) + "/deny"
		pb := site.LoginAs(prescriber)
		res := pb.Get(path)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "<h1>Refuser une demande de prolongation</h1>", "L&#39;IAE ne correspond plus aux besoins", "Sortie de l&#39;IAE vers l&#39;emploi")

		res = pb.Post(path, url.Values{"reason": {"IAE"}, "reason_explanation": {"Le parcours est achevé."}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Choisissez au moins une action proposée.", "Précisez les actions proposées.")
		res = pb.Post(path, url.Values{"reason": {"IAE"}})
		webtest.WantBody(t, res, "Expliquez le motif du refus.")
		if reload(t, site, h.Pass).PendingRequest() == nil {
			t.Fatal("a refused form decided the request")
		}
		mails := len(site.Mails())
		res = pb.Post(path, url.Values{"reason": {"IAE"}, "reason_explanation": {"Le parcours est achevé."},
			"proposed_actions": {"EXIT_IAE", "OTHER"}, "proposed_actions_explanation": {"Orientation vers un emploi classique."}})
		webtest.WantRedirect(t, res, approval.RequestPath(req.ID))
		res = pb.Follow(res)
		webtest.WantBody(t, res, "Refusée", "Le parcours est achevé.", "Sortie de l&#39;IAE vers l&#39;emploi", "Orientation vers un emploi classique.")
		got := reload(t, site, h.Pass)
		if got.Requests[0].Status != approval.RequestDenied || !got.EndAt.Equal(h.Pass.EndAt) {
			t.Errorf("denied: %s, end %s", got.Requests[0].Status, got.EndAt)
		}
		if n := len(site.Mails()) - mails; n != 2 {
			t.Errorf("%d mails for the refusal, want the employer's and the job seeker's", n)
		}
		// Decided: the refusal page sends back to the request.
		webtest.WantRedirect(t, pb.Get(path), approval.RequestPath(req.ID))
		if !strings.Contains(site.AuditActions(), approval.ActionProlongationDenied) {
			t.Errorf("audit: %s", site.AuditActions())
		}
	})
}

func TestRequestsList_CostsTheSameQueriesWhateverItsLength(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		counter := &webtest.QueryCounter{}
		site := webtest.New(t, &db.DB{DB: d.DB.WithQueryHook(counter), Engine: d.Engine}).WithDemoCommunes()
		prescriber, _ := habilitated(t, site, "Mission locale de Lyon")
		request := func() {
			h := passFrom(t, site, org.AI, endingIn(60))
			if _, err := site.Services.Approvals.Prolong(context.Background(), webtest.EmployerActor(h.Employer, h.Company), h.Pass.PublicID,
				approval.ProlongationInput{Reason: approval.RQTH, EndAt: h.Pass.EndAt.AddDate(0, 0, 30), PrescriberEmail: prescriber.Email}); err != nil {
				t.Fatal(err)
			}
		}
		b := site.LoginAs(prescriber)
		queries := func() int64 {
			before := counter.Count()
			res := b.Get("/approvals/prolongation/requests?status=PENDING")
			webtest.WantStatus(t, res, http.StatusOK)
			return counter.Count() - before
		}
		request()
		one := queries()
		for range 4 {
			request()
		}
		if five := queries(); five != one {
			t.Errorf("the list costs %d queries with one request, %d with five", one, five)
		}
		webtest.WantBody(t, b.Get("/approvals/prolongation/requests"), "5 demandes de prolongation.")
	})
}
