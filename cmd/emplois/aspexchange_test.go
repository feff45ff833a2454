package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"emplois/internal/employeerecord"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/sftpbox"
)

func TestASPExchangeCommand_RefusesATransferWithoutTheASPsSettings(t *testing.T) {
	c, _ := find("asp-exchange")
	var out, errOut bytes.Buffer
	if err := runASPExchange(context.Background(), c, nil, &out, &errOut); err == nil || !strings.Contains(err.Error(), "nothing to do") {
		t.Errorf("no option: %v", err)
	}
	t.Setenv("DATABASE_URL", dbtest.URL(t, dbtest.Engines()[0]))
	t.Setenv("EMPLOIS_ASP_SFTP_HOST", "")
	for _, args := range [][]string{{"--upload"}, {"--download", "--wet-run"}} {
		if err := runASPExchange(context.Background(), c, args, &out, &errOut); !errors.Is(err, errASPNotConfigured) {
			t.Errorf("%v: %v", args, err)
		}
	}
	// The preflight needs no server.
	out.Reset()
	if err := runASPExchange(context.Background(), c, []string{"--preflight"}, &out, &errOut); err != nil ||
		out.String() != "No object to check. Exiting preflight.\n" {
		t.Errorf("preflight: %v %q", err, out.String())
	}
}

func TestASPExchangeCommand_DryRunsThenTheRealExchangeOfTheDemoFiche(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := workerServices(t, demoConfig(t), d, workerTestLog)
		var out bytes.Buffer
		if err := loadDemo(ctx, svc, &out); err != nil {
			t.Fatal(err)
		}
		server, err := sftpbox.NewServer(t.TempDir(), "emplois", employeerecord.UploadFolder, employeerecord.DownloadFolder)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { server.Close() })
		svc.UseASP(server.Client, false)
		var ready struct {
			PublicID string `bun:"public_id"`
			LastName string `bun:"last_name"`
			NIR      string `bun:"nir"`
		}
		err = d.NewRaw(`SELECT er.public_id, u.last_name, COALESCE(p.nir, '') AS nir FROM employee_record AS er
			JOIN job_application AS ja ON ja.id = er.job_application_id JOIN users AS u ON u.id = ja.job_seeker_id
			JOIN job_seeker_profile AS p ON p.user_id = u.id WHERE er.status = 'READY'`).Scan(ctx, &ready)
		if err != nil {
			t.Fatal(err)
		}
		status := func() string {
			var s string
			if err := d.NewRaw("SELECT status FROM employee_record WHERE public_id = ?", ready.PublicID).Scan(ctx, &s); err != nil {
				t.Fatal(err)
			}
			return s
		}
		run := func(o aspExchangeRun) string {
			t.Helper()
			var out bytes.Buffer
			if err := aspExchange(ctx, d, svc.ASPExchange, o, &out); err != nil {
				t.Fatalf("%+v: %v\n%s", o, err, out.String())
			}
			if strings.Contains(out.String(), ready.LastName) || ready.NIR != "" && strings.Contains(out.String(), ready.NIR) {
				t.Errorf("the output names the employee:\n%s", out.String())
			}
			return out.String()
		}
		if got := run(aspExchangeRun{preflight: true}); got != "All serializations ok, you may skip preflight...\n" {
			t.Errorf("preflight: %q", got)
		}
		got := run(aspExchangeRun{upload: true})
		if !strings.Contains(got, "DRY-RUN: (not) sending 'RIAE_FS_") || !strings.Contains(got, "line 1: "+ready.PublicID) ||
			!strings.Contains(got, "upload: no notifications to send") || status() != "READY" {
			t.Fatalf("dry upload, fiche %s:\n%s", status(), got)
		}
		if got := run(aspExchangeRun{upload: true, wet: true}); !strings.Contains(got, "upload: sent 'RIAE_FS_") || status() != "SENT" {
			t.Fatalf("upload, fiche %s:\n%s", status(), got)
		}
		feedback, err := (&employeerecord.DemoASP{Root: server.Root}).Answer()
		if err != nil || len(feedback) != 1 {
			t.Fatalf("the ASP answered %v %v", feedback, err)
		}
		local := filepath.Join(t.TempDir(), feedback[0])
		data, _ := os.ReadFile(filepath.Join(server.Root, employeerecord.DownloadFolder, feedback[0]))
		if err := os.WriteFile(local, data, 0o600); err != nil {
			t.Fatal(err)
		}
		applied := feedback[0] + " line 1: " + ready.PublicID + " → PROCESSED (code 0000)"
		if got := run(aspExchangeRun{download: true}); !strings.Contains(got, "DRY-RUN: "+applied) || status() != "SENT" {
			t.Fatalf("dry download, fiche %s:\n%s", status(), got)
		}
		if got := run(aspExchangeRun{parseFile: local}); !strings.Contains(got, "DRY-RUN: "+applied) || status() != "SENT" {
			t.Fatalf("dry parse-file, fiche %s:\n%s", status(), got)
		}
		got = run(aspExchangeRun{download: true, wet: true})
		if !strings.Contains(got, "download: "+applied) || !strings.Contains(got, "successfully parsed 1/1 files") || status() != "PROCESSED" {
			t.Fatalf("download, fiche %s:\n%s", status(), got)
		}
		if entries, _ := os.ReadDir(filepath.Join(server.Root, employeerecord.DownloadFolder)); len(entries) != 0 {
			t.Errorf("retrait still holds %d files", len(entries))
		}
	})
}
