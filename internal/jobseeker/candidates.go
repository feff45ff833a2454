package jobseeker

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/platform/actor"
)

// CandidatesPageSize is the number of job seekers per page of « Mes candidats ».
const CandidatesPageSize = 20

// Candidate is a row of « Mes candidats ».
type Candidate struct {
	JobSeeker
	LastAction   AssignmentKind
	LastActionAt time.Time
}

// CandidatesPage is one page of « Mes candidats ».
type CandidatesPage struct {
	Scope Scope
	Rows  []Candidate
	Total int
	Page  int
	Pages int
}

// assignmentRow is a job seeker of the list with its most recent assignment.
type assignmentRow struct {
	JobSeekerID int64     `bun:"job_seeker_id"`
	LastAt      time.Time `bun:"last_at"`
}

// MyCandidates lists the job seekers the actor (ScopeMine: themself, for their current
// organization) or their organization (ScopeOrganization) follows, most recent action first
// (actors.md §2.3, §9): three queries whatever the page size.
func (s *Service) MyCandidates(ctx context.Context, a actor.Actor, scope Scope, page int) (*CandidatesPage, error) {
	role, err := roleOf(ctx, s.db, a)
	if err != nil {
		return nil, err
	}
	if !CanList(role, scope) {
		return nil, ErrForbidden
	}
	col, orgID := orgColumn(a)
	if col == "" {
		return nil, ErrForbidden
	}
	filter := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("? = ?", bun.Ident(col), orgID)
		if scope == ScopeMine {
			q = q.Where("professional_id = ?", a.UserID)
		}
		return q
	}
	var total int
	if err := filter(s.db.NewSelect().Table("job_seeker_assignment").ColumnExpr("COUNT(DISTINCT job_seeker_id)")).Scan(ctx, &total); err != nil {
		return nil, fmt.Errorf("jobseeker: count candidates: %w", err)
	}
	pages := max(1, (total+CandidatesPageSize-1)/CandidatesPageSize)
	page = min(max(page, 1), pages)
	out := &CandidatesPage{Scope: scope, Total: total, Page: page, Pages: pages}
	var rows []assignmentRow
	err = filter(s.db.NewSelect().Table("job_seeker_assignment").Column("job_seeker_id").ColumnExpr("MAX(updated_at) AS last_at")).
		GroupExpr("job_seeker_id").OrderExpr("last_at DESC, job_seeker_id DESC").
		Limit(CandidatesPageSize).Offset(int64((page-1)*CandidatesPageSize)).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("jobseeker: list candidates: %w", err)
	}
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.JobSeekerID
	}
	var users []account.User
	if err := s.db.NewSelect().Model(&users).Where("id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("jobseeker: candidates' accounts: %w", err)
	}
	var profiles []Profile
	if err := s.db.NewSelect().Model(&profiles).Where("p.user_id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("jobseeker: candidates' profiles: %w", err)
	}
	var kinds []struct {
		JobSeekerID int64          `bun:"job_seeker_id"`
		Kind        AssignmentKind `bun:"last_action_kind"`
		UpdatedAt   time.Time      `bun:"updated_at"`
	}
	err = filter(s.db.NewSelect().Table("job_seeker_assignment").Column("job_seeker_id", "last_action_kind", "updated_at")).
		Where("job_seeker_id IN (?)", bun.List(ids)).Scan(ctx, &kinds)
	if err != nil {
		return nil, fmt.Errorf("jobseeker: candidates' last actions: %w", err)
	}
	byUser := map[int64]*account.User{}
	for i := range users {
		byUser[users[i].ID] = &users[i]
	}
	byProfile := map[int64]Profile{}
	for _, p := range profiles {
		byProfile[p.UserID] = p
	}
	last := map[int64]AssignmentKind{}
	lastAt := map[int64]time.Time{}
	for _, k := range kinds {
		if k.UpdatedAt.After(lastAt[k.JobSeekerID]) || last[k.JobSeekerID] == "" {
			last[k.JobSeekerID], lastAt[k.JobSeekerID] = k.Kind, k.UpdatedAt
		}
	}
	for _, r := range rows {
		u := byUser[r.JobSeekerID]
		if u == nil {
			continue
		}
		p, ok := byProfile[u.ID]
		if !ok {
			p = Profile{UserID: u.ID, HasRSAAllocation: RSANo}
		}
		rel := Relation{CreatedByViewer: u.CreatedByID != nil && *u.CreatedByID == a.UserID, Followed: true}
		out.Rows = append(out.Rows, Candidate{
			JobSeeker:  JobSeeker{User: u, Profile: p, PersonalData: CanSeePersonalData(role, rel), CreatedByViewer: rel.CreatedByViewer},
			LastAction: last[u.ID], LastActionAt: lastAt[u.ID],
		})
	}
	return out, nil
}
