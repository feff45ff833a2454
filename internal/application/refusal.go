package application

import (
	"slices"
	"strings"

	"emplois/internal/org"
)

// RefusalReason is why an employer declined a candidature (applications.md §1.2).
type RefusalReason string

const (
	ReasonDidNotCome             RefusalReason = "did_not_come"
	ReasonDidNotComeToInterview  RefusalReason = "did_not_come_to_interview"
	ReasonHiredElsewhere         RefusalReason = "hired_elsewhere"
	ReasonTraining               RefusalReason = "training"
	ReasonNonEligible            RefusalReason = "non_eligible"
	ReasonNotMobile              RefusalReason = "not_mobile"
	ReasonNotInterested          RefusalReason = "not_interested"
	ReasonLackingSkills          RefusalReason = "lacking_skills"
	ReasonIncompatible           RefusalReason = "incompatible"
	ReasonPreventObjectives      RefusalReason = "prevent_objectives"
	ReasonNoPosition             RefusalReason = "no_position"
	ReasonDuplicate              RefusalReason = "duplicate"
	ReasonOther                  RefusalReason = "other"
	ReasonAuto                   RefusalReason = "auto"
	ReasonApprovalExpirationSoon RefusalReason = "approval_expiration_too_close"
	ReasonUnavailable            RefusalReason = "unavailable"
	ReasonEligibilityDoubt       RefusalReason = "eligibility_doubt"
	ReasonDeactivation           RefusalReason = "deactivation"
	ReasonPoorlyInformed         RefusalReason = "poorly_informed"
)

var refusalLabels = map[RefusalReason]string{
	ReasonDidNotCome:             "Candidat non joignable",
	ReasonDidNotComeToInterview:  "Candidat ne s’étant pas présenté à l’entretien",
	ReasonHiredElsewhere:         "Candidat indisponible : en emploi",
	ReasonTraining:               "Candidat indisponible : en formation",
	ReasonNonEligible:            "Candidat non éligible",
	ReasonNotMobile:              "Candidat non mobile",
	ReasonNotInterested:          "Candidat non intéressé",
	ReasonLackingSkills:          "Le candidat n’a pas les compétences requises pour le poste",
	ReasonIncompatible:           "Un des freins à l'emploi du candidat est incompatible avec le poste proposé",
	ReasonPreventObjectives:      "L'embauche du candidat empêche la réalisation des objectifs du dialogue de gestion",
	ReasonNoPosition:             "Pas de recrutement en cours",
	ReasonDuplicate:              "Candidature en doublon",
	ReasonOther:                  "Autre",
	ReasonAuto:                   "Refus automatique",
	ReasonApprovalExpirationSoon: "La date de fin du PASS IAE / agrément est trop proche",
	ReasonUnavailable:            "Candidat indisponible ou non intéressé par le poste",
	ReasonEligibilityDoubt:       "Doute sur l'éligibilité du candidat",
	ReasonDeactivation:           "La structure n'est plus conventionnée",
	ReasonPoorlyInformed:         "Candidature pas assez renseignée",
}

// offeredReasons are the reasons the refusal form offers, in its order (§1.2).
var offeredReasons = []RefusalReason{ReasonDidNotCome, ReasonDidNotComeToInterview, ReasonHiredElsewhere,
	ReasonTraining, ReasonNonEligible, ReasonNotMobile, ReasonNotInterested, ReasonLackingSkills,
	ReasonIncompatible, ReasonPreventObjectives, ReasonNoPosition, ReasonDuplicate, ReasonOther}

// Label is the French name of the reason.
func (r RefusalReason) Label() string {
	if l, ok := refusalLabels[r]; ok {
		return l
	}
	return string(r)
}

// Valid reports whether r is a known reason (offered or historical).
func (r RefusalReason) Valid() bool { _, ok := refusalLabels[r]; return ok }

