package application

import (
	"net/url"

	"emplois/internal/application"
	"emplois/internal/jobseeker"
	"emplois/internal/web/page"
)

// hireOption is one choice of a select or a radio group.
type hireOption struct{ Value, Label string }

// hireChoice is a select or a radio group: its field (name, label, value, error) and options.
type hireChoice struct {
	Field   *page.Field
	Options []hireOption
	// Groups, for a select of fiches: open ones, then closed ones (§3.5-3).
	Groups []hireOptionGroup
}

type hireOptionGroup struct {
	Label   string
	Options []hireOption
}

// hireContractForm is the contract step of a hire (applications.md §3.5-3): the dates, the « Poste
// retenu », the GEIQ contract fields and the message to the candidate.
type hireContractForm struct {
	Form                                                *page.Form
	GEIQ                                                bool
	HiredJob                                            hireChoice
	ContractType, QualificationType, QualificationLevel hireChoice
	InvertedVAE                                         bool
}

// newHireContractForm is the empty contract step for a company of the kind GEIQ or not, with its fiches.
func newHireContractForm(geiq bool, jobs []application.HireJob) *hireContractForm {
	f := &hireContractForm{GEIQ: geiq}
	fields := []*page.Field{
		{Name: "hiring_start_at", Label: "Date de début du contrat", Type: "date", Required: true, Hint: "Format attendu : JJ/MM/AAAA."},
		{Name: "hiring_end_at", Label: "Date prévisionnelle de fin du contrat", Type: "date",
			Hint: "Format attendu : JJ/MM/AAAA. Laissez vide pour un CDI Inclusion."},
		{Name: "hired_job", Label: "Poste retenu", Required: geiq},
	}
	if geiq {
		fields = append(fields,
			&page.Field{Name: "contract_type", Label: "Type de contrat", Required: true},
			&page.Field{Name: "contract_type_details", Label: "Précisez le type de contrat", Hint: "Obligatoire pour « Autre type de contrat »."},
			&page.Field{Name: "nb_hours_per_week", Label: "Nombre d'heures par semaine", Type: "number", Required: true, Hint: "Entre 1 et 48."},
			&page.Field{Name: "qualification_type", Label: "Type de qualification visé", Required: true},
			&page.Field{Name: "qualification_level", Label: "Niveau de qualification", Required: true},
			&page.Field{Name: "planned_training_hours", Label: "Nombre d'heures de formation prévues", Type: "number", Required: true, Value: "0"},
		)
	}
	fields = append(fields, &page.Field{Name: "answer", Label: "Message au candidat (facultatif)"})
	f.Form = page.NewForm(fields...)
	f.HiredJob = hireChoice{Field: f.Form.Fields["hired_job"]}
	var open, closed []hireOption
	for _, j := range jobs {
		if j.Open {
			open = append(open, hireOption{j.UID, j.Title})
		} else {
			closed = append(closed, hireOption{j.UID, j.Title})
		}
	}
	if len(open) > 0 {
		f.HiredJob.Groups = append(f.HiredJob.Groups, hireOptionGroup{"Postes ouverts au recrutement", open})
	}
	if len(closed) > 0 {
		f.HiredJob.Groups = append(f.HiredJob.Groups, hireOptionGroup{"Postes fermés au recrutement", closed})
	}
	if geiq {
		f.ContractType = hireChoice{Field: f.Form.Fields["contract_type"]}
		for _, c := range contractTypes {
			f.ContractType.Options = append(f.ContractType.Options, hireOption{string(c), c.Label()})
		}
		f.QualificationType = hireChoice{Field: f.Form.Fields["qualification_type"]}
		for _, q := range qualificationTypes {
			f.QualificationType.Options = append(f.QualificationType.Options, hireOption{string(q), q.Label()})
		}
		f.QualificationLevel = hireChoice{Field: f.Form.Fields["qualification_level"]}
		for _, q := range qualificationLevels {
			f.QualificationLevel.Options = append(f.QualificationLevel.Options, hireOption{string(q), q.Label()})
		}
	}
	return f
}

// read fills the form from posted values and returns the acceptance they ask for; what cannot
// be read (a date, a number) is put on its field and reported false.
func (f *hireContractForm) read(v url.Values) (application.AcceptInput, bool) {
	for name, fld := range f.Form.Fields {
		fld.Value = v.Get(name)
	}
	f.InvertedVAE = v.Get("inverted_vae_contract") != ""
	in := application.AcceptInput{HiredJobUID: v.Get("hired_job"), Answer: v.Get("answer")}
	in.HiringStartAt = formDate(f.Form, "hiring_start_at")
	in.HiringEndAt = formDate(f.Form, "hiring_end_at")
	if f.GEIQ {
		in.GEIQ = application.GEIQContract{ContractType: application.ContractType(v.Get("contract_type")),
			ContractTypeDetails: v.Get("contract_type_details"),
			QualificationType:   application.QualificationType(v.Get("qualification_type")),
			QualificationLevel:  application.QualificationLevel(v.Get("qualification_level")),
			NbHoursPerWeek:      formInt(f.Form, "nb_hours_per_week"), PlannedTrainingHours: formInt(f.Form, "planned_training_hours")}
		if f.InvertedVAE {
			yes := true
			in.GEIQ.InvertedVAEContract = &yes
		}
	}
	return in, !f.Form.HasErrors()
}

// facts is the summary of the confirmation page.
func (f *hireContractForm) facts() *page.Facts {
	var out page.Facts
	v := func(name string) string { return f.Form.Fields[name].Value }
	day := func(name string) string {
		if t, ok := jobseeker.ParseDate(v(name)); ok {
			return t.Format("02/01/2006")
		}
		return "Non renseignée"
	}
	out.Add("Date de début du contrat", day("hiring_start_at"))
	out.Add("Date prévisionnelle de fin du contrat", day("hiring_end_at"))
	job := "Non renseigné"
	for _, g := range f.HiredJob.Groups {
		for _, o := range g.Options {
			if o.Value == v("hired_job") {
				job = o.Label
			}
		}
	}
	out.Add("Poste retenu", job)
	if f.GEIQ {
		out.Add("Type de contrat", application.ContractType(v("contract_type")).Label())
		if d := v("contract_type_details"); d != "" {
			out.Add("Précisions sur le contrat", d)
		}
		out.Add("Nombre d'heures par semaine", v("nb_hours_per_week"))
		out.Add("Type de qualification visé", application.QualificationType(v("qualification_type")).Label())
		out.Add("Niveau de qualification", application.QualificationLevel(v("qualification_level")).Label())
		out.Add("Nombre d'heures de formation prévues", v("planned_training_hours"))
		if application.ContractType(v("contract_type")) == application.ContractProfessionalTraining {
			vae := "Non"
			if f.InvertedVAE {
				vae = "Oui"
			}
			out.Add("Contrat de professionnalisation avec VAE inversée", vae)
		}
	}
	if a := v("answer"); a != "" {
		out.Add("Message au candidat", a)
	}
	return &out
}
