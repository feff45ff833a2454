package account_test

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
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/session"
	"emplois/internal/web/webtest"
)

func TestLoginPage_RendersTheFormWithLabelledFields(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		res := site.Browser().Get("/accounts/login?next=/accounts/password/change")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "<h1>Connexion</h1>", `<label class="fr-label" for="id_email">`, `id="id_password"`,
			`type="password"`, `autocomplete="current-password"`, `id="login-submit"`,
			`name="next" value="/accounts/password/change"`, `href="/accounts/password/reset"`, `href="/signup/"`)
	})
}

func TestLogin_EmptyFormComesBackWithFieldErrors(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		res := site.Browser().Post("/accounts/login", url.Values{"email": {"  "}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, `aria-describedby="id_email_error"`, `<p id="id_email_error" class="fr-error-text">Ce champ est obligatoire.</p>`,
			`<p id="id_password_error" class="fr-error-text">Ce champ est obligatoire.</p>`)
	})
}

func TestLogin_WrongPasswordComesBackWithAFrenchMessageAndKeepsTheEmail(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		site.CreateJobSeeker("alice@example.org")
		res := site.Browser().Post("/accounts/login", url.Values{"email": {"alice@example.org"}, "password": {"Pas-Le-Bon-Mot-De-Passe-1"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, `id="error-summary" tabindex="-1" autofocus>
  <p>Adresse e-mail ou mot de passe incorrect.</p>`, `value="alice@example.org"`)
		if strings.Contains(res.Body, "Pas-Le-Bon") {
			t.Error("the typed password is echoed back")
		}
	})
}

func TestLogin_CrossOriginPostIsRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		site.CreateJobSeeker("alice@example.org")
		b := site.Browser()
		form := url.Values{"email": {"alice@example.org"}, "password": {webtest.Password}}
		req, _ := http.NewRequest(http.MethodPost, site.URL+"/accounts/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://attaquant.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		res := b.Do(req)
		webtest.WantStatus(t, res, http.StatusForbidden)
		if b.SessionToken() != "" || strings.Contains(site.AuditActions(), "login") {
			t.Error("a cross-origin login went through")
		}
	})
}

func TestLogin_ThrottledAnswers429WithRetryAfter(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		site.CreateJobSeeker("alice@example.org")
		b := site.Browser()
		wrong := url.Values{"email": {"alice@example.org"}, "password": {"Pas-Le-Bon-Mot-De-Passe-1"}}
		for range site.Config.LoginMaxAttempts {
			webtest.WantStatus(t, b.Post("/accounts/login", wrong), http.StatusUnprocessableEntity)
		}
		res := b.Post("/accounts/login", url.Values{"email": {"alice@example.org"}, "password": {webtest.Password}})
		webtest.WantStatus(t, res, http.StatusTooManyRequests)
		webtest.WantBody(t, res, "Trop de tentatives de connexion. Réessayez dans 15 minutes.")
		if after, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || after <= 14*60 || after > 15*60 {
			t.Errorf("Retry-After = %q, want about 900 seconds", res.Header.Get("Retry-After"))
		}
	})
}

func TestLogin_RenewsTheSessionTokenAndGoesToTheLocalNextPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		u := site.CreateJobSeeker("alice@example.org")
		b := site.Browser()
		// An anonymous logout leaves a session holding its flash: the token to be replaced.
		b.Post("/accounts/logout", nil)
		before := b.SessionToken()
		if before == "" {
			t.Fatal("no anonymous session to start from")
		}
		res := b.Post("/accounts/login", url.Values{"email": {u.Email}, "password": {webtest.Password}, "next": {"/accounts/password/change"}})
		webtest.WantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/accounts/password/change" {
			t.Errorf("redirected to %q", loc)
		}
		if after := b.SessionToken(); after == "" || after == before {
			t.Error("the session token did not change at login")
		}
		for next, want := range map[string]string{"": "/dashboard", "//attaquant.example/": "/dashboard", "https://attaquant.example/": "/dashboard"} {
			res := site.Browser().Post("/accounts/login", url.Values{"email": {u.Email}, "password": {webtest.Password}, "next": {next}})
			if loc := res.Header.Get("Location"); loc != want {
				t.Errorf("next=%q: redirected to %q, want %q", next, loc, want)
			}
		}
	})
}

