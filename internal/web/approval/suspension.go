package approval

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"emplois/internal/approval"
	"emplois/internal/jobseeker"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// The pages that change a PASS IAE's dates (approvals.md §2.10, §2.11): suspensions here,
// prolongations in prolongation.go and prolongation_requests.go. Each handler reads its input,
// calls one service method with the viewer and renders one template; the permissions (the last
// SIAE hirer suspends, any SIAE that hired with the PASS declares, the habilitated prescriber
// organization decides) are the domain's.

// changeRoutes declares the pages that change a PASS.
func (h *Handler) changeRoutes(rt *page.Router) {
	rt.Handle("GET /approvals/suspend/{public_id}", page.EmployerMember, h.suspendPage)
	rt.Handle("POST /approvals/suspend/{public_id}", page.EmployerMember, h.suspend)
	rt.Handle("GET /approvals/suspension/{id}/edit", page.EmployerMember, h.editSuspensionPage)
	rt.Handle("POST /approvals/suspension/{id}/edit", page.EmployerMember, h.editSuspension)
	rt.Handle("GET /approvals/suspension/{id}/action", page.EmployerMember, h.suspensionActionPage)
	rt.Handle("POST /approvals/suspension/{id}/action", page.EmployerMember, h.suspensionAction)
	h.prolongationRoutes(rt)
}

// isoDate is a day as a date input's value.
func isoDate(t time.Time) string { return t.Format(time.DateOnly) }

// msgDate is the error of a date that cannot be read.
const msgDate = "Saisissez une date valide au format JJ/MM/AAAA."

// readDate reads a date field; it marks the field and answers false when it is empty (if
// required) or unreadable.
func readDate(f *page.Form, name string, required bool) (time.Time, bool) {
	fld := f.Fields[name]
	if fld.Value == "" {
		if required {
			fld.Error = page.MsgRequired
		}
		return time.Time{}, !required
	}
	t, ok := jobseeker.ParseDate(fld.Value)
	if !ok {
		fld.Error = msgDate
	}
	return t, ok
}

// refuse answers a refusal of the domain: the last-hirer rule (scenario 11) as a 403 page that
// says why, anything else through Kit.Fail.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, approval.ErrNotLastHirer) {
		h.tpl.Render(w, r, http.StatusForbidden, "suspension_refused.html", "Suspension impossible", err.Error())
		return
	}
	h.kit.Fail(w, r, err)
}

// Option is a radio choice of a form.
type Option struct {
	Value, Label, Hint string
	Checked, Disabled  bool
}

// RadioGroup is a field chosen among options (partial "change_radios").
type RadioGroup struct {
	Field   *page.Field
	Options []Option
}

// passSummary is the PASS a page changes (partial "change_pass").
type passSummary struct{ Number, State, Start, End string }

func (h *Handler) summary(a *approval.Approval) passSummary {
	return passSummary{Number: a.DisplayNumber(), State: a.State(approval.Today(h.approvals.Now())).Label(),
		Start: localtime.Date(a.StartAt), End: localtime.Date(a.EndAt)}
}

// suspensionData is what suspension_form.html shows, for a new suspension or an edit.
type suspensionData struct {
	Form    *page.Form
	C       *approval.SuspensionChoices
	Pass    passSummary
	Reasons RadioGroup
	Action  string
	Editing bool
	// MaxEnd explains the 36 months; MinStart the earliest start.
	MinStart, Today string
	EndUnknown      bool
}

func suspensionForm() *page.Form {
	return page.NewForm(
		&page.Field{Name: "start_at", Label: "Date de début de la suspension", Type: "date", Required: true,
			Hint: "Elle peut être antérieure à aujourd'hui, jamais postérieure. Format attendu : JJ/MM/AAAA."},
		&page.Field{Name: "end_at", Label: "Date de fin de la suspension", Type: "date",
			Hint: "Au plus tard 36 mois après le début, moins un jour. Format attendu : JJ/MM/AAAA."},
		&page.Field{Name: "reason", Label: "Motif de la suspension", Required: true},
	)
}

func (h *Handler) suspensionData(f *page.Form, c *approval.SuspensionChoices, action string) suspensionData {
	d := suspensionData{Form: f, C: c, Pass: h.summary(c.Approval), Action: action, Editing: c.Suspension != nil,
		MinStart: localtime.Date(c.MinStart), Today: localtime.Date(c.Today), Reasons: RadioGroup{Field: f.Fields["reason"]}}
	for _, reason := range c.Reasons {
		d.Reasons.Options = append(d.Reasons.Options, Option{Value: string(reason), Label: reason.Label(), Checked: f.Fields["reason"].Value == string(reason)})
	}
	return d
}

