package application

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/approval"
	"emplois/internal/jobseeker"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
)

// Side is where a viewer stands to one candidature, which decides what its page shows
// (applications.md §3.7).
type Side string

const (
	// SideEmployer: an active member of the receiving company, acting as an employer.
	SideEmployer Side = "employer"
	// SideStaff: the support team, who may fire the staff transitions of §2.1.
	SideStaff Side = "staff"
	// SideSender: the sender, or a member of the sender's organization or company acting for it.
	SideSender Side = "sender"
	// SideJobSeeker: the job seeker themself.
	SideJobSeeker Side = "job_seeker"
)

// Page is which page of a candidature is asked for: the employer's (DetailsPath) or the
// sender's and job seeker's (SenderDetailsPath).
type Page int

const (
	EmployerPage Page = iota
	SenderPage
)

// HistoryLine is one line of the timeline (§1.3), newest first.
type HistoryLine struct {
	At    time.Time
	Label string
	By    string // "" when hidden (obsolete) or done by the service
}

// Details is one candidature as a viewer may see it: every value is already filtered for the
// viewer's side (R23, R35), so that a page shows what it gets.
type Details struct {
	App     *Application
	Side    Side
	Company *org.Company // the receiving company

	JobSeekerName     string // masked for orienteurs who did not create the account (R35)
	JobSeekerPublicID string
	JobSeekerEmail    string // "" when masked
	JobSeekerPhone    string
	Masked            bool

	SenderName    string // the person who sent it ("" when the account is gone)
	SenderKind    string // as displayed: Prescripteur habilité, Orienteur, Employeur, Demandeur d'emploi
	SenderOrgName string // the sender's organization or company
	SenderLeft    bool   // the sender is no longer an active member of that organization

	Jobs      []string // selected fiches de poste; empty: spontaneous
	HiredJob  string
	HasResume bool

	// RefusalReason is "" when the viewer may not see it (a job seeker when it is not shared).
	RefusalReason RefusalReason
	ReasonShared  bool
	// AnswerToPrescriber is the private message, for the employer and the sender only.
	AnswerToPrescriber string
	// EmployerContact is how the sender reaches the employer after a refusal for « Autre »
	// (§3.7): the refusing member's e-mail, else the company's, and its phone.
	EmployerContact string

	History []HistoryLine

	// Actions are the transitions of the table that the viewer may fire now, in its order;
	// Unavailable their other ones, which the state does not allow.
	Actions      []Transition
	Unavailable  []Transition
	CanArchive   bool
	CanUnarchive bool
	// CanAccept: accept is among Actions and the viewer acts for the receiving company (§3.5).
	CanAccept bool

	// PASS is the PASS IAE of the hire (nil: none, or not yet: see App.ApprovalDeliveryMode).
	PASS *approval.Approval

	Comments     []CommentView // the employer's page only
	PriorActions []PriorAction // GEIQ only
	IsGEIQ       bool
}

// Can reports whether transition n is among the viewer's actions now.
func (d *Details) Can(n TransitionName) bool {
	for _, t := range d.Actions {
		if t.Name == n {
			return true
		}
	}
	return false
}

// implicitTransitions are fired by other acts, never by a button of their own: the prior
// actions move a GEIQ candidature in and out of prior_to_hire (T4, T5).
var implicitTransitions = map[TransitionName]bool{TMoveToPriorToHire: true, TCancelPriorToHire: true}

// ActionsFor lists the transitions of the table that who may fire from state, in the table's
// order, leaving out those other acts fire.
func ActionsFor(who Who, state State) []Transition { return actionsFor(who, state, true) }

// UnavailableFor lists the other transitions of who: those the state does not allow now.
func UnavailableFor(who Who, state State) []Transition { return actionsFor(who, state, false) }

func actionsFor(who Who, state State, allowed bool) []Transition {
	var out []Transition
	for _, t := range Transitions {
		if t.Who&who != 0 && t.Allows(state) == allowed && !implicitTransitions[t.Name] {
			out = append(out, t)
		}
	}
	return out
}

// FromLabels names the states a transition leaves, for the page that says why it is not
// possible now.
func (t Transition) FromLabels() string {
	labels := make([]string, len(t.From))
	for i, s := range t.From {
		labels[i] = "« " + s.Label() + " »"
	}
	return strings.Join(labels, ", ")
}

