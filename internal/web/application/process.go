package application

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"emplois/internal/application"
	"emplois/internal/approval"
	"emplois/internal/eligibility"
	"emplois/internal/jobseeker"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// processRoutes declares the candidature page and the employer's processing.
func (h *Handler) processRoutes(rt *page.Router) {
	rt.Handle("GET /apply/{id}/siae/details", employersOrStaff, h.employerDetails)
	rt.Handle("GET /apply/{id}/prescriber/details", page.LoggedIn, h.senderDetails)
	rt.Handle("GET /apply/{id}/resume", page.LoggedIn, h.resume)
	rt.Handle("POST /apply/{id}/siae/{action}", employersOrStaff, h.act)
	rt.Handle("GET /apply/{id}/siae/answer/{action}", page.EmployerMember, h.answerPage)
	rt.Handle("POST /apply/{id}/siae/answer/{action}", page.EmployerMember, h.answer)
	rt.Handle("POST /apply/{id}/siae/comments", page.EmployerMember, h.addComment)
	rt.Handle("POST /apply/{id}/siae/comments/{comment}/delete", page.EmployerMember,
		h.removal("comment", "Le commentaire a été supprimé.", h.applications.DeleteComment))
	rt.Handle("POST /apply/{id}/siae/prior-actions", page.EmployerMember, h.addPriorAction)
	rt.Handle("POST /apply/{id}/siae/prior-actions/{action}/delete", page.EmployerMember,
		h.removal("action", "L'action préalable à l'embauche a été supprimée.", h.applications.DeletePriorAction))
	rt.Handle("GET /apply/refuse", page.EmployerMember, h.refusePage)
	rt.Handle("POST /apply/refuse", page.EmployerMember, h.refuse)
	rt.Handle("GET /apply/{id}/accept", employersOrStaff, h.acceptPage)
	rt.Handle("POST /apply/{id}/accept", employersOrStaff, h.accept)
}

func actionPath(id, action string) string { return "/apply/" + id + "/siae/" + action }
func answerPath(id, action string) string { return "/apply/" + id + "/siae/answer/" + action }
func acceptPath(id string) string         { return "/apply/" + id + "/accept" }

// RefusePath is the refusal wizard for these candidatures, coming back to next (§3.6).
func RefusePath(ids []string, next string) string {
	return "/apply/refuse?" + url.Values{"ids": {strings.Join(ids, ",")}, "next": {next}}.Encode()
}

// control is how the page offers one action: a button posting to URL, or a link to its form.
type control struct {
	Label, URL string
	Post       bool
}

type historyRow struct{ When, Label, By string }

type detailsData struct {
	Heading   string
	D         *application.Details
	Employer  bool // the employer's page (members and staff)
	Badge     badge
	Facts     page.Facts
	ResumeURL string
	Jobs      string
	History   []historyRow
	Controls  []control
	// TransferURL and Targets: the internal transfer to another company of the user (T10).
	TransferURL string
	Targets     []org.Affiliation
	Comment     *page.Form
	CommentURL  string
	Prior       *page.Form
	PriorURL    string
	PriorGroups []application.PriorActionGroup
	PriorOpen   bool // prior actions may still change (not accepted, R32)
	// Eligibility is the job seeker's IAE eligibility (SIAE only; internal/web/eligibility).
	Eligibility *eligibility.Box
	PASSURL     string
}

// passOutcome is what an acceptance did of the PASS IAE, for the flash message.
func passOutcome(app *application.Application) string {
	switch {
	case app.ApprovalID != nil:
		return "Le PASS IAE du candidat est disponible sur la candidature."
	case app.ApprovalDeliveryMode == application.DeliveryManual:
		return "Votre demande de PASS IAE est en cours de vérification auprès de l'équipe support : vous serez prévenu par e-mail."
	}
	return ""
}

