package apply_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/application"
	"emplois/internal/eligibility"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
	"emplois/internal/web/webtest"
)

// fixture is a test site with a company that takes candidatures: an ACI with a member, an open
// fiche de poste and spontaneous applications open.
type fixture struct {
	site     *webtest.Site
	co       *org.Company
	employer *account.User
	fiche    *jobdesc.JobDescription
}

func newFixture(t *testing.T, d *db.DB, change ...func(*org.Company)) *fixture {
	t.Helper()
	if err := reference.LoadDemo(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	site := webtest.New(t, d)
	now := time.Now().UTC()
	co := site.StoredCompany(org.ACI, append([]func(*org.Company){func(c *org.Company) { c.SpontaneousApplicationsOpenSince = &now }}, change...)...)
	f := &fixture{site: site, co: co, employer: site.EmployerOf(co, "karim@example.org")}
	f.fiche = f.newFiche(co, f.employer, "Auxiliaire de vie")
	return f
}

// newFiche publishes an open fiche de poste of co by its member.
func (f *fixture) newFiche(co *org.Company, member *account.User, appellation string) *jobdesc.JobDescription {
	f.site.T.Helper()
	a := actor.Actor{UserID: member.ID, Kind: actor.Professional,
		Organization: &actor.Organization{Type: string(org.TypeCompany), ID: co.ID, UID: co.UID}}
	j, err := f.site.Services.Jobdescs.Create(context.Background(), a, co.ID,
		jobdesc.Input{Appellation: appellation, ContractType: "FIXED_TERM_I", OpenPositions: "2"})
	if err != nil {
		f.site.T.Fatal(err)
	}
	return j
}

// jobSeeker is a job seeker whose profile has what applying alone needs, a NIR included.
func (f *fixture) jobSeeker(email string) *account.User {
	f.site.T.Helper()
	u := f.site.CreateJobSeeker(email)
	f.profile(u, nir(int(u.ID)))
	return u
}

// profile gives u (Madame, born on 1990-01-10) a profile with a France Travail situation and
// this NIR (none when "").
func (f *fixture) profile(u *account.User, nir string) {
	f.site.T.Helper()
	var value any
	if nir != "" {
		value = nir
	}
	_, err := f.site.DB.NewRaw(`INSERT INTO job_seeker_profile (user_id, birthdate, nir, lack_of_pole_emploi_id_reason, asp_uid, updated_at)
		VALUES (?, ?, ?, 'NOT_REGISTERED', ?, ?)`, u.ID, time.Date(1990, 1, 10, 0, 0, 0, 0, time.UTC), value, fmt.Sprintf("%030d", u.ID), time.Now().UTC()).
		Exec(context.Background())
	if err != nil {
		f.site.T.Fatal(err)
	}
}

// nir is a valid NIR of a woman born in January 1990 in the Rhône, numbered serial.
func nir(serial int) string {
	body := fmt.Sprintf("2900169123%03d", serial%1000)
	var n uint64
	fmt.Sscan(body, &n)
	return fmt.Sprintf("%s%02d", body, 97-n%97)
}

func (f *fixture) count(table string) int {
	f.site.T.Helper()
	n, err := f.site.DB.NewSelect().Table(table).Count(context.Background())
	if err != nil {
		f.site.T.Fatal(err)
	}
	return int(n)
}

// senderKinds lists the sender kinds of the candidatures, oldest first.
func (f *fixture) senderKinds() string {
	f.site.T.Helper()
	var kinds []string
	if err := f.site.DB.NewSelect().Table("job_application").Column("sender_kind").OrderExpr("id").
		Scan(context.Background(), &kinds); err != nil {
		f.site.T.Fatal(err)
	}
	return strings.Join(kinds, " ")
}

// start opens a tunnel and returns its key (the redirect's path is /apply/<key>/tunnel/...).
func start(t *testing.T, b *webtest.Browser, path string) (string, *webtest.Response) {
	t.Helper()
	res := b.Get(path)
	webtest.WantStatus(t, res, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	rest, ok := strings.CutPrefix(loc, "/apply/")
	key, _, found := strings.Cut(rest, "/tunnel/")
	if !ok || !found {
		t.Fatalf("start went to %q", loc)
	}
	return key, res
}

func step(key, name string) string { return "/apply/" + key + "/tunnel/" + name }

// postMessage sends the message step as a browser does: multipart, with more fields (name,
// value pairs) and a file.
func postMessage(t *testing.T, site *webtest.Site, b *webtest.Browser, key, message, filename string, resume []byte, fields ...string) *webtest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fields = append([]string{"message", message}, fields...)
	for i := 0; i+1 < len(fields); i += 2 {
		if err := mw.WriteField(fields[i], fields[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("resume", filename)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(resume); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, site.URL+step(key, "message"), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", site.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.Do(req)
}

// pdf is a small genuine PDF: a catalog object, its cross-reference table and the trailer.
func pdf() []byte {
	head := "%PDF-1.7\n"
	obj := "1 0 obj\n<< /Type /Catalog >>\nendobj\n"
	xref := len(head) + len(obj)
	return []byte(head + obj + fmt.Sprintf("xref\n0 2\n0000000000 65535 f \n%010d 00000 n \ntrailer\n<< /Root 1 0 R /Size 2 >>\nstartxref\n%d\n%%%%EOF\n",
		len(head), xref))
}

func TestJobSeekerTunnel_FromTheFicheToTheEndPageOnceWhateverTheSecondSubmission(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		js := f.jobSeeker("alice@example.org")
		b := f.site.LoginAs(js)

		// Two tabs keep two tunnels.
		other, _ := start(t, b, application.StartPath(f.co.UID))
		key, res := start(t, b, application.StartPath(f.co.UID)+"?job_description_id="+f.fiche.UID)
		if key == other {
			t.Fatal("two tabs share a tunnel")
		}
		// No earlier candidature, a complete profile: the check step goes straight on.
		webtest.WantRedirect(t, res, step(key, "check"))
		webtest.WantRedirect(t, b.Get(step(key, "check")), step(key, "jobs"))
		// Later steps cannot be reached before.
		webtest.WantRedirect(t, b.Get(step(key, "confirm")), step(key, "jobs"))

		res = b.Get(step(key, "jobs"))
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Postuler chez", "Sélectionner les métiers recherchés", "Auxiliaire de vie",
			`value="`+f.fiche.UID+`" checked`, "Candidature spontanée", "Soyez parmi les premiers à postuler")
		res = b.Get(step(other, "jobs"))
		webtest.WantNoBody(t, res, `value="`+f.fiche.UID+`" checked`)

		webtest.WantRedirect(t, b.Post(step(key, "jobs"), url.Values{"jobs": {f.fiche.UID}}), step(key, "message"))
		res = postMessage(t, f.site, b, key, "", "cv.pdf", pdf())
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Ce champ est obligatoire.")
		if !strings.HasPrefix(res.Title(t), "Erreur") {
			t.Errorf("title %q", res.Title(t))
		}
		webtest.WantRedirect(t, postMessage(t, f.site, b, key, "Je suis motivée.", "cv.pdf", pdf()), step(key, "confirm"))

		res = b.Get(step(key, "confirm"))
		webtest.WantBody(t, res, "Je suis motivée.", "Joint à la candidature", "Envoyer la candidature", "Auxiliaire de vie")
		if n := f.count("job_application"); n != 0 {
			t.Fatalf("%d candidatures before sending", n)
		}
		webtest.WantRedirect(t, b.Post(step(key, "confirm"), nil), step(key, "end"))
		// The second « Envoyer », now or much later, shows the first result and creates nothing.
		webtest.WantRedirect(t, b.Post(step(key, "confirm"), nil), step(key, "end"))
		f.site.Clock.Advance(time.Hour)
		webtest.WantRedirect(t, b.Post(step(key, "confirm"), nil), step(key, "end"))
		webtest.WantRedirect(t, b.Get(step(key, "jobs")), step(key, "end"))
		if n := f.count("job_application"); n != 1 {
			t.Fatalf("%d candidatures", n)
		}
		var app application.Application
		if err := d.NewSelect().Model(&app).Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if app.SenderKind != application.SenderJobSeeker || app.ResumeKey == "" || app.Message != "Je suis motivée." {
			t.Errorf("candidature %+v", app)
		}
		res = b.Get(step(key, "end"))
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Candidature envoyée", "Votre candidature est envoyée",
			application.SenderDetailsPath(app.PublicID), application.JobSeekerListPath)

		// The other tab is now within 24 hours of a candidature: its check step says so and
		// goes no further; the jobs step is refused and the tunnel closed.
		res = b.Get(step(other, "check"))
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Vous avez déjà postulé chez cet employeur durant les dernières 24 heures", "disabled")
		res = b.Post(step(other, "check"), nil)
		webtest.WantStatus(t, res, http.StatusForbidden)
		webtest.WantStatus(t, b.Get(step(other, "jobs")), http.StatusNotFound)
		if n := f.count("job_application"); n != 1 {
			t.Fatalf("%d candidatures", n)
		}
	})
}

