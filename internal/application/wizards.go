package application

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/approval"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/fault"
)

// RefusalItem is a candidature the refusal wizard will refuse.
type RefusalItem struct {
	PublicID      string
	JobSeekerName string
	SenderKind    SenderKind
}

// RefusalBatch is what the refusal wizard shows (§3.6): the candidatures still refusable, the
// French reasons the others were dropped for, the reasons offered to the company's kind, and
// whether the message to the prescriber is asked.
type RefusalBatch struct {
	Company      *org.Company
	Items        []RefusalItem
	Dropped      []string
	Reasons      []RefusalReason
	ToPrescriber bool
}

// IDs are the public ids of the items.
func (b *RefusalBatch) IDs() []string {
	out := make([]string, len(b.Items))
	for i, it := range b.Items {
		out[i] = it.PublicID
	}
	return out
}

// RefusalChoices prepares the refusal of candidatures of the company the actor acts for (§3.6,
// §3.8): those it did not receive are reported as gone, those not refusable now with the state
// they are in. It costs two queries whatever the number of candidatures.
func (s *Service) RefusalChoices(ctx context.Context, a actor.Actor, publicIDs []string) (*RefusalBatch, error) {
	coID := companyOf(a)
	if coID == 0 || a.Kind != actor.Professional {
		return nil, ErrForbidden
	}
	co, err := companyByID(ctx, s.db, coID)
	if err != nil {
		return nil, err
	}
	valid := make([]string, 0, len(publicIDs))
	for _, id := range publicIDs {
		if _, err := uuid.Parse(id); err == nil {
			valid = append(valid, id)
		}
	}
	var rows []struct {
		PublicID    string     `bun:"public_id"`
		ToCompanyID int64      `bun:"to_company_id"`
		State       State      `bun:"state"`
		CreatedAt   time.Time  `bun:"created_at"`
		SenderKind  SenderKind `bun:"sender_kind"`
		FirstName   string     `bun:"first_name"`
		LastName    string     `bun:"last_name"`
	}
	if len(valid) > 0 {
		err = s.db.NewSelect().TableExpr("job_application AS ja").
			ColumnExpr("ja.public_id, ja.to_company_id, ja.state, ja.created_at, ja.sender_kind, u.first_name, u.last_name").
			Join("JOIN users AS u ON u.id = ja.job_seeker_id").
			Where("ja.public_id IN (?)", bun.List(valid)).Scan(ctx, &rows)
		if err != nil {
			return nil, fmt.Errorf("application: refusal choices: %w", err)
		}
	}
	byID := map[string]int{}
	for i, r := range rows {
		byID[r.PublicID] = i
	}
	b := &RefusalBatch{Company: co, Reasons: OfferedRefusalReasons(co.Kind)}
	seen := map[string]bool{}
	now := s.now()
	for _, id := range publicIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		i, ok := byID[id]
		if !ok || rows[i].ToCompanyID != coID || !VisibleToEmployer(rows[i].State, rows[i].CreatedAt, now) {
			b.Dropped = append(b.Dropped, ErrNotReceived.Error())
			continue
		}
		r := rows[i]
		name := joinName(r.FirstName, r.LastName)
		if !CanFire(TRefuse, r.State) {
			b.Dropped = append(b.Dropped, name+" : "+stateConflict(TRefuse, r.State).Error())
			continue
		}
		b.Items = append(b.Items, RefusalItem{PublicID: id, JobSeekerName: name, SenderKind: r.SenderKind})
		if r.SenderKind == SenderPrescriber {
			b.ToPrescriber = true
		}
	}
	return b, nil
}

// HiringChoices is what the acceptance wizard offers (§3.5-3): the fiches de poste of the
// company, open ones first, and what the company's kind asks.
type HiringChoices struct {
	Company       *org.Company
	JobSeekerName string
	Open, Closed  []*jobdesc.JobDescription
	// Labels are the fiches' names by uid (custom name, else the ROME appellation).
	Labels map[string]string
	// Today is the service's day, from which the contract dates are checked.
	Today time.Time
	// Advisors are the company's active members, by name: who will follow the job seeker
	// (§3.5-3, the assignment of §2.2 step 4).
	Advisors []Advisor
	// NeedsDiagnosis: an SIAE hiring a person with neither a diagnosis it may use nor a valid
	// PASS IAE must make its own first (approvals.md §2.2, §3.5-4).
	NeedsDiagnosis bool
	// PASS is the valid PASS IAE the hire will reuse (its end bounds the contract's start).
	PASS *approval.Approval
}

