package approval

import (
	"context"
	"errors"
	"testing"
	"time"

	"emplois/internal/platform/blob"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/xlsx/xlsxtest"
)

// withFiles gives the fixture's service a blob store of the test's own.
func (f *fixture) withFiles() {
	f.t.Helper()
	files, err := blob.Open(context.Background(), "file://"+f.t.TempDir())
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { files.Close() })
	f.svc.Files = files
}

func (f *fixture) stored(key string) bool {
	f.t.Helper()
	ok, err := f.svc.Files.Exists(context.Background(), key)
	if err != nil {
		f.t.Fatal(err)
	}
	return ok
}

func TestProlongationDraft_AnExpiredPreviewGoesWithItsReportFile(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.withFiles()
		ctx := context.Background()
		a, employer := f.hired("AI", f.endingIn(60).Start)
		_, email := f.prescriber(true)
		in := ProlongationInput{Reason: Senior, EndAt: addDays(a.EndAt, 90), PrescriberEmail: email}
		key, err := f.svc.PreviewProlongation(ctx, employer, a.PublicID, in, xlsxtest.Workbook(), "bilan.xlsx", "")
		if err != nil {
			t.Fatal(err)
		}
		p, err := f.svc.ProlongationDraftOf(ctx, employer, a.PublicID, key)
		if err != nil || p.Draft.ReportName != "bilan.xlsx" || !f.stored(p.Draft.Input.ReportFileKey) {
			t.Fatalf("draft %+v, %v", p, err)
		}
		// A minute before its end the draft stays; at its end it goes, with its file.
		if n, err := f.svc.PurgeProlongationDrafts(ctx, f.clk.Now().Add(DraftTTL-time.Minute)); err != nil || n != 0 {
			t.Fatalf("purged %d before the end: %v", n, err)
		}
		if n, err := f.svc.PurgeProlongationDrafts(ctx, f.clk.Now().Add(DraftTTL)); err != nil || n != 1 {
			t.Fatalf("purged %d at the end: %v", n, err)
		}
		if f.stored(p.Draft.Input.ReportFileKey) {
			t.Error("the expired draft's report file is kept")
		}
		if _, err := f.svc.ConfirmProlongation(ctx, employer, a.PublicID, key); !errors.Is(err, ErrNotFound) {
			t.Errorf("an expired draft saved: %v", err)
		}
	})
}

func TestProlongationDraft_APreviewIsCheckedAsTheSaveAndWritesNothingWhenRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.withFiles()
		ctx := context.Background()
		a, employer := f.hired("AI", f.endingIn(60).Start)
		// No habilitated prescriber of that address: refused at the preview, no file, no draft.
		in := ProlongationInput{Reason: Senior, EndAt: addDays(a.EndAt, 90), PrescriberEmail: "personne@example.org"}
		if _, err := f.svc.PreviewProlongation(ctx, employer, a.PublicID, in, xlsxtest.Workbook(), "bilan.xlsx", ""); err == nil {
			t.Fatal("a request to nobody was previewed")
		}
		var drafts int
		if err := f.d.NewRaw(`SELECT COUNT(*) FROM wizard_session`).Scan(ctx, &drafts); err != nil || drafts != 0 {
			t.Fatalf("%d drafts kept, %v", drafts, err)
		}
		// Another SIAE may not preview the PASS.
		_, stranger := f.hired("AI", f.endingIn(60).Start)
		if _, err := f.svc.PreviewProlongation(ctx, stranger, a.PublicID, ProlongationInput{Reason: CompleteTraining, EndAt: addDays(a.EndAt, 9)}, nil, "", ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("a stranger's preview: %v", err)
		}
	})
}
