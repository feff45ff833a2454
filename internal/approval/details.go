package approval

import (
	"context"
	"fmt"
	"time"

	"emplois/internal/platform/actor"
)

// Holder is the job seeker a PASS belongs to, as its pages show them.
type Holder struct {
	PublicID        string     `bun:"public_id"`
	FirstName       string     `bun:"first_name"`
	LastName        string     `bun:"last_name"`
	Birthdate       *time.Time `bun:"birthdate"`
	FranceTravailID *string    `bun:"pole_emploi_id"`
}

// FullName is « Prénom Nom ».
func (h Holder) FullName() string { return h.FirstName + " " + h.LastName }

// Contract is a hire made with a PASS (the contracts tab, §2.14).
type Contract struct {
	ApplicationPublicID string     `bun:"public_id"`
	CompanyID           int64      `bun:"to_company_id"`
	CompanyName         string     `bun:"company_name"`
	CompanyKind         string     `bun:"company_kind"`
	State               string     `bun:"state"`
	HiringStartAt       *time.Time `bun:"hiring_start_at"`
	HiringEndAt         *time.Time `bun:"hiring_end_at"`
}

// Details is the PASS detail page's content (§2.14).
type Details struct {
	*Approval
	Holder Holder
	Today  time.Time
	// Contracts are the hires made with the PASS, when the actor may see them: habilitated
	// prescribers, employers and staff (§2.14); nil otherwise.
	Contracts     []Contract
	ShowContracts bool
	// MayCertify: the actor's SIAE accepted a candidature with this PASS (§2.14, §4, §7).
	MayCertify bool
}

// Details returns a PASS with its holder and, for those who may see them, its contracts, to
// whoever may see the PASS (View).
func (s *Service) Details(ctx context.Context, a actor.Actor, publicID string) (*Details, error) {
	ap, err := s.View(ctx, a, publicID)
	if err != nil {
		return nil, err
	}
	d := &Details{Approval: ap, Today: s.today()}
	if d.Holder, err = holderOf(ctx, s, ap.UserID); err != nil {
		return nil, err
	}
	d.ShowContracts = a.IsStaff() || (a.Kind == actor.Professional && a.Organization != nil)
	if !d.ShowContracts {
		return d, nil
	}
	err = s.db.NewSelect().TableExpr("job_application AS ja").
		ColumnExpr("ja.public_id, ja.to_company_id, ja.state, ja.hiring_start_at, ja.hiring_end_at").
		ColumnExpr("CASE WHEN c.brand <> '' THEN c.brand ELSE c.name END AS company_name, c.kind AS company_kind").
		Join("JOIN company AS c ON c.id = ja.to_company_id").
		Where("ja.approval_id = ?", ap.ID).OrderExpr("ja.hiring_start_at DESC, ja.id DESC").Scan(ctx, &d.Contracts)
	if err != nil {
		return nil, fmt.Errorf("approval: contracts of %s: %w", publicID, err)
	}
	company, kind := companyOf(a)
	for _, c := range d.Contracts {
		if kind.IsSIAE() && c.CompanyID == company && c.State == "accepted" {
			d.MayCertify = true
		}
	}
	return d, nil
}

func holderOf(ctx context.Context, s *Service, userID int64) (Holder, error) {
	var h Holder
	err := s.db.NewSelect().TableExpr("users AS u").
		ColumnExpr("u.public_id, u.first_name, u.last_name, p.birthdate, p.pole_emploi_id").
		Join("LEFT JOIN job_seeker_profile AS p ON p.user_id = u.id").Where("u.id = ?", userID).Scan(ctx, &h)
	if err != nil {
		return h, fmt.Errorf("approval: holder %d: %w", userID, err)
	}
	return h, nil
}

// State, Remainder and EstimatedEnd on the page's day.
func (d *Details) State() State             { return d.Approval.State(d.Today) }
func (d *Details) Remainder() int           { return d.Approval.Remainder(d.Today) }
func (d *Details) EstimatedEnd() time.Time  { return d.Approval.EstimatedEnd(d.Today) }
func (d *Details) RemainderDisplay() string { return RemainderDisplay(d.Remainder()) }

// OpenRequests are the prolongation requests not granted: a granted one shows as its
// prolongation (§3.2).
func (d *Details) OpenRequests() []*ProlongationRequest {
	var rs []*ProlongationRequest
	for _, r := range d.Requests {
		if r.Status != RequestGranted {
			rs = append(rs, r)
		}
	}
	return rs
}

// isSIAE reports whether the actor acts for an SIAE.
func isSIAE(a actor.Actor) bool {
	_, kind := companyOf(a)
	return kind.IsSIAE()
}

// Label is the French name of the origin (§1.6).
func (o Origin) Label() string {
	switch o {
	case OriginDefault:
		return "Créé normalement via les emplois"
	case OriginPEApproval:
		return "Créé lors d'un import d'Agrément Pole Emploi"
	case OriginAIStock:
		return "Créé lors de l'import du stock AI"
	case OriginAdmin:
		return "Créé depuis l'admin"
	}
	return string(o)
}

// Own is the job seeker's PASS to show on their dashboard, with its suspensions: the newest
// valid one, else the one that ended last (§2.7's « latest approval », the waiting period
// aside: the holder still sees an old PASS); nil when they have none or the actor is not a job
// seeker.
func (s *Service) Own(ctx context.Context, a actor.Actor) (*Approval, error) {
	if a.Kind != actor.JobSeeker || a.UserID == 0 {
		return nil, nil
	}
	today := s.today()
	var ids []int64
	err := s.db.NewSelect().Table("approval").Column("id").Where("user_id = ?", a.UserID).
		OrderExpr("CASE WHEN end_at >= ? THEN 0 ELSE 1 END, CASE WHEN end_at >= ? THEN created_at END DESC, end_at DESC, start_at", today, today).
		Limit(1).Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("approval: own PASS: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return load(ctx, s.db, "id = ?", ids[0])
}
