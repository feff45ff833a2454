package jobseeker

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"emplois/internal/account"
)

// NIRLength is the length of a NIR (numéro de sécurité sociale), key included (actors.md §2.4).
const NIRLength = 15

// IllustrativeNIR is the number printed on sample social security cards: people copy it, so it
// is refused (actors.md §2.4).
const IllustrativeNIR = "269054958815780"

// nirPattern: sex (1, 2, 3, 4, 7, 8), year, month, department (2A/2B or 2 digits), commune,
// order number, key (actors.md §2.4).
var nirPattern = regexp.MustCompile(`^[123478][0-9]{2}[0-9]{2}(2[AB]|[0-9]{2})[0-9]{3}[0-9]{3}[0-9]{2}$`)

// Messages of the NIR checks.
const (
	MsgNIRLength    = "Le numéro de sécurité sociale doit comporter 15 caractères."
	MsgNIRInvalid   = "Ce numéro de sécurité sociale n'est pas valide."
	MsgNIRKey       = "Ce numéro de sécurité sociale n'est pas valide : sa clé de contrôle (les deux derniers chiffres) ne correspond pas."
	MsgNIRExample   = "Ce numéro de sécurité sociale est celui des exemples de carte Vitale : saisissez le vôtre."
	MsgNIRTitle     = "La civilité ne correspond pas au numéro de sécurité sociale (premier chiffre)."
	MsgNIRBirthdate = "La date de naissance ne correspond pas au numéro de sécurité sociale (année et mois de naissance)."
	MsgNIRBirthYear = "L'année de naissance ne correspond pas au numéro de sécurité sociale."
)

// NormalizeNIR strips spaces (and the dots and dashes people type) and uppercases: the stored
// form.
func NormalizeNIR(s string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", "\u00a0", "", ".", "", "-", "").Replace(strings.TrimSpace(s)))
}

// NIRProblem returns why the NIR (normalized or not) is refused, "" when it is valid
// (actors.md §2.4).
func NIRProblem(s string) string {
	nir := NormalizeNIR(s)
	if len(nir) != NIRLength {
		return MsgNIRLength
	}
	if !nirPattern.MatchString(nir) {
		return MsgNIRInvalid
	}
	if m := nirMonth(nir); (m >= 13 && m <= 19) || (m >= 43 && m <= 49) {
		return MsgNIRInvalid
	}
	if nir == IllustrativeNIR {
		return MsgNIRExample
	}
	// Corsica: 2A counts as 19 and 2B as 18 for the key.
	digits := strings.NewReplacer("2A", "19", "2B", "18").Replace(nir[:13])
	n, err := strconv.ParseUint(digits, 10, 64)
	if err != nil {
		return MsgNIRInvalid
	}
	key, _ := strconv.Atoi(nir[13:])
	if uint64(key) != 97-n%97 {
		return MsgNIRKey
	}
	return ""
}

func nirMonth(nir string) int {
	m, _ := strconv.Atoi(nir[3:5])
	return m
}

// FictitiousNIRMonth reports whether a NIR month is a fictitious one (20–42, 50–99), given to
// people whose birth month is unknown: then only the year is checked.
func FictitiousNIRMonth(m int) bool { return (m >= 20 && m <= 42) || (m >= 50 && m <= 99) }

// NIRConsistency checks a valid NIR against the civilité and the birth date (either may be
// unknown: then it is not checked). It returns the field at fault ("title" or "birthdate") and
// the message, or "" (actors.md §2.2).
func NIRConsistency(nir string, title account.Title, birthdate *time.Time) (field, message string) {
	nir = NormalizeNIR(nir)
	if len(nir) != NIRLength {
		return "", ""
	}
	switch {
	case nir[0] == '1' && title == account.Madame, nir[0] == '2' && title == account.Monsieur:
		return "title", MsgNIRTitle
	}
	if birthdate == nil {
		return "", ""
	}
	year, _ := strconv.Atoi(nir[1:3])
	month := nirMonth(nir)
	if birthdate.Year()%100 != year {
		if FictitiousNIRMonth(month) {
			return "birthdate", MsgNIRBirthYear
		}
		return "birthdate", MsgNIRBirthdate
	}
	if !FictitiousNIRMonth(month) && int(birthdate.Month()) != month {
		return "birthdate", MsgNIRBirthdate
	}
	return "", ""
}
