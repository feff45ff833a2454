package application

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
)

// SubmitInput is the last step of a submission tunnel (§3.1–3.3).
type SubmitInput struct {
	// CompanyUID is the receiving company.
	CompanyUID string
	// JobSeekerPublicID is the job seeker a proxy applies for (ignored for a job seeker).
	JobSeekerPublicID string
	// JobUIDs are the chosen fiches de poste; Spontaneous is « Candidature spontanée ».
	JobUIDs     []string
	Spontaneous bool
	Message     string
	// Resume is the uploaded CV (nil: none).
	Resume []byte
	// AdvisorID is the member of the sender's organization who follows the job seeker (0: the
	// sender); UnknownAdvisor is « Non référencé sur le service ».
	AdvisorID      int64
	UnknownAdvisor bool
}

// submission is a checked submission: who sends what to whom.
type submission struct {
	tunnel    Tunnel
	company   *org.Company
	member    bool // the sender is a member of the receiving company
	jobSeeker *person
	sender    *person
	kind      SenderKind
	senderCo  *int64
	senderPO  *int64
	jobs      []*jobdesc.JobDescription
}

// Submit creates a candidature from a submission tunnel with every guard of §3.0: who may apply,
// a registered company, a blocked company (R4), the 24-hour rule (R2, not in auto-prescription),
// the job selection (R5–R7), the message (R8) and the CV (R9). A second submission of the same
// (job seeker, company) within 10 seconds returns the first candidature and creates nothing (R3).
func (s *Service) Submit(ctx context.Context, a actor.Actor, in SubmitInput) (*Application, error) {
	if in.Resume != nil {
		if err := CheckResume(in.Resume); err != nil {
			return nil, err
		}
	}
	var out *Application
	var stored string
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		out, stored, err = s.submitIn(ctx, tx, a, in, nil)
		return err
	})
	if err != nil {
		s.dropResume(ctx, stored)
		return nil, err
	}
	return out, nil
}

// resumeSource stores the CV of a new candidature once every check passed and returns its key;
// nil stores the uploaded one (SubmitInput.Resume), if any.
type resumeSource func(ctx context.Context) (string, error)

// submitIn is Submit inside the caller's transaction (the external transfer runs it too). It
// returns the candidature and the key of the CV it stored, which the caller deletes when the
// transaction fails.
func (s *Service) submitIn(ctx context.Context, tx bun.Tx, a actor.Actor, in SubmitInput, resume resumeSource) (*Application, string, error) {
	sub, err := s.checkSubmitter(ctx, tx, a, in.CompanyUID, in.JobSeekerPublicID)
	if err != nil {
		return nil, "", err
	}
	// Serialize the submissions of one job seeker, so that R2 and R3 hold under concurrency.
	if err := s.lockRow(ctx, tx, "users", sub.jobSeeker.ID); err != nil {
		return nil, "", err
	}
	now := s.now()
	last, err := latestTo(ctx, tx, sub.jobSeeker.ID, sub.company.ID)
	if err != nil {
		return nil, "", err
	}
	if last != nil && IsDoubleSubmission(&last.CreatedAt, now) && last.SenderID != nil && *last.SenderID == a.UserID {
		return last, "", nil
	}
	if err := s.checkRecent(sub, last, now); err != nil {
		return nil, "", err
	}
	if err := s.checkPASSToApply(ctx, tx, sub); err != nil {
		return nil, "", err
	}
	var errs fault.Fields
	if sub.jobs, err = checkJobs(ctx, tx, sub, in.JobUIDs, in.Spontaneous, &errs); err != nil {
		return nil, "", err
	}
	msg, msgErrs := checkMessage(sub.tunnel, in.Message)
	errs = append(errs, msgErrs...)
	if err := errs.Err(); err != nil {
		return nil, "", err
	}
	if resume == nil && in.Resume != nil {
		resume = func(ctx context.Context) (string, error) { return s.storeResume(ctx, in.Resume) }
	}
	var resumeKey string
	if resume != nil {
		if resumeKey, err = resume(ctx); err != nil {
			return nil, "", err
		}
	}
	app := &Application{PublicID: uuid.NewString(), JobSeekerID: sub.jobSeeker.ID, ToCompanyID: sub.company.ID,
		SenderID: &sub.sender.ID, SenderKind: sub.kind, SenderCompanyID: sub.senderCo,
		SenderPrescriberOrganizationID: sub.senderPO, State: New, Message: msg, ResumeKey: resumeKey,
		Origin: OriginDefault, CreatedAt: now, UpdatedAt: now, CreateEmployeeRecord: true}
	if err := s.insert(ctx, tx, a, app, sub.jobs); err != nil {
		return nil, resumeKey, err
	}
	if sub.kind != SenderJobSeeker && s.Assign != nil {
		// « Non référencé sur le service » stays the sender's assignment, flagged as such.
		advisor := in.AdvisorID
		if advisor == 0 || in.UnknownAdvisor {
			advisor = a.UserID
		}
		if err := s.Assign(ctx, tx, sub.jobSeeker.ID, advisor, a.Organization, "APPLY", in.UnknownAdvisor); err != nil {
			return nil, resumeKey, err
		}
	}
	if err := s.notifySubmitted(ctx, tx, app, sub.company, sub.jobs); err != nil {
		return nil, resumeKey, err
	}
	return app, resumeKey, nil
}

