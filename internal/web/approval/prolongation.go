package approval

import (
	"errors"
	"io"
	"net/http"
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

func (h *Handler) declarePage(w http.ResponseWriter, r *http.Request) {
	c, err := h.approvals.ProlongationChoices(r.Context(), h.kit.ActorOf(r), r.PathValue("public_id"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "prolongation_declare.html", declareTitle, h.declareData(declareForm(), c))
}

// maxDeclarationBody bounds the multipart form: the report file and the other fields.
const maxDeclarationBody = approval.MaxReportBytes + 256<<10

// msgReportTooLarge: a body over the bound loses the whole form.
const msgReportTooLarge = "Le fichier bilan ne doit pas dépasser 5 Mo."

// readDeclaration reads the declaration's multipart (or plain) form into f and returns the
// report file, nil when none. It answers false after a 400 page for an unreadable body;
// tooLarge tells a body over the bound, whose fields are lost.
func (h *Handler) readDeclaration(w http.ResponseWriter, r *http.Request, f *page.Form) (report []byte, tooLarge, ok bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxDeclarationBody)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return nil, true, true
		case errors.Is(err, http.ErrNotMultipart):
			if err := r.ParseForm(); err != nil {
				h.kit.Error(w, r, http.StatusBadRequest)
				return nil, false, false
			}
		default:
			h.kit.Error(w, r, http.StatusBadRequest)
			return nil, false, false
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
				return nil, false, false
			}
			defer file.Close()
			if report, err = io.ReadAll(io.LimitReader(file, approval.MaxReportBytes+1)); err != nil {
				h.kit.Error(w, r, http.StatusBadRequest)
				return nil, false, false
			}
		}
	}
	return report, false, true
}

func (h *Handler) declare(w http.ResponseWriter, r *http.Request) {
	publicID, a := r.PathValue("public_id"), h.kit.ActorOf(r)
	c, err := h.approvals.ProlongationChoices(r.Context(), a, publicID)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	f := declareForm()
	report, tooLarge, ok := h.readDeclaration(w, r, f)
	if !ok {
		return
	}
	phone := r.PostForm.Get("require_phone_interview") == "on"
	if tooLarge {
		f.Fields["report_file"].Error = msgReportTooLarge
	} else {
		done, err := h.prolong(r, a, publicID, f, report, phone)
		if done {
			http.Redirect(w, r, approval.DetailsPath(publicID), http.StatusSeeOther)
			return
		}
		if err != nil && !f.Show(err) {
			h.kit.Fail(w, r, err)
			return
		}
	}
	d := h.declareData(f, c)
	d.PhoneInterview = phone
	if f.Fields["prescriber_organization"].Error != "" {
		orgs, err := h.approvals.HabilitatedOrganizationsOf(r.Context(), f.Fields["prescriber_email"].Value)
		if err != nil {
			h.kit.ServerError(w, r, err)
			return
		}
		for _, o := range orgs {
			d.Organizations = append(d.Organizations, orgOption{ID: o.ID, Name: o.Name, Selected: strconv.FormatInt(o.ID, 10) == f.Fields["prescriber_organization"].Value})
		}
	}
	h.tpl.Render(w, r, http.StatusUnprocessableEntity, "prolongation_declare.html", declareTitle, d)
}

// prolong checks the form, stores the report file and declares the prolongation; done after
// setting the flash (the caller redirects). Field errors of its own leave done false and err
// nil; a refusal leaves no file behind.
func (h *Handler) prolong(r *http.Request, a actor.Actor, publicID string, f *page.Form, report []byte, phone bool) (done bool, err error) {
	end, okEnd := readDate(f, "end_at", true)
	okReason := f.Require("reason")
	reason := approval.ProlongationReason(f.Fields["reason"].Value)
	if okReason && reason.NeedsPrescriber() && !f.Require("prescriber_email") {
		okReason = false
	}
	if !okEnd || !okReason {
		return false, nil
	}
	orgID, _ := strconv.ParseInt(f.Fields["prescriber_organization"].Value, 10, 64)
	in := approval.ProlongationInput{EndAt: end, Reason: reason, ReasonExplanation: f.Fields["reason_explanation"].Value,
		RequirePhoneInterview: phone, ContactEmail: f.Fields["contact_email"].Value, ContactPhone: f.Fields["contact_phone"].Value,
		PrescriberEmail: f.Fields["prescriber_email"].Value, PrescriberOrganizationID: orgID}
	if report != nil {
		key, err := h.approvals.StoreReport(r.Context(), report)
		if err != nil {
			return false, err
		}
		in.ReportFileKey = key
	}
	out, err := h.approvals.Prolong(r.Context(), a, publicID, in)
	if err != nil {
		h.approvals.DropReport(r.Context(), in.ReportFileKey)
		return false, err
	}
	if out.Request != nil {
		h.kit.SetFlash(r, "Votre demande de prolongation est envoyée au prescripteur habilité : le PASS IAE sera prolongé quand il l'aura acceptée.")
	} else {
		h.kit.SetFlash(r, "La prolongation est enregistrée : le PASS IAE est désormais valide jusqu'au "+localtime.Date(out.Prolongation.EndAt)+".")
	}
	return true, nil
}
