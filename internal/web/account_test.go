package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func auditActions(t *testing.T, d *db.DB) string {
	t.Helper()
	events, err := audit.List(context.Background(), d, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(events) - 1; i >= 0; i-- {
		out = append(out, events[i].Action)
	}
	return strings.Join(out, " ")
}

func wantStatus(t *testing.T, res *testResponse, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", res.Request.Method, res.Request.URL.Path, res.StatusCode, status, res.Body)
	}
}

func wantBody(t *testing.T, res *testResponse, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(res.Body, p) {
			t.Errorf("%s %s: body lacks %q", res.Request.Method, res.Request.URL.Path, p)
		}
	}
}

func TestLoginPage_RendersTheFormWithLabelledFields(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		res := site.browser().get("/accounts/login?next=/accounts/password/change")
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "<h1>Connexion</h1>", `<label class="fr-label" for="id_email">`, `id="id_password"`,
			`type="password"`, `autocomplete="current-password"`, `id="login-submit"`,
			`name="next" value="/accounts/password/change"`, `href="/accounts/password/reset"`, `href="/signup/"`)
	})
}

func TestLogin_EmptyFormComesBackWithFieldErrors(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		res := site.browser().post("/accounts/login", url.Values{"email": {"  "}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, `aria-describedby="id_email_error"`, `<p id="id_email_error" class="fr-error-text">Ce champ est obligatoire.</p>`,
			`<p id="id_password_error" class="fr-error-text">Ce champ est obligatoire.</p>`)
	})
}

func TestLogin_WrongPasswordComesBackWithAFrenchMessageAndKeepsTheEmail(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		site.createJobSeeker("alice@example.org")
		res := site.browser().post("/accounts/login", url.Values{"email": {"alice@example.org"}, "password": {"Pas-Le-Bon-Mot-De-Passe-1"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, `id="error-summary" tabindex="-1" autofocus>
  <p>Adresse e-mail ou mot de passe incorrect.</p>`, `value="alice@example.org"`)
		if strings.Contains(res.Body, "Pas-Le-Bon") {
			t.Error("the typed password is echoed back")
		}
	})
}

func TestLogin_CrossOriginPostIsRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		site.createJobSeeker("alice@example.org")
		b := site.browser()
		form := url.Values{"email": {"alice@example.org"}, "password": {testPassword}}
		req, _ := http.NewRequest(http.MethodPost, site.URL+"/accounts/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://attaquant.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		res := b.do(req)
		wantStatus(t, res, http.StatusForbidden)
		if b.sessionToken() != "" || strings.Contains(auditActions(t, d), "login") {
			t.Error("a cross-origin login went through")
		}
	})
}

func TestLogin_ThrottledAnswers429WithRetryAfter(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		site.createJobSeeker("alice@example.org")
		b := site.browser()
		wrong := url.Values{"email": {"alice@example.org"}, "password": {"Pas-Le-Bon-Mot-De-Passe-1"}}
		for range site.Server.cfg.LoginMaxAttempts {
			wantStatus(t, b.post("/accounts/login", wrong), http.StatusUnprocessableEntity)
		}
		res := b.post("/accounts/login", url.Values{"email": {"alice@example.org"}, "password": {testPassword}})
		wantStatus(t, res, http.StatusTooManyRequests)
		wantBody(t, res, "Trop de tentatives de connexion. Réessayez dans 15 minutes.")
		if after, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || after <= 14*60 || after > 15*60 {
			t.Errorf("Retry-After = %q, want about 900 seconds", res.Header.Get("Retry-After"))
		}
	})
}

func TestLogin_RenewsTheSessionTokenAndGoesToTheLocalNextPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		u := site.createJobSeeker("alice@example.org")
		b := site.browser()
		// An anonymous logout leaves a session holding its flash: the token to be replaced.
		b.post("/accounts/logout", nil)
		before := b.sessionToken()
		if before == "" {
			t.Fatal("no anonymous session to start from")
		}
		res := b.post("/accounts/login", url.Values{"email": {u.Email}, "password": {testPassword}, "next": {"/accounts/password/change"}})
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/accounts/password/change" {
			t.Errorf("redirected to %q", loc)
		}
		if after := b.sessionToken(); after == "" || after == before {
			t.Error("the session token did not change at login")
		}
		for next, want := range map[string]string{"": "/dashboard", "//attaquant.example/": "/dashboard", "https://attaquant.example/": "/dashboard"} {
			res := site.browser().post("/accounts/login", url.Values{"email": {u.Email}, "password": {testPassword}, "next": {next}})
			if loc := res.Header.Get("Location"); loc != want {
				t.Errorf("next=%q: redirected to %q, want %q", next, loc, want)
			}
		}
	})
}

