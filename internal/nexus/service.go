package nexus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/apitoken"
	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
)

// ErrNotPusher refuses a push, delete or sync from a service whose kinds are not mapped
// (api.md §10 Q5).
var ErrNotPusher = fault.Forbidden("Vous n'avez pas la permission d'effectuer cette action.")

// batch is how many rows one statement writes (well under SQLite's bound parameters limit).
const batch = 500

// Service is what the other services may do with their rows, and what Les emplois reads of them.
type Service struct {
	db       *db.DB
	accounts *account.Service
	// Now is the clock (tests move it).
	Now func() time.Time
}

// NewService returns the directory over d; accounts answers whether an e-mail has a
// professional account here (dropdown-status).
func NewService(d *db.DB, accounts *account.Service) *Service {
	return &Service{db: d, accounts: accounts, Now: time.Now}
}

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// Push upserts the items source pushed of a resource (api.md §8), in one transaction: the valid
// items are written, the others returned with their errors. Memberships whose user or structure
// the source never pushed are skipped without error.
func (s *Service) Push(ctx context.Context, source Source, r Resource, items []json.RawMessage) ([]ItemError, error) {
	if !MayPush(source) {
		return nil, ErrNotPusher
	}
	now := s.now()
	var errs []ItemError
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		switch r {
		case Users:
			users, bad := readUsers(source, items, now)
			errs = bad
			return upsert(ctx, tx, dedupe(users, func(u User) string { return u.ID }),
				"source_kind", "kind", "first_name", "last_name", "email", "phone", "last_login", "auth", "updated_at")
		case Structures:
			structures, bad := readStructures(source, items, now)
			errs = bad
			return upsert(ctx, tx, dedupe(structures, func(st Structure) string { return st.ID }),
				"source_kind", "kind", "siret", "name", "phone", "email", "address_line_1", "address_line_2", "post_code",
				"city", "department", "website", "opening_hours", "accessibility", "description", "source_link", "updated_at")
		case Memberships:
			memberships, bad := readMemberships(source, items, now)
			errs = bad
			known, err := s.knownMemberships(ctx, tx, memberships)
			if err != nil {
				return err
			}
			return upsert(ctx, tx, dedupe(known, func(m Membership) string { return m.ID }),
				"user_id", "structure_id", "role", "updated_at")
		}
		return fmt.Errorf("nexus: unknown resource %q", r)
	})
	if err != nil {
		return nil, fmt.Errorf("nexus: push %s of %s: %w", r, source, err)
	}
	return errs, nil
}

// dedupe keeps the last of the items sharing an id (a later item of one push wins).
func dedupe[T any](rows []T, id func(T) string) []T {
	last := map[string]int{}
	for i, r := range rows {
		last[id(r)] = i
	}
	out := rows[:0:0]
	for i, r := range rows {
		if last[id(r)] == i {
			out = append(out, r)
		}
	}
	return out
}

