package employeerecord

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/asp"
	"emplois/internal/jobseeker"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/wizard"
)

// The wizard of a fiche salarié (§2.15): 1 « État civil » (with the NTT), 2 « Domiciliation »
// (the address in the ASP's HEXA fields), 3 « Situation » (where the fiche is created), 4
// « Annexe financière », 5 « Validation » (ready). Steps 1–3 complete the employee's profile;
// each step re-checks who asks and that the fiche may still change. The journey lives in a
// wizard row of the admin's, by a random key.

const (
	wizardKind = "employee_record"
	wizardTTL  = 24 * time.Hour
)

// Draft is what the journey carries between steps: the hire, the NTT typed at step 1 (kept
// until the fiche exists) and the fiche once created.
type Draft struct {
	Application string `json:"application"`
	NTT         string `json:"ntt,omitempty"`
	Record      string `json:"record,omitempty"`
}

// Wizard is a fiche being completed, with what its pages show.
type Wizard struct {
	Key        string
	Draft      Draft
	Kind       org.CompanyKind
	Title      string
	First      string
	Last       string
	Profile    *jobseeker.Profile
	Number     string // the PASS IAE
	HiringDate *time.Time
	Record     *Record // nil before step 3
	// Suggested is the HEXA address read from the employee's postal address when the profile
	// has none (the employer checks or types it, §2.15).
	Suggested Address
	// Annexes are the financial annexes the fiche may name (step 4).
	Annexes []org.FinancialAnnex
}

// NeedsNTT reports whether step 1 asks the NTT.
func (w *Wizard) NeedsNTT() bool { return NeedsNTT(w.Profile.NIRValue()) }

// Address is the profile's HEXA address.
func (w *Wizard) Address() Address { return AddressOf(w.Profile) }

// StartWizard opens the journey of a hire of the admin's company: a new fiche for a candidate
// hire, or its fiche when it has one the wizard may change (§2.15). It returns the key.
func (s *Service) StartWizard(ctx context.Context, a actor.Actor, applicationPublicID string) (string, error) {
	st, err := s.employer(ctx, s.db, a)
	if err != nil {
		return "", err
	}
	h, err := hiringByPublicID(ctx, s.db, applicationPublicID, st.ID)
	if err != nil {
		return "", err
	}
	if h.State != "accepted" || h.ApprovalNumber == nil || !h.CreateEmployeeRecord {
		return "", ErrNotHired
	}
	d := Draft{Application: h.PublicID}
	existing := new(Record)
	err = s.db.NewSelect().Model(existing).Where("er.job_application_id = ?", h.ID).Scan(ctx)
	switch {
	case err == nil:
		if !WizardOpen(existing.Status) {
			return "", ErrWrongStatus(TReady, existing.Status)
		}
		d.Record, d.NTT = existing.PublicID, deref(existing.NTT)
	case !errors.Is(err, sql.ErrNoRows):
		return "", err
	default:
		dup, err := duplicateExists(ctx, s.db, st.measure(), *st.ASPSIRET, *h.ApprovalNumber, 0)
		if err != nil {
			return "", err
		}
		if dup {
			return "", ErrDuplicate
		}
	}
	return wizard.Start(ctx, s.db, a.UserID, wizardKind, d, s.now(), wizardTTL)
}

// WizardOf reads the admin's journey of this key with what its pages need; another user's or
// an expired key is not found, and so is a fiche that may no longer change.
func (s *Service) WizardOf(ctx context.Context, a actor.Actor, key string) (*Wizard, error) {
	return s.wizardOf(ctx, s.db, a, key)
}

func (s *Service) wizardOf(ctx context.Context, idb bun.IDB, a actor.Actor, key string) (*Wizard, error) {
	st, err := s.employer(ctx, idb, a)
	if err != nil {
		return nil, err
	}
	w := &Wizard{Key: key, Kind: st.Kind}
	if err := wizard.Load(ctx, idb, a.UserID, wizardKind, key, s.now(), &w.Draft); errors.Is(err, wizard.ErrNotFound) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, err
	}
	h, err := hiringByPublicID(ctx, idb, w.Draft.Application, st.ID)
	if err != nil {
		return nil, err
	}
	if h.State != "accepted" || h.ApprovalNumber == nil {
		return nil, ErrNotHired
	}
	w.First, w.Last, w.Number, w.HiringDate = h.FirstName, h.LastName, *h.ApprovalNumber, h.HiringStartAt
	w.Profile = new(jobseeker.Profile)
	if err := idb.NewSelect().Model(w.Profile).Where("p.user_id = ?", h.JobSeekerID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("employeerecord: profile of %d: %w", h.JobSeekerID, err)
	}
	var postal struct {
		Title    string  `bun:"title"`
		Line1    string  `bun:"address_line_1"`
		PostCode string  `bun:"post_code"`
		INSEE    *string `bun:"insee_code"`
	}
	if err := idb.NewSelect().Table("users").Column("title", "address_line_1", "post_code", "insee_code").
		Where("id = ?", h.JobSeekerID).Scan(ctx, &postal); err != nil {
		return nil, fmt.Errorf("employeerecord: employee %d: %w", h.JobSeekerID, err)
	}
	w.Title = postal.Title
	w.Suggested = SuggestAddress(postal.Line1, postal.PostCode, deref(postal.INSEE))
	if w.Draft.Record != "" {
		if w.Record, err = s.recordOf(ctx, idb, w.Draft.Record, st.ID, false); err != nil {
			return nil, err
		}
		if !WizardOpen(w.Record.Status) {
			return nil, ErrWrongStatus(TReady, w.Record.Status)
		}
	}
	if w.Annexes, err = activeAnnexes(ctx, idb, *st.ConventionID, s.today()); err != nil {
		return nil, err
	}
	return w, nil
}

