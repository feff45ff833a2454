package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/apitoken"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// gateFixture serves test endpoints of each family behind a gate over a database with one token
// of each family. A request's session user is given by the test header X-Session-User.
type gateFixture struct {
	t                                      testing.TB
	d                                      *db.DB
	mux                                    *http.ServeMux
	throttles                              *Throttles
	logs                                   *bytes.Buffer
	userKey, inactiveKey, deptKey, doraKey string
	dataInclusionKey, companyKey           string
	userID                                 int64
}

var gateNow = time.Date(2026, 3, 2, 12, 0, 15, 0, time.UTC)

func newGateFixture(t testing.TB, d *db.DB) *gateFixture {
	ctx := context.Background()
	tokens := apitoken.NewService(d, []byte("secret"))
	f := &gateFixture{t: t, d: d, mux: http.NewServeMux(), throttles: NewThrottles(d), logs: &bytes.Buffer{}}
	f.throttles.Now = func() time.Time { return gateNow }
	user := func(active bool) int64 {
		var id int64
		if err := d.NewRaw(`INSERT INTO users (public_id, email, kind, title, first_name, last_name, date_joined, is_active) VALUES (?, ?, 'professional', '', 'Julie', 'Martin', ?, ?) RETURNING id`,
			uuid.NewString(), uuid.NewString()+"@example.org", gateNow, active).Scan(ctx, &id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	key := func(k string, err error) string {
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	family := func(in apitoken.FamilyInput) string {
		out, err := tokens.CreateFamily(ctx, actor.Actor{}, in)
		return key(out.Key, err)
	}
	f.userID = user(true)
	f.userKey = key(tokens.KeyForLogin(ctx, f.userID, ""))
	f.inactiveKey = key(tokens.KeyForLogin(ctx, user(false), ""))
	f.deptKey = family(apitoken.FamilyInput{Kind: apitoken.DepartmentToken, Department: "33", Label: "CD 33"})
	f.doraKey = family(apitoken.FamilyInput{Kind: apitoken.ServiceToken, Service: apitoken.Dora})
	f.dataInclusionKey = family(apitoken.FamilyInput{Kind: apitoken.ServiceToken, Service: apitoken.DataInclusion})
	var companyUID string
	if err := d.NewRaw(`INSERT INTO company (uid, siret, kind, name, source, created_at, updated_at) VALUES (?, '12345678900011', 'GEIQ', 'GEIQ', 'USER_CREATED', ?, ?) RETURNING uid`,
		uuid.NewString(), gateNow, gateNow).Scan(ctx, &companyUID); err != nil {
		t.Fatal(err)
	}
	f.companyKey = family(apitoken.FamilyInput{Kind: apitoken.CompanyToken, Label: "Label GEIQ", Companies: []string{companyUID}})

	g := &Gate{Tokens: tokens, Log: slog.New(slog.NewJSONHandler(f.logs, nil)),
		Session: func(r *http.Request) (int64, actor.Kind) {
			id, _ := strconv.ParseInt(r.Header.Get("X-Session-User"), 10, 64)
			return id, actor.Professional
		},
		ClientIP: func(r *http.Request) string { return "203.0.113.7" },
	}
	echo := func(w http.ResponseWriter, r *http.Request) {
		id := IdentityOf(r)
		if err := CheckObject(r, r.URL.Query().Get("object")); err != nil {
			fail(w, r, g.Log, err)
			return
		}
		WriteJSON(w, http.StatusOK, map[string]any{"scheme": id.Scheme, "token": id.LogName(), "user": id.UserID})
	}
	user0 := Permission{Name: "user", Allow: func(_ context.Context, id Identity) (bool, error) { return id.UserID != 0, nil },
		Object: func(_ Identity, o any) bool { return o != "theirs" }}
	for _, e := range []Endpoint{
		{Path: "/user/", Methods: []string{"GET"}, Schemes: []Scheme{UserTokenAuth, SessionAuth}, Permission: user0,
			Throttles: []Throttle{{Scope: "user", Limiter: f.throttles.PerMinute(2), Bucket: ByUser}}},
		{Path: "/department/", Methods: []string{"POST"}, Schemes: []Scheme{DepartmentTokenAuth}, Permission: DepartmentAccount,
			Throttles: []Throttle{{Scope: "department", Limiter: f.throttles.PerMinute(1), Bucket: ByDepartment}}},
		{Path: "/data-inclusion/", Methods: []string{"GET"}, Schemes: []Scheme{ServiceTokenAuth}, Permission: ServiceAccount(apitoken.DataInclusion)},
		{Path: "/geiq/", Methods: []string{"GET"}, Schemes: []Scheme{CompanyTokenAuth, SessionAuth}, Permission: CompanyAccount},
		{Path: "/public/", Methods: []string{"GET"}, Schemes: []Scheme{DepartmentTokenAuth, UserTokenAuth, SessionAuth}, Permission: AllowAny},
		{Path: "/session/", Methods: []string{"GET"}, Schemes: []Scheme{SessionAuth}, Permission: LoggedIn},
	} {
		e.Handler = echo
		h := g.Wrap(e)
		for _, p := range e.Patterns() {
			f.mux.Handle(p, h)
		}
	}
	return f
}

type gateCall struct {
	Case            string          `json:"case"`
	Status          int             `json:"status"`
	WWWAuthenticate string          `json:"www_authenticate,omitempty"`
	RetryAfter      string          `json:"retry_after,omitempty"`
	Body            json.RawMessage `json:"body"`
}

func (f *gateFixture) call(name, method, path, authorization, sessionUser string) gateCall {
	f.t.Helper()
	r := httptest.NewRequest(method, path, nil)
	if authorization != "" {
		r.Header.Set("Authorization", authorization)
	}
	if sessionUser != "" {
		r.Header.Set("X-Session-User", sessionUser)
	}
	rec := httptest.NewRecorder()
	f.mux.ServeHTTP(rec, r)
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		f.t.Errorf("%s: Content-Type %q", name, ct)
	}
	return gateCall{Case: name, Status: rec.Code, WWWAuthenticate: rec.Header().Get("WWW-Authenticate"),
		RetryAfter: rec.Header().Get("Retry-After"), Body: bytes.TrimSpace(rec.Body.Bytes())}
}

// The golden file holds the original's statuses and bodies of api.md §1.4–1.6 for each way of
// calling: regenerate with go test ./internal/api/ -run Gate -update, and read the diff.
func TestGate_AnswersEveryCredentialCaseAsTheOriginal_Golden(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newGateFixture(t, d)
		uid := fmt.Sprint(f.userID)
		calls := []gateCall{
			f.call("no credentials", "GET", "/user/", "", ""),
			f.call("keyword without key", "GET", "/user/", "Token", ""),
			f.call("key with a space", "GET", "/user/", "Token abc def", ""),
			f.call("key that is not text", "GET", "/user/", "Token \xff\xfe", ""),
			f.call("unknown key, user token scheme", "GET", "/user/", "Token 0123456789abcdef0123456789abcdef01234567", ""),
			f.call("inactive user's token", "GET", "/user/", "token "+f.inactiveKey, ""),
			f.call("département token on a user token endpoint", "GET", "/user/", "Token "+f.deptKey, ""),
			f.call("another keyword is not ours", "GET", "/user/", "Bearer "+f.userKey, ""),
			f.call("a bad key is not rescued by the session", "GET", "/user/", "Token nope", uid),
			f.call("object of someone else", "GET", "/user/?object=theirs", "Token "+f.userKey, ""),
			f.call("unknown key, département scheme: ignored", "POST", "/department/", "Token nope", ""),
			f.call("user token on the département search", "POST", "/department/", "Token "+f.userKey, ""),
			f.call("anonymous GET on a POST-only route: 401 before 405", "GET", "/department/", "", ""),
			f.call("département token, wrong method", "DELETE", "/department/", "Token "+f.deptKey, ""),
			f.call("Dora's token on data-inclusion", "GET", "/data-inclusion/", "Token "+f.doraKey, ""),
			f.call("unknown key on the GEIQ endpoint", "GET", "/geiq/", "Token nope", ""),
			f.call("session without company token on the GEIQ endpoint", "GET", "/geiq/", "", uid),
			f.call("unknown key on the public list", "GET", "/public/", "Token nope", ""),
			f.call("anonymous on a session-only route: 403, no challenge", "GET", "/session/", "", ""),
			f.call("a user token is no session", "GET", "/session/", "Token "+f.userKey, ""),
			f.call("session on a session-only route", "GET", "/session/", "", uid),
			f.call("a format the framework has no renderer for: 404 before the credentials", "GET", "/user/?format=xml", "Token nope", ""),
			f.call("format json", "GET", "/public/?format=json", "", ""),
		}
		golden := "testdata/gate_calls.golden.json"
		got, _ := json.MarshalIndent(calls, "", "  ")
		got = append(got, '\n')
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("answers differ from %s:\n%s", golden, got)
		}
	})
}

