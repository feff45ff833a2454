package application

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
)

// Choices of the CV on an external transfer (§3.7): mandatory when the original has one.
const (
	KeepResume = "keep"
	DropResume = "drop"
)

// ExternalTransferInput is what the external transfer collects (§3.7): the target company, its
// fiches or a spontaneous candidature, the message, and the CV: the original's kept, or a new
// upload, or none.
type ExternalTransferInput struct {
	TargetCompanyUID string
	JobUIDs          []string
	Spontaneous      bool
	Message          string
	ResumeChoice     string // KeepResume, DropResume; "" when the original has no CV
	Resume           []byte // an uploaded CV, ignored when the original's is kept
}

// TransferDraft is what the external transfer shows of the original candidature.
type TransferDraft struct {
	PublicID  string
	JobSeeker string
	Company   *org.Company
	// Message is the prefilled message: « Le <date>, <sender> a écrit : » and the original one.
	Message   string
	HasResume bool
}

// TransferTarget is a company the candidature may be transferred to.
type TransferTarget struct {
	UID, Name, City, Kind string
	// Jobs are its open fiches and Spontaneous whether it takes spontaneous candidatures (set
	// by TransferTargetOf only).
	Jobs        []OpenFiche
	Spontaneous bool
}

// TransferTargetOf is the company chosen in the external transfer's search, with its open fiches
// (§3.7 step 2); ErrNotRegistered when it takes no candidature.
func (s *Service) TransferTargetOf(ctx context.Context, a actor.Actor, companyUID string) (*TransferTarget, error) {
	if companyOf(a) == 0 {
		return nil, ErrForbidden
	}
	co, err := companyByUID(ctx, s.db, companyUID)
	if err != nil {
		return nil, err
	}
	if co.Kind == org.Reserved {
		return nil, ErrNotRegistered
	}
	t := &TransferTarget{UID: co.UID, Name: co.DisplayName(), City: co.Address.CityName, Kind: string(co.Kind),
		Spontaneous: co.SpontaneousApplicationsOpen()}
	if t.Jobs, err = openFiches(ctx, s.db, co.ID); err != nil {
		return nil, err
	}
	return t, nil
}

// OpenFiche is an open fiche de poste a transferred candidature may select.
type OpenFiche struct{ UID, Title string }

// openFiches are the company's open fiches, in the company's order, named by their custom name
// or else their ROME appellation.
func openFiches(ctx context.Context, idb bun.IDB, companyID int64) ([]OpenFiche, error) {
	var out []OpenFiche
	err := idb.NewSelect().TableExpr("job_description AS jd").
		ColumnExpr("jd.uid, COALESCE(NULLIF(jd.custom_name, ''), ra.label, jd.appellation_code) AS title").
		Join("LEFT JOIN rome_appellation AS ra ON ra.code = jd.appellation_code").
		Where("jd.company_id = ?", companyID).Where("jd.is_active").OrderExpr("jd.ui_rank, jd.id").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("application: open fiches of %d: %w", companyID, err)
	}
	return out, nil
}

// ExternalTransferDraft checks that the actor may transfer this candidature to another employer
// (a refused candidature of the company they act for) and prefills the message.
func (s *Service) ExternalTransferDraft(ctx context.Context, a actor.Actor, publicID string) (*TransferDraft, error) {
	app, err := s.byPublicID(ctx, s.db, publicID, false)
	if err != nil {
		return nil, err
	}
	st, err := s.begin(ctx, s.db, a, app, TExternalTransfer, needs{currentCompany: true})
	if err != nil {
		return nil, err
	}
	js, err := personByID(ctx, s.db, app.JobSeekerID)
	if err != nil {
		return nil, err
	}
	sender := "le candidat"
	if app.SenderID != nil {
		if p, err := personByID(ctx, s.db, *app.SenderID); err != nil {
			return nil, err
		} else if p != nil {
			sender = p.FullName()
		}
	}
	msg := "Le " + localtime.Date(app.CreatedAt) + ", " + sender + " a écrit :\n" + app.Message
	return &TransferDraft{PublicID: app.PublicID, JobSeeker: js.FullName(), Company: st.company, Message: msg,
		HasResume: app.ResumeKey != ""}, nil
}

