package jobseeker

import (
	"strings"
	"time"
	"unicode/utf8"

	"emplois/internal/account"
	"emplois/internal/platform/fault"
)

// IdentityInput is the identity part of a profile form (civilité, names, birth, NIR). Form
// field names are the keys of the refusals: title, first_name, last_name, birthdate,
// birth_country, birth_place, nir, lack_of_nir_reason.
type IdentityInput struct {
	Title     account.Title
	FirstName string
	LastName  string
	// Birthdate as typed: "2006-01-02" (date input) or "02/01/2006".
	Birthdate    string
	BirthCountry string // INSEE country code, 99100 for France
	BirthPlace   string // INSEE commune code, only for France
	NIR          string
	// LackOfNIRReason replaces the NIR when the person has none (or it is someone else's).
	LackOfNIRReason LackOfNIRReason
}

// Identity is a checked IdentityInput.
type Identity struct {
	Title            account.Title
	FirstName        string
	LastName         string
	Birthdate        *time.Time
	BirthCountryCode *string
	BirthPlaceCode   *string
	NIR              *string
	LackOfNIRReason  LackOfNIRReason
}

// CheckIdentity validates an identity on today (actors.md §2.2, §2.4); requireBirth says
// whether the birth date and country are required (every form but the « no NIR » signup). The
// birth commune's existence is checked by the service (it needs the database).
func CheckIdentity(in IdentityInput, today time.Time, requireBirth bool) (Identity, fault.Fields) {
	var errs fault.Fields
	out := Identity{Title: in.Title, FirstName: strings.TrimSpace(in.FirstName), LastName: strings.TrimSpace(in.LastName),
		LackOfNIRReason: in.LackOfNIRReason}
	switch in.Title {
	case account.Monsieur, account.Madame:
	case "":
		errs.Add("title", MsgRequired)
	default:
		errs.Add("title", account.MsgTitleInvalid)
	}
	if p := account.NameProblem(out.FirstName); p != "" {
		errs.Add("first_name", p)
	}
	if p := account.NameProblem(out.LastName); p != "" {
		errs.Add("last_name", p)
	}
	var problem string
	if out.Birthdate, problem = checkBirthdate(in.Birthdate, today, requireBirth); problem != "" {
		errs.Add("birthdate", problem)
	}
	country := strings.TrimSpace(in.BirthCountry)
	place := strings.TrimSpace(in.BirthPlace)
	switch {
	case country == "" && requireBirth:
		errs.Add("birth_country", MsgRequired)
	case country == "" && place != "":
		country = France // a commune alone says France
	}
	if country != "" {
		if CountryName(country) == "" {
			errs.Add("birth_country", MsgCountryUnknown)
		} else {
			out.BirthCountryCode = &country
		}
	}
	switch {
	case country == France && place == "":
		errs.Add("birth_place", MsgBirthPlace)
	case country != France && country != "" && place != "":
		errs.Add("birth_place", MsgBirthPlaceAbroad)
	case place != "":
		out.BirthPlaceCode = &place
	}
	if !in.LackOfNIRReason.Valid() {
		errs.Add("lack_of_nir_reason", MsgChoice)
	}
	nir := NormalizeNIR(in.NIR)
	switch {
	case nir != "":
		if p := NIRProblem(nir); p != "" {
			errs.Add("nir", p)
			break
		}
		// A known NIR wins over a reason for not having one.
		out.NIR, out.LackOfNIRReason = &nir, ""
		if field, msg := NIRConsistency(nir, in.Title, out.Birthdate); field != "" && !errs.Has(field) {
			errs.Add(field, msg)
		}
	case in.LackOfNIRReason == "":
		errs.Add("nir", MsgNIROrReason)
	}
	return out, errs
}

// ContactInput is the contact and address part of a profile form: phone, address_line_1,
// address_line_2, post_code, city (the label typed) and city_code (the INSEE code picked).
type ContactInput struct {
	Phone        string
	AddressLine1 string
	AddressLine2 string
	PostCode     string
	City         string
	CityCode     string
}

