package savedsearch

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func newUser(t *testing.T, d *db.DB, email string) *account.User {
	t.Helper()
	u := &account.User{PublicID: uuid.NewString(), Email: email, Kind: account.JobSeeker, IdentityProvider: account.Django,
		FirstName: "Prénom", LastName: "Nom", IsActive: true, DateJoined: time.Now()}
	if _, err := d.NewInsert().Model(u).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	return u
}

const lyonQuery = "city=69123&distance=25"

func TestSave_ListsAndDeletesOnlyTheUsersOwnSearches(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := NewService(d)
		alice, bob := newUser(t, d, "alice@example.org"), newUser(t, d, "bob@example.org")
		saved, err := svc.Save(ctx, alice.ID, "  Lyon  ", "/search/employers", lyonQuery)
		if err != nil {
			t.Fatal(err)
		}
		if saved.Name != "Lyon" || saved.URL() != "/search/employers?"+lyonQuery {
			t.Errorf("saved %+v", saved)
		}
		if _, err := svc.Save(ctx, bob.ID, "Lyon", "/search/job-descriptions", lyonQuery); err != nil {
			t.Errorf("another user may use the same name: %v", err)
		}
		var refused *Error
		if _, err := svc.Save(ctx, alice.ID, "Lyon", "/search/job-descriptions", lyonQuery); !errors.As(err, &refused) || refused.Message != MsgNameTaken {
			t.Errorf("same name twice: %v", err)
		}
		if _, err := svc.Save(ctx, alice.ID, "Ailleurs", "/accounts/login", "next=x"); err == nil {
			t.Error("a page that is not a search was saved")
		}
		if _, err := svc.Delete(ctx, bob.ID, saved.UID); !errors.Is(err, ErrNotFound) {
			t.Errorf("bob deletes alice's search: %v", err)
		}
		list, err := svc.List(ctx, alice.ID)
		if err != nil || len(list) != 1 || list[0].UID != saved.UID {
			t.Fatalf("alice's list %+v, %v", list, err)
		}
		if _, err := svc.Delete(ctx, alice.ID, saved.UID); err != nil {
			t.Fatal(err)
		}
		if list, _ := svc.List(ctx, alice.ID); len(list) != 0 {
			t.Errorf("after deletion: %+v", list)
		}
		if list, _ := svc.List(ctx, bob.ID); len(list) != 1 {
			t.Errorf("bob's list %+v", list)
		}
	})
}

func TestSave_RefusesThe21stSearch(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := NewService(d)
		u := newUser(t, d, "alice@example.org")
		for i := range MaxPerUser {
			if _, err := svc.Save(ctx, u.ID, fmt.Sprintf("Recherche %d", i+1), "/search/employers", lyonQuery); err != nil {
				t.Fatal(err)
			}
		}
		var refused *Error
		_, err := svc.Save(ctx, u.ID, "Une de trop", "/search/employers", lyonQuery)
		if !errors.As(err, &refused) || refused.Message != MsgTooMany || refused.Field != "" {
			t.Errorf("21st search: %v", err)
		}
		if list, _ := svc.List(ctx, u.ID); len(list) != MaxPerUser {
			t.Errorf("%d searches kept", len(list))
		}
	})
}
