package employeerecord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"emplois/internal/asp"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/sftpbox"
)

// exchangeFixture is the fixture with a real SFTP server on a local port, the demo ASP on its
// folder, the countries of the ASP reference, and an exchange whose clock ticks a second per
// reading (files are named by the second).
type exchangeFixture struct {
	*fixture
	server *sftpbox.Server
	asp    *DemoASP
	x      *Exchange
}

func newExchangeFixture(t testing.TB, d *db.DB) *exchangeFixture {
	f := newFixture(t, d)
	if _, err := asp.NewStore(d).ImportKnownCountries(context.Background()); err != nil {
		t.Fatal(err)
	}
	server, err := sftpbox.NewServer(t.TempDir(), "emplois", UploadFolder, DownloadFolder)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close() })
	tick := time.Date(2021, 9, 27, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { tick = tick.Add(time.Second); return tick }
	dial := func(ctx context.Context) (Remote, error) { return sftpbox.Dial(ctx, server.Client) }
	return &exchangeFixture{fixture: f, server: server, asp: &DemoASP{Root: server.Root}, x: NewExchange(d, dial, clock)}
}

// ready makes a READY fiche of a new employee named last (upper case as sent).
func (f *exchangeFixture) ready(number string) *Record {
	f.t.Helper()
	ctx := context.Background()
	r, err := f.svc.Create(ctx, f.admin, f.hired(f.employee(), f.antenna, number, f.today.AddDate(0, -1, 0)), "")
	if err != nil {
		f.t.Fatal(err)
	}
	if r, err = f.svc.Ready(ctx, f.admin, r.PublicID); err != nil {
		f.t.Fatal(err)
	}
	return r
}

func (f *exchangeFixture) get(r *Record) *Record {
	f.t.Helper()
	got := new(Record)
	if err := f.d.NewSelect().Model(got).Where("er.id = ?", r.ID).Scan(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return got
}

func (f *exchangeFixture) files(folder string) []string {
	f.t.Helper()
	entries, err := os.ReadDir(filepath.Join(f.server.Root, folder))
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestExchange_ARealRoundTripIntegratesTheFiche(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f, ctx := newExchangeFixture(t, d), context.Background()
		r := f.ready("999990000001")
		rep, err := f.x.UploadRecords(ctx)
		if err != nil || rep.Sent != 1 || rep.File != "RIAE_FS_20210927000001.json" {
			t.Fatalf("upload %+v %v", rep, err)
		}
		if files := f.files(UploadFolder); len(files) != 1 || files[0] != rep.File {
			t.Fatalf("depot holds %v", files)
		}
		content, _ := os.ReadFile(filepath.Join(f.server.Root, UploadFolder, rep.File))
		sent := f.get(r)
		if sent.Status != StatusSent || *sent.ASPBatchFile != rep.File || *sent.ASPBatchLineNumber != 1 ||
			!strings.Contains(string(content), *sent.ArchivedJSON) || !strings.HasPrefix(*sent.ArchivedJSON, `{"numLigne":1,"typeMouvement":"C","siret":"12345678900012","mesure":"AI_DC"`) {
			t.Fatalf("sent %+v\n%s", sent, content)
		}
		if feedback, err := f.asp.Answer(); err != nil || len(feedback) != 1 || feedback[0] != "RIAE_FS_20210927000001_FichierRetour.json" {
			t.Fatalf("the ASP answered %v %v", feedback, err)
		}
		drep, err := f.x.Download(ctx)
		if err != nil || drep.Parsed != 1 || drep.Processed != 1 {
			t.Fatalf("download %+v %v", drep, err)
		}
		got := f.get(r)
		var archived map[string]any
		if err := json.Unmarshal([]byte(*got.ArchivedJSON), &archived); err != nil {
			t.Fatal(err)
		}
		if got.Status != StatusProcessed || got.ProcessedAt == nil || got.ASPProcessingCode != "0000" || archived["libelleTraitement"] != "Données intégrées" {
			t.Errorf("processed %+v", got)
		}
		if files := f.files(DownloadFolder); len(files) != 0 {
			t.Errorf("retrait still holds %v", files)
		}
		// Applying the same answers again changes nothing.
		if drep, _ := f.x.Download(ctx); drep.Files != 0 {
			t.Errorf("second download %+v", drep)
		}
	})
}

