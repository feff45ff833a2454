package jobdesc

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/geo"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/searchtext"
	"emplois/internal/rome"
)

// Audit actions written by this package.
const (
	ActionCreated = "job_description_created"
	ActionUpdated = "job_description_updated"
	ActionOpened  = "job_description_opened"
	ActionClosed  = "job_description_closed"
)

// ListPath is the employer's page of fiches de poste ("Métiers et recrutements"), linked from mails.
const ListPath = "/company/job_description_list"

// Public paths of the cards of a fiche de poste and of a company, linked from the employer's
// pages and from the search results.
func CardPath(uid string) string        { return "/company/job_description/" + uid + "/card" }
func CompanyCardPath(uid string) string { return "/company/" + uid + "/card" }

// Service is what employers may do with their fiches de poste and spontaneous applications, what
// the daily job closes, and what the public cards show.
type Service struct {
	db      *db.DB
	orgs    *org.Service
	rome    *rome.Store
	geo     *geo.Store
	baseURL string

	// Now is the clock (tests move it across the 60- and 90-day marks).
	Now func() time.Time
}

// NewService returns the service; links in mails start with cfg.BaseURL.
func NewService(d *db.DB, cfg config.Config) *Service {
	s := &Service{db: d, orgs: org.NewService(d, cfg), rome: rome.NewStore(d), geo: geo.NewStore(d),
		baseURL: strings.TrimSuffix(cfg.BaseURL.String(), "/"), Now: time.Now}
	s.orgs.Now = func() time.Time { return s.Now() } // one clock for both (tests move it)
	return s
}

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// CompanyOf is the company the actor acts for, 0 when they act for none.
func CompanyOf(a actor.Actor) int64 {
	if o := a.Organization; o != nil && org.Type(o.Type) == org.TypeCompany {
		return o.ID
	}
	return 0
}

// object is the fiche de poste of uid as the object of an audit event.
func object(uid string) audit.Object { return audit.Object{Type: "job_description", ID: uid} }

// managedCompany loads a company the actor may manage fiches for: staff may manage any company;
// an employer only the company they act for, while they are its active member and it is active
// (or in its grace period). Kinds without fiches de poste (EA, EATT, RESERVED) are refused.
func (s *Service) managedCompany(ctx context.Context, idb bun.IDB, a actor.Actor, companyID int64) (*org.Company, error) {
	if a.UserID == 0 || (!a.IsStaff() && (CompanyOf(a) == 0 || CompanyOf(a) != companyID)) {
		return nil, ErrForbidden
	}
	co, err := companyByID(ctx, idb, companyID)
	if err != nil {
		return nil, err
	}
	if !a.IsStaff() {
		member, err := isActiveMember(ctx, idb, a.UserID, companyID)
		if err != nil {
			return nil, err
		}
		if !member || !co.ActivityAt(s.now()).Active {
			return nil, ErrForbidden
		}
	}
	if len(AllowedContractTypes(co.Kind, false)) == 0 {
		return nil, ErrCannotPublish
	}
	return co, nil
}

// managedFiche loads a fiche the actor may manage (see managedCompany) and its company.
func (s *Service) managedFiche(ctx context.Context, idb bun.IDB, a actor.Actor, uid string) (*JobDescription, *org.Company, error) {
	f, err := byUID(ctx, idb, uid)
	if err != nil {
		return nil, nil, err
	}
	co, err := s.managedCompany(ctx, idb, a, f.CompanyID)
	if err != nil {
		return nil, nil, err
	}
	return f, co, nil
}

// Overview is the employer's "Métiers et recrutements" page: the company, its fiches in the
// chosen order, and the state of its spontaneous applications.
type Overview struct {
	Company *org.Company
	Fiches  []*JobDescription
	// Reminder is set when an open fiche or open spontaneous applications were not refreshed for
	// 60 days (actors.md §4.3): the page shows the banner.
	Reminder            bool
	SpontaneousReminder bool
	Now                 time.Time
}

