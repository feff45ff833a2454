package application_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"emplois/internal/application"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

// TestAcceptInfo_TheEmployerCompletesTheNIRSoThatThePASSIsIssuedAutomatically: §3.5-2 — the
// profile lacks what France Travail identifies a person by; the step asks it before the
// contract, refuses a bad NIR with a French error and writes nothing, then the hire gets its
// PASS IAE at once.
func TestAcceptInfo_TheEmployerCompletesTheNIRSoThatThePASSIsIssuedAutomatically(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		id := w.app.PublicID
		b := w.site.LoginAs(w.memberA)
		webtest.WantRedirect(t, b.Get("/apply/"+id+"/accept"), "/apply/"+id+"/accept/info")
		res := b.Get("/apply/" + id + "/accept/info")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Informations de Julie CANDIDATE", `name="nir"`, `name="birthdate"`, `name="lack_of_pole_emploi_id_reason"`,
			`href="/apply/`+id+`/accept?info=done"`)
		// Others may not: another company's member.
		webtest.WantStatus(t, w.site.LoginAs(w.otherEmployer).Get("/apply/"+id+"/accept/info"), http.StatusNotFound)

		bad := url.Values{"nir": {"123"}, "birthdate": {"1985-05-12"}, "lack_of_pole_emploi_id_reason": {"NOT_REGISTERED"}}
		res = b.Post("/apply/"+id+"/accept/info", bad)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "fr-error-text")
		var n int
		if err := d.NewSelect().Table("job_seeker_profile").ColumnExpr("COUNT(*)").Where("user_id = ? AND nir IS NOT NULL", w.owner.ID).
			Scan(context.Background(), &n); err != nil || n != 0 {
			t.Fatalf("%d NIR stored (%v)", n, err)
		}
		good := url.Values{"nir": {"2 85 05 69 123 456 88"}, "birthdate": {"1985-05-12"}, "lack_of_pole_emploi_id_reason": {"NOT_REGISTERED"}}
		res = b.Post("/apply/"+id+"/accept/info", good)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("info: %d\n%s", res.StatusCode, res.Text())
		}
		webtest.WantRedirect(t, res, "/apply/"+id+"/accept?info=done")
		// The profile is complete now: the acceptance goes straight to the contract.
		webtest.WantStatus(t, b.Get("/apply/"+id+"/accept"), http.StatusOK)
		start := w.site.Clock.Now().AddDate(0, 0, 1).Format("2006-01-02")
		webtest.WantRedirect(t, b.Post("/apply/"+id+"/accept", url.Values{"hiring_start_at": {start}, "step": {"confirm"}}),
			application.DetailsPath(id))
		webtest.WantBody(t, b.Get(application.DetailsPath(id)), "Le PASS IAE du candidat est disponible", "Voir le PASS IAE", "99999 ")
	})
}
