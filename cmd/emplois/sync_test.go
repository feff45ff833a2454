package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/francetravail"
	"emplois/internal/platform/francetravail/fttest"
)

// syncCLI runs `emplois sync ARGS` against DATABASE_URL and the France Travail of the environment.
func syncCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	c, ok := find("sync")
	if !ok {
		t.Fatal("sync command not registered")
	}
	var out, errOut bytes.Buffer
	err := runSync(context.Background(), c, args, &out, &errOut)
	return out.String(), err
}

func TestSyncCommand_PrintsTheChangesAndWritesOnlyWithWetRun(t *testing.T) {
	for _, engine := range dbtest.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			url := dbtest.URL(t, engine)
			t.Setenv("DATABASE_URL", url)
			ft := fttest.New()
			t.Cleanup(ft.Close)
			ft.SetAgencies([]francetravail.Agency{{CodeSafir: "69031", SIRET: "13000548100101", Libelle: "*LYON PART DIEU"},
				{CodeSafir: "75001", Libelle: "PARIS 1ER"}})

			// Off until configured.
			if _, err := syncCLI(t, "ft-agencies", "update-information"); err == nil || !strings.Contains(err.Error(), "EMPLOIS_FT_API_BASE_URL") {
				t.Fatalf("without configuration: %v", err)
			}
			t.Setenv("EMPLOIS_FT_API_BASE_URL", ft.URL)
			t.Setenv("EMPLOIS_FT_AUTH_BASE_URL", ft.URL)
			t.Setenv("EMPLOIS_FT_CLIENT_ID", fttest.ClientID)
			t.Setenv("EMPLOIS_FT_CLIENT_SECRET", fttest.ClientSecret)
			if _, err := syncCLI(t, "ft-agencies", "delete-everything"); err == nil || !strings.Contains(err.Error(), "usage: emplois sync ft-agencies") {
				t.Errorf("unknown action: %v", err)
			}

			want := "ADDED item key=('69031',) data=['siret', 'name', 'phone', 'email', 'address_line_1', 'post_code', 'coords', 'insee_city']\n" +
				"ADDED item key=('75001',) data=['siret', 'name', 'phone', 'email', 'address_line_1', 'post_code', 'coords', 'insee_city']\n" +
				"SUMMARY PrescriberOrganization current_collection_keys_count=0 comparative_collection_keys_count=2 common_keys_count=0 added_keys_count=2 updated_keys_count=0 removed_keys_count=0\n"
			out, err := syncCLI(t, "ft-agencies", "update-information")
			if !errors.Is(err, org.ErrDryRun) || out != want {
				t.Fatalf("dry run: %v\n%s", err, out)
			}
			out, err = syncCLI(t, "ft-agencies", "--wet-run", "update-information")
			if err != nil || out != want {
				t.Fatalf("wet run: %v\n%s", err, out)
			}
			d, err := db.Open(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			var names []string
			if err := d.NewRaw("SELECT name FROM prescriber_organization WHERE kind = 'FT' AND authorization_status = 'VALIDATED' ORDER BY code_safir").Scan(context.Background(), &names); err != nil {
				t.Fatal(err)
			}
			if strings.Join(names, "|") != "France Travail - LYON PART DIEU|France Travail - PARIS 1ER" {
				t.Errorf("agencies stored: %v", names)
			}
			out, err = syncCLI(t, "ft-agencies", "fix-empty-safir", "--wet-run")
			if err != nil || out != "" {
				t.Errorf("fix-empty-safir with nothing to fix: %v %q", err, out)
			}
			if n := ft.Counts(); n.TokensIssued != 1 || n.AgencyCalls != 3 {
				t.Errorf("France Travail was asked %+v: one token for the three runs", n)
			}
		})
	}
}

func TestWorker_SaysOnceAtStartThatFranceTravailIsOff(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	for _, tc := range []struct {
		env  map[string]string
		want int
	}{
		{nil, 1},
		{map[string]string{"EMPLOIS_FT_API_BASE_URL": "https://api.francetravail.io/partenaire", "EMPLOIS_FT_AUTH_BASE_URL": "https://entreprise.francetravail.fr",
			"EMPLOIS_FT_CLIENT_ID": "id", "EMPLOIS_FT_CLIENT_SECRET": "secret"}, 0},
	} {
		var logged bytes.Buffer
		svc := workerServices(t, workerTestConfig(t, tc.env), d, slog.New(slog.NewTextHandler(&logged, nil)))
		if _, err := newWorker(svc); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(logged.String(), "France Travail: the calls to its partner API are off"); n != tc.want || (svc.FranceTravail == nil) != (tc.want == 1) {
			t.Errorf("%v: said %d times, want %d:\n%s", tc.env, n, tc.want, logged.String())
		}
	}
}
