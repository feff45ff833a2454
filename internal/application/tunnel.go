package application

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/wizard"
	"emplois/internal/search"
)

// The submission tunnels as pages walk them (§3.1–3.3): a start that opens a wizard per browser
// tab, the job seeker (a proxy picks them through the identity search of the job seeker
// package), then the steps below, each guarded again on the server (§3.0), and the end page.
// The candidature itself is created by the same code as Submit.

// InfoCheckedMonths is the age of a job seeker's last information check past which a proxy is
// warned (§3.2-7).
const InfoCheckedMonths = 6

// ApplyWizardTTL is how long a tunnel stays open without being finished.
const ApplyWizardTTL = 24 * time.Hour

// applyWizardKind is the wizard_session kind of the submission tunnels.
const applyWizardKind = "apply"

// Step is a step of a submission tunnel.
type Step string

// The steps, in order; StepEnd is the page after sending.
const (
	StepCheck   Step = "check"   // previous candidatures, the job seeker's profile (§3.1-3/4)
	StepJobs    Step = "jobs"    // fiches de poste or « Candidature spontanée » (§3.1-5)
	StepMessage Step = "message" // message and CV (§3.1-7)
	StepConfirm Step = "confirm" // summary, then « Envoyer la candidature »
	StepEnd     Step = "end"
)

// ApplySteps are the steps before the end page, in order.
var ApplySteps = []Step{StepCheck, StepJobs, StepMessage, StepConfirm}

// Index is the step's rank in ApplySteps, -1 for the end page.
func (s Step) Index() int { return slices.Index(ApplySteps, s) }

// Valid reports whether s is a step of the tunnel.
func (s Step) Valid() bool { return s == StepEnd || s.Index() >= 0 }

// Refusals of the tunnels.
var (
	// ErrApplyWizardNotFound: unknown, expired or someone else's tunnel (§3.0-8), or a tunnel
	// started for another organization than the one now selected.
	ErrApplyWizardNotFound = fault.NotFound("Ce parcours de candidature a expiré : recommencez depuis la fiche de l'employeur.")
	// ErrProfileIncomplete: a job seeker must complete their profile before applying (§3.1-3).
	ErrProfileIncomplete = fault.Invalid("Complétez vos informations personnelles avant de postuler.")
	// ErrInfoIncomplete: the birth date or the France Travail situation is missing (§3.1-3,
	// §3.2-3).
	ErrInfoIncomplete = fault.Invalid("Complétez la date de naissance et la situation auprès de France Travail.")
)

// ApplyWizard is the state of one submission tunnel, kept on the server per browser tab.
type ApplyWizard struct {
	Key        string `json:"-"`
	CompanyUID string `json:"company"`
	Tunnel     Tunnel `json:"tunnel"`
	// JobSeekerPublicID is the person a proxy applies for ("" until chosen; the job seeker
	// themself in their own tunnel).
	JobSeekerPublicID string   `json:"job_seeker,omitempty"`
	JobUIDs           []string `json:"jobs,omitempty"`
	Spontaneous       bool     `json:"spontaneous,omitempty"`
	Message           string   `json:"message,omitempty"`
	// ResumeKey is the CV uploaded at the message step, already checked and stored.
	ResumeKey string `json:"resume,omitempty"`
	// AdvisorPublicID is the member of a proxy's organization who follows the job seeker (""
	// the sender); UnknownAdvisor is « Non référencé sur le service » (§3.2-7).
	AdvisorPublicID string `json:"advisor,omitempty"`
	UnknownAdvisor  bool   `json:"unknown_advisor,omitempty"`
	// NIRTried and NIRSkipped: the job seeker's NIR question (§3.1-2) was answered wrongly at
	// least once, then skipped.
	NIRTried   bool `json:"nir_tried,omitempty"`
	NIRSkipped bool `json:"nir_skipped,omitempty"`
	// Reached is the furthest step validated.
	Reached Step `json:"reached,omitempty"`
	// SentID is the candidature once sent: the tunnel then only shows its end page, and a
	// second « Envoyer » shows it again and creates nothing.
	SentID string `json:"sent,omitempty"`
}

