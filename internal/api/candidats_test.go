package api

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/apitoken"
	"emplois/internal/application"
	"emplois/internal/jobseeker"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// The uids of api.md §2.5's example.
const (
	uidA = "76c51a19-0ae9-420c-b2e3-0ab33836bd50"
	uidB = "87c9e1d8-4498-40d7-a1df-1d3412378c87"
)

// candidatsFixture serves the API's routes over a database; the session user of a request is
// given by the test headers X-Session-User and X-Session-Kind.
type candidatsFixture struct {
	t      *testing.T
	d      *db.DB
	mux    *http.ServeMux
	tokens *apitoken.Service
	seq    int
	now    time.Time
	apps   *application.Service
	logs   *bytes.Buffer // the API's log lines
}

func newCandidatsFixture(t *testing.T, d *db.DB) *candidatsFixture {
	t.Helper()
	base, _ := url.Parse("https://emplois.example.org")
	cfg := config.Config{BaseURL: base}
	f := &candidatsFixture{t: t, d: d, mux: http.NewServeMux(), tokens: apitoken.NewService(d, []byte("secret")), logs: &bytes.Buffer{},
		now: time.Now().UTC().Truncate(time.Second)}
	throttles := NewThrottles(d)
	throttles.Now = func() time.Time { return f.now } // a fixed clock: every call in the same minute
	accounts := account.NewService(d, cfg)
	f.apps = application.NewService(d, cfg, nil)
	for _, rt := range Routes(Config{Applications: f.apps, Accounts: accounts, Tokens: f.tokens, Orgs: org.NewService(d, cfg),
		JobSeekers: jobseeker.NewService(d, accounts, []byte("secret")), Throttles: throttles, BaseURL: base,
		Session: func(r *http.Request) (int64, actor.Kind) {
			id, _ := strconv.ParseInt(r.Header.Get("X-Session-User"), 10, 64)
			return id, actor.Kind(r.Header.Get("X-Session-Kind"))
		},
		ClientIP: func(*http.Request) string { return "203.0.113.7" },
		Log:      slog.New(slog.NewJSONHandler(f.logs, nil))}) {
		f.mux.HandleFunc(rt.Pattern, rt.Handler)
	}
	return f
}

