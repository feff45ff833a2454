package approval

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/localtime"
)

// Demo data set: one PASS IAE in each state (valid with a prolongation request waiting for the
// demo prescriber, suspended, prolonged, expired, not started yet) for the job seekers the demo
// prescriber placed at the demo ACI and EI. Each comes with the prescriber's diagnosis and the
// accepted candidature that led to it; the PASS is issued, suspended and prolonged through the
// Service, so that numbers, dates and audit lines are the service's own.
const (
	demoPrescriberEmail = "prescripteur@demo.emplois.test"
	demoACIEmail        = "employeur.aci@demo.emplois.test"
	demoEIEmail         = "employeur.ei@demo.emplois.test"
)

// DemoState names the state a demo PASS is built in.
type DemoState string

const (
	DemoValid     DemoState = "valid"
	DemoSuspended DemoState = "suspended"
	DemoProlonged DemoState = "prolonged"
	DemoExpired   DemoState = "expired"
	DemoFuture    DemoState = "future"
)

// demoPASS is one PASS of the demo: its state, the employer that hired (by its member's
// e-mail) and the first day of the hire, in days from today.
type demoPASS struct {
	state    DemoState
	employer string
	start    int
}

// demoPlan is in the order of the job seekers given to SeedDemo. The valid PASS ends within a
// year, so that its prolongation may be asked; the prolonged one too, before its prolongation.
var demoPlan = []demoPASS{
	{DemoValid, demoACIEmail, -400},
	{DemoSuspended, demoACIEmail, -120},
	{DemoProlonged, demoEIEmail, -600},
	{DemoExpired, demoEIEmail, -900},
	{DemoFuture, demoACIEmail, 10},
}

// DemoStates are the states of the demo PASS, in the order of the job seekers of SeedDemo.
func DemoStates() []DemoState {
	states := make([]DemoState, len(demoPlan))
	for i, p := range demoPlan {
		states[i] = p.state
	}
	return states
}

// SeedDemo gives the job seekers of employees (e-mails, one per state of DemoStates) their PASS,
// unless one of them already has a PASS. It returns how many PASS it created; none when the demo
// organizations or job seekers are missing.
func (s *Service) SeedDemo(ctx context.Context, employees []string) (int, error) {
	if len(employees) < len(demoPlan) {
		return 0, fmt.Errorf("approval: demo: %d job seekers for %d PASS", len(employees), len(demoPlan))
	}
	var seekers []struct {
		ID    int64  `bun:"id"`
		Email string `bun:"email"`
	}
	if err := s.db.NewSelect().Table("users").Column("id", "email").Where("email IN (?)", bun.List(employees)).Scan(ctx, &seekers); err != nil {
		return 0, fmt.Errorf("approval: demo job seekers: %w", err)
	}
	ids := map[string]int64{}
	for _, u := range seekers {
		ids[u.Email] = u.ID
	}
	for _, e := range employees[:len(demoPlan)] {
		if ids[e] == 0 {
			return 0, nil // the job seekers demo did not run
		}
	}
	if n, err := s.db.NewSelect().Model((*Approval)(nil)).Where("user_id IN (?)", bun.List(idsOf(ids))).Count(ctx); err != nil {
		return 0, fmt.Errorf("approval: demo: %w", err)
	} else if n > 0 {
		return 0, nil
	}
	prescriber, err := s.demoPrescriber(ctx)
	if err != nil || prescriber == nil {
		return 0, err
	}
	created := 0
	for i, p := range demoPlan {
		employer, err := s.demoEmployer(ctx, p.employer)
		if err != nil || employer == nil {
			return created, err
		}
		if err := s.demoPASS(ctx, p, ids[employees[i]], employer, prescriber); err != nil {
			return created, fmt.Errorf("approval: demo %s PASS: %w", p.state, err)
		}
		created++
	}
	return created, nil
}

func idsOf(m map[string]int64) []int64 {
	ids := make([]int64, 0, len(m))
	for _, id := range m {
		ids = append(ids, id)
	}
	return ids
}

// demoActor is a demo professional acting for their first organization, with what the PASS and
// its candidature copy of it.
type demoActor struct {
	actor.Actor
	SIRET, Kind string
	Email       string
}

func (s *Service) demoEmployer(ctx context.Context, email string) (*demoActor, error) {
	var rows []struct {
		UserID int64  `bun:"user_id"`
		ID     int64  `bun:"id"`
		UID    string `bun:"uid"`
		SIRET  string `bun:"siret"`
		Kind   string `bun:"kind"`
	}
	err := s.db.NewSelect().TableExpr("company AS co").ColumnExpr("u.id AS user_id, co.id, co.uid, co.siret, co.kind").
		Join("JOIN company_membership AS m ON m.organization_id = co.id AND m.is_active").
		Join("JOIN users AS u ON u.id = m.user_id").Where("u.email = ?", email).OrderExpr("co.id").Limit(1).Scan(ctx, &rows)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	r := rows[0]
	return &demoActor{Actor: actor.Actor{UserID: r.UserID, Kind: actor.Professional,
		Organization: &actor.Organization{Type: "company", Kind: r.Kind, ID: r.ID, UID: r.UID}}, SIRET: r.SIRET, Kind: r.Kind, Email: email}, nil
}

