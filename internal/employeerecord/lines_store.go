package employeerecord

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/asp"
	"emplois/internal/jobseeker"
	"emplois/internal/org"
)

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
	Phone          string          `bun:"phone"`
	Email          *string         `bun:"email"`
	AnnexNumber    *string         `bun:"annex_number"`
}

// lineInputs reads, in three queries, what the lines of these fiches are built from, in the
// order of ids, and resolves their codes; a fiche that cannot make a line gets its error.
func lineInputs(ctx context.Context, idb bun.IDB, ref *asp.Store, ids []int64) ([]LineInput, []error, error) {
	var facts []lineFacts
	err := idb.NewSelect().Model(&facts).ColumnExpr("er.*").
		Join("JOIN job_application AS ja ON ja.id = er.job_application_id").
		Join("JOIN company AS co ON co.id = ja.to_company_id").
		Join("JOIN users AS u ON u.id = ja.job_seeker_id").
		Join("LEFT JOIN prescriber_organization AS po ON po.id = ja.sender_prescriber_organization_id").
		Join("LEFT JOIN approval AS ap ON ap.number = er.approval_number").
		Join("LEFT JOIN siae_financial_annex AS fa ON fa.id = er.financial_annex_id").
		ColumnExpr("ja.sender_kind, po.kind AS prescriber_kind, COALESCE(po.authorization_status = 'VALIDATED', FALSE) AS authorized").
		ColumnExpr("co.kind AS company_kind, ja.job_seeker_id, u.title, u.first_name, u.last_name").
		ColumnExpr("ap.start_at AS pass_start, ap.end_at AS pass_end, u.phone, u.email, fa.number AS annex_number").
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
	var countryCodes []string
	for _, p := range profiles {
		profileOf[p.UserID] = p
		if c := deref(p.BirthCountryCode); c != "" {
			countryCodes = append(countryCodes, c)
		}
	}
	countries, err := ref.CountriesByCode(ctx, countryCodes)
	if err != nil {
		return nil, nil, err
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
		sender := asp.Sender{ByPrescriber: f.SenderKind == "prescriber", Kind: org.PrescriberKind(deref(f.PrescriberKind)), Authorized: f.Authorized}
		in := LineInput{Record: &rec, Kind: f.CompanyKind, Title: f.Title, First: f.FirstName, Last: f.LastName,
			Profile: profileOf[f.JobSeekerID], PASSStart: *f.PASSStart, PASSEnd: *f.PASSEnd,
			EmployerType: string(asp.EmployerTypeOf(f.CompanyKind)), Orienteur: string(asp.PrescriberTypeOf(sender)),
			Phone: f.Phone, Email: f.Email, AnnexNumber: f.AnnexNumber}
		// An unknown birth country leaves the code and group empty (a creation line then fails,
		// an update line sends the static birth place).
		if c, ok := countries[deref(in.Profile.BirthCountryCode)]; ok {
			in.BirthCountry, in.CountryGroup = c.Code, string(c.Group)
		}
		ins[i] = in
	}
	return ins, errs, nil
}