// Security probe of issue 8: these targets sent a logged-in user off-site.
func TestLogin_NextCannotLeaveTheSite(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		u := site.createJobSeeker("alice@example.org")
		b := site.loginAs(u)
		for _, next := range []string{"%2F%09%2Fevil.example", "%2F.%2F%5Cevil.example", "%2F%0A%2Fevil.example", "%2F%5C%2Fevil.example"} {
			res := b.get("/accounts/login?next=" + next)
			if loc := res.Header.Get("Location"); loc != "/dashboard" {
				t.Errorf("logged in, next=%s: redirected to %q, want /dashboard", next, loc)
			}
			decoded, _ := url.QueryUnescape(next)
			res = site.browser().post("/accounts/login", url.Values{"email": {u.Email}, "password": {testPassword}, "next": {decoded}})
			if loc := res.Header.Get("Location"); loc != "/dashboard" {
				t.Errorf("login, next=%s: redirected to %q, want /dashboard", next, loc)
			}
		}
	})
}

// Security probe of issue 8: a logged-in user's pages could be kept by a browser or a proxy.
func TestPagesOfALoggedInUser_AreNotCached(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		b := site.loginAs(site.createJobSeeker("alice@example.org"))
		for _, path := range []string{"/dashboard", "/", "/accounts/password/change", "/page-qui-n-existe-pas"} {
			if got := b.get(path).Header.Get("Cache-Control"); got != "no-store, private" {
				t.Errorf("%s: Cache-Control %q, want no-store, private", path, got)
			}
		}
		asset := regexp.MustCompile(`/static/[^"]+\.css`).FindString(b.get("/").Body)
		if got := b.get(asset).Header.Get("Cache-Control"); asset == "" || !strings.Contains(got, "immutable") {
			t.Errorf("stylesheet %q: Cache-Control %q, want the immutable caching of assets", asset, got)
		}
		if got := site.browser().get("/").Header.Get("Cache-Control"); got == "no-store, private" {
			t.Errorf("anonymous home page: Cache-Control %q, want the public default", got)
		}
	})
}

func TestLogout_RenewsTheTokenForgetsTheUserAndIsAudited(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		b := site.loginAs(site.createJobSeeker("alice@example.org"))
		wantStatus(t, b.get("/dashboard"), http.StatusOK)
		loggedIn := b.sessionToken()
		res := b.post("/accounts/logout", nil)
		wantStatus(t, res, http.StatusSeeOther)
		if b.sessionToken() == loggedIn {
			t.Error("the session token did not change at logout")
		}
		wantBody(t, b.follow(res), "Vous êtes déconnecté.")
		wantStatus(t, b.get("/dashboard"), http.StatusSeeOther)

		// Replaying the old cookie does not log in either: the old session is gone from the store.
		replay := site.browser()
		u, _ := url.Parse(site.URL)
		replay.client.Jar.SetCookies(u, []*http.Cookie{{Name: "emplois_session", Value: loggedIn}})
		wantStatus(t, replay.get("/dashboard"), http.StatusSeeOther)
		if got := auditActions(t, d); got != "login logout" {
			t.Errorf("audit = %q", got)
		}
	})
}

func TestLoggedInPage_SendsAnonymousVisitorsToLogin(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		for _, path := range []string{"/dashboard", "/accounts/password/change"} {
			res := site.browser().get(path)
			wantStatus(t, res, http.StatusSeeOther)
			if loc := res.Header.Get("Location"); loc != "/accounts/login?next="+url.QueryEscape(path) {
				t.Errorf("%s: redirected to %q", path, loc)
			}
		}
	})
}

// Security probe of issue 8: the signup forms answered 30 "has this e-mail an account?" in 3 s.
func TestSignup_AskingWhetherAnEmailHasAnAccountIsThrottled(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		site.createJobSeeker("alice@example.org")
		form := url.Values{"title": {"MME"}, "first_name": {"Eve"}, "last_name": {"Sonde"},
			"email": {"alice@example.org"}, "password1": {testPassword}, "password2": {testPassword}}
		b := site.browser()
		for i := range site.Server.cfg.LoginMaxAttempts {
			if res := b.post("/signup/job_seeker", form); res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("check %d: status %d, want 422", i+1, res.StatusCode)
			}
		}
		for _, path := range []string{"/signup/job_seeker", "/signup/professional/password"} {
			res := b.post(path, form)
			wantStatus(t, res, http.StatusTooManyRequests)
			wantBody(t, res, "Trop de tentatives d&#39;inscription")
			if res.Header.Get("Retry-After") == "" {
				t.Errorf("%s: no Retry-After", path)
			}
			if strings.Contains(res.Body, "existe déjà") {
				t.Errorf("%s: a throttled signup still tells the e-mail is taken", path)
			}
		}
	})
}

