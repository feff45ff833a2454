package apply

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"emplois/internal/application"
	"emplois/internal/jobdesc"
	"emplois/internal/jobseeker"
	"emplois/internal/org"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// stepPath is a step of the tunnel of key.
func stepPath(key string, step application.Step) string {
	return "/apply/" + url.PathEscape(key) + "/tunnel/" + string(step)
}

// pickStep is where the identity search of a proxy comes back, with job_seeker_public_id.
const pickStep = "job-seeker"

var stepTitles = map[application.Step]string{
	application.StepCheck:   "Vérification avant de postuler",
	application.StepJobs:    "Sélectionner les métiers recherchés",
	application.StepMessage: "Message et CV",
	application.StepConfirm: "Confirmation",
}

// stepData is what a step's template shows.
type stepData struct {
	Key, Heading, StepTitle, NextTitle string
	Step, StepCount                    int
	Action, Back                       string
	Company, CompanyURL, JobSeeker     string
	Tunnel                             application.Tunnel
	Auto, JobSeekerTunnel              bool
	Form                               *page.Form
	Page                               *application.ApplyPage

	// check
	LastApplied, ProfileURL string
	AuthorizationPending    bool
	FTReasons               []jobseeker.Choice
	// jobs
	Jobs            []jobOption
	SpontaneousOpen bool
	Spontaneous     bool
	// message
	ResumeStaged   bool
	UnknownAdvisor string
	// confirm
	Summary page.Facts
	// end
	Links []link
}

type jobOption struct {
	UID, Name, Contract, Location string
	Checked, Few                  bool
}

type link struct{ URL, Label string }

// heading is the title of the tunnel (§3.1, §3.2, §3.3).
func heading(t application.Tunnel, company string) string {
	switch t {
	case application.TunnelJobSeeker:
		return "Postuler chez " + company
	case application.TunnelAutoPrescription:
		return "Enregistrer une candidature chez " + company
	}
	return "Postuler pour un candidat chez " + company
}

type startData struct {
	Company, CompanyURL, LoginURL, SignupURL string
}

// start opens a tunnel (§3.1-1): an anonymous visitor is asked to log in or sign up first.
func (h *Handler) start(w http.ResponseWriter, r *http.Request) {
	uid, q := r.PathValue("company"), r.URL.Query()
	if !page.ViewerOf(r).Authenticated() {
		card, err := h.jobdescs.CompanyCard(r.Context(), uid)
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		here := r.URL.RequestURI()
		d := startData{Company: card.Company.DisplayName(), CompanyURL: jobdesc.CompanyCardPath(uid),
			LoginURL: page.LoginPath(here), SignupURL: "/signup/?next=" + url.QueryEscape(here)}
		h.tpl.Render(w, r, http.StatusOK, "start.html", "Postuler chez "+d.Company, d)
		return
	}
	wz, err := h.applications.StartApply(r.Context(), h.kit.ActorOf(r), uid, q.Get("job_description_id"), q.Get("job_seeker_public_id"))
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	http.Redirect(w, r, stepPath(wz.Key, application.StepCheck), http.StatusSeeOther)
}

// authorizationPending: the viewer's prescriber organization waits for its habilitation, so
// they apply as an orienteur meanwhile, which the check step tells first (§3.2-1).
func authorizationPending(v page.Viewer) bool {
	o := v.Organization
	return o != nil && o.FromPrescriber() && o.AuthorizationStatus == org.AuthorizationNotSet
}

// refuse shows a refusal of the tunnel's guards: a forbidden step explains why (24-hour rule,
// blocked employer), anything else goes to Kit.Fail.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, err error) {
	if e, ok := fault.As(err); ok && e.Kind == fault.KindForbidden {
		h.kit.Unavailable(w, r, http.StatusForbidden, "Candidature impossible", e.Message, "")
		return
	}
	h.kit.Fail(w, r, err)
}

