package directory

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/reference"
	"emplois/internal/search"
)

// Communes and appellations of the demo reference sample (internal/geo/demo, internal/rome/demo).
const (
	lyon          = "69123" // 45.758, 4.8351
	villeurbanne  = "69266" // 45.7719, 4.8898
	saintEtienne  = "42218" // 45.4241, 4.3665, about 51 km from Lyon
	lille         = "59350"
	agentProprete = "10688" // K2204
	auxiliaireVie = "11453" // K1302
)

// fixture is a migrated database with the demo reference data, and constructors of companies and
// fiches de poste with defaults.
type fixture struct {
	t   *testing.T
	d   *db.DB
	seq int
	now time.Time
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	if err := reference.LoadDemo(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, d: d, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
}

// companySpec is a company to store, and whether its convention is active (SIAE).
type companySpec struct {
	*org.Company
	inactive bool
}

type companyOption func(*companySpec)

func at(lat, lon float64) companyOption {
	return func(c *companySpec) { c.Latitude, c.Longitude = &lat, &lon }
}
func nowhere() companyOption                 { return func(c *companySpec) { c.Latitude, c.Longitude = nil, nil } }
func inDepartment(code string) companyOption { return func(c *companySpec) { c.Department = code } }
func blocked() companyOption                 { return func(c *companySpec) { c.BlockJobApplications = true } }
func unsearchable() companyOption            { return func(c *companySpec) { c.IsSearchable = false } }
func inactiveConvention() companyOption      { return func(c *companySpec) { c.inactive = true } }

// company stores a company of this kind at Lyon's centre; SIAE get a convention, active unless
// inactiveConvention.
func (f *fixture) company(kind org.CompanyKind, opts ...companyOption) *org.Company {
	f.t.Helper()
	ctx := context.Background()
	f.seq++
	lat, lon := 45.758, 4.8351
	co := &org.Company{UID: uuid.NewString(), SIRET: fmt.Sprintf("123456789%05d", f.seq), Kind: kind,
		Name: fmt.Sprintf("Structure %02d", f.seq), Source: org.SourceASP, IsSearchable: true,
		Department: "69", CreatedAt: f.now, UpdatedAt: f.now,
		Address: org.Address{CityName: "Lyon", PostCode: "69003", CommuneCode: lyon, Latitude: &lat, Longitude: &lon}}
	switch kind {
	case org.GEIQ:
		co.Source = org.SourceGEIQ
	case org.OPCS, org.EA, org.EATT, org.Reserved:
		co.Source = org.SourceStaffCreated
	}
	spec := &companySpec{Company: co}
	for _, o := range opts {
		o(spec)
	}
	if kind.IsSIAE() {
		conv := &org.Convention{Kind: kind, SiretSignature: co.SIRET, IsActive: !spec.inactive, ASPID: int64(f.seq), CreatedAt: f.now, UpdatedAt: f.now}
		if _, err := f.d.NewInsert().Model(conv).Exec(ctx); err != nil {
			f.t.Fatal(err)
		}
		co.ConventionID = &conv.ID
	}
	if _, err := f.d.NewInsert().Model(co).Exec(ctx); err != nil {
		f.t.Fatal(err)
	}
	return co
}

type ficheOption func(*jobdesc.JobDescription)

func locatedIn(insee string) ficheOption {
	return func(j *jobdesc.JobDescription) { j.LocationCode = insee }
}
func closed() ficheOption               { return func(j *jobdesc.JobDescription) { j.IsActive = false } }
func updatedAt(t time.Time) ficheOption { return func(j *jobdesc.JobDescription) { j.UpdatedAt = t } }

// fiche stores an open fiche de poste of co (agent de propreté, CDD insertion).
func (f *fixture) fiche(co *org.Company, opts ...ficheOption) *jobdesc.JobDescription {
	f.t.Helper()
	j := &jobdesc.JobDescription{UID: uuid.NewString(), CompanyID: co.ID, AppellationCode: agentProprete,
		ContractType: jobdesc.FixedTermI, OpenPositions: 1, IsActive: true, CreatedAt: f.now, UpdatedAt: f.now,
		LastEmployerUpdateAt: f.now, CreationSource: jobdesc.Manually}
	for _, o := range opts {
		o(j)
	}
	if _, err := f.d.NewInsert().Model(j).Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return j
}

// newService is the directory over d with its own search index.
func newService(d *db.DB) *Service { return NewService(d, search.NewService(d)) }
