package approval

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
)

// Messages about the habilitated prescriber of a request.
const (
	msgPrescriberUnknown = "Cette adresse e-mail n'est pas celle d'un prescripteur habilité."
	msgPrescriberOrg     = "Choisissez l'organisation habilitée du prescripteur."
)

// Declared is what a declaration made: a Prolongation for the direct reasons, a Request for
// those a habilitated prescriber grants.
type Declared struct {
	Prolongation *Prolongation
	Request      *ProlongationRequest
}

// openToProlongation is can_be_prolonged (§2.11): in the window, the user's latest PASS, not
// suspended, no pending request.
func openToProlongation(ctx context.Context, tx bun.IDB, ap *Approval, today time.Time) error {
	switch {
	case today.Before(localtime.AddMonths(ap.EndAt, -windowMonthsBefore)):
		return ErrTooEarly
	case !OpenToProlongation(ap.EndAt, today):
		return ErrTooLate
	case ap.State(today) == StateSuspended:
		return ErrSuspended
	case ap.PendingRequest() != nil:
		return ErrRequestPending
	}
	var theirs []*Approval
	if err := tx.NewSelect().Model(&theirs).Where("user_id = ?", ap.UserID).Scan(ctx); err != nil {
		return fmt.Errorf("approval: prolong %s: %w", ap.PublicID, err)
	}
	if latest := Latest(theirs, today); latest == nil || latest.ID != ap.ID {
		return ErrNotLatest
	}
	return nil
}

// prolonger checks that the actor's company may declare a prolongation of the PASS: an SIAE
// with an accepted candidature linked to it (§2.11), else not found.
func prolonger(ctx context.Context, tx bun.IDB, a actor.Actor, ap *Approval) (int64, org.CompanyKind, error) {
	company, kind := companyOf(a)
	if company == 0 || !kind.IsSIAE() {
		return 0, "", ErrNotFound
	}
	ok, err := hiredWith(ctx, tx, ap.ID, company)
	if err != nil {
		return 0, "", fmt.Errorf("approval: prolong %s: %w", ap.PublicID, err)
	}
	if !ok {
		return 0, "", ErrNotFound
	}
	return company, kind, nil
}

// MayProlong tells a page whether the actor may declare a prolongation now: nil, or the
// refusal Prolong would give before reading the form (too early, pending request, expired...).
func (s *Service) MayProlong(ctx context.Context, a actor.Actor, publicID string) error {
	ap, err := load(ctx, s.db, "public_id = ?", publicID)
	if err != nil {
		return err
	}
	if _, _, err := prolonger(ctx, s.db, a, ap); err != nil {
		return err
	}
	return openToProlongation(ctx, s.db, ap, s.today())
}

// declaration is a declaration that passed every rule: the declaring company and, for a
// request, the habilitated prescriber and organization it goes to.
type declaration struct {
	company         int64
	assignee, orgID int64
}

// checkDeclaration runs every rule of a declaration of the PASS ap by the actor, writing
// nothing: the preview and the save both ask it (§2.11). It normalizes in.
func (s *Service) checkDeclaration(ctx context.Context, idb bun.IDB, a actor.Actor, ap *Approval, in *ProlongationInput) (declaration, error) {
	var d declaration
	company, kind, err := prolonger(ctx, idb, a, ap)
	if err != nil {
		return d, err
	}
	if err := openToProlongation(ctx, idb, ap, s.today()); err != nil {
		return d, err
	}
	in.EndAt = day(in.EndAt)
	in.ContactEmail = strings.TrimSpace(in.ContactEmail)
	if err := CheckProlongation(*in, kind, ap.EndAt, ap.prolongedDays()); err != nil {
		return d, err
	}
	d.company = company
	if in.Reason.NeedsPrescriber() {
		if d.assignee, d.orgID, err = habilitatedPrescriber(ctx, idb, in.PrescriberEmail, in.PrescriberOrganizationID); err != nil {
			return d, err
		}
	}
	return d, nil
}