// AdvisorID is the member of this public id, 0 for "" (the accepting user); an unknown one is
// refused on the field "advisor".
func (h *HiringChoices) AdvisorID(publicID string) (int64, error) {
	if publicID == "" {
		return 0, nil
	}
	for _, a := range h.Advisors {
		if a.PublicID == publicID {
			return a.id, nil
		}
	}
	return 0, fault.InvalidField("advisor", "Choisissez un membre de votre structure.")
}

// Check checks the contract step before the confirmation (§3.5-3): the dates (R12), the GEIQ
// contract fields, and the hired fiche, one of the company's, required for a GEIQ. Accept checks
// them again in its transaction.
func (h *HiringChoices) Check(in AcceptInput) fault.Fields {
	errs := CheckHiringDates(h.Company.Kind, in.HiringStartAt, in.HiringEndAt, h.Today)
	_, cerrs := CheckGEIQContract(h.Company.Kind, in.GEIQ)
	errs = append(errs, cerrs...)
	switch _, known := h.Labels[in.HiredJobUID]; {
	case in.HiredJobUID != "" && !known:
		errs.Add("hired_job", msgUnknownJob)
	case in.HiredJobUID == "" && in.NewJobAppellation == "" && h.IsGEIQ():
		errs.Add("hired_job", msgStartRequired)
	}
	return errs
}

// IsGEIQ reports whether the GEIQ contract fields and the hired fiche are asked.
func (h *HiringChoices) IsGEIQ() bool { return h.Company.Kind == org.GEIQ }

// HiringChoices opens the acceptance wizard: the candidature must be acceptable now by the actor
// acting for its company (§3.5: the current company only), or by staff.
func (s *Service) HiringChoices(ctx context.Context, a actor.Actor, publicID string) (*HiringChoices, error) {
	app, err := s.byPublicID(ctx, s.db, publicID, false)
	if err != nil {
		return nil, err
	}
	t, _ := TransitionByName(TAccept)
	if err := s.mayAct(ctx, s.db, a, app, t, needs{currentCompany: true}); err != nil {
		return nil, err
	}
	if !t.Allows(app.State) {
		return nil, stateConflict(TAccept, app.State)
	}
	company, err := companyByID(ctx, s.db, app.ToCompanyID)
	if err != nil {
		return nil, err
	}
	js, err := personByID(ctx, s.db, app.JobSeekerID)
	if err != nil {
		return nil, err
	}
	h, err := s.hiringChoices(ctx, company, js)
	if err != nil {
		return nil, err
	}
	return h, s.hiringEligibility(ctx, h, js.ID, app.SenderPrescriberOrganizationID)
}

// hiringChoices loads the contract step's choices of a hire of js in company: its members and
// its fiches de poste.
func (s *Service) hiringChoices(ctx context.Context, company *org.Company, js *person) (*HiringChoices, error) {
	h := &HiringChoices{Company: company, JobSeekerName: js.FullName(), Labels: map[string]string{}, Today: s.now()}
	members, err := companyMembers(ctx, s.db, company.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		h.Advisors = append(h.Advisors, Advisor{id: m.ID, PublicID: m.PublicID, Name: m.FullName()})
	}
	slices.SortFunc(h.Advisors, func(a, b Advisor) int { return strings.Compare(a.Name, b.Name) })
	var rows []struct {
		jobdesc.JobDescription
		Label *string `bun:"label"`
	}
	err = s.db.NewSelect().Model((*jobdesc.JobDescription)(nil)).ColumnExpr("jd.*, ra.label").
		Join("LEFT JOIN rome_appellation AS ra ON ra.code = jd.appellation_code").
		Where("jd.company_id = ?", company.ID).OrderExpr("jd.ui_rank, jd.id").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("application: fiches of %d: %w", company.ID, err)
	}
	for i := range rows {
		jd := &rows[i].JobDescription
		label := jd.CustomName
		if label == "" && rows[i].Label != nil {
			label = *rows[i].Label
		}
		if label == "" {
			label = jd.AppellationCode
		}
		h.Labels[jd.UID] = label
		if jd.IsActive {
			h.Open = append(h.Open, jd)
		} else {
			h.Closed = append(h.Closed, jd)
		}
	}
	return h, nil
}
