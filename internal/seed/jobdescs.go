package seed

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"emplois/internal/jobdesc"
	"emplois/internal/org"
)

// Shares of the fiches de poste.
const (
	shareActiveFiche = 0.70 // open
	shareElsewhere   = 0.25 // in another commune than the company's (nearby)
	shareCustomName  = 0.15
	shareAutoClosed  = 0.40 // of the closed ones: closed by the 90-day job rather than the employer
	shareHiring      = 0.05 // created when hiring for a job without fiche
)

// mainContract is the contract most fiches of a kind offer.
func mainContract(kind org.CompanyKind) jobdesc.ContractType {
	switch kind {
	case org.ETTI:
		return jobdesc.Temporary
	case org.GEIQ:
		return jobdesc.ProfessionalTraining
	case org.EITI:
		return jobdesc.BusinessCreation
	case org.OPCS:
		return jobdesc.FixedTerm
	}
	return jobdesc.FixedTermI
}

var otherContracts = []string{"Contrat saisonnier", "Contrat de chantier", "CDD senior", "Contrat aidé"}

var profiles = []string{
	"Débutant accepté : une formation aux gestes et aux outils est assurée à l'arrivée.",
	"Goût du travail en équipe, ponctualité. Station debout prolongée.",
	"Travail en extérieur par tous les temps. Le permis B est un plus.",
	"Patience et discrétion. Déplacements en transports en commun sur le secteur.",
	"Port de charges. Équipements de protection fournis.",
	"",
}

// ficheRow is a generated fiche de poste with its opening and closing history.
type ficheRow struct {
	jobdesc.JobDescription
	company int
	history []jobdesc.StatusChange
}

// planJobDescriptions draws n fiches de poste over the companies, in proportion to their weight
// (some have none, a few have many), with the contract types their kind allows (jobdesc's rules).
func planJobDescriptions(r *rand.Rand, ref *reference, companies []*companyRow, n int, now time.Time) []*ficheRow {
	var eligible []int
	var cum []float64
	total := 0.0
	for i, c := range companies {
		if c.weight > 0 && len(jobdesc.AllowedContractTypes(c.Kind, false)) > 0 {
			total += c.weight
			eligible = append(eligible, i)
			cum = append(cum, total)
		}
	}
	if len(eligible) == 0 {
		return nil
	}
	counts := make([]int, len(companies))
	for range n {
		x := r.Float64() * total
		counts[eligible[sort.SearchFloat64s(cum, x)]]++
	}
	rows := make([]*ficheRow, 0, n)
	for ci, count := range counts {
		c := companies[ci]
		allowed := jobdesc.AllowedContractTypes(c.Kind, false)
		home := ref.places[c.place]
		for k := range count {
			rows = append(rows, planFiche(r, ref, c, ci, home, allowed, k+1, now))
		}
	}
	return rows
}

func planFiche(r *rand.Rand, ref *reference, c *companyRow, ci int, home place, allowed []jobdesc.ContractType, rank int, now time.Time) *ficheRow {
	f := &ficheRow{company: ci}
	j := &f.JobDescription
	a := ref.drawAppellation(r)
	j.UID = newUUID(r)
	j.AppellationCode = a.Code
	if chance(r, shareCustomName) {
		j.CustomName = a.Label + " (H/F)"
		if len(j.CustomName) > 255 {
			j.CustomName = a.Label[:200]
		}
	}
	j.ContractType = drawContract(r, c.Kind, allowed)
	if j.ContractType == jobdesc.Other {
		j.OtherContractType = pick(r, otherContracts)
	}
	city := home.CommuneName
	if chance(r, shareElsewhere) {
		if p := ref.drawNearby(r, c.place, home.Latitude, home.Longitude); p != c.place {
			j.LocationCode = ref.places[p].CommuneCode
			city = ref.places[p].CommuneName
		}
	}
	j.Description = fmt.Sprintf("Au sein de notre équipe à %s, vous participez aux activités du poste « %s ». "+
		"Encadrement technique et accompagnement socio-professionnel assurés tout au long du parcours.", city, strings.ToLower(a.Label))
	j.ProfileDescription = pick(r, profiles)
	if chance(r, 0.8) {
		h := 20 + r.IntN(16)
		j.HoursPerWeek = &h
	}
	j.OpenPositions = 1 + geometric(r, 0.45, 9)
	j.IsResumeMandatory = chance(r, 0.15)
	j.IsQPVMandatory = chance(r, 0.03)
	if c.Kind == org.OPCS {
		j.MarketContextDescription = fmt.Sprintf("Marché public de travaux de la commune de %s, clause sociale de 5 %% des heures travaillées.", home.CommuneName)
	}
	j.UIRank = rank
	j.CreationSource = jobdesc.Manually
	if chance(r, shareHiring) {
		j.CreationSource = jobdesc.Hiring
	}
	j.CreatedAt = between(r, c.CreatedAt, now.Add(-24*time.Hour))
	f.history = []jobdesc.StatusChange{{IsActive: true, ChangedAt: j.CreatedAt, Reason: jobdesc.ReasonCreated}}
	j.IsActive = chance(r, shareActiveFiche)
	if j.IsActive {
		// Refreshed within the last 85 days: the 90-day job leaves it open.
		j.LastEmployerUpdateAt = latest(j.CreatedAt, daysBefore(r, now, 0, 85))
		j.UpdatedAt = j.LastEmployerUpdateAt
		return f
	}
	closed := between(r, j.CreatedAt, now)
	reason := jobdesc.ReasonEmployer
	j.LastEmployerUpdateAt = closed
	if chance(r, shareAutoClosed) && closed.Sub(j.CreatedAt) > 90*24*time.Hour {
		reason = jobdesc.ReasonAutoClose
		j.LastEmployerUpdateAt = closed.Add(-90 * 24 * time.Hour)
	}
	j.UpdatedAt = closed
	f.history = append(f.history, jobdesc.StatusChange{IsActive: false, ChangedAt: closed, Reason: reason})
	return f
}

// drawContract picks a contract allowed for the kind: its main one most of the time.
func drawContract(r *rand.Rand, kind org.CompanyKind, allowed []jobdesc.ContractType) jobdesc.ContractType {
	main := mainContract(kind)
	if jobdesc.ContractAllowed(kind, false, main) && chance(r, 0.8) {
		return main
	}
	if chance(r, 0.15) {
		return jobdesc.Other
	}
	return pick(r, allowed)
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
