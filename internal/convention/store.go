package convention

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/importfile"
)

// The reads and writes of the import, all in the run's transaction.

// reservedSIRET is France Travail's technical holder of external offers, never touched.
const reservedSIRET = "13000548100010"

// visibleCompanies are all companies but the EA/EATT history and the reserved holder, with their
// convention.
func visibleCompanies(ctx context.Context, idb bun.IDB) ([]*org.Company, error) {
	var list []*org.Company
	err := idb.NewSelect().Model(&list).Relation("Convention").
		Where("co.kind NOT IN ('EA', 'EATT')").Where("co.siret <> ?", reservedSIRET).
		OrderExpr("co.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("convention: load companies: %w", err)
	}
	return list, nil
}

func allConventions(ctx context.Context, idb bun.IDB) ([]*org.Convention, error) {
	var list []*org.Convention
	if err := idb.NewSelect().Model(&list).OrderExpr("cv.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("convention: load conventions: %w", err)
	}
	return list, nil
}

// memberless lists the antennas that have no membership at all, active or not.
func memberless(ctx context.Context, idb bun.IDB) ([]*org.Company, error) {
	var list []*org.Company
	err := idb.NewSelect().Model(&list).Where("co.source = ?", org.SourceUserCreated).
		Where("NOT EXISTS (SELECT 1 FROM company_membership m WHERE m.organization_id = co.id)").
		OrderExpr("co.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("convention: memberless antennas: %w", err)
	}
	return list, nil
}

// withActiveMember returns the ids of the companies that have an active member.
func withActiveMember(ctx context.Context, idb bun.IDB) (map[int64]bool, error) {
	var ids []int64
	err := idb.NewSelect().TableExpr("company_membership").ColumnExpr("DISTINCT organization_id").
		Where("is_active").Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("convention: members: %w", err)
	}
	set := make(map[int64]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set, nil
}

// deletionFacts reads what blocks deleting c (asp.md §1.8).
func deletionFacts(ctx context.Context, idb bun.IDB, c *org.Company) (DeletionFacts, error) {
	f := DeletionFacts{Source: c.Source}
	err := idb.NewRaw(`SELECT
		EXISTS (SELECT 1 FROM job_application WHERE to_company_id = ?0)
		OR EXISTS (SELECT 1 FROM job_application WHERE sender_company_id = ?0)
		OR EXISTS (SELECT 1 FROM job_application WHERE transferred_from_id = ?0),
		EXISTS (SELECT 1 FROM prolongation_request WHERE declared_by_company_id = ?0),
		EXISTS (SELECT 1 FROM eligibility_diagnosis d JOIN approval a ON a.eligibility_diagnosis_id = d.id
			WHERE d.author_company_id = ?0),
		(SELECT count(*) FROM company WHERE convention_id = ?1)`, c.ID, c.ConventionID).
		Scan(ctx, &f.HasApplications, &f.HasProlongationRequests, &f.HasDiagnosisWithPASS, &f.CompaniesOnConvention)
	if err != nil {
		return f, fmt.Errorf("convention: deletion facts of company %d: %w", c.ID, err)
	}
	return f, nil
}

func deleteCompany(ctx context.Context, idb bun.IDB, id int64) error {
	if _, err := idb.NewDelete().Model((*org.Company)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("convention: delete company %d: %w", id, err)
	}
	return nil
}

func updateCompany(ctx context.Context, idb bun.IDB, c *org.Company, columns ...string) error {
	if _, err := idb.NewUpdate().Model(c).Column(append(columns, "updated_at")...).WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("convention: update company %d: %w", c.ID, err)
	}
	return nil
}

func updateConvention(ctx context.Context, idb bun.IDB, c *org.Convention, columns ...string) error {
	if _, err := idb.NewUpdate().Model(c).Column(append(columns, "updated_at")...).WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("convention: update convention %d: %w", c.ID, err)
	}
	return nil
}

// insertAll stores rows in batches (one multi-row INSERT each), setting their ids.
func insertAll[T any](ctx context.Context, idb bun.IDB, rows []T) error {
	return importfile.Batches(rows, func(batch []T) error {
		if _, err := idb.NewInsert().Model(&batch).Exec(ctx); err != nil {
			return fmt.Errorf("convention: insert %T: %w", batch[0], err)
		}
		return nil
	})
}

// deleteByIDs deletes rows of model's table by id, in batches.
func deleteByIDs(ctx context.Context, idb bun.IDB, model any, ids []int64) error {
	return importfile.Batches(ids, func(batch []int64) error {
		if _, err := idb.NewDelete().Model(model).Where("id IN (?)", bun.List(batch)).Exec(ctx); err != nil {
			return fmt.Errorf("convention: delete %T: %w", model, err)
		}
		return nil
	})
}

// linkConventions sets each company's convention (company id → convention id), one UPDATE per
// batch of 500: a first import links thousands.
func linkConventions(ctx context.Context, idb bun.IDB, links [][2]int64, now time.Time) error {
	return importfile.Batches(links, func(batch [][2]int64) error {
		var b strings.Builder
		args := make([]any, 0, 2*len(batch)+1)
		ids := make([]int64, len(batch))
		b.WriteString("UPDATE company SET convention_id = CASE id")
		for i, l := range batch {
			b.WriteString(" WHEN ? THEN ?")
			args = append(args, l[0], l[1])
			ids[i] = l[0]
		}
		b.WriteString(" END, updated_at = ? WHERE id IN (?)")
		args = append(args, now, bun.List(ids))
		if _, err := idb.NewRaw(b.String(), args...).Exec(ctx); err != nil {
			return fmt.Errorf("convention: link conventions: %w", err)
		}
		return nil
	})
}

// deleteOrphanConventions deletes the conventions no company uses (their annexes go with them).
func deleteOrphanConventions(ctx context.Context, idb bun.IDB) (int, error) {
	res, err := idb.NewDelete().Model((*org.Convention)(nil)).
		Where("NOT EXISTS (SELECT 1 FROM company c WHERE c.convention_id = cv.id)").Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("convention: delete orphan conventions: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

func allAnnexes(ctx context.Context, idb bun.IDB) ([]*org.FinancialAnnex, error) {
	var list []*org.FinancialAnnex
	if err := idb.NewSelect().Model(&list).OrderExpr("af.number").Scan(ctx); err != nil {
		return nil, fmt.Errorf("convention: load annexes: %w", err)
	}
	return list, nil
}