// Security probe of issue 8: these targets sent a logged-in user off-site.
func TestLogin_NextCannotLeaveTheSite(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		u := site.CreateJobSeeker("alice@example.org")
		b := site.LoginAs(u)
		for _, next := range []string{"%2F%09%2Fevil.example", "%2F.%2F%5Cevil.example", "%2F%0A%2Fevil.example", "%2F%5C%2Fevil.example"} {
			res := b.Get("/accounts/login?next=" + next)
			if loc := res.Header.Get("Location"); loc != "/dashboard" {
				t.Errorf("logged in, next=%s: redirected to %q, want /dashboard", next, loc)
			}
			decoded, _ := url.QueryUnescape(next)
			res = site.Browser().Post("/accounts/login", url.Values{"email": {u.Email}, "password": {webtest.Password}, "next": {decoded}})
			if loc := res.Header.Get("Location"); loc != "/dashboard" {
				t.Errorf("login, next=%s: redirected to %q, want /dashboard", next, loc)
			}
		}
	})
}

// Security probe of issue 8: a logged-in user's pages could be kept by a browser or a proxy.
func TestPagesOfALoggedInUser_AreNotCached(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		b := site.LoginAs(site.CreateJobSeeker("alice@example.org"))
		for _, path := range []string{"/dashboard", "/", "/accounts/password/change", "/page-qui-n-existe-pas"} {
			if got := b.Get(path).Header.Get("Cache-Control"); got != "no-store, private" {
				t.Errorf("%s: Cache-Control %q, want no-store, private", path, got)
			}
		}
		asset := regexp.MustCompile(`/static/[^"]+\.css`).FindString(b.Get("/").Body)
		if got := b.Get(asset).Header.Get("Cache-Control"); asset == "" || !strings.Contains(got, "immutable") {
			t.Errorf("stylesheet %q: Cache-Control %q, want the immutable caching of assets", asset, got)
		}
		if got := site.Browser().Get("/").Header.Get("Cache-Control"); got == "no-store, private" {
			t.Errorf("anonymous home page: Cache-Control %q, want the public default", got)
		}
	})
}

func TestLogout_RenewsTheTokenForgetsTheUserAndIsAudited(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		b := site.LoginAs(site.CreateJobSeeker("alice@example.org"))
		webtest.WantStatus(t, b.Get("/dashboard"), http.StatusOK)
		loggedIn := b.SessionToken()
		res := b.Post("/accounts/logout", nil)
		webtest.WantStatus(t, res, http.StatusSeeOther)
		if b.SessionToken() == loggedIn {
			t.Error("the session token did not change at logout")
		}
		webtest.WantBody(t, b.Follow(res), "Vous êtes déconnecté.")
		webtest.WantStatus(t, b.Get("/dashboard"), http.StatusSeeOther)

		// Replaying the old cookie does not log in either: the old session is gone from the store.
		replay, _ := http.NewRequest(http.MethodGet, site.URL+"/dashboard", nil)
		replay.AddCookie(&http.Cookie{Name: session.CookieName, Value: loggedIn})
		webtest.WantStatus(t, site.Browser().Do(replay), http.StatusSeeOther)
		if got := site.AuditActions(); got != "login logout" {
			t.Errorf("audit = %q", got)
		}
	})
}

func TestLoggedInPage_SendsAnonymousVisitorsToLogin(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		for _, path := range []string{"/dashboard", "/accounts/password/change"} {
			res := site.Browser().Get(path)
			webtest.WantStatus(t, res, http.StatusSeeOther)
			if loc := res.Header.Get("Location"); loc != "/accounts/login?next="+url.QueryEscape(path) {
				t.Errorf("%s: redirected to %q", path, loc)
			}
		}
	})
}

