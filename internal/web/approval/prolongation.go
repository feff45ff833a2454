package approval

import (
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"emplois/internal/approval"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// The employer's declaration of a prolongation (approvals.md §2.11, scenarios 15–17, 20–22):
// SENIOR_CDI and COMPLETE_TRAINING prolong at once, the other reasons make a request to a
// habilitated prescriber, with an optional report file (an Excel workbook, AI only).

func (h *Handler) prolongationRoutes(rt *page.Router) {
	rt.Handle("GET /approvals/declare_prolongation/{public_id}", page.EmployerMember, h.declarePage)
	rt.Handle("POST /approvals/declare_prolongation/{public_id}", page.EmployerMember, h.declare)
	rt.Handle("GET /approvals/declare_prolongation/{public_id}/preview/{key}", page.EmployerMember, h.previewPage)
	rt.Handle("POST /approvals/declare_prolongation/{public_id}/preview/{key}", page.EmployerMember, h.confirm)
	h.requestRoutes(rt)
}

const declareTitle = "Prolonger un PASS IAE"

// declareData is what prolongation_declare.html shows.
type declareData struct {
	Form    *page.Form
	C       *approval.ProlongationChoices
	Pass    passSummary
	Reasons RadioGroup
	// Refusal says why the PASS may not be prolonged now; the form is not shown.
	Refusal string
	Start   string
	// Report: the report file is offered (AI only); Organizations: the prescriber's habilitated
	// organizations, asked for when there are several.
	Report         bool
	Organizations  []orgOption
	PhoneInterview bool
	// Draft is the previewed declaration the form was reopened from (« Modifier »), whose
	// report file ReportName is kept unless another is given.
	Draft, ReportName string
}

type orgOption struct {
	ID       int64
	Name     string
	Selected bool
}

func declareForm() *page.Form {
	return page.NewForm(
		&page.Field{Name: "reason", Label: "Motif de la prolongation", Required: true},
		&page.Field{Name: "end_at", Label: "Date de fin de la prolongation", Type: "date", Required: true,
			Hint: "La date de fin au plus tard dépend du motif, indiquée pour chacun. Format attendu : JJ/MM/AAAA."},
		&page.Field{Name: "reason_explanation", Label: "Précisions sur la situation du salarié"},
		&page.Field{Name: "prescriber_email", Label: "Adresse e-mail du prescripteur habilité", Type: "email", Autocomplete: "off",
			Hint: "Pour les motifs RQTH, 50 ans et plus et difficultés particulières : le prescripteur habilité qui validera la demande."},
		&page.Field{Name: "prescriber_organization", Label: "Organisation habilitée du prescripteur"},
		&page.Field{Name: "contact_email", Label: "Adresse e-mail de contact", Type: "email", Autocomplete: "email"},
		&page.Field{Name: "contact_phone", Label: "Téléphone de contact", Type: "tel", Autocomplete: "tel", Hint: "20 caractères au plus."},
		&page.Field{Name: "report_file", Label: "Fichier bilan (facultatif)", Type: "file",
			Hint: "Fichier Excel (.xlsx), 1 Mo maximum. En cas d'erreur dans le formulaire, joignez-le à nouveau."},
	)
}

// draftForm is the declaration form filled with a draft's input, and its phone interview box.
func draftForm(in approval.ProlongationInput) (*page.Form, bool) {
	f := declareForm()
	for name, v := range map[string]string{"reason": string(in.Reason), "end_at": isoDate(in.EndAt),
		"reason_explanation": in.ReasonExplanation, "prescriber_email": in.PrescriberEmail,
		"contact_email": in.ContactEmail, "contact_phone": in.ContactPhone} {
		f.Fields[name].Value = v
	}
	if in.PrescriberOrganizationID != 0 {
		f.Fields["prescriber_organization"].Value = strconv.FormatInt(in.PrescriberOrganizationID, 10)
	}
	return f, in.RequirePhoneInterview
}

func (h *Handler) declareData(f *page.Form, c *approval.ProlongationChoices) declareData {
	d := declareData{Form: f, C: c, Pass: h.summary(c.Approval), Start: localtime.Date(c.Start), Report: c.Kind == org.AI,
		Reasons: RadioGroup{Field: f.Fields["reason"]}}
	if c.Refusal != nil {
		d.Refusal = c.Refusal.Error()
	}
	for _, o := range c.Reasons {
		hint := "Date de fin au plus tard : " + localtime.Date(o.MaxEnd) + "."
		if o.NeedsPrescriber() {
			hint += " Demande soumise à la validation d'un prescripteur habilité."
		} else {
			hint += " Prolongation immédiate."
		}
		if o.Disabled {
			hint = "Indisponible : les prolongations de ce PASS IAE atteignent déjà la durée maximale pour ce motif."
		}
		d.Reasons.Options = append(d.Reasons.Options, Option{Value: string(o.Reason), Label: o.Label(), Hint: hint,
			Disabled: o.Disabled, Checked: f.Fields["reason"].Value == string(o.Reason)})
	}
	return d
}

// renderDeclare shows the form with its choices: 200 for a new or reopened form, 422 for a
// refused one. The organizations are listed when one was chosen or is asked for.
func (h *Handler) renderDeclare(w http.ResponseWriter, r *http.Request, status int, d declareData) {
	if o := d.Form.Fields["prescriber_organization"]; o.Error != "" || o.Value != "" {
		orgs, err := h.approvals.HabilitatedOrganizationsOf(r.Context(), d.Form.Fields["prescriber_email"].Value)
		if err != nil {
			h.kit.ServerError(w, r, err)
			return
		}
		if len(orgs) > 1 || o.Error != "" {
			for _, org := range orgs {
				id := strconv.FormatInt(org.ID, 10)
				d.Organizations = append(d.Organizations, orgOption{ID: org.ID, Name: org.Name, Selected: id == o.Value})
			}
		}
	}
	h.tpl.Render(w, r, status, "prolongation_declare.html", declareTitle, d)
}

// declarePage shows the form, empty or (« Modifier », ?draft=) filled with a previewed draft.
func (h *Handler) declarePage(w http.ResponseWriter, r *http.Request) {
	publicID, a := r.PathValue("public_id"), h.kit.ActorOf(r)
	c, err := h.approvals.ProlongationChoices(r.Context(), a, publicID)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	key := r.URL.Query().Get("draft")
	if key == "" {
		h.renderDeclare(w, r, http.StatusOK, h.declareData(declareForm(), c))
		return
	}
	p, err := h.approvals.ProlongationDraftOf(r.Context(), a, publicID, key)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	f, phone := draftForm(p.Draft.Input)
	d := h.declareData(f, c)
	d.PhoneInterview, d.Draft, d.ReportName = phone, key, p.Draft.ReportName
	h.renderDeclare(w, r, http.StatusOK, d)
}

// maxDeclarationBody bounds the multipart form: the report file and the other fields.
const maxDeclarationBody = approval.MaxReportBytes + 256<<10

// readDeclaration reads the declaration's multipart (or plain) form into f and returns the
// report file and its name, nil when none. It answers false after a 400 page for an unreadable
// body; tooLarge tells a body over the bound, whose fields are lost.
func (h *Handler) readDeclaration(w http.ResponseWriter, r *http.Request, f *page.Form) (report []byte, name string, tooLarge, ok bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxDeclarationBody)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return nil, "", true, true
		case errors.Is(err, http.ErrNotMultipart):
			if err := r.ParseForm(); err != nil {
				h.kit.Error(w, r, http.StatusBadRequest)
				return nil, "", false, false
			}
		default:
			h.kit.Error(w, r, http.StatusBadRequest)
			return nil, "", false, false
		}
	}
	for name, fld := range f.Fields {
		fld.Value = strings.TrimSpace(r.PostForm.Get(name))
	}
	if r.MultipartForm != nil {
		if files := r.MultipartForm.File["report_file"]; len(files) > 0 && files[0].Size > 0 {
			file, err := files[0].Open()
			if err != nil {
				h.kit.Error(w, r, http.StatusBadRequest)
				return nil, "", false, false
			}
			defer file.Close()
			if report, err = io.ReadAll(io.LimitReader(file, approval.MaxReportBytes+1)); err != nil {
				h.kit.Error(w, r, http.StatusBadRequest)
				return nil, "", false, false
			}
			name = filepath.Base(files[0].Filename)
		}
	}
	return report, name, false, true
}

