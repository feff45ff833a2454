package application

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"emplois/internal/application"
	"emplois/internal/eligibility"
	"emplois/internal/jobseeker"
	"emplois/internal/org"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// directHirers are the employers acting for an SIAE or a GEIQ (applications.md §3.4); the
// service checks it again, with the membership.
var directHirers = page.Policy{Name: "direct-hirer", Allow: func(v page.Viewer) bool {
	return v.IsEmployer() && application.HiresDirectly(org.CompanyKind(v.Organization.Kind))
}}

// moreRoutes declares direct hire, the external transfer, the contract dates and the
// notification settings.
func (h *Handler) moreRoutes(rt *page.Router) {
	rt.Handle("GET "+application.DirectHirePath, directHirers, h.hirePage)
	rt.Handle("POST "+application.DirectHirePath, directHirers, h.hire)
	rt.Handle("GET /apply/{public_id}/siae/hired", page.EmployerMember, h.hired)
	rt.Handle("GET /apply/{public_id}/siae/contract-dates", page.EmployerMember, h.contractDatesPage)
	rt.Handle("POST /apply/{public_id}/siae/contract-dates", page.EmployerMember, h.contractDates)
	rt.Handle("GET /apply/{public_id}/siae/external-transfer", page.EmployerMember, h.externalTransferSearch)
	rt.Handle("GET /apply/{public_id}/siae/external-transfer/{company_uid}", page.EmployerMember, h.externalTransferPage)
	rt.Handle("POST /apply/{public_id}/siae/external-transfer/{company_uid}", page.EmployerMember, h.externalTransfer)
	rt.Handle("GET "+application.NotificationsPath, page.Professional, h.notificationsPage)
	rt.Handle("POST "+application.NotificationsPath, page.Professional, h.notifications)
}

// contractDatesPath, externalTransferPath and hiredPath are this room's pages of one candidature.
func contractDatesPath(publicID string) string { return "/apply/" + publicID + "/siae/contract-dates" }
func externalTransferPath(publicID string) string {
	return "/apply/" + publicID + "/siae/external-transfer"
}
func hiredPath(publicID string) string { return "/apply/" + publicID + "/siae/hired" }

// --- direct hire (§3.4): identity search, then the contract, a confirmation, the end page.

type hireData struct {
	Start       *application.HireStart
	Person      *page.Facts // the job seeker's summary (§3.4-2), read-only
	Previous    []hirePreviousRow
	JobSeekerID string
	Contract    *contractStep
	Facts       *page.Facts
	Hidden      []hiddenInput
	SearchURL   string
}

// hirePreviousRow is an earlier candidature of the job seeker to the company, as the page lists it.
type hirePreviousRow struct{ Date, State, URL string }

const hireTitle = "Déclarer une embauche"

func (h *Handler) hirePage(w http.ResponseWriter, r *http.Request) {
	jsID := r.URL.Query().Get("job_seeker_public_id")
	if jsID == "" {
		http.Redirect(w, r, jobseeker.SearchPath(application.DirectHirePath), http.StatusSeeOther)
		return
	}
	d, ok := h.hireStart(w, r, jsID, contractForm())
	if !ok {
		return
	}
	if d.Start.IsGEIQ() && r.URL.Query().Get(eligibility.SkipGEIQParam) == "" {
		// A GEIQ with no valid GEIQ diagnosis is offered its optional step (§3.4-6).
		err := h.eligibility.MayAuthorGEIQ(r.Context(), h.kit.ActorOf(r), jsID)
		if err == nil {
			http.Redirect(w, r, eligibility.GEIQHireStepPath(jsID), http.StatusSeeOther)
			return
		}
		if _, refused := fault.As(err); !refused {
			h.kit.Fail(w, r, err)
			return
		}
	}
	if d.Start.Company.Kind.IsSIAE() {
		if ask, err := h.needsInfo(r, jsID); err != nil {
			h.kit.Fail(w, r, err)
			return
		} else if ask {
			http.Redirect(w, r, hireInfoPath(jsID), http.StatusSeeOther)
			return
		}
	}
	h.renderHire(w, r, http.StatusOK, "hire.html", d)
}

