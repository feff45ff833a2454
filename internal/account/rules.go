package account

import (
	_ "embed"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"emplois/internal/platform/fault"
)

// Password rules (actors.md §2.4), as Django's validators and les-emplois' CNIL validator apply them.
const (
	// PasswordMinLength is the minimum number of characters of a password.
	PasswordMinLength = 16
	// PasswordMinClasses is how many of {uppercase, lowercase, digit, punctuation} a password mixes.
	PasswordMinClasses = 3
	// passwordMaxSimilarity is Django's UserAttributeSimilarityValidator threshold.
	passwordMaxSimilarity = 0.7
)

// Token lifetimes.
const (
	// VerificationTokenTTL is how long the e-mail verification link works.
	VerificationTokenTTL = 3 * 24 * time.Hour
	// ResetTokenTTL is how long the password reset link works.
	ResetTokenTTL = 24 * time.Hour
	// ResendCooldown is the minimum time between two link e-mails to one account, so that the
	// forms cannot be used to flood a mailbox.
	ResendCooldown = time.Minute
)

// MaxNameLength is the longest first or last name (actors.md §2.1).
const MaxNameLength = 150

// Messages of the form rules.
const (
	msgRequired           = "Ce champ est obligatoire."
	msgEmailInvalid       = "Saisissez une adresse e-mail valide."
	msgEmailFranceTravail = "Cette adresse e-mail est réservée aux agents France Travail : utilisez votre adresse e-mail personnelle pour créer un compte candidat."
	msgEmailExists        = "Un compte existe déjà avec cette adresse e-mail."
	msgEmailTaken         = msgEmailExists + " Connectez-vous, ou réinitialisez votre mot de passe si vous l'avez oublié."
	msgPasswordMismatch   = "Les deux mots de passe ne correspondent pas."
	msgPasswordTooShort   = "Ce mot de passe est trop court. Il doit contenir au minimum 16 caractères."
	msgPasswordClasses    = "Le mot de passe doit contenir au moins 3 des 4 types suivants : majuscules, minuscules, chiffres, caractères spéciaux."
	msgPasswordCommon     = "Ce mot de passe est trop courant."
	msgTitleInvalid       = "Choisissez Madame ou Monsieur."
	msgNameTooLong        = "Ce champ ne doit pas dépasser 150 caractères."
	msgCurrentPassword    = "Votre mot de passe actuel est incorrect."
)

// PasswordHint describes the rules next to every new-password field.
const PasswordHint = "Au moins 16 caractères, avec au moins 3 des 4 types suivants : majuscules, minuscules, chiffres, caractères spéciaux."

// PasswordOwner is what a password must not resemble.
type PasswordOwner struct {
	Email     string
	FirstName string
	LastName  string
}

// PasswordProblems returns the French reasons why password is refused, empty when it is accepted
// (actors.md §2.4).
func PasswordProblems(password string, owner PasswordOwner) []string {
	var problems []string
	if PasswordTooShort(password) {
		problems = append(problems, msgPasswordTooShort)
	}
	if PasswordClasses(password) < PasswordMinClasses {
		problems = append(problems, msgPasswordClasses)
	}
	if field, similar := PasswordTooSimilar(password, owner); similar {
		problems = append(problems, fmt.Sprintf("Le mot de passe est trop semblable au champ « %s ».", field))
	}
	if IsCommonPassword(password) {
		problems = append(problems, msgPasswordCommon)
	}
	return problems
}

// PasswordTooShort reports whether password has fewer than PasswordMinLength characters.
func PasswordTooShort(password string) bool {
	return utf8.RuneCountInString(password) < PasswordMinLength
}

// PasswordClasses counts the kinds of characters password mixes among uppercase, lowercase,
// digits and ASCII punctuation (Python's string.punctuation, as les-emplois checks it).
func PasswordClasses(password string) int {
	var upper, lower, digit, punct bool
	for _, r := range password {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		case r < utf8.RuneSelf && strings.ContainsRune("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", r):
			punct = true
		}
	}
	n := 0
	for _, has := range []bool{upper, lower, digit, punct} {
		if has {
			n++
		}
	}
	return n
}

