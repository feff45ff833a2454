package jobseeker_test

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
	"emplois/internal/web/webtest"
)

// wantNoAccount fails when a refused step wrote an account or a mail.
func wantNoAccount(t *testing.T, site *webtest.Site, email string) {
	t.Helper()
	if _, err := site.Services.Accounts.ByEmail(context.Background(), email); err == nil {
		t.Fatal("a refused signup step created the account")
	}
	if n := len(site.Mails()); n != 0 {
		t.Fatalf("a refused signup step sent %d mails", n)
	}
}

func TestSignupJourney_FiveStepsThenVerificationThenTheProfile(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		b := site.Browser()
		res := b.Get("/signup/")
		webtest.WantBody(t, res, `href="/signup/job_seeker/start"`)

		res = b.Get("/signup/job_seeker/start")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Étape 1 sur 5", "Faites-vous accompagner", `href="/search/prescribers"`, `href="/signup/job_seeker/situation"`)

		webtest.WantStatus(t, b.Get("/signup/job_seeker/situation"), http.StatusOK)
		res = b.Post("/signup/job_seeker/situation", url.Values{})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Cochez au moins une situation.", "Étape 2 sur 5")
		webtest.WantRedirect(t, b.Post("/signup/job_seeker/situation", url.Values{"rsa": {"on"}, "other": {"on"}}), "/signup/job_seeker/criteria")
		webtest.WantRedirect(t, b.Post("/signup/job_seeker/situation", url.Values{"other": {"on"}}), "/signup/job_seeker/criteria?situation=other")
		res = b.Get("/signup/job_seeker/criteria?situation=other")
		webtest.WantBody(t, res, "Étape 3 sur 5", "pas adapté à votre situation", "Bénéficiaire du RSA", "Jeune de moins de 26 ans", `href="/signup/job_seeker"`)
		webtest.WantNoBody(t, b.Get("/signup/job_seeker/criteria"), "pas adapté à votre situation")

		res = b.Get("/signup/job_seeker")
		webtest.WantStatus(t, res, http.StatusOK)
		// The commune of birth is a combobox: the page loads its script.
		webtest.WantBody(t, res, "Étape 4 sur 5", `id="id_title_MME"`, `id="id_nir"`, `id="id_lack_of_nir_reason"`, `autocomplete="email"`, "js/combobox.")

		const email = "lea.dupont@example.org"
		res = b.Post("/signup/job_seeker", webtest.SignupIdentity(email))
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Étape 5 sur 5", `id="signup-recap"`, "Léa", "10/01/1990", "Allemagne", webtest.LeaNIR,
			`name="nir" value="`+webtest.LeaNIR+`"`, `id="id_password1"`, `id="signup-edit"`)
		webtest.WantNoBody(t, res, "franceconnect-button") // FranceConnect is not configured
		wantNoAccount(t, site, email)

		// « Modifier » brings the identity step back, filled.
		edit := webtest.SignupForm(email)
		edit.Set("action", "edit")
		res = b.Post("/signup/job_seeker/credentials", edit)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Étape 4 sur 5", `value="Dupont"`)

		// Passwords that differ: refused on the field, nothing written, the recap kept.
		form := webtest.SignupForm(email)
		form.Set("password2", "Autre-Mot-De-Passe-Tres-Long-7")
		res = b.Post("/signup/job_seeker/credentials", form)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, `id="id_password2_error"`, `id="signup-recap"`)
		wantNoAccount(t, site, email)

		webtest.WantRedirect(t, b.Post("/signup/job_seeker/credentials", webtest.SignupForm(email)), "/signup/job_seeker/sent")
		res = b.Post("/accounts/login", url.Values{"email": {email}, "password": {webtest.Password}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "confirmer votre adresse e-mail")
		webtest.WantStatus(t, b.Get(site.LinkIn(email, "/accounts/verify/")), http.StatusSeeOther)
		res = b.Post("/accounts/login", url.Values{"email": {email}, "password": {webtest.Password}})
		webtest.WantStatus(t, res, http.StatusSeeOther)
		// The dashboard asks for the address first (actors.md §10.1-6, §14).
		webtest.WantRedirect(t, b.Follow(res), "/dashboard/edit_user_info")
		// Its city is a combobox: the page loads its script; the France Travail identifier says
		// that a reason stands for it.
		webtest.WantBody(t, b.Get("/dashboard/edit_user_info"), `id="id_city"`, "js/combobox.",
			"Sans identifiant, indiquez pourquoi dans le champ suivant.")

		u, err := site.Services.Accounts.ByEmail(context.Background(), email)
		if err != nil {
			t.Fatal(err)
		}
		j, err := site.Services.JobSeekers.Self(context.Background(), actor.Actor{UserID: u.ID, Kind: actor.JobSeeker})
		if err != nil || j.Profile.NIRValue() != webtest.LeaNIR || j.Profile.Birthdate == nil || u.Title != account.Madame {
			t.Fatalf("the signup's profile: %+v %+v %v", u, j, err)
		}
		// A logged-in visitor is sent to the dashboard from every step.
		webtest.WantRedirect(t, b.Get("/signup/job_seeker/start"), "/dashboard")
	})
}

