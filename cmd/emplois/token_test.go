package main

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"emplois/internal/apitoken"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func tokenCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := runToken(context.Background(), args, &out, &errOut)
	return out.String(), err
}

func TestTokenCommand_CreatesListsAndRevokesFamilyTokens(t *testing.T) {
	for _, engine := range dbtest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			url := dbtest.URL(t, engine)
			t.Setenv("DATABASE_URL", url)
			ctx := context.Background()
			keyLine := regexp.MustCompile(`key \(shown once, not stored\): (\S{43})\n`)

			out, err := tokenCLI(t, "create", "--kind", "department", "--department", "33", "--label", "CD de la Gironde")
			m := keyLine.FindStringSubmatch(out)
			if err != nil || m == nil || !strings.Contains(out, "DepartmentToken-") || !strings.Contains(out, "-for-33") {
				t.Fatalf("%v\n%s", err, out)
			}
			if _, err := tokenCLI(t, "create", "--kind", "service", "--service", "dora", "--label", "synchronisation"); err != nil {
				t.Fatal(err)
			}
			if _, err := tokenCLI(t, "create", "--kind", "service", "--service", "facebook"); err == nil || !strings.Contains(err.Error(), "--service: Choisissez un service parmi") {
				t.Errorf("unknown service: %v", err)
			}
			if _, err := tokenCLI(t, "create", "--kind", "company", "--label", "GEIQ", "--company", "nope"); err == nil || !strings.Contains(err.Error(), "--company: Aucune entreprise") {
				t.Errorf("unknown company: %v", err)
			}

			d, err := db.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			tokens := apitoken.NewService(d, nil)
			tok, err := tokens.Authenticate(ctx, m[1])
			if err != nil || tok.Department != "33" || tok.Label != "CD de la Gironde" {
				t.Fatalf("the printed key: %+v %v", tok, err)
			}

			out, err = tokenCLI(t, "list")
			if err != nil || !strings.Contains(out, "CD de la Gironde") || !strings.Contains(out, "dora") || !strings.Contains(out, m[1][40:]) ||
				strings.Contains(out, m[1]) {
				t.Errorf("list: %v\n%s", err, out)
			}
			if out, _ := tokenCLI(t, "list", "--kind", "service"); strings.Contains(out, "Gironde") {
				t.Errorf("service tokens only:\n%s", out)
			}
			if _, err := tokenCLI(t, "revoke", "--id", "999"); err == nil || !strings.Contains(err.Error(), "no département, company or service token has id 999") {
				t.Errorf("unknown id: %v", err)
			}
			if out, err := tokenCLI(t, "revoke", "--id", fmt.Sprint(tok.ID)); err != nil || !strings.Contains(out, "revoked") {
				t.Fatalf("revoke: %v %s", err, out)
			}
			if _, err := tokens.Authenticate(ctx, m[1]); err == nil {
				t.Error("the revoked key still opens the API")
			}
			if _, err := tokenCLI(t, "revoke", "--id", fmt.Sprint(tok.ID)); err == nil || !strings.Contains(err.Error(), "already revoked") {
				t.Errorf("revoked twice: %v", err)
			}
			if out, _ := tokenCLI(t, "list", "--kind", "department"); !strings.Contains(out, "REVOKED") || strings.HasSuffix(strings.TrimSpace(out), "-") {
				t.Errorf("the revoked token is listed with its date:\n%s", out)
			}
		})
	}
}
