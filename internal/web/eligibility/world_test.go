package eligibility_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/eligibility"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/reference"
	"emplois/internal/web/webtest"
)

// world: an authorized prescriber organization and an orienteur one with a member each, an
// ACI and an EI with a member each, a GEIQ, an EA, and a job seeker.
type world struct {
	t                         *testing.T
	site                      *webtest.Site
	prescriberOrg             *org.PrescriberOrganization
	prescriber, orienteur     *account.User
	aci, ei, geiq, opcs, etti *org.Company
	aciMember, eiMember       *account.User
	geiqMember, opcsMember    *account.User
	ettiMember                *account.User
	jobSeeker                 *account.User
}

func openSpontaneous(co *org.Company) {
	t := time.Now().UTC().Add(-time.Hour)
	co.SpontaneousApplicationsOpenSince = &t
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	if err := reference.LoadDemo(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	site := webtest.New(t, d)
	w := &world{t: t, site: site}
	w.prescriberOrg = site.Prescriber(org.ML, "Mission locale de Lille", true)
	w.prescriber = site.Member(org.TypePrescriber, w.prescriberOrg.ID, "ml@example.org", "Paula", "Prescriptrice")
	orienteurs := site.Prescriber(org.OtherKind, "Association du quartier", false)
	w.orienteur = site.Member(org.TypePrescriber, orienteurs.ID, "asso@example.org", "Omar", "Orienteur")
	w.aci = site.StoredCompany(org.ACI, openSpontaneous)
	w.ei = site.StoredCompany(org.EI, openSpontaneous)
	w.etti = site.StoredCompany(org.ETTI, openSpontaneous)
	w.geiq = site.StoredCompany(org.GEIQ, openSpontaneous)
	w.opcs = site.StoredCompany(org.OPCS, openSpontaneous)
	w.aciMember = site.EmployerOf(w.aci, "aci@example.org")
	w.eiMember = site.EmployerOf(w.ei, "ei@example.org")
	w.ettiMember = site.EmployerOf(w.etti, "etti@example.org")
	w.geiqMember = site.EmployerOf(w.geiq, "geiq@example.org")
	w.opcsMember = site.EmployerOf(w.opcs, "opcs@example.org")
	w.jobSeeker = site.CreateUser(account.JobSeeker, "julie@example.org", "Julie", "Candidate")
	return w
}

// count is the number of rows of table matching where.
func (w *world) count(table, where string, args ...any) int {
	w.t.Helper()
	n, err := w.site.DB.NewSelect().Table(table).Where(where, args...).Count(context.Background())
	if err != nil {
		w.t.Fatal(err)
	}
	return int(n)
}

// keys are the form values ticking the IAE criteria of these kinds.
func (w *world) keys(kinds ...eligibility.Kind) url.Values {
	w.t.Helper()
	cat, err := w.site.Services.Eligibility.Catalog(context.Background())
	if err != nil {
		w.t.Fatal(err)
	}
	v := url.Values{}
	for _, k := range cat.IAEKeys(kinds) {
		v.Set(k, "1")
	}
	if len(v) != len(kinds) {
		w.t.Fatalf("criteria %v: %d keys", kinds, len(v))
	}
	return v
}

// keyList are the keys of the IAE criteria of these kinds.
func (w *world) keyList(kinds ...eligibility.Kind) []string {
	var keys []string
	for k := range w.keys(kinds...) {
		keys = append(keys, k)
	}
	return keys
}

// geiqKeys are the form values ticking the GEIQ criteria of these kinds (annexes with a level).
func (w *world) geiqKeys(kinds ...eligibility.Kind) url.Values {
	w.t.Helper()
	cat, err := w.site.Services.Eligibility.Catalog(context.Background())
	if err != nil {
		w.t.Fatal(err)
	}
	v := url.Values{}
	for _, k := range kinds {
		for _, c := range cat.GEIQ {
			if c.Kind == k {
				v.Set(c.Key(), "1")
				break
			}
		}
	}
	if len(v) != len(kinds) {
		w.t.Fatalf("GEIQ criteria %v: %d keys", kinds, len(v))
	}
	return v
}

// pass stores a PASS IAE of the user ending on end, imported (origin ai_stock).
func (w *world) pass(u *account.User, end time.Time) {
	w.t.Helper()
	now := time.Now().UTC()
	_, err := w.site.DB.NewRaw(`INSERT INTO approval (public_id, number, start_at, end_at, user_id, origin, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 'ai_stock', ?, ?)`, uuid.NewString(), fmt.Sprintf("XXXXX%07d", u.ID), end.AddDate(-2, 0, 0), end,
		u.ID, now, now).Exec(context.Background())
	if err != nil {
		w.t.Fatal(err)
	}
}

// profile gives the job seeker a birth date and a France Travail situation, so that the
// tunnel's check step has nothing to ask.
func (w *world) profile(u *account.User) {
	w.t.Helper()
	_, err := w.site.DB.NewRaw(`INSERT INTO job_seeker_profile (user_id, asp_uid, birthdate, lack_of_pole_emploi_id_reason, updated_at)
		VALUES (?, ?, ?, 'NOT_REGISTERED', ?)`, u.ID, fmt.Sprintf("%030d", u.ID), time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC), time.Now().UTC()).
		Exec(context.Background())
	if err != nil {
		w.t.Fatal(err)
	}
}

// lastDiagnosis is the newest IAE diagnosis of the job seeker.
func (w *world) lastDiagnosis(u *account.User) *eligibility.Diagnosis {
	w.t.Helper()
	d := new(eligibility.Diagnosis)
	if err := w.site.DB.NewSelect().Model(d).Where("ed.job_seeker_id = ?", u.ID).OrderExpr("ed.id DESC").Limit(1).Scan(context.Background()); err != nil {
		w.t.Fatal(err)
	}
	return d
}

func wantLocation(t *testing.T, res *webtest.Response, prefix string) {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther || len(res.Header.Get("Location")) < len(prefix) || res.Header.Get("Location")[:len(prefix)] != prefix {
		t.Fatalf("status %d to %q, want a redirect to %s\n%s", res.StatusCode, res.Header.Get("Location"), prefix, res.Body)
	}
}

// wantText reports each part the page's text (entities decoded) lacks.
func wantText(t *testing.T, res *webtest.Response, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(res.Text(), p) {
			t.Errorf("%s %s: page lacks %q", res.Request.Method, res.Request.URL.Path, p)
		}
	}
}
