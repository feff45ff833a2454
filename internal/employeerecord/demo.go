package employeerecord

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
)

// The demo's fiches salarié: one per demo hire with a PASS IAE at an SIAE under convention, in
// the states an employer meets — integrated by the ASP, rejected with advice, completed and
// waiting for the next file (the demo exchange sends it within a minute), disabled, new. The
// fiches go through the service and the exchange's own steps, so lines and logs are real.

// demoStatuses are the states given to the demo hires, in the order of their candidatures.
var demoStatuses = []Status{StatusProcessed, StatusRejected, StatusReady, StatusDisabled, StatusNew}

// DemoRejections is what the demo ASP rejects: a fiche of this person sent again comes back
// with a residence commune it does not know (asp.md §5.8, 3417).
var DemoRejections = map[string]string{"COLIN": "3417"}

// SeedDemo makes the demo fiches of the accepted hires of the given job seekers (e-mails),
// unless fiches exist already; it completes the profiles the way an employer's wizard would.
// It returns how many fiches it made.
func (s *Service) SeedDemo(ctx context.Context, employees []string) (int, error) {
	if n, err := s.db.NewSelect().Model((*Record)(nil)).Count(ctx); err != nil || n > 0 {
		return 0, err
	}
	var hires []struct {
		ApplicationID string `bun:"public_id"`
		JobSeekerID   int64  `bun:"job_seeker_id"`
		CompanyID     int64  `bun:"to_company_id"`
		CompanyKind   string `bun:"kind"`
		AdminID       int64  `bun:"admin_id"`
	}
	err := s.db.NewSelect().TableExpr("job_application AS ja").
		Join("JOIN users AS u ON u.id = ja.job_seeker_id").Join("JOIN company AS co ON co.id = ja.to_company_id").
		ColumnExpr("ja.public_id, ja.job_seeker_id, ja.to_company_id, co.kind").
		ColumnExpr("(SELECT MIN(m.user_id) FROM company_membership AS m WHERE m.organization_id = co.id AND m.is_active AND m.is_admin) AS admin_id").
		Where("u.email IN (?) AND ja.state = 'accepted' AND ja.approval_id IS NOT NULL AND co.convention_id IS NOT NULL", bun.List(employees)).
		OrderExpr("ja.id").Scan(ctx, &hires)
	if err != nil {
		return 0, fmt.Errorf("employeerecord: demo hires: %w", err)
	}
	made := 0
	for i, h := range hires {
		if i >= len(demoStatuses) || h.AdminID == 0 {
			break
		}
		a := actor.Actor{UserID: h.AdminID, Kind: actor.Professional, ClientIP: "127.0.0.1",
			Organization: &actor.Organization{Type: "company", Kind: h.CompanyKind, ID: h.CompanyID, IsAdmin: true}}
		if err := s.demoFiche(ctx, a, h.ApplicationID, h.JobSeekerID, demoStatuses[i]); err != nil {
			return made, fmt.Errorf("employeerecord: demo fiche %s: %w", demoStatuses[i], err)
		}
		made++
	}
	return made, nil
}

// demoFiche completes the employee's profile, makes the fiche and brings it to status.
func (s *Service) demoFiche(ctx context.Context, a actor.Actor, applicationID string, jobSeekerID int64, status Status) error {
	_, err := s.db.NewUpdate().Table("job_seeker_profile").
		Set("education_level = '50', hexa_lane_number = '14', hexa_lane_type = 'RUE', hexa_lane_name = 'NATIONALE'").
		Set("hexa_post_code = '59000', hexa_commune_code = '59350'").Where("user_id = ?", jobSeekerID).Exec(ctx)
	if err != nil {
		return err
	}
	// The demo people have no NIR: a temporary number from the ASP.
	r, err := s.Create(ctx, a, applicationID, fmt.Sprintf("2%09dDEMO", jobSeekerID))
	if err != nil {
		return err
	}
	switch status {
	case StatusNew:
		return nil
	case StatusDisabled:
		_, err = s.Disable(ctx, a, r.PublicID)
		return err
	}
	if r, err = s.Ready(ctx, a, r.PublicID); err != nil || status == StatusReady {
		return err
	}
	code := CodeIntegrated
	if status == StatusRejected {
		code = "3308"
	}
	return s.demoAnswer(ctx, r, code)
}

// demoAnswer sends the READY fiche in a file of its own, as the exchange does, and applies the
// ASP's answer.
func (s *Service) demoAnswer(ctx context.Context, r *Record, code string) error {
	ins, errs, err := lineInputs(ctx, s.db, s.ref, []int64{r.ID})
	if err != nil {
		return err
	}
	if errs[0] != nil {
		return errs[0]
	}
	line, err := CreationLine(ins[0], 1)
	if err != nil {
		return err
	}
	raw, err := compact(line)
	if err != nil {
		return err
	}
	now := s.now()
	file := BatchFileName(now.Add(-24 * time.Hour).Add(time.Duration(r.ID) * time.Second))
	answered := strings.Replace(string(raw), `"codeTraitement":null,"libelleTraitement":null`,
		fmt.Sprintf(`"codeTraitement":%q,"libelleTraitement":%q`, code, demoLabels[code]), 1)
	var counts DownloadReport
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := markSent(ctx, tx, MovementCreation, sent{id: r.ID, line: raw}, file, 1, now); err != nil {
			return err
		}
		return applyRecordFeedback(ctx, tx, file, feedbackLine{NumLigne: 1, TypeMouvement: MovementCreation,
			CodeTraitement: code, LibelleTraitement: demoLabels[code]}, answered, now, &counts)
	})
}
