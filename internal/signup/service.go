package signup

import (
	"context"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/fault"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/geo"
	"emplois/internal/org"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/mail"
	"emplois/internal/platform/secretkey"
)

// Audit actions written by this package.
const (
	ActionEmployerLinkSent = "employer_signup_link_sent"
	ActionEmployerJoined   = "employer_signup_joined"
	ActionAgencyJoined     = "france_travail_agency_joined"
)

// EmployerJoinPath is the page of the employer signup link.
func EmployerJoinPath(companyUID, token string) string {
	return "/signup/employer/join/" + companyUID + "/" + token
}

// Service runs the professional signup journeys.
type Service struct {
	db      *db.DB
	orgs    *org.Service
	geo     *geo.Store
	key     []byte // signs the employer links (derived from the server's secret key)
	baseURL string

	// Now is the clock (tests move it past the link validity).
	Now func() time.Time
}

// NewService returns the signup service over the organization service; key is the server's
// secret key (package secretkey).
func NewService(d *db.DB, cfg config.Config, orgs *org.Service, key []byte) *Service {
	return &Service{db: d, orgs: orgs, geo: geo.NewStore(d), key: secretkey.Derive(key, "employer-signup"),
		baseURL: strings.TrimSuffix(cfg.BaseURL.String(), "/"), Now: time.Now}
}

func (s *Service) now() time.Time { return s.Now().UTC() }

// Prescriber (actors.md §10.3)

// Departments lists the departments a prescriber picks from, by code.
func (s *Service) Departments(ctx context.Context) ([]geo.Department, error) {
	return s.geo.Departments(ctx)
}

// PrescriberStart is the first step of a prescriber signup, checked.
type PrescriberStart struct {
	SIRET      string // normalized
	Department string
	// Matches are the organizations already registered the prescriber may ask to join.
	Matches []org.PrescriberMatch
}

// CheckPrescriberStart checks the SIRET (14 digits, spaces allowed) and the department, then
// finds the organizations with that SIRET and those of the same SIREN in the department that
// have members. Field errors: siret, department.
func (s *Service) CheckPrescriberStart(ctx context.Context, siret, department string) (*PrescriberStart, error) {
	var errs fault.Fields
	siret = org.NormalizeSIRET(siret)
	if siret == "" {
		errs.Add("siret", "Ce champ est obligatoire.")
	} else if p := org.SIRETProblem(siret); p != "" {
		errs.Add("siret", p)
	}
	department = strings.TrimSpace(department)
	if _, err := s.geo.Department(ctx, department); errors.Is(err, geo.ErrNotFound) || department == "" {
		errs.Add("department", MsgDepartment)
	} else if err != nil {
		return nil, err
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	matches, err := s.orgs.PrescribersForSignup(ctx, siret, department)
	if err != nil {
		return nil, err
	}
	return &PrescriberStart{SIRET: siret, Department: department, Matches: matches}, nil
}

// KindTaken returns the organization already registered with this SIRET and kind, nil when the
// pair is free (actors.md §10.3: the prescriber is then offered to ask its members).
func (s *Service) KindTaken(ctx context.Context, siret string, kind org.PrescriberKind) (*org.PrescriberMatch, error) {
	list, err := s.orgs.PrescribersBySIRET(ctx, org.NormalizeSIRET(siret))
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].Kind != kind {
			continue
		}
		counts, err := s.orgs.ActiveMemberCounts(ctx, org.TypePrescriber, []int64{list[i].ID})
		if err != nil {
			return nil, err
		}
		return &org.PrescriberMatch{PrescriberOrganization: &list[i], ActiveMembers: counts[list[i].ID], SameSIRET: true}, nil
	}
	return nil, nil
}

// France Travail (actors.md §10.4)

