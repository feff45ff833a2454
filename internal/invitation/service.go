package invitation

import (
	"context"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/fault"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/mail"
)

// Audit actions written by this package (object type "invitation", object id its uid; requests:
// the organization).
const (
	ActionSent      = "invitation_sent"
	ActionAccepted  = "invitation_accepted"
	ActionCanceled  = "invitation_cancelled"
	ActionExpired   = "invitations_expired"
	ActionRequested = "invitation_requested"
)

// Paths of the invitation pages, for links in mails and pages.
func JoinPath(uid string) string   { return "/invitations/" + uid + "/join" }
func NewPath(orgUID string) string { return "/organizations/" + orgUID + "/invitations/new" }
func CancelPath(orgUID, uid string) string {
	return "/organizations/" + orgUID + "/invitations/" + uid + "/cancel"
}

// Service is what members and invitees may do with invitations.
type Service struct {
	db       *db.DB
	orgs     *org.Service
	accounts *account.Service
	baseURL  string

	// Now is the clock (tests move it past expiries).
	Now func() time.Time
}

// NewService returns the invitation service over the organization and account services it
// works with, and registers on orgs the expiry of pending invitations when a member is
// deactivated (actors.md §3). Links in mails start with cfg.BaseURL.
func NewService(d *db.DB, cfg config.Config, orgs *org.Service, accounts *account.Service) *Service {
	s := &Service{db: d, orgs: orgs, accounts: accounts, baseURL: strings.TrimSuffix(cfg.BaseURL.String(), "/"), Now: time.Now}
	orgs.AfterDeactivate = append(orgs.AfterDeactivate, s.expireOnDeactivation)
	return s
}

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// object is the invitation of uid as the object of an audit event.
func object(uid string) audit.Object { return audit.Object{Type: "invitation", ID: uid} }

// Target is an organization as the invitation form sees it.
type Target struct {
	Organization org.Ref
	Kind         Kind
	// FranceTravail: only France Travail addresses may be invited.
	FranceTravail bool
	// Pending counts the organization's pending invitations.
	Pending int
}

// Full reports whether the organization may send no more invitation (MaxPending pending).
func (t *Target) Full() bool { return t.Pending >= MaxPending }

// Target returns the organization a member may invite colleagues to: any active member of it
// (actors.md §9); a company must be fully active, not only in its grace period (§4.3).
func (s *Service) Target(ctx context.Context, actor actor.Actor, orgUID string) (*Target, error) {
	ref, err := s.memberOf(ctx, actor, orgUID)
	if err != nil {
		return nil, err
	}
	n, err := pendingCount(ctx, s.db, ref.Type, ref.ID, s.now())
	if err != nil {
		return nil, err
	}
	return &Target{Organization: ref, Kind: KindOf(ref.Type), FranceTravail: ref.Type == org.TypePrescriber && ref.Kind == string(org.FT), Pending: n}, nil
}

// memberOf resolves an organization the actor is an active member of, open to invitations.
func (s *Service) memberOf(ctx context.Context, actor actor.Actor, orgUID string) (org.Ref, error) {
	ref, err := s.orgs.ByUID(ctx, orgUID)
	if err != nil {
		return org.Ref{}, err
	}
	ok, err := s.orgs.IsActiveMember(ctx, ref.Type, ref.ID, actor.UserID)
	if err != nil {
		return org.Ref{}, err
	}
	if !ok || actor.UserID == 0 || !ref.Active {
		return org.Ref{}, org.ErrForbidden
	}
	if ref.InGracePeriod {
		return org.Ref{}, org.ErrGracePeriod
	}
	return ref, nil
}

// Invitee is one row of the invitation form.
type Invitee struct {
	Email     string
	FirstName string
	LastName  string
}

func (i Invitee) blank() bool {
	return strings.TrimSpace(i.Email) == "" && strings.TrimSpace(i.FirstName) == "" && strings.TrimSpace(i.LastName) == ""
}

