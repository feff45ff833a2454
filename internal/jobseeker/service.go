package jobseeker

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/geo"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
	"emplois/internal/platform/searchtext"
	"emplois/internal/signup"
)

// Audit actions written by this package.
const (
	ActionProfileUpdated   = "job_seeker_profile_updated"
	ActionCreatedByProxy   = account.ActionCreatedByProxy
	ActionIdentitySearch   = "job_seeker_identity_search"
	ActionPersonalDataSeen = "job_seeker_viewed"
)

// Service is what users may do with job seekers.
type Service struct {
	db       *db.DB
	accounts *account.Service
	geo      *geo.Store
	key      []byte

	// Now is the clock (tests move it).
	Now func() time.Time
}

// NewService returns the job seeker service; key is the instance's secret key (package
// secretkey), from which the ASP identifiers are derived.
func NewService(d *db.DB, accounts *account.Service, key []byte) *Service {
	return &Service{db: d, accounts: accounts, geo: geo.NewStore(d), key: key, Now: time.Now}
}

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// today is the day in France.
func (s *Service) today() time.Time {
	y, m, d := s.Now().In(localtime.Paris).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// RoleOf is what the actor is to job seekers (actors.md §9). A prescriber organization is
// authorized when its habilitation is validated: read from the database, so that a habilitation
// withdrawn counts at once.
func (s *Service) RoleOf(ctx context.Context, a actor.Actor) (Role, error) {
	return roleOf(ctx, s.db, a)
}

func roleOf(ctx context.Context, idb bun.IDB, a actor.Actor) (Role, error) {
	switch a.Kind {
	case actor.JobSeeker:
		return RoleJobSeeker, nil
	case actor.Staff:
		return RoleStaff, nil
	case actor.Professional:
	default:
		return RoleNone, nil
	}
	o := a.Organization
	if o == nil {
		return RoleNone, nil
	}
	switch o.Type {
	case "company":
		return RoleEmployer, nil
	case "institution":
		return RoleInstitution, nil
	case "prescriber":
		var status string
		err := idb.NewSelect().Table("prescriber_organization").Column("authorization_status").Where("id = ?", o.ID).Scan(ctx, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return RoleNone, nil
		}
		if err != nil {
			return RoleNone, fmt.Errorf("jobseeker: role of %d: %w", a.UserID, err)
		}
		if status == "VALIDATED" {
			return RoleAuthorizedPrescriber, nil
		}
		return RoleOrienteur, nil
	}
	return RoleNone, nil
}

// orgColumn is the assignment column of the actor's organization, "" for none.
func orgColumn(a actor.Actor) (string, int64) {
	if o := a.Organization; o != nil {
		switch o.Type {
		case "prescriber":
			return "prescriber_organization_id", o.ID
		case "company":
			return "company_id", o.ID
		}
	}
	return "", 0
}

// relation is what ties the actor to the job seeker u.
func relation(ctx context.Context, idb bun.IDB, a actor.Actor, role Role, u *account.User) (Relation, error) {
	rel := Relation{Self: a.UserID != 0 && a.UserID == u.ID,
		CreatedByViewer: a.UserID != 0 && u.CreatedByID != nil && *u.CreatedByID == a.UserID}
	if role == RoleOrienteur && !rel.CreatedByViewer {
		col, id := orgColumn(a)
		var err error
		if rel.Followed, err = isFollowed(ctx, idb, u.ID, a.UserID, col, id); err != nil {
			return rel, err
		}
	}
	return rel, nil
}

// view returns the job seeker as the actor may see them, or ErrNotFound when they may not.
func (s *Service) view(ctx context.Context, idb bun.IDB, a actor.Actor, column string, value any) (*JobSeeker, Role, Relation, error) {
	role, err := roleOf(ctx, idb, a)
	if err != nil {
		return nil, role, Relation{}, err
	}
	if role == RoleNone || role == RoleInstitution {
		return nil, role, Relation{}, ErrNotFound
	}
	u, p, err := jobSeekerBy(ctx, idb, column, value)
	if err != nil {
		return nil, role, Relation{}, err
	}
	rel, err := relation(ctx, idb, a, role, u)
	if err != nil {
		return nil, role, rel, err
	}
	if !CanView(role, rel) {
		return nil, role, rel, ErrNotFound
	}
	return &JobSeeker{User: u, Profile: p, PersonalData: CanSeePersonalData(role, rel), CreatedByViewer: rel.CreatedByViewer}, role, rel, nil
}

// Get returns the job seeker with this user id as the actor may see them (actors.md §9), or
// ErrNotFound.
func (s *Service) Get(ctx context.Context, a actor.Actor, id int64) (*JobSeeker, error) {
	j, _, _, err := s.view(ctx, s.db, a, "id", id)
	return j, err
}

// ByPublicID returns the job seeker with this public id as the actor may see them, or
// ErrNotFound.
func (s *Service) ByPublicID(ctx context.Context, a actor.Actor, publicID string) (*JobSeeker, error) {
	j, _, _, err := s.view(ctx, s.db, a, "public_id", publicID)
	return j, err
}

// CanSeePersonalData reports whether the actor may see the job seeker's personal data
// (applications.md R35) — the value Get already set on the job seeker.
func (s *Service) CanSeePersonalData(ctx context.Context, a actor.Actor, j *JobSeeker) (bool, error) {
	role, err := roleOf(ctx, s.db, a)
	if err != nil {
		return false, err
	}
	rel, err := relation(ctx, s.db, a, role, j.User)
	if err != nil {
		return false, err
	}
	return CanSeePersonalData(role, rel), nil
}

// Self returns the job seeker logged in as the actor (their own profile).
func (s *Service) Self(ctx context.Context, a actor.Actor) (*JobSeeker, error) {
	if a.Kind != actor.JobSeeker {
		return nil, ErrNotFound
	}
	return s.Get(ctx, a, a.UserID)
}

// nirTakenError is the refusal of a NIR held by another account, naming it by its redacted
// e-mail (actors.md §2.2 unique_nir_if_not_empty).
func nirTakenError(holder *account.User) error {
	msg := "Ce numéro de sécurité sociale est déjà associé à un autre compte"
	if holder != nil && holder.Email != "" {
		msg += " (" + signup.ObfuscateEmail(holder.Email) + ")"
	}
	msg += ". Si c'est le vôtre, connectez-vous avec ce compte ; sinon, contactez le support."
	return fault.InvalidField("nir", msg)
}

// resolveCommune finds the commune of a form: the picked INSEE code when the text still names
// it, else a code typed, else the exact label or name. field is the form field at fault.
func (s *Service) resolveCommune(ctx context.Context, field, text, code string) (*geo.Commune, error) {
	text, code = strings.TrimSpace(text), strings.TrimSpace(code)
	if code != "" {
		c, err := s.geo.Commune(ctx, code)
		if err == nil && (text == "" || sameText(text, c.Label()) || sameText(text, c.Name) || text == c.InseeCode) {
			return &c, nil
		}
		if err != nil && !errors.Is(err, geo.ErrNotFound) {
			return nil, err
		}
	}
	if text == "" {
		return nil, fault.InvalidField(field, MsgCommuneUnknown)
	}
	if geo.ValidInseeCode(strings.ToUpper(text)) {
		if c, err := s.geo.Commune(ctx, strings.ToUpper(text)); err == nil {
			return &c, nil
		}
	}
	found, err := s.geo.SearchCities(ctx, text)
	if err != nil && !errors.Is(err, searchtext.ErrTooLong) {
		return nil, err
	}
	var byName []geo.Commune
	for _, c := range found {
		if sameText(text, c.Label()) {
			return &c, nil
		}
		if sameText(text, c.Name) {
			byName = append(byName, c)
		}
	}
	if len(byName) == 1 {
		return &byName[0], nil
	}
	return nil, fault.InvalidField(field, MsgCommuneUnknown)
}

func sameText(a, b string) bool { return searchtext.Normalize(a) == searchtext.Normalize(b) }

// checked is a profile form checked against the database.
type checked struct {
	identity  Identity
	contact   ContactInput
	commune   *geo.Commune
	situation SituationInput
}

// checkParts validates the given parts of a form (nil parts are skipped), the communes
// included, and returns every refusal at once.
func (s *Service) checkParts(ctx context.Context, identity *IdentityInput, contact *ContactInput, situation *SituationInput, requireBirth bool) (checked, error) {
	var c checked
	var parts []fault.Fields
	if identity != nil {
		var errs fault.Fields
		c.identity, errs = CheckIdentity(*identity, s.today(), requireBirth)
		if c.identity.BirthPlaceCode != nil && !errs.Has("birth_place") {
			if _, err := s.geo.Commune(ctx, *c.identity.BirthPlaceCode); errors.Is(err, geo.ErrNotFound) {
				errs.Add("birth_place", MsgCommuneUnknown)
			} else if err != nil {
				return c, err
			}
		}
		parts = append(parts, errs)
	}
	if contact != nil {
		errs := CheckContact(*contact)
		c.contact = *contact
		if !errs.Has("city") {
			commune, err := s.resolveCommune(ctx, "city", contact.City, contact.CityCode)
			if fe := fault.FieldsOf(err); fe != nil {
				errs = append(errs, fe...)
			} else if err != nil {
				return c, err
			}
			c.commune = commune
		}
		parts = append(parts, errs)
	}
	if situation != nil {
		var errs fault.Fields
		c.situation, errs = CheckSituation(*situation)
		parts = append(parts, errs)
	}
	return c, merge(parts...).Err()
}

// lockedWithValue keeps the locked fields that have a stored value, and puts that value in the
// input.
func lockedWithValue(locked []string, stored IdentityInput, in *IdentityInput) []string {
	var out []string
	for _, f := range locked {
		var from, to *string
		switch f {
		case "first_name":
			from, to = &stored.FirstName, &in.FirstName
		case "last_name":
			from, to = &stored.LastName, &in.LastName
		case "birthdate":
			from, to = &stored.Birthdate, &in.Birthdate
		case "birth_country":
			from, to = &stored.BirthCountry, &in.BirthCountry
		case "birth_place":
			from, to = &stored.BirthPlace, &in.BirthPlace
		case "title":
			if stored.Title != "" {
				in.Title = stored.Title
				out = append(out, f)
			}
			continue
		}
		if from != nil && *from != "" {
			*to = *from
			out = append(out, f)
		}
	}
	return out
}

// applyIdentity writes a checked identity into the account and profile, leaving the locked
// fields as they are.
func applyIdentity(u *account.User, p *Profile, id Identity, locked []string) {
	isLocked := func(f string) bool {
		for _, l := range locked {
			if l == f {
				return true
			}
		}
		return false
	}
	if !isLocked("title") {
		u.Title = id.Title
	}
	if !isLocked("first_name") {
		u.FirstName = id.FirstName
	}
	if !isLocked("last_name") {
		u.LastName = id.LastName
	}
	if !isLocked("birthdate") {
		p.Birthdate = id.Birthdate
	}
	if !isLocked("birth_country") && !isLocked("birth_place") {
		p.BirthCountryCode, p.BirthPlaceCode = id.BirthCountryCode, id.BirthPlaceCode
	}
	p.NIR, p.LackOfNIRReason = id.NIR, id.LackOfNIRReason
}

// applyContact writes a checked contact part into the account; the department follows the
// post code (actors.md §2.1).
func applyContact(u *account.User, c ContactInput, commune *geo.Commune) {
	u.Phone = NormalizePhone(c.Phone)
	u.AddressLine1, u.AddressLine2 = strings.TrimSpace(c.AddressLine1), strings.TrimSpace(c.AddressLine2)
	u.PostCode = strings.TrimSpace(c.PostCode)
	u.Department = DepartmentOf(u.PostCode)
	if commune != nil {
		code, lat, lon := commune.InseeCode, commune.Latitude, commune.Longitude
		u.City, u.InseeCode, u.Latitude, u.Longitude = commune.Name, &code, &lat, &lon
	}
}

var userIdentityColumns = []string{"title", "first_name", "last_name"}
var userContactColumns = []string{"phone", "address_line_1", "address_line_2", "post_code", "city", "department", "insee_code", "latitude", "longitude"}

// UpdateProfile saves the whole profile form of the job seeker publicID (actors.md §9 « Edit
// job seeker personal info »): the person themself (the fields FranceConnect gave stay as they
// are), the professionals who may see the personal data, staff. One person per NIR: a NIR held
// by another account is refused on the field, naming that account's redacted e-mail.
func (s *Service) UpdateProfile(ctx context.Context, a actor.Actor, publicID string, in ProfileInput) (*JobSeeker, error) {
	j, role, rel, err := s.view(ctx, s.db, a, "public_id", publicID)
	if err != nil {
		return nil, err
	}
	if !CanEdit(role, rel) {
		return nil, ErrForbidden
	}
	// The provider's values stand in for the locked inputs, so that they are checked (NIR
	// consistency) as they are stored; a locked field the provider left empty may be filled.
	certified, err := IdentityCertified(ctx, s.db, j.User.ID)
	if err != nil {
		return nil, err
	}
	locked := lockedWithValue(LockedFields(j.User, rel.Self, certified), IdentityOf(j.User, j.Profile), &in.Identity)
	c, err := s.checkParts(ctx, &in.Identity, &in.Contact, &in.Situation, true)
	if err != nil {
		return nil, err
	}
	if c.identity.NIR != nil {
		if holder, err := holderOfNIR(ctx, s.db, *c.identity.NIR, j.User.ID); err != nil {
			return nil, err
		} else if holder != nil {
			return nil, nirTakenError(holder)
		}
	}
	now := s.now()
	u, p := j.User, j.Profile
	applyIdentity(u, &p, c.identity, locked)
	applyContact(u, c.contact, c.commune)
	c.situation.apply(&p)
	u.LastCheckedAt = &now
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		columns := append(append(append([]string{}, userIdentityColumns...), userContactColumns...), "last_checked_at")
		if err := account.UpdateColumns(ctx, tx, u, columns...); err != nil {
			return err
		}
		if err := saveProfile(ctx, tx, &p, s.key, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, ActionProfileUpdated, u.AuditObject(), map[string]any{"by_self": rel.Self})
	})
	if err := s.explainNIRTaken(ctx, err, p.NIRValue(), u.ID); err != nil {
		return nil, err
	}
	j.Profile = p
	return j, nil
}