// FranceTravailAgency returns the agency a France Travail agent may join with a SAFIR code:
// the agent's address must be a France Travail one; the code 5 digits, of a known agency. Field
// error: code_safir.
func (s *Service) FranceTravailAgency(ctx context.Context, agentEmail, code string) (*org.PrescriberOrganization, error) {
	if !account.IsFranceTravailEmail(agentEmail) {
		return nil, ErrNotFranceTravailEmail
	}
	code = strings.TrimSpace(code)
	if p := org.SAFIRProblem(code); p != "" {
		return nil, fault.InvalidField("code_safir", p)
	}
	p, err := s.orgs.PrescriberBySAFIR(ctx, code)
	if errors.Is(err, org.ErrNotFound) || (err == nil && !p.IsFranceTravail()) {
		return nil, fault.InvalidField("code_safir", MsgSAFIRUnknown)
	}
	return p, err
}

// JoinFranceTravailAgency makes the agent a member of the agency with this SAFIR code.
func (s *Service) JoinFranceTravailAgency(ctx context.Context, actor actor.Actor, agentEmail, code string) (*org.PrescriberOrganization, error) {
	p, err := s.FranceTravailAgency(ctx, agentEmail, code)
	if err != nil {
		return nil, err
	}
	if _, err := s.orgs.AddMember(ctx, actor, org.TypePrescriber, p.ID, actor.UserID, false); err != nil {
		return nil, err
	}
	return p, audit.Record(ctx, s.db, actor, ActionAgencyJoined, audit.Object{Type: "prescriber_organization", ID: p.UID}, map[string]any{"code_safir": p.CodeSAFIR})
}

// Employer (actors.md §10.5)

// TakenCompany is a company that has members, with the one to ask for an invitation.
type TakenCompany struct {
	org.CompanyChoice
	Contact org.Member
}

// EmployerChoices are the active companies of a SIREN: without members (the professional may
// pick one) and with members (they ask the contact member for an invitation).
type EmployerChoices struct {
	SIREN string
	Free  []org.CompanyChoice
	Taken []TakenCompany
}

// Empty reports whether no active company has this SIREN.
func (c *EmployerChoices) Empty() bool { return len(c.Free) == 0 && len(c.Taken) == 0 }

// Free returns the free company with this uid, or nil.
func (c *EmployerChoices) FreeCompany(uid string) *org.CompanyChoice {
	for i := range c.Free {
		if c.Free[i].Company.UID == uid {
			return &c.Free[i]
		}
	}
	return nil
}

// CheckSIREN normalizes a typed SIREN (9 digits, spaces allowed), or returns a field error on
// siren.
func CheckSIREN(siren string) (string, error) {
	siren = org.NormalizeSIRET(siren)
	if siren == "" {
		return "", fault.InvalidField("siren", "Ce champ est obligatoire.")
	}
	if p := org.SIRENProblem(siren); p != "" {
		return "", fault.InvalidField("siren", p)
	}
	return siren, nil
}

// EmployerChoices lists the active companies whose SIRET starts with siren, split by whether
// they have members (actors.md §10.5).
func (s *Service) EmployerChoices(ctx context.Context, siren string) (*EmployerChoices, error) {
	siren, err := CheckSIREN(siren)
	if err != nil {
		return nil, err
	}
	list, err := s.orgs.CompaniesBySIREN(ctx, siren)
	if err != nil {
		return nil, err
	}
	c := &EmployerChoices{SIREN: siren}
	for _, choice := range list {
		if choice.ActiveMembers == 0 {
			c.Free = append(c.Free, choice)
			continue
		}
		contact, err := s.orgs.ContactMember(ctx, org.TypeCompany, choice.Company.ID)
		if err != nil {
			return nil, err
		}
		c.Taken = append(c.Taken, TakenCompany{CompanyChoice: choice, Contact: contact})
	}
	return c, nil
}

// LinkSent tells where an employer signup link went.
type LinkSent struct {
	Company *org.Company
	// To is the official address, obfuscated: the professional may not own it.
	To string
}

