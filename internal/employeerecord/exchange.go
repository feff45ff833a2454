package employeerecord

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/asp"
	"emplois/internal/platform/db"
)

// The SFTP exchange with the ASP (asp.md §5.9–5.11). An upload writes one file of READY
// fiches (or of NEW notifications) into `depot` and switches its lines to SENT in one
// transaction right after the write; a download applies each feedback file of `retrait` in one
// transaction and deletes it after the commit. So a crash after the write and before the commit
// leaves the fiches READY: the next run sends them again under a new name, the first file's
// answers then match nothing and are skipped, and the ASP answers the second with 3436, which
// makes the fiche PROCESSED — never lost, never twice in our records.

// Remote is the partner's SFTP server (a *sftpbox.Box).
type Remote interface {
	Put(dir, name string, data []byte) error
	List(dir string) ([]string, error)
	Get(dir, name string, max int64) ([]byte, error)
	Remove(dir, name string) error
	Close() error
}

// Remote folders (asp.md §5.1).
const (
	UploadFolder   = "depot"
	DownloadFolder = "retrait"
)

// maxFeedbackBytes bounds a feedback file read: the ASP returns the lines it was sent.
const maxFeedbackBytes = 4 * MaxBytes

// Exchange runs the uploads and downloads.
type Exchange struct {
	db   *db.DB
	dial func(context.Context) (Remote, error)
	ref  *asp.Store
	now  func() time.Time
	// Lines bounds the lines of a file (MaxLines; asp.md §5.14-4 sets 1).
	Lines int

	mu       sync.Mutex
	lastName string
	// beforeCommit runs between the write and the SENT switch (tests inject a crash there).
	beforeCommit func() error
}

// NewExchange returns the exchange over the database, reaching the ASP through dial.
func NewExchange(d *db.DB, dial func(context.Context) (Remote, error), now func() time.Time) *Exchange {
	return &Exchange{db: d, dial: dial, ref: asp.NewStore(d), now: now, Lines: MaxLines}
}

// UploadReport says what an upload did (or, in a dry run, would do).
type UploadReport struct {
	File string
	Sent int
	// Lines are the objects of the file's lines, in order: the fiches' public ids, the
	// notifications' ids. Bytes is the file's size.
	Lines []string
	Bytes int
	// DryRun: nothing was written, File is the name the file would have had.
	DryRun bool
	// Failed are the fiches that could not make a line, left READY (asp.md §8).
	Failed map[string]error
}

// UploadRecords sends the READY fiches of accepted hires, oldest change first, in one file.
func (x *Exchange) UploadRecords(ctx context.Context) (UploadReport, error) {
	return x.Upload(ctx, MovementCreation, true)
}

// UploadNotifications sends the NEW update notifications, oldest change first, in one file.
func (x *Exchange) UploadNotifications(ctx context.Context) (UploadReport, error) {
	return x.Upload(ctx, MovementUpdate, true)
}

// Upload sends the file of a movement: the READY fiches (creations) or the NEW notifications
// (updates). Without wet, it builds the file and reports it, and neither connects nor changes
// anything (asp.md §5.9, dry run).
func (x *Exchange) Upload(ctx context.Context, movement string, wet bool) (UploadReport, error) {
	ids, err := x.pending(ctx, movement, x.Lines, 0)
	if err != nil {
		return UploadReport{}, err
	}
	return x.upload(ctx, ids, movement, wet)
}

// pending returns the ids of the objects a movement's upload sends, oldest change first, from
// offset: the READY fiches of accepted hires, or the NEW notifications (asp.md §5.6-5: neither
// the fiche's state nor the hire's is checked).
func (x *Exchange) pending(ctx context.Context, movement string, limit, offset int) ([]int64, error) {
	var ids []int64
	var q *bun.SelectQuery
	if movement == MovementUpdate {
		q = x.db.NewSelect().Model((*Notification)(nil)).Column("ern.id").Where("ern.status = ?", NotificationNew).
			OrderExpr("ern.updated_at, ern.id")
	} else {
		q = x.db.NewSelect().Model((*Record)(nil)).Column("er.id").
			Join("JOIN job_application AS ja ON ja.id = er.job_application_id").
			Where("er.status = ? AND ja.state = 'accepted'", StatusReady).OrderExpr("er.updated_at, er.id")
	}
	if err := q.Limit(int64(limit)).Offset(int64(offset)).Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("employeerecord: pending %s lines: %w", movement, err)
	}
	return ids, nil
}