// load reads the tunnel of the URL and the step asked; it answers false after sending the
// visitor elsewhere: to the identity search when a proxy has not picked the job seeker yet,
// to the first step not validated yet, or to the end page of a sent tunnel.
func (h *Handler) load(w http.ResponseWriter, r *http.Request) (*application.ApplyWizard, application.Step, *application.ApplyPage, bool) {
	a := h.kit.ActorOf(r)
	wz, err := h.applications.ApplyWizardOf(r.Context(), a, r.PathValue("key"))
	step := application.Step(r.PathValue("step"))
	if err == nil && !step.Valid() && step != pickStep {
		err = application.ErrApplyWizardNotFound
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return nil, "", nil, false
	}
	if step == pickStep {
		if r.Method != http.MethodGet {
			h.kit.Error(w, r, http.StatusMethodNotAllowed)
			return nil, "", nil, false
		}
		if err := h.applications.SetApplyJobSeeker(r.Context(), a, wz, r.URL.Query().Get("job_seeker_public_id")); err != nil {
			h.kit.Fail(w, r, err)
			return nil, "", nil, false
		}
		http.Redirect(w, r, stepPath(wz.Key, application.StepCheck), http.StatusSeeOther)
		return nil, "", nil, false
	}
	if to, ok := wz.Next(step); !ok {
		http.Redirect(w, r, stepPath(wz.Key, to), http.StatusSeeOther)
		return nil, "", nil, false
	}
	p, err := h.applications.ApplyPageOf(r.Context(), a, wz, step)
	if err != nil {
		h.refuse(w, r, err)
		return nil, "", nil, false
	}
	if p.NeedJobSeeker {
		next := stepPath(wz.Key, pickStep)
		http.Redirect(w, r, "/job-seekers/search?next="+url.QueryEscape(next), http.StatusSeeOther)
		return nil, "", nil, false
	}
	if step == application.StepMessage || step == application.StepConfirm {
		// The eligibility step of an authorized prescriber (§3.2-6, R10), served by the
		// eligibility room, which comes back here.
		to, err := h.eligibility.TunnelStep(r.Context(), a, wz.JobSeekerPublicID, p.Company.Kind, stepPath(wz.Key, step))
		if err != nil {
			h.refuse(w, r, err)
			return nil, "", nil, false
		}
		if to != "" {
			http.Redirect(w, r, to, http.StatusSeeOther)
			return nil, "", nil, false
		}
	}
	return wz, step, p, true
}

func (h *Handler) stepPage(w http.ResponseWriter, r *http.Request) {
	wz, step, p, ok := h.load(w, r)
	if !ok {
		return
	}
	// Nothing to check: straight to the jobs.
	if step == application.StepCheck && p.LastApplied == nil && len(p.Missing) == 0 && !p.InfoRequired && !p.NeedNIR && !authorizationPending(page.ViewerOf(r)) {
		if err := h.applications.ConfirmApplyCheck(r.Context(), h.kit.ActorOf(r), wz); err != nil {
			h.refuse(w, r, err)
			return
		}
		http.Redirect(w, r, stepPath(wz.Key, application.StepJobs), http.StatusSeeOther)
		return
	}
	form := stepForm(step)
	switch step {
	case application.StepJobs:
		form.Fields["jobs"].Value = strings.Join(wz.JobUIDs, ",")
	case application.StepMessage:
		form.Fields["message"].Value = wz.Message
		form.Fields["advisor"].Value = wz.AdvisorPublicID
		if wz.UnknownAdvisor {
			form.Fields["advisor"].Value = unknownAdvisor
		}
	}
	h.render(w, r, http.StatusOK, wz, step, p, form, wz.JobUIDs, wz.Spontaneous)
}

