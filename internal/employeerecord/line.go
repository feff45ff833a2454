package employeerecord

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"emplois/internal/asp"
	"emplois/internal/jobseeker"
	"emplois/internal/org"
	"emplois/internal/platform/searchtext"
)

// The lines of the files sent to the ASP (asp.md §5.3–5.6): a creation « C » per fiche, an
// update « M » per notification. Building a line is a pure function of what the store reads,
// with the codes already resolved against the ASP reference data.

// Movement types of a line.
const (
	MovementCreation = "C"
	MovementUpdate   = "M"
)

// LineInput is what a line is built from.
type LineInput struct {
	Record  *Record
	Kind    org.CompanyKind // the hiring company's
	Title   string          // civilité: M, MME or ""
	First   string
	Last    string
	Profile *jobseeker.Profile
	// PASSStart and PASSEnd are the PASS's current dates.
	PASSStart, PASSEnd time.Time
	// Orienteur is the ASP code of who sent the candidature (approvals.md §2.15).
	Orienteur string
	// EmployerType is the ASP code of the hiring company's kind (approvals.md §2.16).
	EmployerType string
	// BirthCountry is the ASP code of the birth country (France "100") and CountryGroup its
	// group (1 France, 2 CEE, 3 hors CEE); CommuneAsCountry is the code the ASP gives an
	// overseas birth commune it treats as a country (BORA BORA → 714), "" otherwise.
	BirthCountry, CountryGroup, CommuneAsCountry string
	// Phone, Email and AnnexNumber are the employee's contact and the fiche's financial annex:
	// only the partner API shows them (api.md §7.4).
	Phone       string
	Email       *string
	AnnexNumber *string
}

// Line is one line of a file, in the ASP's field names.
type Line struct {
	NumLigne          int
	TypeMouvement     string
	SIRET             string
	Mesure            string
	PersonnePhysique  PhysicalPerson
	Adresse           Adresse
	SituationSalarie  Situation
	CodeTraitement    *string
	LibelleTraitement *string
}

// PhysicalPerson is the « personnePhysique » block (asp.md §5.4).
type PhysicalPerson struct {
	PassIae        string          `json:"passIae"`
	IDItou         string          `json:"idItou"`
	Civilite       *string         `json:"civilite"`
	NomUsage       string          `json:"nomUsage"`
	NomNaissance   *string         `json:"nomNaissance"`
	Prenom         string          `json:"prenom"`
	DateNaissance  string          `json:"dateNaissance"`
	CodeComInsee   BirthPlaceCodes `json:"codeComInsee"`
	CodeInseePays  *string         `json:"codeInseePays"`
	CodeGroupePays string          `json:"codeGroupePays"`
	PassDateDeb    string          `json:"passDateDeb"`
	PassDateFin    string          `json:"passDateFin"`
	SalarieNIR     string          `json:"salarieNIR"`
	SufPassIae     *string         `json:"sufPassIae"`
}

// BirthPlaceCodes is the « codeComInsee » object.
type BirthPlaceCodes struct {
	CodeComInsee *string `json:"codeComInsee"`
	CodeDpt      string  `json:"codeDpt"`
}

// Adresse is the « adresse » block, from the profile's HEXA fields.
type Adresse struct {
	AdrTelephone        *string `json:"adrTelephone"`
	AdrMail             *string `json:"adrMail"`
	AdrNumeroVoie       *string `json:"adrNumeroVoie"`
	CodeExtensionVoie   *string `json:"codeextensionvoie"`
	CodeTypeVoie        string  `json:"codetypevoie"`
	AdrLibelleVoie      string  `json:"adrLibelleVoie"`
	AdrCpltDistribution *string `json:"adrCpltDistribution"`
	CodeInseeCom        string  `json:"codeinseecom"`
	CodePostalCedex     string  `json:"codepostalcedex"`
}