func TestGate_LetsEachFamilyInWithItsIdentity(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newGateFixture(t, d)
		for _, c := range []struct{ method, path, auth, session, want string }{
			{"GET", "/user/", "Token " + f.userKey, "", `"token":"UserToken-`},
			{"GET", "/user/", "", fmt.Sprint(f.userID), `"token":"session"`},
			{"POST", "/department/", "TOKEN " + f.deptKey, "", `"token":"DepartmentToken-`},
			{"GET", "/data-inclusion/", "Token " + f.dataInclusionKey, "", `"token":"ServiceToken-`},
			{"GET", "/geiq/", "Token " + f.companyKey, "", `"token":"CompanyToken-`},
			{"GET", "/public/", "", "", `"token":""`},
			{"HEAD", "/public/", "Token " + f.deptKey, "", ``},
		} {
			res := f.call(c.path, c.method, c.path, c.auth, c.session)
			if res.Status != http.StatusOK || !strings.Contains(string(res.Body), c.want) {
				t.Errorf("%s %s %q: %d %s", c.method, c.path, c.auth, res.Status, res.Body)
			}
		}
		// Every call is logged with its token's name, never its key.
		logs := f.logs.String()
		if !strings.Contains(logs, `"token":"DepartmentToken-`) || !strings.Contains(logs, `-for-33"`) || strings.Contains(logs, f.deptKey) || strings.Contains(logs, f.userKey) {
			t.Errorf("logs:\n%s", logs)
		}
	})
}