// Next is the step a page of the tunnel must send the visitor to instead of step, and whether
// step may be shown: a step is reachable once the one before is validated, and a sent
// tunnel only shows its end page.
func (w *ApplyWizard) Next(step Step) (Step, bool) {
	if w.SentID != "" {
		return StepEnd, step == StepEnd
	}
	reached := w.Reached.Index()
	if step == StepEnd {
		return ApplySteps[min(reached+1, len(ApplySteps)-1)], false
	}
	if i := step.Index(); i > reached+1 {
		return ApplySteps[reached+1], false
	}
	return step, true
}

func (w *ApplyWizard) advance(step Step) {
	if w.Reached.Index() < step.Index() {
		w.Reached = step
	}
}

// ApplyPage is what a step of a tunnel shows.
type ApplyPage struct {
	Company *org.Company
	Tunnel  Tunnel
	// Member: the sender is a member of the receiving company.
	Member bool
	// NeedJobSeeker: a proxy has not picked the job seeker yet.
	NeedJobSeeker bool
	// LastApplied is the date of the job seeker's latest candidature to the company (nil:
	// none); Recent says the 24-hour rule blocks a new one (never in auto-prescription).
	LastApplied *time.Time
	Recent      bool
	// Missing lists what a job seeker applying alone must complete on their profile first: the
	// address (actors.md §14).
	Missing []string
	// InfoMissing lists the birth date and France Travail situation the profile lacks; the
	// check step asks them (InfoRequired) of the job seeker and of the proxies who may edit the
	// profile (§3.1-3, §3.2-3), the others go on without.
	InfoMissing  []string
	InfoRequired bool
	// BirthdateMissing: the birth date is among InfoMissing.
	BirthdateMissing bool
	// InfoStale: a proxy applies for someone whose information was last checked more than
	// InfoCheckedMonths ago (§3.2-7: a warning).
	InfoStale bool
	// NeedNIR: a job seeker applying alone has no NIR and has not skipped the question after a
	// first attempt (§3.1-2); NIRTried: an attempt was refused, so the page offers to skip.
	NeedNIR, NIRTried bool
	// Jobs are the company's open fiches de poste; FewApplications the uids of those with the
	// « Soyez parmi les premiers à postuler » badge; SpontaneousOffered: « Candidature
	// spontanée » may be chosen (open, or the sender is a member).
	Jobs               []*jobdesc.JobDescription
	FewApplications    map[string]bool
	SpontaneousOffered bool
	// Chosen are the fiches chosen at the jobs step that are still open; ResumeRecommended:
	// one of them asks for a CV (a hint, not enforced).
	Chosen            []*jobdesc.JobDescription
	ResumeRecommended bool
	// Advisors are the members of a proxy's organization, one of whom follows the job seeker
	// (message step; nil in the job seeker's own tunnel).
	Advisors []Advisor
	// Sent is the candidature, on the end page.
	Sent *Application
}

// Advisor is a professional who may follow the job seeker: a member of the sender's organization,
// offered as « Accompagnateur » (§3.2-7), or of the hiring company (§3.5-3).
type Advisor struct {
	PublicID, Name string
	// Self: the sender.
	Self bool
	id   int64
}

// ApplyMessage is what the message step posts.
type ApplyMessage struct {
	Message string
	// Resume is a new CV (nil: none, or keep the one uploaded before).
	Resume []byte
	// AdvisorPublicID and UnknownAdvisor: see ApplyWizard (proxies only).
	AdvisorPublicID string
	UnknownAdvisor  bool
}

