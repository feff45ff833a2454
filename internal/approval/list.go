package approval

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/localtime"
	"emplois/internal/platform/searchtext"
)

// ExpiringMonths is the horizon of the « expire dans moins de 3 mois » filter.
const ExpiringMonths = 3

// ListFilter narrows the employer's PASS list.
type ListFilter struct {
	// State is one of the four states, "" for all.
	State State
	// Expiring keeps the PASS not expired that end within ExpiringMonths.
	Expiring bool
	// Name is the start of the holder's first or last name.
	Name string
}

// ListItem is one PASS of the employer's list.
type ListItem struct {
	*Approval
	FirstName string `bun:"first_name"`
	LastName  string `bun:"last_name"`
}

// ListPage is one page of the list, the PASS with their suspensions.
type ListPage struct {
	Items []*ListItem
	Total int
	Today time.Time
}

// State and Remainder of an item on the page's day.
func (p *ListPage) State(it *ListItem) State   { return it.Approval.State(p.Today) }
func (p *ListPage) Remainder(it *ListItem) int { return it.Approval.Remainder(p.Today) }

// listRow is what the page query reads: a PASS and its holder's names.
type listRow struct {
	Approval  `bun:",extend"`
	FirstName string `bun:"first_name"`
	LastName  string `bun:"last_name"`
}

// EmployerList is the PASS of the people the actor's SIAE hired (an accepted candidature linked
// to the PASS), the latest hire first, one page of size: four queries whatever the size (the
// count, the page's PASS ids, the PASS with their holders' names, their suspensions). A big
// SIAE has thousands of PASS: the page is chosen on the hires' index alone (migration 00026),
// the PASS and their holders joined only when a filter asks. Anyone not acting for an SIAE is
// forbidden.
func (s *Service) EmployerList(ctx context.Context, a actor.Actor, f ListFilter, page, size int) (*ListPage, error) {
	if !isSIAE(a) {
		return nil, ErrSIAEOnly
	}
	company, _ := companyOf(a)
	today := s.today()
	hires := func() *bun.SelectQuery {
		q := s.db.NewSelect().TableExpr("job_application AS ja").
			Where("ja.to_company_id = ? AND ja.state = 'accepted' AND ja.approval_id IS NOT NULL", company)
		if f != (ListFilter{}) {
			q = q.Join("JOIN approval ON approval.id = ja.approval_id")
		}
		if f.Name != "" {
			q = q.Join("JOIN users AS u ON u.id = approval.user_id")
		}
		return filter(q, f, today)
	}
	var total int
	if err := hires().ColumnExpr("COUNT(DISTINCT ja.approval_id)").Scan(ctx, &total); err != nil {
		return nil, fmt.Errorf("approval: list count: %w", err)
	}
	var ids []int64
	err := hires().ColumnExpr("ja.approval_id").GroupExpr("ja.approval_id").
		OrderExpr("MAX(ja.hiring_start_at) DESC, ja.approval_id DESC").
		Limit(int64(size)).Offset(int64((max(page, 1)-1)*size)).Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("approval: list: %w", err)
	}
	p := &ListPage{Total: total, Today: today}
	if len(ids) == 0 {
		return p, nil
	}
	var rows []*listRow
	err = s.db.NewSelect().Model(&rows).ColumnExpr("approval.*, u.first_name, u.last_name").
		Join("JOIN users AS u ON u.id = approval.user_id").Where("approval.id IN (?)", bun.List(ids)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("approval: list PASS: %w", err)
	}
	byID := make(map[int64]*ListItem, len(rows))
	for _, r := range rows {
		ap := r.Approval
		byID[ap.ID] = &ListItem{Approval: &ap, FirstName: r.FirstName, LastName: r.LastName}
	}
	for _, id := range ids {
		if it := byID[id]; it != nil {
			p.Items = append(p.Items, it)
		}
	}
	var suspensions []*Suspension
	if err := s.db.NewSelect().Model(&suspensions).Where("approval_id IN (?)", bun.List(ids)).Order("start_at").Scan(ctx); err != nil {
		return nil, fmt.Errorf("approval: list suspensions: %w", err)
	}
	for _, su := range suspensions {
		it := byID[su.ApprovalID]
		it.Suspensions = append(it.Suspensions, su)
	}
	return p, nil
}

// filter adds the list's filters; a suspension covering today decides valid versus suspended,
// as StateOn does.
func filter(q *bun.SelectQuery, f ListFilter, today time.Time) *bun.SelectQuery {
	const suspendedToday = "EXISTS (SELECT 1 FROM suspension AS su WHERE su.approval_id = approval.id AND su.start_at <= ? AND su.end_at >= ?)"
	switch f.State {
	case StateExpired:
		q = q.Where("approval.end_at < ?", today)
	case StateSuspended:
		q = q.Where("approval.end_at >= ?", today).Where(suspendedToday, today, today)
	case StateValid:
		q = q.Where("approval.start_at <= ? AND approval.end_at >= ?", today, today).Where("NOT "+suspendedToday, today, today)
	case StateFuture:
		q = q.Where("approval.start_at > ?", today).Where("NOT "+suspendedToday, today, today)
	}
	if f.Expiring {
		q = q.Where("approval.end_at >= ? AND approval.end_at < ?", today, localtime.AddMonths(today, ExpiringMonths))
	}
	if name := searchtext.Normalize(f.Name); name != "" {
		p := name + "%"
		q = q.Where("("+db.FoldFunction+"(u.last_name) LIKE ? OR "+db.FoldFunction+"(u.first_name) LIKE ?)", p, p)
	}
	return q
}
