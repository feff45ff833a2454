package account

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"emplois/internal/platform/audit"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func proConnectIdentity(sub, email string) ProConnectIdentity {
	return ProConnectIdentity{Subject: sub, Email: email, FirstName: "Awa", LastName: "Diallo", ACR: "eidas1", AMR: []string{"pwd"}}
}

// passwordAccount stores an active, verified password account of any kind.
func passwordAccount(t *testing.T, s *Service, d *db.DB, kind Kind, email string) *User {
	t.Helper()
	hash, err := HashPassword(strongPassword, s.Params)
	if err != nil {
		t.Fatal(err)
	}
	now := s.now()
	u := &User{PublicID: uuid.NewString(), Email: email, Kind: kind, IdentityProvider: Django, PasswordHash: hash,
		FirstName: "Ancien", LastName: "Nom", IsActive: true, EmailVerifiedAt: &now, DateJoined: now}
	if err := insertUser(context.Background(), d, u, msgEmailExists); err != nil {
		t.Fatal(err)
	}
	return u
}

// lastLoginDetails returns the details of the newest audit event of this action.
func lastAuditDetails(t *testing.T, d *db.DB, action string) map[string]any {
	t.Helper()
	events, err := audit.List(context.Background(), d, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events { // newest first
		if e.Action == action {
			var details map[string]any
			if err := json.Unmarshal([]byte(e.Details), &details); err != nil {
				t.Fatal(err)
			}
			return details
		}
	}
	t.Fatalf("no %s event", action)
	return nil
}

func TestLoginWithProConnect_CreatesAProfessionalAtTheFirstLogin(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, d)
		out, err := s.LoginWithProConnect(ctx, proConnectIdentity("sub-awa", " Awa.Diallo@Example.org "), "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		u := out.User
		if !out.Created || u.Kind != Professional || u.IdentityProvider != ProConnect || u.Username != "sub-awa" ||
			u.Email != "awa.diallo@example.org" || u.DisplayName() != "Awa DIALLO" || !u.EmailVerified() ||
			u.FirstLogin == nil || u.LastLogin == nil || u.HasUsablePassword() {
			t.Fatalf("created %+v", u)
		}
		stored, err := s.ByID(ctx, u.ID)
		if err != nil || stored.Username != "sub-awa" || stored.IdentityProvider != ProConnect {
			t.Fatalf("stored %+v, %v", stored, err)
		}
		if got := actions(t, d); strings.Join(got, ",") != "signup,login" {
			t.Fatalf("audit = %v", got)
		}
		details := lastAuditDetails(t, d, ActionLogin)
		if details["provider"] != "PC" || details["method"] != "proconnect" || details["acr"] != "eidas1" {
			t.Fatalf("login audit details = %v", details)
		}
	})
}

func TestLoginWithProConnect_FindsTheAccountBySubAndFollowsNamesAndEmail(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, clock := newTestService(t, d)
		first, err := s.LoginWithProConnect(ctx, proConnectIdentity("sub-awa", "awa@example.org"), "")
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(secondsDuration(3600))
		id := proConnectIdentity("sub-awa", "awa.diallo@nouvelle-structure.fr")
		id.FirstName, id.LastName = "Awa Fatou", "Diallo-Sow"
		again, err := s.LoginWithProConnect(ctx, id, "")
		if err != nil {
			t.Fatal(err)
		}
		u := again.User
		if again.Created || u.ID != first.User.ID || u.Email != "awa.diallo@nouvelle-structure.fr" ||
			u.FirstName != "Awa Fatou" || u.LastName != "Diallo-Sow" || again.Warning != "" {
			t.Fatalf("second login %+v (warning %q)", u, again.Warning)
		}
		if !u.LastLogin.After(*u.FirstLogin) || !u.FirstLogin.Equal(*first.User.FirstLogin) {
			t.Fatalf("first login %v, last login %v", u.FirstLogin, u.LastLogin)
		}
	})
}