// StartApply opens a tunnel towards a company for the actor (§3.1-1, §3.2-1) with the guards
// that need no job seeker (§3.0-1, 2, 4): jobUID preselects a fiche when it is an open one of
// the company; jobSeekerPublicID, for a proxy, skips the identity search.
func (s *Service) StartApply(ctx context.Context, a actor.Actor, companyUID, jobUID, jobSeekerPublicID string) (*ApplyWizard, error) {
	sub, err := s.checkSender(ctx, s.db, a, companyUID)
	if err != nil {
		return nil, err
	}
	w := &ApplyWizard{CompanyUID: sub.company.UID, Tunnel: sub.tunnel}
	if sub.jobSeeker != nil {
		w.JobSeekerPublicID = sub.jobSeeker.PublicID
	} else if jobSeekerPublicID != "" {
		js, err := proxiedJobSeeker(ctx, s.db, jobSeekerPublicID)
		if err != nil {
			return nil, err
		}
		w.JobSeekerPublicID = js.PublicID
	}
	if jobUID != "" {
		jobs, err := openJobs(ctx, s.db, sub.company.ID)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(jobs, func(j *jobdesc.JobDescription) bool { return j.UID == jobUID }) {
			w.JobUIDs = []string{jobUID}
		}
	}
	if w.Key, err = wizard.Start(ctx, s.db, a.UserID, applyWizardKind, w, s.now(), ApplyWizardTTL); err != nil {
		return nil, err
	}
	return w, nil
}

// ApplyWizardOf returns the actor's open tunnel of this key, or ErrApplyWizardNotFound.
func (s *Service) ApplyWizardOf(ctx context.Context, a actor.Actor, key string) (*ApplyWizard, error) {
	w := &ApplyWizard{}
	err := wizard.Load(ctx, s.db, a.UserID, applyWizardKind, key, s.now(), w)
	if errors.Is(err, wizard.ErrNotFound) {
		return nil, ErrApplyWizardNotFound
	}
	if err != nil {
		return nil, err
	}
	w.Key = key
	return w, nil
}

// closeApply deletes a tunnel refused on the way (§3.0-5), and the CV it had uploaded.
func (s *Service) closeApply(ctx context.Context, w *ApplyWizard) error {
	if err := wizard.Delete(ctx, s.db, w.Key); err != nil {
		return err
	}
	if w.ResumeKey != "" {
		return s.blobs.Delete(ctx, w.ResumeKey)
	}
	return nil
}

func (s *Service) saveApply(ctx context.Context, a actor.Actor, w *ApplyWizard) error {
	return wizard.Save(ctx, s.db, a.UserID, w.Key, w)
}

// SetApplyJobSeeker records the job seeker a proxy picked (found or created by the identity
// search); the steps start again for them.
func (s *Service) SetApplyJobSeeker(ctx context.Context, a actor.Actor, w *ApplyWizard, publicID string) error {
	if w.Tunnel == TunnelJobSeeker || w.SentID != "" {
		return ErrApplyWizardNotFound
	}
	js, err := proxiedJobSeeker(ctx, s.db, publicID)
	if err != nil {
		return err
	}
	w.JobSeekerPublicID, w.Reached = js.PublicID, ""
	return s.saveApply(ctx, a, w)
}

// ApplyPageOf applies the guards of §3.0 for a step and returns what it shows. The 24-hour
// rule (R2) refuses every step but the check step, and then closes the tunnel; the end page
// of a sent tunnel only shows the candidature.
func (s *Service) ApplyPageOf(ctx context.Context, a actor.Actor, w *ApplyWizard, step Step) (*ApplyPage, error) {
	p, _, err := s.applyState(ctx, a, w, step)
	return p, err
}

