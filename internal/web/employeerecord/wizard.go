package employeerecord

import (
	"net/http"
	"strconv"
	"strings"

	"emplois/internal/asp"
	"emplois/internal/employeerecord"
	"emplois/internal/jobseeker"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// The five steps of a fiche salarié (approvals.md §2.15), each a GET form and a POST that saves
// it and goes to the next: /employee_record/create/{key}/{step}.

type wizardStep struct {
	Slug, Title string
}

var wizardSteps = []wizardStep{
	{"etat-civil", "État civil"},
	{"domiciliation", "Domiciliation"},
	{"situation", "Situation"},
	{"annexe", "Annexe financière"},
	{"validation", "Validation"},
}

func stepPath(key, slug string) string { return "/employee_record/create/" + key + "/" + slug }

func (h *Handler) wizardRoutes(rt *page.Router) {
	rt.Handle("POST /employee_record/create", page.EmployerMember, h.startWizard)
	for i, s := range wizardSteps {
		rt.Handle("GET /employee_record/create/{key}/"+s.Slug, page.EmployerMember, h.stepPage(i))
		rt.Handle("POST /employee_record/create/{key}/"+s.Slug, page.EmployerMember, h.stepSave(i))
	}
}

// startWizard opens the journey of a hire (the « Créer » or « Compléter » buttons).
func (h *Handler) startWizard(w http.ResponseWriter, r *http.Request) {
	if !h.kit.ParsePost(w, r) {
		return
	}
	key, err := h.records.StartWizard(r.Context(), h.kit.ActorOf(r), r.PostForm.Get("application"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, stepPath(key, wizardSteps[0].Slug), http.StatusSeeOther)
}

// stepData is what every step page shows.
type stepData struct {
	Step      int // from 1
	StepCount int
	Title     string
	Next      string
	Back      string
	Action    string
	W         *employeerecord.Wizard
	Form      *page.Form
	Checks    []check
	Annexes   []annexOption
	Recap     []recapLine
	EITI      bool
}

type check struct {
	Name, Label string
	Checked     bool
}

type annexOption struct {
	ID                  int64
	Number, State, Ends string
	Checked             bool
}

type recapLine struct{ Label, Value string }

func (h *Handler) stepPage(i int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		wz, err := h.records.WizardOf(r.Context(), h.kit.ActorOf(r), r.PathValue("key"))
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		d := h.stepData(i, wz)
		fillStep(d, wz)
		h.tpl.Render(w, r, http.StatusOK, "wizard.html", "Fiche salarié — "+wizardSteps[i].Title, d)
	}
}

func (h *Handler) stepData(i int, wz *employeerecord.Wizard) *stepData {
	d := &stepData{Step: i + 1, StepCount: len(wizardSteps), Title: wizardSteps[i].Title, W: wz,
		Action: stepPath(wz.Key, wizardSteps[i].Slug), Form: stepForm(i, wz), EITI: wz.Kind == "EITI"}
	if i+1 < len(wizardSteps) {
		d.Next = wizardSteps[i+1].Title
	}
	if i > 0 {
		d.Back = stepPath(wz.Key, wizardSteps[i-1].Slug)
	}
	return d
}

func choices(list []jobseeker.Choice) []page.Choice {
	out := make([]page.Choice, len(list))
	for i, c := range list {
		out[i] = page.Choice{Value: c.Value, Label: c.Label}
	}
	return out
}

// stepForm is the form of step i.
func stepForm(i int, wz *employeerecord.Wizard) *page.Form {
	durations := choices(jobseeker.Durations())
	switch wizardSteps[i].Slug {
	case "etat-civil":
		var countries []page.Choice
		for _, c := range jobseeker.Countries() {
			countries = append(countries, page.Choice{Value: c.Code, Label: c.Name})
		}
		fields := []*page.Field{
			{Name: "title", Label: "Civilité", Required: true, Options: []page.Choice{{Value: "MME", Label: "Madame"}, {Value: "M", Label: "Monsieur"}}},
			{Name: "birth_country", Label: "Pays de naissance", Required: true, Options: countries},
			{Name: "birth_place", Label: "Commune de naissance (code INSEE)", Autocomplete: "off",
				Hint: "Pour une naissance en France : le code INSEE de la commune à la date de naissance, par exemple 75056 pour Paris."},
		}
		if wz.NeedsNTT() {
			fields = append(fields, &page.Field{Name: "ntt", Label: "NTT (numéro technique temporaire)", Required: true, Autocomplete: "off",
				Hint: "Sans numéro de sécurité sociale définitif, l'ASP identifie le salarié par son NTT : 1 ou 2, 9 chiffres, puis des lettres ou chiffres."})
		}
		return page.NewForm(fields...)
	case "domiciliation":
		return page.NewForm(
			&page.Field{Name: "hexa_lane_number", Label: "Numéro de voie", Autocomplete: "off"},
			&page.Field{Name: "hexa_std_extension", Label: "Extension (bis, ter…)", Options: choices(asp.LaneExtensions())},
			&page.Field{Name: "hexa_lane_type", Label: "Type de voie", Required: true, Options: choices(asp.LaneTypes())},
			&page.Field{Name: "hexa_lane_name", Label: "Nom de la voie", Required: true, Autocomplete: "off"},
			&page.Field{Name: "hexa_additional_address", Label: "Complément d'adresse", Hint: "32 caractères au plus."},
			&page.Field{Name: "hexa_post_code", Label: "Code postal", Required: true, Autocomplete: "postal-code"},
			&page.Field{Name: "hexa_commune", Label: "Commune (code INSEE)", Required: true, Autocomplete: "off",
				Hint: "Le code INSEE de la commune, par exemple 59350 pour Lille."},
		)
	case "situation":
		return page.NewForm(
			&page.Field{Name: "education_level", Label: "Niveau de formation", Required: true, Options: choices(jobseeker.EducationLevels())},
			&page.Field{Name: "unemployed_since", Label: "Sans emploi depuis", Options: durations,
				Hint: "Laissez vide si le salarié était en emploi avant l'embauche."},
			&page.Field{Name: "pole_emploi_id", Label: "Identifiant France Travail", Autocomplete: "off"},
			&page.Field{Name: "lack_of_pole_emploi_id_reason", Label: "Sans identifiant France Travail", Options: choices(jobseeker.LackOfFTIDReasons())},
			&page.Field{Name: "pole_emploi_since", Label: "Inscrit à France Travail depuis", Options: durations},
			&page.Field{Name: "has_rsa_allocation", Label: "Bénéficiaire du RSA", Required: true, Options: choices(jobseeker.RSAChoices())},
			&page.Field{Name: "rsa_allocation_since", Label: "RSA depuis", Options: durations},
			&page.Field{Name: "ass_allocation_since", Label: "ASS depuis", Options: durations, Hint: "Vide : pas d'allocation de solidarité spécifique."},
			&page.Field{Name: "aah_allocation_since", Label: "AAH depuis", Options: durations, Hint: "Vide : pas d'allocation aux adultes handicapés."},
			&page.Field{Name: "are_allocation_since", Label: "ARE depuis (EITI)", Options: durations},
			&page.Field{Name: "activity_bonus_since", Label: "Prime d'activité depuis (EITI)", Options: durations},
			&page.Field{Name: "actor_met_for_business_creation", Label: "Acteur rencontré pour la création d'entreprise (EITI)"},
			&page.Field{Name: "mean_monthly_income_before_process", Label: "Revenu mensuel moyen avant l'entrée (EITI, en euros)", Autocomplete: "off"},
			&page.Field{Name: "eiti_contributions", Label: "Cotisations sociales (EITI)", Options: choices(asp.EITIContributionsChoices())},
		)
	case "annexe":
		return page.NewForm(&page.Field{Name: "financial_annex", Label: "Annexe financière", Required: true})
	}
	return page.NewForm()
}

// situationChecks are the yes/no facts of step 3 (jobseeker.SituationFlags, and the EITI
// ones for an EITI), checked as in.
func situationChecks(in jobseeker.SituationInput, p *jobseeker.Profile, eiti bool) []check {
	var out []check
	for _, fl := range jobseeker.SituationFlags {
		out = append(out, check{fl.Name, fl.Label, in.Get(fl.Name) != ""})
	}
	if eiti {
		out = append(out, check{"cape_freelance", "Bénéficiaire CAPE", p.CAPEFreelance}, check{"cesa_freelance", "Bénéficiaire CESA", p.CESAFreelance})
	}
	return out
}

// fillStep sets the values the page starts from: the profile's (or the suggested address).
func fillStep(d *stepData, wz *employeerecord.Wizard) {
	f, p := d.Form.Fields, wz.Profile
	set := func(name, v string) {
		if fld := f[name]; fld != nil {
			fld.Value = v
		}
	}
	switch wizardSteps[d.Step-1].Slug {
	case "etat-civil":
		set("title", wz.Title)
		if p.BirthCountryCode != nil {
			set("birth_country", *p.BirthCountryCode)
		}
		if p.BirthPlaceCode != nil {
			set("birth_place", *p.BirthPlaceCode)
		}
		set("ntt", wz.Draft.NTT)
	case "domiciliation":
		a := wz.Address()
		if a.Empty() {
			a = wz.Suggested
		}
		set("hexa_lane_number", a.LaneNumber)
		set("hexa_std_extension", a.StdExtension)
		set("hexa_lane_type", a.LaneType)
		set("hexa_lane_name", a.LaneName)
		set("hexa_additional_address", a.AdditionalAddress)
		set("hexa_post_code", a.PostCode)
		set("hexa_commune", a.CommuneCode)
	case "situation":
		in := jobseeker.SituationOf(*p)
		for _, n := range jobseeker.SituationFields {
			set(n, in.Get(n))
		}
		set("actor_met_for_business_creation", p.ActorMetForBusinessCreation)
		if c := p.MeanMonthlyIncomeCents; c != nil {
			set("mean_monthly_income_before_process", strconv.FormatInt(*c/100, 10)+","+leftPad(*c%100))
		}
		set("eiti_contributions", p.EITIContributions)
		d.Checks = situationChecks(in, p, d.EITI)
	case "annexe":
		for _, an := range wz.Annexes {
			checked := wz.Record != nil && wz.Record.FinancialAnnexID != nil && *wz.Record.FinancialAnnexID == an.ID
			d.Annexes = append(d.Annexes, annexOption{ID: an.ID, Number: an.Number, State: an.State.Label(), Ends: localtime.Date(an.EndAt), Checked: checked})
		}
	case "validation":
		d.Recap = recap(wz)
	}
}

func leftPad(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// recap is the summary of step 5.
func recap(wz *employeerecord.Wizard) []recapLine {
	p := wz.Profile
	a := wz.Address()
	lines := []recapLine{
		{"Salarié", wz.First + " " + wz.Last},
		{"PASS IAE", wz.Number},
		{"Pays de naissance", jobseeker.CountryName(deref(p.BirthCountryCode))},
		{"Adresse", strings.Join(strings.Fields(strings.Join([]string{a.LaneNumber, a.StdExtension,
			asp.LaneType(a.LaneType).Label(), a.LaneName, a.AdditionalAddress, a.PostCode, a.CommuneCode}, " ")), " ")},
		{"Niveau de formation", p.EducationLevel.Label()},
	}
	if wz.HiringDate != nil {
		lines = append(lines, recapLine{"Début du contrat", localtime.Date(*wz.HiringDate)})
	}
	if wz.Record != nil {
		lines = append(lines, recapLine{"Statut de la fiche", wz.Record.Status.Label()})
	}
	return lines
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// stepSave saves step i and goes to the next, or shows the step again with its errors.
func (h *Handler) stepSave(i int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, a, key := r.Context(), h.kit.ActorOf(r), r.PathValue("key")
		wz, err := h.records.WizardOf(ctx, a, key)
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		d := h.stepData(i, wz)
		if !h.kit.ParseForm(w, r, d.Form) {
			return
		}
		v := func(name string) string { return d.Form.Fields[name].Value }
		on := func(name string) bool { return r.PostForm.Get(name) == "on" }
		// posted is a field's trimmed value, or a check box's ("on" when ticked).
		posted := func(name string) string {
			if fld := d.Form.Fields[name]; fld != nil {
				return fld.Value
			}
			return r.PostForm.Get(name)
		}
		switch wizardSteps[i].Slug {
		case "etat-civil":
			err = h.records.SaveCivil(ctx, a, key, employeerecord.CivilInput{Title: v("title"), BirthCountry: v("birth_country"),
				BirthPlace: v("birth_place"), NTT: r.PostForm.Get("ntt")})
		case "domiciliation":
			err = h.records.SaveAddress(ctx, a, key, employeerecord.Address{LaneNumber: v("hexa_lane_number"), StdExtension: v("hexa_std_extension"),
				LaneType: v("hexa_lane_type"), LaneName: v("hexa_lane_name"), AdditionalAddress: v("hexa_additional_address"),
				PostCode: v("hexa_post_code"), CommuneCode: v("hexa_commune")})
		case "situation":
			err = h.records.SaveSituation(ctx, a, key, jobseeker.SituationFrom(posted),
				employeerecord.EITIInput{CAPE: on("cape_freelance"), CESA: on("cesa_freelance"), Actor: v("actor_met_for_business_creation"),
					Income: v("mean_monthly_income_before_process"), Contributions: v("eiti_contributions")})
		case "annexe":
			id, _ := strconv.ParseInt(v("financial_annex"), 10, 64)
			err = h.records.SaveAnnex(ctx, a, key, id)
		case "validation":
			if _, err = h.records.FinishWizard(ctx, a, key); err == nil {
				h.kit.SetFlash(r, "La fiche salarié est complétée : elle partira vers l'ASP avec le prochain envoi.")
				http.Redirect(w, r, employeerecord.ListPath+"?status=READY", http.StatusSeeOther)
				return
			}
		}
		if err == nil {
			http.Redirect(w, r, stepPath(key, wizardSteps[i+1].Slug), http.StatusSeeOther)
			return
		}
		if !d.Form.Show(err) {
			h.kit.Fail(w, r, err)
			return
		}
		if wizardSteps[i].Slug == "situation" {
			d.Checks = situationChecks(jobseeker.SituationFrom(posted), wz.Profile, d.EITI)
			for j := range d.Checks { // the EITI ones too
				d.Checks[j].Checked = on(d.Checks[j].Name)
			}
		}
		if wizardSteps[i].Slug == "annexe" || wizardSteps[i].Slug == "validation" {
			fillStep(d, wz)
		}
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "wizard.html", "Fiche salarié — "+wizardSteps[i].Title, d)
	}
}