// Overview returns the company's fiches for its "Métiers et recrutements" page.
func (s *Service) Overview(ctx context.Context, a actor.Actor, companyID int64) (*Overview, error) {
	co, err := s.managedCompany(ctx, s.db, a, companyID)
	if err != nil {
		return nil, err
	}
	list, err := listByCompany(ctx, s.db, companyID, false)
	if err != nil {
		return nil, err
	}
	now := s.now()
	o := &Overview{Company: co, Fiches: list, Now: now,
		SpontaneousReminder: SpontaneousNeedsReminder(co.SpontaneousApplicationsOpenSince, now)}
	o.Reminder = o.SpontaneousReminder
	for _, f := range list {
		if FicheNeedsReminder(f, now) {
			o.Reminder = true
		}
	}
	return o, nil
}

// Editor is what the create and edit forms need: the company and its contract types.
type Editor struct {
	Company       *org.Company
	ContractTypes []ContractType
	Fiche         *JobDescription // nil when creating
}

// NewEditor returns the create form's context for the company.
func (s *Service) NewEditor(ctx context.Context, a actor.Actor, companyID int64) (*Editor, error) {
	co, err := s.managedCompany(ctx, s.db, a, companyID)
	if err != nil {
		return nil, err
	}
	return &Editor{Company: co, ContractTypes: AllowedContractTypes(co.Kind, false)}, nil
}

// EditEditor returns the edit form's context for the fiche.
func (s *Service) EditEditor(ctx context.Context, a actor.Actor, uid string) (*Editor, error) {
	f, co, err := s.managedFiche(ctx, s.db, a, uid)
	if err != nil {
		return nil, err
	}
	return &Editor{Company: co, ContractTypes: AllowedContractTypes(co.Kind, false), Fiche: f}, nil
}

// InputOf is the form input that shows an existing fiche.
func InputOf(f *JobDescription) Input {
	in := Input{AppellationCode: f.AppellationCode, Appellation: f.AppellationCode, CustomName: f.CustomName,
		Description: f.Description, ProfileDescription: f.ProfileDescription, ContractType: string(f.ContractType),
		OtherContractType: f.OtherContractType, LocationCode: f.LocationCode, Location: f.LocationCode,
		OpenPositions: fmt.Sprint(f.OpenPositions), IsResumeMandatory: f.IsResumeMandatory,
		IsQPVMandatory: f.IsQPVMandatory, MarketContextDescription: f.MarketContextDescription}
	if f.Appellation != nil {
		in.Appellation = f.Appellation.DisplayLabel()
	}
	if f.Location != nil {
		in.Location = f.Location.Label()
	}
	if f.HoursPerWeek != nil {
		in.HoursPerWeek = fmt.Sprint(*f.HoursPerWeek)
	}
	return in
}

// checked is an Input validated for a company, with its appellation and commune resolved.
type checked struct {
	Values
	appellation  rome.Appellation
	locationCode string
}

// check validates in for the company co: every refusal is returned at once, as fault.Fields.
func (s *Service) check(ctx context.Context, in Input, co *org.Company) (checked, error) {
	v, errs := Validate(in, co.Kind, false)
	c := checked{Values: v}
	var err error
	c.appellation, c.locationCode, err = s.resolvePosition(ctx, Position{in.Appellation, in.AppellationCode, in.Location, in.LocationCode}, &errs)
	if err != nil {
		return c, err
	}
	return c, byField(errs).Err()
}

// Position is the métier and the place of a position as a form gives them: what was typed and
// the codes the autocompletes picked.
type Position struct {
	Appellation, AppellationCode string
	Location, LocationCode       string
}

// ResolvePosition reads a position the way the fiche de poste form does (the acceptance of a
// candidature for a new métier, applications.md §3.5-3): the ROME appellation code and the
// INSEE code of the commune ("" for the company's own). Refusals are on the fields
// "appellation" and "location".
func (s *Service) ResolvePosition(ctx context.Context, p Position) (appellationCode, locationCode string, err error) {
	var errs fault.Fields
	if strings.TrimSpace(p.Appellation) == "" {
		errs.Add("appellation", "Ce champ est obligatoire.")
	}
	a, code, err := s.resolvePosition(ctx, p, &errs)
	if err != nil {
		return "", "", err
	}
	return a.Code, code, byField(errs).Err()
}