func TestSignupJourney_FromChoiceToDashboard(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		b := site.browser()
		res := b.get("/signup/")
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, `href="/signup/job_seeker"`, "Professionnel de l'inclusion", "ProConnect", "invitation")
		wantStatus(t, b.get("/signup/job_seeker"), http.StatusOK)

		form := url.Values{"title": {"MME"}, "first_name": {"Alice"}, "last_name": {"Martin"},
			"email": {"alice@francetravail.fr"}, "password1": {"court"}, "password2": {"autre"}}
		res = b.post("/signup/job_seeker", form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, `id="id_email_error"`, "agents France Travail", `id="id_password1_error"`,
			"Ce mot de passe est trop court", `id="id_password2_error"`, `value="Alice"`, `id="id_title_MME" name="title" value="MME" checked`)
		if len(site.mails()) != 0 {
			t.Fatal("a refused signup sent a mail")
		}

		form.Set("email", "Alice.Martin@example.org")
		form.Set("password1", testPassword)
		form.Set("password2", testPassword)
		res = b.post("/signup/job_seeker", form)
		wantStatus(t, res, http.StatusSeeOther)
		wantBody(t, b.follow(res), "Vérifiez votre boîte mail")

		res = b.post("/accounts/login", url.Values{"email": {"alice.martin@example.org"}, "password": {testPassword}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, "confirmer votre adresse e-mail", `action="/accounts/verify/resend"`)

		res = b.get(site.linkIn("alice.martin@example.org", "/accounts/verify/"))
		wantStatus(t, res, http.StatusSeeOther)
		wantBody(t, b.follow(res), "Votre adresse e-mail est confirmée.")

		res = b.post("/accounts/login", url.Values{"email": {"alice.martin@example.org"}, "password": {testPassword}})
		wantStatus(t, res, http.StatusSeeOther)
		res = b.follow(res)
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, "<h1>Tableau de bord</h1>", "Bonjour Alice MARTIN", `id="dashboard-next-steps"`)
	})
}

func TestVerifyLink_InvalidShowsAPageToAskForANewOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		res := site.browser().get("/accounts/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
		wantStatus(t, res, http.StatusNotFound)
		wantBody(t, res, "<h1>Lien invalide</h1>", `action="/accounts/verify/resend"`)
	})
}

func TestResendVerification_AnswersTheSameForAnyAddress(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		b := site.browser()
		b.post("/signup/job_seeker", url.Values{"title": {"M"}, "first_name": {"Bruno"}, "last_name": {"Petit"},
			"email": {"bruno@example.org"}, "password1": {testPassword}, "password2": {testPassword}})
		site.Clock.Advance(account.ResendCooldown)
		known := b.post("/accounts/verify/resend", url.Values{"email": {"bruno@example.org"}})
		unknown := site.browser().post("/accounts/verify/resend", url.Values{"email": {"nobody@example.org"}})
		if known.StatusCode != unknown.StatusCode || known.Header.Get("Location") != unknown.Header.Get("Location") {
			t.Errorf("known: %d %s; unknown: %d %s", known.StatusCode, known.Header.Get("Location"), unknown.StatusCode, unknown.Header.Get("Location"))
		}
		if n := len(site.mails()); n != 2 {
			t.Errorf("%d mails, want the signup one and one resent", n)
		}
	})
}

func TestPasswordReset_SameResponseForKnownAndUnknownEmails(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		site.createJobSeeker("alice@example.org")
		wantStatus(t, site.browser().get("/accounts/password/reset"), http.StatusOK)
		known := site.browser().post("/accounts/password/reset", url.Values{"email": {"alice@example.org"}})
		unknown := site.browser().post("/accounts/password/reset", url.Values{"email": {"nobody@example.org"}})
		wantStatus(t, known, http.StatusOK)
		if known.StatusCode != unknown.StatusCode || known.Body != unknown.Body {
			t.Error("the answer differs for a known and an unknown e-mail")
		}
		if mails := site.mails(); len(mails) != 1 || mails[0].To != "alice@example.org" {
			t.Errorf("mails = %+v, want one to alice", mails)
		}
		res := site.browser().post("/accounts/password/reset", url.Values{"email": {"pas une adresse"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, "Saisissez une adresse e-mail valide.")
	})
}

