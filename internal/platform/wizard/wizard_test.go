package wizard_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/wizard"
)

type state struct {
	Step string   `json:"step"`
	Jobs []string `json:"jobs"`
}

func TestWizard_EachKeyKeepsItsOwnStateForItsUserKindAndLifetime(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		users := make([]int64, 2)
		for i := range users {
			u := &account.User{PublicID: []string{"a0000000-0000-0000-0000-000000000001", "a0000000-0000-0000-0000-000000000002"}[i],
				Email: []string{"a@example.org", "b@example.org"}[i], Kind: account.JobSeeker, IdentityProvider: account.Django, IsActive: true, DateJoined: time.Now()}
			if _, err := d.NewInsert().Model(u).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			users[i] = u.ID
		}
		now := time.Now().UTC().Truncate(time.Second)
		tab1, err := wizard.Start(ctx, d, users[0], "apply", state{Step: "jobs"}, now, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		tab2, err := wizard.Start(ctx, d, users[0], "apply", state{Step: "message"}, now, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if tab1 == tab2 || len(tab1) < 20 {
			t.Fatalf("keys %q and %q", tab1, tab2)
		}
		if err := wizard.Save(ctx, d, users[0], tab1, state{Step: "confirm", Jobs: []string{"x"}}); err != nil {
			t.Fatal(err)
		}
		var got state
		if err := wizard.Load(ctx, d, users[0], "apply", tab1, now, &got); err != nil || got.Step != "confirm" || len(got.Jobs) != 1 {
			t.Fatalf("tab 1: %+v, %v", got, err)
		}
		if err := wizard.Load(ctx, d, users[0], "apply", tab2, now, &got); err != nil || got.Step != "message" {
			t.Fatalf("tab 2: %+v, %v", got, err)
		}
		for name, load := range map[string]func() error{
			"another user": func() error { return wizard.Load(ctx, d, users[1], "apply", tab1, now, &got) },
			"another kind": func() error { return wizard.Load(ctx, d, users[0], "proxy", tab1, now, &got) },
			"expired":      func() error { return wizard.Load(ctx, d, users[0], "apply", tab1, now.Add(time.Hour), &got) },
			"unknown key":  func() error { return wizard.Load(ctx, d, users[0], "apply", "inconnue", now, &got) },
			"anonymous":    func() error { return wizard.Load(ctx, d, 0, "apply", tab1, now, &got) },
		} {
			if err := load(); !errors.Is(err, wizard.ErrNotFound) {
				t.Errorf("%s: %v, want ErrNotFound", name, err)
			}
		}
		if err := wizard.Save(ctx, d, users[1], tab2, state{Step: "forged"}); err != nil {
			t.Fatal(err)
		}
		if err := wizard.Load(ctx, d, users[0], "apply", tab2, now, &got); err != nil || got.Step != "message" {
			t.Fatalf("another user's save changed tab 2: %+v, %v", got, err)
		}
		if err := wizard.Delete(ctx, d, tab1); err != nil {
			t.Fatal(err)
		}
		if err := wizard.Load(ctx, d, users[0], "apply", tab1, now, &got); !errors.Is(err, wizard.ErrNotFound) {
			t.Fatalf("deleted: %v", err)
		}
	})
}

func TestPurge_DeletesTheExpiredJourneysOfAKindAfterShowingTheirData(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		u := &account.User{PublicID: "a0000000-0000-0000-0000-000000000003", Email: "c@example.org", Kind: account.JobSeeker,
			IdentityProvider: account.Django, IsActive: true, DateJoined: time.Now()}
		if _, err := d.NewInsert().Model(u).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		for i, c := range []struct {
			kind string
			ttl  time.Duration
		}{{"apply", time.Minute}, {"apply", time.Minute}, {"apply", 2 * time.Hour}, {"proxy", time.Minute}} {
			if _, err := wizard.Start(ctx, d, u.ID, c.kind, state{Step: fmt.Sprint(i)}, now, c.ttl); err != nil {
				t.Fatal(err)
			}
		}
		var seen []string
		n, err := wizard.Purge(ctx, d, "apply", now.Add(time.Hour), func(data []byte) error {
			var s state
			if err := json.Unmarshal(data, &s); err != nil {
				return err
			}
			seen = append(seen, s.Step)
			return nil
		})
		sort.Strings(seen)
		if err != nil || n != 2 || strings.Join(seen, ",") != "0,1" {
			t.Fatalf("purged %d (%v), saw %v", n, err, seen)
		}
		if n, err := wizard.Purge(ctx, d, "", now.Add(time.Hour), nil); err != nil || n != 1 {
			t.Fatalf("purged %d of every kind, %v", n, err)
		}
		if left, err := d.NewSelect().Table("wizard_session").Count(ctx); err != nil || left != 1 {
			t.Fatalf("%d left, %v", left, err)
		}
	})
}