// Details returns the candidature as the actor may see it on page p (§3.7): the employer's page
// for the members of the receiving company (while visible to them, R31) and staff; the other
// page for the job seeker, the sender and the members of the sender's organization or company
// acting for it. Anybody else gets ErrNotFound. The number of queries does not depend on the
// candidature (its history, its fiches, its comments).
func (s *Service) Details(ctx context.Context, a actor.Actor, publicID string, p Page) (*Details, error) {
	if a.UserID == 0 {
		return nil, ErrNotFound
	}
	app, err := s.byPublicID(ctx, s.db, publicID, false)
	if err != nil {
		return nil, err
	}
	side, err := s.sideOf(ctx, a, app, p)
	if err != nil {
		return nil, err
	}
	d := &Details{App: app, Side: side, HasResume: app.ResumeKey != ""}
	if d.Company, err = companyByID(ctx, s.db, app.ToCompanyID); err != nil {
		return nil, err
	}
	d.IsGEIQ = d.Company.Kind == org.GEIQ
	if err := s.loadPeople(ctx, a, d); err != nil {
		return nil, err
	}
	if err := s.loadJobs(ctx, d); err != nil {
		return nil, err
	}
	if app.ApprovalID != nil && app.State == Accepted {
		if d.PASS, err = approval.ByID(ctx, s.db, *app.ApprovalID); err != nil {
			return nil, err
		}
	}
	var refusedBy string
	if d.History, refusedBy, err = history(ctx, s.db, app); err != nil {
		return nil, err
	}
	if app.State == Refused && (side != SideJobSeeker || app.RefusalReasonShared) {
		d.RefusalReason, d.ReasonShared = app.RefusalReason, app.RefusalReasonShared
	}
	switch side {
	case SideEmployer:
		d.AnswerToPrescriber = app.AnswerToPrescriber
		d.Actions, d.Unavailable = ActionsFor(ByEmployer, app.State), UnavailableFor(ByEmployer, app.State)
		d.CanArchive, d.CanUnarchive = CanArchive(app.State, app.IsArchived()), app.IsArchived()
		d.CanAccept = d.Can(TAccept) && companyOf(a) == app.ToCompanyID
		if d.Comments, err = s.comments(ctx, a, app); err != nil {
			return nil, err
		}
		if d.IsGEIQ {
			if d.PriorActions, err = priorActions(ctx, s.db, app.ID); err != nil {
				return nil, err
			}
		}
	case SideStaff:
		d.Actions, d.Unavailable = ActionsFor(ByStaff, app.State), UnavailableFor(ByStaff, app.State)
		d.CanAccept = d.Can(TAccept)
	case SideSender:
		d.AnswerToPrescriber = app.AnswerToPrescriber
		if d.RefusalReason == ReasonOther {
			d.EmployerContact = strings.TrimSpace(strings.Join([]string{cmp.Or(refusedBy, d.Company.Email), d.Company.Phone}, " "))
		}
	}
	return d, nil
}

// sideOf says where the actor stands for page p, or ErrNotFound (§3.7, R31).
func (s *Service) sideOf(ctx context.Context, a actor.Actor, app *Application, p Page) (Side, error) {
	if p == EmployerPage {
		if a.IsStaff() {
			return SideStaff, nil
		}
		if a.Kind != actor.Professional || companyOf(a) == 0 || !VisibleToEmployer(app.State, app.CreatedAt, s.now()) {
			return "", ErrNotFound
		}
		ok, err := isCompanyMember(ctx, s.db, a.UserID, app.ToCompanyID)
		if err != nil {
			return "", err
		}
		if !ok {
			return "", ErrNotFound
		}
		return SideEmployer, nil
	}
	switch {
	case a.Kind == actor.JobSeeker && a.UserID == app.JobSeekerID:
		return SideJobSeeker, nil
	case a.Kind != actor.Professional:
		return "", ErrNotFound
	case app.SenderKind == SenderJobSeeker:
		return "", ErrNotFound
	case app.SenderID != nil && *app.SenderID == a.UserID,
		app.SenderPrescriberOrganizationID != nil && prescriberOf(a) == *app.SenderPrescriberOrganizationID,
		app.SenderCompanyID != nil && companyOf(a) == *app.SenderCompanyID:
		// The session's organization is one the user is an active member of (actors.md §8).
		return SideSender, nil
	}
	return "", ErrNotFound
}

