package account_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"emplois/internal/account"
	"emplois/internal/jobseeker"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/oidc/oidctest"
	"emplois/internal/web/webtest"
)

// signupIdentityStep posts the identity step of the self-signup (actors.md §10.1-4), which
// keeps its NIR for FranceConnect's callback.
func signupIdentityStep(t *testing.T, b *webtest.Browser, email, nir string) *webtest.Response {
	t.Helper()
	form := webtest.SignupIdentity(email)
	form.Set("nir", nir)
	res := b.Post("/signup/job_seeker", form)
	webtest.WantStatus(t, res, http.StatusOK)
	return res
}

// jobSeekerOf is the stored job seeker with this e-mail, as they see themself.
func jobSeekerOf(t *testing.T, site *webtest.Site, email string) *jobseeker.JobSeeker {
	t.Helper()
	u, err := site.Services.Accounts.ByEmail(context.Background(), email)
	if err != nil {
		t.Fatalf("no account %s: %v", email, err)
	}
	j, err := site.Services.JobSeekers.Self(context.Background(), actor.Actor{UserID: u.ID, Kind: actor.JobSeeker})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func TestFranceConnect_SignupCreatesTheJobSeekerWithTheNIRTypedAndLocksWhatFranceConnectGave(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := webtest.NewWithFranceConnect(t, d)
		b := site.Browser()
		res := signupIdentityStep(t, b, "autre.adresse@example.org", webtest.LeaNIR)
		webtest.WantBody(t, res, `id="franceconnect-button"`, `href="/franceconnect/authorize?next=%2Fdashboard"`, "Qu’est-ce que FranceConnect ?")

		callback := b.FranceConnectCallback(p, "/franceconnect/authorize?next=%2Fdashboard")
		asked := p.AuthorizeRequests()
		if q := asked[len(asked)-1]; q.Get("acr_values") != "eidas1" || !strings.Contains(q.Get("scope"), "birthdate") ||
			q.Get("nonce") == "" || q.Get("state") == "" || q.Get("code_challenge_method") != "S256" {
			t.Fatalf("authorization request: %v", q)
		}
		res = b.Get(callback)
		webtest.WantStatus(t, res, http.StatusSeeOther)
		webtest.WantRedirect(t, res, "/dashboard")
		if got := site.AuditActions(); got != "signup login" {
			t.Fatalf("audit = %q", got)
		}

		j := jobSeekerOf(t, site, webtest.LeaFC.Email) // FranceConnect's e-mail, not the one typed
		u := j.User
		if u.IdentityProvider != account.FranceConnect || u.Username != webtest.LeaFC.Subject || !u.EmailVerified() ||
			u.FirstName != "Léa" || u.LastName != "Dupont" || u.Title != account.Madame || u.HasUsablePassword() {
			t.Fatalf("account %+v", u)
		}
		if j.Profile.NIRValue() != webtest.LeaNIR || j.Profile.Birthdate == nil || j.Profile.Birthdate.Format("2006-01-02") != "1990-01-10" ||
			j.Profile.BirthCountryCode == nil || *j.Profile.BirthCountryCode != "99109" {
			t.Fatalf("profile %+v", j.Profile)
		}
		if _, err := site.Services.Accounts.ByEmail(context.Background(), "autre.adresse@example.org"); err == nil {
			t.Fatal("the e-mail typed at the identity step got an account too")
		}

		// The profile shows FranceConnect's fields read-only, and a post cannot change them.
		res = b.Get("/dashboard/edit_user_info")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Information transmise par FranceConnect", `id="id_first_name" value="Léa" readonly`, `id="id_birthdate" value="1990-01-10" readonly`)
		form := url.Values{"title": {"M"}, "first_name": {"Autre"}, "last_name": {"Nom"}, "birthdate": {"1991-02-02"}, "birth_country": {"99134"},
			"nir": {webtest.LeaNIR}, "phone": {""}, "address_line_1": {"5 rue de la Paix"}, "post_code": {"75002"}, "city": {"75102"},
			"lack_of_pole_emploi_id_reason": {"NOT_REGISTERED"}}
		b.Post("/dashboard/edit_user_info", form)
		if j := jobSeekerOf(t, site, webtest.LeaFC.Email); j.User.FirstName != "Léa" || j.User.Title != account.Madame ||
			j.Profile.Birthdate.Format("2006-01-02") != "1990-01-10" || *j.Profile.BirthCountryCode != "99109" {
			t.Fatalf("a FranceConnect field changed: %+v %+v", j.User, j.Profile)
		}
	})
}