// checkMessage is R8: the message to the employer, trimmed, mandatory but in auto-prescription,
// at most 10,000 characters.
func checkMessage(tunnel Tunnel, message string) (string, fault.Fields) {
	var errs fault.Fields
	msg := strings.TrimSpace(message)
	if msg == "" && tunnel != TunnelAutoPrescription {
		errs.Add("message", "Ce champ est obligatoire.")
	}
	if len([]rune(msg)) > 10000 {
		errs.Add("message", "Le message ne doit pas dépasser 10 000 caractères.")
	}
	return msg, errs
}

// checkSubmitter applies the guards of §3.0-1, 2, 4 and 8 and says who sends for whom.
func (s *Service) checkSubmitter(ctx context.Context, tx bun.IDB, a actor.Actor, companyUID, jobSeekerPublicID string) (*submission, error) {
	sub, err := s.checkSender(ctx, tx, a, companyUID)
	if err != nil {
		return nil, err
	}
	if sub.jobSeeker == nil {
		if sub.jobSeeker, err = proxiedJobSeeker(ctx, tx, jobSeekerPublicID); err != nil {
			return nil, err
		}
	}
	return sub, nil
}

// proxiedJobSeeker is the job seeker a proxy applies for (§3.0-8).
func proxiedJobSeeker(ctx context.Context, idb bun.IDB, publicID string) (*person, error) {
	js, err := personByPublicID(ctx, idb, publicID)
	if err != nil {
		return nil, err
	}
	if js == nil || js.Kind != string(actor.JobSeeker) {
		return nil, ErrJobSeekerNotFound
	}
	return js, nil
}

// checkSender applies the guards of §3.0-1, 2 and 4 and says who sends to whom (the job seeker
// too when the sender is one).
func (s *Service) checkSender(ctx context.Context, tx bun.IDB, a actor.Actor, companyUID string) (*submission, error) {
	sub := &submission{}
	switch {
	case a.UserID == 0:
		return nil, ErrCannotApply
	case a.Kind == actor.JobSeeker:
	case a.Kind == actor.Professional && (companyOf(a) != 0 || prescriberOf(a) != 0):
	default:
		return nil, ErrCannotApply
	}
	co, err := companyByUID(ctx, tx, companyUID)
	if err != nil {
		return nil, err
	}
	if co.Kind == org.Reserved {
		return nil, ErrNotRegistered
	}
	if n, err := activeMemberCount(ctx, tx, co.ID); err != nil {
		return nil, err
	} else if n == 0 {
		return nil, ErrNotRegistered
	}
	sub.company = co
	sub.tunnel = DetectTunnel(a.Kind == actor.JobSeeker, companyOf(a), co.ID)
	if sub.sender, err = personByID(ctx, tx, a.UserID); err != nil {
		return nil, err
	}
	if sub.sender == nil || !sub.sender.IsActive {
		return nil, ErrCannotApply
	}
	switch {
	case a.Kind == actor.JobSeeker:
		sub.jobSeeker, sub.kind = sub.sender, SenderJobSeeker
	case companyOf(a) != 0:
		ok, err := isCompanyMember(ctx, tx, a.UserID, companyOf(a))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, ErrCannotApply
		}
		sub.kind, sub.senderCo = SenderEmployer, idPtr(companyOf(a))
	default:
		ok, err := isMember(ctx, tx, "prescriber_membership", a.UserID, prescriberOf(a))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, ErrCannotApply
		}
		sub.kind, sub.senderPO = SenderPrescriber, idPtr(prescriberOf(a))
	}
	if sub.tunnel == TunnelAutoPrescription && !HiresDirectly(co.Kind) {
		return nil, ErrNoAutoPrescription
	}
	if sub.member, err = isCompanyMember(ctx, tx, a.UserID, co.ID); err != nil {
		return nil, err
	}
	if co.BlockJobApplications && !sub.member {
		return nil, ErrBlocked
	}
	return sub, nil
}

