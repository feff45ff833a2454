package eligibility

import (
	"time"

	"emplois/internal/jobseeker"
)

// Prefill thresholds of §2.3.
const (
	// PrefillFreshness: the profile must have been checked this recently to pre-tick criteria.
	PrefillFreshness = 24 * time.Hour
	seniorAge        = 50
	jeuneAgeBelow    = 26
	// FT registration lengths of the profile (jobseeker.Durations): 12–23 months, 24 and more.
	ftFrom12To23Months jobseeker.Duration = "03"
	ftFrom24Months     jobseeker.Duration = "04"
)

// PrefillInput is what the prefill reads of a job seeker: the profile, when their account was
// last checked, and whether their address lies in a QPV or in a city fully in a ZRR (the
// caller's geography: a city partly in a ZRR does not count).
type PrefillInput struct {
	Profile       jobseeker.Profile
	LastCheckedAt *time.Time
	InZRR, InQPV  bool
}

// Prefill returns the kinds of the IAE criteria to pre-tick from the profile (§2.3), none
// unless the profile was checked less than 24 hours before now.
func Prefill(in PrefillInput, now time.Time) []Kind {
	if in.LastCheckedAt == nil || now.Sub(*in.LastCheckedAt) >= PrefillFreshness {
		return nil
	}
	p := in.Profile
	var age int
	if p.Birthdate != nil {
		age = ageOn(*p.Birthdate, Day(now))
	}
	rules := []struct {
		kind Kind
		on   bool
	}{
		{RSA, p.RSAAllocationSince != ""},
		{ASS, p.ASSAllocationSince != ""},
		{AAH, p.AAHAllocationSince != ""},
		{DETLD, p.PoleEmploiSince == ftFrom24Months},
		{"CAP_BEP", p.EducationLevel.CAPBEP()},
		{SENIOR, p.Birthdate != nil && age >= seniorAge},
		{JEUNE, p.Birthdate != nil && age < jeuneAgeBelow},
		{ASE, p.ASEExit},
		{DELD, p.PoleEmploiSince == ftFrom12To23Months},
		{"TH", p.RQTHEmployee},
		{"PI", p.IsolatedParent},
		{"PSH_PR", p.HousingIssue},
		{REFDA, p.Refugee},
		{ZRR, in.InZRR},
		{QPV, in.InQPV},
		{"DETENTION_MJ", p.DetentionExitOrPPSMJ},
		{"FLE", p.LowLevelInFrench},
		{"PM", p.MobilityIssue},
	}
	var kinds []Kind
	for _, r := range rules {
		if r.on {
			kinds = append(kinds, r.kind)
		}
	}
	return kinds
}

// ageOn is the age in whole years on day of a person born on birthdate; someone born on
// February 29 turns a year older on March 1 of a common year.
func ageOn(birthdate, day time.Time) int {
	age := day.Year() - birthdate.Year()
	if day.Month() < birthdate.Month() || (day.Month() == birthdate.Month() && day.Day() < birthdate.Day()) {
		age--
	}
	return age
}

// IAEKeys are the form keys of the IAE criteria of these kinds, in the catalog's order.
func (c *Catalog) IAEKeys(kinds []Kind) []string {
	want := make(map[Kind]bool, len(kinds))
	for _, k := range kinds {
		want[k] = true
	}
	var keys []string
	for _, cr := range c.IAE {
		if want[cr.Kind] {
			keys = append(keys, cr.Key())
		}
	}
	return keys
}
