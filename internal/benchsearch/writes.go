package benchsearch

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/platform/db"
)

// Writes is the write load of the run "with writes" (issue 9): while the searches are measured,
// a writer sends candidatures (a job_application row and its selected fiche, in one
// transaction, as the candidature service writes them) and edits fiches de poste (a new title
// and updated_at, as the fiche editor saves them), each at its own steady rate.
type Writes struct {
	CandidaturesPerSecond int
	FicheEditsPerSecond   int
}

// DefaultWrites are the rates of issue 9: 5 candidatures and 1 fiche edit per second.
var DefaultWrites = Writes{CandidaturesPerSecond: 5, FicheEditsPerSecond: 1}

// WriteStats are what the writer did.
type WriteStats struct {
	Candidatures, FicheEdits, Errors int64
	FirstError                       string
}

// writer runs the write load on d until stopped.
type writer struct {
	d         *db.DB
	fiches    []openFicheRef
	seekers   []int64
	stats     WriteStats
	mu        sync.Mutex
	done      chan struct{}
	wg        sync.WaitGroup
	candidate atomic.Int64
}

type openFicheRef struct{ id, company int64 }

// startWriter picks open fiches of listed companies and job seekers, then writes at the rates
// of w until stop is called.
func startWriter(ctx context.Context, d *db.DB, w Writes) (*writer, error) {
	wr := &writer{d: d, done: make(chan struct{})}
	rows, err := d.QueryContext(ctx, `SELECT jd.id, jd.company_id FROM job_description jd
		JOIN company co ON co.id = jd.company_id
		WHERE jd.is_active AND co.is_searchable AND NOT co.block_job_applications ORDER BY jd.id LIMIT 5000`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var f openFicheRef
		if err := rows.Scan(&f.id, &f.company); err != nil {
			rows.Close()
			return nil, err
		}
		wr.fiches = append(wr.fiches, f)
	}
	rows.Close()
	if err := d.NewRaw(`SELECT id FROM users WHERE kind = 'job_seeker' ORDER BY id LIMIT 5000`).Scan(ctx, &wr.seekers); err != nil {
		return nil, err
	}
	if len(wr.fiches) == 0 || len(wr.seekers) == 0 {
		return nil, fmt.Errorf("benchsearch: no open fiche or no job seeker to write candidatures with")
	}
	wr.every(ctx, w.CandidaturesPerSecond, wr.candidature, func() { wr.stats.Candidatures++ })
	wr.every(ctx, w.FicheEditsPerSecond, wr.editFiche, func() { wr.stats.FicheEdits++ })
	return wr, nil
}

// every runs write perSecond times a second, on a ticker.
func (wr *writer) every(ctx context.Context, perSecond int, write func(context.Context, *rand.Rand) error, count func()) {
	if perSecond <= 0 {
		return
	}
	wr.wg.Add(1)
	go func() {
		defer wr.wg.Done()
		rng := rand.New(rand.NewPCG(uint64(perSecond), 9))
		tick := time.NewTicker(time.Second / time.Duration(perSecond))
		defer tick.Stop()
		for {
			select {
			case <-wr.done:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			err := write(ctx, rng)
			wr.mu.Lock()
			if err != nil {
				wr.stats.Errors++
				if wr.stats.FirstError == "" {
					wr.stats.FirstError = err.Error()
				}
			} else {
				count()
			}
			wr.mu.Unlock()
		}
	}()
}

// candidature sends a candidature of a job seeker to a fiche's company, selecting the fiche.
func (wr *writer) candidature(ctx context.Context, rng *rand.Rand) error {
	f := wr.fiches[rng.IntN(len(wr.fiches))]
	seeker := wr.seekers[rng.IntN(len(wr.seekers))]
	now := time.Now().UTC()
	return wr.d.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var id int64
		err := tx.NewRaw(`INSERT INTO job_application (public_id, job_seeker_id, to_company_id, sender_id, sender_kind,
			message, created_at, updated_at) VALUES (?, ?, ?, ?, 'job_seeker', 'Candidature du banc d''essai', ?, ?) RETURNING id`,
			uuid.NewString(), seeker, f.company, seeker, now, now).Scan(ctx, &id)
		if err != nil {
			return err
		}
		_, err = tx.NewRaw(`INSERT INTO job_application_selected_job (job_application_id, job_description_id) VALUES (?, ?)`,
			id, f.id).Exec(ctx)
		return err
	})
}

// editFiche renames a fiche and marks it updated, as a save of the fiche editor does.
func (wr *writer) editFiche(ctx context.Context, rng *rand.Rand) error {
	f := wr.fiches[rng.IntN(len(wr.fiches))]
	n := wr.candidate.Add(1)
	now := time.Now().UTC()
	_, err := wr.d.NewRaw(`UPDATE job_description SET custom_name = ?, updated_at = ?, last_employer_update_at = ? WHERE id = ?`,
		fmt.Sprintf("Poste modifié %d", n), now, now, f.id).Exec(ctx)
	return err
}

// stop ends the writes and returns what was done.
func (wr *writer) stop() WriteStats {
	close(wr.done)
	wr.wg.Wait()
	wr.mu.Lock()
	defer wr.mu.Unlock()
	return wr.stats
}