func TestPasswordResetLink_SetsThePasswordOnceThenIsInvalid(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		site.createJobSeeker("alice@example.org")
		b := site.browser()
		b.post("/accounts/password/reset", url.Values{"email": {"alice@example.org"}})
		link := site.linkIn("alice@example.org", "/accounts/password/reset/")
		res := b.get(link)
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, `id="id_password1"`, `autocomplete="new-password"`)

		const newPassword = "Chat-Bleu-Sur-Le-Toit-2026"
		res = b.post(link, url.Values{"password1": {newPassword}, "password2": {"Chat-Bleu-Sur-Le-Toit-2027"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, "Les deux mots de passe ne correspondent pas.")

		res = b.post(link, url.Values{"password1": {newPassword}, "password2": {newPassword}})
		wantStatus(t, res, http.StatusSeeOther)
		wantBody(t, b.follow(res), "Votre mot de passe a été modifié.")
		wantStatus(t, b.get(link), http.StatusNotFound)
		wantStatus(t, b.post("/accounts/login", url.Values{"email": {"alice@example.org"}, "password": {newPassword}}), http.StatusSeeOther)
	})
}

func TestPasswordChange_KeepsThisSessionAndEndsTheOthers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		u := site.createJobSeeker("alice@example.org")
		here, elsewhere := site.loginAs(u), site.loginAs(u)
		wantStatus(t, here.get("/accounts/password/change"), http.StatusOK)

		res := here.post("/accounts/password/change", url.Values{"old_password": {"faux"}, "password1": {"x"}, "password2": {"x"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantBody(t, res, "Votre mot de passe actuel est incorrect.", "Ce mot de passe est trop court")

		const newPassword = "Chat-Bleu-Sur-Le-Toit-2026"
		res = here.post("/accounts/password/change", url.Values{"old_password": {testPassword}, "password1": {newPassword}, "password2": {newPassword}})
		wantStatus(t, res, http.StatusSeeOther)
		wantBody(t, here.follow(res), "Votre mot de passe a été modifié.", "Bonjour Alice MARTIN")
		res = elsewhere.get("/dashboard")
		wantStatus(t, res, http.StatusSeeOther)
		wantBody(t, elsewhere.follow(res), "Votre session a pris fin")
		if !strings.Contains(auditActions(t, d), "password_changed") {
			t.Error("the change is not audited")
		}
	})
}

func TestSession_EndsAfterTheAbsoluteLifetime(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		b := site.loginAs(site.createJobSeeker("alice@example.org"))
		site.Clock.Advance(site.Server.cfg.SessionLifetime - time.Second)
		wantStatus(t, b.get("/dashboard"), http.StatusOK)
		site.Clock.Advance(time.Second)
		res := b.get("/dashboard")
		wantStatus(t, res, http.StatusSeeOther)
		wantBody(t, b.follow(res), "Votre session a expiré")
	})
}

func TestSession_EndsWhenTheAccountIsDeactivated(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		b := site.loginAs(site.createJobSeeker("alice@example.org"))
		if _, err := site.Server.accounts.Deactivate(context.Background(), "alice@example.org"); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, b.get("/dashboard"), http.StatusSeeOther)
	})
}

func TestDashboard_TellsEachKindWhatComesNext(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		tests := []struct {
			kind account.Kind
			want string
		}{
			{account.JobSeeker, "Bientôt sur votre tableau de bord"},
			{account.Staff, "Administration"},
			// professionals: see org_test.go (organization card, or the no-organization gate)
		}
		for _, tt := range tests {
			u := site.createUser(tt.kind, string(tt.kind)+"@example.org", "Camille", "Durand")
			res := site.loginAs(u).get("/dashboard")
			wantStatus(t, res, http.StatusOK)
			wantBody(t, res, "Bonjour Camille DURAND", tt.want)
		}
	})
}

func TestAccessLog_DoesNotHoldOneTimeTokens(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		site.createJobSeeker("alice@example.org")
		b := site.browser()
		b.post("/accounts/password/reset", url.Values{"email": {"alice@example.org"}})
		link := site.linkIn("alice@example.org", "/accounts/password/reset/")
		wantStatus(t, b.get(link), http.StatusOK)
		token := strings.TrimPrefix(link, "/accounts/password/reset/")
		logs := site.Log.String()
		if strings.Contains(logs, token) {
			t.Errorf("the log holds the reset token:\n%s", logs)
		}
		if !strings.Contains(logs, "path=/accounts/password/reset/REDACTED") {
			t.Errorf("the request is not logged with a redacted path:\n%s", logs)
		}
		if strings.Contains(logs, "alice@example.org") {
			t.Errorf("the log holds the e-mail:\n%s", logs)
		}
	})
}
