package org

import (
	"net/http"

	"emplois/internal/org"
	"emplois/internal/web/page"
)

// antennaData is the antenna creation page.
type antennaData struct {
	Parent org.Ref
	Form   *page.Form
}

func antennaForm() *page.Form {
	return page.NewForm(
		&page.Field{Name: "siret", Label: "Numéro SIRET de l'antenne", Required: true, Hint: "14 chiffres, commençant par le SIREN de votre structure."},
		&page.Field{Name: "name", Label: "Nom de l'antenne", Required: true},
		&page.Field{Name: "address_line_1", Label: "Adresse", Autocomplete: "address-line1", Required: true},
		&page.Field{Name: "address_line_2", Label: "Complément d'adresse", Autocomplete: "address-line2"},
		&page.Field{Name: "post_code", Label: "Code postal", Autocomplete: "postal-code", Required: true, Hint: "Format attendu : 5 chiffres"},
		&page.Field{Name: "city", Label: "Ville", Autocomplete: "address-level2", Required: true},
		&page.Field{Name: "email", Label: "E-mail de contact", Type: "email", Autocomplete: "email"},
		&page.Field{Name: "phone", Label: "Téléphone", Type: "tel", Autocomplete: "tel", Hint: "Format attendu : 0122334455"},
	)
}

// antennaParent loads the company the viewer creates an antenna of; the org service refuses
// those who may not, and a company that cannot have antennas (fail sends back to its card).
func (h *Handler) antennaParent(w http.ResponseWriter, r *http.Request) (*org.Overview, bool) {
	o, err := h.orgs.AntennaParent(r.Context(), h.kit.ActorOf(r), r.PathValue("uid"))
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return o, true
}

func (h *Handler) renderAntenna(w http.ResponseWriter, r *http.Request, status int, d antennaData) {
	h.tpl.Render(w, r, status, "antenna.html", "Créer une antenne", d)
}

func (h *Handler) antennaPage(w http.ResponseWriter, r *http.Request) {
	if o, ok := h.antennaParent(w, r); ok {
		h.renderAntenna(w, r, http.StatusOK, antennaData{Parent: o.Ref, Form: antennaForm()})
	}
}

func (h *Handler) createAntenna(w http.ResponseWriter, r *http.Request) {
	o, ok := h.antennaParent(w, r)
	if !ok {
		return
	}
	f := antennaForm()
	if !h.kit.ParseForm(w, r, f) {
		return
	}
	d := antennaData{Parent: o.Ref, Form: f}
	if !f.Require("siret", "name", "address_line_1", "post_code", "city") {
		h.renderAntenna(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	v := func(name string) string { return f.Fields[name].Value }
	c, err := h.orgs.CreateAntenna(r.Context(), h.kit.ActorOf(r), o.Ref.UID, org.AntennaInput{
		SIRET: v("siret"), Name: v("name"), Contact: org.Contact{Email: v("email"), Phone: v("phone")},
		Address: org.AddressInput{Line1: v("address_line_1"), Line2: v("address_line_2"), PostCode: v("post_code"), City: v("city")},
	})
	if err != nil {
		if f.Show(err) {
			h.renderAntenna(w, r, http.StatusUnprocessableEntity, d)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.kit.ActFor(r.Context(), org.Ref{Type: org.TypeCompany, UID: c.UID})
	h.kit.SetFlash(r, "L'antenne « "+c.Name+" » est créée : vous en êtes administrateur et agissez maintenant pour elle.")
	http.Redirect(w, r, org.OverviewPath(c.UID), http.StatusSeeOther)
}
