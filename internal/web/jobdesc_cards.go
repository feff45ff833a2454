package web

import (
	"fmt"
	"net/http"
	"strings"

	"emplois/internal/jobdesc"
	"emplois/internal/platform/localtime"
)

// applyInfo is what the "Comment postuler ?" block needs (partial "jobdesc_how_to_apply").
type applyInfo struct {
	Blocked, SpontaneousOpen, LoggedIn bool
	Next                               string // the page to come back to after login
}

// companyCardData is what jobdesc/company_card.html shows.
type companyCardData struct {
	Name, KindLabel, Description, ProvidedSupport string
	Address, Phone, PhoneLink, Email, Website     string
	Blocked, Hiring, SpontaneousOpen              bool
	Fiches                                        []ficheSummary
	Apply                                         applyInfo
}

type ficheSummary struct{ URL, Name, Contract, Location, Positions string }

func (s *Server) companyCard(w http.ResponseWriter, r *http.Request) {
	card, err := s.jobdescs.CompanyCard(r.Context(), r.PathValue("uid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	co := card.Company
	d := companyCardData{Name: co.DisplayName(), KindLabel: co.Kind.Label(), Description: co.Description,
		ProvidedSupport: co.ProvidedSupport, Address: co.Address.OneLine(), Phone: co.Phone,
		PhoneLink: strings.ReplaceAll(co.Phone, " ", ""), Email: co.Email, Website: co.Website,
		Blocked: card.Blocked, Hiring: card.Hiring, SpontaneousOpen: card.SpontaneousOpen,
		Apply: applyInfo{Blocked: card.Blocked, SpontaneousOpen: card.SpontaneousOpen,
			LoggedIn: viewerFrom(r.Context()).Authenticated(), Next: r.URL.Path}}
	for _, f := range card.Fiches {
		d.Fiches = append(d.Fiches, ficheSummary{URL: jobdescCardURL(f.UID), Name: f.DisplayName(),
			Contract: f.ContractLabel(), Location: jobdesc.LocationLabel(f, co),
			Positions: plural(f.OpenPositions, "poste ouvert", "postes ouverts")})
	}
	s.render(w, r, http.StatusOK, "jobdesc/company_card.html", d.Name+" - Fiche de l'employeur", d)
}

// jobdescCardData is what jobdesc/card.html shows.
type jobdescCardData struct {
	Name, Appellation, Contract, Location, Hours, UpdatedOn string
	Description, Profile, MarketContext                     string
	OpenPositions                                           int
	ResumeMandatory, QPVMandatory, Open, Blocked            bool
	CompanyName, CompanyURL, KindLabel, CompanyCity         string
	Apply                                                   applyInfo
}

func (s *Server) jobdescCard(w http.ResponseWriter, r *http.Request) {
	card, err := s.jobdescs.FicheCard(r.Context(), r.PathValue("uid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, co := card.Fiche, card.Company
	d := jobdescCardData{Name: f.DisplayName(), Contract: f.ContractLabel(), Location: jobdesc.LocationLabel(f, co),
		UpdatedOn: localtime.Date(card.UpdatedAt), Description: f.Description, Profile: f.ProfileDescription,
		MarketContext: f.MarketContextDescription, OpenPositions: f.OpenPositions,
		ResumeMandatory: f.IsResumeMandatory, QPVMandatory: f.IsQPVMandatory, Open: card.Open, Blocked: card.Blocked,
		CompanyName: co.DisplayName(), CompanyURL: companyCardURL(co.UID), KindLabel: co.Kind.Label(),
		CompanyCity: companyCity(co),
		Apply: applyInfo{Blocked: card.Blocked, SpontaneousOpen: co.SpontaneousApplicationsOpen(),
			LoggedIn: viewerFrom(r.Context()).Authenticated(), Next: r.URL.Path}}
	if f.Appellation != nil {
		d.Appellation = f.Appellation.DisplayLabel()
	}
	if f.HoursPerWeek != nil {
		d.Hours = fmt.Sprintf("%d heures par semaine", *f.HoursPerWeek)
	}
	s.render(w, r, http.StatusOK, "jobdesc/card.html", d.Name, d)
}
