package application

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/eligibility"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
)

// Demo data set: candidatures in the inboxes of the demo employers (ACI, EI and GEIQ), sent by
// the demo job seeker, the demo prescriber for the job seekers it created by proxy, and one
// employer for another, then moved through the transitions, so that their timelines, audit
// lines and mails are those of the service.
const (
	demoJobSeekerEmail  = "candidat@demo.emplois.test"
	demoPrescriberEmail = "prescripteur@demo.emplois.test"
)

// demoEmployers are the members of the demo companies, by the key of the plan below.
var demoEmployers = map[string]string{
	"aci":  "employeur.aci@demo.emplois.test",
	"ei":   "employeur.ei@demo.emplois.test",
	"geiq": "employeur.geiq@demo.emplois.test",
}

// demoStep is one demo candidature: the receiving company, who sends it (the job seeker
// herself, the prescriber, or the employer of another company), for which job seeker (an index
// into the proxy job seekers; -1 is the demo job seeker) and what the employer then does.
type demoStep struct {
	to, from  string // company key; "self", "prescriber" or a company key
	jobSeeker int
	then      []TransitionName
}

// demoPlan puts every state of §2.1 in the demo inboxes. The order matters: the acceptance at
// the EI turns the job seeker's pending candidature at the ACI into « Embauché ailleurs ».
var demoPlan = []demoStep{
	{"aci", "self", -1, nil},
	{"aci", "prescriber", 0, []TransitionName{TProcess}},
	{"aci", "prescriber", 1, []TransitionName{TPostpone}},
	{"aci", "ei", 2, []TransitionName{TAddToPool}},
	{"aci", "prescriber", 3, []TransitionName{TRefuse}},
	{"aci", "prescriber", 4, []TransitionName{TAccept}},
	{"aci", "prescriber", 5, []TransitionName{TAccept, TCancel}},
	{"aci", "prescriber", 6, nil}, // obsolete after the EI's acceptance below
	{"ei", "prescriber", 6, []TransitionName{TAccept}},
	{"ei", "self", -1, []TransitionName{TProcess}},
	{"ei", "prescriber", 0, nil},
	{"ei", "prescriber", 2, []TransitionName{TRefuse}},
	{"ei", "aci", 1, []TransitionName{TAddToPool}},
	{"geiq", "self", -1, []TransitionName{TRefuse}},
	{"geiq", "prescriber", 1, nil},
	{"geiq", "prescriber", 0, []TransitionName{TProcess}},
	{"geiq", "aci", 3, []TransitionName{TPostpone}},
	{"geiq", "prescriber", 2, []TransitionName{TProcess, TMoveToPriorToHire}},
}

// DemoJobSeekers are the e-mails of the job seekers the demo prescriber applies for, in the
// order of the plan's indexes (given by the job seeker package, which creates them).
type DemoJobSeekers []string