func TestLoginWithProConnect_KeepsTheEmailWhenTheNewOneBelongsToAnotherAccount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, d)
		if _, err := s.LoginWithProConnect(ctx, proConnectIdentity("sub-awa", "awa@example.org"), ""); err != nil {
			t.Fatal(err)
		}
		passwordAccount(t, s, d, JobSeeker, "awa.perso@example.org")
		out, err := s.LoginWithProConnect(ctx, proConnectIdentity("sub-awa", "awa.perso@example.org"), "")
		if err != nil {
			t.Fatal(err)
		}
		if out.User.Email != "awa@example.org" || !strings.Contains(out.Warning, "awa.perso@example.org") {
			t.Fatalf("email %q, warning %q", out.User.Email, out.Warning)
		}
	})
}

func TestLoginWithProConnect_MovesAProfessionalPasswordAccountToProConnect(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, d)
		old := passwordAccount(t, s, d, Professional, "awa@example.org")
		out, err := s.LoginWithProConnect(ctx, proConnectIdentity("sub-awa", "AWA@example.org"), "")
		if err != nil {
			t.Fatal(err)
		}
		u := out.User
		if out.Created || u.ID != old.ID || u.IdentityProvider != ProConnect || u.Username != "sub-awa" ||
			u.HasUsablePassword() || u.FirstName != "Awa" {
			t.Fatalf("migrated %+v", u)
		}
		if details := lastAuditDetails(t, d, ActionLogin); details["migrated_from"] != "DJANGO" {
			t.Fatalf("login audit details = %v", details)
		}
		// The password does not open the account any more, and the message names ProConnect.
		_, err = s.Authenticate(ctx, "awa@example.org", strongPassword, "")
		var pe *ProviderError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), "ProConnect") {
			t.Fatalf("password login after the move: %v", err)
		}
	})
}

func TestLoginWithProConnect_AcceptsANewSubWhenTheEmailMatches(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, d)
		first, err := s.LoginWithProConnect(ctx, proConnectIdentity("sub-old", "awa@example.org"), "")
		if err != nil {
			t.Fatal(err)
		}
		out, err := s.LoginWithProConnect(ctx, proConnectIdentity("sub-new", "awa@example.org"), "")
		if err != nil {
			t.Fatal(err)
		}
		if out.User.ID != first.User.ID || out.User.Username != "sub-new" {
			t.Fatalf("after a sub change: %+v", out.User)
		}
		if _, err := userBySSO(ctx, d, ProConnect, "sub-old"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("the old sub still finds an account: %v", err)
		}
		if details := lastAuditDetails(t, d, ActionLogin); details["sub_changed"] != true {
			t.Fatalf("login audit details = %v", details)
		}
	})
}

func TestLoginWithProConnect_RefusesAnEmailOwnedByAJobSeekerOrStaff(t *testing.T) {
	for _, kind := range []Kind{JobSeeker, Staff} {
		t.Run(string(kind), func(t *testing.T) {
			dbtest.Run(t, func(t *testing.T, d *db.DB) {
				ctx := context.Background()
				s, _ := newTestService(t, d)
				owner := passwordAccount(t, s, d, kind, "awa@example.org")
				_, err := s.LoginWithProConnect(ctx, proConnectIdentity("sub-awa", "awa@example.org"), "")
				var kc *KindConflictError
				if !errors.As(err, &kc) || kc.Kind != kind || !strings.Contains(err.Error(), "Un compte "+strings.ToLower(kind.Label())+" existe déjà") {
					t.Fatalf("err = %v", err)
				}
				stored, _ := s.ByID(ctx, owner.ID)
				if stored.IdentityProvider != Django || stored.Username != "" || stored.FirstName != "Ancien" {
					t.Fatalf("the other account was changed: %+v", stored)
				}
				if got := actions(t, d); strings.Join(got, ",") != "login_failed:kind_conflict" {
					t.Fatalf("audit = %v", got)
				}
			})
		})
	}
}