func (s *Service) demoPrescriber(ctx context.Context) (*demoActor, error) {
	var rows []struct {
		UserID int64  `bun:"user_id"`
		ID     int64  `bun:"id"`
		UID    string `bun:"uid"`
		Kind   string `bun:"kind"`
	}
	err := s.db.NewSelect().TableExpr("prescriber_organization AS po").ColumnExpr("u.id AS user_id, po.id, po.uid, po.kind").
		Join("JOIN prescriber_membership AS m ON m.organization_id = po.id AND m.is_active").
		Join("JOIN users AS u ON u.id = m.user_id").Where("u.email = ?", demoPrescriberEmail).
		Where("po.authorization_status = ?", string(org.AuthorizationValidated)).OrderExpr("po.id").Limit(1).Scan(ctx, &rows)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	r := rows[0]
	return &demoActor{Actor: actor.Actor{UserID: r.UserID, Kind: actor.Professional,
		Organization: &actor.Organization{Type: "prescriber", Kind: r.Kind, ID: r.ID, UID: r.UID}}, Kind: r.Kind, Email: demoPrescriberEmail}, nil
}

// demoPASS writes the prescriber's diagnosis and the accepted candidature of one hire, issues
// its PASS and brings it to its state.
func (s *Service) demoPASS(ctx context.Context, p demoPASS, jobSeeker int64, employer, prescriber *demoActor) error {
	today := s.today()
	start := addDays(today, p.start)
	sent := s.now().AddDate(0, 0, min(p.start, 0)-15)
	accepted := s.now().AddDate(0, 0, min(p.start, 0)-5)
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var diagnosis int64
		written := sent.AddDate(0, 0, -3)
		err := tx.NewRaw(`INSERT INTO eligibility_diagnosis (job_seeker_id, author_id, author_kind, author_prescriber_organization_id,
			expires_at, created_at, updated_at) VALUES (?, ?, 'prescriber', ?, ?, ?, ?) RETURNING id`,
			jobSeeker, prescriber.UserID, prescriber.Organization.ID, localtime.AddMonths(Today(written), 6), written, written).Scan(ctx, &diagnosis)
		if err != nil {
			return fmt.Errorf("diagnosis: %w", err)
		}
		// Level 2: « Niveau d'étude 3 (CAP, BEP) ou infra » and « Problème de mobilité ».
		for _, criterion := range []int{5, 18} {
			if _, err := tx.NewRaw(`INSERT INTO selected_administrative_criteria (eligibility_diagnosis_id, administrative_criteria_id, created_at)
				VALUES (?, ?, ?)`, diagnosis, criterion, written).Exec(ctx); err != nil {
				return fmt.Errorf("criteria: %w", err)
			}
		}
		ap, err := s.Issue(ctx, tx, IssueInput{Actor: employer.Actor, UserID: jobSeeker, StartAt: start, EligibilityDiagnosisID: diagnosis,
			OriginSIAESIRET: employer.SIRET, OriginSIAEKind: employer.Kind, OriginSenderKind: "prescriber",
			OriginPrescriberOrganizationKind: prescriber.Kind})
		if err != nil {
			return err
		}
		var application int64
		err = tx.NewRaw(`INSERT INTO job_application (public_id, job_seeker_id, to_company_id, sender_id, sender_kind,
			sender_prescriber_organization_id, state, message, answer, hiring_start_at, hiring_end_at, processed_at, created_at, updated_at,
			approval_delivery_mode, eligibility_diagnosis_id, approval_id, approval_number_sent_at)
			VALUES (?, ?, ?, ?, 'prescriber', ?, 'accepted', ?, ?, ?, ?, ?, ?, ?, 'automatic', ?, ?, ?) RETURNING id`,
			uuid.NewString(), jobSeeker, employer.Organization.ID, prescriber.UserID, prescriber.Organization.ID,
			"Bonjour, je vous propose cette candidature : la personne est motivée et disponible rapidement.",
			"Bienvenue dans l'équipe : rendez-vous le premier jour à 9 heures.",
			start, start.AddDate(1, 0, 0), accepted, sent, accepted, diagnosis, ap.ID, accepted).Scan(ctx, &application)
		if err != nil {
			return fmt.Errorf("candidature: %w", err)
		}
		_, err = tx.NewRaw(`INSERT INTO job_application_transition_log (job_application_id, transition, from_state, to_state, user_id, created_at)
			VALUES (?, 'process', 'new', 'processing', ?, ?), (?, 'accept', 'processing', 'accepted', ?, ?)`,
			application, employer.UserID, sent.Add(time.Hour), application, employer.UserID, accepted).Exec(ctx)
		if err != nil {
			return fmt.Errorf("timeline: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	var publicID string
	if err := s.db.NewSelect().Model((*Approval)(nil)).Column("public_id").Where("user_id = ?", jobSeeker).Scan(ctx, &publicID); err != nil {
		return err
	}
	ap, err := s.Get(ctx, publicID)
	if err != nil {
		return err
	}
	switch p.state {
	case DemoValid:
		_, err = s.Prolong(ctx, employer.Actor, publicID, ProlongationInput{EndAt: addDays(ap.EndAt, 180), Reason: RQTH,
			ReasonExplanation: "Reconnaissance de la qualité de travailleur handicapé obtenue : la personne a besoin de plus de temps.",
			PrescriberEmail:   prescriber.Email, PrescriberOrganizationID: prescriber.Organization.ID})
	case DemoSuspended:
		_, err = s.Suspend(ctx, employer.Actor, publicID, SuspensionInput{StartAt: addDays(today, -10), EndAt: addDays(today, 60),
			Reason: ContractSuspended})
	case DemoProlonged:
		_, err = s.Prolong(ctx, employer.Actor, publicID, ProlongationInput{EndAt: addDays(ap.EndAt, 120), Reason: CompleteTraining,
			ReasonExplanation: "La formation qualifiante en cours se termine après la fin du PASS IAE."})
	}
	return err
}