func (s *Service) applyState(ctx context.Context, a actor.Actor, w *ApplyWizard, step Step) (*ApplyPage, *submission, error) {
	if w.SentID != "" {
		app, err := s.byPublicID(ctx, s.db, w.SentID, false)
		if err != nil {
			return nil, nil, err
		}
		co, err := companyByID(ctx, s.db, app.ToCompanyID)
		if err != nil {
			return nil, nil, err
		}
		return &ApplyPage{Company: co, Tunnel: w.Tunnel, Sent: app}, nil, nil
	}
	sub, err := s.checkSender(ctx, s.db, a, w.CompanyUID)
	if err != nil {
		return nil, nil, err
	}
	if sub.tunnel != w.Tunnel {
		return nil, nil, ErrApplyWizardNotFound
	}
	p := &ApplyPage{Company: sub.company, Tunnel: sub.tunnel, Member: sub.member,
		SpontaneousOffered: sub.member || sub.company.SpontaneousApplicationsOpen()}
	if sub.jobSeeker == nil {
		if w.JobSeekerPublicID == "" {
			p.NeedJobSeeker = true
			return p, sub, nil
		}
		if sub.jobSeeker, err = proxiedJobSeeker(ctx, s.db, w.JobSeekerPublicID); err != nil {
			return nil, nil, err
		}
	}
	now := s.now()
	last, err := latestTo(ctx, s.db, sub.jobSeeker.ID, sub.company.ID)
	if err != nil {
		return nil, nil, err
	}
	if last != nil {
		p.LastApplied = &last.CreatedAt
		p.Recent = BlockedByRecentApplication(sub.tunnel, &last.CreatedAt, now)
	}
	if p.Recent && step != StepCheck {
		if err := s.closeApply(ctx, w); err != nil {
			return nil, nil, err
		}
		return nil, nil, s.checkRecent(sub, last, now)
	}
	if err := s.checkPASSToApply(ctx, s.db, sub); err != nil {
		return nil, nil, err
	}
	prof, err := profileToApply(ctx, s.db, sub.jobSeeker.ID, now.AddDate(0, -InfoCheckedMonths, 0))
	if err != nil {
		return nil, nil, err
	}
	p.InfoMissing, p.BirthdateMissing = prof.info, !prof.birthdate
	p.InfoStale = prof.stale && sub.tunnel != TunnelJobSeeker
	if sub.tunnel == TunnelJobSeeker {
		p.Missing, p.InfoRequired = prof.address, len(prof.info) > 0
		p.NeedNIR, p.NIRTried = !prof.nir && !w.NIRSkipped, w.NIRTried
	} else if len(prof.info) > 0 && s.MayEditJobSeeker != nil {
		if p.InfoRequired, err = s.MayEditJobSeeker(ctx, a, sub.jobSeeker.PublicID); err != nil {
			return nil, nil, err
		}
	}
	if p.Jobs, err = openJobs(ctx, s.db, sub.company.ID); err != nil {
		return nil, nil, err
	}
	if step == StepMessage && sub.tunnel != TunnelJobSeeker {
		if p.Advisors, err = advisors(ctx, s.db, a); err != nil {
			return nil, nil, err
		}
	}
	if step == StepJobs {
		if p.FewApplications, err = fewApplications(ctx, s.db, sub.company.ID, p.Jobs, now); err != nil {
			return nil, nil, err
		}
	}
	for _, j := range p.Jobs {
		if slices.Contains(w.JobUIDs, j.UID) {
			p.Chosen = append(p.Chosen, j)
			p.ResumeRecommended = p.ResumeRecommended || j.IsResumeMandatory
		}
	}
	return p, sub, nil
}

// ConfirmApplyCheck validates the check step (« Continuer », « Postuler à nouveau »): refused
// within 24 hours of a candidature (R2) and while a job seeker's profile misses what applying
// needs.
func (s *Service) ConfirmApplyCheck(ctx context.Context, a actor.Actor, w *ApplyWizard) error {
	p, sub, err := s.applyState(ctx, a, w, StepCheck)
	if err != nil {
		return err
	}
	switch {
	case p.NeedJobSeeker:
		return ErrJobSeekerNotFound
	case p.Recent:
		if err := s.closeApply(ctx, w); err != nil {
			return err
		}
		return s.checkRecent(sub, &Application{CreatedAt: *p.LastApplied}, s.now())
	case len(p.Missing) > 0:
		return ErrProfileIncomplete
	case p.InfoRequired:
		return ErrInfoIncomplete
	case p.NeedNIR:
		return fault.InvalidField("nir", "Indiquez votre numéro de sécurité sociale.")
	}
	w.advance(StepCheck)
	return s.saveApply(ctx, a, w)
}

