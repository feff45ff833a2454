package webtest

import (
	"cmp"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/approval"
	"emplois/internal/org"
	"emplois/internal/platform/db"
)

// PASSSeed is a PASS IAE to seed: from Start, its holder born on Birthdate (zero: 17 May 1990),
// as if the SIAE of SIRET and Kind (empty: 12345678900001, ACI) had hired them.
type PASSSeed struct {
	Start, Birthdate time.Time
	SIRET, Kind      string
}

// SeedPASS gives the job seeker a profile (France Travail id 12345678901), a prescriber's
// diagnosis and a PASS IAE through the domain service (numbers with the prefix 99999).
func SeedPASS(t testing.TB, d *db.DB, jobSeekerID int64, p PASSSeed) *approval.Approval {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	if p.Birthdate.IsZero() {
		p.Birthdate = time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC)
	}
	p.SIRET, p.Kind = cmp.Or(p.SIRET, "12345678900001"), cmp.Or(p.Kind, "ACI")
	if _, err := d.NewRaw(`INSERT INTO job_seeker_profile (user_id, asp_uid, birthdate, pole_emploi_id, updated_at) VALUES (?, ?, ?, '12345678901', ?)`,
		jobSeekerID, fmt.Sprintf("%030d", jobSeekerID), p.Birthdate, now).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	var diagnosis int64
	if err := d.NewRaw(`INSERT INTO eligibility_diagnosis (job_seeker_id, author_kind, expires_at, created_at, updated_at)
		VALUES (?, 'prescriber', ?, ?, ?) RETURNING id`, jobSeekerID, now.AddDate(0, 6, 0), now, now).Scan(ctx, &diagnosis); err != nil {
		t.Fatal(err)
	}
	var pass *approval.Approval
	if err := d.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		pass, err = approval.NewService(d, "99999").Issue(ctx, tx, approval.IssueInput{UserID: jobSeekerID, StartAt: p.Start,
			EligibilityDiagnosisID: diagnosis, OriginSIAESIRET: p.SIRET, OriginSIAEKind: p.Kind, OriginSenderKind: "job_seeker"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return pass
}

// Candidature stores a candidature of js to co in state (accepted: hired from a month ago with
// pass, nil for none), and returns its public id.
func (s *Site) Candidature(js *account.User, co *org.Company, state string, pass *approval.Approval) string {
	s.T.Helper()
	now := time.Now().UTC()
	var processed, start *time.Time
	var passID *int64
	mode := ""
	if state == "accepted" {
		st := now.AddDate(0, -1, 0)
		processed, start, mode = &now, &st, "automatic"
		if pass != nil {
			passID = &pass.ID
		}
	}
	id := uuid.NewString()
	if _, err := s.DB.NewRaw(`INSERT INTO job_application (public_id, job_seeker_id, to_company_id, sender_id, sender_kind, state,
		hiring_start_at, processed_at, approval_id, approval_delivery_mode, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'job_seeker', ?, ?, ?, ?, ?, ?, ?)`, id, js.ID, co.ID, js.ID, state, start, processed, passID, mode, now, now).Exec(context.Background()); err != nil {
		s.T.Fatal(err)
	}
	return id
}
