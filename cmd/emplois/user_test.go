package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"regexp"
	"strings"
	"testing"

	"emplois/internal/account"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// userCLI runs `emplois user ARGS` against the database at url, with stdin.
func userCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = runUser(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestUserCommand_CreatesStaffSetsPasswordsAndDeactivates(t *testing.T) {
	for _, engine := range dbtest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			url := dbtest.URL(t, engine)
			t.Setenv("DATABASE_URL", url)
			ctx := context.Background()

			out, _, err := userCLI(t, "", "create-staff", "--email", "Camille@Inclusion.example", "--first-name", "Camille", "--last-name", "Durand")
			if err != nil {
				t.Fatal(err)
			}
			m := regexp.MustCompile(`password \(shown once, not stored in clear\): (\S+)`).FindStringSubmatch(out)
			if m == nil || !strings.Contains(out, "staff account created: camille@inclusion.example") {
				t.Fatalf("output:\n%s", out)
			}
			generated := m[1]

			d, err := db.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			cfg, _ := config.Load(func(string) (string, bool) { return "", false })
			accounts := account.NewService(d, cfg)
			u, err := accounts.Authenticate(ctx, "camille@inclusion.example", generated, "")
			if err != nil || u.Kind != account.Staff {
				t.Fatalf("login with the generated password: %v", err)
			}

			_, _, err = userCLI(t, "court\n", "set-password", "--email", "camille@inclusion.example", "--password-stdin")
			if err == nil || !strings.Contains(err.Error(), "trop court") {
				t.Fatalf("weak password: %v", err)
			}
			out, _, err = userCLI(t, "Chat-Bleu-Sur-Le-Toit-2026\n", "set-password", "--email", "camille@inclusion.example", "--password-stdin")
			if err != nil || strings.Contains(out, "Chat-Bleu") {
				t.Fatalf("set password from stdin: %v\n%s", err, out)
			}
			if _, err := accounts.Authenticate(ctx, "camille@inclusion.example", "Chat-Bleu-Sur-Le-Toit-2026", ""); err != nil {
				t.Fatalf("login with the new password: %v", err)
			}

			if _, _, err := userCLI(t, "", "deactivate", "--email", "camille@inclusion.example"); err != nil {
				t.Fatal(err)
			}
			if _, err := accounts.Authenticate(ctx, "camille@inclusion.example", "Chat-Bleu-Sur-Le-Toit-2026", ""); !errors.Is(err, account.ErrInactive) {
				t.Fatalf("login after deactivation: %v", err)
			}

			events, _ := audit.List(ctx, d, 0, 100)
			var got []string
			for i := len(events) - 1; i >= 0; i-- {
				got = append(got, events[i].Action)
			}
			want := "staff_created login password_changed login user_deactivated login_failed"
			if strings.Join(got, " ") != want {
				t.Errorf("audit = %v, want %s", got, want)
			}
		})
	}
}

func TestUserCommand_RefusesBadInputWithReadableMessages(t *testing.T) {
	t.Setenv("DATABASE_URL", dbtest.URL(t, db.SQLite))
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"no action", "", nil, "missing action"},
		{"unknown action", "", []string{"promote"}, `unknown action "promote"`},
		{"no e-mail", "", []string{"deactivate"}, "--email is required"},
		{"bad e-mail", "", []string{"create-staff", "--email", "camille", "--first-name", "C", "--last-name", "D"}, "--email: Saisissez une adresse e-mail valide."},
		{"missing names", "", []string{"create-staff", "--email", "c@inclusion.example"}, "--first-name: Ce champ est obligatoire."},
		{"empty stdin", "", []string{"set-password", "--email", "c@inclusion.example", "--password-stdin"}, "standard input holds no password"},
		{"unknown account", "", []string{"deactivate", "--email", "nobody@inclusion.example"}, "no account with this e-mail"},
		{"unknown permission", "", []string{"grant", "--email", "c@inclusion.example", "--permission", "everything"}, "Permission inconnue « everything » (connues : employee_records_3437, superuser, api_tokens)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := userCLI(t, tt.stdin, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestUserCommand_HelpExplainsTheOptions(t *testing.T) {
	_, stderr, err := userCLI(t, "", "create-staff", "-h")
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"Usage: emplois user create-staff --email E", "-first-name", "-password-stdin", "printed once"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("help lacks %q:\n%s", want, stderr)
		}
	}
	_, stderr, _ = userCLI(t, "", "-h")
	for _, want := range []string{"create-staff", "set-password", "deactivate"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("action list lacks %q:\n%s", want, stderr)
		}
	}
}

func TestGeneratePassword_PassesTheRules(t *testing.T) {
	owner := account.PasswordOwner{Email: "camille@inclusion.example", FirstName: "Camille", LastName: "Durand"}
	seen := map[string]bool{}
	for range 50 {
		p, err := generatePassword(owner)
		if err != nil {
			t.Fatal(err)
		}
		if problems := account.PasswordProblems(p, owner); len(problems) > 0 || len(p) != 24 || seen[p] {
			t.Fatalf("generated %q: %v", p, problems)
		}
		seen[p] = true
	}
}

func TestUserCommand_GrantsAndRevokesAStaffPermission(t *testing.T) {
	for _, engine := range dbtest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			url := dbtest.URL(t, engine)
			t.Setenv("DATABASE_URL", url)
			ctx := context.Background()
			if _, _, err := userCLI(t, "", "create-staff", "--email", "camille@inclusion.example", "--first-name", "Camille", "--last-name", "Durand"); err != nil {
				t.Fatal(err)
			}
			d, err := db.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			var staff account.User
			if err := d.NewSelect().Model(&staff).Where("email = 'camille@inclusion.example'").Scan(ctx); err != nil {
				t.Fatal(err)
			}
			holds := func() error {
				return account.RequirePermission(ctx, d, staff.Actor(""), account.PermEmployeeRecords3437)
			}
			if err := holds(); !errors.Is(err, account.ErrNoPermission) {
				t.Fatalf("before the grant: %v", err)
			}
			for range 2 { // granting twice is harmless and audited once
				out, _, err := userCLI(t, "", "grant", "--email", "camille@inclusion.example", "--permission", "employee_records_3437")
				if err != nil || out != "camille@inclusion.example holds the permission employee_records_3437\n" {
					t.Fatalf("grant: %v %q", err, out)
				}
			}
			if err := holds(); err != nil {
				t.Fatalf("after the grant: %v", err)
			}
			if n, err := d.NewSelect().TableExpr("audit_event").Where("action = ?", account.ActionPermissionGranted).Count(ctx); err != nil || n != 1 {
				t.Errorf("%d grants audited, %v", n, err)
			}
			if _, _, err := userCLI(t, "", "revoke", "--email", "camille@inclusion.example", "--permission", "employee_records_3437"); err != nil {
				t.Fatal(err)
			}
			if err := holds(); !errors.Is(err, account.ErrNoPermission) {
				t.Errorf("after the revocation: %v", err)
			}
			// A deactivated staff account holds nothing, and is granted nothing.
			if _, _, err := userCLI(t, "", "deactivate", "--email", "camille@inclusion.example"); err != nil {
				t.Fatal(err)
			}
			if _, _, err := userCLI(t, "", "grant", "--email", "camille@inclusion.example", "--permission", "employee_records_3437"); err == nil ||
				!strings.Contains(err.Error(), "Seuls les comptes de l'équipe") {
				t.Errorf("grant to an inactive account: %v", err)
			}
		})
	}
}
