package benchsearch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/app"
	"emplois/internal/application"
	"emplois/internal/approval"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
)

// Budgets of issue 10 (`make bench-pass`).
const (
	MaxAcceptP95   = 30 * time.Millisecond
	MaxPASSListP95 = 20 * time.Millisecond
	MaxVerifyP95   = 10 * time.Millisecond
)

// Routes of the PASS IAE pages measured.
const (
	PASSListRoute = "GET /approvals/list"
	VerifyRoute   = "POST /pass-iae/verify"
)

// PASSEmployer is the employer of the data set with the most PASS IAE (those of its accepted
// candidatures), and a PASS to look up on the verification page.
type PASSEmployer struct {
	CompanyID  int64
	CompanyUID string
	Kind       string
	Count      int   // PASS linked to its accepted candidatures
	MemberID   int64 // an active member
	// Number and Birthdate are those of an existing PASS and its holder.
	Number    string
	Birthdate time.Time
}

// FindPASSEmployer returns the employer with the most PASS and a PASS whose holder has a birth date.
func FindPASSEmployer(ctx context.Context, d *db.DB) (*PASSEmployer, error) {
	e := &PASSEmployer{}
	var err error
	if e.CompanyID, e.Count, err = topCompany(ctx, d, "count(DISTINCT approval_id)", "approval_id IS NOT NULL AND state = 'accepted'"); err != nil {
		return nil, fmt.Errorf("benchsearch: employer with the most PASS: %w", err)
	}
	if e.CompanyUID, e.Kind, e.MemberID, err = describeCompany(ctx, d, e.CompanyID); err != nil {
		return nil, err
	}
	var pass []struct {
		Number    string    `bun:"number"`
		Birthdate time.Time `bun:"birthdate"`
	}
	err = d.NewSelect().TableExpr("approval AS a").ColumnExpr("a.number, p.birthdate").
		Join("JOIN job_seeker_profile AS p ON p.user_id = a.user_id").Where("p.birthdate IS NOT NULL").
		Where("a.id IN (SELECT approval_id FROM job_application WHERE to_company_id = ? AND approval_id IS NOT NULL)", e.CompanyID).
		OrderExpr("a.id").Limit(1).Scan(ctx, &pass)
	if err != nil {
		return nil, fmt.Errorf("benchsearch: a PASS to verify: %w", err)
	}
	if len(pass) == 0 {
		return nil, fmt.Errorf("benchsearch: no PASS of %s whose holder has a birth date", e.CompanyUID)
	}
	e.Number, e.Birthdate = pass[0].Number, pass[0].Birthdate
	return e, nil
}

// topCompany is the company whose candidatures matching where give the highest count.
func topCompany(ctx context.Context, d *db.DB, count, where string) (id int64, n int, err error) {
	var top []struct {
		ID int64 `bun:"to_company_id"`
		N  int   `bun:"n"`
	}
	err = d.NewSelect().TableExpr("job_application").ColumnExpr("to_company_id, "+count+" AS n").Where(where).
		GroupExpr("to_company_id").OrderExpr("n DESC, to_company_id").Limit(1).Scan(ctx, &top)
	if err != nil {
		return 0, 0, err
	}
	if len(top) == 0 {
		return 0, 0, errors.New("no such candidature in the data set")
	}
	return top[0].ID, top[0].N, nil
}

// describeCompany returns the uid and kind of a company and its first active member.
func describeCompany(ctx context.Context, d *db.DB, id int64) (uid, kind string, member int64, err error) {
	if err = d.NewSelect().TableExpr("company").ColumnExpr("uid, kind").Where("id = ?", id).Scan(ctx, &uid, &kind); err != nil {
		return "", "", 0, fmt.Errorf("benchsearch: company %d: %w", id, err)
	}
	err = d.NewSelect().TableExpr("company_membership AS m").ColumnExpr("m.user_id").
		Join("JOIN users AS u ON u.id = m.user_id").Where("m.organization_id = ?", id).
		Where("m.is_active").Where("u.is_active").OrderExpr("m.user_id").Limit(1).Scan(ctx, &member)
	if err != nil {
		return "", "", 0, fmt.Errorf("benchsearch: member of company %d: %w", id, err)
	}
	return uid, kind, member, nil
}

// unknownNumber is a well-formed number that no PASS has: the same prefix, the last sequence.
func unknownNumber(number string) string { return number[:5] + "9999999" }

// PASSTargets are the employer's PASS list and the public verification of an existing and of an
// unknown number, next to the reference page. The list needs a session of a member of e; the
// verification is asked anonymously, as the public asks it.
func PASSTargets(e *PASSEmployer) []Target {
	born := e.Birthdate.Format(time.DateOnly)
	return []Target{
		{Name: "(a) reference: one commune by key", Route: ReferenceRoute, Paths: []string{"/bench/reference?code=" + Lyon}, Reference: true},
		{Name: "(i) PASS list of the employer", Route: PASSListRoute, Search: true, Member: true, Budget: MaxPASSListP95,
			Paths: []string{"/approvals/list"}},
		{Name: "(j) verification, existing PASS", Route: VerifyRoute, Search: true, Budget: MaxVerifyP95, Anonymous: true,
			Paths: []string{"/pass-iae/verify"}, Form: url.Values{"number": {e.Number}, "birthdate": {born}}},
		{Name: "(j) verification, unknown number", Route: VerifyRoute, Search: true, Budget: MaxVerifyP95, Anonymous: true,
			Paths: []string{"/pass-iae/verify"}, Form: url.Values{"number": {unknownNumber(e.Number)}, "birthdate": {born}}},
	}
}

