package eligibility

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
)

// role is what the actor may be as the author or reader of a diagnosis.
type role int

const (
	roleNone                 role = iota
	roleJobSeeker                 // the job seeker themself
	roleStaff                     // the support team
	roleOrienteur                 // a member of a prescriber organization that is not authorized
	roleAuthorizedPrescriber      // a member of an authorized prescriber organization
	roleEmployer                  // a member of a company (see who.companyKind)
)

// who is the actor as this package sees them, read from the database so that a membership
// ended or a habilitation withdrawn counts at once.
type who struct {
	role            role
	userID          int64
	prescriberOrgID int64
	companyID       int64
	companyKind     org.CompanyKind
}

// whoIs resolves the actor: its kind, and for a professional the organization it acts for, of
// which it must be an active member with an active account.
func whoIs(ctx context.Context, idb bun.IDB, a actor.Actor) (who, error) {
	w := who{userID: a.UserID}
	switch a.Kind {
	case actor.JobSeeker:
		w.role = roleJobSeeker
		return w, nil
	case actor.Staff:
		w.role = roleStaff
		return w, nil
	case actor.Professional:
	default:
		return w, nil
	}
	o := a.Organization
	if o == nil || a.UserID == 0 {
		return w, nil
	}
	switch org.Type(o.Type) {
	case org.TypePrescriber:
		var status string
		err := idb.NewSelect().TableExpr("prescriber_membership AS m").ColumnExpr("po.authorization_status").
			Join("JOIN users AS u ON u.id = m.user_id").
			Join("JOIN prescriber_organization AS po ON po.id = m.organization_id").
			Where("m.user_id = ?", a.UserID).Where("m.organization_id = ?", o.ID).
			Where("m.is_active").Where("u.is_active").Scan(ctx, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return w, nil
		}
		if err != nil {
			return w, fmt.Errorf("eligibility: prescriber membership of %d: %w", a.UserID, err)
		}
		w.prescriberOrgID = o.ID
		w.role = roleOrienteur
		if org.AuthorizationStatus(status) == org.AuthorizationValidated {
			w.role = roleAuthorizedPrescriber
		}
	case org.TypeCompany:
		var kind string
		err := idb.NewSelect().TableExpr("company_membership AS m").ColumnExpr("co.kind").
			Join("JOIN users AS u ON u.id = m.user_id").
			Join("JOIN company AS co ON co.id = m.organization_id").
			Where("m.user_id = ?", a.UserID).Where("m.organization_id = ?", o.ID).
			Where("m.is_active").Where("u.is_active").Scan(ctx, &kind)
		if errors.Is(err, sql.ErrNoRows) {
			return w, nil
		}
		if err != nil {
			return w, fmt.Errorf("eligibility: company membership of %d: %w", a.UserID, err)
		}
		w.role, w.companyID, w.companyKind = roleEmployer, o.ID, org.CompanyKind(kind)
	}
	return w, nil
}

// jobSeekerID is the id of the job seeker account of this public id.
func jobSeekerID(ctx context.Context, idb bun.IDB, publicID string) (int64, error) {
	var id int64
	err := idb.NewSelect().Table("users").Column("id").
		Where("public_id = ?", publicID).Where("kind = ?", string(actor.JobSeeker)).Scan(ctx, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrJobSeekerNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("eligibility: job seeker: %w", err)
	}
	return id, nil
}

// --- reads of the approval table about a diagnosis. The approval domain (internal/approval)
// owns that table and answers whether a user holds a valid PASS (approval.HasValid); these
// reads about diagnoses are here until it offers them.

// linkedPASSEndsAfter reports whether a PASS issued on this diagnosis ends after today (§2.4
// « considered valid »).
func linkedPASSEndsAfter(ctx context.Context, idb bun.IDB, diagnosisID int64, today time.Time) (bool, error) {
	ok, err := idb.NewSelect().Table("approval").ColumnExpr("1").
		Where("eligibility_diagnosis_id = ?", diagnosisID).Where("end_at > ?", today).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("eligibility: PASS of diagnosis %d: %w", diagnosisID, err)
	}
	return ok, nil
}

// passIssuedOn reports whether a PASS IAE was issued on this diagnosis, valid or not.
func passIssuedOn(ctx context.Context, idb bun.IDB, diagnosisID int64) (bool, error) {
	ok, err := idb.NewSelect().Table("approval").ColumnExpr("1").Where("eligibility_diagnosis_id = ?", diagnosisID).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("eligibility: PASS of diagnosis %d: %w", diagnosisID, err)
	}
	return ok, nil
}

// passIssuedOnED is passIssuedOn as a condition on the diagnosis of alias ed.
const passIssuedOnED = "EXISTS (SELECT 1 FROM approval AS ap WHERE ap.eligibility_diagnosis_id = ed.id)"

// --- the selected criteria, shared by both families

func insertSelected(ctx context.Context, idb bun.IDB, s schema, diagnosisID int64, criteriaIDs []int16, now time.Time) error {
	if len(criteriaIDs) == 0 {
		return nil
	}
	rows := make([]selectedRow, len(criteriaIDs))
	for i, id := range criteriaIDs {
		rows[i] = selectedRow{DiagnosisID: diagnosisID, CriterionID: id, CreatedAt: now}
	}
	if _, err := idb.NewInsert().Model(&rows).ModelTableExpr(s.selected).Exec(ctx); err != nil {
		return fmt.Errorf("eligibility: criteria of %s %d: %w", s.diagnoses, diagnosisID, err)
	}
	return nil
}

func deleteSelected(ctx context.Context, idb bun.IDB, s schema, diagnosisID int64) error {
	if _, err := idb.NewDelete().TableExpr(s.selected).Where("eligibility_diagnosis_id = ?", diagnosisID).Exec(ctx); err != nil {
		return fmt.Errorf("eligibility: clear criteria of %s %d: %w", s.diagnoses, diagnosisID, err)
	}
	return nil
}

// selectedOf reads the selected criteria of the diagnoses in one query, by diagnosis.
func selectedOf(ctx context.Context, idb bun.IDB, s schema, diagnosisIDs []int64) (map[int64][]selectedRow, error) {
	out := make(map[int64][]selectedRow, len(diagnosisIDs))
	if len(diagnosisIDs) == 0 {
		return out, nil
	}
	var rows []selectedRow
	err := idb.NewSelect().Model(&rows).ModelTableExpr(s.selected+" AS sc").
		Where("sc.eligibility_diagnosis_id IN (?)", bun.List(diagnosisIDs)).OrderExpr("sc.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("eligibility: criteria of %s: %w", s.diagnoses, err)
	}
	for _, r := range rows {
		out[r.DiagnosisID] = append(out[r.DiagnosisID], r)
	}
	return out, nil
}

// expireDiagnoses sets expires_at to day on these diagnoses (§2.2 update, §2.6 priority).
func expireDiagnoses(ctx context.Context, idb bun.IDB, s schema, ids []int64, day, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := idb.NewUpdate().TableExpr(s.diagnoses).Set("expires_at = ?", day).Set("updated_at = ?", now).
		Where("id IN (?)", bun.List(ids)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("eligibility: expire %s: %w", s.diagnoses, err)
	}
	return nil
}