// upsert writes rows by id, replacing the columns given of the rows that exist.
func upsert[T any](ctx context.Context, tx bun.Tx, rows []T, columns ...string) error {
	for start := 0; start < len(rows); start += batch {
		part := rows[start:min(start+batch, len(rows))]
		q := tx.NewInsert().Model(&part).On("CONFLICT (id) DO UPDATE")
		for _, c := range columns {
			q = q.Set(c + " = EXCLUDED." + c)
		}
		if _, err := q.Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// knownMemberships keeps the memberships whose user and structure exist.
func (s *Service) knownMemberships(ctx context.Context, tx bun.Tx, memberships []Membership) ([]Membership, error) {
	var userIDs, structureIDs []string
	for _, m := range memberships {
		userIDs = append(userIDs, m.UserID)
		structureIDs = append(structureIDs, m.StructureID)
	}
	users, err := existing(ctx, tx, Users, userIDs)
	if err != nil {
		return nil, err
	}
	structures, err := existing(ctx, tx, Structures, structureIDs)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(memberships, func(m Membership) bool { return !users[m.UserID] || !structures[m.StructureID] }), nil
}

// existing returns which of ids are rows of r.
func existing(ctx context.Context, tx bun.Tx, r Resource, ids []string) (map[string]bool, error) {
	found := map[string]bool{}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for start := 0; start < len(ids); start += batch {
		var got []string
		if err := tx.NewSelect().Table(r.table()).Column("id").Where("id IN (?)", bun.List(ids[start:min(start+batch, len(ids))])).
			Scan(ctx, &got); err != nil {
			return nil, err
		}
		for _, id := range got {
			found[id] = true
		}
	}
	return found, nil
}

// Delete deletes the rows of source with the ids of items (their memberships with them); ids it
// does not know are ignored. A malformed item refuses the whole list (*ListError).
func (s *Service) Delete(ctx context.Context, source Source, r Resource, items []json.RawMessage) error {
	if !MayPush(source) {
		return ErrNotPusher
	}
	ids, err := readIDs(source, items)
	if err != nil {
		return err
	}
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		for start := 0; start < len(ids); start += batch {
			if _, err := tx.NewDelete().Table(r.table()).Where("source = ?", source).
				Where("id IN (?)", bun.List(ids[start:min(start+batch, len(ids))])).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("nexus: delete %s of %s: %w", r, source, err)
	}
	return nil
}

// StartSync marks a full sync of source as in progress from now on, and returns its start.
func (s *Service) StartSync(ctx context.Context, source Source) (time.Time, error) {
	if !MayPush(source) {
		return time.Time{}, ErrNotPusher
	}
	now := s.now()
	if _, err := s.db.NewRaw(`INSERT INTO nexus_sync (source, started_at) VALUES (?, ?)
		ON CONFLICT (source) DO UPDATE SET started_at = EXCLUDED.started_at`, source, now).Exec(ctx); err != nil {
		return time.Time{}, fmt.Errorf("nexus: start sync of %s: %w", source, err)
	}
	return now, nil
}

// ErrNotStarted says that sync-completed did not name the sync in progress of its source.
var ErrNotStarted = errors.New("nexus: no sync of the source started at that instant")

// CompleteSync ends the sync of source that started at startedAt: from then on, its rows not
// pushed since startedAt are ignored. ErrNotStarted when that is not the sync in progress.
func (s *Service) CompleteSync(ctx context.Context, source Source, startedAt time.Time) error {
	if !MayPush(source) {
		return ErrNotPusher
	}
	startedAt = startedAt.UTC().Truncate(time.Microsecond)
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var inProgress []time.Time
		if err := tx.NewRaw(`SELECT started_at FROM nexus_sync WHERE source = ? AND started_at IS NOT NULL`, source).
			Scan(ctx, &inProgress); err != nil {
			return fmt.Errorf("nexus: complete sync of %s: %w", source, err)
		}
		if len(inProgress) == 0 || !inProgress[0].Equal(startedAt) {
			return ErrNotStarted
		}
		if _, err := tx.NewRaw(`UPDATE nexus_sync SET valid_since = started_at, started_at = NULL WHERE source = ?`, source).
			Exec(ctx); err != nil {
			return fmt.Errorf("nexus: complete sync of %s: %w", source, err)
		}
		return nil
	})
}

// Status is what the cross-service menu needs to know of a person (dropdown-status).
type Status struct {
	// ProConnect: one of their accounts logs in with ProConnect.
	ProConnect bool `json:"proconnect"`
	// Services are the codes of the services they have an account in, sorted.
	Services []string `json:"activated_services"`
}

// DropdownStatus gathers the accounts of the person with this e-mail: their users in the other
// services (the rows still valid) and their professional account here, if active.
func (s *Service) DropdownStatus(ctx context.Context, email string) (Status, error) {
	email = account.NormalizeEmail(email)
	var rows []struct {
		Source string `bun:"source"`
		Auth   string `bun:"auth"`
	}
	if err := s.db.NewRaw(`SELECT u.source, u.auth FROM nexus_user u LEFT JOIN nexus_sync s ON s.source = u.source
		WHERE lower(u.email) = ? AND (s.valid_since IS NULL OR u.updated_at >= s.valid_since)`, email).Scan(ctx, &rows); err != nil {
		return Status{}, fmt.Errorf("nexus: dropdown status: %w", err)
	}
	st := Status{Services: []string{}}
	for _, r := range rows {
		st.Services = append(st.Services, r.Source)
		st.ProConnect = st.ProConnect || r.Auth == ProConnect
	}
	u, err := s.accounts.ByEmail(ctx, email)
	switch {
	case errors.Is(err, account.ErrNotFound):
	case err != nil:
		return Status{}, fmt.Errorf("nexus: dropdown status: %w", err)
	case u.IsActive && u.Kind == account.Professional:
		st.Services = append(st.Services, string(apitoken.LesEmplois))
		st.ProConnect = st.ProConnect || u.IdentityProvider == account.ProConnect
	}
	slices.Sort(st.Services)
	st.Services = slices.Compact(st.Services)
	return st, nil
}