func TestSignupIdentity_BadInputIsRefusedOnItsFieldAndWritesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		today := site.Clock.Now()
		for _, tc := range []struct {
			name, field, value, message string
		}{
			{"a NIR with a wrong key", "nir", "290019910912314", jobseeker.MsgNIRKey},
			{"a NIR too short", "nir", "2900199", jobseeker.MsgNIRLength},
			{"the Vitale card example", "nir", "269054958815780", jobseeker.MsgNIRExample},
			{"a civilité the NIR contradicts", "title", "M", jobseeker.MsgNIRTitle},
			{"12 years old", "birthdate", today.AddDate(-12, 0, 0).Format("2006-01-02"), jobseeker.MsgTooYoung},
			{"130 years old", "birthdate", today.AddDate(-130, 0, 0).Format("2006-01-02"), jobseeker.MsgTooOld},
			{"a France Travail e-mail", "email", "lea@francetravail.fr", "France Travail"},
			{"no NIR and no reason", "nir", "", jobseeker.MsgNIROrReason},
		} {
			t.Run(tc.name, func(t *testing.T) {
				email := strings.ReplaceAll(tc.name, " ", ".") + "@example.org"
				form := webtest.SignupIdentity(email)
				form.Set(tc.field, tc.value)
				for _, path := range []string{"/signup/job_seeker", "/signup/job_seeker/credentials"} {
					f := form
					if path == "/signup/job_seeker/credentials" {
						f = webtest.SignupForm(email)
						f.Set(tc.field, tc.value)
					}
					res := site.Browser().Post(path, f)
					webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
					webtest.WantBody(t, res, "Étape 4 sur 5", `id="id_`+tc.field+`_error"`)
					if !strings.Contains(res.Text(), tc.message) {
						t.Errorf("%s: the page does not say %q", path, tc.message)
					}
				}
				wantNoAccount(t, site, email)
				wantNoAccount(t, site, "lea@francetravail.fr")
			})
		}
	})
}

func TestSignupCredentials_ANIRTakenMeanwhileGoesBackToTheIdentityStep(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		first, second := site.Browser(), site.Browser()
		webtest.WantStatus(t, first.Post("/signup/job_seeker", webtest.SignupIdentity("lea@example.org")), http.StatusOK)
		webtest.WantStatus(t, second.Post("/signup/job_seeker", webtest.SignupIdentity("lea.d@example.org")), http.StatusOK)
		webtest.WantRedirect(t, first.Post("/signup/job_seeker/credentials", webtest.SignupForm("lea@example.org")), "/signup/job_seeker/sent")
		res := second.Post("/signup/job_seeker/credentials", webtest.SignupForm("lea.d@example.org"))
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Étape 4 sur 5", `id="id_nir_error"`)
		if _, err := site.Services.Accounts.ByEmail(context.Background(), "lea.d@example.org"); err == nil {
			t.Fatal("a second account holds the NIR")
		}
	})
}
