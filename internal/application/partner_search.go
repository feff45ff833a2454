package application

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/approval"
	"emplois/internal/jobseeker"
	"emplois/internal/platform/localtime"
)

// PersonQuery is the person a conseil départemental looks for (api.md §3.2): the NIR and the
// birth date must be the stored ones, the names only similar (jobseeker.SimilarNames).
type PersonQuery struct {
	NIR       string
	LastName  string
	FirstName string
	Birthdate time.Time
}

// SearchMonths is how far back the search looks: applications changed in the last 3 months.
const SearchMonths = 3

// PostedJob is a fiche de poste of an application: its ROME code and label, and where it is
// (its location, else the company's city).
type PostedJob struct {
	ApplicationID int64  `bun:"job_application_id"`
	ID            int64  `bun:"id"`
	Rome          string `bun:"rome"`
	Title         string `bun:"title"`
	City          string `bun:"city"`
}

// FoundApplication is an application of the person found, as the département search shows it
// (api.md §3.4).
type FoundApplication struct {
	ID                 int64      `bun:"id"`
	PublicID           string     `bun:"public_id"`
	CreatedAt          time.Time  `bun:"created_at"`
	UpdatedAt          time.Time  `bun:"updated_at"`
	LastModificationAt time.Time  `bun:"last_modification_at"`
	State              State      `bun:"state"`
	Message            string     `bun:"message"`
	ResumeKey          string     `bun:"resume_key"`
	HiringStartAt      *time.Time `bun:"hiring_start_at"`
	HiringEndAt        *time.Time `bun:"hiring_end_at"`
	HiredJobID         *int64     `bun:"hired_job_id"`

	CompanyKind   string `bun:"co_kind"`
	CompanyName   string `bun:"co_name"`
	CompanyBrand  string `bun:"co_brand"`
	CompanySIRET  string `bun:"co_siret"`
	CompanySource string `bun:"co_source"`
	CompanyLine1  string `bun:"co_line1"`
	CompanyLine2  string `bun:"co_line2"`
	CompanyPost   string `bun:"co_post_code"`
	CompanyCity   string `bun:"co_city"`
	CompanyEmail  string `bun:"co_email"`

	SenderKind         string  `bun:"sender_kind"`
	SenderLastName     *string `bun:"sender_last_name"`
	SenderFirstName    *string `bun:"sender_first_name"`
	SenderEmail        *string `bun:"sender_email"`
	SenderOrgKind      *string `bun:"sender_org_kind"`
	SenderOrgName      *string `bun:"sender_org_name"`
	SenderOrgPhone     *string `bun:"sender_org_phone"`
	SenderCompanyKind  *string `bun:"sender_company_kind"`
	SenderCompanyName  *string `bun:"sc_name"`
	SenderCompanyPhone *string `bun:"sc_phone"`

	Jobs     []PostedJob `bun:"-"`
	HiredJob *PostedJob  `bun:"-"`
}

// PersonFound is the job seeker the search found, with their latest PASS IAE (nil when none, or
// when its waiting period has elapsed).
type PersonFound struct {
	ID        int64     `bun:"id"`
	NIR       string    `bun:"nir"`
	LastName  string    `bun:"last_name"`
	FirstName string    `bun:"first_name"`
	Birthdate time.Time `bun:"birthdate"`
	Email     *string   `bun:"email"`
	Phone     string    `bun:"phone"`
	Approval  *approval.Approval
	// Today is the day the PASS's state is told for.
	Today time.Time
}

// lastModification is an application's last state change: its latest transition, else its
// update (api.md §3.3).
const lastModification = "COALESCE((SELECT MAX(tl.created_at) FROM job_application_transition_log tl WHERE tl.job_application_id = ja.id), ja.updated_at)"

// FindPerson is the job seeker of the query (the NIR is unique, so one at most), nil when none
// matches.
func (s *Service) FindPerson(ctx context.Context, q PersonQuery) (*PersonFound, error) {
	var people []PersonFound
	err := s.db.NewRaw(`SELECT u.id, p.nir, u.last_name, u.first_name, p.birthdate, u.email, u.phone
		FROM users u JOIN job_seeker_profile p ON p.user_id = u.id
		WHERE u.kind = 'job_seeker' AND p.nir = ? AND p.birthdate = ?`, q.NIR, q.Birthdate).Scan(ctx, &people)
	if err != nil {
		return nil, fmt.Errorf("application: find person: %w", err)
	}
	for i := range people {
		p := &people[i]
		if jobseeker.SimilarNames(q.LastName, p.LastName) && jobseeker.SimilarNames(q.FirstName, p.FirstName) {
			p.Today = localtime.Day(s.now())
			latest, err := approval.LatestOf(ctx, s.db, p.ID, p.Today)
			if err != nil {
				return nil, err
			}
			if latest != nil && p.Today.After(approval.WaitingPeriodEnd(latest.EndAt)) {
				latest = nil
			}
			p.Approval = latest
			return p, nil
		}
	}
	return nil, nil
}

