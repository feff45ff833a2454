package employeerecord

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"emplois/internal/jobseeker"
	"emplois/internal/org"
	"emplois/internal/platform/localtime"
)

// EligibleKind reports whether a company of this kind declares fiches salarié (§2.15); it must
// also have a convention.
func EligibleKind(k org.CompanyKind) bool {
	switch k {
	case org.AI, org.ACI, org.EI, org.EITI, org.ETTI:
		return true
	}
	return false
}

// Feature start days (§2.15): shown to users, never a condition.
var (
	StartDay     = time.Date(2021, 9, 27, 0, 0, 0, 0, time.UTC)
	EITIStartDay = time.Date(2024, 3, 25, 0, 0, 0, 0, time.UTC)
)

// StartDayOf is the day fiches salarié opened for this kind of company.
func StartDayOf(k org.CompanyKind) time.Time {
	if k == org.EITI {
		return EITIStartDay
	}
	return StartDay
}

// nttPattern is the NTT (numéro technique temporaire) of §1.10.
var nttPattern = regexp.MustCompile(`^[12][0-9]{9}[A-Za-z0-9]{1,30}$`)

// NTTProblem is the French error of a typed NTT, "" when it is well formed.
func NTTProblem(ntt string) string {
	if !nttPattern.MatchString(ntt) {
		return "Le NTT commence par 1 ou 2, suivi de 9 chiffres puis de 1 à 30 lettres ou chiffres."
	}
	return ""
}

// NTTFieldProblem is the French error of the NTT a fiche carries for a person with this NIR:
// required when the NIR does not serve (NeedsNTT), then checked by its pattern; "" when fine.
func NTTFieldProblem(nir, ntt string) string {
	switch {
	case !NeedsNTT(nir):
		return ""
	case ntt == "":
		return "Sans numéro de sécurité sociale définitif, le NTT (numéro technique temporaire) est obligatoire."
	}
	return NTTProblem(ntt)
}

// NeedsNTT reports whether a fiche needs an NTT (§2.15): the NIR is missing, or it is a NIA
// (starting with 7 or 8), which the ASP does not take.
func NeedsNTT(nir string) bool {
	return nir == "" || nir[0] == '7' || nir[0] == '8'
}

// Address is the ASP's HEXA form of an address (§2.15, asp.md §5.4).
type Address struct {
	LaneNumber        string
	StdExtension      string // B, T, Q, C or ""
	LaneType          string // an ASP lane type code (internal/asp)
	LaneName          string
	AdditionalAddress string
	PostCode          string
	CommuneCode       string // INSEE code of the ASP commune
}

// AddressOf is the HEXA address a profile holds.
func AddressOf(p *jobseeker.Profile) Address {
	return Address{LaneNumber: p.HexaLaneNumber, StdExtension: p.HexaStdExtension, LaneType: p.HexaLaneType, LaneName: p.HexaLaneName,
		AdditionalAddress: p.HexaAdditionalAddress, PostCode: p.HexaPostCode, CommuneCode: p.HexaCommuneCode}
}

// Empty reports whether no part of the address is set.
func (a Address) Empty() bool { return a == Address{} }

// Complete reports whether the parts the ASP requires are all set: lane type and name, post
// code and commune.
func (a Address) Complete() bool {
	return a.LaneType != "" && a.LaneName != "" && a.PostCode != "" && a.CommuneCode != ""
}

