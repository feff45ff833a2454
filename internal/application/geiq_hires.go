package application

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// GEIQHireScope says whose hires the GEIQ label reads (api.md §6).
type GEIQHireScope struct {
	// All: every GEIQ (a superuser). Otherwise CompanyIDs, a company token's companies, and the
	// user-created GEIQ antennas sharing the SIREN of one of them.
	All        bool
	CompanyIDs []int64
	// SIREN keeps the companies whose SIRET starts with it ("" for all); the caller checked it
	// is 9 digits.
	SIREN string
}

// where is the WHERE clause of the scope's hires over job_application ja and its company co:
// accepted candidatures to GEIQ. Whatever the contract's end, every accepted hire is listed
// (api.md §10 Q8).
func (sc GEIQHireScope) where() (string, []any) {
	q := ` WHERE ja.state = 'accepted' AND co.kind = 'GEIQ'`
	var args []any
	if !sc.All {
		ids := sc.CompanyIDs
		if len(ids) == 0 {
			ids = []int64{0} // no company: nothing
		}
		q += ` AND (co.id IN (?) OR (co.source = 'USER_CREATED'
			AND substr(co.siret, 1, 9) IN (SELECT substr(tc.siret, 1, 9) FROM company tc WHERE tc.id IN (?))))`
		args = append(args, bun.List(ids), bun.List(ids))
	}
	if sc.SIREN != "" {
		q += ` AND substr(co.siret, 1, 9) = ?`
		args = append(args, sc.SIREN)
	}
	return q, args
}

// GEIQHire is an accepted candidature to a GEIQ with what the label reads of it (api.md §6).
type GEIQHire struct {
	ID                int64      `bun:"id"`
	PublicID          string     `bun:"public_id"`
	JobSeekerPublicID string     `bun:"js_public_id"`
	CompanySIRET      string     `bun:"co_siret"`
	LastName          string     `bun:"last_name"`
	FirstName         string     `bun:"first_name"`
	Title             string     `bun:"title"`
	Birthdate         *time.Time `bun:"birthdate"`
	AddressLine1      string     `bun:"address_line_1"`
	AddressLine2      string     `bun:"address_line_2"`
	PostCode          string     `bun:"post_code"`
	City              string     `bun:"city"`
	// EducationLevel is the ASP code of the job seeker's profile, "" when none.
	EducationLevel string     `bun:"education_level"`
	SenderKind     SenderKind `bun:"sender_kind"`
	// SenderOrgKind is the kind of the sender's prescriber organization, "" when none.
	SenderOrgKind string `bun:"sender_org_kind"`
	// DiagnosisAuthorKind is the author kind of the GEIQ diagnosis ("prescriber", "geiq"), ""
	// without diagnosis.
	DiagnosisAuthorKind  string             `bun:"diagnosis_author_kind"`
	ContractType         ContractType       `bun:"contract_type"`
	NbHoursPerWeek       *int               `bun:"nb_hours_per_week"`
	HiringStartAt        *time.Time         `bun:"hiring_start_at"`
	HiringEndAt          *time.Time         `bun:"hiring_end_at"`
	HiredRome            string             `bun:"hired_rome"`
	QualificationType    QualificationType  `bun:"qualification_type"`
	QualificationLevel   QualificationLevel `bun:"qualification_level"`
	PlannedTrainingHours *int               `bun:"planned_training_hours"`
	InvertedVAEContract  *bool              `bun:"inverted_vae_contract"`

	// PriorActions are the actions before the hire, by start date.
	PriorActions []HirePriorAction `bun:"-"`
	// CriteriaCodes are the label's codes of the GEIQ diagnosis's criteria, as stored (several
	// joined with "|", "" for a criterion without code).
	CriteriaCodes []string `bun:"-"`
}

// HirePriorAction is a prior action of a hire.
type HirePriorAction struct {
	ApplicationID int64           `bun:"job_application_id"`
	Action        PriorActionKind `bun:"action"`
	StartAt       time.Time       `bun:"start_at"`
	EndAt         time.Time       `bun:"end_at"`
}