// resolvePosition resolves the appellation (unless errs already refuses it) and the commune of
// p, adding the refusals to errs.
func (s *Service) resolvePosition(ctx context.Context, p Position, errs *fault.Fields) (rome.Appellation, string, error) {
	var a rome.Appellation
	if !errs.Has("appellation") {
		var err error
		a, err = s.resolveAppellation(ctx, p.Appellation, p.AppellationCode)
		switch {
		case errors.Is(err, rome.ErrNotFound):
			errs.Add("appellation", msgAppellationGone)
		case err != nil:
			return a, "", err
		}
	}
	code, err := s.resolveCommune(ctx, p.Location, p.LocationCode)
	switch {
	case errors.Is(err, geo.ErrNotFound):
		errs.Add("location", msgCommuneUnknown)
	case err != nil:
		return a, "", err
	}
	return a, code, nil
}

// resolveAppellation finds the appellation the employer meant. With JavaScript the autocomplete
// sends the picked code along with the label it put in the input; without it, the input holds
// what was typed: an appellation code, or a label typed exactly ("Agent / Agente de propreté de
// locaux", with or without its ROME code in brackets, accents and case aside).
func (s *Service) resolveAppellation(ctx context.Context, text, pickedCode string) (rome.Appellation, error) {
	text = strings.TrimSpace(text)
	if pickedCode = strings.TrimSpace(pickedCode); pickedCode != "" {
		a, err := s.rome.Appellation(ctx, pickedCode)
		if err == nil && (sameText(text, a.Label) || sameText(text, a.DisplayLabel()) || text == a.Code) {
			return a, nil
		}
		if err != nil && !errors.Is(err, rome.ErrNotFound) {
			return a, err
		}
	}
	if isDigits(text) {
		return s.rome.Appellation(ctx, text)
	}
	found, err := s.rome.SearchAppellations(ctx, text)
	if errors.Is(err, searchtext.ErrTooLong) {
		return rome.Appellation{}, rome.ErrNotFound
	}
	if err != nil {
		return rome.Appellation{}, err
	}
	for _, a := range found {
		if sameText(text, a.Label) || sameText(text, a.DisplayLabel()) {
			return s.rome.Appellation(ctx, a.Code)
		}
	}
	return rome.Appellation{}, rome.ErrNotFound
}

// resolveCommune finds the commune of the position; "" (no commune: the company's own) when the
// input is empty. Without JavaScript the input may hold an INSEE code,
// the label the autocomplete shows ("Lyon (69)") or a name that only one commune bears.
func (s *Service) resolveCommune(ctx context.Context, text, pickedCode string) (string, error) {
	text, pickedCode = strings.TrimSpace(text), strings.TrimSpace(pickedCode)
	if text == "" { // emptied: the company's commune, whatever was picked before
		return "", nil
	}
	if pickedCode != "" {
		c, err := s.geo.Commune(ctx, pickedCode)
		if err == nil && (sameText(text, c.Label()) || sameText(text, c.Name) || text == c.InseeCode) {
			return c.InseeCode, nil
		}
		if err != nil && !errors.Is(err, geo.ErrNotFound) {
			return "", err
		}
	}
	if geo.ValidInseeCode(strings.ToUpper(text)) {
		c, err := s.geo.Commune(ctx, strings.ToUpper(text))
		return c.InseeCode, err
	}
	found, err := s.geo.SearchCities(ctx, text)
	if errors.Is(err, searchtext.ErrTooLong) {
		return "", geo.ErrNotFound
	}
	if err != nil {
		return "", err
	}
	var byName []geo.Commune
	for _, c := range found {
		if sameText(text, c.Label()) {
			return c.InseeCode, nil
		}
		if sameText(text, c.Name) {
			byName = append(byName, c)
		}
	}
	if len(byName) == 1 {
		return byName[0].InseeCode, nil
	}
	return "", geo.ErrNotFound
}