// Send invites the rows of a form to an organization the actor is a member of, valid
// DefaultValidityDays days, and mails each invitee the link. Blank rows are ignored. Field errors
// name the row: email_0, first_name_0, last_name_0, email_1...; a form-level refusal (nobody to
// invite, *TooManyError) has an empty field. A pending invitation to the same address is sent
// again (new validity) rather than doubled. All or nothing: on any refusal, nothing is written.
func (s *Service) Send(ctx context.Context, actor actor.Actor, orgUID string, rows []Invitee) ([]*Invitation, error) {
	target, err := s.Target(ctx, actor, orgUID)
	if err != nil {
		return nil, err
	}
	ref := target.Organization
	var errs fault.Fields
	add := func(field string, i int, msg string) {
		errs.Add(field+"_"+strconv.Itoa(i), msg)
	}
	if len(rows) > MaxBatch {
		return nil, fault.InvalidField("", MsgTooManyRows)
	}
	seen := map[string]bool{}
	var invitees []Invitee
	for i, row := range rows {
		if row.blank() {
			continue
		}
		row = Invitee{Email: account.NormalizeEmail(row.Email), FirstName: strings.TrimSpace(row.FirstName), LastName: strings.TrimSpace(row.LastName)}
		for field, name := range map[string]string{"first_name": row.FirstName, "last_name": row.LastName} {
			switch {
			case name == "":
				add(field, i, "Ce champ est obligatoire.")
			case utf8.RuneCountInString(name) > account.MaxNameLength:
				add(field, i, "Ce champ ne doit pas dépasser 150 caractères.")
			}
		}
		if p := account.EmailProblem(row.Email); p != "" {
			add("email", i, p)
		} else if p := InviteeEmailProblem(row.Email, target.FranceTravail); p != "" {
			add("email", i, p)
		} else if seen[row.Email] {
			add("email", i, MsgDuplicate)
		} else if p, err := s.accountProblem(ctx, ref, row.Email); err != nil {
			return nil, err
		} else if p != "" {
			add("email", i, p)
		}
		seen[row.Email] = true
		invitees = append(invitees, row)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if len(invitees) == 0 {
		return nil, fault.InvalidField("", MsgNobody)
	}
	sender, err := s.accounts.ByID(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	var sent []*Invitation
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		sent = sent[:0]
		if err := s.orgs.Lock(ctx, tx, ref.Type, ref.ID); err != nil {
			return err
		}
		now := s.now()
		pending, err := pendingCount(ctx, tx, ref.Type, ref.ID, now)
		if err != nil {
			return err
		}
		added := 0
		for _, row := range invitees {
			inv, err := pendingTo(ctx, tx, ref.Type, ref.ID, row.Email, now)
			if err != nil {
				return err
			}
			resent := inv != nil
			if inv == nil {
				added++
				inv = &Invitation{UID: uuid.NewString(), Email: row.Email, CreatedAt: now}
				inv.setTarget(ref.Type, ref.ID)
			}
			inv.FirstName, inv.LastName, inv.ValidityDays, inv.SentAt = row.FirstName, row.LastName, DefaultValidityDays, now
			inv.ExpiresAt, inv.SenderID = ExpiresAt(now, inv.ValidityDays), &sender.ID
			if resent {
				_, err = tx.NewUpdate().Model(inv).Column("first_name", "last_name", "validity_days", "sent_at", "expires_at", "sender_id").WherePK().Exec(ctx)
			} else {
				_, err = tx.NewInsert().Model(inv).Exec(ctx)
			}
			if err != nil {
				return fmt.Errorf("invitation: store: %w", err)
			}
			if err := mail.Enqueue(ctx, tx, invitationMail(inv, ref, sender.DisplayName(), s.baseURL+JoinPath(inv.UID))); err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, actor, ActionSent, object(inv.UID),
				map[string]any{"organization": ref.UID, "kind": string(inv.Kind), "resent": resent}); err != nil {
				return err
			}
			sent = append(sent, inv)
		}
		if pending+added > MaxPending {
			return &TooManyError{Pending: pending}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sent, nil
}

// accountProblem returns why the existing account of an address may not be invited to ref, or "".
func (s *Service) accountProblem(ctx context.Context, ref org.Ref, email string) (string, error) {
	u, err := s.accounts.ByEmail(ctx, email)
	if errors.Is(err, account.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	member := false
	if u.Kind == account.Professional {
		if member, err = s.orgs.IsActiveMember(ctx, ref.Type, ref.ID, u.ID); err != nil {
			return "", err
		}
	}
	return InviteeAccountProblem(u.Kind, u.IsActive, member), nil
}

// PendingOf lists the pending invitations of the organization of a "Collaborateurs" page, newest
// first: whoever the org service let see the page may see them. One query.
func (s *Service) PendingOf(ctx context.Context, page *org.MembersPage) ([]Invitation, error) {
	return pendingOf(ctx, s.db, page.Organization.Type, page.Organization.ID, s.now())
}

// Cancel withdraws a pending invitation of an organization: any of its active members (or
// staff) may.
func (s *Service) Cancel(ctx context.Context, actor actor.Actor, orgUID, uid string) error {
	ref, err := s.orgs.ByUID(ctx, orgUID)
	if err != nil {
		return err
	}
	if !actor.IsStaff() {
		ok, err := s.orgs.IsActiveMember(ctx, ref.Type, ref.ID, actor.UserID)
		if err != nil {
			return err
		}
		if !ok {
			return org.ErrForbidden
		}
	}
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		inv, err := byUID(ctx, tx, uid)
		if err != nil {
			return err
		}
		if inv.Kind.OrgType() != ref.Type || inv.OrgID() != ref.ID {
			return ErrNotFound
		}
		now := s.now()
		switch inv.StatusAt(now) {
		case StatusAccepted:
			return ErrAccepted
		case StatusCanceled, StatusExpired:
			return nil // nothing left to cancel
		}
		inv.CancelledAt, inv.ExpiresAt = &now, now
		if _, err := tx.NewUpdate().Model(inv).Column("cancelled_at", "expires_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("invitation: cancel %s: %w", uid, err)
		}
		return audit.Record(ctx, tx, actor, ActionCanceled, object(uid), map[string]any{"organization": ref.UID})
	})
}

// View is an invitation as its link page shows it.
type View struct {
	Invitation   *Invitation
	Organization org.Ref
	SenderName   string
	Status       Status
	// Account is the existing account with the invitation's address, nil when none.
	Account *account.User
}

// View returns the invitation of a link (the random uid is the invitee's proof), or ErrNotFound.
func (s *Service) View(ctx context.Context, uid string) (*View, error) {
	if _, err := uuid.Parse(uid); err != nil {
		return nil, ErrNotFound
	}
	inv, err := byUID(ctx, s.db, uid)
	if err != nil {
		return nil, err
	}
	ref, err := s.orgs.RefByID(ctx, inv.Kind.OrgType(), inv.OrgID())
	if err != nil {
		return nil, err
	}
	v := &View{Invitation: inv, Organization: ref, Status: inv.StatusAt(s.now())}
	if inv.SenderID != nil {
		if sender, err := s.accounts.ByID(ctx, *inv.SenderID); err == nil {
			v.SenderName = sender.DisplayName()
		} else if !errors.Is(err, account.ErrNotFound) {
			return nil, err
		}
	}
	if v.Account, err = s.accounts.ByEmail(ctx, inv.Email); errors.Is(err, account.ErrNotFound) {
		v.Account = nil
	} else if err != nil {
		return nil, err
	}
	return v, nil
}

// Accepted is an invitation accepted, with the organization joined.
type Accepted struct {
	Invitation   *Invitation
	Organization org.Ref
}

// Accept makes the user a member of the invitation's organization: the user must be the active
// professional with the invitation's address, the invitation pending and, for an employer
// invitation, the company active. The membership is added (or reactivated), the invitation marked
// accepted and its sender told, in one transaction (actors.md §7).
func (s *Service) Accept(ctx context.Context, a actor.Actor, uid string) (*Accepted, error) {
	u, err := s.accounts.ByID(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	if _, err := uuid.Parse(uid); err != nil {
		return nil, ErrNotFound
	}
	inv, err := byUID(ctx, s.db, uid)
	if err != nil {
		return nil, err
	}
	return s.accept(ctx, u, inv, a)
}

func (s *Service) accept(ctx context.Context, u *account.User, inv *Invitation, a actor.Actor) (*Accepted, error) {
	if u.Email != inv.Email {
		return nil, ErrWrongAccount
	}
	if u.Kind != account.Professional || !u.IsActive {
		return nil, ErrNotProfessional
	}
	if err := statusError(inv.StatusAt(s.now())); err != nil {
		return nil, err
	}
	t := inv.Kind.OrgType()
	ref, err := s.orgs.RefByID(ctx, t, inv.OrgID())
	if err != nil {
		return nil, err
	}
	if !ref.Active || ref.InGracePeriod { // employer invitations need an active company (§4.3)
		return nil, ErrOrganizationInactive
	}
	var notify *mail.Message
	if inv.SenderID != nil {
		sender, err := s.accounts.ByID(ctx, *inv.SenderID)
		if err != nil && !errors.Is(err, account.ErrNotFound) {
			return nil, err
		}
		if err == nil && sender.IsActive && sender.Email != "" {
			m := acceptedMail(sender.Email, sender.DisplayName(), inv, ref, s.baseURL+org.MembersPath(ref.UID))
			notify = &m
		}
	}
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		now := s.now()
		ok, err := markAccepted(ctx, tx, inv.ID, now)
		if err != nil {
			return err
		}
		if !ok { // changed since read: say what it became
			again, err := byUID(ctx, tx, inv.UID)
			if err != nil {
				return err
			}
			if err := statusError(again.StatusAt(now)); err != nil {
				return err
			}
			return ErrAccepted
		}
		inv.AcceptedAt = &now
		if _, err := s.orgs.AddMemberTx(ctx, tx, a, t, ref.ID, u.ID, false); err != nil {
			return err
		}
		if notify != nil {
			if err := mail.Enqueue(ctx, tx, *notify); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, a, ActionAccepted, object(inv.UID), map[string]any{"organization": ref.UID, "kind": string(inv.Kind)})
	})
	if err != nil {
		return nil, err
	}
	return &Accepted{Invitation: inv, Organization: ref}, nil
}

