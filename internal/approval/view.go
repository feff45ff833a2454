package approval

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
)

// View returns a PASS with its suspensions, prolongations and requests to whoever may see it
// (§2.14): the job seeker their own; a habilitated prescriber when their organization follows
// this very job seeker (§7, not « any job seeker »); an SIAE or GEIQ employer when a
// candidature of the person was sent to or by their company; staff. Anyone else gets not found.
func (s *Service) View(ctx context.Context, a actor.Actor, publicID string) (*Approval, error) {
	ap, err := load(ctx, s.db, "public_id = ?", publicID)
	if err != nil {
		return nil, err
	}
	ok, err := maySee(ctx, s.db, a, ap.UserID)
	if err != nil {
		return nil, fmt.Errorf("approval: view %s: %w", publicID, err)
	}
	if !ok {
		return nil, ErrNotFound
	}
	return ap, nil
}

func maySee(ctx context.Context, idb bun.IDB, a actor.Actor, jobSeekerID int64) (bool, error) {
	switch {
	case a.IsStaff():
		return true, nil
	case a.Kind == actor.JobSeeker:
		return a.UserID == jobSeekerID, nil
	case a.Kind != actor.Professional || a.Organization == nil:
		return false, nil
	}
	switch a.Organization.Type {
	case string(org.TypePrescriber):
		return idb.NewSelect().TableExpr("job_seeker_assignment AS j").
			Join("JOIN prescriber_organization AS o ON o.id = j.prescriber_organization_id AND o.authorization_status = 'VALIDATED'").
			Join("JOIN prescriber_membership AS m ON m.organization_id = o.id AND m.user_id = ? AND m.is_active", a.UserID).
			Where("j.job_seeker_id = ? AND j.prescriber_organization_id = ?", jobSeekerID, a.Organization.ID).Exists(ctx)
	case string(org.TypeCompany):
		if kind := org.CompanyKind(a.Organization.Kind); !kind.IsSIAE() && kind != org.GEIQ {
			return false, nil
		}
		return idb.NewSelect().Table("job_application").
			Where("job_seeker_id = ? AND (to_company_id = ? OR sender_company_id = ?)", jobSeekerID, a.Organization.ID, a.Organization.ID).Exists(ctx)
	}
	return false, nil
}