func TestExchange_ADuplicateIsProcessedAndTellsTheASPTheRealEnd(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f, ctx := newExchangeFixture(t, d), context.Background()
		r := f.ready("999990000001")
		var last string
		if err := d.NewRaw("SELECT u.last_name FROM users AS u JOIN job_application AS ja ON ja.job_seeker_id = u.id WHERE ja.id = ?", r.JobApplicationID).Scan(ctx, &last); err != nil {
			t.Fatal(err)
		}
		f.asp.Rejections = map[string]string{strings.ToUpper(last): CodeDuplicate}
		var passID int64
		if err := d.NewRaw("SELECT id FROM approval WHERE number = '999990000001'").Scan(ctx, &passID); err != nil {
			t.Fatal(err)
		}
		f.exec(`INSERT INTO suspension (approval_id, start_at, end_at, reason, company_id, created_at, updated_at) VALUES (?, ?, ?, 'CONTRACT_SUSPENDED', ?, ?, ?)`,
			passID, f.today.AddDate(0, 0, -10), f.today.AddDate(0, 0, -5), f.antenna, f.today, f.today)
		if _, err := f.x.UploadRecords(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.asp.Answer(); err != nil {
			t.Fatal(err)
		}
		if _, err := f.x.Download(ctx); err != nil {
			t.Fatal(err)
		}
		got := f.get(r)
		if got.Status != StatusProcessed || !got.ProcessedAsDuplicate || got.ASPProcessingCode != CodeDuplicate || got.ASPProcessingLabel != DuplicateLabel {
			t.Errorf("duplicate %+v", got)
		}
		if n := f.count("employee_record_transition_log", "employee_record_id = ? AND transition = 'process' AND asp_processing_label = 'Fiche salarié déjà connue de l''ASP'", r.ID); n != 1 {
			t.Error("the log does not keep the ASP's own label")
		}
		if n := f.count("employee_record_update_notification", "employee_record_id = ? AND status = 'NEW'", r.ID); n != 1 {
			t.Errorf("%d NEW notifications, want 1", n)
		}
		// The notification goes as a « M » line, answered 0000.
		rep, err := f.x.UploadNotifications(ctx)
		if err != nil || rep.Sent != 1 {
			t.Fatalf("notifications %+v %v", rep, err)
		}
		f.asp.Rejections = nil
		if _, err := f.asp.Answer(); err != nil {
			t.Fatal(err)
		}
		if drep, err := f.x.Download(ctx); err != nil || drep.Processed != 1 {
			t.Fatalf("download %+v %v", drep, err)
		}
		if n := f.count("employee_record_update_notification", "employee_record_id = ? AND status = 'PROCESSED' AND asp_processing_code = '0000' AND archived_json LIKE '%\"typeMouvement\":\"M\"%'", r.ID); n != 1 {
			t.Errorf("%d notifications processed", n)
		}
	})
}

func TestExchange_OneFilePerRunWithinItsLimitsAndOnlyAcceptedHires(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f, ctx := newExchangeFixture(t, d), context.Background()
		first, second := f.ready("999990000001"), f.ready("999990000002")
		cancelled := f.ready("999990000003")
		f.exec("UPDATE job_application SET state = 'cancelled', approval_delivery_mode = '' WHERE id = ?", cancelled.JobApplicationID)
		f.x.Lines = 1
		rep, err := f.x.UploadRecords(ctx)
		if err != nil || rep.Sent != 1 {
			t.Fatalf("upload %+v %v", rep, err)
		}
		if f.get(first).Status != StatusSent || f.get(second).Status != StatusReady {
			t.Error("the oldest fiche goes first, the other waits")
		}
		f.x.Lines = MaxLines
		rep, err = f.x.UploadRecords(ctx)
		if err != nil || rep.Sent != 1 || f.get(second).Status != StatusSent || f.get(cancelled).Status != StatusReady {
			t.Errorf("second run %+v %v", rep, err)
		}
		if files := f.files(UploadFolder); len(files) != 2 || files[0] == files[1] {
			t.Errorf("depot %v", files)
		}
	})
}