// checkBirthdate reads a birth date as typed (nil when empty) and says what is wrong with it.
func checkBirthdate(typed string, today time.Time, required bool) (*time.Time, string) {
	s := strings.TrimSpace(typed)
	if s == "" {
		if required {
			return nil, MsgRequired
		}
		return nil, ""
	}
	d, ok := ParseDate(s)
	if !ok {
		return nil, MsgDateInvalid
	}
	if p := BirthdateProblem(d, today); p != "" {
		return nil, p
	}
	return &d, ""
}

// CheckContact validates the contact part; the commune is resolved by the service.
func CheckContact(in ContactInput) fault.Fields {
	var errs fault.Fields
	if p := PhoneProblem(in.Phone); p != "" {
		errs.Add("phone", p)
	}
	for field, v := range map[string]string{"address_line_1": in.AddressLine1, "address_line_2": in.AddressLine2} {
		if utf8.RuneCountInString(strings.TrimSpace(v)) > 255 {
			errs.Add(field, MsgTooLong)
		}
	}
	if strings.TrimSpace(in.AddressLine1) == "" {
		errs.Add("address_line_1", MsgRequired)
	}
	if pc := strings.TrimSpace(in.PostCode); pc == "" {
		errs.Add("post_code", MsgRequired)
	} else if p := PostCodeProblem(pc); p != "" {
		errs.Add("post_code", p)
	}
	if strings.TrimSpace(in.City) == "" && strings.TrimSpace(in.CityCode) == "" {
		errs.Add("city", MsgRequired)
	}
	return errs
}

// SituationInput is the situation part of a profile form (actors.md §2.2): France Travail
// registration, education, allowances and the social situation.
type SituationInput struct {
	PoleEmploiID             string
	LackOfPoleEmploiIDReason LackOfFTIDReason
	EducationLevel           EducationLevel
	PoleEmploiSince          Duration
	UnemployedSince          Duration
	HasRSAAllocation         RSA
	RSAAllocationSince       Duration
	ASSAllocationSince       Duration
	AAHAllocationSince       Duration
	AREAllocationSince       Duration
	ActivityBonusSince       Duration
	Resourceless             bool
	RQTHEmployee             bool
	OETHEmployee             bool
	ASEExit                  bool
	IsolatedParent           bool
	HousingIssue             bool
	Refugee                  bool
	DetentionExitOrPPSMJ     bool
	LowLevelInFrench         bool
	MobilityIssue            bool
}

// SituationFields name the situation's values in forms (those of the service's refusals), and
// SituationFlags its yes/no facts with their labels (actors.md §2.2): the profile pages and the
// fiche salarié wizard show the same fields.
var (
	SituationFields = []string{"pole_emploi_id", "lack_of_pole_emploi_id_reason", "education_level", "pole_emploi_since", "unemployed_since",
		"has_rsa_allocation", "rsa_allocation_since", "ass_allocation_since", "aah_allocation_since", "are_allocation_since", "activity_bonus_since"}
	SituationFlags = []struct{ Name, Label string }{
		{"resourceless", "Sans ressources"},
		{"rqth_employee", "Titulaire de la RQTH (reconnaissance de la qualité de travailleur handicapé)"},
		{"oeth_employee", "Bénéficiaire de la loi handicap (OETH)"},
		{"ase_exit", "Sortant de l'ASE (aide sociale à l'enfance)"},
		{"isolated_parent", "Parent isolé"},
		{"housing_issue", "Sans hébergement ou hébergé ou ayant un parcours de rue"},
		{"refugee", "Réfugié statutaire, protégé subsidiaire ou demandeur d'asile"},
		{"detention_exit_or_ppsmj", "Sortant de détention ou personne placée sous main de justice"},
		{"low_level_in_french", "Maîtrise de la langue française insuffisante"},
		{"mobility_issue", "Problème de mobilité"},
	}
)

// flag is the yes/no fact of this name (one of SituationFlags), nil for another name.
func (in *SituationInput) flag(name string) *bool {
	return map[string]*bool{"resourceless": &in.Resourceless, "rqth_employee": &in.RQTHEmployee, "oeth_employee": &in.OETHEmployee,
		"ase_exit": &in.ASEExit, "isolated_parent": &in.IsolatedParent, "housing_issue": &in.HousingIssue, "refugee": &in.Refugee,
		"detention_exit_or_ppsmj": &in.DetentionExitOrPPSMJ, "low_level_in_french": &in.LowLevelInFrench, "mobility_issue": &in.MobilityIssue}[name]
}

