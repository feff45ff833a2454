package seed

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"emplois/internal/account"
	"emplois/internal/jobseeker"
)

// Shares of the job seekers' profiles.
const (
	shareWithNIR    = 0.92 // the others: « Pas de numéro de sécurité sociale »
	shareWithFTID   = 0.70 // registered at France Travail with a known identifier
	shareRSA        = 0.25
	shareBornAbroad = 0.12
)

var educationLevels = []jobseeker.EducationLevel{"00", "01", "20", "30", "40", "41", "50", "51", "60", "70"}

// abroad are a few birth countries of people born outside France (INSEE codes).
var abroad = []string{"99350", "99351", "99352", "99109", "99134", "99139", "99127", "99319", "99335", "99341"}

// settle gives a job seeker an address in place p.
func settle(r *rand.Rand, u *account.User, p place) {
	u.AddressLine1 = address(r)
	u.PostCode = p.PostalCode
	u.City = p.CommuneName
	u.Department = p.Department
	code := p.CommuneCode
	u.InseeCode = &code
	lat, lon := p.Latitude, p.Longitude
	u.Latitude, u.Longitude = &lat, &lon
}

// jobSeekerProfile draws the profile of job seeker u (already written: u.ID is known), born in
// place birth when in France; used holds the NIRs already given (without their key).
func jobSeekerProfile(r *rand.Rand, u *account.User, birth place, used map[string]bool, now time.Time) *jobseeker.Profile {
	age := 18 + r.IntN(45)
	birthdate := time.Date(now.Year()-age, time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	p := &jobseeker.Profile{UserID: u.ID, Birthdate: &birthdate, ASPUID: hex30(r), UpdatedAt: u.DateJoined,
		EducationLevel: pick(r, educationLevels), HasRSAAllocation: "NON"}
	france := jobseeker.France
	if chance(r, shareBornAbroad) {
		country := pick(r, abroad)
		p.BirthCountryCode = &country
	} else {
		place := birth.InseeCode
		p.BirthCountryCode, p.BirthPlaceCode = &france, &place
	}
	if nir, ok := seedNIR(r, u.Title, birthdate, p.BirthPlaceCode, p.BirthCountryCode, used); ok && chance(r, shareWithNIR) {
		p.NIR = &nir
	} else {
		p.LackOfNIRReason = "NO_NIR"
	}
	if chance(r, shareWithFTID) {
		p.PoleEmploiID = fmt.Sprintf("%07d%c", r.IntN(10_000_000), 'A'+rune(r.IntN(26)))
		p.PoleEmploiSince = pick(r, []jobseeker.Duration{"01", "02", "03", "04"})
	} else {
		p.LackOfPoleEmploiIDReason = pick(r, []jobseeker.LackOfFTIDReason{"FORGOTTEN", "NOT_REGISTERED"})
	}
	if chance(r, shareRSA) {
		p.HasRSAAllocation = pick(r, []jobseeker.RSA{"OUI-M", "OUI-NM"})
		p.RSAAllocationSince = pick(r, []jobseeker.Duration{"01", "02", "03", "04"})
	}
	p.HousingIssue, p.MobilityIssue, p.IsolatedParent = chance(r, 0.15), chance(r, 0.3), chance(r, 0.1)
	return p
}

// seedNIR builds a valid NIR (actors.md §2.4) consistent with the civilité and the birth date
// (born abroad, the place part is 99 and the country's three digits) and not in used: after the
// drawn serial, the next free serials are taken, then the fictitious months (20–42), with which a
// NIR is consistent with the birth year only (§2.4).
func seedNIR(r *rand.Rand, title account.Title, birthdate time.Time, birthPlace, birthCountry *string, used map[string]bool) (string, bool) {
	sex := "1"
	if title == account.Madame {
		sex = "2"
	}
	place := "99" + (*birthCountry)[2:]
	if birthPlace != nil {
		place = *birthPlace
	}
	prefix := sex + fmt.Sprintf("%02d", birthdate.Year()%100)
	months := []int{int(birthdate.Month())}
	for m := 20; m <= 42; m++ {
		months = append(months, m)
	}
	first := r.IntN(999)
	for _, m := range months {
		for k := range 999 {
			body := prefix + fmt.Sprintf("%02d", m) + place + fmt.Sprintf("%03d", 1+(first+k)%999)
			if used[body] {
				continue
			}
			used[body] = true
			digits := strings.NewReplacer("2A", "19", "2B", "18").Replace(body)
			n, _ := strconv.ParseUint(digits, 10, 64)
			return body + fmt.Sprintf("%02d", 97-n%97), true
		}
	}
	return "", false
}

// hex30 draws the 30 hexadecimal characters of an ASP identifier.
func hex30(r *rand.Rand) string {
	return fmt.Sprintf("%016x%014x", r.Uint64(), r.Uint64()>>8)
}