func (h *Handler) step(w http.ResponseWriter, r *http.Request) {
	wz, step, p, ok := h.load(w, r)
	if !ok {
		return
	}
	ctx, a := r.Context(), h.kit.ActorOf(r)
	form := stepForm(step)
	var err error
	var uids []string
	var spontaneous bool
	switch step {
	case application.StepCheck:
		if !h.kit.ParsePost(w, r) {
			return
		}
		err = h.check(r, wz, p, form)
		if errors.Is(err, errAskNIR) {
			http.Redirect(w, r, stepPath(wz.Key, application.StepCheck), http.StatusSeeOther)
			return
		}
	case application.StepJobs:
		if !h.kit.ParsePost(w, r) {
			return
		}
		for _, v := range r.PostForm["jobs"] {
			if v == "spontaneous" {
				spontaneous = true
			} else {
				uids = append(uids, v)
			}
		}
		err = h.applications.ChooseApplyJobs(ctx, a, wz, uids, spontaneous)
	case application.StepMessage:
		in, ok := h.readMessage(w, r)
		if !ok {
			return
		}
		form.Fields["message"].Value = in.Message
		form.Fields["advisor"].Value = in.AdvisorPublicID
		if in.UnknownAdvisor {
			form.Fields["advisor"].Value = unknownAdvisor
		}
		err = h.applications.WriteApplyMessage(ctx, a, wz, in)
	case application.StepConfirm:
		_, err = h.applications.SendApply(ctx, a, wz)
		if fault.FieldsOf(err).Has("jobs") {
			// A fiche closed or taken away meanwhile: back to the jobs step, with the error (R7).
			p, perr := h.applications.ApplyPageOf(ctx, a, wz, application.StepJobs)
			if perr != nil {
				h.refuse(w, r, perr)
				return
			}
			jobs := stepForm(application.StepJobs)
			jobs.Show(err)
			h.render(w, r, http.StatusUnprocessableEntity, wz, application.StepJobs, p, jobs, wz.JobUIDs, wz.Spontaneous)
			return
		}
	case application.StepEnd:
		h.kit.Error(w, r, http.StatusMethodNotAllowed)
		return
	}
	if err != nil {
		if !form.Show(err) {
			h.refuse(w, r, err)
			return
		}
		h.render(w, r, http.StatusUnprocessableEntity, wz, step, p, form, uids, spontaneous)
		return
	}
	next := application.StepEnd
	if i := step.Index(); i+1 < len(application.ApplySteps) {
		next = application.ApplySteps[i+1]
	}
	http.Redirect(w, r, stepPath(wz.Key, next), http.StatusSeeOther)
}

// maxOtherBytes bounds what a message step posts besides the CV.
const maxOtherBytes = 64 << 10

// check validates the check step, with the NIR question of a job seeker who has none
// (§3.1-2): a NIR typed is checked and stored by the job seeker service; after a refused one,
// « Continuer sans numéro de sécurité sociale » goes on without.
func (h *Handler) check(r *http.Request, wz *application.ApplyWizard, p *application.ApplyPage, form *page.Form) error {
	ctx, a := r.Context(), h.kit.ActorOf(r)
	switch {
	case r.PostForm.Get("action") == "skip":
		if err := h.applications.NoteApplyNIR(ctx, a, wz, true); err != nil {
			return err
		}
	case p.InfoRequired && len(p.Missing) == 0:
		for _, name := range []string{"birthdate", "pole_emploi_id", "lack_of_pole_emploi_id_reason", "phone"} {
			form.Fields[name].Value = strings.TrimSpace(r.PostForm.Get(name))
		}
		info := jobseeker.ApplyInfo{Birthdate: form.Fields["birthdate"].Value, PoleEmploiID: form.Fields["pole_emploi_id"].Value,
			LackOfPoleEmploiIDReason: jobseeker.LackOfFTIDReason(form.Fields["lack_of_pole_emploi_id_reason"].Value),
			Phone:                    form.Fields["phone"].Value}
		if err := h.jobSeekers.CompleteForApply(ctx, a, wz.JobSeekerPublicID, info); err != nil {
			return err
		}
		if p.NeedNIR {
			return errAskNIR
		}
	case p.NeedNIR && len(p.Missing) == 0:
		form.Fields["nir"].Value = strings.TrimSpace(r.PostForm.Get("nir"))
		if err := h.jobSeekers.SetOwnNIR(ctx, a, form.Fields["nir"].Value); err != nil {
			if fault.FieldsOf(err) == nil {
				return err
			}
			if nerr := h.applications.NoteApplyNIR(ctx, a, wz, false); nerr != nil {
				return nerr
			}
			p.NIRTried = true
			return err
		}
	}
	return h.applications.ConfirmApplyCheck(ctx, a, wz)
}

// errAskNIR: the information is complete, the NIR question comes next on the check page.
var errAskNIR = errors.New("apply: the NIR question comes next")

// unknownAdvisor is the advisor choice « Non référencé sur le service ».
const unknownAdvisor = "unknown"