// text is the value of this name (one of SituationFields) as a form holds it, nil for another.
func (in *SituationInput) text(name string) *string {
	return map[string]*string{"pole_emploi_id": &in.PoleEmploiID, "lack_of_pole_emploi_id_reason": (*string)(&in.LackOfPoleEmploiIDReason),
		"education_level": (*string)(&in.EducationLevel), "pole_emploi_since": (*string)(&in.PoleEmploiSince),
		"unemployed_since": (*string)(&in.UnemployedSince), "has_rsa_allocation": (*string)(&in.HasRSAAllocation),
		"rsa_allocation_since": (*string)(&in.RSAAllocationSince), "ass_allocation_since": (*string)(&in.ASSAllocationSince),
		"aah_allocation_since": (*string)(&in.AAHAllocationSince), "are_allocation_since": (*string)(&in.AREAllocationSince),
		"activity_bonus_since": (*string)(&in.ActivityBonusSince)}[name]
}

// Get is the value named name as a form shows it: the text, or "on" for a yes.
func (in SituationInput) Get(name string) string {
	if t := in.text(name); t != nil {
		return *t
	}
	if b := in.flag(name); b != nil && *b {
		return "on"
	}
	return ""
}

// Set sets the value named name from a form: the text, or a yes for any non-empty value.
func (in *SituationInput) Set(name, value string) {
	if t := in.text(name); t != nil {
		*t = value
	} else if b := in.flag(name); b != nil {
		*b = value != ""
	}
}

// SituationFrom reads the situation from a form's values by name.
func SituationFrom(value func(name string) string) SituationInput {
	var in SituationInput
	for _, n := range SituationFields {
		in.Set(n, value(n))
	}
	for _, fl := range SituationFlags {
		in.Set(fl.Name, value(fl.Name))
	}
	return in
}

// CheckSituation validates the situation part and returns it normalized: an identifier wins
// over a reason for not having one (actors.md §2.2), no RSA means no RSA duration.
func CheckSituation(in SituationInput) (SituationInput, fault.Fields) {
	var errs fault.Fields
	in.PoleEmploiID = NormalizeFTID(in.PoleEmploiID)
	switch {
	case in.PoleEmploiID != "":
		if p := FTIDProblem(in.PoleEmploiID); p != "" {
			errs.Add("pole_emploi_id", p)
		}
		in.LackOfPoleEmploiIDReason = ""
	case in.LackOfPoleEmploiIDReason == "":
		errs.Add("pole_emploi_id", MsgFTIDOrReason)
	case !in.LackOfPoleEmploiIDReason.Valid():
		errs.Add("lack_of_pole_emploi_id_reason", MsgChoice)
	}
	if !in.EducationLevel.Valid() {
		errs.Add("education_level", MsgChoice)
	}
	if in.HasRSAAllocation == "" {
		in.HasRSAAllocation = RSANo
	}
	if !in.HasRSAAllocation.Valid() {
		errs.Add("has_rsa_allocation", MsgChoice)
	}
	switch {
	case in.HasRSAAllocation == RSANo:
		in.RSAAllocationSince = ""
	case in.RSAAllocationSince == "":
		errs.Add("rsa_allocation_since", MsgRSASince)
	}
	for field, d := range map[string]Duration{
		"pole_emploi_since": in.PoleEmploiSince, "unemployed_since": in.UnemployedSince,
		"rsa_allocation_since": in.RSAAllocationSince, "ass_allocation_since": in.ASSAllocationSince,
		"aah_allocation_since": in.AAHAllocationSince, "are_allocation_since": in.AREAllocationSince,
		"activity_bonus_since": in.ActivityBonusSince,
	} {
		if !d.Valid() {
			errs.Add(field, MsgChoice)
		}
	}
	return in, errs
}