// activeAnnexes are the convention's annexes in force (org.AnnexActive), newest first.
func activeAnnexes(ctx context.Context, idb bun.IDB, conventionID int64, today time.Time) ([]org.FinancialAnnex, error) {
	var all []org.FinancialAnnex
	err := idb.NewSelect().Model(&all).Where("convention_id = ?", conventionID).OrderExpr("start_at DESC, number").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("employeerecord: annexes of %d: %w", conventionID, err)
	}
	var list []org.FinancialAnnex
	for _, an := range all {
		if org.AnnexActive(an.State, an.EndAt, today) {
			list = append(list, an)
		}
	}
	return list, nil
}

var laneNumberAndRest = regexp.MustCompile(`^\s*([0-9]{1,5})\s*([A-Za-z]{1,3}\b)?[\s,]*(.*)$`)

// SuggestAddress reads a postal address line into HEXA fields (§2.15 step 2): the number, its
// extension (bis, ter…), the lane type from its aliases and the rest as the lane name. What it
// cannot read is left empty for the employer to type.
func SuggestAddress(line, postCode, communeCode string) Address {
	a := Address{PostCode: postCode, CommuneCode: communeCode}
	m := laneNumberAndRest.FindStringSubmatch(line)
	rest := strings.TrimSpace(line)
	if m != nil {
		a.LaneNumber, rest = m[1], strings.TrimSpace(m[3])
		if m[2] != "" {
			if ext, ok := asp.LaneExtensionOf(m[2]); ok {
				a.StdExtension = string(ext)
			} else {
				rest = strings.TrimSpace(m[2] + " " + rest)
			}
		}
	}
	if word, name, ok := strings.Cut(rest, " "); ok {
		if t, found := asp.LaneTypeOf(word); found {
			a.LaneType, rest = string(t), name
		}
	}
	a.LaneName = strings.ToUpper(strings.TrimSpace(rest))
	return a
}

// CivilInput is step 1.
type CivilInput struct {
	Title        string
	BirthCountry string // INSEE code 99xxx
	BirthPlace   string // INSEE commune code, when born in France
	NTT          string
}

// franceINSEE is France's country code in the profile.
const franceINSEE = "99100"

// SaveCivil checks and saves step 1 (§2.15): the civilité, the birth country and, for a birth
// in France, the ASP commune of birth on the birth date; the NTT when the NIR does not serve.
func (s *Service) SaveCivil(ctx context.Context, a actor.Actor, key string, in CivilInput) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		w, err := s.wizardOf(ctx, tx, a, key)
		if err != nil {
			return err
		}
		var errs fault.Fields
		if in.Title != "M" && in.Title != "MME" {
			errs.Add("title", "Choisissez la civilité du salarié.")
		}
		if _, err := s.ref.CountryByCode(ctx, in.BirthCountry); in.BirthCountry == "" || errors.Is(err, asp.ErrNotFound) {
			errs.Add("birth_country", "Choisissez le pays de naissance dans la liste.")
		} else if err != nil {
			return err
		}
		switch {
		case in.BirthCountry == franceINSEE && in.BirthPlace == "":
			errs.Add("birth_place", "Indiquez la commune de naissance : le salarié est né en France.")
		case in.BirthCountry == franceINSEE:
			at := s.today()
			if w.Profile.Birthdate != nil {
				at = *w.Profile.Birthdate
			}
			if _, err := s.ref.CommuneAt(ctx, in.BirthPlace, at); errors.Is(err, asp.ErrNotFound) {
				errs.Add("birth_place", "Cette commune n'existait pas à la date de naissance du salarié dans le référentiel de l'ASP.")
			} else if err != nil {
				return err
			}
		default:
			in.BirthPlace = ""
		}
		in.NTT = strings.ToUpper(strings.TrimSpace(in.NTT))
		if !w.NeedsNTT() {
			in.NTT = ""
		}
		if p := NTTFieldProblem(w.Profile.NIRValue(), in.NTT); p != "" {
			errs.Add("ntt", p)
		}
		if err := errs.Err(); err != nil {
			return err
		}
		var place *string
		if in.BirthPlace != "" {
			place = &in.BirthPlace
		}
		if _, err := tx.NewUpdate().Table("users").Set("title = ?", in.Title).Where("id = ?", w.Profile.UserID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Table("job_seeker_profile").Set("birth_country_code = ?, birth_place_code = ?, updated_at = ?",
			in.BirthCountry, place, s.now()).Where("user_id = ?", w.Profile.UserID).Exec(ctx); err != nil {
			return err
		}
		w.Draft.NTT = in.NTT
		if w.Record != nil {
			var ntt *string
			if in.NTT != "" {
				ntt = &in.NTT
			}
			if _, err := tx.NewUpdate().Model(w.Record).Set("ntt = ?, updated_at = ?", ntt, s.now()).WherePK().Exec(ctx); err != nil {
				return err
			}
		}
		return wizard.Save(ctx, tx, a.UserID, key, w.Draft)
	})
}