// Prolong declares a prolongation for the actor's SIAE, which hired with the PASS: at once
// for SENIOR_CDI and COMPLETE_TRAINING, as a PENDING request to a habilitated prescriber for
// the others (§2.11, scenarios 15–16).
func (s *Service) Prolong(ctx context.Context, a actor.Actor, publicID string, in ProlongationInput) (Declared, error) {
	var out Declared
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		out, err = s.prolongIn(ctx, tx, a, publicID, in)
		return err
	})
	return out, err
}

// prolongIn is Prolong in the caller's transaction.
func (s *Service) prolongIn(ctx context.Context, tx bun.IDB, a actor.Actor, publicID string, in ProlongationInput) (Declared, error) {
	var out Declared
	ap, err := lock(ctx, tx, "public_id = ?", publicID)
	if err != nil {
		return out, err
	}
	d, err := s.checkDeclaration(ctx, tx, a, ap, &in)
	if err != nil {
		return out, err
	}
	now := s.now()
	fields := prolongationFields{ApprovalID: ap.ID, StartAt: ap.EndAt, EndAt: in.EndAt, Reason: in.Reason,
		ReasonExplanation: in.ReasonExplanation, DeclaredByID: userID(a), DeclaredByCompanyID: &d.company,
		ReportFileKey: in.ReportFileKey, RequirePhoneInterview: in.RequirePhoneInterview,
		ContactEmail: in.ContactEmail, ContactPhone: in.ContactPhone,
		CreatedByID: userID(a), UpdatedByID: userID(a), CreatedAt: now, UpdatedAt: now}
	if in.Reason.NeedsPrescriber() {
		fields.PrescriberOrganizationID = &d.orgID
		out.Request = &ProlongationRequest{prolongationFields: fields, Status: RequestPending, AssignedToID: &d.assignee}
		if _, err := tx.NewInsert().Model(out.Request).Exec(ctx); err != nil {
			return out, fmt.Errorf("approval: request a prolongation of %s: %w", publicID, err)
		}
		if err := s.mailRequested(ctx, tx, ap, out.Request); err != nil {
			return out, err
		}
		return out, audit.Record(ctx, tx, a, ActionProlongationAsked, object(ap), map[string]any{"reason": string(in.Reason), "request": out.Request.ID})
	}
	out.Prolongation = &Prolongation{prolongationFields: fields}
	if err := s.addProlongation(ctx, tx, ap, out.Prolongation); err != nil {
		return out, err
	}
	return out, audit.Record(ctx, tx, a, ActionProlonged, object(ap), map[string]any{"reason": string(in.Reason), "days": out.Prolongation.Days()})
}

// addProlongation stores a prolongation that overlaps none of the PASS's (edge case 29) and
// moves the PASS end by its duration.
func (s *Service) addProlongation(ctx context.Context, tx bun.IDB, ap *Approval, p *Prolongation) error {
	for _, other := range ap.Prolongations {
		if halfOpenOverlap(other.Dates(), p.Dates()) {
			return fault.Conflict(msgProlongationOverlap)
		}
	}
	if _, err := tx.NewInsert().Model(p).Exec(ctx); err != nil {
		return fmt.Errorf("approval: prolong %s: %w", ap.PublicID, err)
	}
	ap.Prolongations = append(ap.Prolongations, p)
	return s.shiftEnd(ctx, tx, ap, p.Days())
}