// apply writes a checked situation into a profile.
func (in SituationInput) apply(p *Profile) {
	p.PoleEmploiID, p.LackOfPoleEmploiIDReason = in.PoleEmploiID, in.LackOfPoleEmploiIDReason
	p.EducationLevel, p.PoleEmploiSince, p.UnemployedSince = in.EducationLevel, in.PoleEmploiSince, in.UnemployedSince
	p.HasRSAAllocation, p.RSAAllocationSince = in.HasRSAAllocation, in.RSAAllocationSince
	p.ASSAllocationSince, p.AAHAllocationSince, p.AREAllocationSince = in.ASSAllocationSince, in.AAHAllocationSince, in.AREAllocationSince
	p.ActivityBonusSince, p.Resourceless, p.RQTHEmployee, p.OETHEmployee = in.ActivityBonusSince, in.Resourceless, in.RQTHEmployee, in.OETHEmployee
	p.ASEExit, p.IsolatedParent, p.HousingIssue, p.Refugee = in.ASEExit, in.IsolatedParent, in.HousingIssue, in.Refugee
	p.DetentionExitOrPPSMJ, p.LowLevelInFrench, p.MobilityIssue = in.DetentionExitOrPPSMJ, in.LowLevelInFrench, in.MobilityIssue
}

// SituationOf is the situation part of a stored profile (to fill a form).
func SituationOf(p Profile) SituationInput {
	return SituationInput{PoleEmploiID: p.PoleEmploiID, LackOfPoleEmploiIDReason: p.LackOfPoleEmploiIDReason,
		EducationLevel: p.EducationLevel, PoleEmploiSince: p.PoleEmploiSince, UnemployedSince: p.UnemployedSince,
		HasRSAAllocation: p.HasRSAAllocation, RSAAllocationSince: p.RSAAllocationSince, ASSAllocationSince: p.ASSAllocationSince,
		AAHAllocationSince: p.AAHAllocationSince, AREAllocationSince: p.AREAllocationSince, ActivityBonusSince: p.ActivityBonusSince,
		Resourceless: p.Resourceless, RQTHEmployee: p.RQTHEmployee, OETHEmployee: p.OETHEmployee, ASEExit: p.ASEExit,
		IsolatedParent: p.IsolatedParent, HousingIssue: p.HousingIssue, Refugee: p.Refugee,
		DetentionExitOrPPSMJ: p.DetentionExitOrPPSMJ, LowLevelInFrench: p.LowLevelInFrench, MobilityIssue: p.MobilityIssue}
}

// IdentityOf is the identity part of a stored job seeker (to fill a form).
func IdentityOf(u *account.User, p Profile) IdentityInput {
	in := IdentityInput{Title: u.Title, FirstName: u.FirstName, LastName: u.LastName, NIR: p.NIRValue(), LackOfNIRReason: p.LackOfNIRReason}
	if p.Birthdate != nil {
		in.Birthdate = p.Birthdate.Format("2006-01-02")
	}
	if p.BirthCountryCode != nil {
		in.BirthCountry = *p.BirthCountryCode
	}
	if p.BirthPlaceCode != nil {
		in.BirthPlace = *p.BirthPlaceCode
	}
	return in
}

// ContactOf is the contact part of a stored job seeker (to fill a form).
func ContactOf(u *account.User) ContactInput {
	in := ContactInput{Phone: u.Phone, AddressLine1: u.AddressLine1, AddressLine2: u.AddressLine2, PostCode: u.PostCode, City: u.City}
	if u.InseeCode != nil {
		in.CityCode = *u.InseeCode
	}
	return in
}

// SSOLockedFields are the identity fields FranceConnect may provide: a job seeker cannot change
// those it did (actors.md §9 « SSO fields locked », §11).
var SSOLockedFields = []string{"title", "first_name", "last_name", "birthdate", "birth_country", "birth_place"}

// LockedFields are the identity fields a viewer may not change on this account: all of them
// once a State service certified the identity (actors.md §2.2), for everyone; otherwise those
// FranceConnect set (account.User.FieldsFrom), for the person themself.
func LockedFields(u *account.User, self, certified bool) []string {
	if certified {
		return SSOLockedFields
	}
	if !self {
		return nil
	}
	from := u.FieldsFrom(account.FranceConnect)
	var out []string
	for _, f := range SSOLockedFields {
		for _, g := range from {
			if f == g {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// ProfileInput is the whole profile form (the profile page, a professional's edit).
type ProfileInput struct {
	Identity  IdentityInput
	Contact   ContactInput
	Situation SituationInput
}

// Fields of the merged refusals of several parts.
func merge(parts ...fault.Fields) fault.Fields {
	var all fault.Fields
	for _, p := range parts {
		for _, fe := range p {
			all.Add(fe.Field, fe.Message)
		}
	}
	return all
}
