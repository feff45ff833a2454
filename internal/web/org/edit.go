package org

import (
	"net/http"

	"emplois/internal/org"
	"emplois/internal/web/page"
)

// editData is the edit form of a company or prescriber organization card.
type editData struct {
	Organization org.Ref
	Company      bool
	NameReadOnly bool // France Travail agencies
	Form         *page.Form
}

func companyEditForm(c *org.Company) *page.Form {
	return page.NewForm(
		&page.Field{Name: "brand", Label: "Enseigne", Hint: "Nom sous lequel votre structure est connue, s'il diffère de la raison sociale.", Value: c.Brand},
		&page.Field{Name: "email", Label: "E-mail de contact", Type: "email", Autocomplete: "email", Hint: "Affiché sur la fiche publique de votre structure.", Value: c.Email},
		&page.Field{Name: "phone", Label: "Téléphone", Type: "tel", Autocomplete: "tel", Hint: "Format attendu : 0122334455", Value: c.Phone},
		&page.Field{Name: "website", Label: "Site web", Type: "url", Autocomplete: "url", Hint: "Format attendu : https://www.exemple.fr", Value: c.Website},
		&page.Field{Name: "description", Label: "Présentation de l'activité", Value: c.Description},
		&page.Field{Name: "provided_support", Label: "Type d'accompagnement proposé", Value: c.ProvidedSupport},
	)
}

func prescriberEditForm(p *org.PrescriberOrganization) *page.Form {
	return page.NewForm(
		&page.Field{Name: "name", Label: "Nom de l'organisation", Required: true, Value: p.Name},
		&page.Field{Name: "email", Label: "E-mail de contact", Type: "email", Autocomplete: "email", Value: p.Email},
		&page.Field{Name: "phone", Label: "Téléphone", Type: "tel", Autocomplete: "tel", Hint: "Format attendu : 0122334455", Value: p.Phone},
		&page.Field{Name: "website", Label: "Site web", Type: "url", Autocomplete: "url", Hint: "Format attendu : https://www.exemple.fr", Value: p.Website},
		&page.Field{Name: "description", Label: "Présentation", Hint: "Affichée sur votre fiche publique lorsque votre habilitation est validée.", Value: p.Description},
	)
}

// editForm is the form of the card, filled with what is saved.
func editForm(o *org.Overview) *page.Form {
	if o.Company != nil {
		return companyEditForm(o.Company)
	}
	return prescriberEditForm(o.Prescriber)
}

// editable loads the card for its edit page (the org service refuses those who may not edit it).
func (h *Handler) editable(w http.ResponseWriter, r *http.Request) (*org.Overview, bool) {
	o, err := h.orgs.OverviewToEdit(r.Context(), h.kit.ActorOf(r), r.PathValue("uid"))
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return o, true
}

func (h *Handler) editPage(w http.ResponseWriter, r *http.Request) {
	if o, ok := h.editable(w, r); ok {
		h.renderEdit(w, r, http.StatusOK, o, editForm(o))
	}
}

func (h *Handler) renderEdit(w http.ResponseWriter, r *http.Request, status int, o *org.Overview, f *page.Form) {
	d := editData{Organization: o.Ref, Company: o.Company != nil, Form: f,
		NameReadOnly: o.Prescriber != nil && o.Prescriber.IsFranceTravail()}
	h.tpl.Render(w, r, status, "edit.html", "Modifier "+o.Ref.Name, d)
}

func (h *Handler) edit(w http.ResponseWriter, r *http.Request) {
	o, ok := h.editable(w, r)
	if !ok {
		return
	}
	f := editForm(o)
	if !h.kit.ParseForm(w, r, f) {
		return
	}
	v := func(name string) string { return f.Fields[name].Value }
	contact := org.Contact{Email: v("email"), Phone: v("phone"), Website: v("website"), Description: v("description")}
	var err error
	if o.Company != nil {
		err = h.orgs.UpdateCompany(r.Context(), h.kit.ActorOf(r), o.Ref.UID, org.CompanyUpdate{Brand: v("brand"),
			ProvidedSupport: v("provided_support"), Contact: contact})
	} else {
		if o.Prescriber.IsFranceTravail() { // read-only: the field is not even posted
			f.Fields["name"].Value = o.Prescriber.Name
		}
		err = h.orgs.UpdatePrescriber(r.Context(), h.kit.ActorOf(r), o.Ref.UID, org.PrescriberUpdate{Name: v("name"), Contact: contact})
	}
	if err != nil {
		if f.Show(err) {
			h.renderEdit(w, r, http.StatusUnprocessableEntity, o, f)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.kit.SetFlash(r, "Les informations de votre organisation sont enregistrées.")
	http.Redirect(w, r, org.OverviewPath(o.Ref.UID), http.StatusSeeOther)
}
