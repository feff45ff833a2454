package approval_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/approval"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/webtest"
)

// hireWithPASS is a new job seeker named last, hired by co with a PASS IAE from start.
func hireWithPASS(t *testing.T, site *webtest.Site, co *org.Company, last string, start time.Time) *approval.Approval {
	t.Helper()
	js := site.CreateUser(account.JobSeeker, strings.ToLower(last)+"@example.org", "Prénom", last)
	pass := issuePASS(t, site, js, start)
	site.Candidature(js, co, "accepted", pass)
	return pass
}

func TestEmployerList_FiltersTheHiredPASSWithTheSameQueriesForOneRowOrMany(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		counter := &webtest.QueryCounter{}
		site := webtest.New(t, &db.DB{DB: d.DB.WithQueryHook(counter), Engine: d.Engine}).WithDemoCommunes()
		aci := site.Company(org.ACI, "La Recyclerie")
		b := site.LoginAs(site.EmployerOf(aci, "rh@recyclerie.example"))
		today := localtime.Day(time.Now())
		cost := func(path string) (*webtest.Response, int64) {
			before := counter.Count()
			res := b.Get(path)
			webtest.WantStatus(t, res, http.StatusOK)
			return res, counter.Count() - before
		}
		hireWithPASS(t, site, aci, "Valide", today.AddDate(0, -1, 0))
		_, one := cost("/approvals/list")

		hireWithPASS(t, site, aci, "Expire", today.AddDate(0, 0, -700)) // ends in 30 days
		hireWithPASS(t, site, aci, "Expire-Depuis", today.AddDate(-3, 0, 0))
		hireWithPASS(t, site, aci, "Avenir", today.AddDate(0, 0, 10))
		suspended := hireWithPASS(t, site, aci, "Suspendu", today.AddDate(0, -2, 0))
		now := time.Now().UTC()
		if _, err := site.DB.NewRaw(`INSERT INTO suspension (approval_id, start_at, end_at, company_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
			suspended.ID, today.AddDate(0, 0, -5), today.AddDate(0, 0, 20), aci.ID, now, now).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		// Someone else's hire, and a candidature of this SIAE that was not accepted.
		hireWithPASS(t, site, site.Company(org.EI, "Autre SIAE"), "Ailleurs", today)
		js := site.CreateUser(account.JobSeeker, "pasembauche@example.org", "Pas", "Embauché")
		site.Candidature(js, aci, "new", issuePASS(t, site, js, today))

		res, many := cost("/approvals/list")
		if one != many {
			t.Errorf("one PASS costs %d statements, five cost %d", one, many)
		}
		webtest.WantBody(t, res, "5 PASS IAE", "Prénom Valide", "Prénom Suspendu", "Valide (suspendu)", "Valide (non démarré)", "Expiré")
		webtest.WantNoBody(t, res, "Ailleurs", "Embauché")
		for query, want := range map[string][]string{
			"state=VALID":             {"Valide", "Expire"},
			"state=SUSPENDED":         {"Suspendu"},
			"state=FUTURE":            {"Avenir"},
			"state=EXPIRED":           {"Expire-Depuis"},
			"expiring=1":              {"Expire"},
			"name=susp":               {"Suspendu"},
			"state=VALID&name=expire": {"Expire"},
		} {
			res, _ := cost("/approvals/list?" + query)
			webtest.WantBody(t, res, fmt.Sprintf("%d PASS IAE", len(want)))
			for _, name := range want {
				webtest.WantBody(t, res, "Prénom "+name+"<")
			}
		}
		res, _ = cost("/approvals/list?state=SUSPENDED")
		if !strings.Contains(res.Body, "jours<") {
			t.Error("no remainder")
		}
	})
}

func TestEmployerList_IsForSIAEOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		geiq := site.LoginAs(site.EmployerOf(site.Company(org.GEIQ, "Le GEIQ"), "rh@geiq.example"))
		webtest.WantStatus(t, geiq.Get("/approvals/list"), http.StatusForbidden)
		webtest.WantStatus(t, site.LoginAs(site.CreateJobSeeker("js@example.org")).Get("/approvals/list"), http.StatusForbidden)
	})
}
