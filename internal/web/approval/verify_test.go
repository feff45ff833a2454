package approval_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/approval"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

// holder stores a job seeker born on 17 May 1990 with a PASS IAE started a month ago, and
// returns its number.
func holder(t *testing.T, site *webtest.Site) string {
	t.Helper()
	ctx := context.Background()
	js := site.CreateUser(account.JobSeeker, "titulaire@example.org", "Lina", "Titulaire")
	now := time.Now().UTC()
	born := time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC)
	if _, err := site.DB.NewRaw(`INSERT INTO job_seeker_profile (user_id, asp_uid, birthdate, updated_at) VALUES (?, ?, ?, ?)`,
		js.ID, "0123456789abcdef0123456789abcd", born, now).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	var diagnosis int64
	if err := site.DB.NewRaw(`INSERT INTO eligibility_diagnosis (job_seeker_id, author_kind, expires_at, created_at, updated_at)
		VALUES (?, 'prescriber', ?, ?, ?) RETURNING id`, js.ID, now.AddDate(0, 6, 0), now, now).Scan(ctx, &diagnosis); err != nil {
		t.Fatal(err)
	}
	var pass *approval.Approval
	err := site.DB.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		pass, err = site.Services.Approvals.Issue(ctx, tx, approval.IssueInput{UserID: js.ID, StartAt: now.AddDate(0, -1, 0),
			EligibilityDiagnosisID: diagnosis, OriginSIAESIRET: "12345678900001", OriginSIAEKind: "ACI", OriginSenderKind: "job_seeker"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
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