func TestFranceConnect_LinksTheJobSeekerWithThisEmailAndItsPasswordStops(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := webtest.NewWithFranceConnect(t, d)
		existing := site.CreateJobSeeker(webtest.LeaFC.Email)
		b := site.Browser()
		webtest.WantStatus(t, b.Get(b.FranceConnectCallback(p, "/franceconnect/authorize")), http.StatusSeeOther)
		j := jobSeekerOf(t, site, webtest.LeaFC.Email)
		if j.User.ID != existing.ID || j.User.IdentityProvider != account.FranceConnect || j.User.FirstName != "Léa" {
			t.Fatalf("not linked: %+v", j.User)
		}
		res := site.Browser().Post("/accounts/login", url.Values{"email": {webtest.LeaFC.Email}, "password": {webtest.Password}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Votre compte utilise FranceConnect : connectez-vous avec FranceConnect.")

		// The next login finds the account by its sub, even with another e-mail at FranceConnect.
		moved := webtest.LeaFC
		moved.Email = "lea.nouvelle@example.org"
		p.SetNextUser(moved)
		b2 := site.Browser()
		webtest.WantStatus(t, b2.Get(b2.FranceConnectCallback(p, "/franceconnect/authorize")), http.StatusSeeOther)
		if j := jobSeekerOf(t, site, moved.Email); j.User.ID != existing.ID {
			t.Fatalf("another account for the same sub: %+v", j.User)
		}
	})
}

func TestFranceConnect_EmailOfAProfessionalOrOfAnotherProviderIsRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := webtest.NewWithFranceConnect(t, d)
		site.CreateUser(account.Professional, webtest.LeaFC.Email, "Léa", "Pro")
		b := site.Browser()
		res := b.Get(b.FranceConnectCallback(p, "/franceconnect/authorize"))
		webtest.WantStatus(t, res, http.StatusForbidden)
		webtest.WantBody(t, res, "<h1>Connexion avec FranceConnect impossible</h1>", "Un compte professionnel existe déjà",
			`id="franceconnect-retry"`, `id="franceconnect-end-session"`)
		webtest.WantRedirect(t, b.Get("/dashboard"), "/accounts/login?next=%2Fdashboard")

		other := oidctest.User{Subject: "fc-sub-other", Email: "ftc@example.org", GivenName: "Tom", Claims: map[string]any{"family_name": "Martin"}}
		u := site.CreateJobSeeker(other.Email)
		u.IdentityProvider, u.Username, u.PasswordHash = account.FranceTravailConnect, "ftc-sub", ""
		if err := account.UpdateColumns(context.Background(), d, u, "identity_provider", "username", "password_hash"); err != nil {
			t.Fatal(err)
		}
		p.SetNextUser(other)
		b = site.Browser()
		res = b.Get(b.FranceConnectCallback(p, "/franceconnect/authorize"))
		webtest.WantStatus(t, res, http.StatusForbidden)
		webtest.WantBody(t, res, "se connecte avec France Travail Connect")
	})
}

