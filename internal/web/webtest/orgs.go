package webtest

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/geo"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
)

// Organizations: fixtures built through the org service (as staff and the ASP imports would), at
// the communes of the demo reference data.

// serial numbers the SIRETs and conventions of the fixtures (unique per test binary).
var serial atomic.Int64

func next() int64 { return serial.Add(1) }

// SIRET is a valid SIRET that no organization of the test binary has yet.
func SIRET() string {
	return org.WithLuhnKey(org.WithLuhnKey(fmt.Sprintf("%08d", 40000000+next())) + "0001")
}

// WithDemoCommunes loads the demo communes, départements and régions (organizations are placed
// at communes).
func (s *Site) WithDemoCommunes() *Site {
	s.T.Helper()
	if err := geo.LoadDemo(context.Background(), s.DB); err != nil {
		s.T.Fatal(err)
	}
	return s
}

var staff = actor.Actor{Kind: actor.Staff}

// Company creates an active company of this kind at Lyon (an SIAE with an active convention).
func (s *Site) Company(kind org.CompanyKind, name string) *org.Company {
	s.T.Helper()
	return s.CompanyAt(kind, name, "69123")
}

// CompanyAt creates an active company of this kind at the commune (an SIAE with an active
// convention), placed at the commune's centre.
func (s *Site) CompanyAt(kind org.CompanyKind, name, commune string) *org.Company {
	s.T.Helper()
	ctx, orgs := context.Background(), s.Services.Orgs
	in := org.CompanyInput{SIRET: SIRET(), Kind: kind, Name: name, Address: org.AddressInput{Line1: "1 rue A", CommuneCode: commune}}
	var convID *int64
	source := org.SourceGEIQ
	if kind.IsSIAE() {
		n, now := next(), orgs.Now()
		conv, err := orgs.CreateConvention(ctx, org.ConventionInput{Kind: kind, SiretSignature: in.SIRET, ASPID: n,
			Annexes: []org.AnnexInput{{Number: fmt.Sprintf("%s69A%06dA0M0", kind, n), State: org.AnnexValid,
				StartAt: now.AddDate(-1, 0, 0), EndAt: now.AddDate(1, 0, 0)}}})
		if err != nil {
			s.T.Fatal(err)
		}
		convID, source = &conv.ID, org.SourceASP
	}
	c, err := orgs.ImportCompany(ctx, in, source, convID)
	if err != nil {
		s.T.Fatal(err)
	}
	return c
}

// StoredCompany writes an active company of this kind straight to its table (SIAE get an active
// convention), for tests that need fields the service does not set; change adjusts it first.
func (s *Site) StoredCompany(kind org.CompanyKind, change ...func(*org.Company)) *org.Company {
	s.T.Helper()
	ctx := context.Background()
	n, now := next(), time.Now().UTC()
	co := &org.Company{UID: uuid.NewString(), SIRET: fmt.Sprintf("987654321%05d", n), Kind: kind,
		Name: fmt.Sprintf("Les Jardins %d", n), Source: org.SourceASP, IsSearchable: true, Department: "69",
		Description: "Chantier d'insertion en maraîchage biologique.", Email: "contact@jardins.example.org",
		Phone: "04 72 00 00 00", CreatedAt: now, UpdatedAt: now,
		Address: org.Address{AddressLine1: "12 rue des Serres", PostCode: "69003", CityName: "Lyon", CommuneCode: "69123"}}
	switch kind {
	case org.GEIQ:
		co.Source = org.SourceGEIQ
	case org.OPCS, org.EA, org.EATT, org.Reserved:
		co.Source = org.SourceStaffCreated
	}
	if kind.IsSIAE() {
		conv := &org.Convention{Kind: kind, SiretSignature: co.SIRET, IsActive: true, ASPID: 1000 + n, CreatedAt: now, UpdatedAt: now}
		if _, err := s.DB.NewInsert().Model(conv).Exec(ctx); err != nil {
			s.T.Fatal(err)
		}
		co.ConventionID = &conv.ID
	}
	for _, c := range change {
		c(co)
	}
	if _, err := s.DB.NewInsert().Model(co).Exec(ctx); err != nil {
		s.T.Fatal(err)
	}
	return co
}

// Prescriber creates a prescriber organization of this kind at Lille, habilitated when validated.
func (s *Site) Prescriber(kind org.PrescriberKind, name string, validated bool) *org.PrescriberOrganization {
	s.T.Helper()
	ctx, orgs := context.Background(), s.Services.Orgs
	in := org.PrescriberInput{SIRET: SIRET(), Kind: kind, Name: name, Address: org.AddressInput{Line1: "1 rue B", CommuneCode: "59350"}}
	if kind == org.FT {
		in.SIRET, in.CodeSAFIR = "", fmt.Sprintf("%05d", 59000+next())
	}
	p, err := orgs.CreatePrescriberOrganization(ctx, staff, in)
	if err != nil {
		s.T.Fatal(err)
	}
	if validated && kind != org.FT {
		if err := orgs.ValidateHabilitation(ctx, staff, p.UID); err != nil {
			s.T.Fatal(err)
		}
	}
	return p
}

// Institution creates the DDETS of the Rhône.
func (s *Site) Institution() *org.Institution {
	s.T.Helper()
	i, err := s.Services.Orgs.CreateInstitution(context.Background(), staff,
		org.InstitutionInput{Kind: org.DDETSIAE, Name: "DDETS du Rhône", Department: "69"})
	if err != nil {
		s.T.Fatal(err)
	}
	return i
}

// Member creates a professional and adds them to the organization (the first one is admin).
func (s *Site) Member(t org.Type, orgID int64, email, first, last string) *account.User {
	s.T.Helper()
	u := s.CreateUser(account.Professional, email, first, last)
	if _, err := s.Services.Orgs.AddMember(context.Background(), actor.Actor{UserID: u.ID}, t, orgID, u.ID, false); err != nil {
		s.T.Fatal(err)
	}
	return u
}

// EmployerOf creates a professional, active admin member of co.
func (s *Site) EmployerOf(co *org.Company, email string) *account.User {
	s.T.Helper()
	u := s.CreateUser(account.Professional, email, "Karim", "Benali")
	now := time.Now().UTC()
	_, err := s.DB.NewRaw(`INSERT INTO company_membership (user_id, organization_id, joined_at, is_admin, is_active, created_at, updated_at)
		VALUES (?, ?, ?, TRUE, TRUE, ?, ?)`, u.ID, co.ID, now, now, now).Exec(context.Background())
	if err != nil {
		s.T.Fatal(err)
	}
	return u
}

// IsActiveMember reports whether u is an active member of the organization.
func (s *Site) IsActiveMember(t org.Type, orgID int64, u *account.User) bool {
	s.T.Helper()
	ok, err := s.Services.Orgs.IsActiveMember(context.Background(), t, orgID, u.ID)
	if err != nil {
		s.T.Fatal(err)
	}
	return ok
}
