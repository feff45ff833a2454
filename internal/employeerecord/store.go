package employeerecord

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/asp"
	"emplois/internal/jobseeker"
	"emplois/internal/org"
)

// structure is the company a fiche is declared for, with what the ASP knows it by: the SIRET of
// the convention's ASP company (never an antenna's) and the convention's ASP id (§1.10).
type structure struct {
	ID           int64           `bun:"id"`
	Kind         org.CompanyKind `bun:"kind"`
	ConventionID *int64          `bun:"convention_id"`
	ASPID        *int64          `bun:"asp_id"`
	ASPSIRET     *string         `bun:"asp_siret"`
}

// Eligible reports whether the company declares fiches: an SIAE kind with a convention (§2.15).
func (st *structure) Eligible() bool {
	return EligibleKind(st.Kind) && st.ConventionID != nil && st.ASPID != nil && st.ASPSIRET != nil
}

// measure is the ASP measure of the company's fiches (every kind that declares fiches has one).
func (st *structure) measure() string {
	m, _ := asp.MeasureOf(st.Kind)
	return string(m)
}

func structureOf(ctx context.Context, idb bun.IDB, companyID int64) (*structure, error) {
	st := new(structure)
	err := idb.NewSelect().TableExpr("company AS co").
		Join("LEFT JOIN siae_convention AS cv ON cv.id = co.convention_id").
		ColumnExpr("co.id, co.kind, co.convention_id, cv.asp_id").
		ColumnExpr(`COALESCE((SELECT m.siret FROM company AS m WHERE m.convention_id = co.convention_id AND m.source = 'ASP'
			ORDER BY m.id LIMIT 1), cv.siret_signature) AS asp_siret`).
		Where("co.id = ?", companyID).Scan(ctx, st)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("employeerecord: company %d: %w", companyID, err)
	}
	return st, nil
}

func isActiveAdmin(ctx context.Context, idb bun.IDB, userID, companyID int64) (bool, error) {
	ok, err := idb.NewSelect().TableExpr("company_membership AS m").Join("JOIN users AS u ON u.id = m.user_id").
		Where("m.user_id = ? AND m.organization_id = ?", userID, companyID).
		Where("m.is_active AND m.is_admin AND u.is_active").Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("employeerecord: admin %d of %d: %w", userID, companyID, err)
	}
	return ok, nil
}

// hiring is an accepted candidature a fiche is made from, with its PASS IAE.
type hiring struct {
	ID                   int64      `bun:"id"`
	PublicID             string     `bun:"public_id"`
	State                string     `bun:"state"`
	ToCompanyID          int64      `bun:"to_company_id"`
	JobSeekerID          int64      `bun:"job_seeker_id"`
	JobSeekerPublicID    string     `bun:"job_seeker_public_id"`
	FirstName            string     `bun:"first_name"`
	LastName             string     `bun:"last_name"`
	HiringStartAt        *time.Time `bun:"hiring_start_at"`
	CreateEmployeeRecord bool       `bun:"create_employee_record"`
	ApprovalNumber       *string    `bun:"approval_number"`
}

func hiringsQuery(idb bun.IDB) *bun.SelectQuery {
	return idb.NewSelect().TableExpr("job_application AS ja").
		Join("JOIN users AS u ON u.id = ja.job_seeker_id").
		Join("LEFT JOIN approval AS ap ON ap.id = ja.approval_id").
		ColumnExpr("ja.id, ja.public_id, ja.state, ja.to_company_id, ja.job_seeker_id, u.public_id AS job_seeker_public_id").
		ColumnExpr("u.first_name, u.last_name, ja.hiring_start_at, ja.create_employee_record, ap.number AS approval_number")
}

func hiringByID(ctx context.Context, idb bun.IDB, id int64) (*hiring, error) {
	h := new(hiring)
	if err := hiringsQuery(idb).Where("ja.id = ?", id).Scan(ctx, h); err != nil {
		return nil, fmt.Errorf("employeerecord: hiring %d: %w", id, err)
	}
	return h, nil
}

func hiringByPublicID(ctx context.Context, idb bun.IDB, publicID string, companyID int64) (*hiring, error) {
	h := new(hiring)
	err := hiringsQuery(idb).Where("ja.public_id = ? AND ja.to_company_id = ?", publicID, companyID).Scan(ctx, h)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("employeerecord: hiring %s: %w", publicID, err)
	}
	return h, nil
}

// person reads the employee's facts the preconditions check, the NTT of the fiche aside.
func person(ctx context.Context, idb bun.IDB, jobSeekerID int64) (Person, error) {
	var row struct {
		jobseeker.Profile `bun:",extend"`
		Title             string `bun:"title"`
	}
	err := idb.NewSelect().Model(&row).ColumnExpr("p.*, u.title").Join("JOIN users AS u ON u.id = p.user_id").
		Where("p.user_id = ?", jobSeekerID).Scan(ctx)
	if err != nil {
		return Person{}, fmt.Errorf("employeerecord: employee %d: %w", jobSeekerID, err)
	}
	return personOf(row.Title, &row.Profile), nil
}

// personOf is what the preconditions read of a profile and the person's civilité.
func personOf(title string, p *jobseeker.Profile) Person {
	return Person{Title: title, EducationLevel: string(p.EducationLevel), NIR: p.NIRValue(), Address: AddressOf(p),
		NIROfSomeoneElse: p.LackOfNIRReason == jobseeker.NIRAssociatedToOther, HasBirthdate: p.Birthdate != nil,
		BirthCountryCode: deref(p.BirthCountryCode)}
}

// duplicateExists reports whether another fiche already holds (measure, SIRET, PASS number).
func duplicateExists(ctx context.Context, idb bun.IDB, measure, siret, number string, exceptID int64) (bool, error) {
	ok, err := idb.NewSelect().Model((*Record)(nil)).
		Where("er.asp_measure = ? AND er.siret = ? AND er.approval_number = ? AND er.id <> ?", measure, siret, number, exceptID).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("employeerecord: duplicate of %s: %w", number, err)
	}
	return ok, nil
}

// SentToASP reports whether a fiche of the candidature went to the ASP in a file: its hire may
// no longer be cancelled (approvals.md scenario 35).
func SentToASP(ctx context.Context, idb bun.IDB, applicationID int64) (bool, error) {
	ok, err := idb.NewSelect().Model((*Record)(nil)).Where("er.job_application_id = ? AND er.asp_batch_file IS NOT NULL", applicationID).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("employeerecord: fiche of %d sent: %w", applicationID, err)
	}
	return ok, nil
}