// hireStart loads what the contract step f shows of the job seeker and the company; false after
// the refusal page.
func (h *Handler) hireStart(w http.ResponseWriter, r *http.Request, jsID string, f *page.Form) (*hireData, bool) {
	start, err := h.applications.DirectHireStart(r.Context(), h.kit.ActorOf(r), jsID)
	if err == nil && start.NeedsDiagnosis {
		http.Redirect(w, r, eligibility.HireStepPath(jsID), http.StatusSeeOther)
		return nil, false
	}
	if err == nil {
		d := &hireData{Start: start, JobSeekerID: jsID, Contract: newContractStep(start.HiringChoices, f, page.ViewerOf(r).PublicID)}
		if d.Person, err = h.hirePersonFacts(r, jsID); err == nil {
			return d, true
		}
	}
	h.kit.Fail(w, r, err)
	return nil, false
}

// hirePersonFacts is the read-only summary of the job seeker hired (§3.4-2).
func (h *Handler) hirePersonFacts(r *http.Request, publicID string) (*page.Facts, error) {
	j, err := h.jobSeekers.ByPublicID(r.Context(), h.kit.ActorOf(r), publicID)
	if err != nil {
		return nil, err
	}
	f := &page.Facts{ID: "hire-person"}
	f.Add("Adresse e-mail", j.User.Email)
	if b := j.Profile.Birthdate; b != nil {
		f.Add("Date de naissance", b.Format("02/01/2006"))
	}
	switch {
	case j.Profile.NIR != nil && *j.Profile.NIR != "":
		f.Add("Numéro de sécurité sociale", *j.Profile.NIR)
	case j.Profile.LackOfNIRReason != "":
		f.Add("Numéro de sécurité sociale", j.Profile.LackOfNIRReason.Label())
	default:
		f.Add("Numéro de sécurité sociale", "Non renseigné")
	}
	switch {
	case j.Profile.PoleEmploiID != "":
		f.Add("Identifiant France Travail", j.Profile.PoleEmploiID)
	case j.Profile.LackOfPoleEmploiIDReason != "":
		f.Add("Identifiant France Travail", j.Profile.LackOfPoleEmploiIDReason.Label())
	}
	f.Add("Adresse", strings.TrimSpace(j.User.AddressLine1+" "+j.User.PostCode+" "+j.User.City))
	return f, nil
}

func (h *Handler) renderHire(w http.ResponseWriter, r *http.Request, status int, name string, d *hireData) {
	d.SearchURL = jobseeker.SearchPath(application.DirectHirePath)
	for _, p := range d.Start.Previous {
		d.Previous = append(d.Previous, hirePreviousRow{localtime.Date(p.CreatedAt), p.State.Label(), application.DetailsPath(p.PublicID)})
	}
	title := hireTitle
	if name == "hire_confirm.html" {
		title = "Confirmer l'embauche"
	}
	h.tpl.Render(w, r, status, name, title, d)
}