func TestCheckStep_TheBirthDateAndFranceTravailSituationAreAskedOfThoseWhoMayEditTheProfile(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// A job seeker without profile: the check step asks the information, then the NIR.
		b := f.site.LoginAs(f.site.CreateJobSeeker("bob@example.org"))
		key, _ := start(t, b, application.StartPath(f.co.UID))
		res := b.Get(step(key, "check"))
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Vos informations", "la date de naissance", `name="birthdate"`, `name="lack_of_pole_emploi_id_reason"`)
		webtest.WantRedirect(t, b.Get(step(key, "jobs")), step(key, "check"))
		res = b.Post(step(key, "check"), url.Values{"birthdate": {"2020-01-10"}, "lack_of_pole_emploi_id_reason": {"NOT_REGISTERED"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "id_birthdate_error")
		res = b.Post(step(key, "check"), url.Values{"birthdate": {"1990-01-10"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "id_pole_emploi_id_error")
		webtest.WantRedirect(t, b.Post(step(key, "check"), url.Values{"birthdate": {"1990-01-10"},
			"lack_of_pole_emploi_id_reason": {"NOT_REGISTERED"}, "phone": {"06 12 34 56 78"}}), step(key, "check"))
		res = b.Get(step(key, "check"))
		webtest.WantBody(t, res, "Votre numéro de sécurité sociale")
		webtest.WantNoBody(t, res, `name="birthdate"`)

		// A job seeker without address is sent to the profile page.
		u := f.site.CreateJobSeeker("sans.adresse@example.org")
		f.profile(u, nir(int(u.ID)))
		if _, err := d.NewUpdate().Table("users").Set("address_line_1 = ''").Where("id = ?", u.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		ub := f.site.LoginAs(u)
		key, _ = start(t, ub, application.StartPath(f.co.UID))
		res = ub.Get(step(key, "check"))
		webtest.WantBody(t, res, "Complétez vos informations personnelles", "l&#39;adresse", "/dashboard/edit_user_info", "disabled")
		res = ub.Post(step(key, "check"), nil)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Complétez vos informations personnelles avant de postuler.")

		// For someone else: an authorized prescriber completes the profile; an orienteur who did
		// not create the account goes on without.
		lacking := f.site.CreateJobSeeker("lacking@example.org")
		p := f.site.Prescriber(org.ML, "Mission locale", true)
		pro := f.site.LoginAs(f.site.Member(org.TypePrescriber, p.ID, "ml@example.org", "Paula", "Prescriptrice"))
		key, _ = start(t, pro, application.StartPath(f.co.UID)+"?job_seeker_public_id="+lacking.PublicID)
		res = pro.Get(step(key, "check"))
		webtest.WantBody(t, res, "Les informations du candidat", `name="birthdate"`)
		o := f.site.Prescriber(org.OtherKind, "Association", false)
		orienteur := f.site.LoginAs(f.site.Member(org.TypePrescriber, o.ID, "asso@example.org", "Omar", "Orienteur"))
		okey, _ := start(t, orienteur, application.StartPath(f.co.UID)+"?job_seeker_public_id="+lacking.PublicID)
		webtest.WantRedirect(t, orienteur.Get(step(okey, "check")), step(okey, "jobs"))
		webtest.WantRedirect(t, pro.Post(step(key, "check"), url.Values{"birthdate": {"1990-01-10"}, "pole_emploi_id": {"1234567A"}}), step(key, "jobs"))
		var ft string
		if err := d.NewRaw("SELECT pole_emploi_id FROM job_seeker_profile WHERE user_id = ?", lacking.ID).Scan(context.Background(), &ft); err != nil || ft != "1234567A" {
			t.Fatalf("France Travail id %q, %v", ft, err)
		}
	})
}

// proxyTunnel walks a proxy's tunnel from the start to the end page for the job seeker js.
func proxyTunnel(t *testing.T, f *fixture, b *webtest.Browser, co *org.Company, js *account.User, message string) *webtest.Response {
	t.Helper()
	key, res := start(t, b, application.StartPath(co.UID))
	res = b.Follow(res)
	webtest.WantStatus(t, res, http.StatusSeeOther)
	next := step(key, "job-seeker")
	if want := "/job-seekers/search?next=" + url.QueryEscape(next); res.Header.Get("Location") != want {
		t.Fatalf("a proxy is sent to %q, want the identity search %q", res.Header.Get("Location"), want)
	}
	webtest.WantRedirect(t, b.Get(next+"?job_seeker_public_id="+js.PublicID), step(key, "check"))
	webtest.WantRedirect(t, b.Get(step(key, "check")), step(key, "jobs"))
	webtest.WantRedirect(t, b.Post(step(key, "jobs"), url.Values{"jobs": {"spontaneous"}}), step(key, "message"))
	if res := b.Get(step(key, "message")); res.StatusCode == http.StatusSeeOther {
		// An authorized prescriber validates the eligibility first (R10), then comes back.
		webtest.WantRedirect(t, b.Post(res.Header.Get("Location"), nil), step(key, "message"))
	}
	webtest.WantRedirect(t, postMessage(t, f.site, b, key, message, "", nil), step(key, "confirm"))
	res = b.Get(step(key, "confirm"))
	webtest.WantBody(t, res, "Candidature spontanée", "Aucun")
	webtest.WantRedirect(t, b.Post(step(key, "confirm"), nil), step(key, "end"))
	res = b.Get(step(key, "end"))
	webtest.WantStatus(t, res, http.StatusOK)
	return res
}

func TestProxyTunnels_APrescriberAnotherEmployerAndTheCompanyItselfEachApply(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.site.Prescriber(org.ML, "Mission locale de Lyon", true)
		pro := f.site.LoginAs(f.site.Member(org.TypePrescriber, p.ID, "ml@example.org", "Paula", "Prescriptrice"))
		res := proxyTunnel(t, f, pro, f.co, f.jobSeeker("alice@example.org"), "Je vous présente Alice.")
		webtest.WantBody(t, res, "Candidature envoyée", "La candidature de Alice MARTIN est envoyée", application.SentListPath)

		otherCo := f.site.StoredCompany(org.EI)
		emp := f.site.LoginAs(f.site.EmployerOf(otherCo, "other@example.org"))
		res = proxyTunnel(t, f, emp, f.co, f.jobSeeker("bea@example.org"), "Une candidate pour vous.")
		webtest.WantBody(t, res, "Candidature envoyée")

		// Auto-prescription: « Enregistrer une candidature », the message is optional.
		own := f.site.LoginAs(f.employer)
		res = proxyTunnel(t, f, own, f.co, f.jobSeeker("chloe@example.org"), "")
		webtest.WantBody(t, res, "Auto-prescription enregistrée", application.InboxPath)
		if got := f.senderKinds(); got != "prescriber employer employer" {
			t.Fatalf("sender kinds %q", got)
		}
		var autoSenderCo int64
		if err := d.NewSelect().Table("job_application").Column("sender_company_id").OrderExpr("id DESC").Limit(1).
			Scan(context.Background(), &autoSenderCo); err != nil || autoSenderCo != f.co.ID {
			t.Fatalf("auto-prescription sender company %d, %v", autoSenderCo, err)
		}

		// From « Mes candidats » the job seeker is known: no identity search.
		key, _ := start(t, pro, application.StartPath(f.co.UID)+"?job_seeker_public_id="+f.jobSeeker("dina@example.org").PublicID)
		webtest.WantRedirect(t, pro.Get(step(key, "check")), step(key, "jobs"))
		webtest.WantBody(t, pro.Get(step(key, "jobs")), "Postuler pour un candidat chez", "Alice MARTIN")
	})
}

func TestGuards_WhoMayApplyBlockedCompaniesAnd24Hours(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// Anonymous visitors are asked to log in and come back.
		res := f.site.Browser().Get(application.StartPath(f.co.UID) + "?job_description_id=" + f.fiche.UID)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Se connecter pour postuler",
			"/accounts/login?next="+url.QueryEscape(application.StartPath(f.co.UID)+"?job_description_id="+f.fiche.UID))

		inst := f.site.Institution()
		ib := f.site.LoginAs(f.site.Member(org.TypeInstitution, inst.ID, "ddets@example.org", "Inès", "Inspectrice"))
		webtest.WantStatus(t, ib.Get(application.StartPath(f.co.UID)), http.StatusForbidden)

		// A company without members does not take online candidatures.
		empty := f.site.StoredCompany(org.EI)
		js := f.jobSeeker("alice@example.org")
		b := f.site.LoginAs(js)
		res = b.Get(application.StartPath(empty.UID))
		webtest.WantStatus(t, res, http.StatusForbidden)
		webtest.WantBody(t, res, "pas inscrit")

		// A blocked company refuses non-members, at the start and at every step.
		key, _ := start(t, b, application.StartPath(f.co.UID))
		if _, err := d.NewUpdate().Table("company").Set("block_job_applications = TRUE").Where("id = ?", f.co.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, res := range []*webtest.Response{b.Get(application.StartPath(f.co.UID)), b.Get(step(key, "check"))} {
			webtest.WantStatus(t, res, http.StatusForbidden)
			webtest.WantBody(t, res, "Cet employeur ne souhaite pas recevoir de candidatures pour le moment.")
		}
		// ... but not its own members (auto-prescription).
		own := f.site.LoginAs(f.employer)
		webtest.WantStatus(t, own.Get(application.StartPath(f.co.UID)), http.StatusSeeOther)
		if _, err := d.NewUpdate().Table("company").Set("block_job_applications = FALSE").Where("id = ?", f.co.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}

		// The 24-hour rule: a prescriber's tunnel passed its check step, then the job seeker
		// applied: the next step is refused and the tunnel closed.
		p := f.site.Prescriber(org.ML, "Mission locale", true)
		pro := f.site.LoginAs(f.site.Member(org.TypePrescriber, p.ID, "ml@example.org", "Paula", "Prescriptrice"))
		key, _ = start(t, pro, application.StartPath(f.co.UID)+"?job_seeker_public_id="+js.PublicID)
		webtest.WantRedirect(t, pro.Get(step(key, "check")), step(key, "jobs"))
		if _, err := f.site.Services.Applications.Submit(context.Background(), actor.Actor{UserID: js.ID, Kind: actor.JobSeeker},
			application.SubmitInput{CompanyUID: f.co.UID, JobUIDs: []string{f.fiche.UID}, Message: "Bonjour"}); err != nil {
			t.Fatal(err)
		}
		f.site.Clock.Advance(time.Hour)
		res = pro.Get(step(key, "jobs"))
		webtest.WantStatus(t, res, http.StatusForbidden)
		webtest.WantBody(t, res, "Ce candidat a déjà postulé chez cet employeur durant les dernières 24 heures.")
		webtest.WantStatus(t, pro.Get(step(key, "jobs")), http.StatusNotFound)
		// A new tunnel says so at its check step, and goes no further.
		key, _ = start(t, pro, application.StartPath(f.co.UID)+"?job_seeker_public_id="+js.PublicID)
		res = pro.Get(step(key, "check"))
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Ce candidat a déjà postulé pour cette entreprise", "durant les dernières 24 heures", "disabled")
		webtest.WantStatus(t, pro.Post(step(key, "check"), nil), http.StatusForbidden)
		// Two days later, « Postuler à nouveau ».
		f.site.Clock.Advance(48 * time.Hour)
		key, _ = start(t, pro, application.StartPath(f.co.UID)+"?job_seeker_public_id="+js.PublicID)
		res = pro.Get(step(key, "check"))
		webtest.WantBody(t, res, "Postuler à nouveau")
		webtest.WantNoBody(t, res, "disabled")
		webtest.WantRedirect(t, pro.Post(step(key, "check"), nil), step(key, "jobs"))
	})
}

