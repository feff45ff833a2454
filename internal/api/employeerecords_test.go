package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/apitoken"
	"emplois/internal/asp"
	"emplois/internal/employeerecord"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// recordsFixture serves the partner API's routes over a database with the ASP's countries; a
// request's session user is given by the test header X-Session-User.
type recordsFixture struct {
	t      testing.TB
	d      *db.DB
	mux    *http.ServeMux
	tokens *apitoken.Service
	logs   *bytes.Buffer
	now    time.Time
	seq    int
}

var recordsNow = time.Date(2026, 3, 20, 11, 0, 0, 0, time.UTC)

func newRecordsFixture(t testing.TB, d *db.DB) *recordsFixture {
	ctx := context.Background()
	if _, err := asp.NewStore(d).ImportKnownCountries(ctx); err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://emplois.inclusion.beta.gouv.fr")
	f := &recordsFixture{t: t, d: d, mux: http.NewServeMux(), tokens: apitoken.NewService(d, []byte("secret")),
		logs: &bytes.Buffer{}, now: recordsNow}
	throttles := NewThrottles(d)
	throttles.Now = func() time.Time { return f.now }
	orgs := org.NewService(d, config.Config{BaseURL: base})
	orgs.Now = func() time.Time { return f.now }
	for _, rt := range Routes(Config{Tokens: f.tokens, Orgs: orgs, Throttles: throttles, BaseURL: base,
		EmployeeRecords: employeerecord.NewService(d, func() time.Time { return f.now }),
		Session: func(r *http.Request) (int64, actor.Kind) {
			id, _ := strconv.ParseInt(r.Header.Get("X-Session-User"), 10, 64)
			return id, actor.Professional
		},
		ClientIP: func(*http.Request) string { return "192.0.2.1" },
		Log:      slog.New(slog.NewJSONHandler(f.logs, nil))}) {
		f.mux.HandleFunc(rt.Pattern, rt.Handler)
	}
	return f
}

