package approval_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"emplois/internal/account"
	"emplois/internal/approval"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

func TestManualQueuePage_StaffDeliversOrRefusesAndOthersAreForbidden(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		ai := site.Company(org.AI, "Intérim Solidaire")
		employer := site.EmployerOf(ai, "rh@interim.example")
		deliver := site.CreateUser(account.JobSeeker, "sans-nir@example.org", "Nora", "Sansnir")
		refuse := site.CreateUser(account.JobSeeker, "refus@example.org", "Rémi", "Refus")
		apps := map[string]string{}
		for _, js := range []*account.User{deliver, refuse} {
			id := site.Candidature(js, ai, "accepted", nil)
			if _, err := site.DB.NewRaw(`UPDATE job_application SET approval_delivery_mode = 'manual', eligibility_diagnosis_id = ? WHERE public_id = ?`,
				diagnosisOf(t, site, js), id).Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
			apps[js.Email] = id
		}
		staff := site.LoginAs(site.CreateUser(account.Staff, "staff@example.org", "Sam", "Staff"))
		res := staff.Get(approval.ManualQueuePath)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "<h1>PASS IAE à délivrer manuellement</h1>", "Nora Sansnir", "Rémi Refus", "Intérim Solidaire (AI)", "2 candidatures en attente")

		other := site.LoginAs(employer)
		webtest.WantStatus(t, other.Get(approval.ManualQueuePath), http.StatusForbidden)
		webtest.WantStatus(t, other.Post(approval.ManualQueuePath+"/"+apps[deliver.Email]+"/deliver", url.Values{}), http.StatusForbidden)

		res = staff.Post(approval.ManualQueuePath+"/"+apps[deliver.Email]+"/deliver", url.Values{})
		webtest.WantRedirect(t, res, approval.ManualQueuePath)
		res = staff.Post(approval.ManualQueuePath+"/"+apps[refuse.Email]+"/refuse", url.Values{})
		webtest.WantRedirect(t, res, approval.ManualQueuePath)
		res = staff.Get(approval.ManualQueuePath)
		webtest.WantBody(t, res, "Le PASS IAE est refusé", "Aucun PASS IAE n'attend d'être délivré.")

		var subjects []string
		for _, m := range site.Mails() {
			if m.To == employer.Email {
				subjects = append(subjects, m.Subject)
			}
		}
		if len(subjects) != 2 || subjects[0] != "PASS IAE pour Nora Sansnir" || subjects[1] != "PASS IAE refusé pour Rémi Refus" {
			t.Fatalf("employer mails %q", subjects)
		}
		// Twice is a conflict, explained.
		res = staff.Post(approval.ManualQueuePath+"/"+apps[deliver.Email]+"/deliver", url.Values{})
		webtest.WantStatus(t, res, http.StatusConflict)
		webtest.WantBody(t, res, "n&#39;attend plus de PASS IAE")
	})
}

// diagnosisOf stores a prescriber's diagnosis of js and returns its id.
func diagnosisOf(t *testing.T, site *webtest.Site, js *account.User) int64 {
	t.Helper()
	now := site.Clock.Now()
	var id int64
	if err := site.DB.NewRaw(`INSERT INTO eligibility_diagnosis (job_seeker_id, author_kind, expires_at, created_at, updated_at)
		VALUES (?, 'prescriber', ?, ?, ?) RETURNING id`, js.ID, now.AddDate(0, 6, 0), now, now).Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	return id
}
