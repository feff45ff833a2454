package approval

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"emplois/internal/approval"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// The habilitated prescriber's side of prolongation requests (approvals.md §2.11, §3.2,
// scenarios 18, 19, 23): the list of the organization's requests, a request's page with its
// report file, the grant and the refusal. The domain checks at every request that the
// organization is still habilitated (§7); anyone else gets 404.

// RequestsPath is the list of the prolongation requests of the prescriber's organization.
const RequestsPath = "/approvals/prolongation/requests"

func (h *Handler) requestRoutes(rt *page.Router) {
	rt.Handle("GET "+RequestsPath, page.Professional, h.requests)
	rt.Handle("GET /approvals/prolongation/request/{id}", page.Professional, h.request)
	rt.Handle("GET /approvals/prolongation/request/{id}/report", page.Professional, h.report)
	rt.Handle("POST /approvals/prolongation/request/{id}/grant", page.Professional, h.grant)
	rt.Handle("GET /approvals/prolongation/request/{id}/deny", page.Professional, h.denyPage)
	rt.Handle("POST /approvals/prolongation/request/{id}/deny", page.Professional, h.deny)
}

// requestsData is what prolongation_requests.html shows.
type requestsData struct {
	Rows     []approval.RequestRow
	Total    int
	Statuses []statusOption
	Pager    *page.Pager
}

type statusOption struct {
	Value, Label string
	Selected     bool
}

func (h *Handler) requests(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	status := approval.RequestStatus(q.Get("status"))
	switch status {
	case "", approval.RequestPending, approval.RequestGranted, approval.RequestDenied:
	default:
		status = ""
	}
	pageNo, _ := strconv.Atoi(q.Get("page"))
	pageNo = max(pageNo, 1)
	rows, total, err := h.approvals.Requests(r.Context(), h.kit.ActorOf(r), status, pageNo)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d := requestsData{Rows: rows, Total: total}
	d.Statuses = append(d.Statuses, statusOption{Value: "", Label: "Toutes les demandes", Selected: status == ""})
	for _, s := range []approval.RequestStatus{approval.RequestPending, approval.RequestGranted, approval.RequestDenied} {
		d.Statuses = append(d.Statuses, statusOption{Value: string(s), Label: s.Label(), Selected: s == status})
	}
	pages := (total + approval.RequestsPerPage - 1) / approval.RequestsPerPage
	v := url.Values{}
	if status != "" {
		v.Set("status", string(status))
	}
	d.Pager = page.NewPager("demandes de prolongation", RequestsPath, v, "page", pageNo, pages)
	h.tpl.Render(w, r, http.StatusOK, "prolongation_requests.html", "Demandes de prolongation de PASS IAE", d)
}

