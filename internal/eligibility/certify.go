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
	"emplois/internal/platform/apiparticulier"
	"emplois/internal/platform/db"
	"emplois/internal/platform/francetravail"
	"emplois/internal/platform/jobs"
)

// The certification of the RSA, AAH and PI criteria by API Particulier (approvals.md §2.5,
// asp.md §7.1). A diagnosis that selects one of them queues a job in its own transaction
// (ScheduleCertification), and so does the acceptance of a candidature; the job asks the API
// once per criterion and stores each definitive answer. The TH criterion is France Travail's
// (asp.md §7.2): its own job, queued at the same moments, in certify_ft.go.

// CertifyJob is the kind of the queued certification of one diagnosis.
const CertifyJob = "eligibility.certify"

// certifyAttempts: two tries 12 h apart, plus one for a 409 or 429 answered in between.
const certifyAttempts = 3

// Retry of the criteria still uncertified (§2.5): created more than a day ago, not tried for 7 days.
const (
	retryAfterCreation = 24 * time.Hour
	retryQuietPeriod   = 7 * 24 * time.Hour
)

// benefitOf is the API Particulier endpoint that certifies a criterion of this kind.
var benefitOf = map[Kind]apiparticulier.Benefit{RSA: apiparticulier.RSA, AAH: apiparticulier.AAH, "PI": apiparticulier.ASF}

// particulierKinds lists the kinds of benefitOf for SQL.
var particulierKinds = bun.List([]Kind{RSA, AAH, "PI"})

type certifyPayload struct {
	DiagnosisID int64 `json:"diagnosis_id"`
	GEIQ        bool  `json:"geiq,omitempty"`
}

func schemaOf(geiq bool) schema {
	if geiq {
		return geiqSchema
	}
	return iaeSchema
}

// ScheduleCertification queues, in the caller's transaction, the certification of the criteria
// of the diagnosis that API Particulier may certify and that no answer certified yet, and that
// of its TH criterion by France Travail (certify_ft.go); nothing when there is none.
func ScheduleCertification(ctx context.Context, idb bun.IDB, geiq bool, diagnosisID int64) error {
	if err := scheduleFTCertification(ctx, idb, geiq, diagnosisID, Day(time.Now())); err != nil {
		return err
	}
	sc := schemaOf(geiq)
	pending, err := idb.NewSelect().TableExpr(sc.selected+" AS sc").
		Join("JOIN "+sc.criteria+" AS c ON c.id = sc.administrative_criteria_id").
		Where("sc.eligibility_diagnosis_id = ?", diagnosisID).
		Where("sc.certified_at IS NULL").Where("c.kind IN (?)", particulierKinds).Exists(ctx)
	if err != nil {
		return fmt.Errorf("eligibility: criteria to certify of %s %d: %w", sc.diagnoses, diagnosisID, err)
	}
	if !pending {
		return nil
	}
	return jobs.EnqueueOnce(ctx, idb, CertifyJob, certifyPayload{DiagnosisID: diagnosisID, GEIQ: geiq}, time.Time{},
		jobs.MaxAttempts(certifyAttempts))
}

// Certifier asks API Particulier, and France Travail for TH, about the criteria of queued
// diagnoses.
type Certifier struct {
	db  *db.DB
	api *apiparticulier.Client // nil: the certification by API Particulier is off
	ft  *francetravail.Client  // nil: the certification by France Travail is off
	log *slog.Logger
	Now func() time.Time
}

// NewCertifier returns the certifier; api nil turns the certification off (the criteria stay
// « en cours » and the nightly retry picks them up once it is configured).
func NewCertifier(d *db.DB, api *apiparticulier.Client, log *slog.Logger) *Certifier {
	return &Certifier{db: d, api: api, log: log, Now: time.Now}
}

// Enabled reports whether API Particulier is configured.
func (c *Certifier) Enabled() bool { return c.api != nil }

// UseAPIParticulier makes the certifier ask api (the demo's in-process one); call it before the
// worker starts.
func (c *Certifier) UseAPIParticulier(api *apiparticulier.Client) { c.api = api }

// UseFranceTravail makes the certifier ask France Travail's agent API about the TH criterion;
// call it before the worker starts.
func (c *Certifier) UseFranceTravail(ft *francetravail.Client) { c.ft = ft }

// FranceTravailEnabled reports whether France Travail certifies the TH criterion.
func (c *Certifier) FranceTravailEnabled() bool { return c.ft != nil }

// Handle is the job handler of CertifyJob.
func (c *Certifier) Handle(ctx context.Context, payload []byte) error {
	var p certifyPayload
	if err := json.Unmarshal(payload, &p); err != nil || p.DiagnosisID == 0 {
		return jobs.Permanent(fmt.Errorf("eligibility: certification payload %q", payload))
	}
	return c.Certify(ctx, p.GEIQ, p.DiagnosisID)
}