// AddressProblems are the French errors of an HEXA address, by form field: all or nothing,
// the lane type, name, post code and commune being needed once any part is set (§2.15).
func AddressProblems(a Address) map[string]string {
	if a.Empty() {
		return nil
	}
	out := map[string]string{}
	need := func(field, value, message string) {
		if strings.TrimSpace(value) == "" {
			out[field] = message
		}
	}
	need("hexa_lane_type", a.LaneType, "Choisissez le type de voie.")
	need("hexa_lane_name", a.LaneName, "Indiquez le nom de la voie.")
	need("hexa_post_code", a.PostCode, "Indiquez le code postal.")
	need("hexa_commune", a.CommuneCode, "Choisissez la commune.")
	if a.PostCode != "" && !postCodePattern.MatchString(a.PostCode) {
		out["hexa_post_code"] = "Le code postal est composé de 5 chiffres."
	}
	if a.LaneNumber != "" && !laneNumberPattern.MatchString(a.LaneNumber) {
		out["hexa_lane_number"] = "Le numéro de voie ne contient que des chiffres (l'extension bis, ter… se choisit à part)."
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

var (
	postCodePattern   = regexp.MustCompile(`^[0-9]{5}$`)
	laneNumberPattern = regexp.MustCompile(`^[0-9]{1,5}$`)
)

// Processing codes of the ASP (asp.md §5.8).
const (
	CodeIntegrated = "0000"
	CodeDuplicate  = "3436"
	// DuplicateLabel replaces the ASP's label on a fiche forced to PROCESSED by a 3436.
	DuplicateLabel = "Statut forcé suite à doublon ASP"
)

// Outcome is what a feedback code does to a SENT fiche (asp.md §5.8): PROCESSED (0000, or 3436
// as a duplicate) or REJECTED.
func Outcome(code string) (to TransitionName, duplicate bool) {
	switch code {
	case CodeIntegrated:
		return TProcess, false
	case CodeDuplicate:
		return TProcess, true
	}
	return TReject, false
}

// NotificationOutcome is the same for an update notification: only 0000 integrates it.
func NotificationOutcome(code string) NotificationStatus {
	if code == CodeIntegrated {
		return NotificationProcessed
	}
	return NotificationRejected
}

// UnarchiveTo is the transition that brings an ARCHIVED fiche back, from its last ASP code
// (§3.3): none → NEW; 0000 or 3436 → PROCESSED; 32xx, 33xx, 34xx → REJECTED; other codes none.
func UnarchiveTo(lastCode string) (TransitionName, bool) {
	switch {
	case lastCode == "":
		return TUnarchiveNew, true
	case lastCode == CodeIntegrated || lastCode == CodeDuplicate:
		return TUnarchiveProcessed, true
	case len(lastCode) == 4 && (strings.HasPrefix(lastCode, "32") || strings.HasPrefix(lastCode, "33") || strings.HasPrefix(lastCode, "34")):
		return TUnarchiveRejected, true
	}
	return "", false
}

// Archiving (§2.15): a fiche is a candidate when its PASS is no longer valid, it was created
// more than 6 months ago and last changed more than 1 month ago; the transition also needs a
// PASS that cannot be prolonged any more.
const (
	ArchiveCreatedMonths = 6
	ArchiveUpdatedMonths = 1
)

// ArchiveCandidate applies the dates of the nightly archive's selection (§2.15).
func ArchiveCandidate(passValid bool, createdAt, updatedAt, today time.Time) bool {
	if passValid {
		return false
	}
	created, updated := localtime.Day(createdAt), localtime.Day(updatedAt)
	return created.Before(localtime.AddMonths(today, -ArchiveCreatedMonths)) && updated.Before(localtime.AddMonths(today, -ArchiveUpdatedMonths))
}

// Batch files (asp.md §5.2).
const (
	// MaxLines and MaxBytes bound one uploaded file; a run uploads one file per kind.
	MaxLines = 700
	MaxBytes = 2 << 20
	// FilePrefix marks the files of this exchange in the shared `retrait` folder.
	FilePrefix     = "RIAE_FS_"
	feedbackSuffix = "_FichierRetour"
)

// BatchFileName is the name of a file written at t: RIAE_FS_ + the UTC second + .json.
func BatchFileName(t time.Time) string {
	return FilePrefix + t.UTC().Format("20060102150405") + ".json"
}

var batchNamePattern = regexp.MustCompile(`^RIAE_FS_[0-9]{14}\.json$`)

// BatchOfFeedback recovers the batch name from a feedback file's name (asp.md §5.2): exactly one
// ".", and a stem that ends with _FichierRetour.
func BatchOfFeedback(name string) (string, error) {
	stem, ext, ok := strings.Cut(name, ".")
	if !ok || strings.Contains(ext, ".") || !strings.HasSuffix(stem, feedbackSuffix) {
		return "", fmt.Errorf("employeerecord: %q is not a feedback file name", name)
	}
	batch := strings.TrimSuffix(stem, feedbackSuffix) + "." + ext
	if !batchNamePattern.MatchString(batch) {
		return "", fmt.Errorf("employeerecord: %q does not answer a batch file", name)
	}
	return batch, nil
}

// Advice is what the employer reads of a rejection (asp.md §5.8): what to do for the codes the
// service knows, « Erreur code : label » for the others.
func Advice(code, label string) string {
	switch code {
	case "3308":
		return "La commune de naissance ne correspond pas au département de naissance : choisissez une autre commune de naissance, " +
			"puis corrigez-la plus tard dans l'extranet de l'ASP."
	case "3417":
		return "La commune de résidence n'est pas dans le référentiel de l'ASP : indiquez l'adresse postale de votre structure."
	case "3435":
		return "Votre structure n'a pas d'annexe financière valide ou provisoire à l'ASP : vérifiez-la auprès de l'ASP et renvoyez la fiche dans une semaine."
	case "3437":
		return "Un salarié existe déjà à l'ASP pour votre structure avec un autre identifiant : le support régularise la situation."
	}
	return "Erreur " + code + " : " + label
}
