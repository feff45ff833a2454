package account_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

// Page tests of the accessibility audit's findings on the account pages (issue 8, part 6).

func TestRefusedLogin_ShowsAFocusedSummaryLinkingEachFieldUnderATitleSayingErreur(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		res := site.Browser().Post("/accounts/login", url.Values{"email": {""}, "password": {""}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		if got := res.Title(t); got != "Erreur : Connexion - Les emplois de l'inclusion" {
			t.Errorf("title %q", got)
		}
		email := `<a href="#id_email">Adresse e-mail : Ce champ est obligatoire.</a>`
		password := `<a href="#id_password">Mot de passe : Ce champ est obligatoire.</a>`
		webtest.WantBody(t, res, `id="error-summary" tabindex="-1" autofocus>`, "<p>Le formulaire contient des erreurs.</p>", email, password)
		if strings.Index(res.Body, email) > strings.Index(res.Body, password) {
			t.Error("the summary does not list the fields in the order of the form")
		}
		if ok := site.Browser().Get("/accounts/login"); strings.Contains(ok.Body, "error-summary") || ok.Title(t) != "Connexion - Les emplois de l'inclusion" {
			t.Error("the login page shows an error before any submission")
		}
	})
}
