package org

import (
	"context"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/account"
)

// CompanyInput creates a company (staff back office, demo data).
type CompanyInput struct {
	SIRET     string
	Kind      CompanyKind
	Name      string
	Brand     string
	NAF       string
	AuthEmail string // official contact e-mail, for the employer signup magic link
	Contact   Contact
	Address   AddressInput
}

// CreateCompany creates a company as staff (source STAFF_CREATED: active until the ASP data
// confirms it). A taken (SIRET, kind) is a field error on siret; nothing is written on error.
func (s *Service) CreateCompany(ctx context.Context, actor actor.Actor, in CompanyInput) (*Company, error) {
	if !actor.IsStaff() {
		return nil, ErrForbidden
	}
	c, err := s.newCompany(ctx, in, SourceStaffCreated)
	if err != nil {
		return nil, err
	}
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := insertCompany(ctx, tx, c); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, ActionCompanyCreated, TypeCompany.object(c.UID), map[string]any{"siret": c.SIRET, "kind": string(c.Kind), "source": string(c.Source)})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ImportCompany creates a company from an export (source ASP or GEIQ) or a technical holder
// (RESERVED, source ADMIN_CREATED): no actor, no permission check. conventionID binds an ASP
// company to its convention.
func (s *Service) ImportCompany(ctx context.Context, in CompanyInput, source Source, conventionID *int64) (*Company, error) {
	c, err := s.newCompany(ctx, in, source)
	if err != nil {
		return nil, err
	}
	c.ConventionID = conventionID
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := insertCompany(ctx, tx, c); err != nil {
			return err
		}
		return audit.Record(ctx, tx, system, ActionCompanyCreated, TypeCompany.object(c.UID), map[string]any{"siret": c.SIRET, "kind": string(c.Kind), "source": string(c.Source)})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// newCompany checks the input and builds the row (not stored).
func (s *Service) newCompany(ctx context.Context, in CompanyInput, source Source) (*Company, error) {
	var errs fault.Fields
	siret := NormalizeSIRET(in.SIRET)
	if p := SIRETProblem(siret); p != "" {
		errs.Add("siret", p)
	}
	if !in.Kind.Offered() && !(in.Kind == Reserved && source == SourceAdminCreated) {
		errs.Add("kind", "Choisissez un type de structure dans la liste.")
	}
	name, brand := clean(in.Name), clean(in.Brand)
	checkName(&errs, "name", name)
	checkLength(&errs, "brand", brand, 255)
	authEmail := account.NormalizeEmail(in.AuthEmail)
	if authEmail != "" && account.EmailProblem(authEmail) != "" {
		errs.Add("auth_email", msgBadEmail)
	}
	contact := in.Contact.normalize()
	contact.check(&errs)
	addr, dept, err := s.resolveAddress(ctx, in.Address, &errs)
	if err != nil {
		return nil, err
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	return &Company{
		UID: uuid.NewString(), SIRET: siret, NAF: clean(in.NAF), Kind: in.Kind, Name: name, Brand: brand,
		Phone: contact.Phone, Email: contact.Email, AuthEmail: authEmail, Website: contact.Website,
		Description: contact.Description, Source: source, IsSearchable: !(in.Kind == OPCS && source == SourceUserCreated), // an OPCS registered by its members waits for staff review
		SpontaneousApplicationsOpenSince: &now, Department: dept, Address: addr,
		CreatedAt: now, UpdatedAt: now,
	}, nil
}

// AntennaInput creates an antenna of a company (actors.md §4.5).
type AntennaInput struct {
	SIRET   string
	Name    string
	Brand   string
	Contact Contact
	Address AddressInput
}

// CreateAntenna creates an antenna of the company parentUID: by an admin of an active SIAE or
// GEIQ (or staff), same kind, a SIRET starting with the parent's SIREN and free for that kind;
// it shares the parent's convention and its creator becomes its admin.
func (s *Service) CreateAntenna(ctx context.Context, actor actor.Actor, parentUID string, in AntennaInput) (*Company, error) {
	a, err := s.accessTo(ctx, s.db, actor, parentUID, false)
	if err != nil {
		return nil, err
	}
	if a.ref.Type != TypeCompany || !a.manages() {
		return nil, ErrForbidden
	}
	parent, err := s.Company(ctx, parentUID)
	if err != nil {
		return nil, err
	}
	if p := AntennaParentProblem(parent.Kind, parent.ActivityAt(s.now())); p != "" {
		return nil, fault.InvalidField("", p)
	}
	c, err := s.newCompany(ctx, CompanyInput{SIRET: in.SIRET, Kind: parent.Kind, Name: in.Name, Brand: in.Brand,
		NAF: parent.NAF, Contact: in.Contact, Address: in.Address}, SourceUserCreated)
	if err != nil {
		return nil, err
	}
	if p := AntennaSIRETProblem(parent.SIRET, c.SIRET); p != "" {
		return nil, fault.InvalidField("siret", p)
	}
	c.ConventionID, c.CreatedByID = parent.ConventionID, actorID(actor)
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := insertCompany(ctx, tx, c); err != nil {
			return err
		}
		if !actor.IsStaff() {
			if _, err := s.addMember(ctx, tx, actor, TypeCompany, c.ID, actor.UserID, true); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, actor, ActionAntennaCreated, TypeCompany.object(c.UID), map[string]any{"parent": parent.UID, "siret": c.SIRET})
	})
	if err != nil {
		return nil, err
	}
	c.Convention = parent.Convention
	return c, nil
}

