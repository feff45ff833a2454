// Package convention holds the SIAE conventions and financial annexes, and their import from the
// ASP's fluxIAE exports (asp.md §1; actors.md §4.2–4.4).
package convention

import (
	"strings"
	"time"

	"emplois/internal/org"
	"emplois/internal/platform/localtime"
)

// The rules of the import as plain functions (asp.md §1.5–§1.8).

// StaffWait is how long a staff-created SIAE waits for the ASP data before the import deletes it
// (asp.md §1.6 step 2).
const StaffWait = 90 * 24 * time.Hour

// ReactivationGuard: a convention that staff reactivated by hand less than this ago is not
// deactivated by the import (actors.md §4.4).
const ReactivationGuard = 90 * 24 * time.Hour

// DeactivationThreshold: from this many conventions to deactivate in one run during January–June,
// none are — the new year's annexes come late (actors.md §4.4).
const DeactivationThreshold = 200

// KeptByReactivation reports whether a convention reactivated by staff at reactivatedAt stays
// active at now although its annexes say otherwise: reactivated 90 days ago or less.
func KeptByReactivation(reactivatedAt *time.Time, now time.Time) bool {
	return reactivatedAt != nil && !reactivatedAt.Before(now.Add(-ReactivationGuard))
}

// DeactivationsHeld reports whether n queued deactivations are all held back at now: 200 or more
// during January to June (Paris months).
func DeactivationsHeld(n int, now time.Time) bool {
	return n >= DeactivationThreshold && now.In(localtime.Paris).Month() <= time.June
}

// StaffCreatedExpired reports whether a staff-created SIAE created at createdAt has waited for the
// ASP data long enough to be deleted at now.
func StaffCreatedExpired(createdAt, now time.Time) bool {
	return !createdAt.After(now.Add(-StaffWait))
}

// PastGracePeriod reports whether the grace-period cleanup (asp.md §1.6 step 9) takes this company:
// an SIAE following its convention (source ASP or antenna) that is neither active nor in its 30
// days of grace. An antenna without convention has no grace at all.
func PastGracePeriod(c *org.Company, now time.Time) bool {
	if !c.Kind.IsSIAE() || (c.Source != org.SourceASP && c.Source != org.SourceUserCreated) {
		return false
	}
	return !c.ActivityAt(now).Active
}

// DeletionFacts is what decides whether the import may delete a company (asp.md §1.8).
type DeletionFacts struct {
	Source org.Source
	// Applications: received, sent as the sender company, or transferred from it.
	HasApplications bool
	// HasProlongationRequests: declared by the company.
	HasProlongationRequests bool
	// HasDiagnosisWithPASS: an IAE diagnosis it authored is linked to a PASS IAE.
	HasDiagnosisWithPASS bool
	// CompaniesOnConvention counts the companies sharing its convention, itself included.
	CompaniesOnConvention int
}

// Deletable reports whether the company holds nothing that its deletion would lose. An ASP
// company is also kept while antennas share its convention. (The contrôle a posteriori, which
// also blocks deletion upstream, does not exist here yet.)
func Deletable(f DeletionFacts) bool {
	if f.HasApplications || f.HasProlongationRequests || f.HasDiagnosisWithPASS {
		return false
	}
	return f.Source != org.SourceASP || f.CompaniesOnConvention <= 1
}

// Department is the département of a post code: Corsica's 20x splits into 2A and 2B, overseas
// 97x/98x take three digits.
func Department(postCode string) string {
	switch {
	case len(postCode) < 2:
		return ""
	case strings.HasPrefix(postCode, "20") && len(postCode) >= 3:
		switch postCode[2] {
		case '0', '1', '7':
			return "2A"
		case '2', '4', '6':
			return "2B"
		}
		return "20"
	case (strings.HasPrefix(postCode, "97") || strings.HasPrefix(postCode, "98")) && len(postCode) >= 3:
		return postCode[:3]
	}
	return postCode[:2]
}

// Phone keeps a phone number of exactly 10 characters; anything else is dropped.
func Phone(s string) string {
	if len(s) == 10 {
		return s
	}
	return ""
}

// AddressLines builds the two address lines of a structure (asp.md §1.7): number, extra, street
// type and name on the first; apartment, entrance and complement on the second; when the first
// is empty the second moves up.
func AddressLines(s *Structure) (string, string) {
	line1 := joinWords(s.StreetNum, s.StreetNumExtra, s.StreetType, s.StreetName)
	line2 := joinWords(s.Extra1, s.Extra2, s.Extra3)
	if line1 == "" {
		return line2, ""
	}
	return line1, line2
}

func joinWords(parts ...string) string {
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// NumericName reports whether a name is only digits (a data entry error: such a structure is
// refused).
func NumericName(name string) bool {
	return name != "" && strings.Trim(name, "0123456789") == ""
}
