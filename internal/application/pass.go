package application

import (
	"context"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/approval"
	"emplois/internal/eligibility"
	"emplois/internal/jobseeker"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/fault"
)

// The eligibility and the PASS IAE of an acceptance (approvals.md §2.8, applications.md §3.1
// « accept » steps 1–2 and 6).

// ErrHiringAfterPASS: the contract must start while the PASS it reuses is valid (§3.5-3).
var ErrHiringAfterPASS = fault.InvalidField("hiring_start_at", "Le contrat doit débuter sur la période couverte par le PASS IAE.")

// decideEligibility links the diagnosis that counts for the company and, for an SIAE, decides
// the PASS IAE in the acceptance's transaction: the waiting period refuses (§2.9); a valid PASS
// is reused; a person whose identity France Travail can check gets a new PASS, on a diagnosis;
// the others wait for the support team (manual delivery). The mails go once the candidature is
// written.
func (s *Service) decideEligibility(ctx context.Context, tx bun.Tx, a actor.Actor, st *step) error {
	app, co := st.app, st.company
	app.ApprovalDeliveryMode = DeliveryNone
	switch {
	case co.Kind == org.GEIQ:
		d, err := s.Eligibility.LastValidGEIQ(ctx, tx, app.JobSeekerID, co.ID)
		if err != nil {
			return err
		}
		app.GEIQEligibilityDiagnosisID = nil
		if d != nil {
			app.GEIQEligibilityDiagnosisID = &d.ID
			return eligibility.ScheduleCertification(ctx, tx, true, d.ID)
		}
		return nil
	case !co.Kind.IsSIAE():
		return nil
	}
	diag, err := s.diagnosisToAttach(ctx, tx, a, app, co.ID)
	if err != nil {
		return err
	}
	app.EligibilityDiagnosisID = nil
	if diag != nil {
		app.EligibilityDiagnosisID = &diag.ID
		// Asked again at the hire (approvals.md §2.5), for the criteria still uncertified.
		if err := eligibility.ScheduleCertification(ctx, tx, false, diag.ID); err != nil {
			return err
		}
	}
	today := approval.Today(s.Now())
	latest, err := approval.LatestOf(ctx, tx, app.JobSeekerID, today)
	if err != nil {
		return err
	}
	if err := s.checkWaitingPeriod(ctx, tx, latest, app.SenderPrescriberOrganizationID, app.JobSeekerID, today); err != nil {
		return err
	}
	checkable, err := jobseeker.IdentityCheckable(ctx, tx, app.JobSeekerID)
	if err != nil {
		return err
	}
	start := *app.HiringStartAt
	var pass *approval.Approval
	switch {
	case latest != nil && approval.IsValid(latest.EndAt, today):
		pass, err = s.Approvals.ReuseForHire(ctx, tx, a, latest.ID, start)
		if errors.Is(err, approval.ErrHiringAfterEnd) {
			return ErrHiringAfterPASS
		}
	case checkable:
		if diag == nil {
			return approval.ErrNoDiagnosis
		}
		pass, err = s.Approvals.Issue(ctx, tx, s.issueInput(ctx, tx, a, app, co, diag.ID))
	default:
		app.ApprovalDeliveryMode = DeliveryManual
		st.after = append(st.after, func(ctx context.Context, tx bun.Tx) error {
			return s.Approvals.MailManualRequest(ctx, tx, app.ID)
		})
		return nil
	}
	if err != nil {
		return err
	}
	if latest != nil && latest.ID == pass.ID && latest.OngoingSuspension(today) != nil { // a new PASS has none
		if _, err := s.Approvals.LiftForHire(ctx, tx, a, pass.ID, start); err != nil {
			return err
		}
	}
	now := s.now()
	app.ApprovalID, app.ApprovalDeliveryMode, app.ApprovalNumberSentAt = &pass.ID, DeliveryAutomatic, &now
	st.after = append(st.after, func(ctx context.Context, tx bun.Tx) error {
		return s.Approvals.MailDelivery(ctx, tx, app.ID)
	})
	return nil
}

// diagnosisToAttach is the IAE diagnosis an SIAE's acceptance links (§2.8-2): the one that
// counts for the company, except that staff keep a diagnosis already attached to the
// candidature when the company may see it.
func (s *Service) diagnosisToAttach(ctx context.Context, tx bun.Tx, a actor.Actor, app *Application, companyID int64) (*eligibility.Diagnosis, error) {
	if a.IsStaff() && app.EligibilityDiagnosisID != nil {
		kept, err := s.Eligibility.VisibleFor(ctx, tx, *app.EligibilityDiagnosisID, app.JobSeekerID, companyID)
		if err != nil || kept != nil {
			return kept, err
		}
	}
	return s.Eligibility.LastConsideredValid(ctx, tx, app.JobSeekerID, companyID)
}

