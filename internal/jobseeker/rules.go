package jobseeker

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"emplois/internal/platform/secretkey"
)

// Ages a job seeker's birth date must give (actors.md §2.2): at least 16, under 100.
const (
	MinAge = 16
	MaxAge = 100
)

// Messages of the profile checks.
const (
	MsgRequired         = "Ce champ est obligatoire."
	MsgTooYoung         = "La personne doit avoir au moins 16 ans."
	MsgTooOld           = "La personne doit avoir moins de 100 ans : vérifiez la date de naissance."
	MsgDateInvalid      = "Saisissez une date valide, au format JJ/MM/AAAA."
	MsgPostCode         = "Le code postal doit comporter 5 chiffres."
	MsgFTID             = "L'identifiant France Travail comporte 7 chiffres suivis d'une lettre ou d'un chiffre, ou 11 chiffres."
	MsgFTIDOrReason     = "Saisissez l'identifiant France Travail, ou indiquez pourquoi il n'est pas connu."
	MsgNIROrReason      = "Saisissez le numéro de sécurité sociale, ou indiquez pourquoi il n'est pas connu."
	MsgCountryUnknown   = "Choisissez un pays de la liste."
	MsgBirthPlace       = "La commune de naissance est obligatoire pour une personne née en France."
	MsgBirthPlaceAbroad = "Une commune de naissance ne s'indique que pour une personne née en France."
	MsgCommuneUnknown   = "Choisissez une commune de la liste."
	MsgChoice           = "Choisissez une valeur de la liste."
	MsgRSASince         = "Indiquez depuis combien de temps la personne perçoit le RSA."
	MsgTooLong          = "Ce champ est trop long."
	MsgPhone            = "Saisissez un numéro de téléphone valide (10 chiffres)."
)

// Age is the age in whole years on today of a person born on birthdate (both are days).
func Age(birthdate, today time.Time) int {
	age := today.Year() - birthdate.Year()
	if today.Month() < birthdate.Month() || (today.Month() == birthdate.Month() && today.Day() < birthdate.Day()) {
		age--
	}
	return age
}

// BirthdateProblem returns why a birth date is refused on today, or "" (actors.md §2.2: a
// person of 12 or of 130 does not apply for an insertion job).
func BirthdateProblem(birthdate, today time.Time) string {
	switch age := Age(birthdate, today); {
	case age < MinAge:
		return MsgTooYoung
	case age >= MaxAge:
		return MsgTooOld
	}
	return ""
}

// ParseDate reads a day typed as "2006-01-02" (the date input) or "02/01/2006"; the day is
// returned at midnight UTC, the form the database keeps.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "02/01/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

var ftIDPattern = regexp.MustCompile(`^([0-9]{7}[A-Z0-9]|[0-9]{11})$`)

// NormalizeFTID trims and uppercases a France Travail identifier.
func NormalizeFTID(s string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
}

// FTIDProblem returns why a France Travail identifier is refused, or "" (actors.md §2.2: 7
// digits and a letter or digit, or 11 digits).
func FTIDProblem(s string) string {
	if !ftIDPattern.MatchString(NormalizeFTID(s)) {
		return MsgFTID
	}
	return ""
}

var postCodePattern = regexp.MustCompile(`^[0-9]{5}$`)

// PostCodeProblem returns why a post code is refused, or "" (5 digits, actors.md §2.4).
func PostCodeProblem(s string) string {
	if !postCodePattern.MatchString(s) {
		return MsgPostCode
	}
	return ""
}

// DepartmentOf is the department of a post code (actors.md §2.1): Corsica's 20000–20199 is 2A
// and 20200–20999 is 2B, overseas (97x, 98x) have three digits, others two. "" when the post
// code is not valid.
func DepartmentOf(postCode string) string {
	if PostCodeProblem(postCode) != "" {
		return ""
	}
	switch {
	case strings.HasPrefix(postCode, "20"):
		if n, _ := strconv.Atoi(postCode[2:3]); n < 2 {
			return "2A"
		}
		return "2B"
	case strings.HasPrefix(postCode, "97"), strings.HasPrefix(postCode, "98"):
		return postCode[:3]
	}
	return postCode[:2]
}

var phonePattern = regexp.MustCompile(`^\+?[0-9]{10,14}$`)

// NormalizePhone drops the spaces, dots and dashes of a phone number.
func NormalizePhone(s string) string {
	return strings.NewReplacer(" ", "", ".", "", "-", "").Replace(strings.TrimSpace(s))
}

// PhoneProblem returns why a phone number (optional) is refused, or "".
func PhoneProblem(s string) string {
	s = NormalizePhone(s)
	if s != "" && !phonePattern.MatchString(s) {
		return MsgPhone
	}
	return ""
}

// aspUIDPurpose derives the key of the ASP identifiers from the instance's secret key.
const aspUIDPurpose = "job-seeker-asp-uid"

// ASPUIDLength is the length of asp_uid: 30 hexadecimal characters (actors.md §2.2).
const ASPUIDLength = 30

// ASPUID is the identifier of a job seeker in the ASP exchanges: a keyed hash of the user id,
// so that it tells nothing of the id and cannot be forged without the key.
func ASPUID(key []byte, userID int64) string {
	m := hmac.New(sha256.New, secretkey.Derive(key, aspUIDPurpose))
	m.Write([]byte(strconv.FormatInt(userID, 10)))
	return hex.EncodeToString(m.Sum(nil))[:ASPUIDLength]
}

// MaskedName is what an orienteur sees of a job seeker they may not identify (applications.md
// R35): the initials, "J… D…".
func MaskedName(firstName, lastName string) string {
	return strings.TrimSpace(initial(firstName) + " " + initial(lastName))
}

func initial(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + "…"
}