func TestGate_ThrottlesAfterThePermissionPerBucket(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newGateFixture(t, d)
		// Refused calls cost nothing.
		for range 3 {
			if res := f.call("", "GET", "/user/", "", ""); res.Status != http.StatusUnauthorized {
				t.Fatalf("anonymous: %d", res.Status)
			}
		}
		for i := 1; i <= 2; i++ {
			if res := f.call("", "GET", "/user/", "Token "+f.userKey, ""); res.Status != http.StatusOK {
				t.Fatalf("call %d: %d %s", i, res.Status, res.Body)
			}
		}
		// The session and the token of one user share the user's bucket.
		res := f.call("", "GET", "/user/", "", fmt.Sprint(f.userID))
		if res.Status != http.StatusTooManyRequests || res.RetryAfter != "45" ||
			string(res.Body) != `{"detail":"Requête ralentie. Disponible à nouveau dans 45 secondes."}` {
			t.Errorf("3rd call: %+v %s", res, res.Body)
		}
		gateNow = gateNow.Add(44 * time.Second)
		defer func() { gateNow = gateNow.Add(-44 * time.Second) }()
		f.call("", "POST", "/department/", "Token "+f.deptKey, "")
		if res := f.call("", "POST", "/department/", "Token "+f.deptKey, ""); res.RetryAfter != "1" ||
			string(res.Body) != `{"detail":"Requête ralentie. Disponible à nouveau dans 1 seconde."}` {
			t.Errorf("1 second left: %+v %s", res, res.Body)
		}
	})
}

func TestTokenFromHeader_ReadsTheHeaderAsTheFramework(t *testing.T) {
	for _, c := range []struct {
		header, key string
		present     bool
		refusal     string
	}{
		{"", "", false, ""},
		{"Basic dXNlcjpwYXNz", "", false, ""},
		{"Token", "", true, MsgHeaderNoKey},
		{"token   abc  ", "abc", true, ""},
		{"Token a b", "", true, MsgHeaderSpaces},
		{"Token \xff", "", true, MsgHeaderInvalidChars},
	} {
		key, present, refusal := TokenFromHeader(c.header)
		if key != c.key || present != c.present || refusal != c.refusal {
			t.Errorf("%q: %q %v %q", c.header, key, present, refusal)
		}
	}
}