// hireCheck is what the waiting-period rule asks of a hire or an application in an SIAE besides
// the latest PASS (§2.9): read only when that PASS has ended.
func (s *Service) hireCheck(ctx context.Context, idb bun.IDB, latest *approval.Approval, senderOrg *int64, jobSeekerID int64, today time.Time) (approval.HireCheck, error) {
	c := approval.HireCheck{CompanyIsSIAE: true}
	if latest == nil || approval.IsValid(latest.EndAt, today) {
		return c, nil
	}
	var err error
	if senderOrg != nil {
		po, err := prescriberByID(ctx, idb, *senderOrg)
		if err != nil {
			return c, err
		}
		c.SentByAuthorizedPrescriber = po.IsAuthorized()
	}
	if !c.SentByAuthorizedPrescriber {
		c.ValidPrescriberDiagnosis, err = s.Eligibility.HasValidDiagnosis(ctx, idb, jobSeekerID, 0)
	}
	return c, err
}

// checkWaitingPeriod refuses a hire in an SIAE during the waiting period of the person's latest
// PASS, unless the candidature comes from a habilitated prescriber or a prescriber's diagnosis
// is valid (§2.9).
func (s *Service) checkWaitingPeriod(ctx context.Context, idb bun.IDB, latest *approval.Approval, senderOrg *int64, jobSeekerID int64, today time.Time) error {
	c, err := s.hireCheck(ctx, idb, latest, senderOrg, jobSeekerID, today)
	if err != nil {
		return err
	}
	return approval.CheckHire(latest, c, today)
}

// checkPASSToApply is the same rule when applying, which a valid PASS suspended for good also
// refuses (applications.md §3.0-6); the job seeker applying alone is told to see a prescriber.
func (s *Service) checkPASSToApply(ctx context.Context, idb bun.IDB, sub *submission) error {
	if !sub.company.Kind.IsSIAE() {
		return nil
	}
	today := approval.Today(s.Now())
	latest, err := approval.LatestOf(ctx, idb, sub.jobSeeker.ID, today)
	if err != nil || latest == nil {
		return err
	}
	c, err := s.hireCheck(ctx, idb, latest, sub.senderPO, sub.jobSeeker.ID, today)
	if err != nil {
		return err
	}
	err = approval.CheckApply(latest, c, today)
	if errors.Is(err, approval.ErrWaitingPeriod) && sub.tunnel == TunnelJobSeeker {
		return approval.ErrWaitingPeriodSelf
	}
	return err
}

// hiringEligibility completes the choices of a hire with what its eligibility asks (§2.2, §2.9):
// refused in the waiting period; the valid PASS to reuse; whether the SIAE must make its own
// diagnosis first.
func (s *Service) hiringEligibility(ctx context.Context, h *HiringChoices, jobSeekerID int64, senderOrg *int64) error {
	if !h.Company.Kind.IsSIAE() {
		return nil
	}
	today := approval.Today(s.Now())
	latest, err := approval.LatestOf(ctx, s.db, jobSeekerID, today)
	if err != nil {
		return err
	}
	if err := s.checkWaitingPeriod(ctx, s.db, latest, senderOrg, jobSeekerID, today); err != nil {
		return err
	}
	if latest != nil && approval.IsValid(latest.EndAt, today) {
		h.PASS = latest
		return nil
	}
	d, err := s.Eligibility.LastConsideredValid(ctx, s.db, jobSeekerID, h.Company.ID)
	h.NeedsDiagnosis = d == nil
	return err
}

// issueInput is a new PASS from the hiring day, with the origin of the candidature.
func (s *Service) issueInput(ctx context.Context, idb bun.IDB, a actor.Actor, app *Application, co *org.Company, diagnosisID int64) approval.IssueInput {
	in := approval.IssueInput{Actor: a, UserID: app.JobSeekerID, StartAt: *app.HiringStartAt, EligibilityDiagnosisID: diagnosisID,
		OriginSIAESIRET: co.SIRET, OriginSIAEKind: string(co.Kind), OriginSenderKind: string(app.SenderKind)}
	if app.SenderPrescriberOrganizationID != nil {
		// A missing organization leaves the origin kind empty, as for a job seeker's candidature.
		if po, err := prescriberByID(ctx, idb, *app.SenderPrescriberOrganizationID); err == nil {
			in.OriginPrescriberOrganizationKind = string(po.Kind)
		}
	}
	return in
}

// cancelPASS deletes the PASS IAE of a cancelled hire when that hire is its only one (§2.12).
func (s *Service) cancelPASS(ctx context.Context, tx bun.Tx, a actor.Actor, app *Application) error {
	if app.ApprovalID == nil {
		return nil
	}
	alone, err := approval.DeletedWithCandidature(ctx, tx, *app.ApprovalID)
	if err != nil || !alone {
		return err
	}
	if err := s.Approvals.Cancel(ctx, tx, a, *app.ApprovalID); err != nil {
		return err
	}
	app.ApprovalID = nil
	return nil
}
