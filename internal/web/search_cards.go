package web

import (
	"bytes"
	"html/template"

	"emplois/internal/jobdesc"
	"emplois/internal/platform/localtime"
	"emplois/internal/search"
)

// A result card of the employer and fiche tabs is the same in every search of one version of
// the search index but for its distance, and popular places show the same cards again and
// again: the cards are rendered once per result and version, in two parts around the distance,
// and kept until the index changes. A card is a few dozen template actions, most of a search
// page's rendering time.

// maxCachedCards bounds the cards kept (~1 KB each): the popular places' cards stay, a crawler
// walking every page cannot grow it past ~10 MB.
const maxCachedCards = 10000

// renderedCard is a result card as the page writes it: Head, the distance, Tail.
type renderedCard struct {
	Head, Tail template.HTML
	Distance   string
}

// cardKey names a card: an employer's (by company id) or a fiche de poste's (by fiche id).
type cardKey struct {
	fiche bool
	id    int64
}

// cachedCard returns the card key of version v, rendered by render the first time.
func (s *Server) cachedCard(v search.Version, key cardKey, render func() (renderedCard, error)) (renderedCard, error) {
	if card, ok := s.searchCards.Get(v, key); ok {
		return card, nil
	}
	card, err := render()
	if err != nil {
		return renderedCard{}, err
	}
	s.searchCards.Put(v, key, card)
	return card, nil
}

// renderEmployerCard renders the two parts of e's card.
func (s *Server) renderEmployerCard(e search.EmployerResult) (renderedCard, error) {
	card := employerCard{Name: e.DisplayName(), KindLabel: e.Kind.Label(), City: cityLabel(e.CityName, e.Department),
		URL: jobdesc.CompanyCardPath(e.UID), Blocked: e.Blocked, Hiring: e.Hiring, SpontaneousOpen: e.SpontaneousOpen,
		FichesLabel: plural(len(e.Fiches), "fiche de poste ouverte", "fiches de poste ouvertes")}
	for _, f := range e.Fiches[:min(len(e.Fiches), maxFichesOnCard)] {
		card.Fiches = append(card.Fiches, ficheLink{Title: f.Title, Contract: f.Contract, URL: jobdesc.CardPath(f.UID)})
	}
	if len(e.Fiches) > maxFichesOnCard {
		card.AllFichesURL = card.URL + "#recrutements"
	}
	return s.renderCard(searchEmployersTemplate, "employer_card", card)
}

// renderFicheCard renders the two parts of f's card.
func (s *Server) renderFicheCard(f search.FicheResult) (renderedCard, error) {
	return s.renderCard(searchFichesTemplate, "fiche_card", ficheCard{Title: f.Title, Contract: f.Contract,
		CompanyName: f.CompanyName, CompanyURL: jobdesc.CompanyCardPath(f.CompanyUID), KindLabel: f.CompanyKind.Label(),
		City: cityLabel(f.CityName, f.Department), URL: jobdesc.CardPath(f.UID), UpdatedOn: localtime.Date(f.UpdatedAt),
		Positions: plural(f.OpenPositions, "poste ouvert", "postes ouverts")})
}

// renderCard executes the templates name_head and name_tail of page with data.
func (s *Server) renderCard(page, name string, data any) (renderedCard, error) {
	t := s.templates.Lookup(page)
	var head, tail bytes.Buffer
	if err := t.ExecuteTemplate(&head, name+"_head", data); err != nil {
		return renderedCard{}, err
	}
	if err := t.ExecuteTemplate(&tail, name+"_tail", data); err != nil {
		return renderedCard{}, err
	}
	// Written by html/template from escaped data: safe to write as is.
	return renderedCard{Head: template.HTML(head.String()), Tail: template.HTML(tail.String())}, nil
}