type pendingCriterion struct {
	ID          int64 `bun:"id"`
	Kind        Kind  `bun:"kind"`
	JobSeekerID int64 `bun:"job_seeker_id"`
}

// Certify asks API Particulier about each uncertified criterion of the diagnosis it may certify
// and stores every definitive answer, each in its own transaction. An identity too incomplete
// for the API is skipped. It returns the error to retry on, with the delay the API asked for.
func (c *Certifier) Certify(ctx context.Context, geiq bool, diagnosisID int64) error {
	if c.api == nil {
		return nil
	}
	sc := schemaOf(geiq)
	var pending []pendingCriterion
	err := c.db.NewSelect().TableExpr(sc.selected+" AS sc").
		ColumnExpr("sc.id, c.kind, d.job_seeker_id").
		Join("JOIN "+sc.criteria+" AS c ON c.id = sc.administrative_criteria_id").
		Join("JOIN "+sc.diagnoses+" AS d ON d.id = sc.eligibility_diagnosis_id").
		Where("sc.eligibility_diagnosis_id = ?", diagnosisID).
		Where("sc.certified_at IS NULL").Where("c.kind IN (?)", particulierKinds).
		OrderExpr("sc.id").Scan(ctx, &pending)
	if err != nil || len(pending) == 0 {
		return err
	}
	id, err := jobseeker.ParticulierIdentity(ctx, c.db, pending[0].JobSeekerID)
	if err != nil {
		return err
	}
	log := c.log.With("diagnosis", sc.diagnoses, "diagnosis_id", diagnosisID)
	if !id.Complete() {
		log.Info("API Particulier: identity incomplete, certification skipped")
		return nil
	}
	var retry error
	for _, p := range pending {
		answer, err := c.api.Check(ctx, benefitOf[p.Kind], id)
		now := c.Now().UTC().Truncate(time.Microsecond)
		var again *apiparticulier.RetryError
		switch {
		case err == nil:
			err = c.store(ctx, sc, p, answer, now)
			log.Info("API Particulier: criterion checked", "kind", p.Kind, "found", answer.Found, "beneficiary", answer.Beneficiary)
		case errors.Is(err, apiparticulier.ErrProviderDown):
			log.Warn("API Particulier: data provider down, not retried", "kind", p.Kind)
			err = c.attempted(ctx, sc, p.ID)
		case errors.As(err, &again):
			log.Warn("API Particulier: no answer, will retry", "kind", p.Kind, "status", again.Status, "retry_in", again.After)
			if retry == nil {
				retry = jobs.RetryAfter(err, again.After)
			}
			err = c.attempted(ctx, sc, p.ID)
		}
		if err != nil {
			return err
		}
	}
	return retry
}

// store writes a definitive answer on the criterion and records the identity certification
// (asp.md §7.1): a beneficiary gets the open period from the day the right started, a person
// who is not gets the empty period, a person unknown to the API neither (« Certification
// impossible »).
func (c *Certifier) store(ctx context.Context, sc schema, p pendingCriterion, a apiparticulier.Answer, now time.Time) error {
	ans := answer{body: a.Body, identity: jobseeker.CertifierAPIParticulier}
	switch {
	case a.Found && a.Beneficiary && a.Since != nil:
		since := Day(*a.Since)
		ans.from = &since
	case a.Found:
		ans.empty = true
	}
	return c.record(ctx, sc, []int64{p.ID}, p.JobSeekerID, ans, now)
}

// answer is a definitive answer of an API about a criterion.
type answer struct {
	body []byte
	// from and until bound the period the criterion is certified for (until nil: open-ended);
	// empty: the API says it is not; neither: the API could not say (« Certification
	// impossible »).
	from, until *time.Time
	empty       bool
	// identity is the certifier of the job seeker's identity this answer is, "" for none.
	identity jobseeker.Certifier
}

// record writes a definitive answer on the selected criteria ids, and the identity
// certification it makes, in one transaction.
func (c *Certifier) record(ctx context.Context, sc schema, ids []int64, jobSeekerID int64, a answer, now time.Time) error {
	return c.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		q := tx.NewUpdate().TableExpr(sc.selected).Where("id IN (?)", bun.List(ids)).
			Set("certified_at = ?", now).Set("last_certification_attempt_at = ?", now).
			Set("data_returned_by_api = ?", string(a.body)).Set("certification_empty = ?", a.empty)
		if a.from != nil {
			q = q.Set("certified_from = ?", *a.from)
		} else {
			q = q.Set("certified_from = NULL")
		}
		if a.until != nil {
			q = q.Set("certified_until = ?", *a.until)
		} else {
			q = q.Set("certified_until = NULL")
		}
		if _, err := q.Exec(ctx); err != nil {
			return fmt.Errorf("eligibility: certification of criteria %v: %w", ids, err)
		}
		if a.identity == "" {
			return nil
		}
		return jobseeker.RecordCertification(ctx, tx, jobSeekerID, a.identity, now)
	})
}