// readMessage reads the message step's multipart form: the message, the advisor, and the CV
// (nil when no file was chosen). The CV is read up to one byte over the limit (the service refuses it on its
// field); the rest of a larger file is read and dropped up to twice the limit, so that the
// browser gets the page with the error rather than a cut connection.
func (h *Handler) readMessage(w http.ResponseWriter, r *http.Request) (application.ApplyMessage, bool) {
	var in application.ApplyMessage
	r.Body = http.MaxBytesReader(w, r.Body, 2*application.MaxResumeBytes+maxOtherBytes)
	mr, err := r.MultipartReader()
	if err != nil {
		h.kit.Error(w, r, http.StatusBadRequest)
		return in, false
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) && len(in.Resume) > application.MaxResumeBytes {
				break // the service refuses the size
			}
			h.kit.Error(w, r, http.StatusBadRequest)
			return in, false
		}
		switch part.FormName() {
		case "message", "advisor":
			b, err := io.ReadAll(io.LimitReader(part, maxOtherBytes))
			if err != nil {
				h.kit.Error(w, r, http.StatusBadRequest)
				return in, false
			}
			v := strings.TrimSpace(string(b))
			switch {
			case part.FormName() == "message":
				in.Message = v
			case v == unknownAdvisor:
				in.UnknownAdvisor = true
			default:
				in.AdvisorPublicID = v
			}
		case "resume":
			if part.FileName() == "" {
				continue
			}
			b, err := io.ReadAll(io.LimitReader(part, application.MaxResumeBytes+1))
			if err == nil {
				_, err = io.Copy(io.Discard, part)
			}
			var tooLarge *http.MaxBytesError
			if err != nil && !errors.As(err, &tooLarge) {
				h.kit.Error(w, r, http.StatusBadRequest)
				return in, false
			}
			if len(b) > 0 {
				in.Resume = b
			}
		}
	}
	return in, true
}

// stepForm is the form of a step, for its error summary and fields.
func stepForm(step application.Step) *page.Form {
	switch step {
	case application.StepCheck:
		return page.NewForm(
			&page.Field{Name: "birthdate", Label: "Date de naissance", Type: "date", Required: true, Hint: "Format attendu : JJ/MM/AAAA."},
			&page.Field{Name: "pole_emploi_id", Label: "Identifiant France Travail", Hint: "7 chiffres suivis d'une lettre ou d'un chiffre, ou 11 chiffres."},
			&page.Field{Name: "lack_of_pole_emploi_id_reason", Label: "Pas d'identifiant France Travail ?"},
			&page.Field{Name: "phone", Label: "Téléphone", Type: "tel", Hint: "Facultatif."},
			&page.Field{Name: "nir", Label: "Numéro de sécurité sociale", Required: true,
				Hint: "15 caractères, les espaces sont acceptés."})
	case application.StepJobs:
		return page.NewForm(&page.Field{Name: "jobs", Label: "Métiers recherchés", Required: true})
	case application.StepMessage:
		return page.NewForm(
			&page.Field{Name: "message", Label: "Message à l'employeur"},
			&page.Field{Name: "resume", Label: "CV", Type: "file",
				Hint: "Facultatif. Format PDF uniquement, 5 Mo maximum."},
			&page.Field{Name: "advisor", Label: "Accompagnateur du candidat au sein de votre structure"})
	}
	return page.NewForm()
}

