package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/geo"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
)

// orgSite is a test site with the demo communes and helpers to create organizations, for the
// page tests still in this package (the org and invitation rooms test with webtest).
type orgSite struct {
	*testSite
	ctx    context.Context
	serial int
}

func newOrgSite(t *testing.T, d *db.DB) *orgSite {
	t.Helper()
	if err := geo.LoadDemo(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return &orgSite{testSite: newTestSite(t, d), ctx: context.Background()}
}

func (os *orgSite) siret() string {
	os.serial++
	return org.WithLuhnKey(org.WithLuhnKey(fmt.Sprintf("%08d", 40000000+os.serial)) + "0001")
}

// company creates an SIAE with an active convention (or a GEIQ / OPCS) at Lyon.
func (os *orgSite) company(kind org.CompanyKind, name string) *org.Company {
	os.t.Helper()
	return os.companyAt(kind, name, "69123")
}

// companyAt creates an active company of this kind at the commune (an SIAE with an active
// convention), placed at the commune's centre.
func (os *orgSite) companyAt(kind org.CompanyKind, name, commune string) *org.Company {
	os.t.Helper()
	s := os.Server.orgs
	in := org.CompanyInput{SIRET: os.siret(), Kind: kind, Name: name, Address: org.AddressInput{Line1: "1 rue A", CommuneCode: commune}}
	var convID *int64
	source := org.SourceGEIQ
	if kind.IsSIAE() {
		os.serial++
		now := s.Now()
		conv, err := s.CreateConvention(os.ctx, org.ConventionInput{Kind: kind, SiretSignature: in.SIRET, ASPID: int64(os.serial),
			Annexes: []org.AnnexInput{{Number: fmt.Sprintf("%s69A%06dA0M0", kind, os.serial), State: org.AnnexValid,
				StartAt: now.AddDate(-1, 0, 0), EndAt: now.AddDate(1, 0, 0)}}})
		if err != nil {
			os.t.Fatal(err)
		}
		convID, source = &conv.ID, org.SourceASP
	}
	c, err := s.ImportCompany(os.ctx, in, source, convID)
	if err != nil {
		os.t.Fatal(err)
	}
	return c
}

func (os *orgSite) prescriber(kind org.PrescriberKind, name string, validated bool) *org.PrescriberOrganization {
	os.t.Helper()
	in := org.PrescriberInput{SIRET: os.siret(), Kind: kind, Name: name, Address: org.AddressInput{Line1: "1 rue B", CommuneCode: "59350"}}
	if kind == org.FT {
		in.SIRET, in.CodeSAFIR = "", fmt.Sprintf("%05d", 59000+os.serial)
	}
	p, err := os.Server.orgs.CreatePrescriberOrganization(os.ctx, actor.Actor{Kind: actor.Staff}, in)
	if err != nil {
		os.t.Fatal(err)
	}
	if validated && kind != org.FT {
		if err := os.Server.orgs.ValidateHabilitation(os.ctx, actor.Actor{Kind: actor.Staff}, p.UID); err != nil {
			os.t.Fatal(err)
		}
	}
	return p
}

func (os *orgSite) institution() *org.Institution {
	os.t.Helper()
	i, err := os.Server.orgs.CreateInstitution(os.ctx, actor.Actor{Kind: actor.Staff}, org.InstitutionInput{Kind: org.DDETSIAE, Name: "DDETS du Rhône", Department: "69"})
	if err != nil {
		os.t.Fatal(err)
	}
	return i
}

// member creates a professional and adds them to the organization (the first one is admin).
func (os *orgSite) member(t org.Type, orgID int64, email, first, last string) *account.User {
	os.t.Helper()
	u := os.createUser(account.Professional, email, first, last)
	if _, err := os.Server.orgs.AddMember(os.ctx, actor.Actor{UserID: u.ID}, t, orgID, u.ID, false); err != nil {
		os.t.Fatal(err)
	}
	return u
}

func (os *orgSite) isActiveMember(t org.Type, orgID int64, u *account.User) bool {
	os.t.Helper()
	ok, err := os.Server.orgs.IsActiveMember(os.ctx, t, orgID, u.ID)
	if err != nil {
		os.t.Fatal(err)
	}
	return ok
}

func wantNoBody(t *testing.T, res *testResponse, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(res.Body, p) {
			t.Errorf("%s %s: body holds %q", res.Request.Method, res.Request.URL.Path, p)
		}
	}
}

func wantRedirect(t *testing.T, res *testResponse, location string) {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != location {
		t.Errorf("%s %s: %d to %q, want 303 to %q", res.Request.Method, res.Request.URL.Path, res.StatusCode, res.Header.Get("Location"), location)
	}
}

// queryCounter counts the queries the database runs (all of them: the site's included).
type queryCounter struct{ n atomic.Int64 }

func (q *queryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	q.n.Add(1)
	return ctx
}
func (q *queryCounter) AfterQuery(context.Context, *bun.QueryEvent) {}