// checkRecent is the 24-hour rule (R2).
func (s *Service) checkRecent(sub *submission, last *Application, now time.Time) error {
	if last == nil || !BlockedByRecentApplication(sub.tunnel, &last.CreatedAt, now) {
		return nil
	}
	if sub.tunnel == TunnelJobSeeker {
		return ErrRecentSelf
	}
	return ErrRecentProxy
}

// latestTo is the latest candidature of a job seeker to a company, nil when none.
func latestTo(ctx context.Context, idb bun.IDB, jobSeekerID, companyID int64) (*Application, error) {
	var list []*Application
	err := idb.NewSelect().Model(&list).Where("ja.job_seeker_id = ?", jobSeekerID).
		Where("ja.to_company_id = ?", companyID).OrderExpr("ja.created_at DESC, ja.id DESC").Limit(1).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("application: latest candidature: %w", err)
	}
	if len(list) == 0 {
		return nil, nil
	}
	return list[0], nil
}

// checkJobs loads the chosen fiches and applies R5–R7: jobs or spontaneous, not both, not none;
// spontaneous only when open (members excepted); only open fiches of the company.
func checkJobs(ctx context.Context, idb bun.IDB, sub *submission, uids []string, spontaneous bool, errs *fault.Fields) ([]*jobdesc.JobDescription, error) {
	switch {
	case len(uids) == 0 && !spontaneous:
		errs.Add("jobs", msgNoJob)
		return nil, nil
	case len(uids) > 0 && spontaneous:
		errs.Add("jobs", msgJobAndSpontaneous)
		return nil, nil
	case spontaneous:
		if !sub.member && !sub.company.SpontaneousApplicationsOpen() {
			errs.Add("jobs", msgSpontaneousClosed)
		}
		return nil, nil
	}
	var jobs []*jobdesc.JobDescription
	if err := idb.NewSelect().Model(&jobs).Relation("Appellation").Where("jd.uid IN (?)", bun.List(uids)).
		OrderExpr("jd.ui_rank, jd.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("application: chosen jobs: %w", err)
	}
	seen := map[string]bool{}
	for _, j := range jobs {
		seen[j.UID] = true
		if j.CompanyID != sub.company.ID {
			errs.Add("jobs", msgUnknownJob)
		} else if !j.IsActive {
			errs.Add("jobs", msgJobClosed)
		}
	}
	for _, u := range uids {
		if !seen[u] {
			errs.Add("jobs", msgUnknownJob)
		}
	}
	return jobs, nil
}

// insert writes a new candidature, its selected jobs and the audit event.
func (s *Service) insert(ctx context.Context, tx bun.Tx, a actor.Actor, app *Application, jobs []*jobdesc.JobDescription) error {
	if _, err := tx.NewInsert().Model(app).Exec(ctx); err != nil {
		return fmt.Errorf("application: insert: %w", err)
	}
	if len(jobs) > 0 {
		rows := make([]SelectedJob, len(jobs))
		for i, j := range jobs {
			rows[i] = SelectedJob{JobApplicationID: app.ID, JobDescriptionID: j.ID}
		}
		if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
			return fmt.Errorf("application: selected jobs: %w", err)
		}
	}
	return audit.Record(ctx, tx, a, ActionSubmitted, object(app.PublicID),
		map[string]any{"company": app.ToCompanyID, "sender_kind": app.SenderKind, "jobs": len(jobs)})
}