// attempted notes an attempt that gave no definitive answer.
func (c *Certifier) attempted(ctx context.Context, sc schema, selectedIDs ...int64) error {
	_, err := c.db.NewUpdate().TableExpr(sc.selected).Where("id IN (?)", bun.List(selectedIDs)).
		Set("last_certification_attempt_at = ?", c.Now().UTC().Truncate(time.Microsecond)).Exec(ctx)
	return err
}

// ScheduleRetries queues the certification of the diagnoses whose criteria are still
// uncertified (approvals.md §2.5, the nightly job): the diagnosis has not expired, the
// criterion was selected more than a day ago and not tried for 7 days, no hire on it has
// started, and the identity has what the API needs; then France Travail's (scheduleFTRetries).
// It returns how many it queued.
func (c *Certifier) ScheduleRetries(ctx context.Context) (int, error) {
	queued, err := c.scheduleParticulierRetries(ctx)
	if err != nil {
		return queued, err
	}
	n, err := c.scheduleFTRetries(ctx)
	return queued + n, err
}

func (c *Certifier) scheduleParticulierRetries(ctx context.Context) (int, error) {
	if c.api == nil {
		return 0, nil
	}
	return c.queueRetries(ctx, CertifyJob, certifyAttempts, retryAfterCreation, "criteria to certify again",
		func(q *bun.SelectQuery, _ time.Time) *bun.SelectQuery {
			return q.Join("JOIN users AS u ON u.id = d.job_seeker_id").
				Where("sc.certified_at IS NULL").Where("c.kind IN (?)", particulierKinds).
				Where("u.first_name <> '' AND u.last_name <> '' AND u.title <> '' AND p.birthdate IS NOT NULL").
				Where("p.birth_country_code IS NOT NULL AND (p.birth_country_code <> ? OR p.birth_place_code IS NOT NULL)", apiparticulier.France)
		})
}

// queueRetries queues job for every diagnosis (IAE and GEIQ) that has a criterion the nightly
// retry should try again: the diagnosis has not expired, the criterion was selected longer than
// afterCreation ago and not tried for 7 days, no hire on it has started, and pending (over sc,
// c, d and the profile p, on today) holds. It returns how many it queued.
func (c *Certifier) queueRetries(ctx context.Context, job string, attempts int, afterCreation time.Duration, what string,
	pending func(q *bun.SelectQuery, today time.Time) *bun.SelectQuery) (int, error) {
	now := c.Now().UTC()
	today := Day(c.Now())
	queued := 0
	for _, geiq := range []bool{false, true} {
		sc := schemaOf(geiq)
		var ids []int64
		err := pending(c.db.NewSelect().TableExpr(sc.selected+" AS sc").ColumnExpr("DISTINCT sc.eligibility_diagnosis_id").
			Join("JOIN "+sc.criteria+" AS c ON c.id = sc.administrative_criteria_id").
			Join("JOIN "+sc.diagnoses+" AS d ON d.id = sc.eligibility_diagnosis_id").
			Join("JOIN job_seeker_profile AS p ON p.user_id = d.job_seeker_id"), today).
			Where("d.expires_at >= ?", today).
			Where("sc.created_at < ?", now.Add(-afterCreation)).
			Where("(sc.last_certification_attempt_at IS NULL OR sc.last_certification_attempt_at < ?)", now.Add(-retryQuietPeriod)).
			Where(noHireStarted(geiq), today).
			OrderExpr("sc.eligibility_diagnosis_id").Scan(ctx, &ids)
		if err != nil {
			return queued, fmt.Errorf("eligibility: %s: %w", what, err)
		}
		for _, id := range ids {
			if err := jobs.EnqueueOnce(ctx, c.db, job, certifyPayload{DiagnosisID: id, GEIQ: geiq}, time.Time{},
				jobs.MaxAttempts(attempts)); err != nil {
				return queued, err
			}
			queued++
		}
	}
	return queued, nil
}

// noHireStarted is the condition, over the diagnosis d and today, that no hire on it started.
func noHireStarted(geiq bool) string {
	hireColumn := "eligibility_diagnosis_id"
	if geiq {
		hireColumn = "geiq_eligibility_diagnosis_id"
	}
	return "NOT EXISTS (SELECT 1 FROM job_application AS ja WHERE ja." + hireColumn + " = d.id AND ja.state = 'accepted' AND ja.hiring_start_at <= ?)"
}