func (f *candidatsFixture) exec(query string, args ...any) {
	f.t.Helper()
	if _, err := f.d.NewRaw(query, args...).Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

func (f *candidatsFixture) scanID(query string, args ...any) int64 {
	f.t.Helper()
	var id int64
	if err := f.d.NewRaw(query, args...).Scan(context.Background(), &id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

type person struct {
	kind, title, first, last, email, phone, line1, line2, postCode, city string
}

func (f *candidatsFixture) user(p person) int64 {
	f.t.Helper()
	f.seq++
	if p.kind == "" {
		p.kind = "job_seeker"
	}
	if p.email == "" {
		p.email = "user" + strconv.Itoa(f.seq) + "@example.org"
	}
	return f.scanID(`INSERT INTO users (public_id, email, kind, title, first_name, last_name, phone, address_line_1, address_line_2, post_code, city, date_joined)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, uuid.NewString(), p.email, p.kind, p.title, p.first, p.last,
		p.phone, p.line1, p.line2, p.postCode, p.city, f.now)
}

// company makes a GEIQ (always active) with this uid, or an ASP SIAE whose convention was
// deactivated that long ago.
func (f *candidatsFixture) company(uid string, deactivatedAgo time.Duration) int64 {
	f.t.Helper()
	f.seq++
	if uid == "" {
		uid = uuid.NewString()
	}
	siret := "123456789" + strconv.Itoa(10000+f.seq)
	if deactivatedAgo == 0 {
		return f.scanID(`INSERT INTO company (uid, siret, kind, name, source, created_at, updated_at) VALUES (?, ?, 'GEIQ', ?, 'GEIQ', ?, ?) RETURNING id`,
			uid, siret, "GEIQ "+strconv.Itoa(f.seq), f.now, f.now)
	}
	conv := f.scanID(`INSERT INTO siae_convention (kind, siret_signature, is_active, deactivated_at, asp_id, created_at, updated_at)
		VALUES ('ACI', ?, FALSE, ?, ?, ?, ?) RETURNING id`, siret, f.now.Add(-deactivatedAgo), f.seq, f.now, f.now)
	return f.scanID(`INSERT INTO company (uid, siret, kind, name, source, convention_id, created_at, updated_at) VALUES (?, ?, 'ACI', ?, 'ASP', ?, ?, ?) RETURNING id`,
		uid, siret, "ACI "+strconv.Itoa(f.seq), conv, f.now, f.now)
}

// member makes userID a member of an organization of the table (company_membership...), joined
// `order` minutes after the fixture's start.
func (f *candidatsFixture) member(table string, userID, orgID int64, admin bool, order int) {
	f.t.Helper()
	at := f.now.Add(time.Duration(order) * time.Minute)
	f.exec(`INSERT INTO `+table+` (user_id, organization_id, joined_at, is_admin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		userID, orgID, at, admin, at, at)
}

func (f *candidatsFixture) apply(jobSeekerID int64, companyIDs ...int64) {
	f.t.Helper()
	for _, c := range companyIDs {
		f.exec(`INSERT INTO job_application (public_id, job_seeker_id, to_company_id, sender_id, sender_kind, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'job_seeker', ?, ?)`, uuid.NewString(), jobSeekerID, c, jobSeekerID, f.now, f.now)
	}
}

func (f *candidatsFixture) userKey(userID int64) string {
	f.t.Helper()
	key, err := f.tokens.KeyForLogin(context.Background(), userID, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return key
}

// get calls candidats/ with the user's token (or the authorization given when userID is 0).
func (f *candidatsFixture) get(query, authorization string, header ...string) (int, []byte) {
	f.t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/api/v1/candidats/?"+query, nil)
	if authorization != "" {
		r.Header.Set("Authorization", authorization)
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	f.mux.ServeHTTP(rec, r)
	return rec.Code, bytes.TrimSpace(rec.Body.Bytes())
}

// names are the "prenom" of a 200's results, in order.
func (f *candidatsFixture) names(query, key string) []string {
	f.t.Helper()
	status, body := f.get(query, "Token "+key)
	if status != http.StatusOK {
		f.t.Fatalf("%s: %d %s", query, status, body)
	}
	var page Page[Candidat]
	if err := json.Unmarshal(body, &page); err != nil {
		f.t.Fatal(err)
	}
	names := []string{}
	for _, c := range page.Results {
		names = append(names, c.Prenom)
	}
	return names
}

// sameJSON fails unless got and want are the same JSON values.
func sameJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%v: %s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// api.md §2.5's example, built from the same people: the body is the example's.
func TestCandidats_AnswersTheExampleOfTheSpec_Golden(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newCandidatsFixture(t, d)
		f.exec(`INSERT INTO asp_country (code, name, group_code) VALUES ('100', 'FRANCE', '1')`)
		f.exec(`INSERT INTO asp_commune (code, name, search_name, start_date) VALUES ('59350', 'LILLE', 'lille', ?)`, time.Date(1943, 1, 1, 0, 0, 0, 0, time.UTC))
		employer := f.user(person{kind: "professional", first: "Eva", last: "Admin"})
		a, b := f.company(uidA, 0), f.company(uidB, 0)
		f.member("company_membership", employer, a, true, 1)
		f.member("company_membership", employer, b, true, 2)
		bob := f.user(person{first: "Bob", last: "Bernard", email: "bob.bernard@example.org"})
		dylan := f.user(person{title: "MME", first: "Dylan", last: "Martin", email: "dylan.martin@example.org", phone: "0612345678",
			line1: "2 rue des Lilas", line2: "Bât. B", postCode: "59000", city: "Lille"})
		f.exec(`INSERT INTO job_seeker_profile (user_id, birthdate, birth_place_code, birth_country_code, asp_uid, updated_at) VALUES (?, ?, '59350', '99100', ?, ?)`,
			dylan, time.Date(1994, 3, 7, 0, 0, 0, 0, time.UTC), "aspuid-dylan-00000000000000000", f.now)
		f.apply(bob, a)
		f.apply(dylan, a, b, a)
		status, body := f.get("mode_multi_structures=1", "Token "+f.userKey(employer))
		if status != http.StatusOK {
			t.Fatalf("%d %s", status, body)
		}
		sameJSON(t, body, `{
  "count": 2, "next": null, "previous": null,
  "results": [
    {"civilite": "MME", "nom": "Martin", "prenom": "Dylan", "courriel": "dylan.martin@example.org",
     "telephone": "0612345678", "adresse": "2 rue des Lilas", "complement_adresse": "Bât. B",
     "code_postal": "59000", "ville": "Lille", "date_naissance": "1994-03-07", "lieu_naissance": "LILLE",
     "pays_naissance": "FRANCE", "lien_cv": null,
     "uid_structures": ["76c51a19-0ae9-420c-b2e3-0ab33836bd50", "87c9e1d8-4498-40d7-a1df-1d3412378c87"]},
    {"civilite": "Non fournie", "nom": "Bernard", "prenom": "Bob", "courriel": "bob.bernard@example.org",
     "telephone": "", "adresse": "", "complement_adresse": "", "code_postal": "", "ville": "",
     "date_naissance": null, "lieu_naissance": null, "pays_naissance": null, "lien_cv": null,
     "uid_structures": ["76c51a19-0ae9-420c-b2e3-0ab33836bd50"]}
  ]
}`)
		// The errors of api.md §0.1, §2.3 (C7).
		for query, want := range map[string]string{
			"mode_multi_structures=maybe": `["Saisie invalide."]`,
			"page=3":                      `{"detail": "Page non valide."}`,
		} {
			_, body := f.get(query, "Token "+f.userKey(employer))
			sameJSON(t, body, want)
		}
		// Pages: the envelope's links keep the other parameters.
		_, body = f.get("mode_multi_structures=1&page_size=1", "Token "+f.userKey(employer))
		var page Page[Candidat]
		json.Unmarshal(body, &page)
		if page.Count != 2 || page.Next == nil || *page.Next != "https://emplois.example.org/api/v1/candidats/?mode_multi_structures=1&page=2&page_size=1" ||
			page.Previous != nil || len(page.Results) != 1 || page.Results[0].Prenom != "Dylan" {
			t.Errorf("first page of 1: %s", body)
		}
	})
}

// The access matrix of api.md §2.2 and §2.6 (C1–C4, C9, C10), per credential kind.
func TestCandidats_ListsOnlyWhatTheCallersCompaniesReceived(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newCandidatsFixture(t, d)
		a, b, c := f.company("", 0), f.company("", 0), f.company("", 0)
		var uidOf = func(id int64) string {
			var uid string
			if err := d.NewRaw("SELECT uid FROM company WHERE id = ?", id).Scan(context.Background(), &uid); err != nil {
				t.Fatal(err)
			}
			return uid
		}
		employer := f.user(person{kind: "professional"})
		f.member("company_membership", employer, a, true, 1)
		f.member("company_membership", employer, b, true, 2)
		key := f.userKey(employer)
		bob := f.user(person{first: "Bob"})
		dylan := f.user(person{first: "Dylan"})
		casper := f.user(person{first: "Casper"})
		nicholas := f.user(person{first: "Nicholas"})
		f.apply(bob, a)
		f.apply(dylan, a, b, c)
		f.apply(casper, b)
		f.apply(nicholas, b)
		f.apply(f.user(person{first: "Other"}), c)

		for query, want := range map[string][]string{
			"":                           {"Dylan", "Bob"},
			"mode_multi_structures=1":    {"Nicholas", "Casper", "Dylan", "Bob"},
			"mode_multi_structures=off":  {"Dylan", "Bob"},
			"uid_structures=" + uidOf(a): {"Dylan", "Bob"},
			"uid_structures=" + uidOf(a) + ",," + uidOf(b):               {"Nicholas", "Casper", "Dylan", "Bob"},
			"mode_multi_structures=1&uid_structures=" + uidOf(a):         {"Dylan", "Bob"},
			"uid_structures=" + uidOf(b) + "&uid_structures=" + uidOf(a): {"Nicholas", "Casper", "Dylan"},
			"uid_structures=I-am-not-a-uid":                              {},
			"uid_structures=" + uidOf(c):                                 {},
		} {
			if got := f.names(query, key); !reflect.DeepEqual(got, want) {
				t.Errorf("%q: %v, want %v", query, got, want)
			}
		}
		// C4: the companies of a person are the selected ones only.
		_, body := f.get("mode_multi_structures=1", "Token "+key)
		var page Page[Candidat]
		json.Unmarshal(body, &page)
		wantUIDs := []string{uidOf(a), uidOf(b)}
		if wantUIDs[0] > wantUIDs[1] {
			wantUIDs[0], wantUIDs[1] = wantUIDs[1], wantUIDs[0]
		}
		if got := page.Results[2].UIDStructures; page.Results[2].Prenom != "Dylan" || !reflect.DeepEqual(got, wantUIDs) {
			t.Errorf("Dylan's companies %v, want %v", got, wantUIDs)
		}
		// The session works as the token does.
		status, _ := f.get("", "", "X-Session-User", strconv.FormatInt(employer, 10), "X-Session-Kind", "professional")
		if status != http.StatusOK {
			t.Errorf("session: %d", status)
		}

		// C9: a company deactivated 10 days ago is in S (its non-admin membership blocks), one
		// deactivated 40 days ago is ignored (it blocks nothing and brings nobody).
		grace, gone := f.company("", 10*24*time.Hour), f.company("", 40*24*time.Hour)
		withGone := f.user(person{kind: "professional"})
		f.member("company_membership", withGone, a, true, 1)
		f.member("company_membership", withGone, gone, false, 0)
		f.apply(f.user(person{first: "Gone"}), gone)
		if got := f.names("mode_multi_structures=1", f.userKey(withGone)); !reflect.DeepEqual(got, []string{"Dylan", "Bob"}) {
			t.Errorf("with a company gone 40 days ago: %v", got)
		}
		withGrace := f.user(person{kind: "professional"})
		f.member("company_membership", withGrace, a, true, 1)
		f.member("company_membership", withGrace, grace, false, 2)

		// C1, C2: who gets 403.
		prescriber := f.user(person{kind: "professional"})
		po := f.scanID(`INSERT INTO prescriber_organization (uid, siret, name, created_at, updated_at) VALUES (?, '12345678900099', 'PO', ?, ?) RETURNING id`, uuid.NewString(), f.now, f.now)
		f.member("prescriber_membership", prescriber, po, true, 1)
		inspector := f.user(person{kind: "professional"})
		inst := f.scanID(`INSERT INTO institution (uid, kind, name, created_at, updated_at) VALUES (?, 'OTHER', 'Inst', ?, ?) RETURNING id`, uuid.NewString(), f.now, f.now)
		f.member("institution_membership", inspector, inst, true, 1)
		halfAdmin := f.user(person{kind: "professional"})
		f.member("company_membership", halfAdmin, a, true, 1)
		f.member("company_membership", halfAdmin, b, false, 2)
		revoked := f.user(person{kind: "professional"})
		f.member("company_membership", revoked, a, true, 1)
		revokedKey := f.userKey(revoked)
		f.exec("DELETE FROM api_token WHERE user_id = ?", revoked)
		dept, err := f.tokens.CreateFamily(context.Background(), actor.Actor{}, apitoken.FamilyInput{Kind: apitoken.DepartmentToken, Department: "33", Label: "CD 33"})
		if err != nil {
			t.Fatal(err)
		}
		forbidden := `{"detail": "Vous n'avez pas la permission d'effectuer cette action."}`
		for _, tc := range []struct {
			name, authorization string
			header              []string
			status              int
			body                string
		}{
			{"job seeker", "Token " + f.userKey(bob), nil, 403, forbidden},
			{"prescriber only", "Token " + f.userKey(prescriber), nil, 403, forbidden},
			{"institution only", "Token " + f.userKey(inspector), nil, 403, forbidden},
			{"no membership", "Token " + f.userKey(f.user(person{kind: "professional"})), nil, 403, forbidden},
			{"admin of A, not of B", "Token " + f.userKey(halfAdmin), nil, 403, forbidden},
			{"not admin of a company in grace", "Token " + f.userKey(withGrace), nil, 403, forbidden},
			{"job seeker session", "", []string{"X-Session-User", strconv.FormatInt(bob, 10), "X-Session-Kind", "job_seeker"}, 403, forbidden},
			{"no credentials", "", nil, 401, `{"detail": "Informations d'authentification non fournies."}`},
			{"unknown token", "Token 0123456789abcdef0123456789abcdef01234567", nil, 401, `{"detail": "Token non valide."}`},
			{"revoked token", "Token " + revokedKey, nil, 401, `{"detail": "Token non valide."}`},
			{"département token", "Token " + dept.Key, nil, 401, `{"detail": "Token non valide."}`},
		} {
			status, body := f.get("uid_structures="+uidOf(a), tc.authorization, tc.header...)
			if status != tc.status {
				t.Errorf("%s: %d %s", tc.name, status, body)
				continue
			}
			sameJSON(t, body, tc.body)
		}
	})
}

// C8: the 121st call of a user within a minute is refused; refused calls count for nothing.
func TestCandidats_ThrottlesEachUserAt120CallsAMinute(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newCandidatsFixture(t, d)
		a := f.company("", 0)
		employer, other := f.user(person{kind: "professional"}), f.user(person{kind: "professional"})
		f.member("company_membership", employer, a, true, 1)
		f.member("company_membership", other, a, true, 1)
		key := f.userKey(employer)
		notAdmin := f.user(person{kind: "professional"})
		f.member("company_membership", notAdmin, a, false, 1)
		for i := 0; i < 130; i++ {
			if status, _ := f.get("", "Token "+f.userKey(notAdmin)); status != http.StatusForbidden {
				t.Fatalf("refused call %d: %d", i, status)
			}
		}
		for i := 0; i < RatePerUser; i++ {
			if status, body := f.get("", "Token "+key); status != http.StatusOK {
				t.Fatalf("call %d: %d %s", i+1, status, body)
			}
		}
		if status, _ := f.get("", "Token "+key); status != http.StatusTooManyRequests {
			t.Errorf("call 121: %d, want 429", status)
		}
		if status, _ := f.get("", "Token "+f.userKey(other)); status != http.StatusOK {
			t.Errorf("another user: %d", status)
		}
	})
}

