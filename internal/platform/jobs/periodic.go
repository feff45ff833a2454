package jobs

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/uptrace/bun"
)

// periodicRow is a row of periodic_task.
type periodicRow struct {
	bun.BaseModel `bun:"table:periodic_task"`

	Name      string     `bun:"name,pk"`
	NextRunAt time.Time  `bun:"next_run_at,notnull"`
	LastRunAt *time.Time `bun:"last_run_at"`
}

// RunPeriodic runs, one after another, the periodic tasks that are due and that this instance
// claims first. Run calls it every PollInterval; tests call it with a moved clock.
func (w *Worker) RunPeriodic(ctx context.Context) error {
	if len(w.periodic) == 0 {
		return nil
	}
	if err := w.loadSchedule(ctx); err != nil {
		return err
	}
	for _, p := range w.periodic {
		if Stopping(ctx) || ctx.Err() != nil {
			return nil
		}
		now := w.now()
		w.mu.Lock()
		next := p.next
		w.mu.Unlock()
		if next.After(now) && !next.After(now.Add(p.interval)) {
			continue
		}
		claimed, err := w.claimPeriodic(ctx, p, now)
		if err != nil {
			w.log.Error("periodic task: claim failed", "task", p.name, "err", err)
			continue
		}
		if !claimed {
			continue
		}
		w.runPeriodic(ctx, p, now)
	}
	return nil
}

// loadSchedule creates the missing periodic_task rows (due now), then reads every task's
// next_run_at, so that RunPeriodic takes a write lock only for a task that is due.
func (w *Worker) loadSchedule(ctx context.Context) error {
	names := make([]string, 0, len(w.periodic))
	for _, p := range w.periodic {
		names = append(names, p.name)
		w.mu.Lock()
		ensured := p.ensured
		w.mu.Unlock()
		if ensured {
			continue
		}
		row := periodicRow{Name: p.name, NextRunAt: w.now()}
		if _, err := w.db.NewInsert().Model(&row).On("CONFLICT (name) DO NOTHING").Exec(ctx); err != nil {
			return fmt.Errorf("jobs: periodic task %s: %w", p.name, err)
		}
		w.mu.Lock()
		p.ensured = true
		w.mu.Unlock()
	}
	var rows []periodicRow
	if err := w.db.NewSelect().Model(&rows).Where("name IN (?)", bun.List(names)).Scan(ctx); err != nil {
		return fmt.Errorf("jobs: periodic schedule: %w", err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, r := range rows {
		for _, p := range w.periodic {
			if p.name == r.Name {
				p.next = r.NextRunAt
			}
		}
	}
	return nil
}

// claimPeriodic moves the task's next_run_at one interval ahead, if no other instance did it
// first. A next_run_at more than one interval away means the interval was shortened since it
// was written: the task is then due at once rather than at the old, distant date.
func (w *Worker) claimPeriodic(ctx context.Context, p *periodicTask, now time.Time) (bool, error) {
	next := now.Add(p.interval)
	var n int64
	err := w.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*periodicRow)(nil)).
			Set("next_run_at = ?", next).Set("last_run_at = ?", now).
			Where("name = ?", p.name).
			Where("next_run_at <= ? OR next_run_at > ?", now, next).
			Exec(ctx)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return false, err
	}
	w.mu.Lock()
	if n == 1 {
		p.next = next
	} else {
		p.next = time.Time{} // someone else ran it: reread the schedule next time
	}
	w.mu.Unlock()
	return n == 1, nil
}

// runPeriodic runs a claimed task. After an error it brings the next run closer (PeriodicRetry),
// provided the period is still the one this instance claimed.
func (w *Worker) runPeriodic(ctx context.Context, p *periodicTask, claimedAt time.Time) {
	log := w.log.With("task", p.name)
	start := time.Now()
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
			}
		}()
		return p.fn(ctx)
	}()
	if err == nil {
		log.Debug("periodic task done", "duration", time.Since(start))
		return
	}
	retry := min(w.opt.PeriodicRetry, p.interval)
	retryAt := w.now().Add(retry)
	log.Error("periodic task failed", "retry_at", retryAt, "err", err)
	_, uerr := w.db.NewUpdate().Model((*periodicRow)(nil)).
		Set("next_run_at = ?", retryAt).
		Where("name = ? AND last_run_at = ? AND next_run_at > ?", p.name, claimedAt, retryAt).
		Exec(context.WithoutCancel(ctx))
	if uerr != nil {
		log.Error("periodic task: scheduling the retry failed", "err", uerr)
	}
	w.mu.Lock()
	p.next = time.Time{}
	w.mu.Unlock()
}
