// Package audit appends who-did-what events (logins, password changes, membership and
// habilitation changes, PASS IAE decisions) to the audit_event table. Events are written in the
// caller's transaction, so an action and its trace commit or roll back together.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
)

// Event is one audit line. Details must never hold secrets (passwords, tokens) or a NIR.
type Event struct {
	bun.BaseModel `bun:"table:audit_event"`

	ID          int64     `bun:"id,pk,autoincrement"`
	OccurredAt  time.Time `bun:"occurred_at,notnull"`
	ActorUserID *int64    `bun:"actor_user_id"`
	Action      string    `bun:"action,notnull"`
	ObjectType  string    `bun:"object_type,notnull"`
	ObjectID    string    `bun:"object_id,notnull"`
	ClientIP    string    `bun:"client_ip,notnull"`
	Details     string    `bun:"details,notnull"`
}

// Object is what an event is about: a table name ("user", "company", "job_description"...) and
// the object's public id.
type Object struct {
	Type string
	ID   string
}

// Record appends an event done by a (the zero Actor for the system) through idb (a *bun.DB or a
// bun.Tx), dated now. details may be nil.
func Record(ctx context.Context, idb bun.IDB, a actor.Actor, action string, object Object, details map[string]any) error {
	e := Event{OccurredAt: time.Now().UTC(), Action: action, ObjectType: object.Type, ObjectID: object.ID,
		ClientIP: a.ClientIP, Details: "{}"}
	if a.UserID != 0 {
		id := a.UserID
		e.ActorUserID = &id
	}
	if details != nil {
		b, err := json.Marshal(details)
		if err != nil {
			return fmt.Errorf("audit: encode details: %w", err)
		}
		e.Details = string(b)
	}
	if _, err := idb.NewInsert().Model(&e).Exec(ctx); err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	return nil
}

// List returns the newest events first, at most limit, optionally for one actor (0 = everyone).
func List(ctx context.Context, idb bun.IDB, actorUserID int64, limit int) ([]Event, error) {
	var events []Event
	q := idb.NewSelect().Model(&events).OrderExpr("id DESC").Limit(int64(limit))
	if actorUserID != 0 {
		q = q.Where("actor_user_id = ?", actorUserID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	return events, nil
}
