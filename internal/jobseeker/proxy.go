package jobseeker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/searchtext"
	"emplois/internal/signup"
)

// ProxyInput is the creation wizard of a job seeker by a professional (actors.md §10.7):
// identity (with the e-mail), contact and address, situation.
type ProxyInput struct {
	Email     string
	Identity  IdentityInput
	Contact   ContactInput
	Situation SituationInput
}

// CheckProxyStep validates one step of the creation wizard, so that the pages refuse a step
// before the next: "identity" (with the e-mail), "contact" or "situation".
func (s *Service) CheckProxyStep(ctx context.Context, a actor.Actor, step string, in ProxyInput) error {
	if _, err := s.searchActor(ctx, a); err != nil {
		return err
	}
	switch step {
	case "identity":
		_, err := s.checkParts(ctx, &in.Identity, nil, nil, true)
		errs := fault.FieldsOf(err)
		if err != nil && errs == nil {
			return err
		}
		errs = merge(errs, checkProxyEmail(in.Email))
		return errs.Err()
	case "contact":
		_, err := s.checkParts(ctx, nil, &in.Contact, nil, true)
		return err
	case "situation":
		_, err := s.checkParts(ctx, nil, nil, &in.Situation, true)
		return err
	}
	return fmt.Errorf("jobseeker: unknown step %q", step)
}

func checkProxyEmail(email string) fault.Fields {
	var errs fault.Fields
	email = account.NormalizeEmail(email)
	if p := account.EmailProblem(email); p != "" {
		errs.Add("email", p)
	} else if account.IsFranceTravailEmail(email) {
		errs.Add("email", MsgSearchFTEmail)
	}
	return errs
}

// sameNameAndBirth returns the job seeker born on the identity's day whose first and last
// names are the identity's, accents and case aside (the birthdate index narrows the rows).
func sameNameAndBirth(ctx context.Context, idb bun.IDB, id Identity) (*account.User, error) {
	if id.Birthdate == nil {
		return nil, nil
	}
	var users []account.User
	err := idb.NewSelect().Model(&users).
		Where("id IN (?)", idb.NewSelect().Model((*Profile)(nil)).Column("user_id").Where("birthdate = ?", *id.Birthdate)).
		Where("kind = ?", account.JobSeeker).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("jobseeker: same name and birth date: %w", err)
	}
	first, last := searchtext.Normalize(id.FirstName), searchtext.Normalize(id.LastName)
	for i := range users {
		if searchtext.Normalize(users[i].FirstName) == first && searchtext.Normalize(users[i].LastName) == last {
			return &users[i], nil
		}
	}
	return nil, nil
}

// CreateByProxy creates the account of a job seeker for a professional (actors.md §10.7,
// applications.md §3.2-2c): duplicates are looked for by NIR, then e-mail (both refused on their
// field), then names and birth date (a *DuplicateError unless confirmedDuplicate). The account
// records its creator and the creator's prescriber organization, the person is mailed a link to
// choose a password, and the creator is assigned to them (CREATE), in one transaction.
func (s *Service) CreateByProxy(ctx context.Context, a actor.Actor, in ProxyInput, confirmedDuplicate bool) (*JobSeeker, error) {
	role, err := s.searchActor(ctx, a)
	if err != nil {
		return nil, err
	}
	c, err := s.checkParts(ctx, &in.Identity, &in.Contact, &in.Situation, true)
	errs := merge(fault.FieldsOf(err), checkProxyEmail(in.Email))
	if err != nil && fault.FieldsOf(err) == nil {
		return nil, err
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if c.identity.NIR != nil {
		if holder, err := holderOfNIR(ctx, s.db, *c.identity.NIR, 0); err != nil {
			return nil, err
		} else if holder != nil {
			return nil, nirTakenError(holder)
		}
	}
	email := account.NormalizeEmail(in.Email)
	if existing, err := account.UserByEmail(ctx, s.db, email); err == nil {
		return nil, fault.InvalidField("email", emailTakenMessage(existing))
	} else if !errors.Is(err, account.ErrNotFound) {
		return nil, err
	}
	if !confirmedDuplicate {
		if twin, err := sameNameAndBirth(ctx, s.db, c.identity); err != nil {
			return nil, err
		} else if twin != nil {
			return nil, &DuplicateError{RedactedEmail: signup.ObfuscateEmail(twin.Email)}
		}
	}
	creator, err := account.UserByID(ctx, s.db, a.UserID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := &account.User{Email: email, LastCheckedAt: &now}
	p := Profile{HasRSAAllocation: RSANo}
	applyIdentity(u, &p, c.identity, nil)
	applyContact(u, c.contact, c.commune)
	c.situation.apply(&p)
	if col, id := orgColumn(a); col == "prescriber_organization_id" {
		p.CreatedByPrescriberOrganizationID = &id
	}
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.accounts.InsertJobSeekerByProxy(ctx, tx, u, a.UserID, creator.DisplayName()); err != nil {
			return err
		}
		p.UserID = u.ID
		if err := saveProfile(ctx, tx, &p, s.key, now); err != nil {
			return err
		}
		prescriberID, companyID := assignmentOrgs(a)
		if err := upsertAssignment(ctx, tx, u.ID, a.UserID, prescriberID, companyID, AssignCreate, false, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, ActionCreatedByProxy, u.AuditObject(), map[string]any{"role": string(role)})
	})
	if err := s.explainNIRTaken(ctx, err, p.NIRValue(), 0); err != nil {
		return nil, err
	}
	return &JobSeeker{User: u, Profile: p, PersonalData: true, CreatedByViewer: true}, nil
}

func emailTakenMessage(u *account.User) string {
	if u.Kind != account.JobSeeker {
		return MsgSearchProfessionalEmail
	}
	return "Un compte candidat existe déjà avec cette adresse e-mail : retrouvez-le par la recherche par adresse e-mail plutôt que d'en créer un second."
}

// assignmentOrgs are the organization columns of an assignment made by the actor.
func assignmentOrgs(a actor.Actor) (prescriberID, companyID *int64) {
	col, id := orgColumn(a)
	switch col {
	case "prescriber_organization_id":
		return &id, nil
	case "company_id":
		return nil, &id
	}
	return nil, nil
}

// Assign records that a professional follows a job seeker, for an organization (a prescriber
// organization, a company, or neither), after an action of kind (actors.md §2.3): one row per
// (job seeker, professional, organization), its last action and date updated. It runs in the
// caller's transaction (the applications domain calls it on APPLY, ACCEPT, HIRE).
func Assign(ctx context.Context, idb bun.IDB, jobSeekerID, professionalID int64, prescriberOrgID, companyID *int64,
	kind AssignmentKind, unknownAdvisor bool, now time.Time) error {
	if !kind.Valid() {
		return fmt.Errorf("jobseeker: unknown assignment kind %q", kind)
	}
	if prescriberOrgID != nil && companyID != nil {
		return fmt.Errorf("jobseeker: an assignment is for a prescriber organization or a company, not both")
	}
	return upsertAssignment(ctx, idb, jobSeekerID, professionalID, prescriberOrgID, companyID, kind, unknownAdvisor, now.UTC())
}

// Assign is the package function Assign, for callers holding the service.
func (s *Service) Assign(ctx context.Context, idb bun.IDB, jobSeekerID, professionalID int64, prescriberOrgID, companyID *int64,
	kind AssignmentKind, unknownAdvisor bool, now time.Time) error {
	return Assign(ctx, idb, jobSeekerID, professionalID, prescriberOrgID, companyID, kind, unknownAdvisor, now)
}