// passFact is what a hire says of its PASS IAE (approvals.md §2.8), "" when it has none to say.
func passFact(d *application.Details) string {
	app := d.App
	switch {
	case app.State != application.Accepted:
		return ""
	case d.PASS != nil:
		return approval.FormatNumber(d.PASS.Number) + ", valide du " + localtime.Date(d.PASS.StartAt) + " au " + localtime.Date(d.PASS.EndAt)
	case app.ApprovalManuallyRefusedAt != nil:
		return "La délivrance du PASS IAE a été refusée par l'équipe support."
	case app.ApprovalDeliveryMode == application.DeliveryManual:
		return "Votre demande de PASS IAE est en cours de vérification auprès de l'équipe support."
	}
	return ""
}

func (h *Handler) employerDetails(w http.ResponseWriter, r *http.Request) {
	h.showDetails(w, r, application.EmployerPage, http.StatusOK, nil, nil)
}

func (h *Handler) senderDetails(w http.ResponseWriter, r *http.Request) {
	h.showDetails(w, r, application.SenderPage, http.StatusOK, nil, nil)
}

// showDetails renders a candidature's page; comment and prior are forms refused just before.
func (h *Handler) showDetails(w http.ResponseWriter, r *http.Request, p application.Page, status int, comment, prior *page.Form) {
	d, err := h.applications.Details(r.Context(), h.kit.ActorOf(r), r.PathValue("id"), p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	id := d.App.PublicID
	data := detailsData{D: d, Employer: p == application.EmployerPage, Badge: stateBadge(d.App.State),
		Facts: page.Facts{ID: "application-facts"}, Jobs: "Candidature spontanée",
		Comment: comment, Prior: prior}
	if len(d.Jobs) > 0 {
		data.Jobs = strings.Join(d.Jobs, ", ")
	}
	if d.HasResume {
		data.ResumeURL = "/apply/" + id + "/resume"
	}
	data.Facts.Add("Entreprise", d.Company.DisplayName())
	data.Facts.Add("Candidat", d.JobSeekerName)
	data.Facts.Add("Adresse e-mail du candidat", d.JobSeekerEmail)
	data.Facts.Add("Téléphone du candidat", d.JobSeekerPhone)
	data.Facts.Add("Émetteur", d.SenderKind)
	data.Facts.Add("Envoyée par", d.SenderName)
	if d.SenderOrgName != "" {
		org := d.SenderOrgName
		if d.SenderLeft {
			org += " (ne fait plus partie de cette structure)"
		}
		data.Facts.Add("Structure de l'émetteur", org)
	}
	data.Facts.Add("Envoyée le", localtime.DateTime(d.App.CreatedAt))
	data.Facts.Add("Poste retenu", d.HiredJob)
	if d.App.HiringStartAt != nil {
		data.Facts.Add("Début du contrat", localtime.Date(*d.App.HiringStartAt))
	}
	if d.App.HiringEndAt != nil {
		data.Facts.Add("Fin prévisionnelle du contrat", localtime.Date(*d.App.HiringEndAt))
	}
	data.Facts.Add("PASS IAE", passFact(d))
	if d.PASS != nil {
		data.PASSURL = approval.DetailsPath(d.PASS.PublicID)
	}
	for _, l := range d.History {
		data.History = append(data.History, historyRow{When: localtime.DateTime(l.At), Label: l.Label, By: l.By})
	}
	if data.Employer {
		h.employerControls(r, d, &data)
	}
	if d.Side != application.SideJobSeeker {
		geiqStep := ""
		if d.CanAccept {
			geiqStep = eligibility.GEIQStepPath(id)
		}
		data.Eligibility, err = h.eligibility.BoxFor(r.Context(), h.kit.ActorOf(r), d.App.JobSeekerID, d.JobSeekerPublicID, d.Company.Kind, r.URL.Path, geiqStep)
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
	}
	data.Heading = "Candidature de " + d.JobSeekerName
	if d.Side == application.SideJobSeeker {
		data.Heading = "Ma candidature chez " + d.Company.DisplayName()
	}
	h.tpl.Render(w, r, status, "details.html", data.Heading, data)
}

// employerControls lays out the actions the service allows now (read from the transition table
// through Details.Actions) and the comment and prior action forms.
func (h *Handler) employerControls(r *http.Request, d *application.Details, data *detailsData) {
	id := d.App.PublicID
	for _, t := range d.Actions {
		switch t.Name {
		case application.TAccept:
			if d.CanAccept {
				data.Controls = append(data.Controls, control{Label: t.Label, URL: acceptPath(id)})
			}
		case application.TRefuse:
			data.Controls = append(data.Controls, control{Label: t.Label,
				URL: RefusePath([]string{id}, application.DetailsPath(id))})
		case application.TPostpone:
			data.Controls = append(data.Controls, control{Label: t.Label, URL: answerPath(id, "postpone")})
		case application.TAddToPool:
			data.Controls = append(data.Controls, control{Label: t.Label, URL: answerPath(id, "pool")})
		case application.TProcess, application.TCancel, application.TReset:
			data.Controls = append(data.Controls, control{Label: t.Label, URL: actionPath(id, string(t.Name)), Post: true})
		case application.TExternalTransfer:
			data.Controls = append(data.Controls, control{Label: t.Label, URL: externalTransferPath(id)})
		case application.TTransfer:
			for _, a := range page.ViewerOf(r).Organizations {
				if a.FromEmployer() && a.UID != d.Company.UID {
					data.Targets = append(data.Targets, a)
				}
			}
			if len(data.Targets) > 0 {
				data.TransferURL = actionPath(id, "transfer")
			}
		}
	}
	if d.Side == application.SideEmployer && application.CanUpdateHiringStart(d.App.State, d.App.HiringStartAt, application.Day(h.applications.Now())) {
		data.Controls = append(data.Controls, control{Label: "Modifier les dates du contrat", URL: contractDatesPath(id)})
	}
	if d.CanArchive {
		data.Controls = append(data.Controls, control{Label: "Archiver", URL: actionPath(id, "archive"), Post: true})
	}
	if d.CanUnarchive {
		data.Controls = append(data.Controls, control{Label: "Désarchiver", URL: actionPath(id, "unarchive"), Post: true})
	}
	if d.Side != application.SideEmployer {
		return
	}
	data.CommentURL = "/apply/" + id + "/siae/comments"
	if data.Comment == nil {
		data.Comment = commentForm()
	}
	if d.IsGEIQ {
		data.PriorURL = "/apply/" + id + "/siae/prior-actions"
		data.PriorGroups = application.PriorActionGroups
		data.PriorOpen = d.App.State != application.Accepted
		if data.Prior == nil {
			data.Prior = priorForm()
		}
	}
}

// act fires a transition without input (process, cancel, reset), the internal transfer, or an
// archive change, then comes back to the page with a French message; a transition the state no
// longer allows is told the same way (§2.1: « Action déjà effectuée. »).
func (h *Handler) act(w http.ResponseWriter, r *http.Request) {
	if !h.kit.ParsePost(w, r) {
		return
	}
	ctx, a, id := r.Context(), h.kit.ActorOf(r), r.PathValue("id")
	var err error
	var done string
	switch r.PathValue("action") {
	case string(application.TProcess):
		_, err = h.applications.Process(ctx, a, id)
		done = "La candidature est à l'étude."
	case string(application.TCancel):
		var app *application.Application
		app, err = h.applications.Cancel(ctx, a, id)
		done = "L'embauche a bien été annulée."
		if err == nil && a.Kind != actor.Staff && !application.VisibleToEmployer(app.State, app.CreatedAt, h.kit.Now()) {
			// Older than 2 years and no longer accepted: the employer no longer sees it (R31, §3.7).
			h.kit.SetFlash(r, done+" La candidature, envoyée il y a plus de 2 ans, n'apparaît plus dans vos candidatures.")
			http.Redirect(w, r, application.InboxPath, http.StatusSeeOther)
			return
		}
	case string(application.TReset):
		_, err = h.applications.Reset(ctx, a, id)
		done = "La candidature a été réinitialisée."
	case "transfer":
		_, err = h.applications.Transfer(ctx, a, id, r.PostForm.Get("target"))
		done = "La candidature a bien été transférée. Changez de structure pour la retrouver."
	case "archive":
		_, err = h.applications.Archive(ctx, a, id)
		done = "La candidature a bien été archivée."
	case "unarchive":
		_, err = h.applications.Unarchive(ctx, a, id)
		done = "La candidature a bien été désarchivée."
	default:
		h.kit.Error(w, r, http.StatusNotFound)
		return
	}
	h.afterAction(w, r, err, done)
}

// afterAction goes back to the employer's page with the outcome: a conflict or an invalid
// choice is a message there; a candidature the viewer may not see or touch is the error page.
func (h *Handler) afterAction(w http.ResponseWriter, r *http.Request, err error, done string) {
	if e, ok := fault.As(err); ok && (e.Kind == fault.KindConflict || e.Kind == fault.KindInvalid) {
		msg := e.Message
		for _, f := range e.Fields {
			msg = f.Message
		}
		h.kit.SetFlash(r, msg)
	} else if err != nil {
		h.kit.Fail(w, r, err)
		return
	} else {
		h.kit.SetFlash(r, done)
	}
	http.Redirect(w, r, application.DetailsPath(r.PathValue("id")), http.StatusSeeOther)
}

// resume serves the CV to those OpenResume lets see it (§3.7), as a download.
func (h *Handler) resume(w http.ResponseWriter, r *http.Request) {
	cv, err := h.applications.OpenResume(r.Context(), h.kit.ActorOf(r), r.PathValue("id"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	defer cv.Close()
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+cv.Filename+`"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, no-store")
	if _, err := io.Copy(w, cv); err != nil {
		h.kit.Log().Warn("resume not fully sent", "request_id", page.RequestID(r), "err", err)
	}
}

// answerKinds are the two actions with a message to the job seeker: postpone (required, R21)
// and pool (optional, prefilled).
var answerKinds = map[string]struct {
	transition application.TransitionName
	title      string
	required   bool
	prefill    string
}{
	"postpone": {application.TPostpone, "Mettre en attente la candidature", true, ""},
	"pool":     {application.TAddToPool, "Ajouter la candidature au vivier", false, application.DefaultPoolAnswer},
}

type answerData struct {
	Form      *page.Form
	Action    string
	CancelURL string
	Name      string
}

func (h *Handler) answerPage(w http.ResponseWriter, r *http.Request) {
	h.answerForm(w, r, http.StatusOK, nil)
}

// answerForm shows the form of postpone or pool, unless the state no longer allows it.
func (h *Handler) answerForm(w http.ResponseWriter, r *http.Request, status int, f *page.Form) {
	kind, ok := answerKinds[r.PathValue("action")]
	if !ok {
		h.kit.Error(w, r, http.StatusNotFound)
		return
	}
	d, err := h.applications.Details(r.Context(), h.kit.ActorOf(r), r.PathValue("id"), application.EmployerPage)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if !d.Can(kind.transition) {
		h.afterAction(w, r, application.ErrAlreadyDone, "")
		return
	}
	if f == nil {
		f = answerFormFields(kind.required)
		f.Fields["answer"].Value = kind.prefill
	}
	h.tpl.Render(w, r, status, "details_answer.html", kind.title, answerData{Form: f,
		Action: answerPath(d.App.PublicID, r.PathValue("action")), CancelURL: application.DetailsPath(d.App.PublicID), Name: d.JobSeekerName})
}

func answerFormFields(required bool) *page.Form {
	return page.NewForm(&page.Field{Name: "answer", Label: "Message au candidat", Required: required,
		Hint: "Le candidat et, le cas échéant, son prescripteur le recevront par e-mail."})
}

func (h *Handler) answer(w http.ResponseWriter, r *http.Request) {
	kind, ok := answerKinds[r.PathValue("action")]
	if !ok {
		h.kit.Error(w, r, http.StatusNotFound)
		return
	}
	f := answerFormFields(kind.required)
	if !h.kit.ParseForm(w, r, f) {
		return
	}
	ctx, a, id := r.Context(), h.kit.ActorOf(r), r.PathValue("id")
	var err error
	done := "La candidature a été mise en attente."
	if kind.transition == application.TPostpone {
		_, err = h.applications.Postpone(ctx, a, id, f.Fields["answer"].Value)
	} else {
		_, err = h.applications.AddToPool(ctx, a, id, f.Fields["answer"].Value)
		done = "La candidature a été ajoutée au vivier."
	}
	if e, ok := fault.As(err); ok && len(e.Fields) > 0 {
		f.Show(err)
		h.answerForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	h.afterAction(w, r, err, done)
}

func commentForm() *page.Form {
	return page.NewForm(&page.Field{Name: "message", Label: "Nouveau commentaire", Required: true,
		Hint: "Visible des seuls membres de votre structure (2 000 caractères au plus)."})
}

func (h *Handler) addComment(w http.ResponseWriter, r *http.Request) {
	f := commentForm()
	if !h.kit.ParseForm(w, r, f) {
		return
	}
	_, err := h.applications.AddComment(r.Context(), h.kit.ActorOf(r), r.PathValue("id"), f.Fields["message"].Value)
	if err != nil && f.Show(err) {
		h.showDetails(w, r, application.EmployerPage, http.StatusUnprocessableEntity, f, nil)
		return
	}
	h.afterAction(w, r, err, "Votre commentaire a été ajouté.")
}

// removal serves the deletion of a comment or a prior action: del with the candidature and the
// item named by the path's param, then back to the page saying done.
func (h *Handler) removal(param, done string, del func(context.Context, actor.Actor, string, string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !h.kit.ParsePost(w, r) {
			return
		}
		h.afterAction(w, r, del(r.Context(), h.kit.ActorOf(r), r.PathValue("id"), r.PathValue(param)), done)
	}
}

func priorForm() *page.Form {
	return page.NewForm(
		&page.Field{Name: "action", Label: "Type d'action", Required: true},
		&page.Field{Name: "start_at", Label: "Date de début", Type: "date", Required: true},
		&page.Field{Name: "end_at", Label: "Date de fin prévisionnelle", Type: "date", Required: true})
}

func (h *Handler) addPriorAction(w http.ResponseWriter, r *http.Request) {
	f := priorForm()
	if !h.kit.ParseForm(w, r, f) {
		return
	}
	in := application.PriorActionInput{Action: application.PriorActionKind(f.Fields["action"].Value),
		StartAt: formDate(f, "start_at"), EndAt: formDate(f, "end_at")}
	if f.HasErrors() {
		h.showDetails(w, r, application.EmployerPage, http.StatusUnprocessableEntity, nil, f)
		return
	}
	_, err := h.applications.AddPriorAction(r.Context(), h.kit.ActorOf(r), r.PathValue("id"), in)
	if e, ok := fault.As(err); ok && len(e.Fields) > 0 {
		f.Show(err)
		h.showDetails(w, r, application.EmployerPage, http.StatusUnprocessableEntity, nil, f)
		return
	}
	h.afterAction(w, r, err, "L'action préalable à l'embauche a été ajoutée.")
}

// formDate reads a date field (the date input's YYYY-MM-DD, or JJ/MM/AAAA typed without it); a
// value that is neither is an error on the field.
func formDate(f *page.Form, name string) *time.Time {
	return formValue(f, name, "Saisissez une date valide, au format JJ/MM/AAAA.", func(v string) (time.Time, error) {
		if t, ok := jobseeker.ParseDate(v); ok {
			return t, nil
		}
		return time.Time{}, errors.New("not a date")
	})
}

// formInt reads a whole number field; a value that is not one is an error on the field.
func formInt(f *page.Form, name string) *int {
	return formValue(f, name, "Saisissez un nombre entier.", strconv.Atoi)
}

// formValue parses a field: nil when empty, nil and msg on the field when parse refuses it.
func formValue[T any](f *page.Form, name, msg string, parse func(string) (T, error)) *T {
	v := f.Fields[name].Value
	if v == "" {
		return nil
	}
	x, err := parse(v)
	if err != nil {
		f.SetError(name, msg)
		return nil
	}
	return &x
}

// localNext is next when it is a path of this site, else fallback (no open redirect).
func localNext(next, fallback string) string {
	if strings.HasPrefix(next, "/") && !strings.HasPrefix(next, "//") && !strings.HasPrefix(next, "/\\") {
		return next
	}
	return fallback
}

// --- the refusal wizard (§3.6): the reason, then the messages; its state is in the page

type refuseData struct {
	Batch   *application.RefusalBatch
	Form    *page.Form
	Step    string // "reason" or "messages"
	Next    string
	IDs     []string
	Reasons []reasonOption
	Shared  bool
	Reason  string
	// ReasonLabel is the chosen reason's French name, recalled on the messages step.
	ReasonLabel string
	Multiple    bool
}

type reasonOption struct {
	Value, Label string
	Checked      bool
}

func refuseForm(toPrescriber bool) *page.Form {
	fields := []*page.Field{
		{Name: "reason", Label: "Motif de refus", Required: true},
		{Name: "shared", Label: "J'accepte d'envoyer le motif de refus au(x) candidat(s)"},
		{Name: "answer", Label: "Message au candidat", Required: true,
			Hint: "Une copie de ce message sera adressée au prescripteur ou à l'orienteur le cas échéant."},
	}
	if toPrescriber {
		fields = append(fields, &page.Field{Name: "answer_to_prescriber", Label: "Message au prescripteur ou à l'orienteur",
			Required: true, Hint: "Ce message ne sera pas transmis au candidat."})
	}
	return page.NewForm(fields...)
}

// refusalIDs reads the candidatures of the wizard: ids=a,b or ids=a&ids=b.
func refusalIDs(v url.Values) []string {
	var ids []string
	for _, s := range v["ids"] {
		for _, id := range strings.Split(s, ",") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// refusalBatch loads the wizard's candidatures; with none left to refuse, it goes back to next
// with the reasons (and answers false).
func (h *Handler) refusalBatch(w http.ResponseWriter, r *http.Request, v url.Values) (*application.RefusalBatch, string, bool) {
	next := localNext(v.Get("next"), application.InboxPath)
	b, err := h.applications.RefusalChoices(r.Context(), h.kit.ActorOf(r), refusalIDs(v))
	if err != nil {
		h.kit.Fail(w, r, err)
		return nil, "", false
	}
	if len(b.Items) == 0 {
		msg := "Aucune candidature à refuser."
		if len(b.Dropped) > 0 {
			msg = strings.Join(b.Dropped, " ")
		}
		h.kit.SetFlash(r, msg)
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil, "", false
	}
	return b, next, true
}

func (h *Handler) refusePage(w http.ResponseWriter, r *http.Request) {
	b, next, ok := h.refusalBatch(w, r, r.URL.Query())
	if !ok {
		return
	}
	h.renderRefusal(w, r, http.StatusOK, b, next, "reason", refuseForm(b.ToPrescriber))
}

func (h *Handler) renderRefusal(w http.ResponseWriter, r *http.Request, status int, b *application.RefusalBatch, next, step string, f *page.Form) {
	d := refuseData{Batch: b, Form: f, Step: step, Next: next, IDs: b.IDs(), Multiple: len(b.Items) > 1,
		Reason: f.Fields["reason"].Value, Shared: f.Fields["shared"].Value != ""}
	d.ReasonLabel = application.RefusalReason(d.Reason).Label()
	for _, reason := range b.Reasons {
		d.Reasons = append(d.Reasons, reasonOption{Value: string(reason), Label: reason.Label(), Checked: string(reason) == d.Reason})
	}
	title := "Refuser la candidature de " + b.Items[0].JobSeekerName
	if d.Multiple {
		title = "Refuser " + page.Plural(len(b.Items), "candidature", "candidatures")
	}
	h.tpl.Render(w, r, status, "refuse.html", title, d)
}

// refuse takes a step of the wizard: the reason (checked, then the messages prefilled with its
// default text), then the messages, which refuse each candidature still refusable (Batch).
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request) {
	if !h.kit.ParsePost(w, r) {
		return
	}
	b, next, ok := h.refusalBatch(w, r, r.PostForm)
	if !ok {
		return
	}
	f := refuseForm(b.ToPrescriber)
	for name, fld := range f.Fields {
		fld.Value = strings.TrimSpace(r.PostForm.Get(name))
	}
	in := application.RefuseInput{Reason: application.RefusalReason(f.Fields["reason"].Value),
		Shared: f.Fields["shared"].Value != "", Answer: f.Fields["answer"].Value}
	if fld := f.Fields["answer_to_prescriber"]; fld != nil {
		in.AnswerToPrescriber = fld.Value
	}
	errs := application.CheckRefusal(b.Company.Kind, in, b.ToPrescriber)
	if r.PostForm.Get("step") != "messages" {
		if errs.Has("reason") {
			f.Show(errs.Err())
			h.renderRefusal(w, r, http.StatusUnprocessableEntity, b, next, "reason", f)
			return
		}
		f.Fields["answer"].Value = application.DefaultRefusalMessage(in.Reason, b.Company.DisplayName())
		h.renderRefusal(w, r, http.StatusOK, b, next, "messages", f)
		return
	}
	if err := errs.Err(); err != nil {
		f.Show(err)
		step := "messages"
		if errs.Has("reason") {
			step = "reason"
		}
		h.renderRefusal(w, r, http.StatusUnprocessableEntity, b, next, step, f)
		return
	}
	results, err := h.applications.Batch(r.Context(), h.kit.ActorOf(r), b.IDs(), func(ctx context.Context, id string) error {
		_, err := h.applications.Refuse(ctx, h.kit.ActorOf(r), id, in)
		return err
	})
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.SetFlash(r, refusalOutcome(b, results))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// refusalOutcome is the French message of a refusal (§3.6), with the candidatures that failed.
func refusalOutcome(b *application.RefusalBatch, results []application.ItemResult) string {
	names := map[string]string{}
	for _, it := range b.Items {
		names[it.PublicID] = it.JobSeekerName
	}
	var done []string
	var failed []string
	for _, res := range results {
		if res.Err == nil {
			done = append(done, res.PublicID)
			continue
		}
		msg := res.Err.Error()
		if e, ok := fault.As(res.Err); ok {
			msg = e.Message
		}
		failed = append(failed, names[res.PublicID]+" : "+msg)
	}
	var out string
	switch len(done) {
	case 0:
	case 1:
		out = "La candidature de " + names[done[0]] + " a bien été refusée."
	default:
		out = strconv.Itoa(len(done)) + " candidatures ont bien été refusées."
	}
	return strings.TrimSpace(strings.Join(append([]string{out}, failed...), " "))
}

// --- the acceptance wizard (§3.5): the contract, then its confirmation; its state is in the page

type acceptData struct {
	Contract    *contractStep
	Confirm     bool
	Action      string
	CancelURL   string
	Summary     *page.Facts
	Hidden      []hiddenInput // the contract step's values, carried by the confirmation
	ConflictMsg string
}

func (h *Handler) acceptPage(w http.ResponseWriter, r *http.Request) {
	hc, err := h.applications.HiringChoices(r.Context(), h.kit.ActorOf(r), r.PathValue("id"))
	if err != nil {
		h.afterAction(w, r, err, "")
		return
	}
	id := r.PathValue("id")
	if hc.NeedsDiagnosis {
		http.Redirect(w, r, eligibility.AcceptStepPath(id), http.StatusSeeOther)
		return
	}
	if hc.Company.Kind.IsSIAE() {
		d, err := h.applications.Details(r.Context(), h.kit.ActorOf(r), id, application.EmployerPage)
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		if ask, err := h.needsInfo(r, d.JobSeekerPublicID); err != nil {
			h.kit.Fail(w, r, err)
			return
		} else if ask {
			http.Redirect(w, r, acceptInfoPath(id), http.StatusSeeOther)
			return
		}
	}
	h.renderAccept(w, r, http.StatusOK, hc, contractForm(), false)
}

func (h *Handler) renderAccept(w http.ResponseWriter, r *http.Request, status int, hc *application.HiringChoices, f *page.Form, confirm bool) {
	id := r.PathValue("id")
	d := acceptData{Contract: newContractStep(hc, f, page.ViewerOf(r).PublicID), Confirm: confirm, Action: acceptPath(id),
		CancelURL: application.DetailsPath(id)}
	if confirm {
		d.Hidden, d.Summary = d.Contract.hidden(), d.Contract.summary("accept-summary")
	}
	h.tpl.Render(w, r, status, "accept.html", "Accepter la candidature de "+hc.JobSeekerName, d)
}

// accept takes a step of the wizard: the contract (checked, then shown for confirmation), then
// the confirmation, which accepts. A second member confirming after the first is told so: the
// service locks the candidature and refuses the second acceptance (409).
func (h *Handler) accept(w http.ResponseWriter, r *http.Request) {
	f := contractForm()
	if !h.kit.ParseForm(w, r, f) {
		return
	}
	ctx, a, id := r.Context(), h.kit.ActorOf(r), r.PathValue("id")
	hc, err := h.applications.HiringChoices(ctx, a, id)
	if err != nil {
		h.afterAction(w, r, err, "")
		return
	}
	if hc.NeedsDiagnosis {
		http.Redirect(w, r, eligibility.AcceptStepPath(id), http.StatusSeeOther)
		return
	}
	if r.PostForm.Get("action") == "edit" { // « Modifier » on the confirmation: the form, as typed
		h.renderAccept(w, r, http.StatusOK, hc, f, false)
		return
	}
	in, err := h.readContract(ctx, hc, f)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if f.HasErrors() {
		h.renderAccept(w, r, http.StatusUnprocessableEntity, hc, f, false)
		return
	}
	if r.PostForm.Get("step") != "confirm" {
		h.renderAccept(w, r, http.StatusOK, hc, f, true)
		return
	}
	app, err := h.applications.Accept(ctx, a, id, in)
	var fe *fault.Error
	switch {
	case err == nil:
		h.kit.SetFlash(r, "Candidature acceptée ! "+passOutcome(app))
		http.Redirect(w, r, application.DetailsPath(id), http.StatusSeeOther)
	case errors.As(err, &fe) && fe.Kind == fault.KindConflict:
		f.Show(err)
		h.renderAccept(w, r, http.StatusConflict, hc, f, true)
	case f.Show(err):
		h.renderAccept(w, r, http.StatusUnprocessableEntity, hc, f, false)
	default:
		h.kit.Fail(w, r, err)
	}
}