// hire is the contract step's POST: "check" (the default) shows the confirmation after the
// service checked everything in a dry run, "edit" comes back to the form, "confirm" hires.
func (h *Handler) hire(w http.ResponseWriter, r *http.Request) {
	f := contractForm()
	if !h.kit.ParseForm(w, r, f) {
		return
	}
	jsID := r.PostForm.Get("job_seeker_public_id")
	d, ok := h.hireStart(w, r, jsID, f)
	if !ok {
		return
	}
	action := r.PostForm.Get("action")
	if action == "edit" {
		h.renderHire(w, r, http.StatusOK, "hire.html", d)
		return
	}
	in, err := h.readContract(r.Context(), d.Start.HiringChoices, f)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if f.HasErrors() {
		h.renderHire(w, r, http.StatusUnprocessableEntity, "hire.html", d)
		return
	}
	app, err := h.applications.DirectHire(r.Context(), h.kit.ActorOf(r), application.DirectHireInput{JobSeekerPublicID: jsID, AcceptInput: in},
		action != "confirm")
	if err != nil {
		if !d.Contract.Form.Show(err) {
			h.kit.Fail(w, r, err)
			return
		}
		h.renderHire(w, r, page.RefusalStatus(w, err), "hire.html", d)
		return
	}
	if action == "confirm" {
		h.kit.SetFlash(r, "L'embauche de "+d.Start.JobSeekerName+" est enregistrée. "+passOutcome(app))
		http.Redirect(w, r, hiredPath(app.PublicID), http.StatusSeeOther)
		return
	}
	d.Facts, d.Hidden = d.Contract.summary("hire-summary"), d.Contract.hidden()
	h.renderHire(w, r, http.StatusOK, "hire_confirm.html", d)
}

