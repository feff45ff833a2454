package webtest

import (
	"context"
	"fmt"

	"emplois/internal/account"
	"emplois/internal/application"
	"emplois/internal/eligibility"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
)

// Candidatures: the actors the services see and spontaneous candidatures sent through them.

// EmployerActor is u acting for the company co.
func EmployerActor(u *account.User, co *org.Company) actor.Actor {
	return actor.Actor{UserID: u.ID, Kind: actor.Professional, ClientIP: "127.0.0.1",
		Organization: &actor.Organization{Type: string(org.TypeCompany), Kind: string(co.Kind), ID: co.ID, UID: co.UID}}
}

// PrescriberActor is u acting for the prescriber organization p.
func PrescriberActor(u *account.User, p *org.PrescriberOrganization) actor.Actor {
	return actor.Actor{UserID: u.ID, Kind: actor.Professional, ClientIP: "127.0.0.1",
		Organization: &actor.Organization{Type: string(org.TypePrescriber), Kind: string(p.Kind), ID: p.ID, UID: p.UID}}
}

// JobSeekerActor is the job seeker u.
func JobSeekerActor(u *account.User) actor.Actor {
	return actor.Actor{UserID: u.ID, Kind: actor.JobSeeker, ClientIP: "127.0.0.1"}
}

// ApplySpontaneously sends a spontaneous candidature of the job seeker js to co, by a (the job
// seeker or a proxy), through the service with every guard; the company must take spontaneous
// candidatures and have a member.
func (s *Site) ApplySpontaneously(a actor.Actor, co *org.Company, js *account.User) *application.Application {
	s.T.Helper()
	app, err := s.Services.Applications.Submit(context.Background(), a, application.SubmitInput{CompanyUID: co.UID,
		JobSeekerPublicID: js.PublicID, Spontaneous: true, Message: "Je suis motivée par ce poste."})
	if err != nil {
		s.T.Fatal(err)
	}
	return app
}

// Diagnose records a valid IAE eligibility diagnosis of js by a member of a new habilitated
// prescriber organization (approvals.md §2.2), so that an SIAE may hire them.
func (s *Site) Diagnose(js *account.User) {
	s.T.Helper()
	po := s.Prescriber(org.FT, fmt.Sprintf("France Travail %d", next()), true)
	u := s.Member(org.TypePrescriber, po.ID, fmt.Sprintf("conseiller%d@example.org", next()), "Claire", "Durand")
	if _, err := s.Services.Eligibility.CreateIAE(context.Background(), PrescriberActor(u, po), js.PublicID, nil, eligibility.CreateOptions{}); err != nil {
		s.T.Fatal(err)
	}
}