func TestBadInput_FichesSpontaneousAndCVsAreRefusedOnTheirFieldAndNothingIsWritten(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, func(c *org.Company) { c.SpontaneousApplicationsOpenSince = nil })
		otherCo := f.site.StoredCompany(org.EI)
		otherFiche := f.newFiche(otherCo, f.site.EmployerOf(otherCo, "other@example.org"), "10688")
		b := f.site.LoginAs(f.jobSeeker("alice@example.org"))
		key, _ := start(t, b, application.StartPath(f.co.UID))
		webtest.WantRedirect(t, b.Get(step(key, "check")), step(key, "jobs"))
		res := b.Get(step(key, "jobs"))
		webtest.WantNoBody(t, res, "Candidature spontanée")

		for _, c := range []struct {
			form url.Values
			want string
		}{
			{url.Values{}, "Sélectionnez au moins un métier"},
			{url.Values{"jobs": {"spontaneous"}}, "ne souhaite pas recevoir de candidatures spontanées"},
			{url.Values{"jobs": {f.fiche.UID, "spontaneous"}}, "pas les deux"},
			{url.Values{"jobs": {otherFiche.UID}}, "ne fait pas partie des fiches de poste de cet employeur"},
		} {
			res := b.Post(step(key, "jobs"), c.form)
			webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
			webtest.WantBody(t, res, c.want, "id_jobs_error")
		}
		webtest.WantRedirect(t, b.Post(step(key, "jobs"), url.Values{"jobs": {f.fiche.UID}}), step(key, "message"))

		// CVs: a PNG renamed .pdf, a 6 MB file.
		png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 2048)...)
		big := append(pdf(), bytes.Repeat([]byte(" "), 6<<20)...)
		for _, c := range []struct {
			data []byte
			want string
		}{
			{png, "Le fichier doit être un PDF."},
			{big, "Le fichier ne doit pas dépasser 5 Mo."},
		} {
			res := postMessage(t, f.site, b, key, "Je suis motivée.", "cv.pdf", c.data)
			webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
			webtest.WantBody(t, res, c.want, "id_resume_error", "Je suis motivée.")
		}
		webtest.WantRedirect(t, b.Get(step(key, "confirm")), step(key, "message"))
		webtest.WantRedirect(t, postMessage(t, f.site, b, key, "Je suis motivée.", "", nil), step(key, "confirm"))

		// The fiche closes while the job seeker reads the summary: back to the jobs with the error.
		if _, err := d.NewUpdate().Table("job_description").Set("is_active = FALSE").Where("id = ?", f.fiche.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		res = b.Post(step(key, "confirm"), nil)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Cet employeur a fermé les candidatures pour un des métiers sélectionnés.", "Sélectionner les métiers recherchés")
		if n := f.count("job_application"); n != 0 {
			t.Fatalf("%d candidatures written", n)
		}
	})
}