// Situation is the « situationSalarie » block; the EITI fields are null for the other kinds.
type Situation struct {
	Orienteur                       string  `json:"orienteur"`
	NiveauFormation                 *string `json:"niveauFormation"`
	SalarieEnEmploi                 bool    `json:"salarieEnEmploi"`
	SalarieTypeEmployeur            *string `json:"salarieTypeEmployeur"`
	SalarieSansEmploiDepuis         *string `json:"salarieSansEmploiDepuis"`
	SalarieSansRessource            bool    `json:"salarieSansRessource"`
	InscritPoleEmploi               bool    `json:"inscritPoleEmploi"`
	InscritPoleEmploiDepuis         *string `json:"inscritPoleEmploiDepuis"`
	NumeroIDE                       *string `json:"numeroIDE"`
	SalarieRQTH                     bool    `json:"salarieRQTH"`
	SalarieOETH                     bool    `json:"salarieOETH"`
	SalarieAideSociale              bool    `json:"salarieAideSociale"`
	SalarieBenefRSA                 string  `json:"salarieBenefRSA"`
	SalarieBenefRSADepuis           *string `json:"salarieBenefRSADepuis"`
	SalarieBenefASS                 bool    `json:"salarieBenefASS"`
	SalarieBenefASSDepuis           *string `json:"salarieBenefASSDepuis"`
	SalarieBenefAAH                 bool    `json:"salarieBenefAAH"`
	SalarieBenefAAHDepuis           *string `json:"salarieBenefAAHDepuis"`
	SalarieBenefATA                 bool    `json:"salarieBenefATA"`
	SalarieBenefATADepuis           *string `json:"salarieBenefATADepuis"`
	SalarieBenefARE                 *bool   `json:"salarieBenefARE"`
	SalarieBenefAREDepuis           *string `json:"salarieBenefAREDepuis"`
	SalarieBenefPrimeActivite       *bool   `json:"salarieBenefPrimeActivite"`
	SalarieBenefPrimeActiviteDepuis *string `json:"salarieBenefPrimeActiviteDepuis"`
	SalarieBenefCAPE                *bool   `json:"salarieBenefCAPE"`
	SalarieBenefCESA                *bool   `json:"salarieBenefCESA"`
	NomActeurCreationEntr           *string `json:"nomActeurCreationEntr"`
	RevenuMensuelMoyenTI            *string `json:"revenuMensuelMoyenTI"`
	CotisationsTI                   *string `json:"cotisationsTI"`
	SalarieSortantASE               bool    `json:"salarieSortantASE"`
	SalarieParentIsole              bool    `json:"salarieParentIsole"`
	SalarieHebergement              bool    `json:"salarieHebergement"`
	SalarieRefugie                  bool    `json:"salarieRefugie"`
	SalarieSortantDetention         bool    `json:"salarieSortantDetention"`
	SalarieLangueFrancaise          bool    `json:"salarieLangueFrancaise"`
	SalarieMobilite                 bool    `json:"salarieMobilite"`
}