// habilitatedPrescriber finds the user of email with an active membership of a VALIDATED
// prescriber organization; orgID chooses among several (§2.11).
func habilitatedPrescriber(ctx context.Context, tx bun.IDB, email string, orgID int64) (int64, int64, error) {
	var rows []struct {
		UserID int64 `bun:"user_id"`
		OrgID  int64 `bun:"organization_id"`
	}
	err := tx.NewSelect().TableExpr("users AS u").ColumnExpr("u.id AS user_id, m.organization_id").
		Join("JOIN prescriber_membership AS m ON m.user_id = u.id AND m.is_active").
		Join("JOIN prescriber_organization AS o ON o.id = m.organization_id AND o.authorization_status = 'VALIDATED'").
		Where("u.email = ? AND u.is_active AND u.kind = 'professional'", strings.ToLower(strings.TrimSpace(email))).
		OrderExpr("m.organization_id").Scan(ctx, &rows)
	if err != nil {
		return 0, 0, fmt.Errorf("approval: find the prescriber: %w", err)
	}
	if len(rows) == 0 {
		return 0, 0, fault.InvalidField("prescriber_email", msgPrescriberUnknown)
	}
	if len(rows) == 1 && (orgID == 0 || orgID == rows[0].OrgID) {
		return rows[0].UserID, rows[0].OrgID, nil
	}
	for _, r := range rows {
		if r.OrgID == orgID {
			return r.UserID, r.OrgID, nil
		}
	}
	return 0, 0, fault.InvalidField("prescriber_organization", msgPrescriberOrg)
}

// processRequest locks the PASS of a request and checks that the actor may process it now: a
// member of the request's organization, which is still habilitated (§2.11, §7).
func (s *Service) processRequest(ctx context.Context, tx bun.IDB, a actor.Actor, requestID int64) (*Approval, *ProlongationRequest, error) {
	var approvalID int64
	err := tx.NewSelect().Table("prolongation_request").Column("approval_id").Where("id = ?", requestID).Scan(ctx, &approvalID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrRequestNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("approval: request %d: %w", requestID, err)
	}
	ap, err := lock(ctx, tx, "id = ?", approvalID)
	if err != nil {
		return nil, nil, err
	}
	var req *ProlongationRequest
	for _, r := range ap.Requests {
		if r.ID == requestID {
			req = r
		}
	}
	if req == nil || a.Kind != actor.Professional || a.Organization == nil || a.Organization.Type != "prescriber" ||
		req.PrescriberOrganizationID == nil || *req.PrescriberOrganizationID != a.Organization.ID {
		return nil, nil, ErrRequestNotFound
	}
	member, err := habilitatedMember(ctx, tx, a)
	if err != nil {
		return nil, nil, err
	}
	if !member {
		return nil, nil, ErrNotHabilitated
	}
	switch req.Status {
	case RequestGranted:
		return nil, nil, ErrRequestGranted
	case RequestDenied:
		return nil, nil, ErrRequestDenied
	}
	return ap, req, nil
}

// finishRequest records the decision on a request.
func (s *Service) finishRequest(ctx context.Context, tx bun.IDB, a actor.Actor, req *ProlongationRequest, status RequestStatus) error {
	now := s.now()
	req.Status, req.ProcessedAt, req.ProcessedByID, req.UpdatedByID, req.UpdatedAt = status, &now, userID(a), userID(a), now
	_, err := tx.NewUpdate().Model(req).Column("status", "processed_at", "processed_by_id", "updated_by_id", "updated_at").WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("approval: request %d: %w", req.ID, err)
	}
	return nil
}

// Grant accepts a PENDING request: the request becomes GRANTED and its Prolongation, validated
// by the actor, moves the PASS end, in one transaction; an overlap leaves it PENDING (§3.2).
func (s *Service) Grant(ctx context.Context, a actor.Actor, requestID int64) (*Prolongation, error) {
	var p *Prolongation
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		ap, req, err := s.processRequest(ctx, tx, a, requestID)
		if err != nil {
			return err
		}
		if err := s.finishRequest(ctx, tx, a, req, RequestGranted); err != nil {
			return err
		}
		fields := req.prolongationFields
		fields.ID, fields.CreatedAt, fields.UpdatedAt, fields.UpdatedByID = 0, s.now(), s.now(), userID(a)
		p = &Prolongation{prolongationFields: fields, RequestID: &req.ID, ValidatedByID: userID(a)}
		if err := s.addProlongation(ctx, tx, ap, p); err != nil {
			return err
		}
		if err := s.mailDecided(ctx, tx, ap, req, nil); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, ActionProlongationGranted, object(ap), map[string]any{"request": req.ID, "days": p.Days()})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// denyInformation is the refusal's details (§1.9).