func TestProxyTunnel_TheAdvisorIsAColleagueOrNobodyOnTheService(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.site.Prescriber(org.ML, "Mission locale de Lyon", true)
		paula := f.site.Member(org.TypePrescriber, p.ID, "ml@example.org", "Paula", "Prescriptrice")
		colleague := f.site.Member(org.TypePrescriber, p.ID, "ml2@example.org", "Bruno", "Conseiller")
		outsider := f.site.Member(org.TypePrescriber, f.site.Prescriber(org.ML, "Autre", true).ID, "x@example.org", "Xavier", "Ailleurs")
		b := f.site.LoginAs(paula)
		send := func(advisor string) string {
			js := f.jobSeeker(advisor + "@example.org")
			eligible(t, f, webtest.PrescriberActor(paula, p), js)
			key, _ := start(t, b, application.StartPath(f.co.UID)+"?job_seeker_public_id="+js.PublicID)
			webtest.WantRedirect(t, b.Get(step(key, "check")), step(key, "jobs"))
			webtest.WantRedirect(t, b.Post(step(key, "jobs"), url.Values{"jobs": {f.fiche.UID}}), step(key, "message"))
			res := b.Get(step(key, "message"))
			webtest.WantBody(t, res, "Accompagnateur de Alice MARTIN au sein de votre structure", "Paula PRESCRIPTRICE (vous)",
				"Bruno CONSEILLER", "Non référencé sur le service")
			webtest.WantNoBody(t, res, "Xavier")
			res = postMessage(t, f.site, b, key, "Bonjour", "", nil, "advisor", outsider.PublicID)
			webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
			webtest.WantBody(t, res, "Choisissez un membre de votre structure", "id_advisor_error")
			webtest.WantRedirect(t, postMessage(t, f.site, b, key, "Bonjour", "", nil, "advisor", advisor), step(key, "confirm"))
			webtest.WantRedirect(t, b.Post(step(key, "confirm"), nil), step(key, "end"))
			var rows []struct {
				ProfessionalID int64 `bun:"professional_id"`
				Unknown        bool  `bun:"assigned_to_unknown_advisor"`
			}
			if err := d.NewSelect().Table("job_seeker_assignment").Column("professional_id", "assigned_to_unknown_advisor").
				Where("job_seeker_id = ?", js.ID).Where("last_action_kind <> 'IAE_ELIGIBILITY'").Scan(context.Background(), &rows); err != nil || len(rows) != 1 {
				t.Fatalf("assignments %+v, %v", rows, err)
			}
			return fmt.Sprintf("%d %v", rows[0].ProfessionalID, rows[0].Unknown)
		}
		if got, want := send(colleague.PublicID), fmt.Sprintf("%d false", colleague.ID); got != want {
			t.Errorf("a colleague as advisor: %s, want %s", got, want)
		}
		if got, want := send("unknown"), fmt.Sprintf("%d true", paula.ID); got != want {
			t.Errorf("« Non référencé sur le service »: %s, want %s", got, want)
		}
	})
}

