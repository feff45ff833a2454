package jobdesc

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"emplois/internal/application"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// applyInfo is what the "Comment postuler ?" block needs (partial "jobdesc_how_to_apply").
type applyInfo struct {
	Blocked, SpontaneousOpen, LoggedIn bool
	Next                               string // the page to come back to after login
	// ApplyURL starts the submission tunnels (« Postuler », or « Enregistrer une candidature »
	// for a member of the company: ApplyLabel); "" when the viewer may not apply here.
	ApplyURL, ApplyLabel string
}

// newApplyInfo is the block for the viewer of a company's page; ficheUID preselects a fiche.
// Job seekers, employers, prescribers and anonymous visitors (asked to log in by the start
// page) may apply, not to a blocked company (but its members); a member applies for their own
// company only where auto-prescription exists (SIAE, GEIQ).
func newApplyInfo(v page.Viewer, co *org.Company, open bool, next, ficheUID string) applyInfo {
	info := applyInfo{Blocked: co.BlockJobApplications, SpontaneousOpen: co.SpontaneousApplicationsOpen(),
		LoggedIn: v.Authenticated(), Next: next}
	own := v.Organization != nil && v.Organization.FromEmployer() && v.Organization.UID == co.UID
	switch {
	case own && (co.Kind.IsSIAE() || co.Kind == org.GEIQ):
		info.ApplyLabel = "Enregistrer une candidature"
	case own || !open || co.BlockJobApplications:
		return info
	case !v.Authenticated() || v.Kind == actor.JobSeeker:
		info.ApplyLabel = "Postuler"
	case v.Organization != nil && (v.Organization.FromEmployer() || v.Organization.FromPrescriber()):
		info.ApplyLabel = "Postuler pour un candidat"
	default:
		return info
	}
	info.ApplyURL = application.StartPath(co.UID)
	if ficheUID != "" {
		info.ApplyURL += "?job_description_id=" + url.QueryEscape(ficheUID)
	}
	return info
}

// companyCardData is what company_card.html shows.
type companyCardData struct {
	Name, KindLabel, Description, ProvidedSupport string
	Address, Phone, PhoneLink, Email, Website     string
	Blocked, Hiring, SpontaneousOpen              bool
	Fiches                                        []ficheSummary
	Apply                                         applyInfo
}

type ficheSummary struct{ URL, Name, Contract, Location, Positions string }

func (h *Handler) companyCard(w http.ResponseWriter, r *http.Request) {
	card, err := h.jobdescs.CompanyCard(r.Context(), r.PathValue("uid"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	co := card.Company
	d := companyCardData{Name: co.DisplayName(), KindLabel: co.Kind.Label(), Description: co.Description,
		ProvidedSupport: co.ProvidedSupport, Address: co.Address.OneLine(), Phone: co.Phone,
		PhoneLink: strings.ReplaceAll(co.Phone, " ", ""), Email: co.Email, Website: co.Website,
		Blocked: card.Blocked, Hiring: card.Hiring, SpontaneousOpen: card.SpontaneousOpen,
		Apply: newApplyInfo(page.ViewerOf(r), co, card.Hiring, r.URL.Path, "")}
	for _, f := range card.Fiches {
		d.Fiches = append(d.Fiches, ficheSummary{URL: jobdesc.CardPath(f.UID), Name: f.DisplayName(),
			Contract: f.ContractLabel(), Location: jobdesc.LocationLabel(f, co),
			Positions: page.Plural(f.OpenPositions, "poste ouvert", "postes ouverts")})
	}
	h.tpl.Render(w, r, http.StatusOK, "company_card.html", d.Name+" - Fiche de l'employeur", d)
}

// ficheCardData is what card.html shows.
type ficheCardData struct {
	Name, Contract                                  string
	Description, Profile, MarketContext             string
	Open, Blocked                                   bool
	Facts                                           page.Facts // "En bref"
	CompanyName, CompanyURL, KindLabel, CompanyCity string
	Apply                                           applyInfo
}

func (h *Handler) ficheCard(w http.ResponseWriter, r *http.Request) {
	card, err := h.jobdescs.FicheCard(r.Context(), r.PathValue("uid"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	f, co := card.Fiche, card.Company
	d := ficheCardData{Name: f.DisplayName(), Contract: f.ContractLabel(), Description: f.Description,
		Profile: f.ProfileDescription, MarketContext: f.MarketContextDescription, Open: card.Open, Blocked: card.Blocked,
		Facts:       page.Facts{ID: "fiche-facts"},
		CompanyName: co.DisplayName(), CompanyURL: jobdesc.CompanyCardPath(co.UID), KindLabel: co.Kind.Label(),
		CompanyCity: companyCity(co),
		Apply:       newApplyInfo(page.ViewerOf(r), co, card.Open, r.URL.Path, f.UID)}
	if f.Appellation != nil {
		d.Facts.Add("Métier", f.Appellation.DisplayLabel())
	}
	d.Facts.Add("Type de contrat", d.Contract)
	d.Facts.Add("Lieu de travail", jobdesc.LocationLabel(f, co))
	if f.HoursPerWeek != nil {
		d.Facts.Add("Durée hebdomadaire", fmt.Sprintf("%d heures par semaine", *f.HoursPerWeek))
	}
	d.Facts.Add("Postes ouverts", strconv.Itoa(f.OpenPositions))
	if f.IsResumeMandatory {
		d.Facts.Add("CV", "Obligatoire pour postuler")
	}
	if f.IsQPVMandatory {
		d.Facts.Add("Résidence", "Poste réservé aux personnes résidant dans un quartier prioritaire de la politique de la ville (QPV)")
	}
	d.Facts.Add("Mise à jour", localtime.Date(card.UpdatedAt))
	h.tpl.Render(w, r, http.StatusOK, "card.html", d.Name, d)
}