// SaveAddress checks and saves step 2: the HEXA address, all of it, with a lane type and a
// commune the ASP knows.
func (s *Service) SaveAddress(ctx context.Context, a actor.Actor, key string, in Address) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		w, err := s.wizardOf(ctx, tx, a, key)
		if err != nil {
			return err
		}
		in.LaneName = strings.ToUpper(strings.TrimSpace(in.LaneName))
		var errs fault.Fields
		if in.Empty() {
			errs.Add("hexa_lane_name", "Indiquez l'adresse du salarié.")
		}
		for field, problem := range AddressProblems(in) {
			errs.Add(field, problem)
		}
		if in.LaneType != "" && asp.LaneType(in.LaneType).Label() == "" {
			errs.Add("hexa_lane_type", "Choisissez le type de voie dans la liste.")
		}
		if in.StdExtension != "" && asp.LaneExtension(in.StdExtension).Label() == "" {
			errs.Add("hexa_std_extension", "Choisissez l'extension dans la liste.")
		}
		if len(in.AdditionalAddress) > 32 {
			errs.Add("hexa_additional_address", "Le complément d'adresse fait 32 caractères au plus.")
		}
		if in.CommuneCode != "" {
			if _, err := s.ref.CommuneAt(ctx, in.CommuneCode, s.today()); errors.Is(err, asp.ErrNotFound) {
				errs.Add("hexa_commune", "Cette commune n'est pas dans le référentiel de l'ASP : indiquez son code INSEE.")
			} else if err != nil {
				return err
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}
		_, err = tx.NewUpdate().Table("job_seeker_profile").
			Set("hexa_lane_number = ?, hexa_std_extension = ?, hexa_lane_type = ?, hexa_lane_name = ?", in.LaneNumber, in.StdExtension, in.LaneType, in.LaneName).
			Set("hexa_additional_address = ?, hexa_post_code = ?, hexa_commune_code = ?, updated_at = ?", in.AdditionalAddress, in.PostCode, in.CommuneCode, s.now()).
			Where("user_id = ?", w.Profile.UserID).Exec(ctx)
		return err
	})
}

// EITIInput is the situation only an EITI declares.
type EITIInput struct {
	CAPE, CESA    bool
	Actor         string
	Income        string // euros, "1234,56"
	Contributions string // 01–06
}

var (
	actorName = regexp.MustCompile(`^[\p{L} -]{0,100}$`)
	amount    = regexp.MustCompile(`^([0-9]{1,5})(?:[.,]([0-9]{1,2}))?$`)
)