// SeedDemo creates the demo candidatures, dated over the last weeks, unless the demo companies
// already have some. It returns how many it created.
func (s *Service) SeedDemo(ctx context.Context, proxies DemoJobSeekers) (int, error) {
	type company struct {
		ID   int64  `bun:"id"`
		UID  string `bun:"uid"`
		Kind string `bun:"kind"`
		Job  string `bun:"-"`
		Who  actor.Actor
	}
	companies := map[string]*company{}
	for key, email := range demoEmployers {
		var rows []company
		err := s.db.NewSelect().TableExpr("company AS co").ColumnExpr("co.id, co.uid, co.kind").
			Join("JOIN company_membership AS m ON m.organization_id = co.id AND m.is_active").
			Join("JOIN users AS u ON u.id = m.user_id").Where("u.email = ?", email).OrderExpr("co.id").Limit(1).Scan(ctx, &rows)
		if err != nil {
			return 0, fmt.Errorf("application: demo company %s: %w", key, err)
		}
		if len(rows) == 0 {
			return 0, nil // the organizations demo did not run
		}
		c := rows[0]
		var uid string
		if err := s.db.NewSelect().ColumnExpr("u.id").TableExpr("users AS u").Where("u.email = ?", email).Scan(ctx, &c.Who.UserID); err != nil {
			return 0, fmt.Errorf("application: demo employer %s: %w", key, err)
		}
		c.Who.Kind, c.Who.Organization = actor.Professional, &actor.Organization{Type: "company", Kind: c.Kind, ID: c.ID, UID: c.UID}
		err = s.db.NewSelect().TableExpr("job_description").Column("uid").Where("company_id = ?", c.ID).
			Where("is_active").OrderExpr("id").Limit(1).Scan(ctx, &uid)
		if err != nil {
			return 0, fmt.Errorf("application: demo fiche de poste of %s: %w", key, err)
		}
		c.Job = uid
		companies[key] = &c
	}
	ids := make([]int64, 0, len(companies))
	for _, c := range companies {
		ids = append(ids, c.ID)
	}
	if n, err := s.db.NewSelect().TableExpr("job_application").Where("to_company_id IN (?)", bun.List(ids)).Count(ctx); err != nil {
		return 0, fmt.Errorf("application: demo: %w", err)
	} else if n > 0 {
		return 0, nil
	}

	self, err := s.demoUser(ctx, demoJobSeekerEmail)
	if err != nil {
		return 0, err
	}
	prescriber, err := s.demoUser(ctx, demoPrescriberEmail)
	if err != nil {
		return 0, err
	}
	var po struct {
		ID  int64  `bun:"id"`
		UID string `bun:"uid"`
	}
	err = s.db.NewSelect().TableExpr("prescriber_organization AS po").ColumnExpr("po.id, po.uid").
		Where("po.id IN (SELECT organization_id FROM prescriber_membership WHERE user_id = ? AND is_active)", prescriber.ID).
		OrderExpr("po.id").Limit(1).Scan(ctx, &po)
	if err != nil {
		return 0, fmt.Errorf("application: demo prescriber organization: %w", err)
	}
	prescriberActor := actor.Actor{UserID: prescriber.ID, Kind: actor.Professional,
		Organization: &actor.Organization{Type: "prescriber", ID: po.ID, UID: po.UID}}
	seekers := make([]*person, len(proxies))
	for i, email := range proxies {
		if seekers[i], err = s.demoUser(ctx, email); err != nil {
			return 0, err
		}
	}

	// A clock of its own: the candidatures are spread over the last three weeks (within the
	// 60 days of the automatic refusal), a few hours apart.
	demo := *s
	start := s.now().Add(-21 * 24 * time.Hour)
	step, tick := 0, 0
	demo.Now = func() time.Time {
		return start.Add(time.Duration(step)*29*time.Hour + time.Duration(tick)*20*time.Minute)
	}
	created := 0
	for _, p := range demoPlan {
		step++
		co := companies[p.to]
		in := SubmitInput{CompanyUID: co.UID, JobUIDs: []string{co.Job},
			Message: "Bonjour, je vous propose cette candidature : la personne est motivée et disponible rapidement."}
		var sender actor.Actor
		switch p.from {
		case "self":
			sender = actor.Actor{UserID: self.ID, Kind: actor.JobSeeker}
			in.Message = "Bonjour, je suis très intéressée par ce poste et disponible dès maintenant."
		case "prescriber":
			sender = prescriberActor
		default:
			sender = companies[p.from].Who
		}
		if p.jobSeeker >= 0 {
			if p.jobSeeker >= len(seekers) {
				return created, fmt.Errorf("application: demo: job seeker %d missing", p.jobSeeker)
			}
			in.JobSeekerPublicID = seekers[p.jobSeeker].PublicID
		}
		app, err := demo.Submit(ctx, sender, in)
		if err != nil {
			return created, fmt.Errorf("application: demo candidature to %s: %w", p.to, err)
		}
		created++
		if p.from == "prescriber" && slices.Contains(p.then, TAccept) && org.CompanyKind(co.Kind).IsSIAE() {
			// The habilitated prescriber validated the eligibility that the hire's PASS IAE needs.
			if _, err := s.Eligibility.CreateIAE(ctx, prescriberActor, in.JobSeekerPublicID, nil, eligibility.CreateOptions{}); err != nil {
				return created, fmt.Errorf("application: demo diagnosis: %w", err)
			}
		}
		for _, t := range p.then {
			tick++
			if err := demo.demoTransition(ctx, co.Who, app, co.Job, t); err != nil {
				return created, fmt.Errorf("application: demo %s at %s: %w", t, p.to, err)
			}
		}
	}
	return created, nil
}

func (s *Service) demoUser(ctx context.Context, email string) (*person, error) {
	p := new(person)
	if err := s.db.NewSelect().Model(p).Where("u.email = ?", email).Scan(ctx); err != nil {
		return nil, fmt.Errorf("application: demo user: %w", err)
	}
	return p, nil
}

// demoTransition fires t on app as the employer, with the answers its form would collect.
func (s *Service) demoTransition(ctx context.Context, employer actor.Actor, app *Application, job string, t TransitionName) error {
	var err error
	switch t {
	case TProcess:
		_, err = s.Process(ctx, employer, app.PublicID)
	case TPostpone:
		_, err = s.Postpone(ctx, employer, app.PublicID, "Nous reviendrons vers vous après les entretiens de la semaine prochaine.")
	case TAddToPool:
		_, err = s.AddToPool(ctx, employer, app.PublicID, "Votre profil nous intéresse pour un prochain recrutement.")
	case TRefuse:
		_, err = s.Refuse(ctx, employer, app.PublicID, RefuseInput{Reason: ReasonNoPosition, Shared: true,
			Answer:             "Nous n'avons malheureusement plus de poste disponible pour le moment.",
			AnswerToPrescriber: "Le poste a été pourvu avant l'étude de cette candidature."})
	case TAccept:
		begin := Day(s.now()).AddDate(0, 0, 7)
		end := begin.AddDate(0, 6, 0)
		_, err = s.Accept(ctx, employer, app.PublicID, AcceptInput{HiringStartAt: &begin, HiringEndAt: &end,
			HiredJobUID: job, Answer: "Bienvenue dans l'équipe : rendez-vous le premier jour à 9 heures."})
	case TCancel:
		_, err = s.Cancel(ctx, employer, app.PublicID)
	case TMoveToPriorToHire: // a GEIQ's first prior action (R32)
		begin := Day(s.now()).AddDate(0, 0, 3)
		end := begin.AddDate(0, 0, 14)
		_, err = s.AddPriorAction(ctx, employer, app.PublicID, PriorActionInput{Action: ActionPMSMP, StartAt: &begin, EndAt: &end})
	default:
		err = fmt.Errorf("no demo for %s", t)
	}
	return err
}