func TestExchange_AFailedWriteOrAnUnreadableAnswerChangesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f, ctx := newExchangeFixture(t, d), context.Background()
		r := f.ready("999990000001")
		if err := os.Remove(filepath.Join(f.server.Root, UploadFolder)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.x.UploadRecords(ctx); err == nil {
			t.Error("an upload into a missing folder succeeded")
		}
		if f.get(r).Status != StatusReady {
			t.Error("the fiche left READY")
		}
		bad := filepath.Join(f.server.Root, DownloadFolder, "RIAE_FS_20210927000000_FichierRetour.json")
		if err := os.WriteFile(bad, []byte("{not json"), 0o600); err != nil {
			t.Fatal(err)
		}
		foreign := filepath.Join(f.server.Root, DownloadFolder, "EA2_ITOU_20210927.zip")
		if err := os.WriteFile(foreign, []byte("EA2"), 0o600); err != nil {
			t.Fatal(err)
		}
		rep, err := f.x.Download(ctx)
		if err != nil || rep.Parsed != 0 || rep.Files != 2 || rep.Kept["RIAE_FS_20210927000000_FichierRetour.json"] == nil {
			t.Errorf("download %+v %v", rep, err)
		}
		for _, p := range []string{bad, foreign} {
			if _, err := os.Stat(p); err != nil {
				t.Errorf("%s was deleted", p)
			}
		}
	})
}

// TestExchange_ACrashAfterTheWriteNeitherLosesNorDoublesAFiche: the SENT switch fails after the
// file is written; the next run sends the fiche again under a new name; the first file's
// answers match nothing, the ASP answers the second with 3436, and the fiche ends PROCESSED once.
func TestExchange_ACrashAfterTheWriteNeitherLosesNorDoublesAFiche(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f, ctx := newExchangeFixture(t, d), context.Background()
		r := f.ready("999990000001")
		crash := errors.New("the process died")
		f.x.beforeCommit = func() error { return crash }
		if _, err := f.x.UploadRecords(ctx); !errors.Is(err, crash) {
			t.Fatalf("upload: %v", err)
		}
		if got := f.get(r); got.Status != StatusReady || got.ASPBatchFile != nil {
			t.Fatalf("after the crash %+v", got)
		}
		if _, err := f.asp.Answer(); err != nil { // the ASP integrates the first file
			t.Fatal(err)
		}
		f.x.beforeCommit = nil
		rep, err := f.x.UploadRecords(ctx)
		if err != nil || rep.Sent != 1 {
			t.Fatalf("second upload %+v %v", rep, err)
		}
		var last string
		if err := d.NewRaw("SELECT u.last_name FROM users AS u JOIN job_application AS ja ON ja.job_seeker_id = u.id WHERE ja.id = ?", r.JobApplicationID).Scan(ctx, &last); err != nil {
			t.Fatal(err)
		}
		f.asp.Rejections = map[string]string{strings.ToUpper(last): CodeDuplicate} // it knows the person now
		if _, err := f.asp.Answer(); err != nil {
			t.Fatal(err)
		}
		drep, err := f.x.Download(ctx)
		if err != nil || drep.Parsed != 2 || drep.Skipped != 1 || drep.Processed != 1 {
			t.Fatalf("download %+v %v", drep, err)
		}
		if got := f.get(r); got.Status != StatusProcessed || !got.ProcessedAsDuplicate || *got.ASPBatchFile != rep.File {
			t.Errorf("after the round trip %+v", got)
		}
		if n := f.count("employee_record", "TRUE"); n != 1 {
			t.Errorf("%d fiches", n)
		}
	})
}