type denyInformation struct {
	bun.BaseModel `bun:"table:prolongation_request_deny_information"`

	ID                         int64      `bun:"id,pk,autoincrement"`
	RequestID                  int64      `bun:"request_id,notnull"`
	Reason                     DenyReason `bun:"reason,notnull"`
	ReasonExplanation          string     `bun:"reason_explanation,notnull"`
	ProposedActions            *string    `bun:"proposed_actions"`
	ProposedActionsExplanation string     `bun:"proposed_actions_explanation,notnull"`
}

// Deny refuses a PENDING request with its reason (§2.11, scenario 19).
func (s *Service) Deny(ctx context.Context, a actor.Actor, requestID int64, in DenyInput) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		ap, req, err := s.processRequest(ctx, tx, a, requestID)
		if err != nil {
			return err
		}
		if err := CheckDeny(in); err != nil {
			return err
		}
		if err := s.finishRequest(ctx, tx, a, req, RequestDenied); err != nil {
			return err
		}
		info := &denyInformation{RequestID: req.ID, Reason: in.Reason, ReasonExplanation: in.ReasonExplanation,
			ProposedActionsExplanation: in.ProposedActionsExplanation}
		if len(in.ProposedActions) > 0 {
			b, err := json.Marshal(in.ProposedActions)
			if err != nil {
				return err
			}
			actions := string(b)
			info.ProposedActions = &actions
		}
		if _, err := tx.NewInsert().Model(info).Exec(ctx); err != nil {
			return fmt.Errorf("approval: deny request %d: %w", req.ID, err)
		}
		if err := s.mailDecided(ctx, tx, ap, req, &in); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, ActionProlongationDenied, object(ap), map[string]any{"request": req.ID, "reason": string(in.Reason)})
	})
}

// msgNotLastProlongation: only the last prolongation changes, so that the chain stays whole.
const msgNotLastProlongation = "Seule la dernière prolongation de ce PASS IAE peut être modifiée."

// EditProlongation changes the end date and explanation of the PASS's last prolongation, for
// an SIAE that hired with the PASS. The start is not checked again (edge case 19); the limits
// count the other prolongations, so that shortening one frees room (edge case 27).
func (s *Service) EditProlongation(ctx context.Context, a actor.Actor, publicID string, prolongationID int64, endAt time.Time, explanation string) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		ap, err := lock(ctx, tx, "public_id = ?", publicID)
		if err != nil {
			return err
		}
		_, kind, err := prolonger(ctx, tx, a, ap)
		if err != nil {
			return err
		}
		n := len(ap.Prolongations)
		if n == 0 || ap.Prolongations[n-1].ID != prolongationID {
			for _, p := range ap.Prolongations {
				if p.ID == prolongationID {
					return fault.Conflict(msgNotLastProlongation)
				}
			}
			return ErrNotFound
		}
		p := ap.Prolongations[n-1]
		in := ProlongationInput{EndAt: day(endAt), Reason: p.Reason, ReasonExplanation: explanation, ReportFileKey: p.ReportFileKey,
			RequirePhoneInterview: p.RequirePhoneInterview, ContactEmail: p.ContactEmail, ContactPhone: p.ContactPhone}
		if err := CheckProlongation(in, kind, p.StartAt, ap.prolongedDays()-p.Days()); err != nil {
			return err
		}
		before := p.Days()
		p.EndAt, p.ReasonExplanation, p.UpdatedByID, p.UpdatedAt = in.EndAt, explanation, userID(a), s.now()
		if _, err := tx.NewUpdate().Model(p).Column("end_at", "reason_explanation", "updated_by_id", "updated_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("approval: edit a prolongation of %s: %w", publicID, err)
		}
		if err := s.shiftEnd(ctx, tx, ap, p.Days()-before); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, ActionProlongationEdited, object(ap), map[string]any{"prolongation": p.ID, "days": p.Days() - before})
	})
}