// sent is a line of an uploaded file and the object it stands for.
type sent struct {
	id   int64
	ref  string // the fiche's public id, the notification's id
	line []byte
}

func (x *Exchange) upload(ctx context.Context, ids []int64, movement string, wet bool) (UploadReport, error) {
	rep := UploadReport{Failed: map[string]error{}, DryRun: !wet}
	if len(ids) == 0 {
		return rep, nil
	}
	lines, objects, err := x.build(ctx, ids, movement, rep.Failed)
	if err != nil || len(lines) == 0 {
		return rep, err
	}
	var content []byte
	for {
		if content, err = (File{LignesTelechargement: lines}).Render(); err != nil {
			return rep, err
		}
		if len(content) <= MaxBytes || len(lines) == 1 {
			break
		}
		lines, objects = lines[:len(lines)-1], objects[:len(objects)-1] // the rest goes next time
	}
	rep.Bytes = len(content)
	for _, o := range objects {
		rep.Lines = append(rep.Lines, o.ref)
	}
	if !wet {
		rep.File = BatchFileName(x.now())
		return rep, nil
	}
	remote, err := x.dial(ctx)
	if err != nil {
		return rep, fmt.Errorf("employeerecord: connect to the ASP: %w", err)
	}
	defer remote.Close()
	rep.File = x.fileName(ctx)
	if err := remote.Put(UploadFolder, rep.File, content); err != nil {
		slog.Error("employeerecord: could not upload file", "file", rep.File, "error", err)
		return rep, fmt.Errorf("employeerecord: upload %s: %w", rep.File, err)
	}
	if x.beforeCommit != nil {
		if err := x.beforeCommit(); err != nil {
			return rep, err
		}
	}
	err = x.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		now := x.now().UTC()
		for i, o := range objects {
			if err := markSent(ctx, tx, movement, o, rep.File, i+1, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("employeerecord: mark %s sent: %w", rep.File, err)
	}
	rep.Sent = len(objects)
	slog.Info("employeerecord: file uploaded", "file", rep.File, "movement", movement, "lines", rep.Sent, "bytes", len(content))
	return rep, nil
}

// PreflightReport says which pending objects could not make a line.
type PreflightReport struct {
	Checked int
	// Failed are the objects whose line cannot be built (the fiche's public id, the
	// notification's id, or the internal id when the fiche cannot be read), with why.
	Failed map[string]error
}

// Preflight builds the line of every object a movement's uploads would send, MaxLines at a
// time, and reports those that fail (asp.md §5.12); it changes nothing.
func (x *Exchange) Preflight(ctx context.Context, movement string) (PreflightReport, error) {
	rep := PreflightReport{Failed: map[string]error{}}
	for {
		ids, err := x.pending(ctx, movement, MaxLines, rep.Checked)
		if err != nil || len(ids) == 0 {
			return rep, err
		}
		if _, _, err := x.build(ctx, ids, movement, rep.Failed); err != nil {
			return rep, err
		}
		rep.Checked += len(ids)
	}
}

// build makes the lines of the objects, numbered from 1; a failing one is reported and left.
func (x *Exchange) build(ctx context.Context, ids []int64, movement string, failed map[string]error) ([]Line, []sent, error) {
	recordIDs := ids
	if movement == MovementUpdate {
		var err error
		if recordIDs, err = recordsOfNotifications(ctx, x.db, ids); err != nil {
			return nil, nil, err
		}
	}
	ins, errs, err := lineInputs(ctx, x.db, x.ref, recordIDs)
	if err != nil {
		return nil, nil, err
	}
	var lines []Line
	var objects []sent
	for i, id := range ids {
		if errs[i] != nil {
			failed[fmt.Sprint(id)] = errs[i]
			continue
		}
		var l Line
		if movement == MovementUpdate {
			l = UpdateLine(ins[i], len(lines)+1)
		} else if l, err = CreationLine(ins[i], len(lines)+1); err != nil {
			failed[ins[i].Record.PublicID] = err
			continue
		}
		raw, err := json.Marshal(l)
		if err != nil {
			return nil, nil, err
		}
		ref := fmt.Sprint(id)
		if movement == MovementCreation {
			ref = ins[i].Record.PublicID
		}
		lines, objects = append(lines, l), append(objects, sent{id: id, ref: ref, line: raw})
	}
	return lines, objects, nil
}

// fileName is the name of a new file: the current UTC second, never the previous file's
// (asp.md §5.2: the creation and update jobs run in the same slot).
func (x *Exchange) fileName(ctx context.Context) string {
	x.mu.Lock()
	defer x.mu.Unlock()
	for {
		name := BatchFileName(x.now())
		if name > x.lastName {
			x.lastName = name
			return name
		}
		select {
		case <-ctx.Done():
			return name
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func recordsOfNotifications(ctx context.Context, idb bun.IDB, ids []int64) ([]int64, error) {
	var rows []Notification
	if err := idb.NewSelect().Model(&rows).Where("ern.id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("employeerecord: notifications: %w", err)
	}
	of := make(map[int64]int64, len(rows))
	for _, n := range rows {
		of[n.ID] = n.EmployeeRecordID
	}
	out := make([]int64, len(ids))
	for i, id := range ids {
		out[i] = of[id]
	}
	return out, nil
}

// markSent records a line as sent: the fiche READY → SENT with its log row, or the
// notification NEW → SENT (no log, asp.md §5.9-7).
func markSent(ctx context.Context, tx bun.Tx, movement string, o sent, file string, n int, now time.Time) error {
	line := string(o.line)
	if movement == MovementUpdate {
		_, err := tx.NewUpdate().Model((*Notification)(nil)).
			Set("status = ?, asp_batch_file = ?, asp_batch_line_number = ?, archived_json = ?", NotificationSent, file, n, line).
			Set("asp_processing_code = '', asp_processing_label = '', updated_at = ?", now).
			Where("id = ? AND status = ?", o.id, NotificationNew).Exec(ctx)
		return err
	}
	res, err := tx.NewUpdate().Model((*Record)(nil)).
		Set("status = ?, asp_batch_file = ?, asp_batch_line_number = ?, archived_json = ?", StatusSent, file, n, line).
		Set("asp_processing_code = '', asp_processing_label = '', updated_at = ?", now).
		Where("id = ? AND status = ?", o.id, StatusReady).Exec(ctx)
	if err != nil {
		return err
	}
	if changed, _ := res.RowsAffected(); changed == 0 {
		return nil // changed since it was read: it will not match the answer
	}
	_, err = tx.NewInsert().Model(&TransitionLog{EmployeeRecordID: o.id, Transition: TWaitForASPResponse, FromStatus: StatusReady,
		ToStatus: StatusSent, ASPBatchFile: &file, ASPBatchLineNumber: &n, ArchivedJSON: &line, CreatedAt: now}).Exec(ctx)
	return err
}

// DownloadReport says what a download did (or, in a dry run, would do).
type DownloadReport struct {
	Files, Parsed int
	Processed     int
	Rejected      int
	Skipped       int
	// Applied lists the lines that changed (or would change) an object.
	Applied []Applied
	// Kept are the files left on the server, with why.
	Kept map[string]error
	// DryRun: every file was applied then rolled back, and none was deleted.
	DryRun bool
}

// Applied is a feedback line that changed an object: the fiche's public id (or the
// notification's id), the ASP's code and the new status.
type Applied struct {
	File   string
	Line   int
	Object string
	Code   string
	Status string
}

// feedbackLine is what is read of an answered line (asp.md §5.7).
type feedbackLine struct {
	NumLigne          int    `json:"numLigne"`
	TypeMouvement     string `json:"typeMouvement"`
	CodeTraitement    string `json:"codeTraitement"`
	LibelleTraitement string `json:"libelleTraitement"`
}

// errMixedMovements: a feedback file must answer one kind of file.
var errMixedMovements = errors.New("employeerecord: the file mixes movement types")

// errDryRun rolls back a feedback file applied without --wet-run.
var errDryRun = errors.New("employeerecord: dry run")

// Download applies every feedback file of `retrait` (only those named RIAE_FS_, the folder is
// shared) and deletes each once applied; a file that fails is kept for the next run.
func (x *Exchange) Download(ctx context.Context) (DownloadReport, error) {
	return x.DownloadFiles(ctx, true)
}

// DownloadFiles is Download; without wet, each file is applied then rolled back, and kept.
func (x *Exchange) DownloadFiles(ctx context.Context, wet bool) (DownloadReport, error) {
	rep := DownloadReport{Kept: map[string]error{}, DryRun: !wet}
	remote, err := x.dial(ctx)
	if err != nil {
		return rep, fmt.Errorf("employeerecord: connect to the ASP: %w", err)
	}
	defer remote.Close()
	names, err := remote.List(DownloadFolder)
	if err != nil {
		return rep, err
	}
	rep.Files = len(names)
	for _, name := range names {
		if !strings.HasPrefix(name, FilePrefix) {
			continue
		}
		data, err := remote.Get(DownloadFolder, name, maxFeedbackBytes)
		if err == nil {
			err = x.applyFeedback(ctx, name, data, wet, &rep)
		}
		if err != nil {
			rep.Kept[name] = err
			slog.Error("employeerecord: feedback file kept", "file", name, "error", err)
			continue
		}
		rep.Parsed++
		if !wet {
			continue
		}
		if err := remote.Remove(DownloadFolder, name); err != nil {
			rep.Kept[name] = err
		}
	}
	slog.Info("employeerecord: feedback files parsed", "parsed", rep.Parsed, "files", rep.Files, "dry_run", !wet)
	return rep, nil
}

// ParseFile applies a feedback file read from disk (asp.md §5.12 --parse-file), named as the
// ASP names it, in one transaction rolled back unless wet.
func (x *Exchange) ParseFile(ctx context.Context, name string, data []byte, wet bool) (DownloadReport, error) {
	rep := DownloadReport{Files: 1, Kept: map[string]error{}, DryRun: !wet}
	if err := x.applyFeedback(ctx, name, data, wet, &rep); err != nil {
		rep.Kept[name] = err
		return rep, err
	}
	rep.Parsed = 1
	return rep, nil
}

// applyFeedback applies the lines of a feedback file in one transaction, rolled back unless
// wet, and adds what it did to rep.
func (x *Exchange) applyFeedback(ctx context.Context, name string, data []byte, wet bool, rep *DownloadReport) error {
	batch, err := BatchOfFeedback(name)
	if err != nil {
		return err
	}
	var file struct {
		Lines []json.RawMessage `json:"lignesTelechargement"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return fmt.Errorf("employeerecord: %s is not a feedback file: %w", name, err)
	}
	lines := make([]feedbackLine, len(file.Lines))
	for i, raw := range file.Lines {
		if err := json.Unmarshal(raw, &lines[i]); err != nil {
			return fmt.Errorf("employeerecord: %s line %d: %w", name, i+1, err)
		}
		if lines[i].TypeMouvement != lines[0].TypeMouvement {
			return errMixedMovements
		}
	}
	var counts DownloadReport
	err = x.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		counts = DownloadReport{}
		now := x.now().UTC()
		for i, l := range lines {
			var err error
			switch l.TypeMouvement {
			case MovementCreation:
				err = applyRecordFeedback(ctx, tx, batch, l, string(file.Lines[i]), now, &counts)
			case MovementUpdate:
				err = applyNotificationFeedback(ctx, tx, batch, l, string(file.Lines[i]), now, &counts)
			default:
				err = fmt.Errorf("employeerecord: %s line %d: movement %q", name, l.NumLigne, l.TypeMouvement)
			}
			if err != nil {
				return err
			}
		}
		if !wet {
			return errDryRun
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDryRun) {
		return err
	}
	for _, a := range counts.Applied {
		a.File = name
		rep.Applied = append(rep.Applied, a)
	}
	rep.Processed, rep.Rejected, rep.Skipped = rep.Processed+counts.Processed, rep.Rejected+counts.Rejected, rep.Skipped+counts.Skipped
	return nil
}

// applyRecordFeedback applies the ASP's answer to the SENT fiche of (batch, line); others are
// skipped (asp.md §5.10).
func applyRecordFeedback(ctx context.Context, tx bun.Tx, batch string, l feedbackLine, raw string, now time.Time, rep *DownloadReport) error {
	r := new(Record)
	err := tx.NewSelect().Model(r).Where("er.asp_batch_file = ? AND er.asp_batch_line_number = ?", batch, l.NumLigne).Scan(ctx)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if err != nil || r.Status != StatusSent { // an answer to a line we no longer hold
		rep.Skipped++
		return nil
	}
	to, duplicate := Outcome(l.CodeTraitement)
	t, _ := TransitionByName(to)
	r.Status, r.ASPProcessingCode, r.ASPProcessingLabel, r.ArchivedJSON, r.UpdatedAt = t.To, l.CodeTraitement, l.LibelleTraitement, &raw, now
	if to == TProcess {
		r.ProcessedAt, r.ProcessedAsDuplicate = &now, duplicate
		rep.Processed++
	} else {
		rep.Rejected++
	}
	if duplicate {
		r.ASPProcessingLabel = DuplicateLabel
	}
	rep.Applied = append(rep.Applied, Applied{Line: l.NumLigne, Object: r.PublicID, Code: l.CodeTraitement, Status: string(r.Status)})
	if _, err := tx.NewUpdate().Model(r).WherePK().Exec(ctx); err != nil {
		return err
	}
	file, line := batch, l.NumLigne
	_, err = tx.NewInsert().Model(&TransitionLog{EmployeeRecordID: r.ID, Transition: to, FromStatus: StatusSent, ToStatus: r.Status,
		ASPBatchFile: &file, ASPBatchLineNumber: &line, ASPProcessingCode: l.CodeTraitement, ASPProcessingLabel: l.LibelleTraitement,
		ArchivedJSON: &raw, CreatedAt: now}).Exec(ctx)
	if err != nil || !duplicate {
		return err
	}
	return notifyIfPASSChanged(ctx, tx, r, now)
}

// notifyIfPASSChanged queues an update of a fiche the ASP already knew (3436) when its PASS has
// a suspension or a prolongation, so that the ASP learns the real end (asp.md §5.8).
func notifyIfPASSChanged(ctx context.Context, tx bun.Tx, r *Record, now time.Time) error {
	changed, err := tx.NewSelect().TableExpr("approval AS ap").Where("ap.number = ?", r.ApprovalNumber).
		Where("EXISTS (SELECT 1 FROM suspension AS s WHERE s.approval_id = ap.id) OR EXISTS (SELECT 1 FROM prolongation AS p WHERE p.approval_id = ap.id)").
		Exists(ctx)
	if err != nil || !changed {
		return err
	}
	_, err = tx.NewInsert().Model(&Notification{EmployeeRecordID: r.ID, Status: NotificationNew, CreatedAt: now, UpdatedAt: now}).
		On("CONFLICT (employee_record_id) WHERE status = 'NEW' DO UPDATE").Set("updated_at = EXCLUDED.updated_at").Exec(ctx)
	return err
}

func applyNotificationFeedback(ctx context.Context, tx bun.Tx, batch string, l feedbackLine, raw string, now time.Time, rep *DownloadReport) error {
	status := NotificationOutcome(l.CodeTraitement)
	var ids []int64
	err := tx.NewUpdate().Model((*Notification)(nil)).
		Set("status = ?, asp_processing_code = ?, asp_processing_label = ?, archived_json = ?, updated_at = ?", status,
			l.CodeTraitement, l.LibelleTraitement, raw, now).
		Where("asp_batch_file = ? AND asp_batch_line_number = ? AND status = ?", batch, l.NumLigne, NotificationSent).
		Returning("id").Scan(ctx, &ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		rep.Applied = append(rep.Applied, Applied{Line: l.NumLigne, Object: fmt.Sprint(id), Code: l.CodeTraitement, Status: string(status)})
	}
	switch {
	case len(ids) == 0:
		rep.Skipped++
	case status == NotificationProcessed:
		rep.Processed++
	default:
		rep.Rejected++
	}
	return nil
}

// Run is a worker run of the exchange: the uploads of the fiches then of the notifications
// (in files of distinct names), and the download of the answers, as asked.
func (x *Exchange) Run(ctx context.Context, upload, download bool) error {
	var errs []error
	if upload {
		if rep, err := x.UploadRecords(ctx); err != nil {
			errs = append(errs, err)
		} else if len(rep.Failed) > 0 {
			slog.Warn("employeerecord: fiches left READY, their line could not be built", "count", len(rep.Failed))
		}
		if _, err := x.UploadNotifications(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if download {
		if _, err := x.Download(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
