package search

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/reference"
)

// Communes and appellations of the demo reference extract (internal/geo/demo, internal/rome/demo).
const (
	lyonCode         = "69123"
	villeurbanneCode = "69266"
	saintEtienneCode = "42218"
	agentProprete    = "10688" // K2204
	auxiliaireDeVie  = "11453" // K1302
	macon            = "F0001" // added by the fixture: a construction appellation (F1703)
)

// fixture is a search service over a migrated database holding the demo reference data, with
// helpers that place organizations at chosen positions.
type fixture struct {
	t   *testing.T
	ctx context.Context
	d   *db.DB
	svc *Service
	seq int
	now time.Time
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	if err := reference.LoadDemo(ctx, d); err != nil {
		t.Fatal(err)
	}
	if _, err := d.NewRaw(`INSERT INTO rome_code (code, label) VALUES ('F1703', 'Maçonnerie')`).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.NewRaw(`INSERT INTO rome_appellation (code, label, search_text, rome_code) VALUES (?, 'Maçon / Maçonne', 'macon', 'F1703')`, macon).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, ctx: ctx, d: d, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	f.svc = f.instance()
	return f
}

// instance returns a search service over the fixture's database reading the fixture's clock,
// as another instance of the application would be.
func (f *fixture) instance() *Service {
	svc := NewService(f.d)
	svc.Now = func() time.Time { return f.now }
	return svc
}

type companyOption func(*org.Company, *org.Convention)

func kind(k org.CompanyKind) companyOption {
	return func(c *org.Company, _ *org.Convention) { c.Kind = k }
}
func named(name string) companyOption {
	return func(c *org.Company, _ *org.Convention) { c.Name = name }
}
func branded(b string) companyOption { return func(c *org.Company, _ *org.Convention) { c.Brand = b } }
func at(p Point) companyOption {
	return func(c *org.Company, _ *org.Convention) { c.Latitude, c.Longitude = &p.Lat, &p.Lon }
}
func inDepartment(code string) companyOption {
	return func(c *org.Company, _ *org.Convention) { c.Department = code }
}
func postCode(code string) companyOption {
	return func(c *org.Company, _ *org.Convention) { c.PostCode = code }
}
func blocked() companyOption {
	return func(c *org.Company, _ *org.Convention) { c.BlockJobApplications = true }
}
func spontaneousClosed() companyOption {
	return func(c *org.Company, _ *org.Convention) { c.SpontaneousApplicationsOpenSince = nil }
}
func unsearchable() companyOption {
	return func(c *org.Company, _ *org.Convention) { c.IsSearchable = false }
}
func inactiveConvention() companyOption {
	return func(_ *org.Company, cv *org.Convention) { cv.IsActive = false }
}