func TestLoginWithProConnect_RefusesADeactivatedAccountShowingItsPublicID(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, d)
		first, err := s.LoginWithProConnect(ctx, proConnectIdentity("sub-awa", "awa@example.org"), "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Deactivate(ctx, "awa@example.org"); err != nil {
			t.Fatal(err)
		}
		id := proConnectIdentity("sub-awa", "awa@example.org")
		id.FirstName = "Changé"
		_, err = s.LoginWithProConnect(ctx, id, "")
		if !errors.Is(err, ErrInactive) || !strings.Contains(err.Error(), first.User.PublicID) {
			t.Fatalf("err = %v", err)
		}
		if stored, _ := s.ByID(ctx, first.User.ID); stored.FirstName != "Awa" {
			t.Fatalf("a refused login changed the account: %+v", stored)
		}
		// Found by e-mail (new sub) too.
		_, err = s.LoginWithProConnect(ctx, proConnectIdentity("sub-other", "awa@example.org"), "")
		if !errors.Is(err, ErrInactive) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestLoginWithProConnect_RefusesClaimsWithoutSubOrValidEmail(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s, _ := newTestService(t, d)
		for _, id := range []ProConnectIdentity{proConnectIdentity("", "awa@example.org"), proConnectIdentity("sub", "pas-une-adresse"), proConnectIdentity("sub", "")} {
			if _, err := s.LoginWithProConnect(context.Background(), id, ""); !errors.Is(err, ErrProConnectIdentity) {
				t.Errorf("%+v: err = %v", id, err)
			}
		}
	})
}

func TestLoginWithProConnect_CutsOverlongNamesInsteadOfFailing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s, _ := newTestService(t, d)
		id := proConnectIdentity("sub-awa", "awa@example.org")
		id.LastName = strings.Repeat("é", 200)
		out, err := s.LoginWithProConnect(context.Background(), id, "")
		if err != nil {
			t.Fatal(err)
		}
		if n := len([]rune(out.User.LastName)); n != MaxNameLength {
			t.Fatalf("last name of %d characters", n)
		}
	})
}

func TestAuthenticate_RefusesProfessionalsWhenTheyMustUseProConnect(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		cfg, err := config.Load(func(k string) (string, bool) {
			v, ok := map[string]string{"EMPLOIS_PRO_PASSWORD_LOGIN": "false", "EMPLOIS_PROCONNECT_ISSUER": "https://auth.example.gouv.fr",
				"EMPLOIS_PROCONNECT_CLIENT_ID": "emplois", "EMPLOIS_PROCONNECT_CLIENT_SECRET": "s3cret"}[k]
			return v, ok
		})
		if err != nil {
			t.Fatal(err)
		}
		s := NewService(d, cfg)
		s.Params = fastParams
		passwordAccount(t, s, d, Professional, "pro@example.org")
		passwordAccount(t, s, d, JobSeeker, "candidat@example.org")
		if _, err := s.Authenticate(ctx, "pro@example.org", strongPassword, ""); !errors.Is(err, ErrProConnectRequired) {
			t.Fatalf("professional: %v", err)
		}
		if _, err := s.Authenticate(ctx, "pro@example.org", "Pas-Le-Bon-Mot-De-Passe-1", ""); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("a wrong password must not tell the account is a professional's: %v", err)
		}
		if _, err := s.Authenticate(ctx, "candidat@example.org", strongPassword, ""); err != nil {
			t.Fatalf("job seekers still log in with a password: %v", err)
		}
	})
}

func TestAuthenticate_LetsProfessionalsUseAPasswordWhenProConnectIsNotConfigured(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		cfg, err := config.Load(func(k string) (string, bool) {
			if k == "EMPLOIS_PRO_PASSWORD_LOGIN" {
				return "false", true
			}
			return "", false
		})
		if err != nil {
			t.Fatal(err)
		}
		s := NewService(d, cfg)
		s.Params = fastParams
		passwordAccount(t, s, d, Professional, "pro@example.org")
		if _, err := s.Authenticate(context.Background(), "pro@example.org", strongPassword, ""); err != nil {
			t.Fatalf("without ProConnect, the password is the only way in: %v", err)
		}
	})
}