// SendEmployerLink mails the signup link of a company without members, picked among the
// choices of siren, to its official address (auth_email).
func (s *Service) SendEmployerLink(ctx context.Context, actor actor.Actor, requester *account.User, siren, companyUID string) (*LinkSent, error) {
	choices, err := s.EmployerChoices(ctx, siren)
	if err != nil {
		return nil, err
	}
	choice := choices.FreeCompany(companyUID)
	if choice == nil {
		for _, t := range choices.Taken {
			if t.Company.UID == companyUID {
				return nil, ErrCompanyHasMembers
			}
		}
		return nil, ErrCompanyNotListed
	}
	co := choice.Company
	if co.AuthEmail == "" {
		return nil, ErrNoAuthEmail
	}
	link := s.baseURL + EmployerJoinPath(co.UID, EmployerToken(s.key, co.UID, choice.ActiveMembers, s.now()))
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := mail.Enqueue(ctx, tx, employerLinkMail(co.AuthEmail, co, requester, link)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, ActionEmployerLinkSent, audit.Object{Type: "company", ID: co.UID}, nil)
	})
	if err != nil {
		return nil, err
	}
	return &LinkSent{Company: co, To: ObfuscateEmail(co.AuthEmail)}, nil
}

// EmployerLinkCompany returns the company of a signup link still valid; else ErrLinkInvalid.
func (s *Service) EmployerLinkCompany(ctx context.Context, companyUID, token string) (*org.Company, int, error) {
	co, err := s.orgs.Company(ctx, companyUID)
	if errors.Is(err, org.ErrNotFound) {
		return nil, 0, ErrLinkInvalid
	}
	if err != nil {
		return nil, 0, err
	}
	if a := co.ActivityAt(s.now()); !a.Active || a.InGracePeriod {
		return nil, 0, ErrLinkInvalid
	}
	counts, err := s.orgs.ActiveMemberCounts(ctx, org.TypeCompany, []int64{co.ID})
	if err != nil {
		return nil, 0, err
	}
	members := counts[co.ID]
	if err := CheckEmployerToken(s.key, co.UID, members, token, s.now()); err != nil {
		return nil, 0, err
	}
	return co, members, nil
}

// JoinWithEmployerLink makes the professional a member of the company of a valid signup link,
// admin when first (actors.md §10.5); the link then stops working for anyone else.
func (s *Service) JoinWithEmployerLink(ctx context.Context, actor actor.Actor, companyUID, token string) (*org.Company, error) {
	co, members, err := s.EmployerLinkCompany(ctx, companyUID, token)
	if err != nil {
		return nil, err
	}
	m, err := s.orgs.AddMemberIfCount(ctx, actor, org.TypeCompany, co.ID, actor.UserID, members)
	if errors.Is(err, org.ErrMembersChanged) {
		return nil, ErrLinkInvalid
	}
	if err != nil {
		return nil, err
	}
	return co, audit.Record(ctx, s.db, actor, ActionEmployerJoined, audit.Object{Type: "company", ID: co.UID}, map[string]any{"is_admin": m.IsAdmin})
}

func employerLinkMail(to string, co *org.Company, requester *account.User, link string) mail.Message {
	who := "Un professionnel"
	if requester != nil {
		who = requester.DisplayName() + " (" + requester.Email + ")"
	}
	return mail.Compose(to, "Inscription sur les emplois de l'inclusion : "+co.DisplayName(), mail.Body{
		Paragraphs: []string{
			who + " souhaite rejoindre « " + co.DisplayName() + " » (SIRET " + co.SIRET + ") sur les emplois de l'inclusion.",
			"Vous recevez ce message parce que cette adresse est le contact officiel de la structure. Si cette personne travaille bien pour elle, transmettez-lui ce lien : il lui permettra de rejoindre la structure. La première personne inscrite en devient administratrice.",
		},
		Action: &mail.Action{Label: "Rejoindre " + co.DisplayName(), URL: link},
		After: []string{
			fmt.Sprintf("Ce lien est valable %d jours, et jusqu'à ce qu'une personne rejoigne la structure.", int(EmployerLinkValidity/(24*time.Hour))),
			"Si vous ne connaissez pas cette personne, ignorez ce message.",
		},
	})
}
