package employeerecord

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/approval"
)

// The periodic rules of the fiches salarié (§2.15): the archive of fiches whose PASS is over
// for good, the sanitizer, and the slots of the ASP exchange.

// SlotDue reports whether a slot of the exchange falls in (now − every, now]: Monday to Friday
// at minute of the even hours 8 to 18 UTC (approvals.md §7: upload at :55, download at :25).
func SlotDue(now time.Time, every time.Duration, minute int) bool {
	now = now.UTC()
	for t := now.Add(-every).Truncate(time.Minute).Add(time.Minute); !t.After(now); t = t.Add(time.Minute) {
		if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		if h := t.Hour(); t.Minute() == minute && h >= 8 && h <= 18 && h%2 == 0 {
			return true
		}
	}
	return false
}

// Exchange minutes (approvals.md §7).
const (
	UploadMinute   = 55
	DownloadMinute = 25
)

// archivable are the states the nightly archive takes fiches from (§3.3).
var archivable = []Status{StatusNew, StatusReady, StatusRejected, StatusProcessed, StatusDisabled}

// Archive archives the fiches whose PASS is over for good (§2.15): not valid any more and past
// its prolongation window, the fiche created more than 6 months ago and unchanged for a month;
// archiving clears the JSON kept. It returns how many.
func (s *Service) Archive(ctx context.Context) (int, error) {
	today, now := s.today(), s.now()
	var rows []struct {
		ID        int64     `bun:"id"`
		Status    Status    `bun:"status"`
		CreatedAt time.Time `bun:"created_at"`
		UpdatedAt time.Time `bun:"updated_at"`
		PASSEnd   time.Time `bun:"pass_end"`
	}
	err := s.db.NewSelect().TableExpr("employee_record AS er").Join("JOIN approval AS ap ON ap.number = er.approval_number").
		ColumnExpr("er.id, er.status, er.created_at, er.updated_at, ap.end_at AS pass_end").
		Where("er.status IN (?) AND ap.end_at < ?", bun.List(archivable), today).
		Where("er.created_at < ?", now.AddDate(0, -ArchiveCreatedMonths, 0)).Scan(ctx, &rows)
	if err != nil {
		return 0, fmt.Errorf("employeerecord: fiches to archive: %w", err)
	}
	n := 0
	for _, r := range rows {
		if !ArchiveCandidate(false, r.CreatedAt, r.UpdatedAt, today) || approval.OpenToProlongation(r.PASSEnd, today) {
			continue
		}
		err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			res, err := tx.NewUpdate().Model((*Record)(nil)).Set("status = ?, archived_json = NULL, updated_at = ?", StatusArchived, now).
				Where("id = ? AND status = ?", r.ID, r.Status).Exec(ctx)
			if err != nil {
				return err
			}
			if changed, _ := res.RowsAffected(); changed == 0 {
				return nil
			}
			n++
			_, err = tx.NewInsert().Model(&TransitionLog{EmployeeRecordID: r.ID, Transition: TArchive, FromStatus: r.Status,
				ToStatus: StatusArchived, CreatedAt: now}).Exec(ctx)
			return err
		})
		if err != nil {
			return n, fmt.Errorf("employeerecord: archive %d: %w", r.ID, err)
		}
	}
	return n, nil
}

// unarchiveBatch bounds the fiches the sanitizer brings back per run (§2.15).
const unarchiveBatch = 10

// Sanitize is the hourly repair (§2.15): it deletes the fiches whose hire lost its PASS IAE,
// and brings back up to 10 archived fiches whose PASS is valid again and changed since,
// queueing the update the ASP missed when it knew them. It returns the counts.
func (s *Service) Sanitize(ctx context.Context) (deleted, unarchived int, err error) {
	today, now := s.today(), s.now()
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewDelete().Model((*Record)(nil)).
			Where("EXISTS (SELECT 1 FROM job_application AS ja WHERE ja.id = er.job_application_id AND ja.approval_id IS NULL)").
			Exec(ctx)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		deleted = int(n)
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("employeerecord: fiches without PASS: %w", err)
	}
	var back []Record
	err = s.db.NewSelect().Model(&back).Join("JOIN approval AS ap ON ap.number = er.approval_number").
		Where("er.status = ? AND ap.end_at >= ? AND ap.updated_at > er.updated_at", StatusArchived, today).
		OrderExpr("er.updated_at, er.id").Limit(unarchiveBatch).Scan(ctx)
	if err != nil {
		return deleted, 0, fmt.Errorf("employeerecord: archived fiches of valid PASS: %w", err)
	}
	for i := range back {
		r := &back[i]
		to, ok := UnarchiveTo(r.ASPProcessingCode)
		if !ok {
			continue
		}
		t, _ := TransitionByName(to)
		err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			r.Status, r.UpdatedAt = t.To, now
			if _, err := tx.NewUpdate().Model(r).Column("status", "updated_at").WherePK().Exec(ctx); err != nil {
				return err
			}
			if _, err := tx.NewInsert().Model(&TransitionLog{EmployeeRecordID: r.ID, Transition: to, FromStatus: StatusArchived,
				ToStatus: r.Status, CreatedAt: now}).Exec(ctx); err != nil {
				return err
			}
			if r.Status != StatusProcessed {
				return nil
			}
			_, err := tx.NewInsert().Model(&Notification{EmployeeRecordID: r.ID, Status: NotificationNew, CreatedAt: now, UpdatedAt: now}).
				On("CONFLICT (employee_record_id) WHERE status = 'NEW' DO UPDATE").Set("updated_at = EXCLUDED.updated_at").Exec(ctx)
			return err
		})
		if err != nil {
			return deleted, unarchived, fmt.Errorf("employeerecord: unarchive %d: %w", r.ID, err)
		}
		unarchived++
	}
	return deleted, unarchived, nil
}
