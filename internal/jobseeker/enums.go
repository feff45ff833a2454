package jobseeker

// The enumerations of the job seeker profile (actors.md §2.2, §2.3) with their French labels, in
// the order forms list them.

// Choice is one option of a select or radio group.
type Choice struct {
	Value, Label string
}

// EducationLevel is the ASP code of the highest education level.
type EducationLevel string

var educationLevels = []Choice{
	{"00", "Personne avec qualifications non-certifiantes"},
	{"01", "Jamais scolarisé"},
	{"10", "Troisième cycle ou école d'ingénieur"},
	{"20", "Formation de niveau licence"},
	{"30", "Formation de niveau BTS ou DUT"},
	{"40", "Formation de niveau BAC"},
	{"41", "Brevet de technicien ou baccalauréat professionnel"},
	{"50", "Formation de niveau BEP ou CAP"},
	{"51", "Diplôme obtenu CAP ou BEP"},
	{"60", "Formation courte d'une durée d'un an"},
	{"70", "Pas de formation au-delà de la scolarité obligatoire"},
}

// EducationLevels lists the levels.
func EducationLevels() []Choice { return educationLevels }

// Label is the French label, "" for an unknown code.
func (e EducationLevel) Label() string { return LabelOf(educationLevels, string(e)) }

// Valid reports whether e is empty or a known code.
func (e EducationLevel) Valid() bool { return e == "" || e.Label() != "" }

// CAPBEP reports whether the level ticks the eligibility criterion « Niveau d'étude 3 (CAP,
// BEP) ou infra » (approvals.md §2.3, §2.16): no certified qualification beyond a CAP or BEP.
func (e EducationLevel) CAPBEP() bool {
	switch e {
	case "00", "01", "50", "51", "70":
		return true
	}
	return false
}

// Duration is how long a situation has lasted ("depuis combien de temps").
type Duration string

var durations = []Choice{
	{"01", "Moins de 6 mois"},
	{"02", "De 6 à 11 mois"},
	{"03", "De 12 à 23 mois"},
	{"04", "24 mois et plus"},
}

// Durations lists the durations.
func Durations() []Choice { return durations }

// Label is the French label, "" for an unknown code.
func (d Duration) Label() string { return LabelOf(durations, string(d)) }

// Valid reports whether d is empty or a known code.
func (d Duration) Valid() bool { return d == "" || d.Label() != "" }

// RSA says whether the person receives the RSA, and which.
type RSA string

const (
	RSANo           RSA = "NON"
	RSAIncreased    RSA = "OUI-M"
	RSANotIncreased RSA = "OUI-NM"
)

var rsaChoices = []Choice{
	{string(RSANo), "Non bénéficiaire du RSA"},
	{string(RSAIncreased), "Bénéficiaire du RSA et majoré"},
	{string(RSANotIncreased), "Bénéficiaire du RSA et non-majoré"},
}

// RSAChoices lists the RSA answers.
func RSAChoices() []Choice { return rsaChoices }

// Label is the French label.
func (r RSA) Label() string { return LabelOf(rsaChoices, string(r)) }

// Valid reports whether r is a known answer.
func (r RSA) Valid() bool { return r.Label() != "" }

// LackOfNIRReason says why the profile has no NIR.
type LackOfNIRReason string

const (
	NoNIR                LackOfNIRReason = "NO_NIR"
	NIRAssociatedToOther LackOfNIRReason = "NIR_ASSOCIATED_TO_OTHER"
)

var lackOfNIRReasons = []Choice{
	{string(NoNIR), "Pas de numéro de sécurité sociale"},
	{string(NIRAssociatedToOther), "Le numéro de sécurité sociale est associé à quelqu'un d'autre"},
}

// LackOfNIRReasons lists the reasons.
func LackOfNIRReasons() []Choice { return lackOfNIRReasons }

// Label is the French label.
func (r LackOfNIRReason) Label() string { return LabelOf(lackOfNIRReasons, string(r)) }

// Valid reports whether r is empty or a known reason.
func (r LackOfNIRReason) Valid() bool { return r == "" || r.Label() != "" }

// LackOfFTIDReason says why the profile has no France Travail identifier.
type LackOfFTIDReason string

const (
	FTIDForgotten   LackOfFTIDReason = "FORGOTTEN"
	FTNotRegistered LackOfFTIDReason = "NOT_REGISTERED"
)

var lackOfFTIDReasons = []Choice{
	{string(FTIDForgotten), "Identifiant France Travail oublié"},
	{string(FTNotRegistered), "Non inscrit auprès de France Travail"},
}

// LackOfFTIDReasons lists the reasons.
func LackOfFTIDReasons() []Choice { return lackOfFTIDReasons }

// Label is the French label.
func (r LackOfFTIDReason) Label() string { return LabelOf(lackOfFTIDReasons, string(r)) }

// Valid reports whether r is empty or a known reason.
func (r LackOfFTIDReason) Valid() bool { return r == "" || r.Label() != "" }

// AssignmentKind is the last action that tied a professional to a job seeker (actors.md §2.3).
type AssignmentKind string

const (
	AssignCreate          AssignmentKind = "CREATE"
	AssignApply           AssignmentKind = "APPLY"
	AssignHire            AssignmentKind = "HIRE"
	AssignAccept          AssignmentKind = "ACCEPT"
	AssignIAEEligibility  AssignmentKind = "IAE_ELIGIBILITY"
	AssignGEIQEligibility AssignmentKind = "GEIQ_ELIGIBILITY"
	AssignSelf            AssignmentKind = "SELF_ASSIGN"
)

var assignmentKinds = []Choice{
	{string(AssignCreate), "création du compte candidat"},
	{string(AssignApply), "envoi de candidature"},
	{string(AssignHire), "déclaration d'embauche"},
	{string(AssignAccept), "acceptation de candidature"},
	{string(AssignIAEEligibility), "validation de l'éligibilité IAE"},
	{string(AssignGEIQEligibility), "validation de l'éligibilité GEIQ"},
	{string(AssignSelf), "se positionner comme accompagnateur"},
}

// Label is the French label.
func (k AssignmentKind) Label() string { return LabelOf(assignmentKinds, string(k)) }

// Valid reports whether k is a known kind.
func (k AssignmentKind) Valid() bool { return k.Label() != "" }

// LabelOf is the label of a value among choices, "" when none has it.
func LabelOf(choices []Choice, value string) string {
	for _, c := range choices {
		if c.Value == value {
			return c.Label
		}
	}
	return ""
}
