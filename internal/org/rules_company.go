package org

import (
	"regexp"
	"strings"
	"time"
)

// GracePeriod: after its convention is deactivated, an SIAE keeps working for 30 days
// (actors.md §4.3).
const GracePeriod = 30 * 24 * time.Hour

// annexNumberRe is the ASP financial annex number: kind prefix, 2 digits, one letter or digit,
// 6 digits, then the amendment suffix A<n>M<n> (actors.md §2.4).
var annexNumberRe = regexp.MustCompile(`^(ACI|EI|AI|ETTI|EITI)[0-9]{2}[A-Z0-9][0-9]{6}A[0-9]+M[0-9]+$`)

// ValidAnnexNumber reports whether number has the ASP format.
func ValidAnnexNumber(number string) bool { return annexNumberRe.MatchString(number) }

// Active reports whether an annex in this state may make its convention active: valid or
// provisional (actors.md §4.4).
func (s AnnexState) Active() bool { return s == AnnexValid || s == AnnexProvisional }

// AnnexActive reports whether a financial annex makes its convention active at now: a valid or
// provisional annex that has not ended (actors.md §4.4).
func AnnexActive(state AnnexState, endAt, now time.Time) bool {
	return state.Active() && endAt.After(now)
}

// ConventionActive reports whether a convention with these annexes is active at now: at least one
// active annex (actors.md §4.4).
func ConventionActive(annexes []FinancialAnnex, now time.Time) bool {
	for _, a := range annexes {
		if AnnexActive(a.State, a.EndAt, now) {
			return true
		}
	}
	return false
}

// CompanyActivity decides whether a company may be used at now (actors.md §4.3):
//   - an SIAE imported from the ASP or created as an antenna follows its convention, with 30
//     days of grace after the convention was deactivated;
//   - an SIAE created by staff is active until the ASP data confirms it (it then gets a convention);
//   - GEIQ and RESERVED are always active; an OPCS is active when staff made it searchable;
//   - EA and EATT are history: never active.
func CompanyActivity(kind CompanyKind, source Source, searchable bool, conv *Convention, now time.Time) Activity {
	switch {
	case kind == GEIQ || kind == Reserved:
		return Activity{Active: true}
	case kind == OPCS:
		return Activity{Active: searchable}
	case !kind.IsSIAE():
		return Activity{}
	case source == SourceStaffCreated || source == SourceAdminCreated:
		return Activity{Active: true}
	case conv == nil:
		return Activity{}
	case conv.IsActive:
		return Activity{Active: true}
	case InGracePeriod(conv.DeactivatedAt, now):
		return Activity{Active: true, InGracePeriod: true}
	}
	return Activity{}
}

// InGracePeriod reports whether a convention deactivated at deactivatedAt is still in its grace
// period at now: less than 30 days ago.
func InGracePeriod(deactivatedAt *time.Time, now time.Time) bool {
	return deactivatedAt != nil && now.Before(deactivatedAt.Add(GracePeriod))
}

// SpontaneousOpen reports whether candidatures spontanées are open: applications not blocked and
// an opening date set (actors.md §4.3).
func SpontaneousOpen(blocked bool, openSince *time.Time) bool {
	return !blocked && openSince != nil
}

// IsHiring reports whether a company shows as recruiting: applications not blocked, and an open
// fiche de poste or open spontaneous applications (actors.md §4.3).
func IsHiring(blocked bool, activeJobDescriptions int, openSince *time.Time) bool {
	return !blocked && (activeJobDescriptions > 0 || openSince != nil)
}

// Antenna refusals (actors.md §4.5).
const (
	MsgAntennaParentKind     = "Seules les SIAE et les GEIQ peuvent créer une antenne."
	MsgAntennaParentInactive = "Votre structure n'est pas active : elle ne peut pas créer d'antenne."
	MsgAntennaSIREN          = "Le numéro SIRET doit commencer par le SIREN de votre structure (%s)."
	MsgCompanyTaken          = "Une structure de ce type avec ce numéro SIRET existe déjà."
)

// AntennaParentProblem returns why a company cannot have antennas created by its admins, or "":
// only active SIAE and GEIQ can (not OPCS).
func AntennaParentProblem(kind CompanyKind, a Activity) string {
	if !kind.IsSIAE() && kind != GEIQ {
		return MsgAntennaParentKind
	}
	if !a.Active || a.InGracePeriod {
		return MsgAntennaParentInactive
	}
	return ""
}

// AntennaSIRETProblem returns why siret cannot be an antenna of a company whose SIRET is
// parentSIRET, or "": it must be a valid SIRET starting with the parent's SIREN.
func AntennaSIRETProblem(parentSIRET, siret string) string {
	if p := SIRETProblem(siret); p != "" {
		return p
	}
	if !strings.HasPrefix(siret, SIREN(parentSIRET)) {
		return strings.Replace(MsgAntennaSIREN, "%s", SIREN(parentSIRET), 1)
	}
	return ""
}