// CountGEIQHires counts the scope's hires.
func (s *Service) CountGEIQHires(ctx context.Context, sc GEIQHireScope) (int, error) {
	where, args := sc.where()
	var n int
	if err := s.db.NewRaw("SELECT COUNT(*) FROM job_application ja JOIN company co ON co.id = ja.to_company_id"+where, args...).Scan(ctx, &n); err != nil {
		return 0, fmt.Errorf("application: count GEIQ hires: %w", err)
	}
	return n, nil
}

// GEIQHires lists limit of the scope's hires from offset, by company SIRET, job seeker's last
// name, first name and candidature (api.md §6), with their prior actions and criteria: three
// statements whatever the page's size.
func (s *Service) GEIQHires(ctx context.Context, sc GEIQHireScope, offset, limit int) ([]GEIQHire, error) {
	where, args := sc.where()
	var rows []GEIQHire
	err := s.db.NewRaw(`SELECT ja.id, ja.public_id, u.public_id AS js_public_id, co.siret AS co_siret,
		u.last_name, u.first_name, u.title, p.birthdate, u.address_line_1, u.address_line_2, u.post_code, u.city,
		COALESCE(p.education_level, '') AS education_level, ja.sender_kind, COALESCE(po.kind, '') AS sender_org_kind,
		COALESCE(gd.author_kind, '') AS diagnosis_author_kind, ja.contract_type, ja.nb_hours_per_week,
		ja.hiring_start_at, ja.hiring_end_at, COALESCE(ra.rome_code, '') AS hired_rome,
		ja.qualification_type, ja.qualification_level, ja.planned_training_hours, ja.inverted_vae_contract
		FROM job_application ja JOIN company co ON co.id = ja.to_company_id
		JOIN users u ON u.id = ja.job_seeker_id
		LEFT JOIN job_seeker_profile p ON p.user_id = u.id
		LEFT JOIN prescriber_organization po ON po.id = ja.sender_prescriber_organization_id
		LEFT JOIN geiq_eligibility_diagnosis gd ON gd.id = ja.geiq_eligibility_diagnosis_id
		LEFT JOIN job_description jd ON jd.id = ja.hired_job_id
		LEFT JOIN rome_appellation ra ON ra.code = jd.appellation_code`+where+`
		ORDER BY co.siret, u.last_name, u.first_name, ja.id LIMIT ? OFFSET ?`, append(args, limit, offset)...).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("application: GEIQ hires: %w", err)
	}
	if len(rows) == 0 {
		return rows, nil
	}
	ids := make([]int64, len(rows))
	index := make(map[int64]int, len(rows))
	for i, r := range rows {
		ids[i], index[r.ID] = r.ID, i
	}
	var actions []HirePriorAction
	if err := s.db.NewRaw(`SELECT job_application_id, action, start_at, end_at FROM job_application_prior_action
		WHERE job_application_id IN (?) ORDER BY job_application_id, start_at, id`, bun.List(ids)).Scan(ctx, &actions); err != nil {
		return nil, fmt.Errorf("application: prior actions of GEIQ hires: %w", err)
	}
	for _, a := range actions {
		r := &rows[index[a.ApplicationID]]
		r.PriorActions = append(r.PriorActions, a)
	}
	var codes []struct {
		ApplicationID int64  `bun:"job_application_id"`
		Code          string `bun:"api_code"`
	}
	if err := s.db.NewRaw(`SELECT ja.id AS job_application_id, gc.api_code FROM job_application ja
		JOIN geiq_selected_administrative_criteria sc ON sc.eligibility_diagnosis_id = ja.geiq_eligibility_diagnosis_id
		JOIN geiq_administrative_criteria gc ON gc.id = sc.administrative_criteria_id
		WHERE ja.id IN (?) ORDER BY ja.id, gc.id`, bun.List(ids)).Scan(ctx, &codes); err != nil {
		return nil, fmt.Errorf("application: criteria of GEIQ hires: %w", err)
	}
	for _, c := range codes {
		r := &rows[index[c.ApplicationID]]
		r.CriteriaCodes = append(r.CriteriaCodes, c.Code)
	}
	return rows, nil
}
