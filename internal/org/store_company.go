package org

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
)

// The writes and lookups of companies and SIAE conventions.

func insertCompany(ctx context.Context, idb bun.IDB, c *Company) error {
	if _, err := idb.NewInsert().Model(c).Exec(ctx); err != nil {
		if db.IsUniqueViolation(err) {
			return fault.InvalidField("siret", MsgCompanyTaken)
		}
		return fmt.Errorf("org: insert company: %w", err)
	}
	return nil
}

// updateCompany saves these columns of c (and its updated_at).
func updateCompany(ctx context.Context, idb bun.IDB, c *Company, columns ...string) error {
	if _, err := idb.NewUpdate().Model(c).Column(append(columns, "updated_at")...).WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("org: update company %d: %w", c.ID, err)
	}
	return nil
}

// companyWithSIRETExists reports whether a company has this SIRET.
func companyWithSIRETExists(ctx context.Context, idb bun.IDB, siret string) (bool, error) {
	ok, err := idb.NewSelect().Model((*Company)(nil)).Where("siret = ?", siret).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("org: company with siret: %w", err)
	}
	return ok, nil
}

// companiesBySIREN returns the companies (with their convention) whose SIRET starts with siren,
// of the kinds employers sign up for.
func companiesBySIREN(ctx context.Context, idb bun.IDB, siren string) ([]*Company, error) {
	var list []*Company
	lo, hi := sirenRange(siren)
	err := idb.NewSelect().Model(&list).Relation("Convention").
		Where("co.siret >= ? AND co.siret < ?", lo, hi).Where("co.kind IN " + OfferedKindsSQL).
		OrderExpr("co.siret, co.kind").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("org: companies by siren: %w", err)
	}
	return list, nil
}

// insertConvention stores a convention and its annexes.
func insertConvention(ctx context.Context, idb bun.IDB, conv *Convention, annexes []FinancialAnnex) error {
	if _, err := idb.NewInsert().Model(conv).Exec(ctx); err != nil {
		return fmt.Errorf("org: insert convention: %w", err)
	}
	for i := range annexes {
		annexes[i].ConventionID = conv.ID
	}
	if len(annexes) > 0 {
		if _, err := idb.NewInsert().Model(&annexes).Exec(ctx); err != nil {
			return fmt.Errorf("org: insert annexes: %w", err)
		}
	}
	return nil
}

func attachConvention(ctx context.Context, idb bun.IDB, companyID, conventionID int64, now time.Time) error {
	_, err := idb.NewUpdate().Model((*Company)(nil)).Set("convention_id = ?", conventionID).Set("updated_at = ?", now).
		Where("id = ?", companyID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("org: attach convention %d to company %d: %w", conventionID, companyID, err)
	}
	return nil
}

func deactivateConvention(ctx context.Context, idb bun.IDB, conventionID int64, at, now time.Time) error {
	_, err := idb.NewUpdate().Model((*Convention)(nil)).Set("is_active = FALSE").Set("deactivated_at = ?", at).
		Set("updated_at = ?", now).Where("id = ?", conventionID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("org: deactivate convention %d: %w", conventionID, err)
	}
	return nil
}