func TestProxyTunnel_APrescriberAwaitingTheHabilitationIsToldTheyApplyAsAnOrienteur(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.site.Prescriber(org.ML, "Mission locale en attente", false)
		b := f.site.LoginAs(f.site.Member(org.TypePrescriber, p.ID, "ml@example.org", "Paula", "Prescriptrice"))
		key, _ := start(t, b, application.StartPath(f.co.UID)+"?job_seeker_public_id="+f.jobSeeker("alice@example.org").PublicID)
		res := b.Get(step(key, "check"))
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Votre habilitation est en cours de vérification", ">Continuer<")
		webtest.WantRedirect(t, b.Post(step(key, "check"), nil), step(key, "jobs"))
	})
}

func TestJobSeekerTunnel_AJobSeekerWithoutNIRIsAskedForItAndMaySkipAfterOneAttempt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		holder := f.jobSeeker("holder@example.org")
		u := f.site.CreateJobSeeker("sans.nir@example.org")
		f.profile(u, "")
		b := f.site.LoginAs(u)
		key, _ := start(t, b, application.StartPath(f.co.UID))
		res := b.Get(step(key, "check"))
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Votre numéro de sécurité sociale", `name="nir"`)
		webtest.WantNoBody(t, res, "Continuer sans numéro")
		webtest.WantRedirect(t, b.Get(step(key, "jobs")), step(key, "check"))

		var heldNIR string
		if err := d.NewRaw("SELECT nir FROM job_seeker_profile WHERE user_id = ?", holder.ID).Scan(context.Background(), &heldNIR); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ nir, want string }{
			{"123", "15 caractères"},
			{heldNIR, "déjà associé à un autre compte (h"},
			{"1 90 01 69 123 001 " + nir(1)[13:], ""}, // a man's number: refused, whatever its message
		} {
			res := b.Post(step(key, "check"), url.Values{"action": {"continue"}, "nir": {c.nir}})
			webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
			webtest.WantBody(t, res, "id_nir_error", "Continuer sans numéro de sécurité sociale", c.want)
		}
		var stored *string
		if err := d.NewRaw("SELECT nir FROM job_seeker_profile WHERE user_id = ?", u.ID).Scan(context.Background(), &stored); err != nil || stored != nil {
			t.Fatalf("NIR written after refusals: %v, %v", stored, err)
		}
		// A valid one is stored and the tunnel goes on.
		webtest.WantRedirect(t, b.Post(step(key, "check"), url.Values{"action": {"continue"}, "nir": {"2 90 01 69 123 999 " + nir(999)[13:]}}), step(key, "jobs"))
		if err := d.NewRaw("SELECT nir FROM job_seeker_profile WHERE user_id = ?", u.ID).Scan(context.Background(), &stored); err != nil || stored == nil || *stored != nir(999) {
			t.Fatalf("NIR %v, %v", stored, err)
		}

		// Another job seeker skips the question after a refused attempt; never before.
		v := f.site.CreateJobSeeker("autre@example.org")
		f.profile(v, "")
		vb := f.site.LoginAs(v)
		key, _ = start(t, vb, application.StartPath(f.co.UID))
		webtest.WantStatus(t, vb.Post(step(key, "check"), url.Values{"action": {"skip"}}), http.StatusNotFound)
		webtest.WantStatus(t, vb.Post(step(key, "check"), url.Values{"action": {"continue"}, "nir": {"123"}}), http.StatusUnprocessableEntity)
		webtest.WantRedirect(t, vb.Post(step(key, "check"), url.Values{"action": {"skip"}}), step(key, "jobs"))
	})
}

