package jobdesc

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/org"
)

// The queries this package makes on the organization tables (company and company_membership,
// owned by package org), inside its own transactions: the company of a fiche with its
// convention, whether a user is an active member, the members to notify, and the batch closing
// of stale spontaneous applications (the staleness rule lives here, with the fiches').

func companyByID(ctx context.Context, idb bun.IDB, id int64) (*org.Company, error) {
	return scanCompany(ctx, idb, "co.id = ?", id)
}

// companiesByID returns the companies with these ids, by id.
func companiesByID(ctx context.Context, idb bun.IDB, ids []int64) (map[int64]*org.Company, error) {
	var list []*org.Company
	if err := idb.NewSelect().Model(&list).Where("co.id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("jobdesc: companies: %w", err)
	}
	out := make(map[int64]*org.Company, len(list))
	for _, co := range list {
		out[co.ID] = co
	}
	return out, nil
}

func companyByUID(ctx context.Context, idb bun.IDB, uid string) (*org.Company, error) {
	return scanCompany(ctx, idb, "co.uid = ?", uid)
}

func scanCompany(ctx context.Context, idb bun.IDB, where string, arg any) (*org.Company, error) {
	co := new(org.Company)
	err := idb.NewSelect().Model(co).Relation("Convention").Where(where, arg).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("jobdesc: company: %w", err)
	}
	return co, nil
}

// isActiveMember reports whether the user is an active member of the company (membership and
// account both active).
func isActiveMember(ctx context.Context, idb bun.IDB, userID, companyID int64) (bool, error) {
	ok, err := idb.NewSelect().Table("company_membership").ColumnExpr("1").
		Join("JOIN users AS u ON u.id = company_membership.user_id").
		Where("company_membership.user_id = ?", userID).Where("company_membership.organization_id = ?", companyID).
		Where("company_membership.is_active").Where("u.is_active").Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("jobdesc: membership of %d in %d: %w", userID, companyID, err)
	}
	return ok, nil
}

// recipient is an active member to notify.
type recipient struct {
	Email     string `bun:"email"`
	FirstName string `bun:"first_name"`
	LastName  string `bun:"last_name"`
}

// activeMembers returns the active members of the companies, by company id, each with an e-mail.
func activeMembers(ctx context.Context, idb bun.IDB, companyIDs []int64) (map[int64][]recipient, error) {
	var rows []struct {
		CompanyID int64 `bun:"organization_id"`
		recipient
	}
	err := idb.NewSelect().Table("company_membership").
		ColumnExpr("company_membership.organization_id, u.email, u.first_name, u.last_name").
		Join("JOIN users AS u ON u.id = company_membership.user_id").
		Where("company_membership.organization_id IN (?)", bun.List(companyIDs)).
		Where("company_membership.is_active").Where("u.is_active").Where("u.email IS NOT NULL").
		OrderExpr("company_membership.organization_id, u.id").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("jobdesc: active members: %w", err)
	}
	out := map[int64][]recipient{}
	for _, r := range rows {
		out[r.CompanyID] = append(out[r.CompanyID], r.recipient)
	}
	return out, nil
}

// staleSpontaneous returns up to limit companies whose spontaneous applications were opened at or
// before cutoff, oldest first.
func staleSpontaneous(ctx context.Context, idb bun.IDB, cutoff time.Time, limit int) ([]*org.Company, error) {
	var list []*org.Company
	err := idb.NewSelect().Model(&list).Where("co.spontaneous_applications_open_since <= ?", cutoff).
		OrderExpr("co.spontaneous_applications_open_since, co.id").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("jobdesc: stale spontaneous applications: %w", err)
	}
	return list, nil
}

// closeSpontaneous closes the spontaneous applications of these companies that are still open
// since cutoff or before, and reports which it closed.
func closeSpontaneous(ctx context.Context, idb bun.IDB, ids []int64, cutoff, now time.Time) ([]int64, error) {
	var closed []int64
	err := idb.NewUpdate().Table("company").Set("spontaneous_applications_open_since = NULL").
		Set("updated_at = ?", now).Where("id IN (?)", bun.List(ids)).
		Where("spontaneous_applications_open_since <= ?", cutoff).Returning("id").Scan(ctx, &closed)
	if err != nil {
		return nil, fmt.Errorf("jobdesc: close spontaneous applications: %w", err)
	}
	return closed, nil
}