// NoteApplyNIR records the answer to the NIR question of a job seeker's check step
// (§3.1-2): a refused attempt, or skipping it, which only a refused attempt allows.
func (s *Service) NoteApplyNIR(ctx context.Context, a actor.Actor, w *ApplyWizard, skip bool) error {
	if w.Tunnel != TunnelJobSeeker || w.SentID != "" || (skip && !w.NIRTried) {
		return ErrApplyWizardNotFound
	}
	if skip {
		w.NIRSkipped = true
	} else {
		w.NIRTried = true
	}
	return s.saveApply(ctx, a, w)
}

// ChooseApplyJobs validates the jobs step (R5–R7): open fiches of the company, or « Candidature
// spontanée » when offered, not both, not none; a fiche of another company is refused.
func (s *Service) ChooseApplyJobs(ctx context.Context, a actor.Actor, w *ApplyWizard, uids []string, spontaneous bool) error {
	p, sub, err := s.applyState(ctx, a, w, StepJobs)
	if err != nil {
		return err
	}
	if p.NeedJobSeeker {
		return ErrJobSeekerNotFound
	}
	uids = uniq(uids)
	var errs fault.Fields
	if _, err := checkJobs(ctx, s.db, sub, uids, spontaneous, &errs); err != nil {
		return err
	}
	if err := errs.Err(); err != nil {
		return err
	}
	w.JobUIDs, w.Spontaneous = uids, spontaneous
	w.advance(StepJobs)
	return s.saveApply(ctx, a, w)
}

// WriteApplyMessage validates the message step: the message (R8), the CV (R9) and, for a
// proxy, the advisor (a member of their organization, or « Non référencé sur le service »).
// The CV is stored at once, so that the next steps need not carry it; a new one replaces it.
func (s *Service) WriteApplyMessage(ctx context.Context, a actor.Actor, w *ApplyWizard, in ApplyMessage) error {
	p, sub, err := s.applyState(ctx, a, w, StepMessage)
	if err != nil {
		return err
	}
	if p.NeedJobSeeker {
		return ErrJobSeekerNotFound
	}
	msg, errs := checkMessage(sub.tunnel, in.Message)
	if in.Resume != nil {
		errs = append(errs, fault.FieldsOf(CheckResume(in.Resume))...)
	}
	advisor := ""
	if sub.tunnel != TunnelJobSeeker && !in.UnknownAdvisor && in.AdvisorPublicID != "" {
		i := slices.IndexFunc(p.Advisors, func(ad Advisor) bool { return ad.PublicID == in.AdvisorPublicID })
		switch {
		case i < 0:
			errs.Add("advisor", "Choisissez un membre de votre structure, ou « Non référencé sur le service ».")
		case !p.Advisors[i].Self:
			advisor = in.AdvisorPublicID
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	old := ""
	if in.Resume != nil {
		key, err := s.storeResume(ctx, in.Resume)
		if err != nil {
			return err
		}
		old, w.ResumeKey = w.ResumeKey, key
	}
	w.Message, w.AdvisorPublicID, w.UnknownAdvisor = msg, advisor, in.UnknownAdvisor && sub.tunnel != TunnelJobSeeker
	w.advance(StepMessage)
	if err := s.saveApply(ctx, a, w); err != nil {
		return err
	}
	if old != "" {
		s.blobs.Delete(context.WithoutCancel(ctx), old)
	}
	return nil
}

// SendApply creates the candidature of a tunnel whose steps are validated, with every guard
// of Submit (a fiche closed meanwhile is refused on the "jobs" field). A tunnel already sent
// returns its candidature and creates nothing, however late the second « Envoyer » comes.
func (s *Service) SendApply(ctx context.Context, a actor.Actor, w *ApplyWizard) (*Application, error) {
	if w.SentID != "" {
		return s.byPublicID(ctx, s.db, w.SentID, false)
	}
	if _, ok := w.Next(StepConfirm); !ok {
		return nil, ErrApplyWizardNotFound
	}
	if sub, err := s.checkSender(ctx, s.db, a, w.CompanyUID); err != nil {
		return nil, err
	} else if sub.tunnel != w.Tunnel {
		return nil, ErrApplyWizardNotFound
	}
	in := SubmitInput{CompanyUID: w.CompanyUID, JobSeekerPublicID: w.JobSeekerPublicID, JobUIDs: w.JobUIDs,
		Spontaneous: w.Spontaneous, Message: w.Message, UnknownAdvisor: w.UnknownAdvisor}
	if w.AdvisorPublicID != "" {
		// Still a member of the sender's organization, or the sender follows the job seeker.
		list, err := advisors(ctx, s.db, a)
		if err != nil {
			return nil, err
		}
		for _, ad := range list {
			if ad.PublicID == w.AdvisorPublicID {
				in.AdvisorID = ad.id
			}
		}
	}
	var app *Application
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		// The wizard owns its CV (kept for a retry), so the stored key is not dropped on failure.
		app, _, err = s.submitIn(ctx, tx, a, in, func(context.Context) (string, error) { return w.ResumeKey, nil })
		return err
	})
	if err != nil {
		return nil, err
	}
	w.SentID = app.PublicID
	if err := s.saveApply(ctx, a, w); err != nil {
		return nil, err
	}
	return app, nil
}

