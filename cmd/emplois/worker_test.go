package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"emplois/internal/app"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/mail"
	"emplois/internal/platform/mail/mailtest"
)

var workerTestLog = slog.New(slog.NewTextHandler(io.Discard, nil))

func workerTestConfig(t *testing.T, env map[string]string) config.Config {
	t.Helper()
	cfg, err := config.Load(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if _, set := env["EMPLOIS_BLOB_URL"]; !set {
		cfg.BlobURL = "file://" + t.TempDir() // CVs of the test, removed with it
	}
	return cfg
}

// startTestWorker runs runWorker in the background and returns a stop function that cancels it and
// waits for it to return.
func startTestWorker(t *testing.T, cfg config.Config, d *db.DB) (stop func()) {
	t.Helper()
	return startTestWorkerLogging(t, cfg, d, workerTestLog)
}

// startTestWorkerLogging is startTestWorker writing its log to log.
func startTestWorkerLogging(t *testing.T, cfg config.Config, d *db.DB, log *slog.Logger) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	svc := workerServices(t, cfg, d, log)
	go func() { done <- runWorker(ctx, svc) }()
	return func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("runWorker = %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("runWorker did not return after its context ended")
		}
	}
}

// workerServices builds the services of an instance, as serve and worker do.
func workerServices(t *testing.T, cfg config.Config, d *db.DB, log *slog.Logger) *app.Services {
	t.Helper()
	svc, err := app.New(context.Background(), cfg, d, log)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func workerWaitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestRunWorker_DeliversQueuedMailOverSMTPAndStopsOnCancel(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		srv := mailtest.Start(t, "", mailtest.Options{})
		cfg := workerTestConfig(t, map[string]string{"EMPLOIS_SMTP_URL": "smtp://" + srv.Addr + "?tls=none"})
		if err := mail.Enqueue(context.Background(), d, mail.Compose("a@example.org", "Bienvenue", mail.Body{})); err != nil {
			t.Fatal(err)
		}
		stop := startTestWorker(t, cfg, d)
		workerWaitUntil(t, "the mail to reach the SMTP server", func() bool { return len(srv.Received()) == 1 })
		stop()
		rows, _ := mail.ListRecent(context.Background(), d, 10)
		if len(rows) != 1 || rows[0].Status != mail.StatusSent {
			t.Errorf("outbox = %+v; want the mail marked sent", rows)
		}
	})
}

func TestRunWorker_WithoutSMTPLeavesMailsInOutboxAndPurgesExpiredSessions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		cfg := workerTestConfig(t, map[string]string{})
		if err := mail.Enqueue(ctx, d, mail.Compose("a@example.org", "Bienvenue", mail.Body{})); err != nil {
			t.Fatal(err)
		}
		_, err := d.NewRaw("INSERT INTO http_session (token, data, expiry) VALUES (?, ?, ?), (?, ?, ?)",
			"expired", []byte("x"), time.Now().Add(-time.Hour).UTC(), "alive", []byte("x"), time.Now().Add(time.Hour).UTC()).Exec(ctx)
		if err != nil {
			t.Fatal(err)
		}
		logs := &strings.Builder{}
		stop := startTestWorkerLogging(t, cfg, d, slog.New(slog.NewTextHandler(logs, nil)))
		workerWaitUntil(t, "the expired session purge", func() bool {
			n, err := d.NewSelect().Table("http_session").Count(ctx)
			return err == nil && n == 1
		})
		stop()
		var tasks []string
		d.NewSelect().Table("periodic_task").Column("name").Order("name").Scan(ctx, &tasks)
		for _, name := range tasks {
			if name == "mail.deliver" {
				t.Error("mail delivery scheduled without EMPLOIS_SMTP_URL")
			}
		}
		rows, _ := mail.ListRecent(ctx, d, 10)
		if len(rows) != 1 || rows[0].Status != mail.StatusPending || rows[0].Attempts != 0 {
			t.Errorf("outbox = %+v; want the mail left pending", rows)
		}
		// A production instance without SMTP says at start that its mails are not sent.
		if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "NOT sent") {
			t.Errorf("log = %q; want a warning that mails are not sent", logs.String())
		}
	})
}

func TestRunWorker_RefusesInvalidSMTPURL(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	cfg := workerTestConfig(t, map[string]string{"EMPLOIS_SMTP_URL": "http://mail.example.org"})
	if err := runWorker(context.Background(), workerServices(t, cfg, d, workerTestLog)); err == nil {
		t.Error("runWorker accepted an http:// SMTP URL")
	}
}

func TestWorkerCommand_ExplainsItselfWithDashH(t *testing.T) {
	c, ok := find("worker")
	if !ok {
		t.Fatal("no worker command registered")
	}
	if err := c.run(context.Background(), []string{"-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("worker -h = %v; want the usage (flag.ErrHelp)", err)
	}
}

func TestWorkerCommand_RunsUntilSignalledThenExitsCleanly(t *testing.T) {
	url := dbtest.URL(t, db.SQLite)
	t.Setenv("DATABASE_URL", url)
	t.Setenv("EMPLOIS_LOG_FORMAT", "json")
	d, err := db.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	cfg := workerTestConfig(t, nil)
	registered, err := newWorker(workerServices(t, cfg, d, workerTestLog))
	if err != nil {
		t.Fatal(err)
	}
	tasks := len(registered.PeriodicTasks())
	c, _ := find("worker")
	ctx, cancel := context.WithCancel(context.Background()) // main cancels it on SIGTERM
	done := make(chan error, 1)
	go func() { done <- c.run(ctx, nil) }()
	workerWaitUntil(t, "the worker to run its periodic tasks", func() bool {
		select {
		case err := <-done:
			t.Fatalf("worker stopped on its own: %v", err)
		default:
		}
		// Every periodic task registered without SMTP has run.
		n, err := d.NewSelect().Table("periodic_task").Where("last_run_at IS NOT NULL").Count(context.Background())
		return err == nil && int(n) == tasks
	})
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("worker = %v; want a clean exit", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("worker did not stop after the signal")
	}
}
