package approval

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
)

// Audit actions of the manual delivery (§2.8-6).
const (
	ActionManuallyDelivered = "approval_manually_delivered"
	ActionManuallyRefused   = "approval_manually_refused"
)

// Refusals of the manual delivery.
var (
	ErrStaffOnly     = fault.Forbidden("Seule l'équipe des emplois de l'inclusion délivre les PASS IAE à la main.")
	ErrNotToDeliver  = fault.Conflict("Cette candidature n'attend plus de PASS IAE : il a déjà été délivré ou refusé.")
	ErrNoHiringStart = fault.Conflict("La candidature n'a pas de date de début de contrat : le PASS IAE ne peut pas être délivré.")
)

// DiagnosisFinder is the IAE diagnosis that counts for a job seeker seen from an SIAE (the
// eligibility package's LastConsideredValid), 0 when none. The app wires it: eligibility imports
// this package, so this package cannot import it.
type DiagnosisFinder func(ctx context.Context, idb bun.IDB, jobSeekerID, companyID int64) (int64, error)

// SetDiagnosisFinder sets how the manual delivery finds a diagnosis for a candidature that has none.
func (s *Service) SetDiagnosisFinder(f DiagnosisFinder) { s.diagnoses = f }

// awaitingManual is the SQL condition of a candidature whose PASS waits for staff (§2.8-6):
// accepted by an SIAE in manual mode, no PASS attached, not refused.
var awaitingManual = "ja.state = 'accepted' AND ja.approval_delivery_mode = 'manual' AND ja.approval_id IS NULL AND ja.approval_manually_refused_at IS NULL AND c.kind IN " + siaeKinds

// ManualItem is a candidature in the staff queue.
type ManualItem struct {
	ApplicationPublicID string     `bun:"public_id"`
	FirstName           string     `bun:"first_name"`
	LastName            string     `bun:"last_name"`
	JobSeekerPublicID   string     `bun:"job_seeker_public_id"`
	CompanyName         string     `bun:"company_name"`
	CompanyKind         string     `bun:"company_kind"`
	HiringStartAt       *time.Time `bun:"hiring_start_at"`
	AcceptedAt          *time.Time `bun:"processed_at"`
	HasDiagnosis        bool       `bun:"has_diagnosis"`
}

// ManualQueue is the candidatures whose PASS staff must deliver or refuse, oldest acceptance
// first, one page of size (1-based) and the total: one query each.
func (s *Service) ManualQueue(ctx context.Context, a actor.Actor, page, size int) ([]ManualItem, int, error) {
	if !a.IsStaff() {
		return nil, 0, ErrStaffOnly
	}
	var items []ManualItem
	q := s.db.NewSelect().TableExpr("job_application AS ja").
		Join("JOIN company AS c ON c.id = ja.to_company_id").
		Join("JOIN users AS u ON u.id = ja.job_seeker_id").
		Where(awaitingManual)
	total, err := q.Count(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("approval: manual queue: %w", err)
	}
	err = q.ColumnExpr("ja.public_id, u.first_name, u.last_name, u.public_id AS job_seeker_public_id").
		ColumnExpr("CASE WHEN c.brand <> '' THEN c.brand ELSE c.name END AS company_name, c.kind AS company_kind").
		ColumnExpr("ja.hiring_start_at, ja.processed_at, ja.eligibility_diagnosis_id IS NOT NULL AS has_diagnosis").
		OrderExpr("ja.processed_at, ja.id").Limit(int64(size)).Offset(int64((max(page, 1)-1)*size)).Scan(ctx, &items)
	if err != nil {
		return nil, 0, fmt.Errorf("approval: manual queue: %w", err)
	}
	return items, int(total), nil
}

// awaitingHiring locks a candidature of the queue by public id and reads it.
func awaitingHiring(ctx context.Context, tx bun.IDB, publicID string) (*hiring, error) {
	res, err := tx.NewUpdate().Table("job_application").Set("updated_at = updated_at").Where("public_id = ?", publicID).Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("approval: lock candidature: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, ErrNoApplication
	}
	var id int64
	err = tx.NewSelect().TableExpr("job_application AS ja").Column("ja.id").
		Join("JOIN company AS c ON c.id = ja.to_company_id").
		Where("ja.public_id = ?", publicID).Where(awaitingManual).Scan(ctx, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotToDeliver
	}
	if err != nil {
		return nil, fmt.Errorf("approval: candidature %s: %w", publicID, err)
	}
	return loadHiring(ctx, tx, id)
}

