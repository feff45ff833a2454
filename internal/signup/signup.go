// Package signup holds the rules of the professional signup journeys (actors.md §10.3-10.5):
// what a prescriber signing up finds already registered, the France Travail agent joining an
// agency by its SAFIR code, and the employer who picks a company by SIREN and joins it through
// a link mailed to the company's official address. The link carries no stored token: it is
// signed (HMAC) with the server's secret key over the company, the issue time and the company's
// active member count, so it stops working after 14 days or as soon as someone joins.
package signup

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"emplois/internal/platform/fault"
)

// EmployerLinkValidity is how long the employer signup link works (actors.md §10.5).
const EmployerLinkValidity = 14 * 24 * time.Hour

// Errors whose text is shown to the user as is.
var (
	ErrLinkInvalid = fault.Invalid("Ce lien d'inscription n'est plus valable : il a expiré (il est valable 14 jours), ou un collaborateur a rejoint la structure depuis son envoi. " +
		"Recommencez l'inscription pour en recevoir un nouveau, ou demandez une invitation à un membre de la structure.")
	ErrNoAuthEmail = fault.Conflict("Nous n'avons pas d'adresse e-mail officielle pour cette structure : nous ne pouvons pas vous envoyer de lien d'inscription. " +
		"Contactez le support pour rejoindre la structure.")
	ErrCompanyHasMembers = fault.Conflict("Cette structure a déjà des membres : demandez-leur de vous inviter.")
	ErrCompanyNotListed  = fault.Invalid("Cette structure ne fait pas partie des structures actives de ce SIREN.")
	// ErrNotFranceTravailEmail: the France Travail journey is for France Travail addresses only
	// (actors.md §5.2).
	ErrNotFranceTravailEmail = fault.Forbidden("L'inscription des agents France Travail est réservée aux adresses e-mail @francetravail.fr : connectez-vous avec votre adresse professionnelle France Travail.")
)

// Form refusals.
const (
	MsgSAFIRUnknown    = "Aucune agence France Travail ne correspond à ce code SAFIR."
	MsgDepartment      = "Choisissez un département dans la liste."
	MsgNoCompany       = "Aucune structure active ne correspond à ce SIREN. Vérifiez le numéro, ou contactez le support si votre structure est conventionnée."
	MsgKindTaken       = "Une organisation de ce type avec ce numéro SIRET est déjà inscrite : demandez à l'un de ses membres de vous inviter."
	MsgAnswerRequired  = "Répondez à cette question."
	MsgChooseKind      = "Choisissez le type de votre organisation."
	MsgChooseCompany   = "Choisissez votre structure dans la liste."
	employerLinkDomain = "employer-signup|v1|"
)

// EmployerToken signs the employer signup link of a company that has `members` active members,
// issued at issuedAt: "<issue time, base 36>-<signature>".
func EmployerToken(key []byte, companyUID string, members int, issuedAt time.Time) string {
	issued := strconv.FormatInt(issuedAt.Unix(), 36)
	return issued + "-" + employerSignature(key, companyUID, members, issued)
}

func employerSignature(key []byte, companyUID string, members int, issued string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(employerLinkDomain + companyUID + "|" + strconv.Itoa(members) + "|" + issued))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:24])
}

// CheckEmployerToken accepts the token of a company's signup link while it is less than
// EmployerLinkValidity old and the company still has the active member count it was signed
// with; else ErrLinkInvalid.
func CheckEmployerToken(key []byte, companyUID string, members int, token string, now time.Time) error {
	issued, sig, ok := strings.Cut(token, "-")
	if !ok {
		return ErrLinkInvalid
	}
	at, err := strconv.ParseInt(issued, 36, 64)
	if err != nil {
		return ErrLinkInvalid
	}
	issuedAt := time.Unix(at, 0)
	if issuedAt.After(now.Add(time.Minute)) || !now.Before(issuedAt.Add(EmployerLinkValidity)) {
		return ErrLinkInvalid
	}
	if !hmac.Equal([]byte(sig), []byte(employerSignature(key, companyUID, members, issued))) {
		return ErrLinkInvalid
	}
	return nil
}

// ObfuscateEmail hides most of an address shown to someone who may not own it: first and last
// letters of the local part, the domain in clear ("e*****o@domain.fr", actors.md §10.5).
func ObfuscateEmail(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok {
		return "*****"
	}
	r := []rune(local)
	switch n := utf8.RuneCountInString(local); {
	case n <= 2:
		return string(r[:1]) + "*****@" + domain
	default:
		return string(r[0]) + "*****" + string(r[n-1]) + "@" + domain
	}
}