// render shows a step; chosen and spontaneous are the job choices to show checked.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, wz *application.ApplyWizard, step application.Step,
	p *application.ApplyPage, form *page.Form, chosen []string, spontaneous bool) {
	co := p.Company.DisplayName()
	d := stepData{Key: wz.Key, Heading: heading(p.Tunnel, co), Company: co, CompanyURL: jobdesc.CompanyCardPath(p.Company.UID),
		Tunnel: p.Tunnel, Auto: p.Tunnel == application.TunnelAutoPrescription,
		JobSeekerTunnel: p.Tunnel == application.TunnelJobSeeker, Form: form, Page: p}
	d.JobSeeker = h.jobSeekerName(r, wz)
	if step == application.StepEnd {
		h.renderEnd(w, r, wz, p, d)
		return
	}
	i := step.Index()
	d.Step, d.StepCount, d.StepTitle, d.Action = i+1, len(application.ApplySteps), stepTitles[step], stepPath(wz.Key, step)
	if i+1 < len(application.ApplySteps) {
		d.NextTitle = stepTitles[application.ApplySteps[i+1]]
	}
	if i > 0 {
		d.Back = stepPath(wz.Key, application.ApplySteps[i-1])
	}
	switch step {
	case application.StepCheck:
		if p.LastApplied != nil {
			d.LastApplied = localtime.Date(*p.LastApplied)
		}
		d.ProfileURL = jobseeker.ProfilePath
		d.AuthorizationPending = authorizationPending(page.ViewerOf(r))
		d.FTReasons = jobseeker.LackOfFTIDReasons()
	case application.StepJobs:
		for _, j := range p.Jobs {
			d.Jobs = append(d.Jobs, jobOption{UID: j.UID, Name: j.DisplayName(), Contract: j.ContractLabel(),
				Location: jobdesc.LocationLabel(j, p.Company), Checked: slices.Contains(chosen, j.UID), Few: p.FewApplications[j.UID]})
		}
		d.SpontaneousOpen, d.Spontaneous = p.SpontaneousOffered, spontaneous
	case application.StepMessage:
		d.ResumeStaged = wz.ResumeKey != ""
		d.UnknownAdvisor = unknownAdvisor
		if ad := form.Fields["advisor"]; d.JobSeeker != "" {
			ad.Label = "Accompagnateur de " + d.JobSeeker + " au sein de votre structure"
		}
		f := form.Fields["message"]
		f.Required = !d.Auto
		switch {
		case d.Auto:
			f.Label, f.Hint = "Message d'information", "Facultatif. Une copie est envoyée au candidat."
		case !d.JobSeekerTunnel:
			f.Hint = "Présentez le candidat et son projet. Une copie de ce message est envoyée au candidat."
		default:
			f.Hint = "Présentez-vous et dites pourquoi ce poste vous intéresse."
		}
	case application.StepConfirm:
		d.Summary = summary(wz, p, d.JobSeeker)
	}
	h.tpl.Render(w, r, status, "step_"+string(step)+".html", d.StepTitle+" - "+d.Heading, d)
}

func (h *Handler) renderEnd(w http.ResponseWriter, r *http.Request, wz *application.ApplyWizard, p *application.ApplyPage, d stepData) {
	id := p.Sent.PublicID
	title := "Candidature envoyée"
	switch p.Tunnel {
	case application.TunnelJobSeeker:
		d.Links = []link{{application.SenderDetailsPath(id), "Voir ma candidature"}, {application.JobSeekerListPath, "Toutes mes candidatures"}}
	case application.TunnelAutoPrescription:
		title = "Auto-prescription enregistrée"
		d.Links = []link{{application.DetailsPath(id), "Voir la candidature"}, {application.InboxPath, "Candidatures reçues"}}
	default:
		d.Links = []link{{application.SenderDetailsPath(id), "Voir la candidature"}, {application.SentListPath, "Candidatures envoyées"},
			{application.StartPath(p.Company.UID), "Postuler pour un autre candidat chez cet employeur"}}
	}
	d.StepTitle = title
	h.tpl.Render(w, r, http.StatusOK, "step_end.html", title, d)
}

// jobSeekerName is the person the tunnel applies for, as the viewer may see them (masked for an
// orienteur who did not create the account, R35).
func (h *Handler) jobSeekerName(r *http.Request, wz *application.ApplyWizard) string {
	if wz.JobSeekerPublicID == "" {
		return ""
	}
	j, err := h.jobSeekers.ByPublicID(r.Context(), h.kit.ActorOf(r), wz.JobSeekerPublicID)
	if err != nil {
		return "le candidat"
	}
	return j.Name()
}

// summary is what the confirmation step recalls before sending.
func summary(wz *application.ApplyWizard, p *application.ApplyPage, jobSeeker string) page.Facts {
	f := page.Facts{ID: "apply-summary"}
	f.Add("Employeur", p.Company.DisplayName())
	f.Add("Candidat", jobSeeker)
	if wz.Spontaneous {
		f.Add("Métiers recherchés", "Candidature spontanée")
	} else {
		var names []string
		for _, j := range p.Chosen {
			names = append(names, j.DisplayName())
		}
		f.Add("Métiers recherchés", strings.Join(names, ", "))
	}
	f.Add("Message", wz.Message)
	if wz.ResumeKey != "" {
		f.Add("CV", "Joint à la candidature")
	} else {
		f.Add("CV", "Aucun")
	}
	return f
}