func (f *recordsFixture) id(query string, args ...any) int64 {
	f.t.Helper()
	var id int64
	if err := f.d.NewRaw(query+" RETURNING id", args...).Scan(context.Background(), &id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f *recordsFixture) next() int { f.seq++; return f.seq }

// company is an SIAE of the ASP under its own convention; active false: its convention ended
// long ago (no grace period left).
func (f *recordsFixture) company(kind, siret string, active bool) (companyID, conventionID int64) {
	deactivated := any(nil)
	if !active {
		deactivated = f.now.AddDate(0, -3, 0)
	}
	conventionID = f.id(`INSERT INTO siae_convention (kind, siret_signature, asp_id, is_active, deactivated_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, kind, siret, f.next(), active, deactivated, f.now, f.now)
	companyID = f.id(`INSERT INTO company (uid, siret, kind, name, source, convention_id, created_at, updated_at) VALUES (?, ?, ?, ?, 'ASP', ?, ?, ?)`,
		uuid.NewString(), siret, kind, fmt.Sprintf("Structure %d", f.next()), conventionID, f.now, f.now)
	return companyID, conventionID
}

// member is a new professional, active member of the company, and their user token's key.
func (f *recordsFixture) member(companyID int64, admin bool) (int64, string) {
	u := f.id(`INSERT INTO users (public_id, email, kind, title, first_name, last_name, date_joined) VALUES (?, ?, 'professional', '', 'Julie', 'Martin', ?)`,
		uuid.NewString(), fmt.Sprintf("pro%d@example.org", f.next()), f.now)
	if companyID != 0 {
		f.exec(`INSERT INTO company_membership (user_id, organization_id, joined_at, is_admin, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, TRUE, ?, ?)`,
			u, companyID, f.now, admin, f.now, f.now)
	}
	key, err := f.tokens.KeyForLogin(context.Background(), u, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return u, key
}

func (f *recordsFixture) exec(query string, args ...any) {
	f.t.Helper()
	if _, err := f.d.NewRaw(query, args...).Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

// ficheInput is what a stored fiche is made of; zero fields get plain values.
type ficheInput struct {
	company              int64
	status               string
	created              time.Time
	siret, measure, pass string
	title, first, last   string
	phone, email         string
	nir, ntt, aspUID     string
	lowFrench            bool
	annex                *int64
	line                 *int
	prescriber           *int64
	profileSQL           string // extra "column = value" settings of the profile
}

// fiche stores a job seeker, their PASS, their candidature accepted by the company and its fiche.
func (f *recordsFixture) fiche(in ficheInput) int64 {
	n := f.next()
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&in.status, "PROCESSED")
	def(&in.siret, "12345678900012")
	def(&in.measure, "ACI_DC")
	def(&in.pass, fmt.Sprintf("99999%07d", n))
	def(&in.first, "Julie")
	def(&in.last, fmt.Sprintf("Martin%d", n))
	def(&in.email, fmt.Sprintf("salarie%d@example.org", n))
	def(&in.nir, fmt.Sprintf("2900575123%05d", n))
	def(&in.aspUID, fmt.Sprintf("%030d", n))
	if in.created.IsZero() {
		in.created = f.now
	}
	js := f.id(`INSERT INTO users (public_id, email, kind, title, first_name, last_name, phone, date_joined) VALUES (?, ?, 'job_seeker', ?, ?, ?, ?, ?)`,
		uuid.NewString(), in.email, in.title, in.first, in.last, in.phone, f.now)
	f.exec(`INSERT INTO job_seeker_profile (user_id, asp_uid, nir, birthdate, education_level, birth_country_code, birth_place_code,
		hexa_lane_number, hexa_lane_type, hexa_lane_name, hexa_post_code, hexa_commune_code, low_level_in_french, updated_at)
		VALUES (?, ?, ?, ?, '40', '99100', '75056', '12', 'RUE', 'DE LA PAIX', '75002', '75102', ?, ?)`,
		js, in.aspUID, in.nir, time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC), in.lowFrench, f.now)
	if in.profileSQL != "" {
		f.exec(`UPDATE job_seeker_profile SET `+in.profileSQL+` WHERE user_id = ?`, js)
	}
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	pass := f.id(`INSERT INTO approval (public_id, number, start_at, end_at, user_id, origin, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 'ai_stock', ?, ?)`, uuid.NewString(), in.pass, start, time.Date(2028, 3, 1, 0, 0, 0, 0, time.UTC), js, f.now, f.now)
	senderKind := "job_seeker"
	if in.prescriber != nil {
		senderKind = "prescriber"
	}
	ja := f.id(`INSERT INTO job_application (public_id, job_seeker_id, to_company_id, sender_id, sender_kind, sender_prescriber_organization_id,
		state, hiring_start_at, processed_at, approval_id, approval_delivery_mode, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 'accepted', ?, ?, ?, 'automatic', ?, ?)`,
		uuid.NewString(), js, in.company, js, senderKind, in.prescriber, start, f.now, pass, f.now, f.now)
	var file, code, label any
	if in.line != nil {
		file, code, label = fmt.Sprintf("RIAE_FS_2026030210%04d.json", n), "0000", "La ligne de la fiche salarié a été enregistrée avec succès."
	}
	var ntt any
	if in.ntt != "" {
		ntt = in.ntt
	}
	return f.id(`INSERT INTO employee_record (public_id, status, job_application_id, approval_number, siret, asp_measure, asp_id, ntt,
		financial_annex_id, asp_batch_file, asp_batch_line_number, asp_processing_code, asp_processing_label, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, COALESCE(?, ''), COALESCE(?, ''), ?, ?)`,
		uuid.NewString(), in.status, ja, in.pass, in.siret, in.measure, ntt, in.annex, file, in.line, code, label, in.created, in.created)
}

// call GETs the path with these headers ("Authorization", "X-Session-User", …).
func (f *recordsFixture) call(path string, headers ...string) *httptest.ResponseRecorder {
	f.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	f.mux.ServeHTTP(rec, req)
	return rec
}

func tokenHeader(key string) []string {
	return []string{"Authorization", "Token " + key, HeaderFrenchLikeASP, "1"}
}

// page decodes a 200 answer.
func (f *recordsFixture) page(path string, headers ...string) Page[map[string]any] {
	f.t.Helper()
	rec := f.call(path, headers...)
	if rec.Code != http.StatusOK {
		f.t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
	var p Page[map[string]any]
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		f.t.Fatal(err)
	}
	return p
}

func passes(p Page[map[string]any]) []string {
	var out []string
	for _, r := range p.Results {
		out = append(out, r["personnePhysique"].(map[string]any)["passIae"].(string))
	}
	return out
}

// The example of api.md §7.4, stored and read back: every field, in the original's order. One
// deliberate difference: salarieAideSociale is true, as the ASP lines compute it from the RSA
// (the example's profile has a separate flag the rebuild does not store).
func TestEmployeeRecords_AnswerTheExampleOfTheSpec_Golden(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newRecordsFixture(t, d)
		co, conv := f.company("ACI", "33055039301440", true)
		_, key := f.member(co, true)
		annex := f.id(`INSERT INTO siae_financial_annex (number, state, start_at, end_at, convention_id, created_at, updated_at)
			VALUES ('ACI034201111A0M0', 'VALIDE', ?, ?, ?, ?, ?)`, f.now.AddDate(-1, 0, 0), f.now.AddDate(1, 0, 0), conv, f.now, f.now)
		ml := f.id(`INSERT INTO prescriber_organization (uid, siret, kind, name, authorization_status, created_at, updated_at)
			VALUES (?, '34345678900012', 'ML', 'Mission locale', 'VALIDATED', ?, ?)`, uuid.NewString(), f.now, f.now)
		line := 12
		f.fiche(ficheInput{company: co, siret: "33055039301440", pass: "999992612345", title: "M", first: "Yves", last: "Décailloux",
			phone: "0612345678", email: "yves.decailloux@example.org", nir: "178083512345671", aspUID: "70a6d71e4265a5768ad3b3f293ffd7",
			annex: &annex, line: &line, prescriber: &ml,
			profileSQL: `birthdate = '1978-08-01', birth_place_code = '34172', education_level = '50', unemployed_since = '03',
				pole_emploi_id = '3500000A', pole_emploi_since = '02', has_rsa_allocation = 'OUI-NM', rsa_allocation_since = '02',
				mobility_issue = TRUE, hexa_lane_number = '1', hexa_lane_type = 'AV', hexa_lane_name = 'AVENUE ABBÉ PAUL PARGUEL',
				hexa_post_code = '34000', hexa_commune_code = '34172'`})
		rec := f.call("/api/v1/employee-records/", tokenHeader(key)...)
		want, err := os.ReadFile("testdata/employee_records.golden.json")
		if err != nil {
			t.Fatal(err)
		}
		if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != strings.TrimSpace(string(want)) {
			t.Fatalf("got %d\n%s\nwant\n%s", rec.Code, rec.Body, want)
		}
	})
}

// api.md §7.2 and §1.4, per credential: the admin of an active company reads its fiches with a
// token or a session; a non-admin member, a professional without company, the admin of a
// company whose convention ended get 403; a revoked, unknown or département token 401.
func TestEmployeeRecords_AccessMatrix(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newRecordsFixture(t, d)
		ctx := context.Background()
		co, _ := f.company("ACI", "12345678900012", true)
		other, _ := f.company("EI", "22345678900012", true)
		ended, _ := f.company("AI", "32345678900012", false)
		f.fiche(ficheInput{company: co, pass: "999990000001"})
		f.fiche(ficheInput{company: other, pass: "999990000002"})
		f.fiche(ficheInput{company: ended, pass: "999990000003"})
		admin, adminKey := f.member(co, true)
		_, memberKey := f.member(co, false)
		_, loneKey := f.member(0, false)
		endedAdmin, endedKey := f.member(ended, true)
		revoked, revokedKey := f.member(co, true)
		if err := f.tokens.RevokeOwn(ctx, actor.Actor{UserID: revoked, Kind: actor.Professional,
			Organization: &actor.Organization{Type: string(org.TypeCompany), Kind: "ACI", ID: co, IsAdmin: true}}); err != nil {
			t.Fatal(err)
		}
		dept, err := f.tokens.CreateFamily(ctx, actor.Actor{}, apitoken.FamilyInput{Kind: apitoken.DepartmentToken, Department: "33", Label: "CD 33"})
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/api/v1/employee-records/", "/api/v1/employee-record-notifications/"} {
			for _, c := range []struct {
				name    string
				headers []string
				status  int
				body    string
			}{
				{"admin token", tokenHeader(adminKey), 200, ""},
				{"admin session", []string{"X-Session-User", strconv.FormatInt(admin, 10)}, 200, ""},
				{"non-admin member", tokenHeader(memberKey), 403, MsgPermissionDenied},
				{"no company", tokenHeader(loneKey), 403, MsgPermissionDenied},
				{"convention ended", tokenHeader(endedKey), 403, MsgPermissionDenied},
				{"ended, session", []string{"X-Session-User", strconv.FormatInt(endedAdmin, 10)}, 403, MsgPermissionDenied},
				{"revoked token", tokenHeader(revokedKey), 401, MsgInvalidToken},
				{"unknown token", tokenHeader("0123456789abcdef0123456789abcdef01234567"), 401, MsgInvalidToken},
				{"département token", tokenHeader(dept.Key), 401, MsgInvalidToken},
				{"nothing", nil, 401, MsgNotAuthenticated},
			} {
				rec := f.call(path, c.headers...)
				if rec.Code != c.status {
					t.Fatalf("%s %s: %d %s, want %d", path, c.name, rec.Code, rec.Body, c.status)
				}
				if c.body != "" {
					want := `{"detail":"` + c.body + `"}`
					if strings.TrimSpace(rec.Body.String()) != want {
						t.Errorf("%s %s: %s, want %s", path, c.name, rec.Body, want)
					}
				}
			}
		}
		// Only the admin's company's fiches (E4).
		if got := passes(f.page("/api/v1/employee-records/", tokenHeader(adminKey)...)); len(got) != 1 || got[0] != "999990000001" {
			t.Errorf("admin sees %v, want only their company's fiche", got)
		}
	})
}

// api.md §7.3 (E2–E5): PROCESSED only by default, status repeatable and case-insensitive,
// created and since on Paris days, newest first, a malformed date a 400 of its parameter.
func TestEmployeeRecords_FilterByStatusAndDates(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newRecordsFixture(t, d)
		co, _ := f.company("ACI", "12345678900012", true)
		_, key := f.member(co, true)
		h := tokenHeader(key)
		// 2026-03-19T23:30Z is the 20th in Paris.
		f.fiche(ficheInput{company: co, pass: "999990000010", status: "PROCESSED", created: time.Date(2026, 3, 19, 23, 30, 0, 0, time.UTC)})
		f.fiche(ficheInput{company: co, pass: "999990000011", status: "PROCESSED", created: f.now.AddDate(0, 0, -3)})
		f.fiche(ficheInput{company: co, pass: "999990000012", status: "PROCESSED", created: f.now.AddDate(0, -2, 0)})
		f.fiche(ficheInput{company: co, pass: "999990000013", status: "READY", created: f.now.AddDate(0, -2, 0)})
		f.fiche(ficheInput{company: co, pass: "999990000014", status: "SENT", created: f.now.AddDate(0, 0, -1)})
		f.fiche(ficheInput{company: co, pass: "999990000015", status: "REJECTED", created: f.now.AddDate(0, 0, -1)})
		for _, c := range []struct {
			query string
			want  string
		}{
			{"", "999990000010 999990000011 999990000012"},
			{"?status=rEjEcTeD", "999990000015"},
			{"?status=SENT&status=READY", "999990000014 999990000013"},
			{"?status=NOPE", ""},
			{"?created=2026-03-20", "999990000010"},
			{"?created=2026-03-19", ""},
			{"?since=2026-03-20", "999990000010"},
			{"?since=2026-03-17", "999990000010 999990000011"},
			{"?since=2026-01-20", "999990000010 999990000011 999990000012"},
			{"?status=READY&since=2026-03-17", ""},
		} {
			p := f.page("/api/v1/employee-records/"+c.query, h...)
			if got := strings.Join(passes(p), " "); got != c.want || p.Count != len(strings.Fields(c.want)) {
				t.Errorf("%q: %d %q, want %q", c.query, p.Count, got, c.want)
			}
		}
		rec := f.call("/api/v1/employee-records/?created=20-03-2026&since=hier", h...)
		want := `{"created":["` + MsgDateFormat + `"],"since":["` + MsgDateFormat + `"]}`
		if rec.Code != http.StatusBadRequest || strings.TrimSpace(rec.Body.String()) != want {
			t.Errorf("bad dates: %d %s, want 400 %s", rec.Code, rec.Body, want)
		}
		if rec := f.call("/api/v1/employee-records/?page=9", h...); rec.Code != http.StatusNotFound ||
			strings.TrimSpace(rec.Body.String()) != `{"detail":"`+MsgInvalidPage+`"}` {
			t.Errorf("page beyond the last: %d %s", rec.Code, rec.Body)
		}
		p := f.page("/api/v1/employee-records/?page_size=2", h...)
		if p.Next == nil || *p.Next != "https://emplois.inclusion.beta.gouv.fr/api/v1/employee-records/?page=2&page_size=2" || p.Previous != nil {
			t.Errorf("links: %v %v", p.Next, p.Previous)
		}
	})
}

// api.md §7.4 (E6–E10): contact, NIR or NTT, birth abroad, address cleaning and the meaning of
// salarieLangueFrancaise with and without the header (logged without, never the NIR).
func TestEmployeeRecords_FieldRules(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newRecordsFixture(t, d)
		co, _ := f.company("EITI", "12345678900012", true)
		admin, key := f.member(co, true)
		f.fiche(ficheInput{company: co, pass: "999990000021", phone: "0601020304", email: "anne@example.org", nir: "723456789012345",
			ntt: "12345678901", lowFrench: true, profileSQL: `birth_country_code = '99101', birth_place_code = NULL, oeth_employee = TRUE,
				hexa_additional_address = 'Bad additional address with %$', hexa_lane_name = 'Lane name (with parens)'`})
		one := func(headers ...string) map[string]any {
			p := f.page("/api/v1/employee-records/", headers...)
			if len(p.Results) != 1 {
				t.Fatalf("%d results", len(p.Results))
			}
			return p.Results[0]
		}
		r := one(tokenHeader(key)...)
		pp, ad, sit := r["personnePhysique"].(map[string]any), r["adresse"].(map[string]any), r["situationSalarie"].(map[string]any)
		for _, c := range []struct {
			name      string
			got, want any
		}{
			{"adrTelephone", ad["adrTelephone"], "0601020304"},
			{"adrMail", ad["adrMail"], "anne@example.org"},
			{"NIR", pp["NIR"], "723456789012345"},
			{"NTT", pp["NTT"], "12345678901"},
			{"salarieNIR", pp["salarieNIR"], "12345678901"},
			{"codeInseePays", pp["codeInseePays"], "101"},
			{"codeComInsee", fmt.Sprint(pp["codeComInsee"]), "map[codeComInsee:<nil> codeDpt:099]"},
			{"adrCpltDistribution", ad["adrCpltDistribution"], nil},
			{"adrLibelleVoie", ad["adrLibelleVoie"], "Lane name with parens"},
			{"salarieOETH (EITI)", sit["salarieOETH"], true},
			{"salarieBenefATA", sit["salarieBenefATA"], "False"},
			{"salarieLangueFrancaise with header", sit["salarieLangueFrancaise"], true},
			{"no EITI block", sit["salarieBenefARE"], nil},
		} {
			if c.got != c.want {
				t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
			}
		}
		if _, ok := sit["salarieBenefARE"]; ok {
			t.Error("the EITI block is sent")
		}
		if strings.Contains(f.logs.String(), "without X-API-salarieLangueFrancaise-like-asp") {
			t.Error("a call with the header is logged as without")
		}
		r = one("Authorization", "Token "+key)
		if got := r["situationSalarie"].(map[string]any)["salarieLangueFrancaise"]; got != false {
			t.Errorf("without the header salarieLangueFrancaise = %v, want false (masters French: no)", got)
		}
		logged := f.logs.String()
		if !strings.Contains(logged, "without X-API-salarieLangueFrancaise-like-asp") || !strings.Contains(logged, `"user_id":`+strconv.FormatInt(admin, 10)) ||
			strings.Contains(logged, "723456789012345") {
			t.Errorf("log without the header: %s", logged)
		}
	})
}

// Notifications (E12): every status, of the caller's companies only, « M » with the
// notification's line and the PASS's dates, no numeroAnnexe.
func TestEmployeeRecordNotifications_OfTheCallersCompaniesOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newRecordsFixture(t, d)
		co, _ := f.company("ACI", "12345678900012", true)
		other, _ := f.company("EI", "22345678900012", true)
		_, key := f.member(co, true)
		mine := f.fiche(ficheInput{company: co, pass: "999990000031"})
		theirs := f.fiche(ficheInput{company: other, pass: "999990000032"})
		for _, r := range []int64{mine, theirs} {
			f.exec(`INSERT INTO employee_record_update_notification (employee_record_id, status, asp_batch_file, asp_batch_line_number,
				created_at, updated_at) VALUES (?, 'SENT', ?, 3, ?, ?)`, r, fmt.Sprintf("RIAE_FS_2026030210%04d.json", r), f.now, f.now)
		}
		p := f.page("/api/v1/employee-record-notifications/", tokenHeader(key)...)
		if p.Count != 1 || len(p.Results) != 1 {
			t.Fatalf("%d notifications, want 1", p.Count)
		}
		n := p.Results[0]
		pp := n["personnePhysique"].(map[string]any)
		if n["typeMouvement"] != "M" || n["numLigne"] != 3.0 || pp["passIae"] != "999990000031" || pp["passDateFin"] != "01/03/2028" {
			t.Errorf("notification %v", n)
		}
		if _, ok := n["numeroAnnexe"]; ok {
			t.Error("a notification carries numeroAnnexe")
		}
	})
}

// E11: 60 calls a minute per user on both routes together, the 61st is refused.
func TestEmployeeRecords_ThrottledAt60AMinutePerUser(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newRecordsFixture(t, d)
		co, _ := f.company("ACI", "12345678900012", true)
		_, key := f.member(co, true)
		for i := range RateEmployeeRecords {
			path := "/api/v1/employee-records/"
			if i%2 == 1 {
				path = "/api/v1/employee-record-notifications/"
			}
			if rec := f.call(path, tokenHeader(key)...); rec.Code != http.StatusOK {
				t.Fatalf("call %d: %d", i+1, rec.Code)
			}
		}
		rec := f.call("/api/v1/employee-records/", tokenHeader(key)...)
		if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
			t.Errorf("61st call: %d %s", rec.Code, rec.Body)
		}
	})
}

// A page costs the same statements whatever its size.
func TestEmployeeRecords_ConstantStatementsPerPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		counted, counter := dbtest.CountStatements(d)
		f := newRecordsFixture(t, counted)
		co, _ := f.company("ACI", "12345678900012", true)
		_, key := f.member(co, true)
		for i := range 12 {
			r := f.fiche(ficheInput{company: co, pass: fmt.Sprintf("99999000%04d", i)})
			f.exec(`INSERT INTO employee_record_update_notification (employee_record_id, status, created_at, updated_at) VALUES (?, 'NEW', ?, ?)`, r, f.now, f.now)
		}
		cost := func(path string) int64 {
			before := counter.Count()
			f.page(path, tokenHeader(key)...)
			return counter.Count() - before
		}
		for _, route := range []string{"/api/v1/employee-records/", "/api/v1/employee-record-notifications/"} {
			one, twelve := cost(route+"?page_size=1"), cost(route+"?page_size=12")
			if one != twelve {
				t.Errorf("%s: %d statements for 1 row, %d for 12", route, one, twelve)
			}
		}
	})
}

// api.md §10 Q11: the header gives the ASP's meaning; without it, the historical one (logged)
// until the configured day, the ASP's from then on.
func TestEmployeeRecords_FrenchLikeASPByHeaderOrFromTheCutOver(t *testing.T) {
	cutOver := time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name   string
		header bool
		from   time.Time
		now    time.Time
		want   bool
	}{
		{"header", true, time.Time{}, recordsNow, true},
		{"no header, no cut-over", false, time.Time{}, recordsNow, false},
		{"no header, before the cut-over", false, cutOver, cutOver.Add(-time.Second), false},
		{"no header, from the cut-over", false, cutOver, cutOver, true},
	} {
		var logs bytes.Buffer
		e := &EmployeeRecords{FrenchLikeASPFrom: c.from, Now: func() time.Time { return c.now }, Log: slog.New(slog.NewJSONHandler(&logs, nil))}
		r := httptest.NewRequest(http.MethodGet, "/api/v1/employee-records/", nil)
		if c.header {
			r.Header.Set(HeaderFrenchLikeASP, "")
		}
		if got := e.frenchLikeASP(r); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
		if logged := strings.Contains(logs.String(), "without X-API-salarieLangueFrancaise-like-asp"); logged == c.want {
			t.Errorf("%s: logged %v", c.name, logged)
		}
	}
}