// PasswordTooSimilar reports whether password resembles the owner's e-mail or names, and which
// field (its French name). It is Django's UserAttributeSimilarityValidator: the password is
// compared with each attribute and each of its words, skipping words much shorter than the
// password, and refused when the character overlap ratio reaches 0.7.
func PasswordTooSimilar(password string, owner PasswordOwner) (field string, similar bool) {
	pw := []rune(strings.ToLower(password))
	attrs := []struct{ name, value string }{
		{"prénom", owner.FirstName},
		{"nom", owner.LastName},
		{"adresse e-mail", owner.Email},
	}
	for _, a := range attrs {
		value := strings.ToLower(a.value)
		if value == "" {
			continue
		}
		parts := strings.FieldsFunc(value, func(r rune) bool {
			return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
		})
		parts = append(parts, value)
		for _, part := range parts {
			p := []rune(part)
			if exceedsMaximumLengthRatio(len(pw), len(p)) {
				continue
			}
			if quickRatio(pw, p) >= passwordMaxSimilarity {
				return a.name, true
			}
		}
	}
	return "", false
}

// exceedsMaximumLengthRatio skips values too short to make a long password similar.
func exceedsMaximumLengthRatio(pwLen, valueLen int) bool {
	bound := passwordMaxSimilarity / 2 * float64(pwLen)
	return pwLen >= 10*valueLen && float64(valueLen) < bound
}

// quickRatio is Python's SequenceMatcher.quick_ratio: 2*M/T where M counts the characters a and
// b have in common (as multisets) and T is their total length.
func quickRatio(a, b []rune) float64 {
	if len(a)+len(b) == 0 {
		return 1
	}
	avail := map[rune]int{}
	for _, r := range b {
		avail[r]++
	}
	matches := 0
	for _, r := range a {
		if avail[r] > 0 {
			matches++
		}
		avail[r]--
	}
	return 2 * float64(matches) / float64(len(a)+len(b))
}

//go:embed common_passwords.txt
var commonPasswordsText string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordsText, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = true
		}
	}
	return m
}()

// IsCommonPassword reports whether password, ignoring case and surrounding spaces, is in the
// embedded list of common passwords.
func IsCommonPassword(password string) bool {
	return commonPasswords[strings.ToLower(strings.TrimSpace(password))]
}

// NormalizeEmail trims and lowercases an e-mail address: addresses are unique whatever their case.
func NormalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

// EmailProblem returns why a normalized e-mail address is refused, or "".
func EmailProblem(email string) string {
	if email == "" {
		return msgRequired
	}
	if len(email) > 254 || strings.ContainsAny(email, " \t\r\n") {
		return msgEmailInvalid
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" {
		return msgEmailInvalid
	}
	at := strings.LastIndexByte(email, '@')
	domain := email[at+1:]
	if at < 1 || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return msgEmailInvalid
	}
	return ""
}

// IsFranceTravailEmail reports whether the address belongs to France Travail (formerly Pôle
// emploi): such addresses are for agents, never for job seeker accounts (actors.md §2.4).
func IsFranceTravailEmail(email string) bool {
	email = NormalizeEmail(email)
	return strings.HasSuffix(email, "@pole-emploi.fr") || strings.HasSuffix(email, "@francetravail.fr")
}

// nameProblem returns why a first or last name is refused, or "".
func nameProblem(name string, required bool) string {
	if required && name == "" {
		return msgRequired
	}
	if utf8.RuneCountInString(name) > MaxNameLength {
		return msgNameTooLong
	}
	return ""
}

// checkNewPassword adds the problems of a new password and of its confirmation to errs.
func checkNewPassword(errs *fault.Fields, field, confirmField, password, confirm string, owner PasswordOwner) {
	if password == "" {
		errs.Add(field, msgRequired)
	} else if problems := PasswordProblems(password, owner); len(problems) > 0 {
		errs.Add(field, strings.Join(problems, " "))
	}
	if confirmField == "" {
		return
	}
	if confirm == "" {
		errs.Add(confirmField, msgRequired)
	} else if confirm != password {
		errs.Add(confirmField, msgPasswordMismatch)
	}
}
