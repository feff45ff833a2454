package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func staffMember(t *testing.T, s *Service, email string) *User {
	t.Helper()
	u, err := s.CreateStaff(context.Background(), StaffInput{Email: email, FirstName: "Sol", LastName: "Staff", Password: strongPassword})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestDeactivateUser_EndsSessionsRefusesLoginAndIsAuditedWithTheStaffActor(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s, _ := newTestService(t, d)
		ctx := context.Background()
		staff := staffMember(t, s, "staff@example.org")
		u := verifiedJobSeeker(t, s, d, "alice@example.org")

		got, err := s.DeactivateUser(ctx, staff.Actor("192.0.2.9"), u.PublicID)
		if err != nil {
			t.Fatal(err)
		}
		if got.IsActive || got.SessionVersion != u.SessionVersion+1 {
			t.Errorf("after deactivation: active %v, session version %d (was %d)", got.IsActive, got.SessionVersion, u.SessionVersion)
		}
		if _, err := s.Authenticate(ctx, "alice@example.org", strongPassword, "192.0.2.1"); !errors.Is(err, ErrInactive) {
			t.Errorf("login of a deactivated account: %v", err)
		}
		var events []audit.Event
		if err := d.NewSelect().Model(&events).Where("action = ?", ActionUserDeactivated).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if len(events) != 1 || events[0].ActorUserID == nil || *events[0].ActorUserID != staff.ID ||
			events[0].ObjectID != u.PublicID || events[0].ClientIP != "192.0.2.9" || events[0].Details != `{"via":"staff"}` {
			t.Errorf("audit: %+v", events)
		}

		// Again: nothing changes, nothing is recorded.
		if _, err := s.DeactivateUser(ctx, staff.Actor(""), u.PublicID); err != nil {
			t.Fatal(err)
		}
		if n, _ := d.NewSelect().Model((*audit.Event)(nil)).Where("action = ?", ActionUserDeactivated).Count(ctx); n != 1 {
			t.Errorf("%d deactivation events, want 1", n)
		}

		if _, err := s.ReactivateUser(ctx, staff.Actor(""), u.PublicID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, "alice@example.org", strongPassword, "192.0.2.1"); err != nil {
			t.Errorf("login after reactivation: %v", err)
		}
		if n, _ := d.NewSelect().Model((*audit.Event)(nil)).Where("action = ?", ActionUserReactivated).Count(ctx); n != 1 {
			t.Errorf("%d reactivation events, want 1", n)
		}
	})
}

func TestDeactivateUser_OnlyActiveStaffMayAndNeverOnThemselves(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s, _ := newTestService(t, d)
		ctx := context.Background()
		staff := staffMember(t, s, "staff@example.org")
		other := staffMember(t, s, "other@example.org")
		alice := verifiedJobSeeker(t, s, d, "alice@example.org")
		bob := verifiedJobSeeker(t, s, d, "bob@example.org")

		for name, tc := range map[string]struct {
			actor    int64
			publicID string
			want     error
		}{
			"a job seeker":        {alice.ID, bob.PublicID, ErrStaffOnly},
			"an unknown actor":    {999999, bob.PublicID, ErrStaffOnly},
			"staff on themselves": {staff.ID, staff.PublicID, ErrDeactivateSelf},
			"an unknown account":  {staff.ID, "00000000-0000-0000-0000-000000000000", ErrNotFound},
		} {
			if _, err := s.DeactivateUser(ctx, actor.Actor{UserID: tc.actor}, tc.publicID); !errors.Is(err, tc.want) {
				t.Errorf("%s: %v, want %v", name, err, tc.want)
			}
		}
		if _, err := s.DeactivateUser(ctx, staff.Actor(""), other.PublicID); err != nil {
			t.Fatal(err)
		}
		// A deactivated staff member may no longer act.
		if _, err := s.DeactivateUser(ctx, other.Actor(""), bob.PublicID); !errors.Is(err, ErrStaffOnly) {
			t.Errorf("deactivated staff: %v", err)
		}
		if u, _ := s.ByID(ctx, bob.ID); !u.IsActive {
			t.Error("a refused deactivation changed the account")
		}
	})
}

func TestSearchUsers_MatchesEveryWordInEmailOrNamesFiltersByKindAndPaginates(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s, _ := newTestService(t, d)
		ctx := context.Background()
		alice := verifiedJobSeeker(t, s, d, "alice@example.org") // Alice Martin
		staffMember(t, s, "sol@inclusion.example")               // Sol Staff
		for i := 0; i < 5; i++ {
			if _, err := s.CreateProfessional(ctx, ProfessionalInput{Email: fmt.Sprintf("pro%d@example.org", i), FirstName: "Pat",
				LastName: fmt.Sprintf("Martin %d", i), Password: strongPassword}, "test", ""); err != nil {
				t.Fatal(err)
			}
		}
		search := func(text string, kind Kind, offset, limit int) ([]string, int) {
			t.Helper()
			users, total, err := s.SearchUsers(ctx, UserSearch{Text: text, Kind: kind}, offset, limit)
			if err != nil {
				t.Fatal(err)
			}
			var emails []string
			for _, u := range users {
				emails = append(emails, u.Email)
			}
			return emails, total
		}
		for _, tc := range []struct {
			text  string
			kind  Kind
			want  string
			total int
		}{
			{"MARTIN", "", "alice@example.org pro0@example.org pro1@example.org", 6},
			{"martin", JobSeeker, "alice@example.org", 1},
			{"pat martin 3", "", "pro3@example.org", 1},
			{"inclusion.example", "", "sol@inclusion.example", 1},
			{"Sol", Staff, "sol@inclusion.example", 1},
			{alice.PublicID, "", "alice@example.org", 1},
			{"100%", "", "", 0},
			{"   ", "", "", 0},
		} {
			got, total := search(tc.text, tc.kind, 0, 3)
			if fmt.Sprint(got) != fmt.Sprint(strings.Fields(tc.want)) || total != tc.total {
				t.Errorf("search %q (%s): %v of %d, want %q of %d", tc.text, tc.kind, got, total, tc.want, tc.total)
			}
		}
		if got, total := search("martin", "", 3, 3); fmt.Sprint(got) != "[pro2@example.org pro3@example.org pro4@example.org]" || total != 6 {
			t.Errorf("second page: %v of %d", got, total)
		}
		if got, total := search("martin", "", 9, 3); got != nil || total != 6 {
			t.Errorf("past the end: %v of %d", got, total)
		}
	})
}
