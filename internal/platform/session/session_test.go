package session_test

import (
	"context"
	"testing"
	"time"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/session"
)

func TestStore_FindsLiveSessionsAndForgetsExpiredOnes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := session.NewStore(d)
		now := time.Now().UTC()
		if err := s.CommitCtx(ctx, "live", []byte("a"), now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.CommitCtx(ctx, "live", []byte("b"), now.Add(2*time.Hour)); err != nil {
			t.Fatalf("commit twice (upsert): %v", err)
		}
		if err := s.CommitCtx(ctx, "old", []byte("c"), now.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		b, found, err := s.FindCtx(ctx, "live")
		if err != nil || !found || string(b) != "b" {
			t.Fatalf("Find(live) = %q, %v, %v", b, found, err)
		}
		if _, found, _ := s.FindCtx(ctx, "old"); found {
			t.Fatal("an expired session was found")
		}
		n, err := s.DeleteExpired(ctx, now)
		if err != nil || n != 1 {
			t.Fatalf("DeleteExpired = %d, %v; want 1", n, err)
		}
		if err := s.DeleteCtx(ctx, "live"); err != nil {
			t.Fatal(err)
		}
		if _, found, _ := s.FindCtx(ctx, "live"); found {
			t.Fatal("a deleted session was found")
		}
	})
}
