package eligibility

import (
	"time"

	"emplois/internal/platform/localtime"
)

// The badges of the certification of criteria (§2.5), read from the columns the certification
// by API Particulier (certify.go) and France Travail (certify_ft.go) writes.

// certifiable are the kinds an API certifies (§1.1): RSA, AAH and PI by API Particulier, TH by
// France Travail.
var certifiable = map[Kind]bool{RSA: true, AAH: true, "PI": true, "TH": true}

// IsCertifiable reports whether an API certifies criteria of this kind.
func IsCertifiable(k Kind) bool { return certifiable[k] }

// BadgeState is the certification badge of a selected criterion (§2.5).
type BadgeState int

const (
	BadgeNone         BadgeState = iota // not certifiable: no badge
	BadgeInProgress                     // no definitive answer yet
	BadgeError                          // identity not found
	BadgeCertified                      // the period covers the date that matters
	BadgeNotCertified                   // not a beneficiary, or not on the hiring day
	BadgeTemporary                      // certified today, until a day before the diagnosis expires
	BadgeFuture                         // the period starts after today
	BadgeExpired                        // the period ended before today
)

// Badge is the badge of a criterion with the day its label may name.
type Badge struct {
	State BadgeState
	Until time.Time // BadgeTemporary: the period's last day
}

// Label is the French text of the badge.
func (b Badge) Label() string {
	switch b.State {
	case BadgeInProgress:
		return "Certification en cours"
	case BadgeError:
		return "Certification impossible"
	case BadgeCertified:
		return "Certifié"
	case BadgeNotCertified:
		return "Non certifié"
	case BadgeTemporary:
		return "Certifié jusqu'au " + localtime.Date(b.Until)
	case BadgeFuture:
		return "Certification à venir"
	case BadgeExpired:
		return "Certification expirée"
	}
	return ""
}

// CertificationBadge is the badge of a selected criterion of kind (§2.5): after the hire it
// says whether the period covers the hiring day; before, it compares the period with today and
// with the diagnosis's expiry. hiringStart is nil before the hire.
func CertificationBadge[C any](kind Kind, s Selected[C], hiringStart *time.Time, expiresAt, today time.Time) Badge {
	if !IsCertifiable(kind) {
		return Badge{}
	}
	if s.CertifiedAt == nil {
		return Badge{State: BadgeInProgress}
	}
	if !s.NotBeneficiary && s.CertifiedFrom == nil && s.CertifiedUntil == nil {
		return Badge{State: BadgeError}
	}
	if s.NotBeneficiary {
		return Badge{State: BadgeNotCertified}
	}
	after := func(d time.Time) bool { return s.CertifiedUntil != nil && Day(d).After(Day(*s.CertifiedUntil)) }
	before := func(d time.Time) bool { return s.CertifiedFrom != nil && Day(d).Before(Day(*s.CertifiedFrom)) }
	if hiringStart != nil {
		if before(*hiringStart) || after(*hiringStart) {
			return Badge{State: BadgeNotCertified}
		}
		return Badge{State: BadgeCertified}
	}
	switch {
	case before(today):
		return Badge{State: BadgeFuture}
	case after(today):
		return Badge{State: BadgeExpired}
	case s.CertifiedUntil == nil || !Day(*s.CertifiedUntil).Before(Day(expiresAt)):
		return Badge{State: BadgeCertified}
	}
	return Badge{State: BadgeTemporary, Until: Day(*s.CertifiedUntil)}
}
