package approval

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
)

// What a hire, or an application to an SIAE, asks of the person's PASS IAE (§2.8, §2.9).
var (
	// ErrWaitingPeriod: the latest PASS ended less than two years ago and nothing lifts the block.
	ErrWaitingPeriod = fault.Forbidden("Le PASS IAE de ce candidat a pris fin il y a moins de deux ans (délai de carence) : " +
		"un nouveau PASS IAE ne peut pas être délivré, sauf sur prescription d'un prescripteur habilité ou après un diagnostic d'éligibilité réalisé par un prescripteur habilité.")
	// ErrWaitingPeriodSelf is the same block told to the job seeker applying alone.
	ErrWaitingPeriodSelf = fault.Forbidden("Votre PASS IAE a pris fin il y a moins de deux ans (délai de carence) : " +
		"pour travailler à nouveau dans une structure d'insertion, rapprochez-vous d'un prescripteur habilité (France Travail, Mission locale, Cap emploi…) qui pourra valider votre éligibilité.")
	// ErrSuspendedForGood: the valid PASS is suspended for a reason a new hire cannot lift.
	ErrSuspendedForGood = fault.Forbidden("Le PASS IAE de ce candidat est suspendu pour un motif qui ne permet pas une nouvelle embauche avant la fin de la suspension.")
)

// LatestOf is the user's latest PASS on today (§2.7, Latest) with its suspensions, or nil.
func LatestOf(ctx context.Context, idb bun.IDB, userID int64, today time.Time) (*Approval, error) {
	latest, err := LatestOfUsers(ctx, idb, []int64{userID}, today)
	return latest[userID], err
}

// LatestOfUsers is the latest PASS on today of each of the users that has one, with its
// suspensions, in two queries.
func LatestOfUsers(ctx context.Context, idb bun.IDB, userIDs []int64, today time.Time) (map[int64]*Approval, error) {
	out := make(map[int64]*Approval, len(userIDs))
	if len(userIDs) == 0 {
		return out, nil
	}
	var list []*Approval
	err := idb.NewSelect().Model(&list).Where("approval.user_id IN (?)", bun.List(userIDs)).
		Relation("Suspensions", func(q *bun.SelectQuery) *bun.SelectQuery { return q.Order("start_at") }).
		OrderExpr("approval.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("approval: PASS of %d users: %w", len(userIDs), err)
	}
	byUser := map[int64][]*Approval{}
	for _, a := range list {
		byUser[a.UserID] = append(byUser[a.UserID], a)
	}
	for id, as := range byUser {
		if l := Latest(as, today); l != nil {
			out[id] = l
		}
	}
	return out, nil
}

// HireCheck is what the waiting-period rule reads of a hire or an application, besides the
// person's latest PASS.
type HireCheck struct {
	CompanyIsSIAE              bool
	SentByAuthorizedPrescriber bool
	ValidPrescriberDiagnosis   bool
}

// CheckHire says whether a new hire in an SIAE may go on with the person's latest PASS (nil:
// none): refused in the waiting period unless a habilitated prescriber lifts it (§2.9).
func CheckHire(latest *Approval, c HireCheck, today time.Time) error {
	if latest == nil || !c.CompanyIsSIAE {
		return nil
	}
	if BlockedByWaitingPeriod(Hiring{LatestInWaitingPeriod: InWaitingPeriod(latest.EndAt, today), CompanyIsSIAE: true,
		SentByAuthorizedPrescriber: c.SentByAuthorizedPrescriber, ValidPrescriberDiagnosis: c.ValidPrescriberDiagnosis}) {
		return ErrWaitingPeriod
	}
	return nil
}

// CheckApply is CheckHire for an application, which is also refused while the valid PASS is
// suspended for a reason a hire cannot lift (§2.9, applications.md §3.1-6).
func CheckApply(latest *Approval, c HireCheck, today time.Time) error {
	if err := CheckHire(latest, c, today); err != nil || latest == nil || !c.CompanyIsSIAE {
		return err
	}
	if sus := latest.OngoingSuspension(today); sus != nil && !sus.Reason.Liftable() {
		return ErrSuspendedForGood
	}
	return nil
}

// DetailsPath is the page of a PASS IAE.
func DetailsPath(publicID string) string { return "/approvals/details/" + publicID }

// ByID is a PASS without its history (what a candidature shows of it).
func ByID(ctx context.Context, idb bun.IDB, id int64) (*Approval, error) {
	a := new(Approval)
	if err := idb.NewSelect().Model(a).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("approval: %d: %w", id, err)
	}
	return a, nil
}

// FollowHiringStart keeps a PASS in step with the new start of its hire's contract (applications.md
// §3.7): a PASS that has started bounds the new start by its end; one that has not starts on the
// new day, for the default duration.
func (s *Service) FollowHiringStart(ctx context.Context, tx bun.IDB, a actor.Actor, approvalID int64, hiringStart time.Time) error {
	ap, err := lock(ctx, tx, "id = ?", approvalID)
	if err != nil {
		return err
	}
	hiringStart = day(hiringStart)
	if !ap.StartAt.After(s.today()) {
		if hiringStart.After(ap.EndAt) {
			return ErrHiringAfterEnd
		}
		return nil
	}
	if ap.StartAt.Equal(hiringStart) {
		return nil
	}
	if err := s.setDates(ctx, tx, ap, hiringStart, DefaultEnd(hiringStart)); err != nil {
		return err
	}
	return audit.Record(ctx, tx, a, ActionRestarted, object(ap), nil)
}