// OfferedRefusalReasons are the reasons an employer of this kind may choose: never the hidden
// ones, and for a GEIQ neither prevent_objectives nor non_eligible (R25).
func OfferedRefusalReasons(kind org.CompanyKind) []RefusalReason {
	out := make([]RefusalReason, 0, len(offeredReasons))
	for _, r := range offeredReasons {
		if kind == org.GEIQ && (r == ReasonPreventObjectives || r == ReasonNonEligible) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// IsOffered reports whether an employer of this kind may choose r in the refusal form.
func (r RefusalReason) IsOffered(kind org.CompanyKind) bool {
	return slices.Contains(OfferedRefusalReasons(kind), r)
}

// autoRefusalMessage is the answer of the automatic refusal after 60 days (§3.9).
const autoRefusalMessage = "Votre candidature a été automatiquement déclinée car l'employeur ne vous a pas " +
	"apporté de réponse depuis plus de 2 mois. Nous vous invitons à postuler auprès d'autres employeurs " +
	"ou à vous rapprocher de votre accompagnateur."

var refusalMessages = map[RefusalReason]string{
	ReasonDidNotCome: "Nous avons essayé de vous joindre à plusieurs reprises sans succès. " +
		"Nous ne pouvons donc pas donner suite à votre candidature.",
	ReasonDidNotComeToInterview: "Vous ne vous êtes pas présenté(e) à l’entretien prévu. " +
		"Nous ne pouvons donc pas donner suite à votre candidature.",
	ReasonHiredElsewhere: "Vous nous avez indiqué être actuellement en emploi. " +
		"Nous ne pouvons donc pas donner suite à votre candidature.",
	ReasonTraining: "Vous nous avez indiqué suivre actuellement une formation. " +
		"Nous ne pouvons donc pas donner suite à votre candidature.",
	ReasonNonEligible: "Après étude de votre situation, vous ne remplissez pas les conditions " +
		"d'éligibilité pour être embauché(e) par {company}. Nous vous invitons à vous rapprocher " +
		"d'un prescripteur habilité.",
	ReasonNotMobile: "Le poste proposé nécessite des déplacements qui ne semblent pas compatibles avec " +
		"votre situation. Nous ne pouvons donc pas donner suite à votre candidature.",
	ReasonNotInterested: "Vous nous avez indiqué ne pas être intéressé(e) par le poste proposé. " +
		"Nous ne donnons donc pas suite à votre candidature.",
	ReasonLackingSkills: "Après étude de votre candidature, votre profil ne correspond pas aux " +
		"compétences requises pour le poste. Nous ne pouvons donc pas y donner suite.",
	ReasonIncompatible: "Après étude de votre candidature, le poste proposé ne semble pas adapté à votre " +
		"situation actuelle. Nous ne pouvons donc pas y donner suite.",
	ReasonPreventObjectives: "Nous ne sommes malheureusement pas en mesure de donner suite à votre " +
		"candidature pour le moment.",
	ReasonNoPosition: "Nous n'avons pas de recrutement en cours. " +
		"Nous ne pouvons donc pas donner suite à votre candidature.",
	ReasonDuplicate: "Vous avez déjà envoyé une candidature à notre structure, que nous étudions. " +
		"Celle-ci est donc close.",
	ReasonOther: "Nous ne pouvons malheureusement pas donner suite à votre candidature.",
	ReasonAuto:  autoRefusalMessage,
}

// DefaultRefusalMessage is the pre-written message to the job seeker for r, naming the company
// where the text needs it (non_eligible); "" for the reasons that have none.
func DefaultRefusalMessage(r RefusalReason, companyName string) string {
	return strings.ReplaceAll(refusalMessages[r], "{company}", companyName)
}

// DefaultPoolAnswer prefills the optional message of "Ajouter au vivier" (T3).
const DefaultPoolAnswer = "Votre candidature a retenu notre attention. Nous n'avons pas de poste à vous " +
	"proposer pour le moment, mais nous la gardons dans notre vivier et reviendrons vers vous si une " +
	"opportunité se présente."
