package approval_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/approval"
	"emplois/internal/org"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

// holder stores a job seeker born on 17 May 1990 with a PASS IAE started a month ago, and
// returns its number.
func holder(t *testing.T, site *webtest.Site) string {
	t.Helper()
	js := site.CreateUser(account.JobSeeker, "titulaire@example.org", "Lina", "Titulaire")
	pass := issuePASS(t, site, js, time.Now().UTC().AddDate(0, -1, 0), org.ACI)
	return pass.Number
}

func TestVerifyPage_AnswersValidityForTheRightBirthDateOnlyWithTheSameQueries(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		counter := &webtest.QueryCounter{}
		site := webtest.New(t, &db.DB{DB: d.DB.WithQueryHook(counter), Engine: d.Engine})
		number := holder(t, site)
		b := site.Browser()

		res := b.Get("/pass-iae/verify")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "<h1>Vérifier un PASS IAE</h1>", `name="number"`, `name="birthdate"`, `method="post"`)

		lookup := func(number, born string) (*webtest.Response, int64) {
			before := counter.Count()
			res := b.Post("/pass-iae/verify", url.Values{"number": {number}, "birthdate": {born}})
			return res, counter.Count() - before
		}
		spaced := approval.FormatNumber(number)
		res, found := lookup(strings.ToLower(spaced), "17/05/1990")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Le PASS IAE "+spaced+" est valide jusqu'au", "inclus")
		webtest.WantNoBody(t, res, "Titulaire", "Lina")
		res, missing := lookup(spaced, "1990-05-18")
		webtest.WantBody(t, res, "Aucun PASS IAE ne correspond à ce numéro et à cette date de naissance.")
		webtest.WantNoBody(t, res, "est valide jusqu")
		if found != missing {
			t.Errorf("a found PASS costs %d statements, a missing one %d: the answer time tells which", found, missing)
		}

		res, _ = lookup("12345", "")
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, approval.MsgVerifyNumber, approval.MsgVerifyBirthdate)
		if got := site.AuditActions(); strings.Count(got, approval.ActionVerified) != 2 {
			t.Errorf("audit %q: want the two lookups", got)
		}
	})
}

func TestVerifyPage_ThrottlesEveryClientAddressLoggedInOrNot(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d, func(c *config.Config) { c.RateLimitPASSVerify = 2 })
		someone := site.CreateUser(account.Professional, "curieux@example.org", "Paul", "Curieux")
		b := site.LoginAs(someone)
		form := url.Values{"number": {"XXXXX2600001"}, "birthdate": {"1990-05-17"}}
		for range 2 {
			webtest.WantStatus(t, b.Post("/pass-iae/verify", form), http.StatusOK)
		}
		res := b.Post("/pass-iae/verify", form)
		webtest.WantStatus(t, res, http.StatusTooManyRequests)
		if res.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		webtest.WantStatus(t, b.Get("/pass-iae/verify"), http.StatusOK) // the form itself is not counted
	})
}
