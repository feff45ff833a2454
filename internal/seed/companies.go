package seed

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"emplois/internal/org"
)

// companyKinds are the kinds of the generated employers, in the proportions of the real service.
var companyKinds = newWeighted[org.CompanyKind](
	org.ACI, 45.0, org.EI, 20.0, org.AI, 15.0, org.ETTI, 8.0, org.GEIQ, 7.0, org.EITI, 3.0, org.OPCS, 2.0)

// Shares of the employers that exercise the rules of the lists (actors.md §4.3, §13.1).
const (
	shareHistory       = 0.01 // EA or EATT: history only, never listed
	shareAntenna       = 0.05 // SIAE or GEIQ created as an antenna of another (same SIREN, same convention)
	shareInactive      = 0.03 // SIAE whose convention ended beyond the grace period
	shareGrace         = 0.01 // SIAE whose convention ended less than 30 days ago
	shareBlocked       = 0.04 // applications blocked by the employer
	shareUnsearchable  = 0.01 // hidden from the search by staff
	shareOPCSHidden    = 0.10 // OPCS not made searchable by staff
	shareSpontaneous   = 0.55 // spontaneous applications open (when not blocked)
	shareWithoutFiche  = 0.12 // no fiche de poste at all
	shareWithMember    = 0.85 // at least one active member
	shareOnlyInactive  = 0.20 // of the others: a former member only
	shareFormerMember  = 0.05 // of those with members: one more, deactivated
	aspIDBase          = 9_000_000
	companySIRENPrefix = "9"
)

// companyRow is a generated employer with what is written with it.
type companyRow struct {
	org.Company
	place      int
	convention *org.Convention // its own (nil for antennas, which use their parent's, and non-SIAE)
	annexes    []org.FinancialAnnex
	parent     int // index of the parent company of an antenna, -1 otherwise
	members    int // active members
	former     int // deactivated members
	weight     float64
}

var companyWords = []string{
	"Tremplin", "Horizon", "Passerelle", "Envol", "Boussole", "Élan", "Ressources", "Solidarité", "Avenir",
	"Rebond", "Trait d'Union", "Relais", "Terre Vivante", "Réemploi", "Pluriel", "Partage", "Renouveau",
	"Cap Emploi Solidaire", "Les Ateliers du Lien", "Racines", "Atout", "Escale", "Chrysalide", "Initiatives",
}

var geiqSectors = []string{"BTP", "Propreté", "Industrie", "Logistique", "Agriculture", "Sanitaire et social",
	"Hôtellerie-restauration", "Transport", "Espaces verts", "Métallurgie"}

// companyName draws a name fitting the kind, placed in city.
func companyName(r *rand.Rand, kind org.CompanyKind, city string) string {
	w := pick(r, companyWords)
	var forms []string
	switch kind {
	case org.ACI:
		forms = []string{"Association %[1]s", "Les Jardins de %[2]s", "Chantier d'insertion %[1]s", "Recyclerie de %[2]s", "Atelier %[1]s %[2]s"}
	case org.EI:
		forms = []string{"%[1]s Insertion", "%[2]s Services Solidaires", "Entreprise d'insertion %[1]s", "%[1]s Bâtiment Solidaire"}
	case org.AI:
		forms = []string{"Association intermédiaire de %[2]s", "%[1]s Emploi Services", "AI %[1]s %[2]s"}
	case org.ETTI:
		forms = []string{"%[1]s Intérim Insertion", "ETTI %[2]s", "Intérim Solidaire %[1]s"}
	case org.EITI:
		forms = []string{"%[1]s Indépendants Solidaires", "Coopérative %[1]s"}
	case org.GEIQ:
		return fmt.Sprintf("GEIQ %s %s", pick(r, geiqSectors), city)
	case org.OPCS:
		forms = []string{"Facilitateur des clauses sociales de %[2]s", "Maison de l'emploi de %[2]s"}
	case org.EA:
		forms = []string{"Entreprise adaptée %[1]s"}
	default:
		forms = []string{"EATT %[2]s"}
	}
	return fmt.Sprintf(pick(r, forms), w, city)
}

