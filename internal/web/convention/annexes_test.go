package convention_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"emplois/internal/convention"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

func annex(t *testing.T, site *webtest.Site, convID int64, number string, state org.AnnexState, end time.Time) {
	t.Helper()
	now := time.Now().UTC()
	_, err := site.DB.NewRaw(`INSERT INTO siae_financial_annex (number, state, start_at, end_at, convention_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, number, string(state), end.AddDate(-1, 0, 0), end, convID, now, now).Exec(context.Background())
	if err != nil {
		t.Fatal(err)
	}
}

func TestAnnexesPage_ShowsOneAnnexPerNumberTheActiveElseTheLatestAmendment(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		co := site.StoredCompany(org.ACI)
		now := time.Now().UTC()
		annex(t, site, *co.ConventionID, "ACI069250001A0M0", org.AnnexArchived, now.AddDate(-1, 0, 0))
		annex(t, site, *co.ConventionID, "ACI069250001A1M0", org.AnnexValid, now.AddDate(0, 6, 0)) // active
		annex(t, site, *co.ConventionID, "ACI069250001A1M1", org.AnnexCancelled, now.AddDate(0, 6, 0))
		annex(t, site, *co.ConventionID, "ACI069230002A0M3", org.AnnexClosed, now.AddDate(-2, 0, 0))
		annex(t, site, *co.ConventionID, "ACI069230002A2M0", org.AnnexClosed, now.AddDate(-1, 0, 0)) // latest amendment
		b := site.LoginAs(site.EmployerOf(co, "admin@jardins.example.org"))
		webtest.WantBody(t, b.Get("/dashboard"), `id="dashboard-annexes-link"`)
		res := b.Get(convention.AnnexesPath)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "<h1>Mes annexes financières</h1>", "ACI 069 25 0001", "A1 M0", "Active", "ACI 069 23 0002", "A2 M0", "Clôturée")
		webtest.WantNoBody(t, res, "A0 M0", "A1 M1", "A0 M3", "Changer de convention")
	})
}

func TestAnnexesPage_LetsAnAntennaChooseAConventionOfItsSIRENAndKindOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		parent := site.StoredCompany(org.ACI)
		other := site.StoredCompany(org.ACI) // same SIREN (987654321), another convention
		antenna := site.StoredCompany(org.ACI, func(c *org.Company) { c.Source, c.ConventionID = org.SourceUserCreated, parent.ConventionID })
		foreign := site.Company(org.ACI, "Ailleurs")
		ei := site.StoredCompany(org.EI)
		end := time.Now().UTC().AddDate(0, 6, 0)
		annex(t, site, *parent.ConventionID, "ACI069250001A0M0", org.AnnexValid, end)
		annex(t, site, *other.ConventionID, "ACI069250002A0M0", org.AnnexValid, end)
		annex(t, site, *ei.ConventionID, "EI069250003A0M0", org.AnnexValid, end)
		b := site.LoginAs(site.EmployerOf(antenna, "antenne@jardins.example.org"))
		res := b.Get(convention.AnnexesPath)
		webtest.WantBody(t, res, "Changer de convention", "Convention actuelle", `value="ACI069250002A0M0"`)
		webtest.WantNoBody(t, res, "EI 069 25 0003")

		var foreignAnnex string
		if err := site.DB.NewRaw(`SELECT number FROM siae_financial_annex WHERE convention_id = ?`, *foreign.ConventionID).Scan(context.Background(), &foreignAnnex); err != nil {
			t.Fatal(err)
		}
		for _, n := range []string{foreignAnnex, "EI069250003A0M0", "ACI069999999A0M0"} {
			webtest.WantStatus(t, b.Post(convention.AnnexesPath, url.Values{"number": {n}}), http.StatusNotFound)
		}
		webtest.WantRedirect(t, b.Post(convention.AnnexesPath, url.Values{"number": {"ACI069250002A0M0"}}), convention.AnnexesPath)
		var conv int64
		if err := site.DB.NewRaw(`SELECT convention_id FROM company WHERE id = ?`, antenna.ID).Scan(context.Background(), &conv); err != nil {
			t.Fatal(err)
		}
		if conv != *other.ConventionID || !strings.Contains(site.AuditActions(), convention.ActionConventionSwitched) {
			t.Errorf("convention %d, audit %s", conv, site.AuditActions())
		}
	})
}

func TestAnnexesPage_IsForTheAdminsOfAnSIAEWithAConventionOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		aci := site.StoredCompany(org.ACI)
		asp := site.LoginAs(site.EmployerOf(aci, "admin@jardins.example.org"))
		member := site.LoginAs(site.Member(org.TypeCompany, aci.ID, "membre@jardins.example.org", "Mia", "Membre"))
		webtest.WantStatus(t, member.Get(convention.AnnexesPath), http.StatusForbidden)
		webtest.WantNoBody(t, member.Get("/dashboard"), `id="dashboard-annexes-link"`)
		staffCreated := site.StoredCompany(org.EI, func(c *org.Company) { c.Source = org.SourceStaffCreated })
		webtest.WantStatus(t, site.LoginAs(site.EmployerOf(staffCreated, "admin@staff.example.org")).Get(convention.AnnexesPath), http.StatusForbidden)
		geiq := site.LoginAs(site.EmployerOf(site.StoredCompany(org.GEIQ), "admin@geiq.example.org"))
		webtest.WantStatus(t, geiq.Get(convention.AnnexesPath), http.StatusForbidden)
		webtest.WantNoBody(t, geiq.Get("/dashboard"), `id="dashboard-annexes-link"`)
		// An ASP company cannot leave its own convention.
		webtest.WantStatus(t, asp.Post(convention.AnnexesPath, url.Values{"number": {"ACI069250001A0M0"}}), http.StatusForbidden)
		webtest.WantStatus(t, site.LoginAs(site.CreateJobSeeker("js@example.org")).Get(convention.AnnexesPath), http.StatusForbidden)
		prescriber := site.Prescriber(org.PrescriberKind("ML"), "Mission locale", true)
		webtest.WantStatus(t, site.LoginAs(site.Member(org.TypePrescriber, prescriber.ID, "cip@ml.example.org", "Paul", "Cip")).Get(convention.AnnexesPath), http.StatusForbidden)
		if res := site.Browser().Get(convention.AnnexesPath); res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusFound {
			t.Errorf("anonymous: %d", res.StatusCode)
		}
	})
}
