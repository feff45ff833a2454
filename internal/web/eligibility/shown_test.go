package eligibility_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"emplois/internal/application"
	"emplois/internal/eligibility"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

// The candidature page tells the IAE eligibility seen from each side: « à valider » with the
// link for the authorized prescriber who sent it; once validated, the author and criteria for
// the receiving SIAE; another SIAE's diagnosis never shows (edge case 43).
func TestCandidaturePage_ShowsTheEligibilitySeenFromTheViewer(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := t.Context()
		presc := webtest.PrescriberActor(w.prescriber, w.prescriberOrg)
		// The EI's own diagnosis, from an earlier hire: never seen by the ACI.
		if _, err := w.site.Services.Eligibility.CreateIAE(ctx, webtest.EmployerActor(w.eiMember, w.ei), w.jobSeeker.PublicID,
			w.keyList(eligibility.RSA), eligibility.CreateOptions{ForHiring: true}); err != nil {
			t.Fatal(err)
		}
		app := w.site.ApplySpontaneously(webtest.JobSeekerActor(w.jobSeeker), w.aci, w.jobSeeker)
		employer := w.site.LoginAs(w.aciMember)
		res := employer.Get(application.DetailsPath(app.PublicID))
		webtest.WantStatus(t, res, http.StatusOK)
		wantText(t, res, "Éligibilité IAE à valider")
		webtest.WantNoBody(t, res, "Bénéficiaire du RSA", `id="eligibility-action"`)

		sent := w.site.ApplySpontaneously(presc, w.ei, w.jobSeeker)
		b := w.site.LoginAs(w.prescriber)
		res = b.Get(application.SenderDetailsPath(sent.PublicID))
		wantText(t, res, "Éligibilité IAE à valider", "Valider l'éligibilité IAE")
		webtest.WantBody(t, res, `href="`+eligibility.IAEPath(w.jobSeeker.PublicID, application.SenderDetailsPath(sent.PublicID))+`"`)

		// The prescriber validates from the candidature and comes back to it.
		res = b.Post(eligibility.IAEPath(w.jobSeeker.PublicID, application.SenderDetailsPath(sent.PublicID)), w.keys(eligibility.QPV))
		webtest.WantRedirect(t, res, application.SenderDetailsPath(sent.PublicID))
		res = b.Follow(res)
		wantText(t, res, "Éligibilité IAE validée", "Résident QPV", "Paula Prescriptrice (Mission locale de Lille)", "Mettre à jour l'éligibilité IAE")

		res = employer.Get(application.DetailsPath(app.PublicID))
		wantText(t, res, "Éligibilité IAE validée", "Résident QPV")
		webtest.WantNoBody(t, res, "Bénéficiaire du RSA", `id="eligibility-action"`)
	})
}

// The SIAE inbox shows each card's eligibility badge; a GEIQ's inbox shows none.
func TestInbox_ShowsTheEligibilityBadgeOfEachCardOfAnSIAE(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		other := w.site.CreateUser("job_seeker", "autre@example.org", "Zoé", "Autre")
		w.pass(other, time.Now().UTC().AddDate(0, 3, 0))
		w.site.ApplySpontaneously(webtest.JobSeekerActor(w.jobSeeker), w.aci, w.jobSeeker)
		w.site.ApplySpontaneously(webtest.JobSeekerActor(other), w.aci, other)
		res := w.site.LoginAs(w.aciMember).Get(application.InboxPath)
		webtest.WantStatus(t, res, http.StatusOK)
		wantText(t, res, "Éligibilité IAE à valider", "PASS IAE valide")
		w.site.ApplySpontaneously(webtest.JobSeekerActor(w.jobSeeker), w.geiq, w.jobSeeker)
		res = w.site.LoginAs(w.geiqMember).Get(application.InboxPath)
		webtest.WantStatus(t, res, http.StatusOK)
		if strings.Contains(res.Text(), "Éligibilité IAE") {
			t.Error("a GEIQ's inbox shows IAE eligibility")
		}
	})
}

// The job seeker's dashboard shows their own diagnosis by a prescriber, and the waiting
// period of their latest PASS (§2.9).
func TestDashboard_TheJobSeekerSeesTheirDiagnosisAndWaitingPeriod(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		b := w.site.LoginAs(w.jobSeeker)
		webtest.WantNoBody(t, b.Get("/dashboard"), `id="dashboard-eligibility"`)
		w.pass(w.jobSeeker, time.Now().UTC().AddDate(-1, 0, 0))
		wantText(t, b.Get("/dashboard"), "un délai de carence s'applique jusqu'au")
		if _, err := w.site.Services.Eligibility.CreateIAE(t.Context(), webtest.PrescriberActor(w.prescriber, w.prescriberOrg),
			w.jobSeeker.PublicID, w.keyList(eligibility.RSA), eligibility.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		wantText(t, b.Get("/dashboard"), "Éligibilité IAE validée", "Bénéficiaire du RSA", "Paula Prescriptrice",
			"vous pouvez de nouveau travailler dans une structure de l'insertion")
	})
}

// The job seeker's page offers the eligibility page to an authorized prescriber only.
func TestJobSeekerPage_LinksToTheEligibilityForAuthorizedPrescribersOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		path := "/job-seekers/details/" + w.jobSeeker.PublicID
		webtest.WantBody(t, w.site.LoginAs(w.prescriber).Get(path), `id="job-seeker-eligibility"`)
		webtest.WantNoBody(t, w.site.LoginAs(w.aciMember).Get(path), `id="job-seeker-eligibility"`)
	})
}

// Scenario 7 of applications.md through the tunnel: an authorized prescriber applying to an SIAE
// is sent to the eligibility page after the jobs, and comes back; an orienteur is not.
func TestTunnel_AnAuthorizedPrescriberValidatesTheEligibilityBeforeTheMessage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		w.profile(w.jobSeeker)
		walk := func(b *webtest.Browser) (key string, message *webtest.Response) {
			t.Helper()
			res := b.Get(application.StartPath(w.aci.UID) + "?job_seeker_public_id=" + w.jobSeeker.PublicID)
			wantLocation(t, res, "/apply/")
			key = strings.Split(res.Header.Get("Location"), "/")[2]
			for res.StatusCode == http.StatusSeeOther && !strings.HasSuffix(res.Header.Get("Location"), "/jobs") {
				res = b.Follow(res)
			}
			tunnel := "/apply/" + key + "/tunnel/"
			if res.StatusCode != http.StatusSeeOther {
				b.Post(tunnel+"check", url.Values{})
			}
			webtest.WantRedirect(t, b.Post(tunnel+"jobs", url.Values{"jobs": {"spontaneous"}}), tunnel+"message")
			return key, b.Get(tunnel + "message")
		}
		_, res := walk(w.site.LoginAs(w.orienteur))
		webtest.WantStatus(t, res, http.StatusOK)

		b := w.site.LoginAs(w.prescriber)
		key, res := walk(b)
		back := "/apply/" + key + "/tunnel/message"
		webtest.WantRedirect(t, res, eligibility.IAEPath(w.jobSeeker.PublicID, back))
		webtest.WantRedirect(t, b.Post(eligibility.IAEPath(w.jobSeeker.PublicID, back), url.Values{}), back)
		webtest.WantStatus(t, b.Get(back), http.StatusOK)
		if n := w.count("eligibility_diagnosis", "author_kind = 'prescriber'"); n != 1 {
			t.Fatalf("%d prescriber diagnoses", n)
		}
	})
}
