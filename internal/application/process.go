package application

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/employeerecord"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
)

// step is one transition being done: the locked candidature, its company and what to record.
type step struct {
	app     *Application
	company *org.Company
	by      *person // the acting user (nil for the system)
	from    State
	log     LogEntry
	details map[string]any
	// after runs once the row is written (mails that read it back, such as the PASS IAE's).
	after []func(ctx context.Context, tx bun.Tx) error
}

// needs says what a transition asks of the actor beyond being a member of the receiving company.
type needs struct {
	currentCompany bool // the company must be the one acted for (accept, direct hire, batch)
	system         bool // fired by the service itself (no actor)
	// jobSeeker locks the job seeker before the candidature: an acceptance makes the person's
	// other candidatures obsolete and decides their PASS IAE, so two acceptances of one person
	// must take turns, always in this order (no deadlock).
	jobSeeker bool
}

// run does transition n on one candidature in one transaction (§2.1): it loads and locks the row,
// checks who may act (object level) and the state, applies change, moves the state with the
// cross-cutting hooks (processed_at, archives), writes the timeline and the audit trail, then
// the mails. A wrong state changes nothing and returns a French conflict.
func (s *Service) run(ctx context.Context, a actor.Actor, publicID string, n TransitionName, nd needs,
	change func(ctx context.Context, tx bun.Tx, st *step) error) (*Application, error) {
	var out *Application
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if nd.jobSeeker {
			if err := s.lockJobSeekerOf(ctx, tx, publicID); err != nil {
				return err
			}
		}
		app, err := s.byPublicID(ctx, tx, publicID, true)
		if err != nil {
			return err
		}
		st, err := s.begin(ctx, tx, a, app, n, nd)
		if err != nil {
			return err
		}
		if change != nil {
			if err := change(ctx, tx, st); err != nil {
				return err
			}
		}
		if err := s.finish(ctx, tx, a, st, n); err != nil {
			return err
		}
		out = st.app
		return nil
	})
	return out, err
}