func TestExchange_WithoutWetRunNothingIsWrittenSentNorDeleted(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f, ctx := newExchangeFixture(t, d), context.Background()
		r := f.ready("999990000001")
		rep, err := f.x.Upload(ctx, MovementCreation, false)
		if err != nil || !rep.DryRun || rep.Sent != 0 || len(rep.Lines) != 1 || rep.Lines[0] != r.PublicID || rep.Bytes == 0 ||
			!strings.HasPrefix(rep.File, FilePrefix) {
			t.Fatalf("dry upload %+v %v", rep, err)
		}
		if files := f.files(UploadFolder); len(files) != 0 || f.get(r).Status != StatusReady {
			t.Fatalf("a dry run wrote %v, fiche %s", files, f.get(r).Status)
		}
		if _, err := f.x.UploadRecords(ctx); err != nil {
			t.Fatal(err)
		}
		feedback, err := f.asp.Answer()
		if err != nil || len(feedback) != 1 {
			t.Fatalf("the ASP answered %v %v", feedback, err)
		}
		drep, err := f.x.DownloadFiles(ctx, false)
		if err != nil || !drep.DryRun || drep.Parsed != 1 || drep.Processed != 1 || len(drep.Applied) != 1 {
			t.Fatalf("dry download %+v %v", drep, err)
		}
		if a := drep.Applied[0]; a.File != feedback[0] || a.Line != 1 || a.Object != r.PublicID || a.Code != "0000" || a.Status != string(StatusProcessed) {
			t.Errorf("applied %+v", a)
		}
		if files := f.files(DownloadFolder); len(files) != 1 || f.get(r).Status != StatusSent {
			t.Fatalf("a dry download left %v, fiche %s", files, f.get(r).Status)
		}
		// The same answer from a local file: a dry run first, then for real.
		data, err := os.ReadFile(filepath.Join(f.server.Root, DownloadFolder, feedback[0]))
		if err != nil {
			t.Fatal(err)
		}
		if prep, err := f.x.ParseFile(ctx, feedback[0], data, false); err != nil || prep.Processed != 1 || f.get(r).Status != StatusSent {
			t.Fatalf("dry parse %+v %v, fiche %s", prep, err, f.get(r).Status)
		}
		if prep, err := f.x.ParseFile(ctx, feedback[0], data, true); err != nil || prep.Processed != 1 || f.get(r).Status != StatusProcessed {
			t.Fatalf("parse %+v %v, fiche %s", prep, err, f.get(r).Status)
		}
		if prep, err := f.x.ParseFile(ctx, "RIAE_FS_20210927000001.json", data, true); err == nil || prep.Parsed != 0 {
			t.Errorf("a file named as an upload was applied: %+v", prep)
		}
	})
}

func TestExchange_PreflightReportsTheFichesThatCannotMakeALine(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f, ctx := newExchangeFixture(t, d), context.Background()
		if rep, err := f.x.Preflight(ctx, MovementCreation); err != nil || rep.Checked != 0 || len(rep.Failed) != 0 {
			t.Fatalf("nothing pending: %+v %v", rep, err)
		}
		good, bad := f.ready("999990000001"), f.ready("999990000002")
		f.exec("UPDATE employee_record SET approval_number = '999990009999' WHERE id = ?", bad.ID)
		rep, err := f.x.Preflight(ctx, MovementCreation)
		if err != nil || rep.Checked != 2 || len(rep.Failed) != 1 || rep.Failed[fmt.Sprint(bad.ID)] == nil {
			t.Fatalf("preflight %+v %v", rep, err)
		}
		if f.get(good).Status != StatusReady || f.get(bad).Status != StatusReady || len(f.files(UploadFolder)) != 0 {
			t.Error("the preflight changed something")
		}
	})
}