// sameText compares what was typed with a label, accents, case and spacing aside.
func sameText(typed, label string) bool {
	return searchtext.Normalize(typed) == searchtext.Normalize(label)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Create writes a new open fiche de poste for the company, at the end of its list. Nothing is
// written when a value is refused (fault.Fields).
func (s *Service) Create(ctx context.Context, a actor.Actor, companyID int64, in Input) (*JobDescription, error) {
	co, err := s.managedCompany(ctx, s.db, a, companyID)
	if err != nil {
		return nil, err
	}
	c, err := s.check(ctx, in, co)
	if err != nil {
		return nil, err
	}
	now := s.now()
	f := &JobDescription{UID: uuid.NewString(), CompanyID: co.ID, IsActive: true, CreatedAt: now,
		CreationSource: Manually}
	c.apply(f, now)
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if f.UIRank, err = nextRank(ctx, tx, co.ID); err != nil {
			return err
		}
		if err := insertFiche(ctx, tx, f); err != nil {
			return err
		}
		if err := recordStatus(ctx, tx, s.statusChange(f, a, ReasonCreated, now)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, ActionCreated, object(f.UID), map[string]any{"company": co.UID})
	})
	if err != nil {
		return nil, err
	}
	return byUID(ctx, s.db, f.UID)
}

// apply copies the checked values onto f: saving counts as an employer refresh.
func (c checked) apply(f *JobDescription, now time.Time) {
	f.AppellationCode = c.appellation.Code
	f.CustomName, f.Description, f.ProfileDescription = c.CustomName, c.Description, c.ProfileDescription
	f.ContractType, f.OtherContractType = c.ContractType, c.OtherContractType
	f.LocationCode, f.HoursPerWeek, f.OpenPositions = c.locationCode, c.HoursPerWeek, c.OpenPositions
	f.IsResumeMandatory, f.IsQPVMandatory = c.IsResumeMandatory, c.IsQPVMandatory
	f.MarketContextDescription = c.MarketContextDescription
	f.UpdatedAt, f.LastEmployerUpdateAt = now, now
}

func (s *Service) statusChange(f *JobDescription, a actor.Actor, reason string, now time.Time) StatusChange {
	sc := StatusChange{JobDescriptionID: f.ID, IsActive: f.IsActive, ChangedAt: now, Reason: reason}
	if a.UserID != 0 {
		sc.ChangedByUserID = &a.UserID
	}
	return sc
}

// Update saves the employer's changes to a fiche (its status is left as it is). Saving refreshes
// it (last_employer_update_at). Nothing is written when a value is refused.
func (s *Service) Update(ctx context.Context, a actor.Actor, uid string, in Input) (*JobDescription, error) {
	_, co, err := s.managedFiche(ctx, s.db, a, uid)
	if err != nil {
		return nil, err
	}
	c, err := s.check(ctx, in, co)
	if err != nil {
		return nil, err
	}
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		f, err := lockByUID(ctx, tx, uid, s.db.Engine == db.Postgres)
		if err != nil {
			return err
		}
		c.apply(f, s.now())
		if err := updateFiche(ctx, tx, f, columnsOnEdit...); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, ActionUpdated, object(f.UID), nil)
	})
	if err != nil {
		return nil, err
	}
	return byUID(ctx, s.db, uid)
}