// begin checks the actor and the state of a locked candidature.
func (s *Service) begin(ctx context.Context, tx bun.IDB, a actor.Actor, app *Application, n TransitionName, nd needs) (*step, error) {
	t, ok := TransitionByName(n)
	if !ok {
		return nil, fmt.Errorf("application: unknown transition %s", n)
	}
	st := &step{app: app, from: app.State}
	if err := s.mayAct(ctx, tx, a, app, t, nd); err != nil {
		return nil, err
	}
	if !t.Allows(app.State) {
		return nil, stateConflict(n, app.State)
	}
	co, err := companyByID(ctx, tx, app.ToCompanyID)
	if err != nil {
		return nil, err
	}
	st.company = co
	if a.UserID != 0 {
		if st.by, err = personByID(ctx, tx, a.UserID); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// mayAct is the permission of §2.1: an active member of the receiving company acting as an
// employer (for the company itself when the transition needs it), or staff for the transitions
// staff may fire, or the system for its own. Others do not learn the candidature exists.
func (s *Service) mayAct(ctx context.Context, tx bun.IDB, a actor.Actor, app *Application, t Transition, nd needs) error {
	switch {
	case nd.system && a.UserID == 0:
		if !t.Who.Has(BySystem) {
			return ErrForbidden
		}
		return nil
	case a.UserID == 0:
		return ErrNotFound
	case a.IsStaff():
		if !t.Who.Has(ByStaff) {
			return ErrForbidden
		}
		return nil
	case a.Kind != actor.Professional || companyOf(a) == 0:
		return ErrNotFound
	}
	if !VisibleToEmployer(app.State, app.CreatedAt, s.now()) {
		return ErrNotFound // R31
	}
	ok, err := isCompanyMember(ctx, tx, a.UserID, app.ToCompanyID)
	if err != nil {
		return err
	}
	if !ok {
		return ErrNotFound
	}
	if !t.Who.Has(ByEmployer) || (nd.currentCompany && companyOf(a) != app.ToCompanyID) {
		return ErrForbidden
	}
	return nil
}

// finish moves the state and records the transition.
func (s *Service) finish(ctx context.Context, tx bun.Tx, a actor.Actor, st *step, n TransitionName) error {
	t, _ := TransitionByName(n)
	now := s.now()
	app := st.app
	app.State = t.To
	if set, clear := processedAtAfter(n); set {
		app.ProcessedAt = &now
	} else if clear {
		app.ProcessedAt = nil
	}
	if unarchives(n) {
		app.ArchivedAt, app.ArchivedByID = nil, nil
	}
	if app.State != Accepted {
		app.resetAcceptedOnly()
	}
	app.UpdatedAt = now
	if _, err := tx.NewUpdate().Model(app).WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("application: %s %s: %w", n, app.PublicID, err)
	}
	e := st.log
	e.JobApplicationID, e.Transition, e.FromState, e.ToState, e.CreatedAt = app.ID, n, st.from, app.State, now
	if a.UserID != 0 {
		e.UserID = &a.UserID
	}
	if st.details != nil {
		b, _ := json.Marshal(st.details)
		e.Details = string(b)
	}
	if err := writeLog(ctx, tx, &e); err != nil {
		return err
	}
	details := map[string]any{"from": st.from, "to": app.State}
	for k, v := range st.details {
		details[k] = v
	}
	if err := audit.Record(ctx, tx, a, "job_application_"+string(n), object(app.PublicID), details); err != nil {
		return err
	}
	for _, f := range st.after {
		if err := f(ctx, tx); err != nil {
			return err
		}
	}
	st.after = nil
	return nil
}

// Process is T1 « Étudier ».
func (s *Service) Process(ctx context.Context, a actor.Actor, publicID string) (*Application, error) {
	return s.run(ctx, a, publicID, TProcess, needs{}, nil)
}

// Postpone is T2 « Mettre en attente »: the answer to the job seeker is required (R21).
func (s *Service) Postpone(ctx context.Context, a actor.Actor, publicID, answer string) (*Application, error) {
	answer = strings.TrimSpace(answer)
	if answer == "" {
		return nil, fault.InvalidField("answer", "Ce champ est obligatoire.")
	}
	return s.run(ctx, a, publicID, TPostpone, needs{}, func(ctx context.Context, tx bun.Tx, st *step) error {
		st.app.Answer = answer
		return s.notifyTransition(ctx, tx, TPostpone, st.app, st.by, st.company)
	})
}

// AddToPool is T3 « Ajouter au vivier »; the answer is optional (R21).
func (s *Service) AddToPool(ctx context.Context, a actor.Actor, publicID, answer string) (*Application, error) {
	return s.run(ctx, a, publicID, TAddToPool, needs{}, func(ctx context.Context, tx bun.Tx, st *step) error {
		st.app.Answer = strings.TrimSpace(answer)
		return s.notifyTransition(ctx, tx, TAddToPool, st.app, st.by, st.company)
	})
}

// RefuseInput is what the refusal wizard collects (§3.6).
type RefuseInput struct {
	Reason             RefusalReason
	Shared             bool
	Answer             string
	AnswerToPrescriber string
}

// Refuse is T7 « Décliner» (R22–R25): an offered reason, a message to the job seeker, and a
// message to the prescriber when a prescriber or orienteur sent it.
func (s *Service) Refuse(ctx context.Context, a actor.Actor, publicID string, in RefuseInput) (*Application, error) {
	return s.run(ctx, a, publicID, TRefuse, needs{}, func(ctx context.Context, tx bun.Tx, st *step) error {
		if err := CheckRefusal(st.company.Kind, in, st.app.SenderKind == SenderPrescriber).Err(); err != nil {
			return err
		}
		st.app.RefusalReason, st.app.RefusalReasonShared = in.Reason, in.Shared
		st.app.Answer, st.app.AnswerToPrescriber = strings.TrimSpace(in.Answer), strings.TrimSpace(in.AnswerToPrescriber)
		st.details = map[string]any{"reason": in.Reason, "shared": in.Shared}
		return s.notifyTransition(ctx, tx, TRefuse, st.app, st.by, st.company)
	})
}

// CheckRefusal checks the refusal form (R22, R25): a reason offered to the company's kind, the
// message to the job seeker, and the message to the prescriber when a prescriber or orienteur
// sent one of the candidatures (toPrescriber).
func CheckRefusal(kind org.CompanyKind, in RefuseInput, toPrescriber bool) fault.Fields {
	var errs fault.Fields
	if !in.Reason.IsOffered(kind) {
		errs.Add("reason", "Choisissez un motif de refus de la liste.")
	}
	if strings.TrimSpace(in.Answer) == "" {
		errs.Add("answer", "Ce champ est obligatoire.")
	}
	if toPrescriber && strings.TrimSpace(in.AnswerToPrescriber) == "" {
		errs.Add("answer_to_prescriber", "Ce champ est obligatoire.")
	}
	return errs
}

// AcceptInput is what the acceptance wizard collects (§3.5-3).
type AcceptInput struct {
	HiringStartAt *time.Time
	HiringEndAt   *time.Time
	// HiredJobUID is a fiche of the company; or NewJobAppellation (+ NewJobLocation, an INSEE
	// code, "" for the company's commune) asks for a fiche of a new métier.
	HiredJobUID       string
	NewJobAppellation string
	NewJobLocation    string
	GEIQ              GEIQContract
	Answer            string
	// AdvisorID is the member who follows the job seeker (0: the accepting user). The timeline
	// records the real actor; the advisor only gets the assignment (§3.5-5, recommended reading).
	AdvisorID int64
}

// Accept is T6 « Accepter », for the company acted for (§3.5): contract dates (R12), the hired
// job (required for a GEIQ), the GEIQ contract fields, the answer; an SIAE acceptance records
// that a PASS IAE decision is pending; the job seeker's other new, processing and postponed
// candidatures become obsolete, without mails (R15).
func (s *Service) Accept(ctx context.Context, a actor.Actor, publicID string, in AcceptInput) (*Application, error) {
	return s.run(ctx, a, publicID, TAccept, needs{currentCompany: true, jobSeeker: true}, func(ctx context.Context, tx bun.Tx, st *step) error {
		return s.accept(ctx, tx, a, st, in, "ACCEPT")
	})
}

func (s *Service) accept(ctx context.Context, tx bun.Tx, a actor.Actor, st *step, in AcceptInput, assignKind string) error {
	co := st.company
	errs := CheckHiringDates(co.Kind, in.HiringStartAt, in.HiringEndAt, s.now())
	contract, cerrs := CheckGEIQContract(co.Kind, in.GEIQ)
	errs = append(errs, cerrs...)
	if err := errs.Err(); err != nil {
		return err
	}
	hired, err := s.hiredJob(ctx, tx, co, in, &errs)
	if err != nil {
		return err
	}
	if err := errs.Err(); err != nil {
		return err
	}
	app := st.app
	start := Day(*in.HiringStartAt)
	app.HiringStartAt = &start
	app.HiringEndAt = nil
	if in.HiringEndAt != nil {
		end := Day(*in.HiringEndAt)
		app.HiringEndAt = &end
	}
	if hired != nil {
		app.HiredJobID = &hired.ID
	}
	app.setContract(contract)
	app.Answer = strings.TrimSpace(in.Answer)
	if err := s.decideEligibility(ctx, tx, a, st); err != nil {
		return err
	}
	if err := s.renderOthersObsolete(ctx, tx, a, app); err != nil {
		return err
	}
	if s.Assign != nil && a.UserID != 0 {
		advisor := in.AdvisorID
		if advisor == 0 {
			advisor = a.UserID
		}
		if err := s.Assign(ctx, tx, app.JobSeekerID, advisor, a.Organization, assignKind, false); err != nil {
			return err
		}
	}
	// The mails read the accepted state.
	app.State = Accepted
	return s.notifyTransition(ctx, tx, TAccept, app, st.by, co)
}

// hiredJob resolves the « Poste retenu »: a fiche of the company, or one for a new métier (an
// existing fiche of the same company, place and appellation is reused, otherwise an inactive
// one created with source HIRING). Required for a GEIQ.
func (s *Service) hiredJob(ctx context.Context, tx bun.Tx, co *org.Company, in AcceptInput, errs *fault.Fields) (*jobdesc.JobDescription, error) {
	switch {
	case in.HiredJobUID != "":
		jd := new(jobdesc.JobDescription)
		n, err := tx.NewSelect().Model(jd).Where("jd.uid = ?", in.HiredJobUID).Where("jd.company_id = ?", co.ID).ScanAndCount(ctx)
		if n == 0 {
			errs.Add("hired_job", msgUnknownJob)
			return nil, nil
		}
		return jd, err
	case in.NewJobAppellation != "":
		var list []*jobdesc.JobDescription
		q := tx.NewSelect().Model(&list).Where("jd.company_id = ?", co.ID).Where("jd.appellation_code = ?", in.NewJobAppellation)
		if in.NewJobLocation == "" {
			q = q.Where("jd.location_code IS NULL")
		} else {
			q = q.Where("jd.location_code = ?", in.NewJobLocation)
		}
		if err := q.OrderExpr("jd.id").Limit(1).Scan(ctx); err != nil {
			return nil, fmt.Errorf("application: hired job: %w", err)
		}
		if len(list) > 0 {
			return list[0], nil
		}
		ok, err := tx.NewSelect().Table("rome_appellation").Where("code = ?", in.NewJobAppellation).Exists(ctx)
		if err != nil {
			return nil, fmt.Errorf("application: appellation: %w", err)
		}
		if !ok {
			errs.Add("hired_job", "Ce métier n'existe pas.")
			return nil, nil
		}
		now := s.now()
		jd := &jobdesc.JobDescription{UID: uuid.NewString(), CompanyID: co.ID, AppellationCode: in.NewJobAppellation,
			LocationCode: in.NewJobLocation, Description: "La structure n’a pas encore renseigné cette rubrique",
			ContractType: jobdesc.Other, OtherContractType: "Non renseigné", OpenPositions: 1, IsActive: false, UIRank: 32767,
			CreatedAt: now, UpdatedAt: now, LastEmployerUpdateAt: now, CreationSource: jobdesc.Hiring}
		if _, err := tx.NewInsert().Model(jd).Exec(ctx); err != nil {
			return nil, fmt.Errorf("application: new hired job: %w", err)
		}
		return jd, nil
	case co.Kind == org.GEIQ:
		errs.Add("hired_job", "Ce champ est obligatoire.")
	}
	return nil, nil
}

// renderOthersObsolete is T9 inside T6 (R15): the job seeker's other new, processing and
// postponed candidatures, in every company, become obsolete, logged with the accepting user
// (hidden in the timeline), without mails.
func (s *Service) renderOthersObsolete(ctx context.Context, tx bun.Tx, a actor.Actor, app *Application) error {
	var others []*Application
	q := tx.NewSelect().Model(&others).Where("ja.job_seeker_id = ?", app.JobSeekerID).Where("ja.id <> ?", app.ID).
		Where("ja.state IN (?)", bun.List(Pending)).OrderExpr("ja.id")
	if s.db.Engine == "postgres" {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return fmt.Errorf("application: others of the job seeker: %w", err)
	}
	for _, o := range others {
		st := &step{app: o, from: o.State}
		if err := s.finish(ctx, tx, a, st, TRenderObsolete); err != nil {
			return err
		}
	}
	return nil
}

// Cancel is T8 « Annuler l'embauche » (R19, R20): refused for candidatures of the 2021 AI stock;
// the PASS IAE goes when this hire was its only one (§2.12); the accepted-only fields are reset;
// the cancelling employer and the proxy are mailed, not the job seeker.
func (s *Service) Cancel(ctx context.Context, a actor.Actor, publicID string) (*Application, error) {
	return s.run(ctx, a, publicID, TCancel, needs{}, func(ctx context.Context, tx bun.Tx, st *step) error {
		if st.app.Origin == OriginAIStock {
			return stateConflict(TCancel, st.app.State)
		}
		sent, err := employeerecord.SentToASP(ctx, tx, st.app.ID)
		if err != nil {
			return err
		}
		if sent {
			return ErrFicheSent
		}
		if err := s.cancelPASS(ctx, tx, a, st.app); err != nil {
			return err
		}
		st.app.resetAcceptedOnly()
		st.app.State = Cancelled
		return s.notifyTransition(ctx, tx, TCancel, st.app, st.by, st.company)
	})
}

// ErrFicheSent: the ASP knows the hire from its fiche salarié (approvals.md scenario 35).
var ErrFicheSent = fault.Conflict("Vous ne pouvez pas annuler cette embauche : sa fiche salarié a déjà été envoyée à l'ASP.")

// Reset is T12, staff only: an obsolete candidature is new again.
func (s *Service) Reset(ctx context.Context, a actor.Actor, publicID string) (*Application, error) {
	return s.run(ctx, a, publicID, TReset, needs{}, nil)
}

// Transfer is T10 (R26): to another company the user is an active member of; the candidature is
// new there, answers, accepted-only fields and comments are gone, transferred_* recorded; the
// origin's members, the job seeker and the proxy are mailed.
func (s *Service) Transfer(ctx context.Context, a actor.Actor, publicID, targetCompanyUID string) (*Application, error) {
	return s.run(ctx, a, publicID, TTransfer, needs{}, func(ctx context.Context, tx bun.Tx, st *step) error {
		target, err := companyByUID(ctx, tx, targetCompanyUID)
		if err != nil {
			return fault.InvalidField("target", "Choisissez une de vos structures.")
		}
		if target.ID == st.app.ToCompanyID {
			return fault.InvalidField("target", "La candidature est déjà dans cette structure.")
		}
		ok, err := isCompanyMember(ctx, tx, a.UserID, target.ID)
		if err != nil {
			return err
		}
		if !ok {
			return fault.InvalidField("target", "Choisissez une de vos structures.")
		}
		origin := st.company
		now := s.now()
		app := st.app
		app.TransferredFromID, app.TransferredByID, app.TransferredAt = &origin.ID, &a.UserID, &now
		app.ToCompanyID = target.ID
		app.Answer, app.AnswerToPrescriber = "", ""
		app.RefusalReason, app.RefusalReasonShared = "", false
		app.HiringStartAt, app.HiringEndAt, app.HiredJobID = nil, nil, nil
		app.setContract(GEIQContract{})
		if _, err := tx.NewDelete().Model((*Comment)(nil)).Where("job_application_id = ?", app.ID).Exec(ctx); err != nil {
			return fmt.Errorf("application: delete comments: %w", err)
		}
		if _, err := tx.NewDelete().Model((*PriorAction)(nil)).Where("job_application_id = ?", app.ID).Exec(ctx); err != nil {
			return fmt.Errorf("application: delete prior actions: %w", err)
		}
		st.log.TargetCompanyID = &target.ID
		st.details = map[string]any{"from_company": origin.ID, "to_company": target.ID}
		st.company = target
		return s.notifyTransition(ctx, tx, TTransfer, app, st.by, origin)
	})
}

// Archive hides a refused, cancelled or obsolete candidature from the inbox (R28); other states
// are not found (the single endpoint answers 404).
func (s *Service) Archive(ctx context.Context, a actor.Actor, publicID string) (*Application, error) {
	return s.setArchived(ctx, a, publicID, true)
}

// Unarchive brings an archived candidature back.
func (s *Service) Unarchive(ctx context.Context, a actor.Actor, publicID string) (*Application, error) {
	return s.setArchived(ctx, a, publicID, false)
}

func (s *Service) setArchived(ctx context.Context, a actor.Actor, publicID string, archive bool) (*Application, error) {
	var out *Application
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		app, err := s.byPublicID(ctx, tx, publicID, true)
		if err != nil {
			return err
		}
		// Archiving is an employer's act on any of their companies (§2.1): the process rights.
		t, _ := TransitionByName(TRefuse)
		if err := s.mayAct(ctx, tx, a, app, Transition{Name: "archive", Who: t.Who &^ BySystem}, needs{}); err != nil {
			return err
		}
		now := s.now()
		action := ActionArchived
		if archive {
			if !CanArchive(app.State, app.IsArchived()) {
				return ErrNotFound
			}
			app.ArchivedAt, app.ArchivedByID = &now, &a.UserID
		} else {
			if !app.IsArchived() {
				return ErrAlreadyDone
			}
			app.ArchivedAt, app.ArchivedByID, action = nil, nil, ActionUnarchived
		}
		if _, err := tx.NewUpdate().Model(app).Column("archived_at", "archived_by_id").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("application: archive: %w", err)
		}
		out = app
		return audit.Record(ctx, tx, a, action, object(publicID), nil)
	})
	return out, err
}

// ItemResult is the outcome of a batch action on one candidature (§3.8).
type ItemResult struct {
	PublicID string
	Err      error // nil: done
}

// ErrNotReceived: a batch item that the company acted for did not receive (§3.8).
var ErrNotReceived = fault.NotFound("Cette candidature n’existe plus ou a été transférée.")

// Batch runs one action on each candidature, each in its own transaction, for the company the
// actor acts for only (others are reported as gone), and reports per item (§3.8).
func (s *Service) Batch(ctx context.Context, a actor.Actor, publicIDs []string, do func(ctx context.Context, publicID string) error) ([]ItemResult, error) {
	if companyOf(a) == 0 {
		return nil, ErrForbidden
	}
	out := make([]ItemResult, 0, len(publicIDs))
	for _, id := range publicIDs {
		app, err := s.byPublicID(ctx, s.db, id, false)
		if err == nil && app.ToCompanyID != companyOf(a) {
			err = ErrNotReceived
		} else if err == nil {
			err = do(ctx, id)
		}
		if err != nil {
			if _, ok := fault.As(err); !ok {
				return out, err
			}
		}
		out = append(out, ItemResult{PublicID: id, Err: err})
	}
	return out, nil
}