// DeliverManually issues the PASS of a candidature of the queue (§2.8-6): origin admin, the
// candidature's diagnosis or else the one that counts for the job seeker at this SIAE (required),
// from the hiring start for the default duration; a valid PASS the job seeker already holds is
// reused instead. The PASS is attached to the candidature with the staff member who delivered
// it, the employer is mailed, and the delivery is audited.
func (s *Service) DeliverManually(ctx context.Context, a actor.Actor, applicationPublicID string) (*Approval, error) {
	if !a.IsStaff() {
		return nil, ErrStaffOnly
	}
	var ap *Approval
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		h, err := awaitingHiring(ctx, tx, applicationPublicID)
		if err != nil {
			return err
		}
		if h.HiringStartAt == nil {
			return ErrNoHiringStart
		}
		if ap, err = s.manualApproval(ctx, tx, a, h); err != nil {
			return err
		}
		_, err = tx.NewUpdate().Table("job_application").
			Set("approval_id = ?, approval_manually_delivered_by_id = ?, updated_at = ?", ap.ID, a.UserID, s.now()).
			Where("id = ?", h.ID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("approval: attach to candidature %d: %w", h.ID, err)
		}
		if err := audit.Record(ctx, tx, a, ActionManuallyDelivered, object(ap), map[string]any{"job_application": h.PublicID}); err != nil {
			return err
		}
		return s.MailDelivery(ctx, tx, h.ID)
	})
	if err != nil {
		return nil, err
	}
	return ap, nil
}

// manualApproval is the PASS a manual delivery attaches: the valid one the job seeker holds,
// else a new one of origin admin.
func (s *Service) manualApproval(ctx context.Context, tx bun.Tx, a actor.Actor, h *hiring) (*Approval, error) {
	var valid []int64
	err := tx.NewSelect().Table("approval").Column("id").Where("user_id = ? AND end_at >= ?", h.JobSeekerID, s.today()).
		OrderExpr("created_at DESC").Limit(1).Scan(ctx, &valid)
	if err != nil {
		return nil, fmt.Errorf("approval: valid PASS of candidature %d: %w", h.ID, err)
	}
	if len(valid) > 0 {
		return s.ReuseForHire(ctx, tx, a, valid[0], *h.HiringStartAt)
	}
	diagnosis := int64(0)
	if h.DiagnosisID != nil {
		diagnosis = *h.DiagnosisID
	} else if s.diagnoses != nil {
		if diagnosis, err = s.diagnoses(ctx, tx, h.JobSeekerID, h.CompanyID); err != nil {
			return nil, err
		}
	}
	in := IssueInput{Actor: a, UserID: h.JobSeekerID, StartAt: *h.HiringStartAt, EligibilityDiagnosisID: diagnosis,
		OriginSIAESIRET: h.CompanySIRET, OriginSIAEKind: h.CompanyKind, OriginSenderKind: h.SenderKind, Origin: OriginAdmin}
	if h.PrescriberKind != nil {
		in.OriginPrescriberOrganizationKind = *h.PrescriberKind
	}
	return s.Issue(ctx, tx, in)
}

// RefuseManually refuses the PASS of a candidature of the queue (§2.8-6): the refusal and its
// author are recorded on the candidature, the employer is mailed, and it is audited.
func (s *Service) RefuseManually(ctx context.Context, a actor.Actor, applicationPublicID string) error {
	if !a.IsStaff() {
		return ErrStaffOnly
	}
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		h, err := awaitingHiring(ctx, tx, applicationPublicID)
		if err != nil {
			return err
		}
		now := s.now()
		_, err = tx.NewUpdate().Table("job_application").
			Set("approval_manually_refused_at = ?, approval_manually_refused_by_id = ?, updated_at = ?", now, a.UserID, now).
			Where("id = ?", h.ID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("approval: refuse candidature %d: %w", h.ID, err)
		}
		if err := audit.Record(ctx, tx, a, ActionManuallyRefused, audit.Object{Type: "job_application", ID: h.PublicID}, nil); err != nil {
			return err
		}
		return s.MailManualRefusal(ctx, tx, h.ID)
	})
}