// SetOpen opens ("recrutement ouvert") or closes a fiche. Opening refreshes it; each change of
// status is kept in its history.
func (s *Service) SetOpen(ctx context.Context, a actor.Actor, uid string, open bool) (*JobDescription, error) {
	if _, _, err := s.managedFiche(ctx, s.db, a, uid); err != nil {
		return nil, err
	}
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		f, err := lockByUID(ctx, tx, uid, s.db.Engine == db.Postgres)
		if err != nil {
			return err
		}
		now := s.now()
		changed := f.IsActive != open
		f.IsActive, f.UpdatedAt = open, now
		columns := []string{"is_active", "updated_at"}
		if open {
			f.LastEmployerUpdateAt = now
			columns = append(columns, "last_employer_update_at")
		}
		if err := updateFiche(ctx, tx, f, columns...); err != nil {
			return err
		}
		if !changed {
			return nil
		}
		if err := recordStatus(ctx, tx, s.statusChange(f, a, ReasonEmployer, now)); err != nil {
			return err
		}
		action := ActionClosed
		if open {
			action = ActionOpened
		}
		return audit.Record(ctx, tx, a, action, object(f.UID), nil)
	})
	if err != nil {
		return nil, err
	}
	return byUID(ctx, s.db, uid)
}

// Refresh is the "Actualiser" button: the employer confirms the fiche is still current, which
// restarts its 90 days.
func (s *Service) Refresh(ctx context.Context, a actor.Actor, uid string) (*JobDescription, error) {
	if _, _, err := s.managedFiche(ctx, s.db, a, uid); err != nil {
		return nil, err
	}
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		f, err := lockByUID(ctx, tx, uid, s.db.Engine == db.Postgres)
		if err != nil {
			return err
		}
		f.LastEmployerUpdateAt = s.now()
		return updateFiche(ctx, tx, f, "last_employer_update_at")
	})
	if err != nil {
		return nil, err
	}
	return byUID(ctx, s.db, uid)
}

// Move moves a fiche one place up (delta -1) or down (+1) in its company's list; at either end it
// stays where it is.
func (s *Service) Move(ctx context.Context, a actor.Actor, uid string, delta int) error {
	f, co, err := s.managedFiche(ctx, s.db, a, uid)
	if err != nil {
		return err
	}
	if delta != -1 && delta != 1 {
		return fmt.Errorf("jobdesc: move by %d", delta)
	}
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		list, err := listByCompany(ctx, tx, co.ID, false)
		if err != nil {
			return err
		}
		i := indexOf(list, f.UID)
		if i < 0 {
			return ErrNotFound
		}
		j := i + delta
		if j < 0 || j >= len(list) {
			return nil
		}
		list[i], list[j] = list[j], list[i]
		return setRanks(ctx, tx, list, s.now())
	})
}

// SetOrder puts the company's fiches in the order of uids, which must name each of them once.
func (s *Service) SetOrder(ctx context.Context, a actor.Actor, companyID int64, uids []string) error {
	co, err := s.managedCompany(ctx, s.db, a, companyID)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		list, err := listByCompany(ctx, tx, co.ID, false)
		if err != nil {
			return err
		}
		if len(uids) != len(list) {
			return ErrNotFound
		}
		ordered := make([]*JobDescription, 0, len(list))
		for _, uid := range uids {
			i := indexOf(list, uid)
			if i < 0 {
				return ErrNotFound
			}
			ordered = append(ordered, list[i])
			list[i] = &JobDescription{} // each uid once
		}
		return setRanks(ctx, tx, ordered, s.now())
	})
}

func indexOf(list []*JobDescription, uid string) int {
	for i, f := range list {
		if f.UID == uid {
			return i
		}
	}
	return -1
}

// SetSpontaneous opens or closes the company's spontaneous applications ("candidatures
// spontanées"). Opening, or opening again ("Actualiser"), restarts their 90 days. The write is
// package org's (the flag is the company's); this package adds the check that the employer acts
// for that company.
func (s *Service) SetSpontaneous(ctx context.Context, a actor.Actor, companyID int64, open bool) error {
	co, err := s.managedCompany(ctx, s.db, a, companyID)
	if err != nil {
		return err
	}
	err = s.orgs.SetSpontaneousApplications(ctx, a, co.UID, open)
	if errors.Is(err, org.ErrForbidden) {
		return ErrForbidden
	}
	return err
}
