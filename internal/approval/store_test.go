package approval

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// queryCounter counts the statements the database runs.
type queryCounter struct{ n atomic.Int64 }

func (q *queryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	q.n.Add(1)
	return ctx
}
func (q *queryCounter) AfterQuery(context.Context, *bun.QueryEvent) {}

func TestGet_CostsAsManyQueriesWithManyChildrenAsWithNone(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		counter := &queryCounter{}
		svc := NewService(&db.DB{DB: d.DB.WithQueryHook(counter), Engine: d.Engine}, testPrefix)
		count := func(a *Approval) (int64, *Approval) {
			counter.n.Store(0)
			got, err := svc.Get(context.Background(), a.PublicID)
			if err != nil {
				t.Fatal(err)
			}
			return counter.n.Load(), got
		}
		bare, _ := f.hired("AI", f.today())
		full, _ := f.hired("AI", addDays(f.today(), -700))
		now := f.clk.Now()
		for i := range 5 {
			start := addDays(full.StartAt, 20*i)
			f.exec(`INSERT INTO suspension (approval_id, start_at, end_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`, full.ID, start, addDays(start, 5), now, now)
			f.exec(`INSERT INTO prolongation (approval_id, start_at, end_at, reason, created_at, updated_at) VALUES (?, ?, ?, 'COMPLETE_TRAINING', ?, ?)`,
				full.ID, addDays(full.EndAt, 10*i), addDays(full.EndAt, 10*i+10), now, now)
		}
		n0, _ := count(bare)
		n1, got := count(full)
		if n0 != n1 || len(got.Suspensions) != 5 || len(got.Prolongations) != 5 {
			t.Errorf("queries %d vs %d; %d suspensions, %d prolongations", n0, n1, len(got.Suspensions), len(got.Prolongations))
		}
		if !got.Suspensions[0].StartAt.Equal(full.StartAt) {
			t.Error("suspensions in date order")
		}
	})
}

// The invariants the schema checks itself (edge cases 9, 10, 24, 28): the service never relies
// on them, but a direct write cannot break them.
func TestSchema_RefusesBrokenRows(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a, _ := f.hired("AI", f.today())
		now := f.clk.Now()
		js := f.jobSeeker()
		for name, q := range map[string]string{
			"end before start (9)":           `INSERT INTO approval (public_id, number, start_at, end_at, user_id, origin, created_at, updated_at) VALUES ('p1', 'XXXXX0000100', '2024-01-02', '2024-01-02', ?, 'ai_stock', ?, ?)`,
			"13-digit SIRET (9)":             `INSERT INTO approval (public_id, number, start_at, end_at, user_id, origin, origin_siae_siret, created_at, updated_at) VALUES ('p2', 'XXXXX0000101', '2024-01-01', '2024-01-02', ?, 'ai_stock', '1234567890123', ?, ?)`,
			"default without diagnosis (10)": `INSERT INTO approval (public_id, number, start_at, end_at, user_id, origin, created_at, updated_at) VALUES ('p3', 'XXXXX0000102', '2024-01-01', '2024-01-02', ?, 'default', ?, ?)`,
		} {
			if _, err := d.NewRaw(q, js, now, now).Exec(ctx); err == nil {
				t.Errorf("%s: accepted", name)
			}
		}
		if _, err := d.NewRaw(`INSERT INTO approval (public_id, number, start_at, end_at, user_id, origin, created_at, updated_at) VALUES ('p4', 'XXXXX0000103', '2024-01-01', '2024-01-02', ?, 'ai_stock', ?, ?)`, js, now, now).Exec(ctx); err != nil {
			t.Errorf("ai_stock without diagnosis (10): %v", err)
		}
		request := `INSERT INTO prolongation_request (approval_id, start_at, end_at, reason, report_file_key, created_at, updated_at) VALUES (?, '2026-01-01', '2026-02-01', ?, ?, ?, ?)`
		if _, err := d.NewRaw(request, a.ID, "COMPLETE_TRAINING", "file", now, now).Exec(ctx); err == nil {
			t.Error("report file with COMPLETE_TRAINING (24): accepted")
		}
		if _, err := d.NewRaw(request, a.ID, "RQTH", "file", now, now).Exec(ctx); err != nil {
			t.Fatalf("report file with RQTH (24): %v", err)
		}
		if _, err := d.NewRaw(request, a.ID, "SENIOR", "", now, now).Exec(ctx); !db.IsUniqueViolation(err) {
			t.Errorf("a second PENDING request (28): %v", err)
		}
		var id int64
		if err := d.NewSelect().Table("prolongation_request").Column("id").Scan(ctx, &id); err != nil {
			t.Fatal(err)
		}
		if _, err := d.NewRaw(`INSERT INTO prolongation_request_deny_information (request_id, reason, reason_explanation, proposed_actions) VALUES (?, 'IAE', 'x', '[]')`, id).Exec(ctx); err == nil {
			t.Error("an empty list of actions (28): accepted")
		}
	})
}