// since is the first instant the search looks at: now less 3 calendar months (the last day of a
// shorter month when the day is not in it).
func (s *Service) since() time.Time {
	now := s.now()
	y, m, d := now.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return localtime.AddMonths(midnight, -SearchMonths).Add(now.Sub(midnight))
}

// CountPersonApplications counts the person's applications changed in the last 3 months.
func (s *Service) CountPersonApplications(ctx context.Context, jobSeekerID int64) (int, error) {
	var n int
	err := s.db.NewRaw(`SELECT COUNT(*) FROM job_application ja WHERE ja.job_seeker_id = ? AND `+lastModification+` >= ?`,
		jobSeekerID, s.since()).Scan(ctx, &n)
	if err != nil {
		return 0, fmt.Errorf("application: count person's applications: %w", err)
	}
	return n, nil
}

// PersonApplications lists limit of the person's applications changed in the last 3 months
// from offset, the last changed first, with their fiches de poste: two queries whatever the
// page's size.
func (s *Service) PersonApplications(ctx context.Context, jobSeekerID int64, offset, limit int) ([]FoundApplication, error) {
	var rows []FoundApplication
	err := s.db.NewRaw(`SELECT * FROM (SELECT ja.id, ja.public_id, ja.created_at, ja.updated_at, `+lastModification+` AS last_modification_at,
		ja.state, ja.message, ja.resume_key, ja.hiring_start_at, ja.hiring_end_at, ja.hired_job_id,
		co.kind AS co_kind, co.name AS co_name, co.brand AS co_brand, co.siret AS co_siret, co.source AS co_source,
		co.address_line_1 AS co_line1, co.address_line_2 AS co_line2, co.post_code AS co_post_code, co.city_name AS co_city, co.email AS co_email,
		ja.sender_kind, su.last_name AS sender_last_name, su.first_name AS sender_first_name, su.email AS sender_email,
		po.kind AS sender_org_kind, po.name AS sender_org_name, po.phone AS sender_org_phone, sc.kind AS sender_company_kind,
		sc.name AS sc_name, sc.phone AS sc_phone
		FROM job_application ja JOIN company co ON co.id = ja.to_company_id
		LEFT JOIN users su ON su.id = ja.sender_id
		LEFT JOIN prescriber_organization po ON po.id = ja.sender_prescriber_organization_id
		LEFT JOIN company sc ON sc.id = ja.sender_company_id
		WHERE ja.job_seeker_id = ?) ja WHERE ja.last_modification_at >= ?
		ORDER BY ja.last_modification_at DESC, ja.id DESC LIMIT ? OFFSET ?`, jobSeekerID, s.since(), limit, offset).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("application: person's applications: %w", err)
	}
	if len(rows) == 0 {
		return rows, nil
	}
	ids := make([]int64, len(rows))
	var hired []int64
	for i, r := range rows {
		ids[i] = r.ID
		if r.HiredJobID != nil {
			hired = append(hired, *r.HiredJobID)
		}
	}
	if hired == nil {
		hired = []int64{0}
	}
	var jobs []PostedJob
	err = s.db.NewRaw(`SELECT sj.job_application_id, jd.id, ra.rome_code AS rome, rc.label AS title,
		COALESCE(cm.name, co.city_name) AS city
		FROM (SELECT job_application_id, job_description_id FROM job_application_selected_job WHERE job_application_id IN (?)
			UNION ALL SELECT 0, id FROM job_description WHERE id IN (?)) sj
		JOIN job_description jd ON jd.id = sj.job_description_id
		JOIN rome_appellation ra ON ra.code = jd.appellation_code JOIN rome_code rc ON rc.code = ra.rome_code
		JOIN company co ON co.id = jd.company_id LEFT JOIN commune cm ON cm.insee_code = jd.location_code
		ORDER BY sj.job_application_id, jd.id`, bun.List(ids), bun.List(hired)).Scan(ctx, &jobs)
	if err != nil {
		return nil, fmt.Errorf("application: fiches of the person's applications: %w", err)
	}
	index := make(map[int64]int, len(rows))
	for i, r := range rows {
		index[r.ID] = i
	}
	byID := map[int64]PostedJob{}
	for _, j := range jobs {
		if j.ApplicationID == 0 {
			byID[j.ID] = j
			continue
		}
		r := &rows[index[j.ApplicationID]]
		r.Jobs = append(r.Jobs, j)
	}
	for i := range rows {
		if id := rows[i].HiredJobID; id != nil {
			if j, ok := byID[*id]; ok {
				rows[i].HiredJob = &j
			}
		}
	}
	return rows, nil
}