// slug makes a short e-mail or host label of a name.
func slug(s string) string {
	s = strings.Trim(ascii(s), "-")
	for strings.Contains(s, "--") {
		s = strings.ReplaceAll(s, "--", "-")
	}
	if len(s) > 40 {
		s = strings.Trim(s[:40], "-")
	}
	return s
}

// siret builds a valid SIRET from an 8-digit SIREN stem and an establishment number.
func siret(stem string, nic int) string {
	return org.WithLuhnKey(org.WithLuhnKey(stem) + fmt.Sprintf("%04d", nic))
}

// annexDepartment is the two digits of a department in an annex number (2A, 2B: 20; DROM: 97).
func annexDepartment(dept string) string {
	if dept == "2A" || dept == "2B" {
		return "20"
	}
	return dept[:2]
}

// planCompanies draws n employers. Antennas come after their parent and share its SIREN and
// convention.
func planCompanies(r *rand.Rand, ref *reference, n int, now time.Time) []*companyRow {
	rows := make([]*companyRow, 0, n)
	parents := map[org.CompanyKind][]int{} // companies of a kind that may have antennas
	antennas := map[int]int{}              // antennas per parent
	for i := range n {
		kind := companyKinds.draw(r)
		if chance(r, shareHistory) {
			kind = pick(r, []org.CompanyKind{org.EA, org.EA, org.EATT})
		}
		c := &companyRow{parent: -1, place: ref.drawPlace(r)}
		p := ref.places[c.place]
		c.Kind = kind
		c.UID = newUUID(r)
		c.CreatedAt = daysBefore(r, now, 30, 3000)
		c.UpdatedAt = between(r, c.CreatedAt, now)
		if (kind.IsSIAE() || kind == org.GEIQ) && len(parents[kind]) > 0 && chance(r, shareAntenna) {
			c.parent = pick(r, parents[kind])
		}

		switch {
		case c.parent >= 0:
			parent := rows[c.parent]
			antennas[c.parent]++
			c.SIRET = siret(parent.SIRET[:8], 1+antennas[c.parent])
			c.Source = org.SourceUserCreated
			c.Name = parent.Name + " - antenne " + p.CommuneName
			c.NAF = parent.NAF
		default:
			c.SIRET = siret(fmt.Sprintf("%s%07d", companySIRENPrefix, i), 1)
			c.Name = companyName(r, kind, p.CommuneName)
			c.NAF = pick(r, []string{"8899B", "3811Z", "8130Z", "7830Z", "8121Z", "4399C", "5610A", "9499Z", "8810A", "3832Z", "4778C"})
			switch {
			case kind.IsSIAE():
				c.Source = org.SourceASP
			case kind == org.GEIQ:
				c.Source = org.SourceGEIQ
			case kind == org.OPCS:
				c.Source = org.SourceStaffCreated
			default:
				c.Source = org.SourceEAEATT
			}
			if kind.IsSIAE() || kind == org.GEIQ {
				parents[kind] = append(parents[kind], i)
			}
		}
		if kind.IsSIAE() && c.parent < 0 {
			c.convention, c.annexes = planConvention(r, kind, c.SIRET, i, p.Department, c.CreatedAt, now)
		}

		s := slug(c.Name)
		if chance(r, 0.3) && c.parent < 0 {
			c.Brand = strings.TrimSpace(pick(r, companyWords) + " " + p.CommuneName)
		}
		c.Phone = phone(r)
		c.Email = fmt.Sprintf("contact.%s.%d@%s", s, i, Domain)
		c.AuthEmail = fmt.Sprintf("structure.%d@%s", i, Domain)
		if chance(r, 0.4) {
			c.Website = fmt.Sprintf("https://%s.%s", s, Domain)
		}
		if chance(r, 0.7) {
			c.Description = fmt.Sprintf("%s implantée à %s. Nous accompagnons des personnes éloignées de l'emploi "+
				"vers un emploi durable, avec un encadrement technique et un suivi socio-professionnel.", kind.Label(), p.CommuneName)
		}
		if chance(r, 0.5) {
			c.ProvidedSupport = "Accompagnement socio-professionnel, formation aux gestes professionnels, aide à la mobilité et au logement."
		}
		if chance(r, shareBlocked) {
			c.BlockJobApplications = true
			at := daysBefore(r, now, 1, 200)
			c.JobApplicationsBlockedAt = &at
		} else if chance(r, shareSpontaneous) {
			at := daysBefore(r, now, 0, 85)
			c.SpontaneousApplicationsOpenSince = &at
		}
		if chance(r, 0.8) {
			score := math.Round(r.Float64()*300) / 100
			c.JobAppScore = &score
		}
		c.IsSearchable = !chance(r, shareUnsearchable)
		if kind == org.OPCS && chance(r, shareOPCSHidden) {
			c.IsSearchable = false
		}
		lat, lon := jitter(r, p.Latitude, p.Longitude, spreadKm(p))
		c.Address = org.Address{AddressLine1: address(r), PostCode: p.PostalCode, CityName: p.CommuneName,
			CommuneCode: p.CommuneCode, Latitude: &lat, Longitude: &lon}
		c.Department = p.Department

		switch {
		case chance(r, shareWithMember):
			c.members = 1 + geometric(r, 0.55, 5)
			if chance(r, shareFormerMember) {
				c.former = 1
			}
		case chance(r, shareOnlyInactive):
			c.former = 1
		}
		if kind != org.EA && kind != org.EATT && !chance(r, shareWithoutFiche) {
			c.weight = -math.Log(1 - r.Float64())
		}
		rows = append(rows, c)
	}
	return rows
}