// declare checks the form and keeps it as a draft, then shows its preview (§2.11: form →
// preview → save); a refused form comes back with its errors.
func (h *Handler) declare(w http.ResponseWriter, r *http.Request) {
	publicID, a := r.PathValue("public_id"), h.kit.ActorOf(r)
	c, err := h.approvals.ProlongationChoices(r.Context(), a, publicID)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	f := declareForm()
	report, name, tooLarge, ok := h.readDeclaration(w, r, f)
	if !ok {
		return
	}
	draft := r.PostForm.Get("draft")
	phone := r.PostForm.Get("require_phone_interview") == "on"
	if tooLarge {
		f.Show(approval.ErrReportTooLarge)
	} else {
		key, err := h.preview(r, a, publicID, f, report, name, draft, phone)
		if key != "" {
			http.Redirect(w, r, previewPath(publicID, key), http.StatusSeeOther)
			return
		}
		if err != nil && !f.Show(err) {
			h.kit.Fail(w, r, err)
			return
		}
	}
	d := h.declareData(f, c)
	d.PhoneInterview, d.Draft = phone, draft
	if draft != "" {
		p, err := h.approvals.ProlongationDraftOf(r.Context(), a, publicID, draft)
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		d.ReportName = p.Draft.ReportName
	}
	h.renderDeclare(w, r, http.StatusUnprocessableEntity, d)
}