func TestFranceConnect_StateAndNonceAreChecked(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := webtest.NewWithFranceConnect(t, d)
		mine := site.Browser()
		callback := mine.FranceConnectCallback(p, "/franceconnect/authorize")
		// Another browser (login CSRF), then a replay: refused; the first use in the right
		// browser works.
		res := site.Browser().Get(callback)
		webtest.WantStatus(t, res, http.StatusBadRequest)
		webtest.WantBody(t, res, "plus valable", `href="/franceconnect/authorize"`)
		webtest.WantStatus(t, mine.Get(callback), http.StatusSeeOther)
		webtest.WantStatus(t, mine.Get(callback), http.StatusBadRequest)

		// An ID token with another nonce: refused, no account.
		p.SetNextUser(oidctest.User{Subject: "fc-sub-nonce", Email: "nonce@example.org", GivenName: "Nina"})
		p.Misbehave(oidctest.Misbehaviour{Nonce: "un-autre-nonce"})
		b := site.Browser()
		res = b.Get(b.FranceConnectCallback(p, "/franceconnect/authorize"))
		webtest.WantStatus(t, res, http.StatusBadGateway)
		webtest.WantBody(t, res, "La réponse de FranceConnect n&#39;a pas pu être vérifiée")
		if _, err := site.Services.Accounts.ByEmail(context.Background(), "nonce@example.org"); err == nil {
			t.Fatal("an ID token with another nonce created an account")
		}
	})
}

func TestFranceConnect_CancelledLoginIsRefusedWithAFrenchPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := webtest.NewWithFranceConnect(t, d)
		b := site.Browser()
		q, _ := url.ParseRequestURI(b.FranceConnectCallback(p, "/franceconnect/authorize"))
		res := b.Get("/franceconnect/callback?error=access_denied&state=" + url.QueryEscape(q.Query().Get("state")))
		webtest.WantStatus(t, res, http.StatusBadGateway)
		webtest.WantBody(t, res, "FranceConnect n&#39;a pas confirmé votre identité")
		if got := site.AuditActions(); strings.Contains(got, "login") && !strings.Contains(got, "failed") {
			t.Fatalf("a cancelled login logged someone in: %q", got)
		}
	})
}

func TestFranceConnect_ANIRThatContradictsFranceConnectIsNotAppliedAndTheLoginSaysSo(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := webtest.NewWithFranceConnect(t, d)
		b := site.Browser()
		// The identity step says a man born in May 1985 in Spain, with his NIR; FranceConnect then
		// says Léa, born in January 1990: the NIR is not hers.
		form := url.Values{"title": {"M"}, "first_name": {"Jean"}, "last_name": {"Dupont"}, "email": {"jean@example.org"},
			"birthdate": {"1985-05-20"}, "birth_country": {"99134"}, "nir": {"185059913404588"}}
		webtest.WantStatus(t, b.Post("/signup/job_seeker", form), http.StatusOK)
		res := b.Get(b.FranceConnectCallback(p, "/franceconnect/authorize?next=%2Fdashboard"))
		webtest.WantStatus(t, res, http.StatusSeeOther)
		res = b.Follow(b.Follow(res)) // the dashboard sends her to her profile first
		if !strings.Contains(res.Text(), jobseeker.MsgSignupNIRNotApplied) {
			t.Fatalf("no warning:\n%s", res.Text())
		}
		if j := jobSeekerOf(t, site, webtest.LeaFC.Email); j.Profile.NIR != nil {
			t.Fatalf("a NIR was applied: %v", j.Profile.NIRValue())
		}
	})
}

func TestFranceConnect_LogoutEndsTheFranceConnectSessionToo(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site, p := webtest.NewWithFranceConnect(t, d)
		b := site.Browser()
		webtest.WantStatus(t, b.Get(b.FranceConnectCallback(p, "/franceconnect/authorize")), http.StatusSeeOther)
		res := b.Post("/accounts/logout", nil)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, `id="franceconnect-logout"`, p.Issuer+"/end_session?")
		res = site.Browser().Get("/accounts/login")
		webtest.WantBody(t, res, `id="franceconnect-button"`, `href="/franceconnect/authorize?next="`)
	})
}