// cents reads an amount in euros with at most 2 decimals.
func cents(s string) (int64, bool) {
	m := amount.FindStringSubmatch(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	if m == nil {
		return 0, false
	}
	e, _ := strconv.ParseInt(m[1], 10, 64)
	c := int64(0)
	if m[2] != "" {
		c, _ = strconv.ParseInt((m[2] + "0")[:2], 10, 64)
	}
	return e*100 + c, true
}

// SaveSituation checks and saves step 3 — the employee's situation as the profile holds it,
// the education level required, the EITI part for an EITI — and creates the fiche when it does
// not exist yet (§2.15: step 3 creates it).
func (s *Service) SaveSituation(ctx context.Context, a actor.Actor, key string, in jobseeker.SituationInput, eiti EITIInput) error {
	var draft *Draft // the journey, when its fiche is to be created
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		w, err := s.wizardOf(ctx, tx, a, key)
		if err != nil {
			return err
		}
		checked, errs := jobseeker.CheckSituation(in)
		if in.EducationLevel == "" {
			errs.Add("education_level", "Indiquez le niveau de formation du salarié.")
		}
		var income *int64
		if w.Kind == org.EITI {
			if !actorName.MatchString(eiti.Actor) {
				errs.Add("actor_met_for_business_creation", "100 lettres, espaces ou tirets au plus.")
			}
			if strings.TrimSpace(eiti.Income) != "" {
				c, ok := cents(eiti.Income)
				if !ok {
					errs.Add("mean_monthly_income_before_process", "Indiquez un montant en euros, par exemple 1500,00.")
				}
				income = &c
			}
			if eiti.Contributions != "" && asp.EITIContributions(eiti.Contributions).Label() == "" {
				errs.Add("eiti_contributions", "Choisissez la catégorie de cotisations dans la liste.")
			}
		} else {
			eiti = EITIInput{}
		}
		if err := errs.Err(); err != nil {
			return err
		}
		p := w.Profile
		p.PoleEmploiID, p.LackOfPoleEmploiIDReason, p.EducationLevel = checked.PoleEmploiID, checked.LackOfPoleEmploiIDReason, checked.EducationLevel
		p.PoleEmploiSince, p.UnemployedSince, p.HasRSAAllocation = checked.PoleEmploiSince, checked.UnemployedSince, checked.HasRSAAllocation
		p.RSAAllocationSince, p.ASSAllocationSince, p.AAHAllocationSince = checked.RSAAllocationSince, checked.ASSAllocationSince, checked.AAHAllocationSince
		p.AREAllocationSince, p.ActivityBonusSince, p.Resourceless = checked.AREAllocationSince, checked.ActivityBonusSince, checked.Resourceless
		p.RQTHEmployee, p.OETHEmployee, p.ASEExit, p.IsolatedParent = checked.RQTHEmployee, checked.OETHEmployee, checked.ASEExit, checked.IsolatedParent
		p.HousingIssue, p.Refugee, p.DetentionExitOrPPSMJ = checked.HousingIssue, checked.Refugee, checked.DetentionExitOrPPSMJ
		p.LowLevelInFrench, p.MobilityIssue = checked.LowLevelInFrench, checked.MobilityIssue
		p.CAPEFreelance, p.CESAFreelance, p.ActorMetForBusinessCreation = eiti.CAPE, eiti.CESA, strings.TrimSpace(eiti.Actor)
		p.MeanMonthlyIncomeCents, p.EITIContributions, p.UpdatedAt = income, eiti.Contributions, s.now()
		if _, err := tx.NewUpdate().Model(p).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("employeerecord: situation of %d: %w", p.UserID, err)
		}
		if w.Record == nil {
			draft = &w.Draft
		}
		return nil
	})
	if err != nil || draft == nil {
		return err
	}
	r, err := s.Create(ctx, a, draft.Application, draft.NTT)
	if err != nil {
		return err
	}
	draft.Record = r.PublicID
	return wizard.Save(ctx, s.db, a.UserID, key, draft)
}

// ErrNoAnnex: step 4 names one of the convention's annexes in force.
var ErrNoAnnex = fault.InvalidField("financial_annex", "Choisissez une annexe financière en cours de votre structure.")

// SaveAnnex saves step 4: the financial annex the fiche names, among those in force.
func (s *Service) SaveAnnex(ctx context.Context, a actor.Actor, key string, annexID int64) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		w, err := s.wizardOf(ctx, tx, a, key)
		if err != nil {
			return err
		}
		if w.Record == nil {
			return ErrWrongStatus(TReady, StatusNew)
		}
		for _, an := range w.Annexes {
			if an.ID == annexID {
				_, err := tx.NewUpdate().Model(w.Record).Set("financial_annex_id = ?, updated_at = ?", annexID, s.now()).WherePK().Exec(ctx)
				return err
			}
		}
		return ErrNoAnnex
	})
}

// FinishWizard is step 5: the fiche is completed for the next file to the ASP (ready) and the
// journey closes.
func (s *Service) FinishWizard(ctx context.Context, a actor.Actor, key string) (*Record, error) {
	w, err := s.WizardOf(ctx, a, key)
	if err != nil {
		return nil, err
	}
	if w.Record == nil {
		return nil, ErrWrongStatus(TReady, StatusNew)
	}
	r, err := s.Ready(ctx, a, w.Record.PublicID)
	if err != nil {
		return nil, err
	}
	return r, wizard.Delete(ctx, s.db, key)
}