func TestProxyTunnel_InformationCheckedLongAgoIsPointedOutBeforeSending(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.site.Prescriber(org.ML, "Mission locale", true)
		paula := f.site.Member(org.TypePrescriber, p.ID, "ml@example.org", "Paula", "Prescriptrice")
		b := f.site.LoginAs(paula)
		const warning = "n'ont pas été vérifiées depuis plus de 6 mois"
		for checked, want := range map[time.Duration]bool{7 * 30 * 24 * time.Hour: true, 30 * 24 * time.Hour: false} {
			js := f.jobSeeker(fmt.Sprintf("js%d@example.org", checked/time.Hour))
			eligible(t, f, webtest.PrescriberActor(paula, p), js)
			if _, err := d.NewUpdate().Table("users").Set("last_checked_at = ?", f.site.Clock.Now().Add(-checked)).Where("id = ?", js.ID).
				Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
			key, _ := start(t, b, application.StartPath(f.co.UID)+"?job_seeker_public_id="+js.PublicID)
			webtest.WantRedirect(t, b.Get(step(key, "check")), step(key, "jobs"))
			webtest.WantRedirect(t, b.Post(step(key, "jobs"), url.Values{"jobs": {f.fiche.UID}}), step(key, "message"))
			res := b.Get(step(key, "message"))
			if got := strings.Contains(res.Body, warning); got != want {
				t.Errorf("checked %s ago: warning %v, want %v", checked, got, want)
			}
		}
	})
}

// eligible gives the job seeker a valid diagnosis of the authorized prescriber a, so that the
// tunnel needs no eligibility step (R10).
func eligible(t *testing.T, f *fixture, a actor.Actor, js *account.User) {
	t.Helper()
	if _, err := f.site.Services.Eligibility.CreateIAE(context.Background(), a, js.PublicID, nil, eligibility.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}
