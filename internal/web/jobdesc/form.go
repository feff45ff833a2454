package jobdesc

import (
	"net/http"

	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/fault"
	"emplois/internal/web/page"
)

// The fiche de poste editor. Field names are les-emplois' (appellation, custom_name,
// contract_type...); the "field" partial gives each input the id "id_<name>".

func ficheForm() *page.Form {
	return page.NewForm(
		&page.Field{Name: "appellation", Label: "Métier", Required: true,
			Hint: "Tapez au moins 2 caractères et choisissez dans la liste, ou saisissez le code ou l'intitulé exact du métier (répertoire ROME)."},
		&page.Field{Name: "custom_name", Label: "Intitulé du poste",
			Hint: "Facultatif : remplace l'intitulé du métier à l'affichage (255 caractères au plus)."},
		&page.Field{Name: "contract_type", Label: "Type de contrat", Required: true},
		&page.Field{Name: "other_contract_type", Label: "Précisez le type de contrat",
			Hint: "Uniquement pour « Autre type de contrat »."},
		&page.Field{Name: "location", Label: "Lieu de travail (commune)"},
		&page.Field{Name: "hours_per_week", Label: "Durée hebdomadaire de travail (en heures)", Type: "number",
			Hint: "Facultatif : entre 1 et 48."},
		&page.Field{Name: "open_positions", Label: "Nombre de postes ouverts", Type: "number", Required: true, Value: "1",
			Hint: "Au moins 1."},
		&page.Field{Name: "description", Label: "Les missions",
			Hint: "Décrivez les tâches, l'environnement de travail, les horaires."},
		&page.Field{Name: "profile_description", Label: "Profil recherché et prérequis",
			Hint: "Savoir-être, permis, expérience : ce qui est indispensable, et ce qui ne l'est pas."},
		&page.Field{Name: "is_resume_mandatory", Label: "Le CV est obligatoire pour postuler"},
		&page.Field{Name: "market_context_description", Label: "Contexte du marché", Required: true,
			Hint: "Le marché public ou privé dont relève ce poste (clause sociale)."},
		&page.Field{Name: "is_qpv_mandatory", Label: "Poste réservé aux personnes résidant dans un quartier prioritaire de la politique de la ville (QPV)"},
	)
}

type selectOption struct{ Value, Label string }

// formData is what form.html shows.
type formData struct {
	Heading, Submit, Action, CompanyName string
	Form                                 *page.Form
	Appellation, Location                page.Combobox
	ContractTypes                        []selectOption
	IsOPCS                               bool
}

// newFormData lays out the form for the editor's company; hidden are the codes picked by
// the autocomplete (or of the fiche being edited).
func newFormData(ed *jobdesc.Editor, form *page.Form, appellationCode, locationCode string) formData {
	d := formData{Heading: "Créer une fiche de poste", Submit: "Publier la fiche de poste",
		Action: "/company/job_description/new", CompanyName: ed.Company.DisplayName(), Form: form,
		IsOPCS: ed.Company.Kind == org.OPCS}
	if ed.Fiche != nil {
		d.Heading, d.Submit = "Modifier la fiche de poste", "Enregistrer les modifications"
		d.Action = "/company/job_description/" + ed.Fiche.UID + "/edit"
	}
	loc := form.Fields["location"]
	loc.Hint = "Tapez au moins 2 caractères et choisissez dans la liste, ou saisissez le code INSEE ou le nom exact de la commune."
	if city := companyCity(ed.Company); city != "" {
		loc.Hint += " Laissez vide si le poste est à " + city + ", la commune de la structure."
	}
	d.Appellation = page.Combobox{Field: form.Fields["appellation"], HiddenName: "appellation_code", HiddenValue: appellationCode,
		Endpoint: "/autocomplete/jobs", ListID: "appellation-options"}
	d.Location = page.Combobox{Field: loc, HiddenName: "location_code", HiddenValue: locationCode,
		Endpoint: "/autocomplete/cities", ListID: "location-options"}
	for _, c := range ed.ContractTypes {
		d.ContractTypes = append(d.ContractTypes, selectOption{Value: string(c), Label: c.Label()})
	}
	return d
}

