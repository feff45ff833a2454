package eligibility

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/jobseeker"
	"emplois/internal/platform/francetravail"
	"emplois/internal/platform/jobs"
)

// The certification of the TH criterion by France Travail's agent API (approvals.md §2.5,
// asp.md §7.2): « rechercher usager » by NIR and birth date, or by identifier, then the RQTH of
// the person found. It has its own job, queued with API Particulier's (ScheduleCertification),
// because it is retried on another schedule: every 10 minutes for 3 hours.

// CertifyFTJob is the kind of the queued certification of the TH criterion of one diagnosis.
const CertifyFTJob = "eligibility.certify_ft"

// TH is the criterion France Travail certifies.
const TH Kind = "TH"

// Retries of France Travail (§2.5): every 10 minutes for 3 hours — the first try and 18 more.
const (
	ftRetryEvery      = 10 * time.Minute
	ftCertifyAttempts = 19
)

// The nightly retry takes criteria selected more than 3 hours ago (§2.5).
const ftRetryAfterCreation = 3 * time.Hour

// ftPending selects the TH criteria France Travail should answer about: never certified, or
// certified for a period that ended before today (§2.5).
func ftPending(q *bun.SelectQuery, today time.Time) *bun.SelectQuery {
	return q.Where("c.kind = ?", TH).Where("(sc.certified_at IS NULL OR sc.certified_until < ?)", today)
}

// scheduleFTCertification queues the certification of the diagnosis's TH criterion when it
// needs one.
func scheduleFTCertification(ctx context.Context, idb bun.IDB, geiq bool, diagnosisID int64, today time.Time) error {
	sc := schemaOf(geiq)
	pending, err := ftPending(idb.NewSelect().TableExpr(sc.selected+" AS sc").
		Join("JOIN "+sc.criteria+" AS c ON c.id = sc.administrative_criteria_id").
		Where("sc.eligibility_diagnosis_id = ?", diagnosisID), today).Exists(ctx)
	if err != nil {
		return fmt.Errorf("eligibility: TH to certify of %s %d: %w", sc.diagnoses, diagnosisID, err)
	}
	if !pending {
		return nil
	}
	return jobs.EnqueueOnce(ctx, idb, CertifyFTJob, certifyPayload{DiagnosisID: diagnosisID, GEIQ: geiq}, time.Time{},
		jobs.MaxAttempts(ftCertifyAttempts))
}

// HandleFT is the job handler of CertifyFTJob.
func (c *Certifier) HandleFT(ctx context.Context, payload []byte) error {
	var p certifyPayload
	if err := json.Unmarshal(payload, &p); err != nil || p.DiagnosisID == 0 {
		return jobs.Permanent(fmt.Errorf("eligibility: certification payload %q", payload))
	}
	return c.CertifyFT(ctx, p.GEIQ, p.DiagnosisID)
}

// CertifyFT asks France Travail about the TH criterion of the diagnosis and stores a
// definitive answer (asp.md §7.2): a recognition gives its period, none the empty period, an
// identity France Travail has not certified the empty period too; nobody or several people
// found certify nothing. A job seeker with neither NIR and birth date nor identifier is skipped.
// It returns the error to retry on, with its delay.
func (c *Certifier) CertifyFT(ctx context.Context, geiq bool, diagnosisID int64) error {
	if c.ft == nil {
		return nil
	}
	sc := schemaOf(geiq)
	var pending []pendingCriterion
	err := ftPending(c.db.NewSelect().TableExpr(sc.selected+" AS sc").
		ColumnExpr("sc.id, c.kind, d.job_seeker_id").
		Join("JOIN "+sc.criteria+" AS c ON c.id = sc.administrative_criteria_id").
		Join("JOIN "+sc.diagnoses+" AS d ON d.id = sc.eligibility_diagnosis_id").
		Where("sc.eligibility_diagnosis_id = ?", diagnosisID), Day(c.Now())).
		OrderExpr("sc.id").Scan(ctx, &pending)
	if err != nil || len(pending) == 0 {
		return err
	}
	ids := make([]int64, len(pending))
	for i, p := range pending {
		ids[i] = p.ID
	}
	jobSeekerID := pending[0].JobSeekerID
	log := c.log.With("diagnosis", sc.diagnoses, "diagnosis_id", diagnosisID)
	q, err := jobseeker.FTUserQuery(ctx, c.db, jobSeekerID)
	if err != nil {
		return err
	}
	if !q.Searchable() {
		log.Info("France Travail: neither NIR with birth date nor identifier, TH certification skipped")
		return nil
	}
	outcome, user, err := c.ft.SearchUser(ctx, q)
	if err != nil {
		return c.ftRetry(ctx, sc, ids, log, err)
	}
	switch outcome {
	case francetravail.UserUnknown, francetravail.UserAmbiguous:
		log.Info("France Travail: nobody or several people found, TH not certified", "code", user.Code)
		return c.attempted(ctx, sc, ids...)
	case francetravail.UserNotCertified:
		log.Info("France Travail: identity not certified, TH not certified")
		user.Token = ""
		body, _ := json.Marshal(user)
		return c.record(ctx, sc, ids, jobSeekerID, answer{body: body, empty: true}, c.Now().UTC().Truncate(time.Microsecond))
	}
	r, err := c.ft.RQTH(ctx, user.Token)
	if err != nil {
		return c.ftRetry(ctx, sc, ids, log, err)
	}
	a := answer{body: r.Body, identity: jobseeker.CertifierFTRechercheUsage, empty: !r.Valid}
	if r.Valid {
		from := Day(*r.From)
		a.from = &from
		if r.Until != nil {
			until := Day(*r.Until)
			a.until = &until
		}
	}
	log.Info("France Travail: TH checked", "rqth", r.Valid)
	return c.record(ctx, sc, ids, jobSeekerID, a, c.Now().UTC().Truncate(time.Microsecond))
}

// ftRetry notes a call to France Travail that gave no answer and asks the job to come back in
// 10 minutes, or when a 429 says.
func (c *Certifier) ftRetry(ctx context.Context, sc schema, ids []int64, log *slog.Logger, err error) error {
	var e *francetravail.Error
	if !errors.As(err, &e) {
		return err
	}
	after := ftRetryEvery
	if e.Kind == francetravail.RateLimited {
		after = e.RetryAfter
	}
	log.Warn("France Travail: no answer about TH, will retry", "code", e.Code(), "status", e.Status, "retry_in", after)
	if err := c.attempted(ctx, sc, ids...); err != nil {
		return err
	}
	return jobs.RetryAfter(err, after)
}

// scheduleFTRetries is the nightly retry of France Travail (§2.5): TH criteria uncertified or
// whose period has ended, of diagnoses not expired, selected more than 3 hours ago and not
// tried for 7 days, with no hire on them started, of job seekers with a NIR and birth date or
// an identifier.
func (c *Certifier) scheduleFTRetries(ctx context.Context) (int, error) {
	if c.ft == nil {
		return 0, nil
	}
	return c.queueRetries(ctx, CertifyFTJob, ftCertifyAttempts, ftRetryAfterCreation, "TH to certify again",
		func(q *bun.SelectQuery, today time.Time) *bun.SelectQuery {
			return ftPending(q, today).
				Where("((p.nir IS NOT NULL AND p.nir <> '' AND p.birthdate IS NOT NULL) OR length(p.pole_emploi_id) = ?)", francetravail.FTIDLength)
		})
}
