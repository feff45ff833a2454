package org

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
)

// The writes and lookups of prescriber organizations and institutions.

// prescribersBySIRET returns the prescriber organizations with this SIRET.
func prescribersBySIRET(ctx context.Context, idb bun.IDB, siret string) ([]PrescriberOrganization, error) {
	var list []PrescriberOrganization
	if err := idb.NewSelect().Model(&list).Where("po.siret = ?", siret).OrderExpr("po.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("org: prescribers by siret: %w", err)
	}
	return list, nil
}

// insertPrescriber stores a new prescriber organization; its SAFIR code and its (SIRET, kind)
// must be free.
func insertPrescriber(ctx context.Context, idb bun.IDB, p *PrescriberOrganization) error {
	if p.CodeSAFIR != "" {
		taken, err := safirTaken(ctx, idb, p.CodeSAFIR)
		if err != nil {
			return err
		}
		if taken {
			return fault.InvalidField("code_safir", MsgSAFIRTaken)
		}
	}
	if _, err := idb.NewInsert().Model(p).Exec(ctx); err != nil {
		if db.IsUniqueViolation(err) {
			return fault.InvalidField("siret", MsgPrescriberTaken)
		}
		return fmt.Errorf("org: insert prescriber organization: %w", err)
	}
	return nil
}

// safirTaken reports whether an organization holds the SAFIR code.
func safirTaken(ctx context.Context, idb bun.IDB, safir string) (bool, error) {
	taken, err := idb.NewSelect().Model((*PrescriberOrganization)(nil)).Where("code_safir = ?", safir).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("org: safir %s: %w", safir, err)
	}
	return taken, nil
}

// updatePrescriber saves these columns of p (and its updated_at); a unique key already taken
// (SIRET and kind) is refused with taken, when given.
func updatePrescriber(ctx context.Context, idb bun.IDB, p *PrescriberOrganization, taken *fault.Error, columns ...string) error {
	_, err := idb.NewUpdate().Model(p).Column(append(columns, "updated_at")...).WherePK().Exec(ctx)
	if taken != nil && db.IsUniqueViolation(err) {
		return taken
	}
	if err != nil {
		return fmt.Errorf("org: update prescriber organization %d: %w", p.ID, err)
	}
	return nil
}

// prescribersForSignup returns the prescriber organizations with this SIRET, then those of its
// SIREN in the department that have active members (at most 50).
func prescribersForSignup(ctx context.Context, idb bun.IDB, siret, department string) ([]*PrescriberOrganization, error) {
	var list []*PrescriberOrganization
	lo, hi := sirenRange(SIREN(siret))
	err := idb.NewSelect().Model(&list).
		Where("po.siret = ?", siret).
		WhereOr("po.siret >= ? AND po.siret < ? AND po.department = ? AND EXISTS (SELECT 1 FROM prescriber_membership m"+
			" JOIN users u ON u.id = m.user_id WHERE m.organization_id = po.id AND m.is_active AND u.is_active)", lo, hi, department).
		OrderExpr("po.siret = ? DESC, po.name, po.id", siret).Limit(50).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("org: prescribers for signup: %w", err)
	}
	return list, nil
}

// pendingPrescribersQuery selects the prescriber organizations whose habilitation waits.
func pendingPrescribersQuery(q *bun.SelectQuery) *bun.SelectQuery {
	return q.Where("po.authorization_status = ?", AuthorizationNotSet)
}

func countPendingPrescribers(ctx context.Context, idb bun.IDB) (int, error) {
	n, err := pendingPrescribersQuery(idb.NewSelect().Model((*PrescriberOrganization)(nil))).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("org: count pending prescribers: %w", err)
	}
	return int(n), nil
}

// pendingPrescribers returns a page of the prescriber organizations whose habilitation waits,
// oldest first.
func pendingPrescribers(ctx context.Context, idb bun.IDB, offset, limit int) ([]PrescriberOrganization, error) {
	var list []PrescriberOrganization
	err := pendingPrescribersQuery(idb.NewSelect().Model(&list)).OrderExpr("po.created_at, po.id").
		Limit(int64(limit)).Offset(int64(offset)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("org: pending prescribers: %w", err)
	}
	return list, nil
}

func insertInstitution(ctx context.Context, idb bun.IDB, inst *Institution) error {
	if _, err := idb.NewInsert().Model(inst).Exec(ctx); err != nil {
		if db.IsUniqueViolation(err) {
			return fault.InvalidField("kind", MsgInstitutionTaken)
		}
		return fmt.Errorf("org: insert institution: %w", err)
	}
	return nil
}
