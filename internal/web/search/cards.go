package search

import (
	"strconv"
	"strings"

	"emplois/internal/jobdesc"
	"emplois/internal/platform/localtime"
	"emplois/internal/search"
	"emplois/internal/web/page"
)

// A result card of the employer and fiche tabs is the same in every search of one version of
// the search index but for its distance, and popular places show the same cards again and
// again: a card's values are built once per result and version and kept until the index
// changes; the template writes them with the distance of each search.

// maxCachedCards bounds the cards kept per tab (~0.5 KB each): the popular places' cards stay,
// a crawler walking every page cannot grow it past a few MB.
const maxCachedCards = 10000

// employerCard is what an employer card shows but its distance.
type employerCard struct {
	Name, URL string
	// Place is the kind and the city: "Atelier chantier d'insertion · Lyon (69)".
	Place                            string
	Blocked, Hiring, SpontaneousOpen bool
	// FichesLabel counts the open fiches ("3 fiches de poste ouvertes"); Fiches are the first
	// maxFichesOnCard, and AllFichesURL (when there are more) the company card that lists them all.
	FichesLabel  string
	Fiches       []ficheLink
	AllFichesURL string
}

// maxFichesOnCard bounds the fiches listed on an employer card: some employers have dozens,
// which would bury the next cards; the card of the company and the fiche tab list them all.
const maxFichesOnCard = 5

type ficheLink struct{ Title, Contract, URL string }

// ficheCard is what a fiche de poste card shows but its distance.
type ficheCard struct {
	Title, URL string
	// Place is the contract and the city: "CDD insertion · Lyon (69)".
	Place                                         string
	Positions, CompanyName, CompanyURL, KindLabel string
	UpdatedOn                                     string
}

// employerRow and ficheRow are a card as one search shows it: with its distance. (Not
// embedded: the template would look every field of the card up through the embedding, which
// costs an allocation per field.)
type employerRow struct {
	Card     *employerCard
	Distance string
}

type ficheRow struct {
	Card     *ficheCard
	Distance string
}

// employerCard returns the card of e in version v of the index.
func (h *Handler) employerCard(v search.Version, e search.EmployerResult) *employerCard {
	if card, ok := h.employerCards.Get(v, e.ID); ok {
		return card
	}
	card := &employerCard{Name: e.DisplayName(), URL: jobdesc.CompanyCardPath(e.UID),
		Place:   e.Kind.Label() + " · " + cityLabel(e.CityName, e.Department),
		Blocked: e.Blocked, Hiring: e.Hiring, SpontaneousOpen: e.SpontaneousOpen,
		FichesLabel: page.Plural(len(e.Fiches), "fiche de poste ouverte", "fiches de poste ouvertes")}
	for _, f := range e.Fiches[:min(len(e.Fiches), maxFichesOnCard)] {
		card.Fiches = append(card.Fiches, ficheLink{Title: f.Title, Contract: f.Contract, URL: jobdesc.CardPath(f.UID)})
	}
	if len(e.Fiches) > maxFichesOnCard {
		card.AllFichesURL = card.URL + "#recrutements"
	}
	h.employerCards.Put(v, e.ID, card)
	return card
}

// ficheCard returns the card of f in version v of the index.
func (h *Handler) ficheCard(v search.Version, f search.FicheResult) *ficheCard {
	if card, ok := h.ficheCards.Get(v, f.ID); ok {
		return card
	}
	card := &ficheCard{Title: f.Title, URL: jobdesc.CardPath(f.UID), Place: f.Contract + " · " + cityLabel(f.CityName, f.Department),
		Positions: page.Plural(f.OpenPositions, "poste ouvert", "postes ouverts"), CompanyName: f.CompanyName,
		CompanyURL: jobdesc.CompanyCardPath(f.CompanyUID), KindLabel: f.CompanyKind.Label(), UpdatedOn: localtime.Date(f.UpdatedAt)}
	h.ficheCards.Put(v, f.ID, card)
	return card
}

// distanceLabel is how far a result is: "à 3,2 km", "à moins de 100 m".
func distanceLabel(km float64) string {
	if km < 0.1 {
		return "à moins de 100 m"
	}
	return "à " + strings.Replace(strconv.FormatFloat(km, 'f', 1, 64), ".", ",", 1) + " km"
}

func cityLabel(name, department string) string {
	if name == "" {
		return department
	}
	if department == "" {
		return name
	}
	return name + " (" + department + ")"
}