// PurgeApplyWizards deletes the tunnels expired at now, and the CVs uploaded in those never
// sent (a CV that a candidature holds stays).
func (s *Service) PurgeApplyWizards(ctx context.Context, now time.Time) (int, error) {
	return wizard.Purge(ctx, s.db, applyWizardKind, now, func(data []byte) error {
		var w ApplyWizard
		if err := json.Unmarshal(data, &w); err != nil || w.ResumeKey == "" || w.SentID != "" {
			return nil // nothing of ours to remove (an unreadable row goes all the same)
		}
		held, err := s.db.NewSelect().Model((*Application)(nil)).Where("ja.resume_key = ?", w.ResumeKey).Exists(ctx)
		if err != nil {
			return fmt.Errorf("application: staged CV: %w", err)
		}
		if held {
			return nil
		}
		return s.blobs.Delete(ctx, w.ResumeKey)
	})
}

// advisors are the active members of the actor's organization, by name (§3.2-7).
func advisors(ctx context.Context, idb bun.IDB, a actor.Actor) ([]Advisor, error) {
	table, orgID := "company_membership", companyOf(a)
	if orgID == 0 {
		table, orgID = "prescriber_membership", prescriberOf(a)
	}
	var members []person
	err := idb.NewSelect().Model(&members).
		Join("JOIN "+table+" AS m ON m.user_id = u.id").
		Where("m.organization_id = ?", orgID).Where("m.is_active").Where("u.is_active").
		OrderExpr("u.last_name, u.first_name, u.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("application: advisors: %w", err)
	}
	out := make([]Advisor, len(members))
	for i, m := range members {
		out[i] = Advisor{PublicID: m.PublicID, Name: m.FullName(), Self: m.ID == a.UserID, id: m.ID}
	}
	return out, nil
}

