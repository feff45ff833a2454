package org

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/mail"
)

// Refusals of prescriber organization forms.
const (
	MsgPrescriberTaken   = "Une organisation de ce type avec ce numéro SIRET existe déjà."
	MsgSAFIRTaken        = "Une agence France Travail avec ce code SAFIR existe déjà."
	MsgSAFIRNotFT        = "Seules les agences France Travail ont un code SAFIR."
	MsgKindNotChoosable  = "Choisissez un type d'organisation dans la liste."
	MsgFranceTravailName = "Le nom d'une agence France Travail n'est pas modifiable."
	MsgRefuseOtherTaken  = "Une autre organisation de type « Autre » a déjà ce numéro SIRET : impossible de refuser l'habilitation sans la fusionner d'abord."
)

// PrescriberInput registers a prescriber organization (prescriber signup, France Travail import,
// demo data).
type PrescriberInput struct {
	SIRET string // required except for France Travail agencies
	Kind  PrescriberKind
	Name  string
	// ClaimsHabilitation: an organization of kind "Autre" that says a prefectoral order
	// habilitates it waits for staff validation instead of needing none (actors.md §10.3).
	ClaimsHabilitation bool
	IsBRSA             bool
	CodeSAFIR          string
	Contact            Contact
	Address            AddressInput
}

// CreatePrescriberOrganization registers an organization. When the actor is a professional
// (prescriber signup), only the kinds choosable at signup are accepted and the actor becomes its
// admin, in the same transaction. Staff and imports (zero actor) may create any kind, without
// member. France Travail agencies are habilitated by law (VALIDATED); others start per
// InitialAuthorizationStatus.
func (s *Service) CreatePrescriberOrganization(ctx context.Context, actor actor.Actor, in PrescriberInput) (*PrescriberOrganization, error) {
	var creatorID int64
	if !actor.IsStaff() {
		creatorID = actor.UserID
	}
	var errs fault.Fields
	siret := NormalizeSIRET(in.SIRET)
	switch {
	case siret == "" && in.Kind != FT:
		errs.Add("siret", msgRequired)
	case siret != "":
		if p := SIRETProblem(siret); p != "" {
			errs.Add("siret", p)
		}
	}
	if !in.Kind.Valid() || (creatorID != 0 && !in.Kind.ChoosableAtSignup()) {
		errs.Add("kind", MsgKindNotChoosable)
	}
	safir := clean(in.CodeSAFIR)
	switch {
	case safir != "" && in.Kind != FT:
		errs.Add("code_safir", MsgSAFIRNotFT)
	case safir != "":
		if p := SAFIRProblem(safir); p != "" {
			errs.Add("code_safir", p)
		}
	}
	name := clean(in.Name)
	checkName(&errs, "name", name)
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
	status := InitialAuthorizationStatus(in.Kind, in.ClaimsHabilitation)
	if in.Kind == FT {
		status = AuthorizationValidated
	}
	p := &PrescriberOrganization{
		UID: uuid.NewString(), SIRET: siret, Kind: in.Kind, Name: name, IsBRSA: in.IsBRSA || ForcedBRSA(in.Kind, status),
		Phone: contact.Phone, Email: contact.Email, Website: contact.Website, Description: contact.Description,
		CodeSAFIR: safir, AuthorizationStatus: status, Department: dept, Address: addr, CreatedAt: now, UpdatedAt: now,
	}
	if creatorID != 0 {
		p.CreatedByID = &creatorID
	}
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := insertPrescriber(ctx, tx, p); err != nil {
			return err
		}
		if creatorID != 0 {
			if _, err := s.addMember(ctx, tx, actor, TypePrescriber, p.ID, creatorID, true); err != nil {
				return err
			}
			// A prescriber registering an organization to habilitate: support checks it (§5.2).
			if status == AuthorizationNotSet && s.supportEmail != "" {
				if err := mail.Enqueue(ctx, tx, habilitationRequestMail(s.supportEmail, s.baseURL, p)); err != nil {
					return err
				}
			}
		}
		return audit.Record(ctx, tx, actor, ActionPrescriberCreated, TypePrescriber.object(p.UID),
			map[string]any{"kind": string(p.Kind), "siret": p.SIRET, "authorization_status": string(p.AuthorizationStatus)})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// PrescriberUpdate is what a prescriber organization's admins edit.
type PrescriberUpdate struct {
	Name    string
	Contact Contact
}

// UpdatePrescriber saves a prescriber organization's card: its admins (or staff) may. A France
// Travail agency's name is read-only (actors.md §5.2).
func (s *Service) UpdatePrescriber(ctx context.Context, actor actor.Actor, uid string, in PrescriberUpdate) error {
	var errs fault.Fields
	contact := in.Contact.normalize()
	contact.check(&errs)
	name := clean(in.Name)
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		a, err := s.accessTo(ctx, tx, actor, uid, true)
		if err != nil {
			return err
		}
		if a.ref.Type != TypePrescriber || !a.manages() {
			return ErrForbidden
		}
		if a.ref.Kind == string(FT) {
			if name != "" && name != a.ref.Name {
				errs.Add("name", MsgFranceTravailName)
			}
			name = a.ref.Name
		}
		checkName(&errs, "name", name)
		if err := errs.Err(); err != nil {
			return err
		}
		p := &PrescriberOrganization{ID: a.ref.ID, Name: name, Phone: contact.Phone, Email: contact.Email,
			Website: contact.Website, Description: contact.Description, UpdatedAt: s.now()}
		if err := updatePrescriber(ctx, tx, p, nil, "name", "phone", "email", "website", "description"); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, ActionPrescriberUpdated, TypePrescriber.object(uid), nil)
	})
}