// MarshalJSON writes the line's keys in the upstream order, which differs between the movement
// types (asp.md §5.6-1); the ASP must not rely on it, but a compared file then reads the same.
func (l Line) MarshalJSON() ([]byte, error) {
	type field struct {
		key   string
		value any
	}
	head := []field{{"numLigne", l.NumLigne}, {"typeMouvement", l.TypeMouvement}, {"siret", l.SIRET}, {"mesure", l.Mesure}}
	if l.TypeMouvement == MovementUpdate {
		head[2], head[3] = head[3], head[2]
	}
	fields := append(head, field{"personnePhysique", l.PersonnePhysique}, field{"adresse", l.Adresse},
		field{"situationSalarie", l.SituationSalarie}, field{"codeTraitement", l.CodeTraitement}, field{"libelleTraitement", l.LibelleTraitement})
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		v, err := compact(f.value)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "%q:%s", f.key, v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// compact is encoding/json without HTML escaping and without the trailing newline: the file
// carries the characters as they are.
func compact(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// File is the envelope of an uploaded file (asp.md §5.3).
type File struct {
	MsgInformatif        *string `json:"msgInformatif"`
	TelID                *string `json:"telId"`
	LignesTelechargement []Line  `json:"lignesTelechargement"`
}

// Render is the file's content: one compact line of UTF-8, no trailing newline.
func (f File) Render() ([]byte, error) { return compact(f) }

// ErrNoBirthCountry: the ASP needs a birth country on a creation line (asp.md §5.4).
var ErrNoBirthCountry = errors.New("employeerecord: no birth country")

// CreationLine is the « C » line of a fiche at position n (asp.md §5.4).
func CreationLine(in LineInput, n int) (Line, error) {
	p := in.Profile
	if in.CountryGroup == "" {
		return Line{}, ErrNoBirthCountry
	}
	if p.Birthdate == nil {
		return Line{}, errors.New("employeerecord: no birth date")
	}
	return Line{NumLigne: n, TypeMouvement: MovementCreation, SIRET: in.Record.SIRET, Mesure: in.Record.ASPMeasure,
		PersonnePhysique: physicalPerson(in), Adresse: address(AddressOf(p)), SituationSalarie: situation(in)}, nil
}

// UpdateLine is the « M » line of a notification of the fiche at position n (asp.md §5.6): the
// fiche's stored SIRET and measure, the PASS's current dates, and static values for each block
// the profile leaves incomplete, so that the ASP takes the new dates anyway.
func UpdateLine(in LineInput, n int) Line {
	p := in.Profile
	l := Line{NumLigne: n, TypeMouvement: MovementUpdate, SIRET: in.Record.SIRET, Mesure: in.Record.ASPMeasure}
	if in.CountryGroup == "" || p.Birthdate == nil || NeedsNTT(p.NIRValue()) && deref(in.Record.NTT) == "" {
		l.PersonnePhysique = staticPhysicalPerson(in)
	} else {
		l.PersonnePhysique = physicalPerson(in)
	}
	if a := AddressOf(p); a.Complete() {
		l.Adresse = address(a)
	} else {
		l.Adresse = staticAddress()
	}
	l.SituationSalarie = situation(in)
	eiti := in.Kind == org.EITI
	if p.EducationLevel == "" || p.PoleEmploiID != "" && p.PoleEmploiSince == "" ||
		eiti && (p.MeanMonthlyIncomeCents == nil || *p.MeanMonthlyIncomeCents == 0 || p.ActorMetForBusinessCreation == "") {
		s := &l.SituationSalarie
		s.NiveauFormation, s.InscritPoleEmploi, s.InscritPoleEmploiDepuis, s.NumeroIDE = ptr("00"), false, nil, nil
		if eiti {
			s.RevenuMensuelMoyenTI, s.NomActeurCreationEntr = ptr("0,0"), ptr("INCONNU")
		}
	}
	return l
}

const aspDate = "02/01/2006"

func physicalPerson(in LineInput) PhysicalPerson {
	p := in.Profile
	out := PhysicalPerson{PassIae: in.Record.ApprovalNumber, IDItou: p.ASPUID, Civilite: civilite(in.Title, p.NIRValue()),
		NomUsage: upperASCII(in.Last), Prenom: cutAtWord(upperASCII(in.First), 30),
		PassDateDeb: in.PASSStart.Format(aspDate), PassDateFin: in.PASSEnd.Format(aspDate), SalarieNIR: nirOrNTT(p.NIRValue(), in.Record.NTT),
		CodeGroupePays: in.CountryGroup}
	if p.Birthdate != nil {
		out.DateNaissance = p.Birthdate.Format(aspDate)
	}
	switch {
	case in.CommuneAsCountry != "":
		out.CodeComInsee, out.CodeInseePays = BirthPlaceCodes{CodeDpt: abroadDepartment}, ptr(in.CommuneAsCountry)
	case p.BirthPlaceCode == nil || *p.BirthPlaceCode == "":
		out.CodeComInsee = BirthPlaceCodes{CodeDpt: abroadDepartment}
		if in.BirthCountry != "" {
			out.CodeInseePays = ptr(in.BirthCountry)
		}
	default:
		code := *p.BirthPlaceCode
		out.CodeComInsee, out.CodeInseePays = BirthPlaceCodes{CodeComInsee: ptr(code), CodeDpt: asp.DepartmentCodeOf(code)}, ptr(in.BirthCountry)
	}
	return out
}

// abroadDepartment is the département code of a birth abroad (ASP error 3411).
const abroadDepartment = "099"

// staticPhysicalPerson keeps the real values but the birth place and, when there is none, the NIR
// (asp.md §5.6-4; approvals.md §2.15): a synthetic NTT from the sex digit, a fixed SIREN and
// the asp_uid.
func staticPhysicalPerson(in LineInput) PhysicalPerson {
	out := physicalPerson(in)
	out.CodeComInsee, out.CodeInseePays, out.CodeGroupePays = BirthPlaceCodes{CodeDpt: abroadDepartment}, ptr("102"), "3"
	if out.Civilite == nil {
		out.Civilite = ptr("M")
	}
	if out.SalarieNIR == "" {
		sex := "2"
		if *out.Civilite == "M" {
			sex = "1"
		}
		out.SalarieNIR = sex + "130030133" + in.Profile.ASPUID
	}
	return out
}

// civilite is the title, else the NIR's sex digit (approvals.md §7: 1 → M, 2 → MME), else null.
func civilite(title, nir string) *string {
	switch {
	case title != "":
		return ptr(title)
	case strings.HasPrefix(nir, "1"):
		return ptr("M")
	case strings.HasPrefix(nir, "2"):
		return ptr("MME")
	}
	return nil
}

// nirOrNTT is the NIR, or the fiche's NTT when there is no NIR or it is a NIA, else "".
func nirOrNTT(nir string, ntt *string) string {
	if !NeedsNTT(nir) {
		return nir
	}
	return deref(ntt)
}

func address(h Address) Adresse {
	a := Adresse{AdrNumeroVoie: nonEmpty(h.LaneNumber), CodeExtensionVoie: nonEmpty(h.StdExtension), CodeTypeVoie: h.LaneType,
		AdrLibelleVoie: strings.NewReplacer("(", "", ")", "").Replace(searchtext.ASCII(h.LaneName)),
		CodeInseeCom:   h.CommuneCode, CodePostalCedex: h.PostCode}
	if additionalAddress.MatchString(h.AdditionalAddress) {
		a.AdrCpltDistribution = nonEmpty(h.AdditionalAddress)
	}
	return a
}

// additionalAddress is what the ASP takes as « complément de distribution ».
var additionalAddress = regexp.MustCompile(`^[A-Za-z0-9@ ]{0,32}$`)

// staticAddress is the fixed address of an update line whose profile has none (asp.md §5.6-4).
func staticAddress() Adresse {
	return Adresse{AdrNumeroVoie: ptr("3"), CodeTypeVoie: "AV", AdrLibelleVoie: "DE BLIDA", CodeInseeCom: "57463", CodePostalCedex: "57000"}
}

func situation(in LineInput) Situation {
	p := in.Profile
	s := Situation{Orienteur: in.Orienteur, NiveauFormation: nonEmpty(string(p.EducationLevel)),
		SalarieEnEmploi: p.UnemployedSince == "", SalarieSansEmploiDepuis: nonEmpty(string(p.UnemployedSince)),
		SalarieSansRessource: p.Resourceless, InscritPoleEmploi: p.PoleEmploiID != "",
		InscritPoleEmploiDepuis: nonEmpty(string(p.PoleEmploiSince)), NumeroIDE: nonEmpty(p.PoleEmploiID),
		SalarieRQTH: p.RQTHEmployee, SalarieOETH: p.OETHEmployee,
		SalarieAideSociale: p.HasRSAAllocation != "NON" || p.ASSAllocationSince != "" || p.AAHAllocationSince != "",
		SalarieBenefRSA:    string(p.HasRSAAllocation), SalarieBenefRSADepuis: nonEmpty(string(p.RSAAllocationSince)),
		SalarieBenefASS: p.ASSAllocationSince != "", SalarieBenefASSDepuis: nonEmpty(string(p.ASSAllocationSince)),
		SalarieBenefAAH: p.AAHAllocationSince != "", SalarieBenefAAHDepuis: nonEmpty(string(p.AAHAllocationSince)),
		SalarieSortantASE: p.ASEExit, SalarieParentIsole: p.IsolatedParent, SalarieHebergement: p.HousingIssue,
		SalarieRefugie: p.Refugee, SalarieSortantDetention: p.DetentionExitOrPPSMJ, SalarieLangueFrancaise: p.LowLevelInFrench,
		SalarieMobilite: p.MobilityIssue}
	if s.SalarieEnEmploi {
		s.SalarieTypeEmployeur = ptr(in.EmployerType)
	}
	if in.Kind == org.EITI {
		s.SalarieOETH = false
		s.SalarieBenefARE, s.SalarieBenefAREDepuis = ptr(p.AREAllocationSince != ""), nonEmpty(string(p.AREAllocationSince))
		s.SalarieBenefPrimeActivite, s.SalarieBenefPrimeActiviteDepuis = ptr(p.ActivityBonusSince != ""), nonEmpty(string(p.ActivityBonusSince))
		s.SalarieBenefCAPE, s.SalarieBenefCESA = ptr(p.CAPEFreelance), ptr(p.CESAFreelance)
		s.NomActeurCreationEntr = ptr(cutAtWord(upperASCII(p.ActorMetForBusinessCreation), 100))
		if p.MeanMonthlyIncomeCents != nil {
			c := *p.MeanMonthlyIncomeCents
			s.RevenuMensuelMoyenTI = ptr(fmt.Sprintf("%d,%02d", c/100, c%100))
		}
		s.CotisationsTI = ptr(p.EITIContributions)
		if p.EITIContributions == "" {
			s.CotisationsTI = ptr("06")
		}
	}
	return s
}

func upperASCII(s string) string { return strings.ToUpper(searchtext.ASCII(strings.TrimSpace(s))) }

// cutAtWord keeps at most n characters of an ASCII string, cut at the last space inside them
// when there is one (asp.md §5.4, prenom).
func cutAtWord(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	if i := strings.LastIndexByte(s, ' '); i > 0 {
		s = s[:i]
	}
	return s
}

func ptr[T any](v T) *T { return &v }

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
