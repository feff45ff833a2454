package org

import (
	"net/http"
	"strconv"

	"emplois/internal/org"
	"emplois/internal/web/page"
)

// overviewData is the organization card with what the viewer may do there (decided by the org
// service: Overview.CanEdit, CanCreateAntenna).
type overviewData struct {
	*org.Overview
	Facts page.Facts
	// Company settings, for any member of a company.
	ApplicationsBlocked bool
	SpontaneousOpen     bool
	HabilitationPending bool
}

func (h *Handler) overview(w http.ResponseWriter, r *http.Request) {
	o, err := h.orgs.Overview(r.Context(), h.kit.ActorOf(r), r.PathValue("uid"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := overviewData{Overview: o, Facts: page.Facts{ID: "org-facts"}}
	add := d.Facts.Add
	add("Type", o.Ref.KindLabel())
	switch {
	case o.Company != nil:
		c := o.Company
		add("Raison sociale", c.Name)
		add("SIRET", c.SIRET)
		add("Adresse", c.OneLine())
		add("E-mail de contact", c.Email)
		add("Téléphone", c.Phone)
		add("Site web", c.Website)
		add("Présentation", c.Description)
		add("Type d'accompagnement", c.ProvidedSupport)
		d.ApplicationsBlocked, d.SpontaneousOpen = c.BlockJobApplications, c.SpontaneousApplicationsOpen()
	case o.Prescriber != nil:
		p := o.Prescriber
		add("Habilitation", p.AuthorizationStatus.Label())
		add("SIRET", p.SIRET)
		add("Code SAFIR", p.CodeSAFIR)
		add("Adresse", p.OneLine())
		add("E-mail de contact", p.Email)
		add("Téléphone", p.Phone)
		add("Site web", p.Website)
		add("Présentation", p.Description)
		d.HabilitationPending = p.AuthorizationStatus == org.AuthorizationNotSet
	case o.Institution != nil:
		i := o.Institution
		add("Département", i.Department)
		add("Région", i.Region)
		add("Adresse", i.OneLine())
	}
	add("Collaborateurs actifs", strconv.Itoa(o.ActiveMembers))
	h.tpl.Render(w, r, http.StatusOK, "overview.html", o.Ref.Name+" - Mon organisation", d)
}

// applicationSettings are the buttons of the card's "Candidatures" section: the setting each
// changes and the message once done.
var applicationSettings = map[string]struct {
	spontaneous, on bool
	done            string
}{
	"block":             {false, true, "Les candidatures sont bloquées : plus aucune nouvelle candidature ne peut vous être adressée."},
	"unblock":           {false, false, "Les candidatures sont de nouveau ouvertes."},
	"open_spontaneous":  {true, true, "Les candidatures spontanées sont ouvertes."},
	"close_spontaneous": {true, false, "Les candidatures spontanées sont fermées."},
}

// applications turns "bloquer les candidatures" and the spontaneous applications on or off
// (any member of the company).
func (h *Handler) applications(w http.ResponseWriter, r *http.Request) {
	if !h.kit.ParsePost(w, r) {
		return
	}
	setting, ok := applicationSettings[r.PostForm.Get("action")]
	if !ok {
		h.kit.Error(w, r, http.StatusBadRequest)
		return
	}
	uid, who := r.PathValue("uid"), h.kit.ActorOf(r)
	var err error
	if setting.spontaneous {
		err = h.orgs.SetSpontaneousApplications(r.Context(), who, uid, setting.on)
	} else {
		err = h.orgs.SetJobApplicationsBlocked(r.Context(), who, uid, setting.on)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.kit.SetFlash(r, setting.done)
	http.Redirect(w, r, org.OverviewPath(uid), http.StatusSeeOther)
}