// loadPeople fills the job seeker and the sender, masking the job seeker for an orienteur who
// did not create the account (R35).
func (s *Service) loadPeople(ctx context.Context, a actor.Actor, d *Details) error {
	app := d.App
	js, err := personByID(ctx, s.db, app.JobSeekerID)
	if err != nil {
		return err
	}
	if js == nil {
		return ErrNotFound
	}
	d.JobSeekerPublicID = js.PublicID
	authorized := false
	var senderOrgTable string
	var senderOrgID int64
	switch {
	case app.SenderCompanyID != nil:
		sc, err := companyByID(ctx, s.db, *app.SenderCompanyID)
		if err != nil {
			return err
		}
		d.SenderOrgName, senderOrgTable, senderOrgID = sc.DisplayName(), "company_membership", sc.ID
	case app.SenderPrescriberOrganizationID != nil:
		po, err := prescriberByID(ctx, s.db, *app.SenderPrescriberOrganizationID)
		if err != nil {
			return err
		}
		d.SenderOrgName, senderOrgTable, senderOrgID = po.Name, "prescriber_membership", po.ID
		authorized = po.IsAuthorized()
	}
	d.SenderKind = DisplayedSenderKind(app.SenderKind, authorized)
	if app.SenderID != nil && app.SenderKind != SenderJobSeeker {
		sender, err := personByID(ctx, s.db, *app.SenderID)
		if err != nil {
			return err
		}
		d.SenderName = sender.FullName()
		if senderOrgID != 0 && sender != nil {
			ok, err := isMember(ctx, s.db, senderOrgTable, sender.ID, senderOrgID)
			if err != nil {
				return err
			}
			d.SenderLeft = !ok
		}
	}
	d.Masked = d.Side == SideSender && app.SenderKind == SenderPrescriber && !authorized &&
		(js.CreatedByID == nil || *js.CreatedByID != a.UserID)
	if d.Masked {
		d.JobSeekerName = jobseeker.MaskedName(js.FirstName, js.LastName)
		return nil
	}
	d.JobSeekerName, d.JobSeekerEmail, d.JobSeekerPhone = js.FullName(), js.Email, js.Phone
	return nil
}

// loadJobs fills the selected fiches and the hired one.
func (s *Service) loadJobs(ctx context.Context, d *Details) error {
	names, err := selectedJobNames(ctx, s.db, []int64{d.App.ID})
	if err != nil {
		return err
	}
	d.Jobs = names[d.App.ID]
	if d.App.HiredJobID == nil {
		return nil
	}
	var hired struct {
		Custom string `bun:"custom_name"`
		Label  string `bun:"label"`
	}
	err = s.db.NewSelect().TableExpr("job_description AS jd").
		ColumnExpr("jd.custom_name, COALESCE(ra.label, jd.appellation_code) AS label").
		Join("LEFT JOIN rome_appellation AS ra ON ra.code = jd.appellation_code").
		Where("jd.id = ?", *d.App.HiredJobID).Scan(ctx, &hired)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("application: hired job: %w", err)
	}
	d.HiredJob = hired.Label
	if hired.Custom != "" {
		d.HiredJob = hired.Custom
	}
	return nil
}

// history reads the timeline in one query (§1.3): « Passé en « <état> » par <nom> », the actor
// hidden for « Embauché ailleurs », external transfers in their own words, and the creation last.
// It also returns the e-mail of who refused the candidature last ("" if none).
func history(ctx context.Context, idb bun.IDB, app *Application) ([]HistoryLine, string, error) {
	var rows []struct {
		Transition TransitionName `bun:"transition"`
		ToState    State          `bun:"to_state"`
		Details    string         `bun:"details"`
		CreatedAt  time.Time      `bun:"created_at"`
		FirstName  *string        `bun:"first_name"`
		LastName   *string        `bun:"last_name"`
		Email      *string        `bun:"email"`
	}
	err := idb.NewSelect().TableExpr("job_application_transition_log AS jal").
		ColumnExpr("jal.transition, jal.to_state, jal.details, jal.created_at, u.first_name, u.last_name, u.email").
		Join("LEFT JOIN users AS u ON u.id = jal.user_id").
		Where("jal.job_application_id = ?", app.ID).OrderExpr("jal.created_at DESC, jal.id DESC").Scan(ctx, &rows)
	if err != nil {
		return nil, "", fmt.Errorf("application: history of %s: %w", app.PublicID, err)
	}
	out := make([]HistoryLine, 0, len(rows)+1)
	refusedBy, seenRefusal := "", false
	for _, r := range rows {
		if r.Transition == TRefuse && !seenRefusal {
			seenRefusal = true
			if r.Email != nil {
				refusedBy = *r.Email
			}
		}
		l := HistoryLine{At: r.CreatedAt, Label: "Passé en « " + r.ToState.Label() + " »"}
		switch r.Transition {
		case TExternalTransfer:
			l.Label = "Candidature transférée à un autre employeur"
		case LogContractDates:
			l.Label = ContractDatesChange(LogEntry{Transition: r.Transition, Details: r.Details})
		}
		if r.FirstName != nil && r.Transition != TRenderObsolete {
			l.By = joinName(*r.FirstName, *r.LastName)
		}
		out = append(out, l)
	}
	return append(out, HistoryLine{At: app.CreatedAt, Label: New.Label()}), refusedBy, nil
}