// openJobs are the open fiches de poste of a company, in the employer's order.
func openJobs(ctx context.Context, idb bun.IDB, companyID int64) ([]*jobdesc.JobDescription, error) {
	var jobs []*jobdesc.JobDescription
	err := idb.NewSelect().Model(&jobs).Relation("Appellation").Relation("Location").
		Where("jd.company_id = ?", companyID).Where("jd.is_active").OrderExpr("jd.ui_rank, jd.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("application: open jobs of %d: %w", companyID, err)
	}
	return jobs, nil
}

// fewApplications are the uids of the fiches with the « peu de candidatures » badge: at most
// one candidature of the company selecting them over the search's window (actors.md §4.6).
func fewApplications(ctx context.Context, idb bun.IDB, companyID int64, jobs []*jobdesc.JobDescription, now time.Time) (map[string]bool, error) {
	var counts []struct {
		JobDescriptionID int64 `bun:"job_description_id"`
		N                int   `bun:"n"`
	}
	err := idb.NewSelect().TableExpr("job_application_selected_job AS jasj").
		Join("JOIN job_application AS ja ON ja.id = jasj.job_application_id").
		ColumnExpr("jasj.job_description_id, COUNT(*) AS n").
		Where("ja.to_company_id = ?", companyID).Where("ja.created_at >= ?", now.Add(-search.CandidatureWindow)).
		GroupExpr("jasj.job_description_id").Scan(ctx, &counts)
	if err != nil {
		return nil, fmt.Errorf("application: candidatures per fiche: %w", err)
	}
	byID := map[int64]int{}
	for _, c := range counts {
		byID[c.JobDescriptionID] = c.N
	}
	few := map[string]bool{}
	for _, j := range jobs {
		few[j.UID] = search.FewApplications(byID[j.ID])
	}
	return few, nil
}

// applyProfile is what a job seeker's profile lacks to apply (§3.1-2, §3.1-3).
type applyProfile struct {
	address   []string // the address the dashboard asks first (actors.md §14)
	info      []string // the birth date, the France Travail situation
	nir       bool     // it has a NIR
	birthdate bool     // it has a birth date
	stale     bool     // its information was last checked before the date asked
}

// profileToApply reads what a job seeker's profile lacks to apply, and whether it was last
// checked before checkedBefore.
func profileToApply(ctx context.Context, idb bun.IDB, userID int64, checkedBefore time.Time) (applyProfile, error) {
	var r struct {
		Address       bool `bun:"has_address"`
		Birthdate     bool `bun:"has_birthdate"`
		FranceTravail bool `bun:"has_ft"`
		NIR           bool `bun:"has_nir"`
		Stale         bool `bun:"stale"`
	}
	err := idb.NewSelect().TableExpr("users AS u").
		Join("LEFT JOIN job_seeker_profile AS p ON p.user_id = u.id").
		ColumnExpr("(u.address_line_1 <> '' AND u.post_code <> '' AND u.city <> '') AS has_address").
		ColumnExpr("(p.birthdate IS NOT NULL) AS has_birthdate").
		ColumnExpr("(p.nir IS NOT NULL) AS has_nir").
		ColumnExpr("(u.last_checked_at IS NOT NULL AND u.last_checked_at < ?) AS stale", checkedBefore).
		ColumnExpr("(COALESCE(p.pole_emploi_id, '') <> '' OR COALESCE(p.lack_of_pole_emploi_id_reason, '') <> '') AS has_ft").
		Where("u.id = ?", userID).Scan(ctx, &r)
	if err != nil {
		return applyProfile{}, fmt.Errorf("application: profile of %d: %w", userID, err)
	}
	out := applyProfile{nir: r.NIR, birthdate: r.Birthdate, stale: r.Stale}
	if !r.Address {
		out.address = append(out.address, "l'adresse")
	}
	if !r.Birthdate {
		out.info = append(out.info, "la date de naissance")
	}
	if !r.FranceTravail {
		out.info = append(out.info, "l'identifiant France Travail, ou la raison de son absence")
	}
	return out, nil
}

func uniq(list []string) []string {
	var out []string
	for _, v := range list {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