// Security probe of issue 8: the signup forms answered 30 "has this e-mail an account?" in 3 s.
func TestSignup_AskingWhetherAnEmailHasAnAccountIsThrottled(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		site.CreateJobSeeker("alice@example.org")
		form := webtest.SignupForm("alice@example.org")
		b := site.Browser()
		for i := range site.Config.LoginMaxAttempts {
			if res := b.Post("/signup/job_seeker", form); res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("check %d: status %d, want 422", i+1, res.StatusCode)
			}
		}
		for _, path := range []string{"/signup/job_seeker", "/signup/professional/password"} {
			res := b.Post(path, form)
			webtest.WantStatus(t, res, http.StatusTooManyRequests)
			webtest.WantBody(t, res, "Trop de tentatives d&#39;inscription")
			if res.Header.Get("Retry-After") == "" {
				t.Errorf("%s: no Retry-After", path)
			}
			if strings.Contains(res.Body, "existe déjà") {
				t.Errorf("%s: a throttled signup still tells the e-mail is taken", path)
			}
		}
	})
}

func TestVerifyLink_InvalidShowsAPageToAskForANewOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		res := site.Browser().Get("/accounts/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
		webtest.WantStatus(t, res, http.StatusNotFound)
		webtest.WantBody(t, res, "<h1>Lien invalide</h1>", `action="/accounts/verify/resend"`)
	})
}

func TestResendVerification_AnswersTheSameForAnyAddress(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		b := site.Browser()
		webtest.WantStatus(t, b.Post("/signup/job_seeker/credentials", webtest.SignupForm("bruno@example.org")), http.StatusSeeOther)
		site.Clock.Advance(account.ResendCooldown)
		known := b.Post("/accounts/verify/resend", url.Values{"email": {"bruno@example.org"}})
		unknown := site.Browser().Post("/accounts/verify/resend", url.Values{"email": {"nobody@example.org"}})
		if known.StatusCode != unknown.StatusCode || known.Header.Get("Location") != unknown.Header.Get("Location") {
			t.Errorf("known: %d %s; unknown: %d %s", known.StatusCode, known.Header.Get("Location"), unknown.StatusCode, unknown.Header.Get("Location"))
		}
		if n := len(site.Mails()); n != 2 {
			t.Errorf("%d mails, want the signup one and one resent", n)
		}
	})
}