// ValidateHabilitation makes a prescriber organization habilitated (staff only) and tells every
// active member by e-mail. Refused for kind "Autre" (ErrValidateOther).
func (s *Service) ValidateHabilitation(ctx context.Context, actor actor.Actor, uid string) error {
	return s.decideHabilitation(ctx, actor, uid, Validate)
}

// RefuseHabilitation refuses the habilitation (staff only): the organization becomes of kind
// "Autre" with status REFUSED, and every active member is told by e-mail.
func (s *Service) RefuseHabilitation(ctx context.Context, actor actor.Actor, uid string) error {
	return s.decideHabilitation(ctx, actor, uid, Refuse)
}

func (s *Service) decideHabilitation(ctx context.Context, actor actor.Actor, uid string, t HabilitationTransition) error {
	if !actor.IsStaff() {
		return ErrForbidden
	}
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		p, err := prescriberBy(ctx, tx, "po.uid = ?", uid)
		if err != nil {
			return err
		}
		status, kind, err := HabilitationAfter(p.Kind, p.AuthorizationStatus, t)
		if err != nil {
			return err
		}
		from := p.AuthorizationStatus
		now := s.now()
		p.AuthorizationStatus, p.Kind, p.AuthorizationUpdatedAt, p.AuthorizationUpdatedByID, p.UpdatedAt = status, kind, &now, actorID(actor), now
		p.IsBRSA = p.IsBRSA || ForcedBRSA(kind, status)
		if err := updatePrescriber(ctx, tx, p, fault.InvalidField("", MsgRefuseOtherTaken), "authorization_status", "kind", "is_brsa",
			"authorization_updated_at", "authorization_updated_by_id"); err != nil {
			return err
		}
		members, err := listMembers(ctx, tx, TypePrescriber, p.ID, 0, 0)
		if err != nil {
			return err
		}
		for _, m := range members {
			if m.Email == "" {
				continue
			}
			if err := mail.Enqueue(ctx, tx, habilitationMail(m.Email, m.DisplayName(), p, t == Validate)); err != nil {
				return err
			}
		}
		action := ActionHabilitationValidate
		if t == Refuse {
			action = ActionHabilitationRefuse
		}
		return audit.Record(ctx, tx, actor, action, TypePrescriber.object(uid), map[string]any{"from": string(from), "kind": string(kind), "members_notified": len(members)})
	})
}

// ChangePrescriberKind changes the kind of an organization (staff only); the habilitation status
// follows StatusAfterKindChange.
func (s *Service) ChangePrescriberKind(ctx context.Context, actor actor.Actor, uid string, kind PrescriberKind) error {
	if !actor.IsStaff() {
		return ErrForbidden
	}
	if !kind.Valid() {
		return fault.InvalidField("kind", MsgKindNotChoosable)
	}
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		p, err := prescriberBy(ctx, tx, "po.uid = ?", uid)
		if err != nil {
			return err
		}
		if p.Kind == kind {
			return nil
		}
		if p.Kind == FT {
			return fault.InvalidField("kind", "Une agence France Travail doit rester de type France Travail.")
		}
		from := p.Kind
		p.AuthorizationStatus = StatusAfterKindChange(p.Kind, kind, p.AuthorizationStatus)
		p.Kind, p.UpdatedAt = kind, s.now()
		p.IsBRSA = p.IsBRSA || ForcedBRSA(kind, p.AuthorizationStatus)
		if err := updatePrescriber(ctx, tx, p, fault.InvalidField("kind", MsgPrescriberTaken), "kind", "authorization_status", "is_brsa"); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, ActionPrescriberKind, TypePrescriber.object(uid),
			map[string]any{"from": string(from), "to": string(kind), "authorization_status": string(p.AuthorizationStatus)})
	})
}