func suspensionTitle(editing bool) string {
	if editing {
		return "Modifier la suspension du PASS IAE"
	}
	return "Suspendre un PASS IAE"
}

func (h *Handler) suspendPage(w http.ResponseWriter, r *http.Request) {
	publicID := r.PathValue("public_id")
	c, err := h.approvals.SuspensionChoices(r.Context(), h.kit.ActorOf(r), publicID)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	f := suspensionForm()
	f.Fields["start_at"].Value = isoDate(c.Today)
	f.Fields["reason"].Value = string(approval.ContractSuspended)
	h.tpl.Render(w, r, http.StatusOK, "suspension_form.html", suspensionTitle(false), h.suspensionData(f, c, r.URL.Path))
}

// readSuspension reads the suspension form: nil input after marking the fields in error.
func readSuspension(f *page.Form, r *http.Request) (*approval.SuspensionInput, bool) {
	endUnknown := r.PostForm.Get("end_unknown") == "on"
	start, okStart := readDate(f, "start_at", true)
	end, okEnd := readDate(f, "end_at", !endUnknown)
	ok := f.Require("reason") && okStart && okEnd
	if !ok {
		return nil, endUnknown
	}
	if endUnknown {
		end = approval.SuspensionMaxEnd(start)
	}
	return &approval.SuspensionInput{StartAt: start, EndAt: end, Reason: approval.SuspensionReason(f.Fields["reason"].Value)}, endUnknown
}

func (h *Handler) suspend(w http.ResponseWriter, r *http.Request) {
	publicID := r.PathValue("public_id")
	a := h.kit.ActorOf(r)
	c, err := h.approvals.SuspensionChoices(r.Context(), a, publicID)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	h.saveSuspension(w, r, c, func(in approval.SuspensionInput) error {
		_, err := h.approvals.Suspend(r.Context(), a, publicID, in)
		return err
	}, "La suspension du PASS IAE est enregistrée : sa date de fin est repoussée d'autant.")
}

// saveSuspension reads the suspension form and saves it; it sends back to the PASS with the
// flash, or shows the form again with what was refused.
func (h *Handler) saveSuspension(w http.ResponseWriter, r *http.Request, c *approval.SuspensionChoices, save func(approval.SuspensionInput) error, flash string) {
	f := suspensionForm()
	if !h.kit.ParseForm(w, r, f) {
		return
	}
	in, endUnknown := readSuspension(f, r)
	if in != nil {
		err := save(*in)
		if err == nil {
			h.kit.SetFlash(r, flash)
			http.Redirect(w, r, approval.DetailsPath(c.Approval.PublicID), http.StatusSeeOther)
			return
		}
		if !f.Show(err) {
			h.refuse(w, r, err)
			return
		}
	}
	d := h.suspensionData(f, c, r.URL.Path)
	d.EndUnknown = endUnknown
	h.tpl.Render(w, r, http.StatusUnprocessableEntity, "suspension_form.html", suspensionTitle(c.Suspension != nil), d)
}

// suspensionOf reads the {id} of a suspension page and its choices; false after the error page.
func (h *Handler) suspensionOf(w http.ResponseWriter, r *http.Request) (*approval.SuspensionChoices, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.kit.Fail(w, r, approval.ErrNotFound)
		return nil, false
	}
	c, err := h.approvals.Suspension(r.Context(), h.kit.ActorOf(r), id)
	if err != nil {
		h.refuse(w, r, err)
		return nil, false
	}
	return c, true
}

func (h *Handler) editSuspensionPage(w http.ResponseWriter, r *http.Request) {
	c, ok := h.suspensionOf(w, r)
	if !ok {
		return
	}
	f := suspensionForm()
	f.Fields["start_at"].Value, f.Fields["end_at"].Value = isoDate(c.Suspension.StartAt), isoDate(c.Suspension.EndAt)
	f.Fields["reason"].Value = string(c.Suspension.Reason)
	h.tpl.Render(w, r, http.StatusOK, "suspension_form.html", suspensionTitle(true), h.suspensionData(f, c, r.URL.Path))
}

