package invitation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/org"
)

// The SQL of the package. The target column is chosen from the organization family (fixed
// identifiers, never input).

func targetColumn(t org.Type) string {
	switch t {
	case org.TypeCompany:
		return "company_id"
	case org.TypePrescriber:
		return "prescriber_organization_id"
	}
	return "institution_id"
}

// pendingCondition keeps the pending invitations at now: not accepted, not expired (cancelled
// ones have expires_at brought forward).
const pendingCondition = "inv.accepted_at IS NULL AND inv.expires_at > ?"

func byUID(ctx context.Context, idb bun.IDB, uid string) (*Invitation, error) {
	inv := new(Invitation)
	err := idb.NewSelect().Model(inv).Where("inv.uid = ?", uid).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("invitation: %s: %w", uid, err)
	}
	return inv, nil
}

// pendingCount counts the pending invitations of an organization.
func pendingCount(ctx context.Context, idb bun.IDB, t org.Type, orgID int64, now time.Time) (int, error) {
	n, err := idb.NewSelect().Model((*Invitation)(nil)).Where("? = ?", bun.Ident("inv."+targetColumn(t)), orgID).
		Where(pendingCondition, now).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("invitation: count pending of %s %d: %w", t, orgID, err)
	}
	return int(n), nil
}

// pendingOf lists the pending invitations of an organization, newest first (at most MaxPending
// exist).
func pendingOf(ctx context.Context, idb bun.IDB, t org.Type, orgID int64, now time.Time) ([]Invitation, error) {
	var list []Invitation
	err := idb.NewSelect().Model(&list).Where("? = ?", bun.Ident("inv."+targetColumn(t)), orgID).
		Where(pendingCondition, now).OrderExpr("inv.sent_at DESC, inv.id DESC").Limit(MaxPending * 2).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("invitation: pending of %s %d: %w", t, orgID, err)
	}
	return list, nil
}

// pendingTo returns the pending invitation of an organization to an e-mail, or nil.
func pendingTo(ctx context.Context, idb bun.IDB, t org.Type, orgID int64, email string, now time.Time) (*Invitation, error) {
	inv := new(Invitation)
	err := idb.NewSelect().Model(inv).Where("? = ?", bun.Ident("inv."+targetColumn(t)), orgID).
		Where("inv.email = ?", email).Where(pendingCondition, now).OrderExpr("inv.id DESC").Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("invitation: pending to an address in %s %d: %w", t, orgID, err)
	}
	return inv, nil
}

// pendingForEmail lists the pending invitations sent to an e-mail, oldest first.
func pendingForEmail(ctx context.Context, idb bun.IDB, email string, now time.Time) ([]Invitation, error) {
	var list []Invitation
	err := idb.NewSelect().Model(&list).Where("inv.email = ?", email).Where(pendingCondition, now).
		OrderExpr("inv.sent_at, inv.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("invitation: pending for an address: %w", err)
	}
	return list, nil
}

// markAccepted sets accepted_at on a still pending invitation; it reports false when the
// invitation was not pending any more (accepted meanwhile, cancelled, expired).
func markAccepted(ctx context.Context, idb bun.IDB, id int64, now time.Time) (bool, error) {
	res, err := idb.NewUpdate().Model((*Invitation)(nil)).Set("accepted_at = ?", now).
		Where("id = ?", id).Where("accepted_at IS NULL AND expires_at > ?", now).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("invitation: accept %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// expirePendingOf brings the expiry of the pending invitations of an organization sent by the
// user, or to the user's address, forward to now; it returns how many.
func expirePendingOf(ctx context.Context, idb bun.IDB, t org.Type, orgID, userID int64, now time.Time) (int64, error) {
	res, err := idb.NewUpdate().Model((*Invitation)(nil)).Set("expires_at = ?", now).
		Where("? = ?", bun.Ident(targetColumn(t)), orgID).Where("accepted_at IS NULL AND expires_at > ?", now).
		Where("(sender_id = ? OR email = (SELECT email FROM users WHERE id = ?))", userID, userID).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("invitation: expire for user %d in %s %d: %w", userID, t, orgID, err)
	}
	return res.RowsAffected()
}