// company stores a company at Lyon's centre (an SIAE gets an active convention), with its
// spontaneous applications open, changed by the options.
func (f *fixture) company(opts ...companyOption) *org.Company {
	f.t.Helper()
	f.seq++
	lat, lon := lyon.Lat, lyon.Lon
	open := f.now
	co := &org.Company{UID: uuid.NewString(), SIRET: fmt.Sprintf("123456789%05d", f.seq), Kind: org.EI,
		Name: fmt.Sprintf("Structure %02d", f.seq), Source: org.SourceASP, IsSearchable: true,
		SpontaneousApplicationsOpenSince: &open, Department: "69", CreatedAt: f.now, UpdatedAt: f.now,
		Address: org.Address{CityName: "Lyon", PostCode: "69003", CommuneCode: lyonCode, Latitude: &lat, Longitude: &lon}}
	cv := &org.Convention{SiretSignature: co.SIRET, IsActive: true, ASPID: int64(f.seq), CreatedAt: f.now, UpdatedAt: f.now}
	for _, o := range opts {
		o(co, cv)
	}
	switch {
	case co.Kind.IsSIAE():
		cv.Kind = co.Kind
		if _, err := f.d.NewInsert().Model(cv).Exec(f.ctx); err != nil {
			f.t.Fatal(err)
		}
		co.ConventionID = &cv.ID
	case co.Kind == org.GEIQ:
		co.Source = org.SourceGEIQ
	case co.Kind == org.EA || co.Kind == org.EATT:
		co.Source = org.SourceEAEATT
	default:
		co.Source = org.SourceStaffCreated
	}
	if _, err := f.d.NewInsert().Model(co).Exec(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	return co
}

// member adds an active professional to the company (active: the membership and the user).
func (f *fixture) member(co *org.Company, active bool) {
	f.t.Helper()
	f.seq++
	u := &account.User{PublicID: uuid.NewString(), Email: fmt.Sprintf("membre%d@example.org", f.seq), Kind: account.Professional,
		IdentityProvider: account.Django, FirstName: "Prénom", LastName: "Nom", IsActive: true, DateJoined: f.now}
	if _, err := f.d.NewInsert().Model(u).Exec(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	_, err := f.d.NewRaw(`INSERT INTO company_membership (user_id, organization_id, joined_at, is_admin, is_active, created_at, updated_at)
		VALUES (?, ?, ?, FALSE, ?, ?, ?)`, u.ID, co.ID, f.now, active, f.now, f.now).Exec(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
}

type ficheOption func(*jobdesc.JobDescription)

func located(insee string) ficheOption {
	return func(j *jobdesc.JobDescription) { j.LocationCode = insee }
}
func closed() ficheOption { return func(j *jobdesc.JobDescription) { j.IsActive = false } }
func appellationCode(code string) ficheOption {
	return func(j *jobdesc.JobDescription) { j.AppellationCode = code }
}
func contract(c jobdesc.ContractType) ficheOption {
	return func(j *jobdesc.JobDescription) { j.ContractType = c }
}
func updatedAgo(d time.Duration) ficheOption {
	return func(j *jobdesc.JobDescription) { j.UpdatedAt = j.UpdatedAt.Add(-d) }
}
func title(s string) ficheOption { return func(j *jobdesc.JobDescription) { j.CustomName = s } }

// fiche stores an open fiche de poste of co (agent de propreté, CDD insertion) at the company.
func (f *fixture) fiche(co *org.Company, opts ...ficheOption) *jobdesc.JobDescription {
	f.t.Helper()
	f.seq++
	jd := &jobdesc.JobDescription{UID: uuid.NewString(), CompanyID: co.ID, AppellationCode: agentProprete,
		ContractType: jobdesc.FixedTermI, OpenPositions: 1, IsActive: true, UIRank: f.seq,
		CreatedAt: f.now, UpdatedAt: f.now.Add(time.Duration(f.seq) * time.Second), LastEmployerUpdateAt: f.now,
		CreationSource: jobdesc.Manually}
	for _, o := range opts {
		o(jd)
	}
	if _, err := f.d.NewInsert().Model(jd).Exec(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	return jd
}

// prescriber stores a prescriber organization at p, habilitated or not.
func (f *fixture) prescriber(name string, p Point, validated bool) *org.PrescriberOrganization {
	f.t.Helper()
	f.seq++
	po := &org.PrescriberOrganization{UID: uuid.NewString(), SIRET: fmt.Sprintf("987654321%05d", f.seq), Kind: org.ML, Name: name,
		AuthorizationStatus: org.AuthorizationNotSet, Department: "69", CreatedAt: f.now, UpdatedAt: f.now,
		Address: org.Address{AddressLine1: "1 place Bellecour", PostCode: "69002", CityName: "Lyon", CommuneCode: lyonCode,
			Latitude: &p.Lat, Longitude: &p.Lon}}
	if validated {
		po.AuthorizationStatus = org.AuthorizationValidated
	}
	if _, err := f.d.NewInsert().Model(po).Exec(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	return po
}

func names(items []EmployerResult) []string {
	var out []string
	for _, r := range items {
		out = append(out, r.DisplayName())
	}
	return out
}

func ficheTitles(items []FicheResult) []string {
	var out []string
	for _, r := range items {
		out = append(out, r.Title)
	}
	return out
}

// candidature stores a candidature of a new job seeker to co, created at created, selecting the
// fiches (none: a spontaneous candidature), in plain SQL as any code path could; it returns its
// id.
func (f *fixture) candidature(co *org.Company, created time.Time, fiches ...*jobdesc.JobDescription) int64 {
	f.t.Helper()
	f.seq++
	u := &account.User{PublicID: uuid.NewString(), Email: fmt.Sprintf("candidat%d@example.org", f.seq), Kind: account.JobSeeker,
		IdentityProvider: account.Django, FirstName: "Prénom", LastName: "Nom", IsActive: true, DateJoined: f.now}
	if _, err := f.d.NewInsert().Model(u).Exec(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	var id int64
	err := f.d.NewRaw(`INSERT INTO job_application (public_id, job_seeker_id, to_company_id, sender_id, sender_kind, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'job_seeker', ?, ?) RETURNING id`, uuid.NewString(), u.ID, co.ID, u.ID, created, created).Scan(f.ctx, &id)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, jd := range fiches {
		if _, err := f.d.NewRaw(`INSERT INTO job_application_selected_job (job_application_id, job_description_id) VALUES (?, ?)`,
			id, jd.ID).Exec(f.ctx); err != nil {
			f.t.Fatal(err)
		}
	}
	return id
}
