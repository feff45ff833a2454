package seed

import (
	"fmt"
	"math/rand/v2"
	"time"

	"emplois/internal/org"
)

// prescriberKinds are the kinds of the generated prescriber organizations, roughly in the
// proportions of the real service ("Autre" is the largest family, then social services).
var prescriberKinds = newWeighted[org.PrescriberKind](
	org.OtherKind, 26.0, org.CCAS, 12.0, org.FT, 9.0, org.CHRS, 8.0, org.ML, 5.0, org.Dept, 4.0, org.CADA, 3.0,
	org.ASE, 2.0, org.CHU, 2.0, org.PLIE, 2.0, org.RSFJT, 2.0, org.Pension, 2.0, org.Prevention, 2.0, org.Orienteur, 2.0,
	org.CapEmploi, 1.2, org.E2C, 1.2, org.SPIP, 1.5, org.PJJ, 1.5, org.CSAPA, 1.5, org.AFPA, 1.0, org.CAF, 1.0,
	org.HUDA, 1.0, org.CIDFF, 1.0, org.ODC, 1.0, org.OHPD, 1.0, org.OCASF, 1.0, org.PIJBIJ, 1.0, org.CAARUD, 0.8,
	org.MSA, 0.5, org.OIL, 0.5, org.CPH, 0.5, org.OACAS, 0.5, org.EPIDE, 0.3, org.CAVA, 0.3)

// Shares of the prescriber organizations.
const (
	shareValidatedKnown   = 0.80 // of the known kinds (not "Autre"): habilitation validated, else waiting
	shareOtherClaims      = 0.10 // of "Autre": claims a prefectoral habilitation (waiting)
	shareOtherRefused     = 0.12 // of "Autre": habilitation refused (the kind became "Autre")
	shareFTWithoutSIRET   = 0.10
	sharePrescriberMember = 0.70
	prescriberSIRENPrefix = "8"
	franceTravailSIREN    = "13000548" // stem of France Travail's SIREN 130005481
)

// prescriberRow is a generated prescriber organization.
type prescriberRow struct {
	org.PrescriberOrganization
	members int
}

// prescriberName names an organization of kind k in city.
func prescriberName(r *rand.Rand, k org.PrescriberKind, city, department string) string {
	switch k {
	case org.FT:
		return "France Travail " + city
	case org.ML:
		return "Mission locale de " + city
	case org.CCAS:
		return "CCAS de " + city
	case org.CapEmploi:
		return "Cap emploi " + department
	case org.Dept:
		return "Service social départemental - " + city
	case org.PLIE:
		return "PLIE de " + city
	case org.SPIP:
		return "SPIP " + department + " - antenne de " + city
	case org.CAF:
		return "CAF " + department
	case org.OtherKind, org.Orienteur:
		return fmt.Sprintf("Association %s %s", pick(r, companyWords), city)
	}
	short := k.Label()
	for i := 0; i < len(short); i++ {
		if short[i] == ' ' {
			short = short[:i]
			break
		}
	}
	return short + " " + pick(r, companyWords) + " " + city
}

// planPrescribers draws n prescriber organizations placed in proportion to population; about 60%
// have a validated habilitation.
func planPrescribers(r *rand.Rand, ref *reference, n int, now time.Time) []*prescriberRow {
	rows := make([]*prescriberRow, 0, n)
	ft := 0
	for i := range n {
		p := ref.places[ref.drawPlace(r)]
		o := &prescriberRow{}
		k := prescriberKinds.draw(r)
		o.UID = newUUID(r)
		o.Kind = k
		o.CreatedAt = daysBefore(r, now, 30, 2500)
		o.UpdatedAt = between(r, o.CreatedAt, now)
		switch {
		case k == org.FT:
			o.AuthorizationStatus = org.AuthorizationValidated
			o.CodeSAFIR = fmt.Sprintf("%05d", 90000+ft)
			if !chance(r, shareFTWithoutSIRET) {
				o.SIRET = siret(franceTravailSIREN, 6000+ft)
			}
			ft++
		case k == org.OtherKind:
			o.SIRET = siret(fmt.Sprintf("%s%07d", prescriberSIRENPrefix, i), 1)
			switch u := r.Float64(); {
			case u < shareOtherRefused:
				o.AuthorizationStatus = org.AuthorizationRefused
			case u < shareOtherRefused+shareOtherClaims:
				o.AuthorizationStatus = org.AuthorizationNotSet
			default:
				o.AuthorizationStatus = org.AuthorizationNotRequired
			}
		default:
			o.SIRET = siret(fmt.Sprintf("%s%07d", prescriberSIRENPrefix, i), 1)
			o.AuthorizationStatus = org.AuthorizationNotSet
			if chance(r, shareValidatedKnown) {
				o.AuthorizationStatus = org.AuthorizationValidated
			}
		}
		if o.AuthorizationStatus == org.AuthorizationValidated || o.AuthorizationStatus == org.AuthorizationRefused {
			at := between(r, o.CreatedAt, now)
			o.AuthorizationUpdatedAt = &at
		}
		o.IsBRSA = org.ForcedBRSA(k, o.AuthorizationStatus) || (k == org.Dept && chance(r, 0.3))
		o.IsGPSAuthorized = chance(r, 0.2)
		o.Name = prescriberName(r, k, p.CommuneName, p.Department)
		o.Phone = phone(r)
		o.Email = fmt.Sprintf("contact.%s.%d@%s", slug(o.Name), i, Domain)
		if chance(r, 0.3) {
			o.Website = fmt.Sprintf("https://%s.%s", slug(o.Name), Domain)
		}
		if chance(r, 0.4) {
			o.Description = fmt.Sprintf("%s : accueil, orientation et accompagnement des personnes du secteur de %s.", k.Label(), p.CommuneName)
		}
		lat, lon := jitter(r, p.Latitude, p.Longitude, spreadKm(p))
		o.Address = org.Address{AddressLine1: address(r), PostCode: p.PostalCode, CityName: p.CommuneName,
			CommuneCode: p.CommuneCode, Latitude: &lat, Longitude: &lon}
		o.Department = p.Department
		if chance(r, sharePrescriberMember) {
			o.members = 1 + geometric(r, 0.5, 4)
		}
		rows = append(rows, o)
	}
	return rows
}