// CompanyUpdate is what a company's admins edit on its card.
type CompanyUpdate struct {
	Brand           string
	ProvidedSupport string
	Contact         Contact
}

// UpdateCompany saves the card of a company: its admins (or staff) may.
func (s *Service) UpdateCompany(ctx context.Context, actor actor.Actor, uid string, in CompanyUpdate) error {
	var errs fault.Fields
	contact := in.Contact.normalize()
	contact.check(&errs)
	brand, support := clean(in.Brand), clean(in.ProvidedSupport)
	checkLength(&errs, "brand", brand, 255)
	checkLength(&errs, "provided_support", support, 3000)
	if err := errs.Err(); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		a, err := s.accessTo(ctx, tx, actor, uid, true)
		if err != nil {
			return err
		}
		if a.ref.Type != TypeCompany || !a.manages() {
			return ErrForbidden
		}
		c := &Company{ID: a.ref.ID, Brand: brand, ProvidedSupport: support, Phone: contact.Phone, Email: contact.Email,
			Website: contact.Website, Description: contact.Description, UpdatedAt: s.now()}
		if err := updateCompany(ctx, tx, c, "brand", "provided_support", "phone", "email", "website", "description"); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, ActionCompanyUpdated, TypeCompany.object(uid), nil)
	})
}

// SetJobApplicationsBlocked turns "bloquer les candidatures" on or off: any member of the company
// (or staff) may (actors.md §9).
func (s *Service) SetJobApplicationsBlocked(ctx context.Context, actor actor.Actor, uid string, blocked bool) error {
	return s.updateCompanyFlag(ctx, actor, uid, func(c *Company, now time.Time) (string, []string) {
		if c.BlockJobApplications == blocked {
			return "", nil
		}
		c.BlockJobApplications = blocked
		if blocked {
			c.JobApplicationsBlockedAt = &now
			return ActionApplicationsBlocked, []string{"block_job_applications", "job_applications_blocked_at"}
		}
		return ActionApplicationsOpened, []string{"block_job_applications"}
	})
}