// TransferTargets are the companies whose name contains q (accents and case as typed are
// compared lowercase) that take candidatures, at most limit, by name: the employer search of
// the external transfer's first step.
func (s *Service) TransferTargets(ctx context.Context, a actor.Actor, q string, limit int) ([]TransferTarget, error) {
	if companyOf(a) == 0 {
		return nil, ErrForbidden
	}
	q = strings.ToLower(strings.TrimSpace(q))
	if len([]rune(q)) < 2 {
		return nil, nil
	}
	pattern := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(q) + "%"
	var list []*org.Company
	err := s.db.NewSelect().Model(&list).
		Where(`LOWER(co.name) LIKE ? ESCAPE '\' OR LOWER(co.brand) LIKE ? ESCAPE '\'`, pattern, pattern).
		Where("co.kind <> ?", org.Reserved).Where("co.id <> ?", companyOf(a)).
		Where("EXISTS (SELECT 1 FROM company_membership AS m JOIN users AS u ON u.id = m.user_id WHERE m.organization_id = co.id AND m.is_active AND u.is_active)").
		OrderExpr("co.name, co.id").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("application: transfer targets: %w", err)
	}
	out := make([]TransferTarget, len(list))
	for i, c := range list {
		out[i] = TransferTarget{UID: c.UID, Name: c.DisplayName(), City: c.Address.CityName, Kind: string(c.Kind)}
	}
	return out, nil
}

// ExternalTransfer is T11 (§3.7, R27): a refused candidature of the company the actor acts for
// goes to another employer as a new candidature sent by the actor, with every guard of a
// submission (§3.0, the 24-hour rule included) and its mails; the original stays refused, with
// an external_transfer line naming the target. The original's CV is copied when kept (an upload
// is then ignored). One of the actor's own companies is refused: that is the internal transfer.
func (s *Service) ExternalTransfer(ctx context.Context, a actor.Actor, publicID string, in ExternalTransferInput) (*Application, error) {
	if in.Resume != nil && in.ResumeChoice != KeepResume {
		if err := CheckResume(in.Resume); err != nil {
			return nil, err
		}
	}
	var out *Application
	var stored string
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		orig, err := s.byPublicID(ctx, tx, publicID, true)
		if err != nil {
			return err
		}
		st, err := s.begin(ctx, tx, a, orig, TExternalTransfer, needs{currentCompany: true})
		if err != nil {
			return err
		}
		var resume resumeSource
		switch {
		case orig.ResumeKey != "" && in.ResumeChoice == KeepResume:
			resume = func(ctx context.Context) (string, error) { return s.copyResume(ctx, orig.ResumeKey) }
		case orig.ResumeKey != "" && in.ResumeChoice != DropResume:
			return fault.InvalidField("resume_choice", "Indiquez si le CV de la candidature doit être transmis.")
		}
		target, err := companyByUID(ctx, tx, in.TargetCompanyUID)
		if err != nil {
			return fault.InvalidField("target", "Choisissez un employeur.")
		}
		if own, err := isCompanyMember(ctx, tx, a.UserID, target.ID); err != nil {
			return err
		} else if own {
			return fault.InvalidField("target", "Vous êtes membre de cette structure : utilisez le transfert interne (« Transférer vers »).")
		}
		js, err := personByID(ctx, tx, orig.JobSeekerID)
		if err != nil {
			return err
		}
		sub := SubmitInput{CompanyUID: target.UID, JobSeekerPublicID: js.PublicID, JobUIDs: in.JobUIDs,
			Spontaneous: in.Spontaneous, Message: in.Message, Resume: in.Resume}
		if in.ResumeChoice == KeepResume {
			sub.Resume = nil
		}
		app, key, err := s.submitIn(ctx, tx, a, sub, resume)
		stored = key
		if err != nil {
			return err
		}
		st.log.TargetCompanyID = &target.ID
		st.details = map[string]any{"to_company": target.ID, "job_application": app.PublicID}
		if err := s.finish(ctx, tx, a, st, TExternalTransfer); err != nil {
			return err
		}
		out = app
		return nil
	})
	if err != nil {
		s.dropResume(ctx, stored)
		return nil, err
	}
	return out, nil
}
