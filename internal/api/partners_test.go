package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/apitoken"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
)

// partnersFixture serves the real route table of the API (Routes) over a database, with one
// token of each partner service and a counter of the queries run.
type partnersFixture struct {
	t                                    *testing.T
	d                                    *db.DB
	mux                                  *http.ServeMux
	queries                              *queryCounter
	tokens                               *apitoken.Service
	doraKey, dataInclusionKey, marcheKey string
	seq                                  int
}

// queryCounter counts the statements the database runs.
type queryCounter struct{ n atomic.Int64 }

func (q *queryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	q.n.Add(1)
	return ctx
}
func (q *queryCounter) AfterQuery(context.Context, *bun.QueryEvent) {}

func newPartnersFixture(t *testing.T, raw *db.DB) *partnersFixture {
	t.Helper()
	counter := &queryCounter{}
	d := &db.DB{DB: raw.DB.WithQueryHook(counter), Engine: raw.Engine}
	cfg, err := config.Load(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	f := &partnersFixture{t: t, d: d, mux: http.NewServeMux(), queries: counter, tokens: apitoken.NewService(d, []byte("secret"))}
	f.doraKey = f.serviceKey(apitoken.Dora)
	f.dataInclusionKey = f.serviceKey(apitoken.DataInclusion)
	f.marcheKey = f.serviceKey(apitoken.LeMarche)
	throttles := NewThrottles(d)
	throttles.Now = func() time.Time { return gateNow }
	base, _ := url.Parse("https://emplois.example.org")
	for _, rt := range Routes(Config{Orgs: org.NewService(d, cfg), Tokens: f.tokens, Throttles: throttles, BaseURL: base,
		Session:  func(r *http.Request) (int64, actor.Kind) { return 0, "" },
		ClientIP: func(*http.Request) string { return "203.0.113.7" }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}) {
		f.mux.Handle(rt.Pattern, rt.Handler)
	}
	return f
}

func (f *partnersFixture) serviceKey(p apitoken.Partner) string {
	f.t.Helper()
	out, err := f.tokens.CreateFamily(context.Background(), actor.Actor{}, apitoken.FamilyInput{Kind: apitoken.ServiceToken, Service: p})
	if err != nil {
		f.t.Fatal(err)
	}
	return out.Key
}

// get calls path with the key (none when "") and returns the status and the body.
func (f *partnersFixture) get(path, key string) (int, string) {
	f.t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	if key != "" {
		r.Header.Set("Authorization", "Token "+key)
	}
	rec := httptest.NewRecorder()
	f.mux.ServeHTTP(rec, r)
	return rec.Code, rec.Body.String()
}

// page calls path and decodes a 200 page of T.
func page[T any](f *partnersFixture, path, key string) Page[T] {
	f.t.Helper()
	status, body := f.get(path, key)
	if status != http.StatusOK {
		f.t.Fatalf("%s: %d %s", path, status, body)
	}
	var p Page[T]
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		f.t.Fatal(err)
	}
	return p
}

// statements is the number of statements one call of path runs.
func (f *partnersFixture) statements(path, key string) int64 {
	f.t.Helper()
	before := f.queries.n.Load()
	if status, body := f.get(path, key); status != http.StatusOK {
		f.t.Fatalf("%s: %d %s", path, status, body)
	}
	return f.queries.n.Load() - before
}

var partnerCreated = time.Date(2024, 1, 15, 9, 30, 0, 0, time.UTC)

// convention stores an SIAE convention.
func (f *partnersFixture) convention(kind org.CompanyKind, siret string, active bool) *org.Convention {
	f.t.Helper()
	f.seq++
	c := &org.Convention{Kind: kind, SiretSignature: siret, IsActive: active, ASPID: int64(4566 + f.seq), CreatedAt: partnerCreated, UpdatedAt: partnerCreated}
	if !active {
		at := gateNow.AddDate(0, 0, -1) // yesterday: still in the grace period
		c.DeactivatedAt = &at
	}
	if _, err := f.d.NewInsert().Model(c).Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return c
}

// company stores a company of the SIRET, created in the order of the calls.
func (f *partnersFixture) company(kind org.CompanyKind, siret string, source org.Source, conv *org.Convention, change func(*org.Company)) *org.Company {
	f.t.Helper()
	f.seq++
	co := &org.Company{UID: fmt.Sprintf("2f1c6e8a-0d4b-4f59-9a3e-%012d", f.seq), SIRET: siret, Kind: kind, Name: fmt.Sprintf("Structure %02d", f.seq),
		Source: source, IsSearchable: true, Department: "94", CreatedAt: partnerCreated.Add(time.Duration(f.seq) * time.Hour), UpdatedAt: partnerCreated.Add(time.Duration(f.seq) * time.Hour)}
	if conv != nil {
		co.ConventionID = &conv.ID
	}
	if change != nil {
		change(co)
	}
	if _, err := f.d.NewInsert().Model(co).Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return co
}

// golden compares body, indented, with the file (rewritten with -update).
func golden(t *testing.T, d *db.DB, file, body string) {
	t.Helper()
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, []byte(body), "", "  "); err != nil {
		t.Fatal(err)
	}
	if *update && d.Engine == db.SQLite {
		if err := os.WriteFile(file, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Errorf("answer differs from %s:\n%s", file, pretty.String())
	}
}