// requestID reads the {id} of a request page; 0 when it is not a number.
func requestID(r *http.Request) int64 {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// addContact adds the employer's contact of a declaration, and whether they want a phone
// interview.
func addContact(f *page.Facts, phone bool, email, tel string) {
	if phone {
		f.Add("Entretien téléphonique souhaité", email+" ; "+tel)
	} else if email != "" || tel != "" {
		f.Add("Contact", email+" "+tel)
	}
}

// requestData is what prolongation_request.html shows.
type requestData struct {
	D                  *approval.RequestDetails
	Facts              page.Facts
	Pending            bool
	Status             string
	Deny               []page.Fact
	Created, Processed string
}

func (h *Handler) request(w http.ResponseWriter, r *http.Request) {
	d, err := h.approvals.Request(r.Context(), h.kit.ActorOf(r), requestID(r))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	req := d.Request
	data := requestData{D: d, Pending: req.Status == approval.RequestPending, Status: req.Status.Label(), Created: localtime.Date(req.CreatedAt)}
	f := &data.Facts
	f.ID = "request-facts"
	f.Add("Candidat", d.JobSeeker)
	f.Add("PASS IAE", d.Approval.DisplayNumber()+" : valide jusqu'au "+localtime.Date(d.Approval.EndAt))
	f.Add("Structure", d.Company)
	f.Add("Demandée par", d.Declarer)
	f.Add("Motif", req.Reason.Label())
	f.Add("Prolongation demandée", "du "+localtime.Date(req.StartAt)+" au "+localtime.Date(req.EndAt))
	if req.ReasonExplanation != "" {
		f.Add("Précisions", req.ReasonExplanation)
	}
	addContact(f, req.RequirePhoneInterview, req.ContactEmail, req.ContactPhone)
	f.Add("Prescripteur désigné", d.Assignee)
	if req.ProcessedAt != nil {
		data.Processed = localtime.Date(*req.ProcessedAt)
	}
	if d.Deny != nil {
		data.Deny = append(data.Deny, page.Fact{Label: "Motif du refus", Value: d.Deny.Reason.Label()},
			page.Fact{Label: "Explication", Value: d.Deny.ReasonExplanation})
		for _, a := range d.Deny.ProposedActions {
			data.Deny = append(data.Deny, page.Fact{Label: "Action proposée", Value: a.Label()})
		}
		if d.Deny.ProposedActionsExplanation != "" {
			data.Deny = append(data.Deny, page.Fact{Label: "Précisions sur les actions proposées", Value: d.Deny.ProposedActionsExplanation})
		}
	}
	h.tpl.Render(w, r, http.StatusOK, "prolongation_request.html", "Demande de prolongation de PASS IAE", data)
}

func (h *Handler) report(w http.ResponseWriter, r *http.Request) {
	rep, err := h.approvals.OpenReport(r.Context(), h.kit.ActorOf(r), requestID(r))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	defer rep.Close()
	w.Header().Set("Content-Type", rep.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+rep.Filename+`"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if _, err := io.Copy(w, rep); err != nil {
		h.kit.Log().Warn("report file download interrupted", "request_id", page.RequestID(r), "err", err)
	}
}

func requestPage(id int64) string { return approval.RequestPath(id) }

// grant accepts a request; a refusal of the domain that is a state (already decided, dates
// overlapping a prolongation) comes back to the request's page as a message (§2.11).
func (h *Handler) grant(w http.ResponseWriter, r *http.Request) {
	id := requestID(r)
	p, err := h.approvals.Grant(r.Context(), h.kit.ActorOf(r), id)
	switch {
	case err == nil:
		h.kit.SetFlash(r, "La prolongation est acceptée : le PASS IAE est désormais valide jusqu'au "+localtime.Date(p.EndAt)+". L'employeur et le candidat en sont informés.")
	case errors.Is(err, approval.ErrRequestGranted), errors.Is(err, approval.ErrRequestDenied), isConflict(err):
		h.kit.SetFlash(r, err.Error())
	default:
		h.kit.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, requestPage(id), http.StatusSeeOther)
}

// denyData is what prolongation_deny.html shows.
type denyData struct {
	Form    *page.Form
	D       *approval.RequestDetails
	Reasons RadioGroup
	Actions []Option
}

func denyForm() *page.Form {
	return page.NewForm(
		&page.Field{Name: "reason", Label: "Motif du refus", Required: true},
		&page.Field{Name: "reason_explanation", Label: "Explication du refus", Required: true,
			Hint: "Elle est transmise à l'employeur."},
		&page.Field{Name: "proposed_actions", Label: "Actions proposées"},
		&page.Field{Name: "proposed_actions_explanation", Label: "Précisions sur les actions proposées"},
	)
}

func denyPageData(f *page.Form, d *approval.RequestDetails, actions []string) denyData {
	data := denyData{Form: f, D: d, Reasons: RadioGroup{Field: f.Fields["reason"]}}
	for _, reason := range approval.DenyReasons {
		data.Reasons.Options = append(data.Reasons.Options, Option{Value: string(reason), Label: reason.Label(), Checked: f.Fields["reason"].Value == string(reason)})
	}
	chosen := map[string]bool{}
	for _, a := range actions {
		chosen[a] = true
	}
	for _, a := range approval.ProposedActions {
		data.Actions = append(data.Actions, Option{Value: string(a), Label: a.Label(), Checked: chosen[string(a)]})
	}
	return data
}

const denyTitle = "Refuser une demande de prolongation"

func (h *Handler) denyPage(w http.ResponseWriter, r *http.Request) {
	d, err := h.approvals.Request(r.Context(), h.kit.ActorOf(r), requestID(r))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if d.Request.Status != approval.RequestPending {
		h.kit.SetFlash(r, "Cette demande de prolongation a déjà été traitée.")
		http.Redirect(w, r, requestPage(d.Request.ID), http.StatusSeeOther)
		return
	}
	h.tpl.Render(w, r, http.StatusOK, "prolongation_deny.html", denyTitle, denyPageData(denyForm(), d, nil))
}

func (h *Handler) deny(w http.ResponseWriter, r *http.Request) {
	a, id := h.kit.ActorOf(r), requestID(r)
	d, err := h.approvals.Request(r.Context(), a, id)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	f := denyForm()
	if !h.kit.ParseForm(w, r, f) {
		return
	}
	actions := r.PostForm["proposed_actions"]
	in := approval.DenyInput{Reason: approval.DenyReason(f.Fields["reason"].Value), ReasonExplanation: f.Fields["reason_explanation"].Value,
		ProposedActionsExplanation: f.Fields["proposed_actions_explanation"].Value}
	for _, x := range actions {
		in.ProposedActions = append(in.ProposedActions, approval.ProposedAction(x))
	}
	err = h.approvals.Deny(r.Context(), a, id, in)
	if err == nil {
		h.kit.SetFlash(r, "La demande de prolongation est refusée. L'employeur et le candidat en sont informés.")
		http.Redirect(w, r, requestPage(id), http.StatusSeeOther)
		return
	}
	if !f.Show(err) {
		h.kit.Fail(w, r, err)
		return
	}
	h.tpl.Render(w, r, http.StatusUnprocessableEntity, "prolongation_deny.html", denyTitle, denyPageData(f, d, actions))
}

// isConflict: the domain refused because of the state of things (fault.KindConflict).
func isConflict(err error) bool {
	k, ok := fault.KindOf(err)
	return ok && k == fault.KindConflict
}
