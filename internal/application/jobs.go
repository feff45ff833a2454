package application

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
)

// AutoRejectJobSeekers is how many job seekers one auto-reject run handles (§3.9).
const AutoRejectJobSeekers = 40

// AutoReject refuses, with reason `auto` (shared, automatic answer, no user in the log), the
// non-archived new and processing candidatures untouched for 60 days (R30), for at most 40 job
// seekers per run, oldest first, all of a job seeker's together. Only the job seekers are mailed
// (R24). It returns how many candidatures were refused.
func (s *Service) AutoReject(ctx context.Context, now time.Time) (int, error) {
	cutoff := now.Add(-AutoRejectAfter)
	var seekers []int64
	err := s.db.NewSelect().Model((*Application)(nil)).ColumnExpr("ja.job_seeker_id").
		Where("ja.state IN (?)", bun.List(AutoRejectable)).Where("ja.archived_at IS NULL").Where("ja.updated_at <= ?", cutoff).
		GroupExpr("ja.job_seeker_id").OrderExpr("MIN(ja.updated_at), ja.job_seeker_id").Limit(AutoRejectJobSeekers).Scan(ctx, &seekers)
	if err != nil {
		return 0, fmt.Errorf("application: auto-reject: %w", err)
	}
	done := 0
	for _, js := range seekers {
		err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			var apps []*Application
			q := tx.NewSelect().Model(&apps).Where("ja.job_seeker_id = ?", js).Where("ja.state IN (?)", bun.List(AutoRejectable)).
				Where("ja.archived_at IS NULL").Where("ja.updated_at <= ?", cutoff).OrderExpr("ja.id")
			if s.db.Engine == "postgres" {
				q = q.For("UPDATE")
			}
			if err := q.Scan(ctx); err != nil {
				return err
			}
			for _, app := range apps {
				if !ShouldAutoReject(app.State, app.IsArchived(), app.UpdatedAt, now) {
					continue
				}
				st, err := s.begin(ctx, tx, actor.Actor{}, app, TRefuse, needs{system: true})
				if err != nil {
					return err
				}
				app.RefusalReason, app.RefusalReasonShared, app.Answer = ReasonAuto, true, autoRefusalMessage
				st.details = map[string]any{"reason": ReasonAuto, "shared": true}
				if err := s.notifyTransition(ctx, tx, TRefuse, app, nil, st.company); err != nil {
					return err
				}
				if err := s.finish(ctx, tx, actor.Actor{}, st, TRefuse); err != nil {
					return err
				}
				done++
			}
			return nil
		})
		if err != nil {
			return done, fmt.Errorf("application: auto-reject: %w", err)
		}
	}
	return done, nil
}

// AutoArchive archives the candidatures of ARCHIVABLE_AUTO untouched for 180 days (R29):
// archived_at = now, archived_by stays empty and updated_at is not touched. With dryRun it only
// counts them.
func (s *Service) AutoArchive(ctx context.Context, now time.Time, dryRun bool) (int, error) {
	cutoff := now.Add(-AutoArchiveAfter)
	q := func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Where("state IN (?)", bun.List(ArchivableAuto)).Where("archived_at IS NULL").Where("updated_at <= ?", cutoff)
	}
	if dryRun {
		n, err := s.db.NewSelect().Model((*Application)(nil)).Where("ja.state IN (?)", bun.List(ArchivableAuto)).
			Where("ja.archived_at IS NULL").Where("ja.updated_at <= ?", cutoff).Count(ctx)
		return int(n), err
	}
	res, err := q(s.db.NewUpdate().Table("job_application").Set("archived_at = ?", now)).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("application: auto-archive: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
