package jobdesc

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// The store: one function per query, over the caller's bun.IDB (the database, or the service's
// transaction).

// columnsOnEdit are the columns an employer's edit writes.
var columnsOnEdit = []string{"appellation_code", "custom_name", "description", "profile_description",
	"contract_type", "other_contract_type", "location_code", "hours_per_week", "open_positions",
	"is_resume_mandatory", "is_qpv_mandatory", "market_context_description", "updated_at",
	"last_employer_update_at"}

// selectFiche starts a select of fiches with their appellation and commune (two joins, one query).
func selectFiche(idb bun.IDB, dst any) *bun.SelectQuery {
	return idb.NewSelect().Model(dst).Relation("Appellation").Relation("Location")
}

// byUID returns the fiche with this public identifier, or ErrNotFound.
func byUID(ctx context.Context, idb bun.IDB, uid string) (*JobDescription, error) {
	f := new(JobDescription)
	err := selectFiche(idb, f).Where("jd.uid = ?", uid).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("jobdesc: fiche %s: %w", uid, err)
	}
	return f, nil
}

// lockByUID re-reads the fiche inside a transaction, locking its row on PostgreSQL (SQLite's
// transactions already hold the single write lock).
func lockByUID(ctx context.Context, tx bun.Tx, uid string, postgres bool) (*JobDescription, error) {
	f := new(JobDescription)
	q := tx.NewSelect().Model(f).Where("jd.uid = ?", uid)
	if postgres {
		q = q.For("UPDATE")
	}
	err := q.Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("jobdesc: lock fiche %s: %w", uid, err)
	}
	return f, nil
}

// listByCompany returns a company's fiches in the order the employer chose: rank, then oldest
// first; onlyOpen keeps the open ones.
func listByCompany(ctx context.Context, idb bun.IDB, companyID int64, onlyOpen bool) ([]*JobDescription, error) {
	var list []*JobDescription
	q := selectFiche(idb, &list).Where("jd.company_id = ?", companyID)
	if onlyOpen {
		q = q.Where("jd.is_active")
	}
	if err := q.OrderExpr("jd.ui_rank, jd.created_at, jd.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("jobdesc: fiches of company %d: %w", companyID, err)
	}
	return list, nil
}

// nextRank is the rank that puts a new fiche after every other of the company.
func nextRank(ctx context.Context, idb bun.IDB, companyID int64) (int, error) {
	var rank int
	err := idb.NewSelect().Model((*JobDescription)(nil)).ColumnExpr("COALESCE(MAX(ui_rank), 0) + 1").
		Where("company_id = ?", companyID).Scan(ctx, &rank)
	if err != nil {
		return 0, fmt.Errorf("jobdesc: next rank of company %d: %w", companyID, err)
	}
	return rank, nil
}

func insertFiche(ctx context.Context, idb bun.IDB, f *JobDescription) error {
	if _, err := idb.NewInsert().Model(f).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("jobdesc: insert fiche: %w", err)
	}
	return nil
}

func updateFiche(ctx context.Context, idb bun.IDB, f *JobDescription, columns ...string) error {
	_, err := idb.NewUpdate().Model(f).Column(columns...).WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("jobdesc: update fiche %s: %w", f.UID, err)
	}
	return nil
}

func recordStatus(ctx context.Context, idb bun.IDB, changes ...StatusChange) error {
	if len(changes) == 0 {
		return nil
	}
	if _, err := idb.NewInsert().Model(&changes).Exec(ctx); err != nil {
		return fmt.Errorf("jobdesc: status history: %w", err)
	}
	return nil
}

// statusHistory returns a fiche's openings and closings, oldest first.
func statusHistory(ctx context.Context, idb bun.IDB, ficheID int64) ([]StatusChange, error) {
	var list []StatusChange
	err := idb.NewSelect().Model(&list).Where("job_description_id = ?", ficheID).OrderExpr("changed_at, id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("jobdesc: status history of %d: %w", ficheID, err)
	}
	return list, nil
}

// setRanks writes ranks 1..n in the order of ids, skipping rows already there.
func setRanks(ctx context.Context, idb bun.IDB, list []*JobDescription, now time.Time) error {
	for i, f := range list {
		if f.UIRank == i+1 {
			continue
		}
		f.UIRank, f.UpdatedAt = i+1, now
		if err := updateFiche(ctx, idb, f, "ui_rank", "updated_at"); err != nil {
			return err
		}
	}
	return nil
}

// staleFiches returns up to limit open internal fiches last refreshed at or before cutoff, with
// their appellation (for the mail), company by company so that a company's fiches share a batch
// (and its members one mail).
func staleFiches(ctx context.Context, idb bun.IDB, cutoff time.Time, limit int) ([]*JobDescription, error) {
	var list []*JobDescription
	err := selectFiche(idb, &list).
		Where("jd.is_active").Where("jd.source_kind IS NULL").Where("jd.last_employer_update_at <= ?", cutoff).
		OrderExpr("jd.company_id, jd.id").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("jobdesc: stale fiches: %w", err)
	}
	return list, nil
}

// closeFiches closes the fiches with these ids that are still open, and reports which it closed
// (a concurrent run, or an employer, may have changed some meanwhile).
func closeFiches(ctx context.Context, idb bun.IDB, ids []int64, cutoff, now time.Time) ([]int64, error) {
	var closed []int64
	err := idb.NewUpdate().Model((*JobDescription)(nil)).
		Set("is_active = ?", false).Set("updated_at = ?", now).
		Where("id IN (?)", bun.List(ids)).Where("is_active").Where("last_employer_update_at <= ?", cutoff).
		Returning("id").Scan(ctx, &closed)
	if err != nil {
		return nil, fmt.Errorf("jobdesc: close stale fiches: %w", err)
	}
	return closed, nil
}
