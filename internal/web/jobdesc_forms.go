package web

import (
	"net/http"

	"emplois/internal/web/page"

	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/fault"
)

// The fiche de poste editor. Field names are les-emplois' (appellation, custom_name,
// contract_type...); the "field" partial gives each input the id "id_<name>".

func jobdescForm() *Form {
	return newForm(
		&Field{Name: "appellation", Label: "Métier", Required: true,
			Hint: "Tapez au moins 2 caractères et choisissez dans la liste, ou saisissez le code ou l'intitulé exact du métier (répertoire ROME)."},
		&Field{Name: "custom_name", Label: "Intitulé du poste",
			Hint: "Facultatif : remplace l'intitulé du métier à l'affichage (255 caractères au plus)."},
		&Field{Name: "contract_type", Label: "Type de contrat", Required: true},
		&Field{Name: "other_contract_type", Label: "Précisez le type de contrat",
			Hint: "Uniquement pour « Autre type de contrat »."},
		&Field{Name: "location", Label: "Lieu de travail (commune)"},
		&Field{Name: "hours_per_week", Label: "Durée hebdomadaire de travail (en heures)", Type: "number",
			Hint: "Facultatif : entre 1 et 48."},
		&Field{Name: "open_positions", Label: "Nombre de postes ouverts", Type: "number", Required: true, Value: "1",
			Hint: "Au moins 1."},
		&Field{Name: "description", Label: "Les missions",
			Hint: "Décrivez les tâches, l'environnement de travail, les horaires."},
		&Field{Name: "profile_description", Label: "Profil recherché et prérequis",
			Hint: "Savoir-être, permis, expérience : ce qui est indispensable, et ce qui ne l'est pas."},
		&Field{Name: "is_resume_mandatory", Label: "Le CV est obligatoire pour postuler"},
		&Field{Name: "market_context_description", Label: "Contexte du marché", Required: true,
			Hint: "Le marché public ou privé dont relève ce poste (clause sociale)."},
		&Field{Name: "is_qpv_mandatory", Label: "Poste réservé aux personnes résidant dans un quartier prioritaire de la politique de la ville (QPV)"},
	)
}

type selectOption struct{ Value, Label string }

// jobdescFormData is what jobdesc/form.html shows.
type jobdescFormData struct {
	Heading, Submit, Action, CompanyName string
	Form                                 *Form
	Appellation, Location                page.Combobox
	ContractTypes                        []selectOption
	IsOPCS                               bool
}

// newJobdescFormData lays out the form for the editor's company; hidden are the codes picked by
// the autocomplete (or of the fiche being edited).
func newJobdescFormData(ed *jobdesc.Editor, form *Form, appellationCode, locationCode string) jobdescFormData {
	d := jobdescFormData{Heading: "Créer une fiche de poste", Submit: "Publier la fiche de poste",
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

// fillJobdescForm shows an input in the form.
func fillJobdescForm(f *Form, in jobdesc.Input) {
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

// jobdescInput reads the posted form (already parsed into f).
func jobdescInput(f *Form, r *http.Request) jobdesc.Input {
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

func (s *Server) jobdescNewPage(w http.ResponseWriter, r *http.Request) {
	a := s.actorOf(r)
	ed, err := s.jobdescs.NewEditor(r.Context(), a, jobdesc.CompanyOf(a))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "jobdesc/form.html", "Créer une fiche de poste", newJobdescFormData(ed, jobdescForm(), "", ""))
}

func (s *Server) jobdescEditPage(w http.ResponseWriter, r *http.Request) {
	ed, err := s.jobdescs.EditEditor(r.Context(), s.actorOf(r), r.PathValue("uid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := jobdescForm()
	in := jobdesc.InputOf(ed.Fiche)
	fillJobdescForm(form, in)
	s.render(w, r, http.StatusOK, "jobdesc/form.html", "Modifier la fiche de poste",
		newJobdescFormData(ed, form, in.AppellationCode, in.LocationCode))
}

func (s *Server) jobdescCreate(w http.ResponseWriter, r *http.Request) {
	a := s.actorOf(r)
	ed, err := s.jobdescs.NewEditor(r.Context(), a, jobdesc.CompanyOf(a))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := jobdescForm()
	if !s.parseForm(w, r, form) {
		return
	}
	in := jobdescInput(form, r)
	f, err := s.jobdescs.Create(r.Context(), a, jobdesc.CompanyOf(a), in)
	if err != nil {
		s.jobdescFormRefused(w, r, ed, form, in, err, "Créer une fiche de poste")
		return
	}
	s.setFlash(r, "La fiche de poste « "+f.DisplayName()+" » est publiée.")
	http.Redirect(w, r, jobdesc.ListPath+"#fiche-"+f.UID, http.StatusSeeOther)
}

func (s *Server) jobdescUpdate(w http.ResponseWriter, r *http.Request) {
	a := s.actorOf(r)
	ed, err := s.jobdescs.EditEditor(r.Context(), a, r.PathValue("uid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := jobdescForm()
	if !s.parseForm(w, r, form) {
		return
	}
	in := jobdescInput(form, r)
	f, err := s.jobdescs.Update(r.Context(), a, ed.Fiche.UID, in)
	if err != nil {
		s.jobdescFormRefused(w, r, ed, form, in, err, "Modifier la fiche de poste")
		return
	}
	s.setFlash(r, "La fiche de poste « "+f.DisplayName()+" » est enregistrée.")
	http.Redirect(w, r, jobdesc.ListPath+"#fiche-"+f.UID, http.StatusSeeOther)
}

// jobdescFormRefused shows the form again with the service's field errors (422), or the error page.
func (s *Server) jobdescFormRefused(w http.ResponseWriter, r *http.Request, ed *jobdesc.Editor, form *Form, in jobdesc.Input, err error, title string) {
	fes := fault.FieldsOf(err)
	if fes == nil {
		s.fail(w, r, err)
		return
	}
	for _, fe := range fes {
		setFieldError(form, fe)
	}
	form.Error = "La fiche de poste n'est pas enregistrée : corrigez les champs signalés."
	s.render(w, r, http.StatusUnprocessableEntity, "jobdesc/form.html", title,
		newJobdescFormData(ed, form, in.AppellationCode, in.LocationCode))
}