// A page costs as many statements for 20 people, each with several companies, as for one.
func TestCandidats_RunsAsManyStatementsForTwentyPeopleAsForOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		counted, counter := dbtest.CountStatements(d)
		f := newCandidatsFixture(t, counted)
		a, b := f.company("", 0), f.company("", 0)
		employer := f.user(person{kind: "professional"})
		f.member("company_membership", employer, a, true, 1)
		f.member("company_membership", employer, b, true, 2)
		key := f.userKey(employer)
		for i := 0; i < 20; i++ {
			js := f.user(person{first: "P" + strconv.Itoa(i)})
			f.exec(`INSERT INTO job_seeker_profile (user_id, birthdate, birth_country_code, asp_uid, updated_at) VALUES (?, ?, '99109', ?, ?)`,
				js, time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), "aspuid-"+strconv.Itoa(100000000+i)+"-0000000000000", f.now)
			f.apply(js, a, b)
		}
		statements := func(size int) int64 {
			counter.Reset()
			if got := f.names("mode_multi_structures=1&page_size="+strconv.Itoa(size), key); len(got) != size {
				t.Fatalf("page of %d: %v", size, got)
			}
			return counter.Count()
		}
		one, twenty := statements(1), statements(20)
		if one != twenty {
			t.Errorf("%d statements for a page of 1, %d for a page of 20", one, twenty)
		}
		t.Logf("%d statements per page", twenty)
	})
}