// InstitutionInput creates an institution (staff, demo data).
type InstitutionInput struct {
	Kind       InstitutionKind
	Name       string
	Department string // departmental kinds
	Region     string // regional kinds
	Address    AddressInput
}

// CreateInstitution creates an institution tied to its territory (staff only: institutions are
// never created by their members, actors.md §6). The address is optional.
func (s *Service) CreateInstitution(ctx context.Context, actor actor.Actor, in InstitutionInput) (*Institution, error) {
	if !actor.IsStaff() {
		return nil, ErrForbidden
	}
	var errs fault.Fields
	if !in.Kind.Valid() {
		errs.Add("kind", "Choisissez un type d'institution dans la liste.")
	}
	name, dept, region := clean(in.Name), clean(in.Department), clean(in.Region)
	checkName(&errs, "name", name)
	for field, p := range TerritoryProblems(in.Kind, dept, region) {
		errs.Add(field, p)
	}
	var addr Address
	if in.Address != (AddressInput{}) {
		var err error
		if addr, _, err = s.resolveAddress(ctx, in.Address, &errs); err != nil {
			return nil, err
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	inst := &Institution{UID: uuid.NewString(), Kind: in.Kind, Name: name, Department: dept, Region: region,
		Address: addr, CreatedAt: now, UpdatedAt: now}
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := insertInstitution(ctx, tx, inst); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, ActionInstitutionCreated, TypeInstitution.object(inst.UID),
			map[string]any{"kind": string(inst.Kind), "department": dept, "region": region})
	})
	if err != nil {
		return nil, err
	}
	return inst, nil
}

// Overview is an organization's card as its members (and staff) see it.
type Overview struct {
	Ref         Ref
	Company     *Company
	Prescriber  *PrescriberOrganization
	Institution *Institution
	// ViewerIsAdmin: the viewer may manage members (staff too).
	ViewerIsAdmin bool
	// CanEdit: the viewer may edit the card (admins and staff; an institution's card is not
	// edited by its members).
	CanEdit bool
	// CanCreateAntenna: the viewer may create an antenna of this company (actors.md §4.5).
	CanCreateAntenna bool
	// ActiveMembers counts the organization's active members.
	ActiveMembers int
}

// Overview returns an organization's card for one of its active members or staff.
func (s *Service) Overview(ctx context.Context, actor actor.Actor, uid string) (*Overview, error) {
	a, err := s.accessTo(ctx, s.db, actor, uid, true)
	if err != nil {
		return nil, err
	}
	o := &Overview{Ref: a.ref, ViewerIsAdmin: a.manages()}
	switch a.ref.Type {
	case TypeCompany:
		o.Company, err = companyBy(ctx, s.db, "co.id = ?", a.ref.ID)
	case TypePrescriber:
		o.Prescriber, err = prescriberBy(ctx, s.db, "po.id = ?", a.ref.ID)
	case TypeInstitution:
		o.Institution, err = institutionBy(ctx, s.db, "ins.id = ?", a.ref.ID)
	}
	if err != nil {
		return nil, err
	}
	if o.ActiveMembers, _, err = memberCounts(ctx, s.db, a.ref.Type, a.ref.ID); err != nil {
		return nil, err
	}
	o.CanEdit = o.ViewerIsAdmin && o.Institution == nil
	o.CanCreateAntenna = o.ViewerIsAdmin && o.Company != nil && o.antennaParentProblem(s.now()) == ""
	return o, nil
}

// antennaParentProblem is why the organization cannot have antennas, or "".
func (o *Overview) antennaParentProblem(now time.Time) string {
	if o.Company == nil {
		return MsgAntennaParentKind
	}
	return AntennaParentProblem(o.Company.Kind, o.Company.ActivityAt(now))
}

// OverviewToEdit returns the card of an organization for its edit page: only those who may
// edit it (Overview.CanEdit) get it.
func (s *Service) OverviewToEdit(ctx context.Context, actor actor.Actor, uid string) (*Overview, error) {
	o, err := s.Overview(ctx, actor, uid)
	if err != nil {
		return nil, err
	}
	if !o.CanEdit {
		return nil, ErrForbidden
	}
	return o, nil
}

// AntennaParent returns the card of a company for its antenna page: its admins (or staff) only;
// a company that cannot have antennas is refused with the reason, as a conflict (actors.md §4.5).
func (s *Service) AntennaParent(ctx context.Context, actor actor.Actor, uid string) (*Overview, error) {
	o, err := s.Overview(ctx, actor, uid)
	if err != nil {
		return nil, err
	}
	if o.Company == nil || !o.ViewerIsAdmin {
		return nil, ErrForbidden
	}
	if p := o.antennaParentProblem(s.now()); p != "" {
		return nil, fault.Conflict(p)
	}
	return o, nil
}
