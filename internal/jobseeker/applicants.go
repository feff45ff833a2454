package jobseeker

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"
)

// Applicant is a job seeker who applied to some of an employer's companies, as the partner API's
// GET /api/v1/candidats/ lists them (api.md §2.5).
type Applicant struct {
	ID           int64      `bun:"id"`
	Title        string     `bun:"title"`
	LastName     string     `bun:"last_name"`
	FirstName    string     `bun:"first_name"`
	Email        *string    `bun:"email"`
	Phone        string     `bun:"phone"`
	AddressLine1 string     `bun:"address_line_1"`
	AddressLine2 string     `bun:"address_line_2"`
	PostCode     string     `bun:"post_code"`
	City         string     `bun:"city"`
	Birthdate    *time.Time `bun:"birthdate"`
	// BirthPlace and BirthCountry are the ASP's names of the birth commune (its period at the
	// birth date, else its latest) and country; nil when unknown.
	BirthPlace   *string `bun:"birth_place"`
	BirthCountry *string `bun:"birth_country"`
	// CompanyUIDs are the uids of the companies asked about that the person applied to,
	// distinct, sorted.
	CompanyUIDs []string `bun:"-"`
}

// applicantsOf is the WHERE clause of the job seekers with an application to one of the
// companies (ids bound by bun.List). The candidatures of the companies are read first (an IN
// list, by their company index) and the users found by key: an EXISTS per user would walk all
// the job seekers of the country.
const applicantsOf = "u.kind = 'job_seeker' AND u.id IN (SELECT ja.job_seeker_id FROM job_application ja WHERE ja.to_company_id IN (?))"

// CountApplicants counts the job seekers with at least one application (any state) to one of
// the companies.
func (s *Service) CountApplicants(ctx context.Context, companyIDs []int64) (int, error) {
	if len(companyIDs) == 0 {
		return 0, nil
	}
	var n int
	if err := s.db.NewRaw("SELECT COUNT(*) FROM users u WHERE "+applicantsOf, bun.List(companyIDs)).Scan(ctx, &n); err != nil {
		return 0, fmt.Errorf("jobseeker: count applicants: %w", err)
	}
	return n, nil
}

// Applicants lists limit job seekers from offset among those with at least one application to
// one of the companies, the account created last first (api.md §2.4), each with the uids of the
// companies among those they applied to. Two queries whatever the page's size.
func (s *Service) Applicants(ctx context.Context, companyIDs []int64, offset, limit int) ([]Applicant, error) {
	if len(companyIDs) == 0 {
		return nil, nil
	}
	var rows []Applicant
	err := s.db.NewRaw(`SELECT u.id, u.title, u.last_name, u.first_name, u.email, u.phone, u.address_line_1,
		u.address_line_2, u.post_code, u.city, p.birthdate,
		(SELECT c.name FROM asp_commune c WHERE c.code = p.birth_place_code
			ORDER BY CASE WHEN c.start_date <= p.birthdate AND (c.end_date IS NULL OR c.end_date > p.birthdate) THEN 0 ELSE 1 END,
			c.start_date DESC LIMIT 1) AS birth_place,
		(SELECT co.name FROM asp_country co WHERE co.code = substr(p.birth_country_code, 3)) AS birth_country
		FROM users u LEFT JOIN job_seeker_profile p ON p.user_id = u.id
		WHERE `+applicantsOf+` ORDER BY u.id DESC LIMIT ? OFFSET ?`, bun.List(companyIDs), limit, offset).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("jobseeker: applicants: %w", err)
	}
	if len(rows) == 0 {
		return rows, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var pairs []struct {
		JobSeekerID int64  `bun:"job_seeker_id"`
		UID         string `bun:"uid"`
	}
	err = s.db.NewRaw(`SELECT DISTINCT ja.job_seeker_id, co.uid FROM job_application ja JOIN company co ON co.id = ja.to_company_id
		WHERE ja.job_seeker_id IN (?) AND ja.to_company_id IN (?)`, bun.List(ids), bun.List(companyIDs)).Scan(ctx, &pairs)
	if err != nil {
		return nil, fmt.Errorf("jobseeker: applicants' companies: %w", err)
	}
	index := make(map[int64]int, len(rows))
	for i, r := range rows {
		index[r.ID] = i
	}
	for _, p := range pairs {
		r := &rows[index[p.JobSeekerID]]
		r.CompanyUIDs = append(r.CompanyUIDs, p.UID)
	}
	for i := range rows {
		slices.Sort(rows[i].CompanyUIDs)
	}
	return rows, nil
}