// fillForm shows an input in the form.
func fillForm(f *page.Form, in jobdesc.Input) {
	set := func(name, v string) { f.Fields[name].Value = v }
	set("appellation", in.Appellation)
	set("custom_name", in.CustomName)
	set("contract_type", in.ContractType)
	set("other_contract_type", in.OtherContractType)
	set("location", in.Location)
	set("hours_per_week", in.HoursPerWeek)
	set("open_positions", in.OpenPositions)
	set("description", in.Description)
	set("profile_description", in.ProfileDescription)
	set("market_context_description", in.MarketContextDescription)
	set("is_resume_mandatory", checkbox(in.IsResumeMandatory))
	set("is_qpv_mandatory", checkbox(in.IsQPVMandatory))
}

func checkbox(on bool) string {
	if on {
		return "on"
	}
	return ""
}

// formInput reads the posted form (already parsed into f).
func formInput(f *page.Form, r *http.Request) jobdesc.Input {
	v := func(name string) string { return f.Fields[name].Value }
	return jobdesc.Input{
		Appellation: v("appellation"), AppellationCode: r.PostForm.Get("appellation_code"),
		CustomName: v("custom_name"), Description: v("description"), ProfileDescription: v("profile_description"),
		ContractType: v("contract_type"), OtherContractType: v("other_contract_type"),
		Location: v("location"), LocationCode: r.PostForm.Get("location_code"),
		HoursPerWeek: v("hours_per_week"), OpenPositions: v("open_positions"),
		IsResumeMandatory: v("is_resume_mandatory") == "on", IsQPVMandatory: v("is_qpv_mandatory") == "on",
		MarketContextDescription: v("market_context_description"),
	}
}

func (h *Handler) newPage(w http.ResponseWriter, r *http.Request) {
	a := h.kit.ActorOf(r)
	ed, err := h.jobdescs.NewEditor(r.Context(), a, jobdesc.CompanyOf(a))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "form.html", "Créer une fiche de poste", newFormData(ed, ficheForm(), "", ""))
}

func (h *Handler) editPage(w http.ResponseWriter, r *http.Request) {
	ed, err := h.jobdescs.EditEditor(r.Context(), h.kit.ActorOf(r), r.PathValue("uid"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	form := ficheForm()
	in := jobdesc.InputOf(ed.Fiche)
	fillForm(form, in)
	h.tpl.Render(w, r, http.StatusOK, "form.html", "Modifier la fiche de poste",
		newFormData(ed, form, in.AppellationCode, in.LocationCode))
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	a := h.kit.ActorOf(r)
	ed, err := h.jobdescs.NewEditor(r.Context(), a, jobdesc.CompanyOf(a))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	form := ficheForm()
	if !h.kit.ParseForm(w, r, form) {
		return
	}
	in := formInput(form, r)
	f, err := h.jobdescs.Create(r.Context(), a, jobdesc.CompanyOf(a), in)
	if err != nil {
		h.refused(w, r, ed, form, in, err, "Créer une fiche de poste")
		return
	}
	h.kit.SetFlash(r, "La fiche de poste « "+f.DisplayName()+" » est publiée.")
	http.Redirect(w, r, jobdesc.ListPath+"#fiche-"+f.UID, http.StatusSeeOther)
}

func (h *Handler) update(w http.ResponseWriter, r *http.Request) {
	a := h.kit.ActorOf(r)
	ed, err := h.jobdescs.EditEditor(r.Context(), a, r.PathValue("uid"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	form := ficheForm()
	if !h.kit.ParseForm(w, r, form) {
		return
	}
	in := formInput(form, r)
	f, err := h.jobdescs.Update(r.Context(), a, ed.Fiche.UID, in)
	if err != nil {
		h.refused(w, r, ed, form, in, err, "Modifier la fiche de poste")
		return
	}
	h.kit.SetFlash(r, "La fiche de poste « "+f.DisplayName()+" » est enregistrée.")
	http.Redirect(w, r, jobdesc.ListPath+"#fiche-"+f.UID, http.StatusSeeOther)
}

// refused shows the form again with the service's field errors (422), or the error page.
func (h *Handler) refused(w http.ResponseWriter, r *http.Request, ed *jobdesc.Editor, form *page.Form, in jobdesc.Input, err error, title string) {
	fes := fault.FieldsOf(err)
	if fes == nil {
		h.kit.Fail(w, r, err)
		return
	}
	for _, fe := range fes {
		form.SetError(fe.Field, fe.Message)
	}
	form.Error = "La fiche de poste n'est pas enregistrée : corrigez les champs signalés."
	h.tpl.Render(w, r, http.StatusUnprocessableEntity, "form.html", title,
		newFormData(ed, form, in.AppellationCode, in.LocationCode))
}