func previewPath(publicID, key string) string {
	return "/approvals/declare_prolongation/" + publicID + "/preview/" + key
}

// preview checks the form and keeps it as a draft with its report file; it returns the
// draft's key, or "" with the field errors of its own (err nil) or the service's refusal.
func (h *Handler) preview(r *http.Request, a actor.Actor, publicID string, f *page.Form, report []byte, name, draft string, phone bool) (string, error) {
	end, okEnd := readDate(f, "end_at", true)
	okReason := f.Require("reason")
	reason := approval.ProlongationReason(f.Fields["reason"].Value)
	if okReason && reason.NeedsPrescriber() && !f.Require("prescriber_email") {
		okReason = false
	}
	if !okEnd || !okReason {
		return "", nil
	}
	orgID, _ := strconv.ParseInt(f.Fields["prescriber_organization"].Value, 10, 64)
	in := approval.ProlongationInput{EndAt: end, Reason: reason, ReasonExplanation: f.Fields["reason_explanation"].Value,
		RequirePhoneInterview: phone, ContactEmail: f.Fields["contact_email"].Value, ContactPhone: f.Fields["contact_phone"].Value,
		PrescriberEmail: f.Fields["prescriber_email"].Value, PrescriberOrganizationID: orgID}
	return h.approvals.PreviewProlongation(r.Context(), a, publicID, in, report, name, draft)
}

// previewData is what prolongation_preview.html recalls before the save.
type previewData struct {
	Pass                     passSummary
	Facts                    page.Facts
	Request                  bool
	Action, EditPath, Cancel string
}

func (h *Handler) previewPage(w http.ResponseWriter, r *http.Request) {
	publicID, key := r.PathValue("public_id"), r.PathValue("key")
	p, err := h.approvals.ProlongationDraftOf(r.Context(), h.kit.ActorOf(r), publicID, key)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	in := p.Draft.Input
	d := previewData{Pass: h.summary(p.Approval), Request: in.Reason.NeedsPrescriber(),
		Action: previewPath(publicID, key), EditPath: declarePath(publicID) + "?draft=" + key, Cancel: approval.DetailsPath(publicID)}
	f := &d.Facts
	f.ID = "preview-facts"
	f.Add("PASS IAE", p.Approval.DisplayNumber())
	f.Add("Titulaire", p.Holder.FullName())
	f.Add("Motif", in.Reason.Label())
	f.Add("Prolongation", "du "+localtime.Date(p.Approval.EndAt)+" au "+localtime.Date(in.EndAt))
	f.Add("Précisions", in.ReasonExplanation)
	if d.Request {
		f.Add("Prescripteur habilité", strings.TrimSpace(p.PrescriberName+" ("+in.PrescriberEmail+")"))
		f.Add("Organisation habilitée", p.OrganizationName)
	}
	addContact(f, in.RequirePhoneInterview, in.ContactEmail, in.ContactPhone)
	f.Add("Fichier bilan", p.Draft.ReportName)
	h.tpl.Render(w, r, http.StatusOK, "prolongation_preview.html", "Vérifier la prolongation", d)
}

func declarePath(publicID string) string { return "/approvals/declare_prolongation/" + publicID }

// confirm saves a previewed draft (« Valider »); a refusal at the save brings the form back
// filled with the draft, without its report file (dropped with the draft).
func (h *Handler) confirm(w http.ResponseWriter, r *http.Request) {
	publicID, key, a := r.PathValue("public_id"), r.PathValue("key"), h.kit.ActorOf(r)
	p, err := h.approvals.ProlongationDraftOf(r.Context(), a, publicID, key)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	out, err := h.approvals.ConfirmProlongation(r.Context(), a, publicID, key)
	if err == nil {
		if out.Request != nil {
			h.kit.SetFlash(r, "Votre demande de prolongation est envoyée au prescripteur habilité : le PASS IAE sera prolongé quand il l'aura acceptée.")
		} else {
			h.kit.SetFlash(r, "La prolongation est enregistrée : le PASS IAE est désormais valide jusqu'au "+localtime.Date(out.Prolongation.EndAt)+".")
		}
		http.Redirect(w, r, approval.DetailsPath(publicID), http.StatusSeeOther)
		return
	}
	f, phone := draftForm(p.Draft.Input)
	if !f.Show(err) {
		h.kit.Fail(w, r, err)
		return
	}
	c, err := h.approvals.ProlongationChoices(r.Context(), a, publicID)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d := h.declareData(f, c)
	d.PhoneInterview = phone
	h.renderDeclare(w, r, http.StatusUnprocessableEntity, d)
}