// SetSpontaneousApplications opens (for 90 days from now, until refreshed) or closes the
// candidatures spontanées: any member of the company (or staff) may. Opening again refreshes the
// opening date.
func (s *Service) SetSpontaneousApplications(ctx context.Context, actor actor.Actor, uid string, open bool) error {
	return s.updateCompanyFlag(ctx, actor, uid, func(c *Company, now time.Time) (string, []string) {
		if !open && c.SpontaneousApplicationsOpenSince == nil {
			return "", nil
		}
		if open {
			c.SpontaneousApplicationsOpenSince = &now
			return ActionSpontaneousOpened, []string{"spontaneous_applications_open_since"}
		}
		c.SpontaneousApplicationsOpenSince = nil
		return ActionSpontaneousClosed, []string{"spontaneous_applications_open_since"}
	})
}

func (s *Service) updateCompanyFlag(ctx context.Context, actor actor.Actor, uid string, change func(*Company, time.Time) (string, []string)) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		a, err := s.accessTo(ctx, tx, actor, uid, true)
		if err != nil {
			return err
		}
		if a.ref.Type != TypeCompany {
			return ErrForbidden
		}
		c, err := companyBy(ctx, tx, "co.id = ?", a.ref.ID)
		if err != nil {
			return err
		}
		now := s.now()
		action, columns := change(c, now)
		if action == "" {
			return nil
		}
		c.UpdatedAt = now
		if err := updateCompany(ctx, tx, c, columns...); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, action, TypeCompany.object(uid), nil)
	})
}

// ConventionInput creates an SIAE convention with its financial annexes (ASP import, demo data).
type ConventionInput struct {
	Kind           CompanyKind
	SiretSignature string
	ASPID          int64
	Annexes        []AnnexInput
}

// AnnexInput is one financial annex of a convention.
type AnnexInput struct {
	Number  string
	State   AnnexState
	StartAt time.Time
	EndAt   time.Time
}

// CreateConvention stores a convention and its annexes; the convention is active when one annex
// is (actors.md §4.4), else deactivated now (its grace period starts).
func (s *Service) CreateConvention(ctx context.Context, in ConventionInput) (*Convention, error) {
	if !in.Kind.IsSIAE() {
		return nil, fmt.Errorf("org: convention of kind %s: only SIAE have conventions", in.Kind)
	}
	if p := SIRETProblem(in.SiretSignature); p != "" {
		return nil, fault.InvalidField("siret_signature", p)
	}
	now := s.now()
	annexes := make([]FinancialAnnex, len(in.Annexes))
	for i, a := range in.Annexes {
		if !ValidAnnexNumber(a.Number) || !strings.HasPrefix(a.Number, string(in.Kind)) {
			return nil, fmt.Errorf("org: annex number %q does not fit convention kind %s", a.Number, in.Kind)
		}
		annexes[i] = FinancialAnnex{Number: a.Number, State: a.State, StartAt: a.StartAt.UTC(), EndAt: a.EndAt.UTC(), CreatedAt: now, UpdatedAt: now}
	}
	conv := &Convention{Kind: in.Kind, SiretSignature: in.SiretSignature, ASPID: in.ASPID, IsActive: ConventionActive(annexes, now),
		CreatedAt: now, UpdatedAt: now}
	if !conv.IsActive {
		conv.DeactivatedAt = &now
	}
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := insertConvention(ctx, tx, conv, annexes); err != nil {
			return err
		}
		return audit.Record(ctx, tx, system, ActionConventionCreated, TypeCompany.object(fmt.Sprint(conv.ASPID)), map[string]any{"kind": string(conv.Kind), "active": conv.IsActive})
	})
	if err != nil {
		return nil, err
	}
	return conv, nil
}

// AttachConvention binds an imported (source ASP) company to its convention.
func (s *Service) AttachConvention(ctx context.Context, companyID, conventionID int64) error {
	return attachConvention(ctx, s.db, companyID, conventionID, s.now())
}

// DeactivateConvention marks a convention inactive at `at` (ASP sync, tests): its companies enter
// the 30-day grace period.
func (s *Service) DeactivateConvention(ctx context.Context, conventionID int64, at time.Time) error {
	return deactivateConvention(ctx, s.db, conventionID, at.UTC(), s.now())
}
