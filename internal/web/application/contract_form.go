package application

import (
	"context"

	"emplois/internal/application"
	"emplois/internal/jobdesc"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// The contract step (applications.md §3.5-3), shared by the acceptance wizard and the direct hire
// (§3.4-5): the dates, the « Poste retenu » (a fiche, or one of a new métier), the GEIQ contract
// fields, the member who follows the job seeker and the message to the candidate. Its values
// travel in the page from the form to the confirmation.

var contractTypes = []application.ContractType{application.ContractApprenticeship, application.ContractProfessionalTraining, application.ContractOther}
var qualificationTypes = []application.QualificationType{application.QualificationStateDiploma, application.QualificationCQP, application.QualificationCCN}
var qualificationLevels = []application.QualificationLevel{application.Level3, application.Level4, application.Level5, application.LevelNotRelevant}

// newJob is the « Poste retenu » value that asks for a fiche of a new métier (§3.5-3).
const newJob = "new"

// selectField is a select of the "select" partial: its field and its options.
type selectField struct {
	Field   *page.Field
	Options []choice
}

// contractFields are the names of the contract step's fields, in the order the confirmation
// carries them.
var contractFields = []string{"hiring_start_at", "hiring_end_at", "hired_job", "appellation", "appellation_code", "location",
	"location_code", "advisor", "contract_type", "contract_type_details", "nb_hours_per_week", "qualification_type",
	"qualification_level", "planned_training_hours", "inverted_vae_contract", "answer"}

// contractForm is the empty contract step.
func contractForm() *page.Form {
	return page.NewForm(
		&page.Field{Name: "hiring_start_at", Label: "Date de début du contrat", Type: "date", Required: true},
		&page.Field{Name: "hiring_end_at", Label: "Date prévisionnelle de fin du contrat", Type: "date",
			Hint: "Facultative ; pour un CDI Inclusion, laissez-la vide."},
		&page.Field{Name: "hired_job", Label: "Poste retenu"},
		&page.Field{Name: "appellation", Label: "Métier du nouveau poste",
			Hint: "Tapez au moins 2 caractères et choisissez dans la liste, ou saisissez le code ou l'intitulé exact du métier."},
		&page.Field{Name: "appellation_code", Label: "Code du métier"},
		&page.Field{Name: "location", Label: "Commune du nouveau poste",
			Hint: "Laissez vide si le poste est dans la commune de la structure."},
		&page.Field{Name: "location_code", Label: "Code de la commune"},
		&page.Field{Name: "contract_type", Label: "Type de contrat"},
		&page.Field{Name: "contract_type_details", Label: "Précisez le type de contrat"},
		&page.Field{Name: "nb_hours_per_week", Label: "Nombre d'heures par semaine", Type: "number"},
		&page.Field{Name: "qualification_type", Label: "Type de qualification visé"},
		&page.Field{Name: "qualification_level", Label: "Niveau de qualification"},
		&page.Field{Name: "planned_training_hours", Label: "Nombre d'heures de formation prévues", Type: "number", Value: "0"},
		&page.Field{Name: "inverted_vae_contract", Label: "Contrat de professionnalisation expérimental (VAE inversée)"},
		&page.Field{Name: "advisor", Label: "Accompagnateur du candidat au sein de votre structure"},
		&page.Field{Name: "answer", Label: "Message au candidat"},
	)
}

// contractStep is what the "contract_step" partial shows, and, on the confirmation, the summary
// and the values carried.
type contractStep struct {
	H            *application.HiringChoices
	Form         *page.Form
	Open, Closed []choice
	// NewJob: « Ajouter un poste lié à un nouveau métier » is chosen, with its métier and place.
	NewJob                                    bool
	Appellation, Location                     page.Combobox
	Advisor, Contracts, QualTypes, QualLevels selectField
	VAE                                       bool
}

// newContractStep lays out f for the hire's choices; viewer is the member who hires, the
// advisor unless another one is chosen (§3.5-3).
func newContractStep(hc *application.HiringChoices, f *page.Form, viewer string) *contractStep {
	c := &contractStep{H: hc, Form: f, VAE: f.Fields["inverted_vae_contract"].Value != ""}
	if hc.IsGEIQ() { // every contract field and the hired fiche are required (§3.5-3)
		for _, name := range []string{"hired_job", "contract_type", "nb_hours_per_week", "qualification_type", "qualification_level", "planned_training_hours"} {
			f.Fields[name].Required = true
		}
	}
	c.Appellation = page.Combobox{Field: f.Fields["appellation"], HiddenName: "appellation_code", HiddenValue: f.Fields["appellation_code"].Value,
		Endpoint: "/autocomplete/jobs", ListID: "appellation-options"}
	c.Location = page.Combobox{Field: f.Fields["location"], HiddenName: "location_code", HiddenValue: f.Fields["location_code"].Value,
		Endpoint: "/autocomplete/cities", ListID: "location-options"}
	hired := f.Fields["hired_job"].Value
	c.NewJob = hired == newJob
	advisor := f.Fields["advisor"].Value
	if advisor == "" {
		advisor = viewer
	}
	c.Advisor.Field = f.Fields["advisor"]
	for _, a := range hc.Advisors {
		c.Advisor.Options = append(c.Advisor.Options, choice{a.PublicID, a.Name, a.PublicID == advisor})
	}
	for _, jd := range hc.Open {
		c.Open = append(c.Open, choice{jd.UID, hc.Labels[jd.UID], jd.UID == hired})
	}
	for _, jd := range hc.Closed {
		c.Closed = append(c.Closed, choice{jd.UID, hc.Labels[jd.UID], jd.UID == hired})
	}
	c.Contracts.Field, c.QualTypes.Field, c.QualLevels.Field = f.Fields["contract_type"], f.Fields["qualification_type"], f.Fields["qualification_level"]
	for _, t := range contractTypes {
		c.Contracts.Options = append(c.Contracts.Options, choice{string(t), t.Label(), string(t) == c.Contracts.Field.Value})
	}
	for _, q := range qualificationTypes {
		c.QualTypes.Options = append(c.QualTypes.Options, choice{string(q), q.Label(), string(q) == c.QualTypes.Field.Value})
	}
	for _, q := range qualificationLevels {
		c.QualLevels.Options = append(c.QualLevels.Options, choice{string(q), q.Label(), string(q) == c.QualLevels.Field.Value})
	}
	return c
}

// readContract reads the contract step posted in f for the hire's choices: the dates and numbers,
// the advisor, the new métier's fiche, then the checks of §3.5-3, each error on its field. A
// non-nil error is one no field can show.
func (h *Handler) readContract(ctx context.Context, hc *application.HiringChoices, f *page.Form) (application.AcceptInput, error) {
	v := func(name string) string { return f.Fields[name].Value }
	in := application.AcceptInput{HiringStartAt: formDate(f, "hiring_start_at"), HiringEndAt: formDate(f, "hiring_end_at"),
		HiredJobUID: v("hired_job"), Answer: v("answer")}
	if hc.IsGEIQ() {
		in.GEIQ = application.GEIQContract{ContractType: application.ContractType(v("contract_type")),
			ContractTypeDetails: v("contract_type_details"), NbHoursPerWeek: formInt(f, "nb_hours_per_week"),
			QualificationType:    application.QualificationType(v("qualification_type")),
			QualificationLevel:   application.QualificationLevel(v("qualification_level")),
			PlannedTrainingHours: formInt(f, "planned_training_hours")}
		vae := v("inverted_vae_contract") != ""
		in.GEIQ.InvertedVAEContract = &vae
	}
	var err error
	if in.AdvisorID, err = hc.AdvisorID(v("advisor")); err != nil {
		f.Show(err)
	}
	if in.HiredJobUID == newJob {
		in.HiredJobUID = ""
		in.NewJobAppellation, in.NewJobLocation, err = h.jobdescs.ResolvePosition(ctx, jobdesc.Position{
			Appellation: v("appellation"), AppellationCode: v("appellation_code"), Location: v("location"), LocationCode: v("location_code")})
		if err != nil && !f.Show(err) {
			return in, err
		}
	}
	if !f.HasErrors() {
		f.Show(hc.Check(in).Err())
	}
	return in, nil
}

// summary is the confirmation's account of the contract.
// PASSNotice tells an SIAE which PASS IAE the hire will have (approvals.md §2.8), "" for the
// other kinds.
func (c *contractStep) PASSNotice() string {
	switch {
	case !c.H.Company.Kind.IsSIAE():
		return ""
	case c.H.PASS != nil:
		return "Ce candidat a un PASS IAE valide jusqu'au " + localtime.Date(c.H.PASS.EndAt) +
			" : l'embauche l'utilisera, et le contrat doit débuter au plus tard ce jour-là."
	}
	return "À l'embauche, un PASS IAE sera délivré au candidat sur son diagnostic d'éligibilité."
}

func (c *contractStep) summary(id string) *page.Facts {
	f := c.Form
	v := func(name string) string { return f.Fields[name].Value }
	out := &page.Facts{ID: id}
	out.Add("Candidat", c.H.JobSeekerName)
	if t := formDate(f, "hiring_start_at"); t != nil {
		out.Add("Date de début du contrat", localtime.Date(*t))
	}
	if t := formDate(f, "hiring_end_at"); t != nil {
		out.Add("Date prévisionnelle de fin du contrat", localtime.Date(*t))
	}
	switch hired := v("hired_job"); hired {
	case newJob:
		out.Add("Poste retenu", "Nouveau poste : "+v("appellation")+" "+v("location"))
	case "":
		out.Add("Poste retenu", "Non renseigné")
	default:
		out.Add("Poste retenu", c.H.Labels[hired])
	}
	if c.H.IsGEIQ() {
		out.Add("Type de contrat", application.ContractType(v("contract_type")).Label())
		out.Add("Précisions", v("contract_type_details"))
		out.Add("Nombre d'heures par semaine", v("nb_hours_per_week"))
		out.Add("Type de qualification visé", application.QualificationType(v("qualification_type")).Label())
		out.Add("Niveau de qualification", application.QualificationLevel(v("qualification_level")).Label())
		out.Add("Heures de formation prévues", v("planned_training_hours"))
		if application.ContractType(v("contract_type")) == application.ContractProfessionalTraining {
			out.Add("Contrat de professionnalisation avec VAE inversée", map[bool]string{true: "Oui", false: "Non"}[c.VAE])
		}
	}
	for _, a := range c.H.Advisors {
		if a.PublicID == v("advisor") {
			out.Add("Accompagnateur", a.Name)
		}
	}
	out.Add("Message au candidat", v("answer"))
	return out
}

// hiddenInput is a value a confirmation page carries back.
type hiddenInput struct{ Name, Value string }

// hidden are the contract step's values, for the confirmation.
func (c *contractStep) hidden() []hiddenInput {
	out := make([]hiddenInput, len(contractFields))
	for i, name := range contractFields {
		out[i] = hiddenInput{name, c.Form.Fields[name].Value}
	}
	return out
}