// planConvention draws the convention of SIAE number i and its financial annexes: active (a
// current annex, often a past one too), in its grace period, or ended.
func planConvention(r *rand.Rand, kind org.CompanyKind, siret string, i int, dept string, created, now time.Time) (*org.Convention, []org.FinancialAnnex) {
	conv := &org.Convention{Kind: kind, SiretSignature: siret, IsActive: true, ASPID: int64(aspIDBase + i),
		CreatedAt: created, UpdatedAt: created}
	number := func(amendment int) string {
		return fmt.Sprintf("%s%sZ%06dA%dM0", kind, annexDepartment(dept), i, amendment)
	}
	year := 365 * 24 * time.Hour
	u := r.Float64()
	if u < shareInactive+shareGrace {
		end := daysBefore(r, now, 31, 700)
		if u < shareGrace {
			end = daysBefore(r, now, 1, 27)
		}
		conv.IsActive, conv.DeactivatedAt, conv.UpdatedAt = false, &end, end
		return conv, []org.FinancialAnnex{{Number: number(0), State: org.AnnexClosed, StartAt: end.Add(-year), EndAt: end,
			CreatedAt: end.Add(-year), UpdatedAt: end}}
	}
	start := daysBefore(r, now, 0, 330)
	state := org.AnnexValid
	if chance(r, 0.1) {
		state = org.AnnexProvisional
	}
	annexes := []org.FinancialAnnex{{Number: number(1), State: state, StartAt: start, EndAt: start.Add(year),
		CreatedAt: start, UpdatedAt: start}}
	if chance(r, 0.6) {
		annexes = append(annexes, org.FinancialAnnex{Number: number(0), State: org.AnnexArchived, StartAt: start.Add(-year),
			EndAt: start, CreatedAt: start.Add(-year), UpdatedAt: start})
	}
	return conv, annexes
}

// between draws an instant between from and to.
func between(r *rand.Rand, from, to time.Time) time.Time {
	if !to.After(from) {
		return from
	}
	return from.Add(time.Duration(r.Int64N(int64(to.Sub(from))))).Truncate(time.Second)
}

// geometric draws the number of successes before the first failure (success probability p),
// at most limit.
func geometric(r *rand.Rand, p float64, limit int) int {
	n := 0
	for n < limit && chance(r, p) {
		n++
	}
	return n
}
