package wizard_test

import (
	"context"
	"errors"
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