func (h *Handler) editSuspension(w http.ResponseWriter, r *http.Request) {
	c, ok := h.suspensionOf(w, r)
	if !ok {
		return
	}
	h.saveSuspension(w, r, c, func(in approval.SuspensionInput) error {
		return h.approvals.EditSuspension(r.Context(), h.kit.ActorOf(r), c.Approval.PublicID, c.Suspension.ID, in)
	}, "La suspension est modifiée, et la date de fin du PASS IAE avec elle.")
}

// Actions of the suspension action page.
const (
	actionEnd    = "end"
	actionDelete = "delete"
)

// suspensionActionData is what suspension_action.html shows.
type suspensionActionData struct {
	Form                       *page.Form
	C                          *approval.SuspensionChoices
	Pass                       passSummary
	Action                     string
	Start, End, ProposedReturn string
	Actions                    RadioGroup
}

func suspensionActionForm() *page.Form {
	return page.NewForm(
		&page.Field{Name: "action", Label: "Que souhaitez-vous faire ?", Required: true},
		&page.Field{Name: "first_day_back", Label: "Date de retour en emploi", Type: "date",
			Hint: "Le premier jour de travail du salarié : après le début de la suspension et avant sa fin. Format attendu : JJ/MM/AAAA."},
	)
}

func (h *Handler) suspensionActionData(f *page.Form, c *approval.SuspensionChoices, path string) suspensionActionData {
	d := suspensionActionData{Form: f, C: c, Pass: h.summary(c.Approval), Action: path, Start: localtime.Date(c.Suspension.StartAt), End: localtime.Date(c.Suspension.EndAt),
		ProposedReturn: localtime.Date(c.ProposedReturn)}
	choice := f.Fields["action"].Value
	d.Actions = RadioGroup{Field: f.Fields["action"], Options: []Option{
		{Value: actionEnd, Label: "Mettre fin à la suspension : le salarié reprend son travail", Checked: choice == actionEnd,
			Hint: "La suspension prend fin la veille de la date de retour, et la date de fin du PASS IAE est recalculée."},
		{Value: actionDelete, Label: "Supprimer la suspension", Checked: choice == actionDelete,
			Hint: "La suspension n'aura jamais existé : le reliquat du PASS IAE perd " + page.Plural(c.LostDays, "jour", "jours") + "."},
	}}
	return d
}

const suspensionActionTitle = "Mettre fin à la suspension ou la supprimer"

func (h *Handler) suspensionActionPage(w http.ResponseWriter, r *http.Request) {
	c, ok := h.suspensionOf(w, r)
	if !ok {
		return
	}
	f := suspensionActionForm()
	f.Fields["first_day_back"].Value = isoDate(c.ProposedReturn)
	h.tpl.Render(w, r, http.StatusOK, "suspension_action.html", suspensionActionTitle, h.suspensionActionData(f, c, r.URL.Path))
}

func (h *Handler) suspensionAction(w http.ResponseWriter, r *http.Request) {
	c, ok := h.suspensionOf(w, r)
	if !ok {
		return
	}
	f := suspensionActionForm()
	if !h.kit.ParseForm(w, r, f) {
		return
	}
	a, publicID := h.kit.ActorOf(r), c.Approval.PublicID
	var err error
	switch f.Fields["action"].Value {
	case actionEnd:
		if back, ok := readDate(f, "first_day_back", true); ok {
			if err = h.approvals.EndSuspension(r.Context(), a, publicID, c.Suspension.ID, back); err == nil {
				h.kit.SetFlash(r, "La suspension prend fin le "+localtime.Date(back.AddDate(0, 0, -1))+".")
			}
		}
	case actionDelete:
		if err = h.approvals.DeleteSuspension(r.Context(), a, publicID, c.Suspension.ID); err == nil {
			h.kit.SetFlash(r, "La suspension est supprimée.")
		}
	default:
		f.Fields["action"].Error = "Choisissez de mettre fin à la suspension ou de la supprimer."
	}
	if err == nil && !f.HasErrors() {
		http.Redirect(w, r, approval.DetailsPath(publicID), http.StatusSeeOther)
		return
	}
	if err != nil && !f.Show(err) {
		h.refuse(w, r, err)
		return
	}
	h.tpl.Render(w, r, http.StatusUnprocessableEntity, "suspension_action.html", suspensionActionTitle, h.suspensionActionData(f, c, r.URL.Path))
}