func statusError(st Status) error {
	switch st {
	case StatusAccepted:
		return ErrAccepted
	case StatusCanceled:
		return ErrCanceled
	case StatusExpired:
		return ErrExpired
	}
	return nil
}

// AcceptPending accepts every pending invitation sent to the address of a professional who just
// logged in (actors.md §7), oldest first; those that cannot be accepted now (company no longer
// active) stay pending. It returns the invitations accepted. One query when there is none.
func (s *Service) AcceptPending(ctx context.Context, u *account.User, clientIP string) ([]Accepted, error) {
	if u.Kind != account.Professional || !u.IsActive || u.Email == "" {
		return nil, nil
	}
	list, err := pendingForEmail(ctx, s.db, u.Email, s.now())
	if err != nil {
		return nil, err
	}
	var done []Accepted
	for i := range list {
		a, err := s.accept(ctx, u, &list[i], u.Actor(clientIP))
		switch {
		case errors.Is(err, ErrOrganizationInactive), errors.Is(err, ErrAccepted), errors.Is(err, ErrExpired), errors.Is(err, ErrCanceled):
			continue
		case err != nil:
			return done, err
		}
		done = append(done, *a)
	}
	return done, nil
}

// RequestInvitation asks the contact member of an organization (an admin first) to invite the
// requester, a professional signing up: the mail holds a link to the invitation form, filled in
// (actors.md §7, §10.3, §10.5). It returns who was asked.
func (s *Service) RequestInvitation(ctx context.Context, a actor.Actor, orgUID string) (org.Member, error) {
	u, err := s.accounts.ByID(ctx, a.UserID)
	if err != nil {
		return org.Member{}, err
	}
	if u.Kind != account.Professional {
		return org.Member{}, ErrNotProfessional
	}
	ref, err := s.orgs.ByUID(ctx, orgUID)
	if err != nil {
		return org.Member{}, err
	}
	member, err := s.orgs.IsActiveMember(ctx, ref.Type, ref.ID, u.ID)
	if err != nil {
		return org.Member{}, err
	}
	if member {
		return org.Member{}, ErrAlreadyMember
	}
	contact, err := s.orgs.ContactMember(ctx, ref.Type, ref.ID)
	if errors.Is(err, org.ErrMemberNotFound) || (err == nil && contact.Email == "") {
		return org.Member{}, ErrNoContact
	}
	if err != nil {
		return org.Member{}, err
	}
	q := url.Values{"email": {u.Email}, "first_name": {u.FirstName}, "last_name": {u.LastName}}
	link := s.baseURL + NewPath(ref.UID) + "?" + q.Encode()
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := mail.Enqueue(ctx, tx, requestMail(contact.Email, contact.DisplayName(), u.DisplayName(), u.Email, ref, link)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, ActionRequested, audit.Object{Type: string(ref.Type), ID: ref.UID}, map[string]any{"contact": contact.PublicID})
	})
	if err != nil {
		return org.Member{}, err
	}
	return contact, nil
}

// expireOnDeactivation is the org.Service.AfterDeactivate hook: a deactivated member's pending
// invitations to and from the organization expire (actors.md §3).
func (s *Service) expireOnDeactivation(ctx context.Context, tx bun.IDB, t org.Type, orgID, userID int64) error {
	n, err := expirePendingOf(ctx, tx, t, orgID, userID, s.now())
	if err != nil || n == 0 {
		return err
	}
	return audit.Record(ctx, tx, actor.Actor{}, ActionExpired, object(""), map[string]any{"organization_type": string(t), "organization_id": orgID, "count": n})
}