// hired is the end page of a direct hire.
func (h *Handler) hired(w http.ResponseWriter, r *http.Request) {
	c, err := h.applications.ContractDatesOf(r.Context(), h.kit.ActorOf(r), r.PathValue("public_id"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "hire_done.html", "Embauche déclarée", struct {
		Contract                          *application.ContractDates
		Start, DetailsURL, DatesURL, Next string
	}{c, localtime.Date(*c.HiringStartAt), application.DetailsPath(c.PublicID), contractDatesPath(c.PublicID), application.DirectHirePath})
}

// --- contract dates (§3.7, R33)

type contractDatesData struct {
	Contract   *application.ContractDates
	Form       *page.Form
	Back, Self string
}

func contractDatesForm(c *application.ContractDates) *page.Form {
	f := page.NewForm(
		&page.Field{Name: "hiring_start_at", Label: "Date de début du contrat", Type: "date", Required: true,
			Hint: "Entre aujourd'hui et dans 30 jours. Format attendu : JJ/MM/AAAA."},
		&page.Field{Name: "hiring_end_at", Label: "Date prévisionnelle de fin du contrat", Type: "date",
			Hint: "Format attendu : JJ/MM/AAAA. Laissez vide pour un CDI Inclusion."})
	if c.HiringStartAt != nil {
		f.Fields["hiring_start_at"].Value = c.HiringStartAt.Format("2006-01-02")
	}
	if c.HiringEndAt != nil {
		f.Fields["hiring_end_at"].Value = c.HiringEndAt.Format("2006-01-02")
	}
	return f
}

const contractDatesTitle = "Modifier les dates du contrat"

func (h *Handler) contractDatesPage(w http.ResponseWriter, r *http.Request) {
	c, err := h.applications.ContractDatesOf(r.Context(), h.kit.ActorOf(r), r.PathValue("public_id"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "contract_dates.html", contractDatesTitle,
		contractDatesData{Contract: c, Form: contractDatesForm(c), Back: application.DetailsPath(c.PublicID), Self: contractDatesPath(c.PublicID)})
}

func (h *Handler) contractDates(w http.ResponseWriter, r *http.Request) {
	a := h.kit.ActorOf(r)
	c, err := h.applications.ContractDatesOf(r.Context(), a, r.PathValue("public_id"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	form := contractDatesForm(c)
	if !h.kit.ParseForm(w, r, form) {
		return
	}
	d := contractDatesData{Contract: c, Form: form, Back: application.DetailsPath(c.PublicID), Self: contractDatesPath(c.PublicID)}
	form.Require("hiring_start_at")
	start, end := formDate(form, "hiring_start_at"), formDate(form, "hiring_end_at")
	if form.HasErrors() {
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "contract_dates.html", contractDatesTitle, d)
		return
	}
	if _, err := h.applications.EditContractDates(r.Context(), a, c.PublicID, start, end); err != nil {
		if !form.Show(err) {
			h.kit.Fail(w, r, err)
			return
		}
		h.tpl.Render(w, r, page.RefusalStatus(w, err), "contract_dates.html", contractDatesTitle, d)
		return
	}
	h.kit.SetFlash(r, "Les dates du contrat ont été modifiées.")
	http.Redirect(w, r, application.DetailsPath(c.PublicID), http.StatusSeeOther)
}

// --- external transfer (§3.7): search the employer, then its fiches, the message and the CV.

type externalTransferData struct {
	Draft   *application.TransferDraft
	Query   string
	Results []application.TransferTarget
	Target  *application.TransferTarget
	Form    *page.Form
	Jobs    []string // the chosen fiches
	Spont   bool
	Resume  string // the CV choice
	Back    string
	Search  string
}

const externalTransferTitle = "Transférer la candidature à un autre employeur"

func (h *Handler) externalTransferSearch(w http.ResponseWriter, r *http.Request) {
	a := h.kit.ActorOf(r)
	draft, err := h.applications.ExternalTransferDraft(r.Context(), a, r.PathValue("public_id"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d := externalTransferData{Draft: draft, Query: strings.TrimSpace(r.URL.Query().Get("q")), Back: application.DetailsPath(draft.PublicID),
		Search: externalTransferPath(draft.PublicID)}
	if d.Query != "" {
		if d.Results, err = h.applications.TransferTargets(r.Context(), a, d.Query, 20); err != nil {
			h.kit.Fail(w, r, err)
			return
		}
	}
	h.tpl.Render(w, r, http.StatusOK, "transfer_search.html", externalTransferTitle, d)
}

func externalTransferForm(message string) *page.Form {
	return page.NewForm(
		&page.Field{Name: "jobs", Label: "Métiers recherchés"},
		&page.Field{Name: "message", Label: "Message à l'employeur", Required: true, Value: message,
			Hint: "Une copie de ce message sera adressée au candidat."},
		&page.Field{Name: "resume_choice", Label: "Transmettre le CV de la candidature"},
		&page.Field{Name: "resume", Label: "Nouveau CV (facultatif)", Type: "file", Hint: "Format PDF, 5 Mo maximum."},
		&page.Field{Name: "target", Label: "Employeur"},
	)
}

// externalTransferPageData loads the original and the chosen company.
func (h *Handler) externalTransferPageData(w http.ResponseWriter, r *http.Request) (*externalTransferData, bool) {
	a := h.kit.ActorOf(r)
	draft, err := h.applications.ExternalTransferDraft(r.Context(), a, r.PathValue("public_id"))
	if err == nil {
		var target *application.TransferTarget
		if target, err = h.applications.TransferTargetOf(r.Context(), a, r.PathValue("company_uid")); err == nil {
			return &externalTransferData{Draft: draft, Target: target, Form: externalTransferForm(draft.Message),
				Back: application.DetailsPath(draft.PublicID), Search: externalTransferPath(draft.PublicID)}, true
		}
	}
	h.kit.Fail(w, r, err)
	return nil, false
}

func (h *Handler) externalTransferPage(w http.ResponseWriter, r *http.Request) {
	if d, ok := h.externalTransferPageData(w, r); ok {
		h.tpl.Render(w, r, http.StatusOK, "transfer.html", externalTransferTitle, d)
	}
}

func (h *Handler) externalTransfer(w http.ResponseWriter, r *http.Request) {
	d, ok := h.externalTransferPageData(w, r)
	if !ok {
		return
	}
	in, tooLarge, err := readExternalTransfer(w, r)
	if err != nil {
		h.kit.Error(w, r, http.StatusBadRequest)
		return
	}
	d.Form.Fields["message"].Value, d.Jobs, d.Spont, d.Resume = in.Message, in.JobUIDs, in.Spontaneous, in.ResumeChoice
	in.TargetCompanyUID = d.Target.UID
	if tooLarge {
		d.Form.SetError("resume", "Le fichier ne doit pas dépasser 5 Mo.")
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "transfer.html", externalTransferTitle, d)
		return
	}
	if _, err := h.applications.ExternalTransfer(r.Context(), h.kit.ActorOf(r), d.Draft.PublicID, in); err != nil {
		if !d.Form.Show(err) {
			h.kit.Fail(w, r, err)
			return
		}
		h.tpl.Render(w, r, page.RefusalStatus(w, err), "transfer.html", externalTransferTitle, d)
		return
	}
	h.kit.SetFlash(r, "La candidature a été transférée à "+d.Target.Name+".")
	http.Redirect(w, r, application.DetailsPath(d.Draft.PublicID), http.StatusSeeOther)
}

// maxTransferBody bounds a form with a CV: the 5 MB of the file and the other fields.
const maxTransferBody = application.MaxResumeBytes + 256<<10

// readExternalTransfer reads the multipart form of the external transfer; tooLarge reports a CV over
// the limit (the rest of the form is then unread).
func readExternalTransfer(w http.ResponseWriter, r *http.Request) (in application.ExternalTransferInput, tooLarge bool, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxTransferBody)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return in, true, nil
		}
		if !errors.Is(err, http.ErrNotMultipart) {
			return in, false, err
		}
		if err := r.ParseForm(); err != nil {
			return in, false, err
		}
	}
	in = application.ExternalTransferInput{JobUIDs: r.PostForm["jobs"], Spontaneous: r.PostForm.Get("spontaneous") != "",
		Message: r.PostForm.Get("message"), ResumeChoice: r.PostForm.Get("resume_choice")}
	if r.MultipartForm != nil {
		if files := r.MultipartForm.File["resume"]; len(files) > 0 && files[0].Size > 0 {
			f, err := files[0].Open()
			if err != nil {
				return in, false, err
			}
			defer f.Close()
			if in.Resume, err = io.ReadAll(io.LimitReader(f, application.MaxResumeBytes+1)); err != nil {
				return in, false, err
			}
		}
	}
	return in, false, nil
}

// --- notification settings (§2.4): each kind on, off or (new candidatures) weekly.

type notificationRow struct {
	Kind, Label, Mode string
	Weekly            bool
}

func (h *Handler) notificationRows(modes map[application.NotificationKind]string) []notificationRow {
	var rows []notificationRow
	for _, k := range application.NotificationKinds {
		m, ok := modes[k.Kind]
		if !ok {
			continue
		}
		rows = append(rows, notificationRow{Kind: string(k.Kind), Label: k.Label, Mode: m,
			Weekly: application.ModeAllowed(k.Kind, "company", application.ModeWeekly)})
	}
	return rows
}

type notificationsData struct {
	Rows  []notificationRow
	Error string
}

const notificationsTitle = "Mes notifications"

func (h *Handler) notificationsPage(w http.ResponseWriter, r *http.Request) {
	modes, err := h.applications.Notifications(r.Context(), h.kit.ActorOf(r))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "notifications.html", notificationsTitle, notificationsData{Rows: h.notificationRows(modes)})
}

func (h *Handler) notifications(w http.ResponseWriter, r *http.Request) {
	a := h.kit.ActorOf(r)
	modes, err := h.applications.Notifications(r.Context(), a)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if !h.kit.ParsePost(w, r) {
		return
	}
	chosen := map[application.NotificationKind]string{}
	for kind := range modes {
		m := r.PostForm.Get(string(kind))
		if m == "on" {
			m = application.ModeOn
		}
		chosen[kind], modes[kind] = m, m
	}
	if err := h.applications.SetNotifications(r.Context(), a, chosen); err != nil {
		if _, ok := fault.As(err); !ok {
			h.kit.Fail(w, r, err)
			return
		}
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "notifications.html", notificationsTitle,
			notificationsData{Rows: h.notificationRows(modes), Error: "Un des choix n'est pas possible : vérifiez chaque ligne."})
		return
	}
	h.kit.SetFlash(r, "Vos préférences de notification sont enregistrées.")
	http.Redirect(w, r, application.NotificationsPath, http.StatusSeeOther)
}