func TestSelectCompanies_FollowsTheParameters(t *testing.T) {
	s := []org.Affiliation{{Ref: org.Ref{UID: "a"}}, {Ref: org.Ref{UID: "b"}}, {Ref: org.Ref{UID: "c"}}}
	uids := func(list []org.Affiliation) []string {
		out := []string{}
		for _, a := range list {
			out = append(out, a.UID)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		uids  []string
		multi bool
		want  []string
	}{
		{"default: the first", nil, false, []string{"a"}},
		{"multi: all", nil, true, []string{"a", "b", "c"}},
		{"uids win over multi", []string{"c", "a"}, true, []string{"a", "c"}},
		{"foreign uids: none", []string{"x"}, false, []string{}},
	} {
		if got := uids(SelectCompanies(s, tc.uids, tc.multi)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if got := SelectCompanies(nil, nil, false); got != nil {
		t.Errorf("no company: %v", got)
	}
}

func TestParseBool_ReadsTheFrameworksSpellings(t *testing.T) {
	for raw, want := range map[string]bool{"": false, "0": false, "False": false, "f": false, "No": false, "n": false, "OFF": false,
		"1": true, "TRUE": true, "t": true, "yes": true, "Y": true, "on": true} {
		if got, err := ParseBool(raw); err != nil || got != want {
			t.Errorf("%q: %v %v", raw, got, err)
		}
	}
	for _, raw := range []string{"maybe", "2", " 1"} {
		if _, err := ParseBool(raw); err == nil {
			t.Errorf("%q accepted", raw)
		}
	}
}

func TestAllAdmins_NeedsSomeCompaniesAllAdministered(t *testing.T) {
	admin, member := org.Affiliation{IsAdmin: true}, org.Affiliation{}
	for _, tc := range []struct {
		list []org.Affiliation
		want bool
	}{{nil, false}, {[]org.Affiliation{admin}, true}, {[]org.Affiliation{admin, admin}, true}, {[]org.Affiliation{admin, member}, false}} {
		if got := AllAdmins(tc.list); got != tc.want {
			t.Errorf("%v: %v", tc.list, got)
		}
	}
}