// AcceptResult is the timing of Service.Accept on waiting SIAE candidatures of eligible job
// seekers, and how many PASS the acceptances issued.
type AcceptResult struct {
	Timing
	Issued int // PASS created by the acceptances (approvals after − before)
}

// BenchAccept times n acceptances, in-process, of SIAE candidatures waiting for an answer (new
// or processing, visible to the employer, not archived) whose job seeker has a NIR, a valid prescriber diagnosis and no PASS, one per
// job seeker, each by a member of the receiving company, the contract starting today. The
// candidatures stay accepted: the next run picks others.
func BenchAccept(ctx context.Context, d *db.DB, cfg config.Config, n int) (*AcceptResult, error) {
	svc, err := app.New(ctx, cfg, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	today := approval.Today(time.Now())
	var siae []string
	for _, k := range org.CompanyKinds {
		if k.IsSIAE() {
			siae = append(siae, string(k))
		}
	}
	var rows []struct {
		PublicID    string `bun:"public_id"`
		JobSeekerID int64  `bun:"job_seeker_id"`
		CompanyID   int64  `bun:"to_company_id"`
		UID         string `bun:"uid"`
		Kind        string `bun:"kind"`
		MemberID    *int64 `bun:"member_id"`
	}
	err = d.NewSelect().TableExpr("job_application AS ja").
		ColumnExpr("ja.public_id, ja.job_seeker_id, ja.to_company_id, co.uid, co.kind").
		ColumnExpr("(SELECT MIN(m.user_id) FROM company_membership AS m WHERE m.organization_id = co.id AND m.is_active) AS member_id").
		Join("JOIN company AS co ON co.id = ja.to_company_id").
		Join("JOIN job_seeker_profile AS p ON p.user_id = ja.job_seeker_id").
		Where("ja.state IN ('new', 'processing')").Where("co.kind IN (?)", bun.List(siae)).Where("p.nir IS NOT NULL").
		// The employer sees it (R31) and has not archived it.
		Where("ja.created_at > ?", application.VisibleSince(time.Now())).Where("ja.archived_at IS NULL").
		Where("NOT EXISTS (SELECT 1 FROM approval AS a WHERE a.user_id = ja.job_seeker_id)").
		Where(`EXISTS (SELECT 1 FROM eligibility_diagnosis AS ed WHERE ed.job_seeker_id = ja.job_seeker_id
			AND ed.author_kind = 'prescriber' AND ed.expires_at > ?)`, today).
		OrderExpr("ja.id").Limit(int64(4*n)).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("benchsearch: candidatures to accept: %w", err)
	}
	before, err := d.NewSelect().Table("approval").Count(ctx)
	if err != nil {
		return nil, err
	}
	res := &AcceptResult{}
	seen := map[int64]bool{}
	end := today.AddDate(0, 6, 0)
	for _, r := range rows {
		if res.Count+res.Errors >= n {
			break
		}
		if seen[r.JobSeekerID] || r.MemberID == nil {
			continue
		}
		seen[r.JobSeekerID] = true
		a := actor.Actor{UserID: *r.MemberID, Kind: actor.Professional, ClientIP: "127.0.0.1",
			Organization: &actor.Organization{Type: "company", Kind: r.Kind, ID: r.CompanyID, UID: r.UID}}
		res.time(func() error {
			_, err := svc.Applications.Accept(ctx, a, r.PublicID, application.AcceptInput{HiringStartAt: &today, HiringEndAt: &end,
				Answer: "Bienvenue dans l'équipe (banc d'essai)."})
			return err
		})
	}
	after, err := d.NewSelect().Table("approval").Count(ctx)
	if err != nil {
		return nil, err
	}
	res.Issued = int(after - before)
	return res, nil
}

// percentiles are the p50 and p95 of times (sorted in place); zero when empty.
func percentiles(times []time.Duration) (p50, p95 time.Duration) {
	if len(times) == 0 {
		return 0, 0
	}
	slices.Sort(times)
	rank := func(p float64) time.Duration {
		i := int(p*float64(len(times))+0.999999) - 1
		return times[max(0, min(i, len(times)-1))]
	}
	return rank(0.50), rank(0.95)
}

// PrintAccept writes the acceptance line.
func PrintAccept(w io.Writer, r *AcceptResult) {
	r.print(w, "(h) Accept with PASS issuance, eligible", fmt.Sprintf("%d acceptances in-process, %d PASS issued", r.Count, r.Issued), MaxAcceptP95)
}

// PASSQueryCounts reports the statements of one PASS list and one verification request.
func PASSQueryCounts(results []Result) string {
	out := "query count per request:"
	for _, r := range results {
		if r.Skipped != "" || r.Target.Reference {
			continue
		}
		out += fmt.Sprintf(" %s: %d;", r.Target.Name, len(r.Queries))
	}
	return out
}
