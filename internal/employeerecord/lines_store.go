package employeerecord

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/jobseeker"
	"emplois/internal/org"
)

// Codes resolves the ASP codes of a line against the ASP reference data (internal/asp).
type Codes interface {
	// Country is the ASP code and group of an INSEE country code ("99100" → "100", "1"); ok
	// is false for a code the ASP does not know.
	Country(ctx context.Context, inseeCountry string) (code, group string, ok bool, err error)
	// CommuneAsCountry is the country code the ASP gives an overseas commune it treats as a
	// country (BORA BORA → "714"), "" for any other commune.
	CommuneAsCountry(ctx context.Context, inseeCommune string) (string, error)
	// Orienteur is the ASP code of who sent the candidature (approvals.md §2.15).
	Orienteur(senderKind, prescriberKind string, authorizedPrescriber bool) string
	// EmployerType is the ASP code of a company kind (approvals.md §2.16).
	EmployerType(kind org.CompanyKind) string
}

// lineFacts is what a line reads besides the profile, for one fiche.
type lineFacts struct {
	Record         `bun:",extend"`
	SenderKind     string          `bun:"sender_kind"`
	PrescriberKind *string         `bun:"prescriber_kind"`
	Authorized     bool            `bun:"authorized"`
	CompanyKind    org.CompanyKind `bun:"company_kind"`
	JobSeekerID    int64           `bun:"job_seeker_id"`
	Title          string          `bun:"title"`
	FirstName      string          `bun:"first_name"`
	LastName       string          `bun:"last_name"`
	PASSStart      *time.Time      `bun:"pass_start"`
	PASSEnd        *time.Time      `bun:"pass_end"`
}

// lineInputs reads, in two queries, what the lines of these fiches are built from, in the
// order of ids, and resolves their codes; a fiche that cannot make a line gets its error.
func lineInputs(ctx context.Context, idb bun.IDB, codes Codes, ids []int64) ([]LineInput, []error, error) {
	var facts []lineFacts
	err := idb.NewSelect().Model(&facts).ColumnExpr("er.*").
		Join("JOIN job_application AS ja ON ja.id = er.job_application_id").
		Join("JOIN company AS co ON co.id = ja.to_company_id").
		Join("JOIN users AS u ON u.id = ja.job_seeker_id").
		Join("LEFT JOIN prescriber_organization AS po ON po.id = ja.sender_prescriber_organization_id").
		Join("LEFT JOIN approval AS ap ON ap.number = er.approval_number").
		ColumnExpr("ja.sender_kind, po.kind AS prescriber_kind, COALESCE(po.authorization_status = 'VALIDATED', FALSE) AS authorized").
		ColumnExpr("co.kind AS company_kind, ja.job_seeker_id, u.title, u.first_name, u.last_name").
		ColumnExpr("ap.start_at AS pass_start, ap.end_at AS pass_end").
		Where("er.id IN (?)", bun.List(ids)).Scan(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("employeerecord: lines of %d fiches: %w", len(ids), err)
	}
	jsIDs := make([]int64, len(facts))
	for i, f := range facts {
		jsIDs[i] = f.JobSeekerID
	}
	var profiles []*jobseeker.Profile
	if err := idb.NewSelect().Model(&profiles).Where("p.user_id IN (?)", bun.List(jsIDs)).Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("employeerecord: profiles of %d fiches: %w", len(ids), err)
	}
	profileOf := make(map[int64]*jobseeker.Profile, len(profiles))
	for _, p := range profiles {
		profileOf[p.UserID] = p
	}
	byID := make(map[int64]*lineFacts, len(facts))
	for i := range facts {
		byID[facts[i].ID] = &facts[i]
	}
	ins, errs := make([]LineInput, len(ids)), make([]error, len(ids))
	for i, id := range ids {
		f := byID[id]
		if f == nil || profileOf[f.JobSeekerID] == nil {
			errs[i] = fmt.Errorf("employeerecord: fiche %d has no employee", id)
			continue
		}
		if f.PASSStart == nil {
			errs[i] = fmt.Errorf("employeerecord: fiche %d has no PASS IAE %s", id, f.ApprovalNumber)
			continue
		}
		rec := f.Record
		in := LineInput{Record: &rec, Kind: f.CompanyKind, Title: f.Title, First: f.FirstName, Last: f.LastName,
			Profile: profileOf[f.JobSeekerID], PASSStart: *f.PASSStart, PASSEnd: *f.PASSEnd,
			EmployerType: codes.EmployerType(f.CompanyKind), Orienteur: codes.Orienteur(f.SenderKind, deref(f.PrescriberKind), f.Authorized)}
		if errs[i] = resolvePlace(ctx, codes, &in); errs[i] == nil {
			ins[i] = in
		}
	}
	return ins, errs, nil
}

// resolvePlace sets the ASP codes of the birth place.
func resolvePlace(ctx context.Context, codes Codes, in *LineInput) error {
	p := in.Profile
	if p.BirthCountryCode != nil && *p.BirthCountryCode != "" {
		code, group, ok, err := codes.Country(ctx, *p.BirthCountryCode)
		if err != nil {
			return err
		}
		if ok {
			in.BirthCountry, in.CountryGroup = code, group
		}
	}
	if p.BirthPlaceCode != nil && *p.BirthPlaceCode != "" {
		var err error
		if in.CommuneAsCountry, err = codes.CommuneAsCountry(ctx, *p.BirthPlaceCode); err != nil {
			return err
		}
	}
	return nil
}