func TestPasswordReset_SameResponseForKnownAndUnknownEmails(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		site.CreateJobSeeker("alice@example.org")
		webtest.WantStatus(t, site.Browser().Get("/accounts/password/reset"), http.StatusOK)
		known := site.Browser().Post("/accounts/password/reset", url.Values{"email": {"alice@example.org"}})
		unknown := site.Browser().Post("/accounts/password/reset", url.Values{"email": {"nobody@example.org"}})
		webtest.WantStatus(t, known, http.StatusOK)
		if known.StatusCode != unknown.StatusCode || known.Body != unknown.Body {
			t.Error("the answer differs for a known and an unknown e-mail")
		}
		if mails := site.Mails(); len(mails) != 1 || mails[0].To != "alice@example.org" {
			t.Errorf("mails = %+v, want one to alice", mails)
		}
		res := site.Browser().Post("/accounts/password/reset", url.Values{"email": {"pas une adresse"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Saisissez une adresse e-mail valide.")
	})
}

func TestPasswordResetLink_SetsThePasswordOnceThenIsInvalid(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		site.CreateJobSeeker("alice@example.org")
		b := site.Browser()
		b.Post("/accounts/password/reset", url.Values{"email": {"alice@example.org"}})
		link := site.LinkIn("alice@example.org", "/accounts/password/reset/")
		res := b.Get(link)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, `id="id_password1"`, `autocomplete="new-password"`)

		const newPassword = "Chat-Bleu-Sur-Le-Toit-2026"
		res = b.Post(link, url.Values{"password1": {newPassword}, "password2": {"Chat-Bleu-Sur-Le-Toit-2027"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Les deux mots de passe ne correspondent pas.")

		res = b.Post(link, url.Values{"password1": {newPassword}, "password2": {newPassword}})
		webtest.WantStatus(t, res, http.StatusSeeOther)
		webtest.WantBody(t, b.Follow(res), "Votre mot de passe a été modifié.")
		webtest.WantStatus(t, b.Get(link), http.StatusNotFound)
		webtest.WantStatus(t, b.Post("/accounts/login", url.Values{"email": {"alice@example.org"}, "password": {newPassword}}), http.StatusSeeOther)
	})
}

func TestPasswordChange_KeepsThisSessionAndEndsTheOthers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		u := site.CreateJobSeeker("alice@example.org")
		here, elsewhere := site.LoginAs(u), site.LoginAs(u)
		webtest.WantStatus(t, here.Get("/accounts/password/change"), http.StatusOK)

		res := here.Post("/accounts/password/change", url.Values{"old_password": {"faux"}, "password1": {"x"}, "password2": {"x"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Votre mot de passe actuel est incorrect.", "Ce mot de passe est trop court")

		const newPassword = "Chat-Bleu-Sur-Le-Toit-2026"
		res = here.Post("/accounts/password/change", url.Values{"old_password": {webtest.Password}, "password1": {newPassword}, "password2": {newPassword}})
		webtest.WantStatus(t, res, http.StatusSeeOther)
		webtest.WantBody(t, here.Follow(res), "Votre mot de passe a été modifié.", "Bonjour Alice MARTIN")
		res = elsewhere.Get("/dashboard")
		webtest.WantStatus(t, res, http.StatusSeeOther)
		webtest.WantBody(t, elsewhere.Follow(res), "Votre session a pris fin")
		if !strings.Contains(site.AuditActions(), "password_changed") {
			t.Error("the change is not audited")
		}
	})
}

func TestSession_EndsAfterTheAbsoluteLifetime(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		b := site.LoginAs(site.CreateJobSeeker("alice@example.org"))
		site.Clock.Advance(site.Config.SessionLifetime - time.Second)
		webtest.WantStatus(t, b.Get("/dashboard"), http.StatusOK)
		site.Clock.Advance(time.Second)
		res := b.Get("/dashboard")
		webtest.WantStatus(t, res, http.StatusSeeOther)
		webtest.WantBody(t, b.Follow(res), "Votre session a expiré")
	})
}

func TestSession_EndsWhenTheAccountIsDeactivated(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		b := site.LoginAs(site.CreateJobSeeker("alice@example.org"))
		if _, err := site.Services.Accounts.Deactivate(context.Background(), "alice@example.org"); err != nil {
			t.Fatal(err)
		}
		webtest.WantStatus(t, b.Get("/dashboard"), http.StatusSeeOther)
	})
}

func TestDashboard_TellsEachKindWhatComesNext(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		tests := []struct {
			kind account.Kind
			want string
		}{
			{account.JobSeeker, `id="dashboard-my-applications"`},
			{account.Staff, "Administration"},
			// professionals: see org_test.go (organization card, or the no-organization gate)
		}
		for _, tt := range tests {
			u := site.CreateUser(tt.kind, string(tt.kind)+"@example.org", "Camille", "Durand")
			res := site.LoginAs(u).Get("/dashboard")
			webtest.WantStatus(t, res, http.StatusOK)
			webtest.WantBody(t, res, "Bonjour Camille DURAND", tt.want)
		}
	})
}

func TestAccessLog_DoesNotHoldOneTimeTokens(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		site.CreateJobSeeker("alice@example.org")
		b := site.Browser()
		b.Post("/accounts/password/reset", url.Values{"email": {"alice@example.org"}})
		link := site.LinkIn("alice@example.org", "/accounts/password/reset/")
		webtest.WantStatus(t, b.Get(link), http.StatusOK)
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
