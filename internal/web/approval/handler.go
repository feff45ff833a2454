// Package approval is the room of the PASS IAE pages (approvals.md): the public verification
// page, where anyone holding a PASS number and its holder's birth date learns whether it is
// valid and until when; the page of a PASS, its certificate (HTML and PDF), the employer's list
// and the staff queue of the PASS to deliver by hand; the suspension and prolongation pages.
package approval

import (
	"embed"
	"net/http"
	"time"

	"emplois/internal/approval"
	"emplois/internal/jobseeker"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

//go:embed templates
var templates embed.FS

// VerifyPath is the public verification page.
const VerifyPath = "/pass-iae/verify"

// Handler serves the PASS IAE pages.
type Handler struct {
	kit       *page.Kit
	tpl       *page.Templates
	approvals *approval.Service
	// verifyLimit throttles the lookups per client address, logged in or not.
	verifyLimit *page.Limit
}

// New builds the room.
func New(kit *page.Kit, approvals *approval.Service, verifyLimit *page.Limit) (*Handler, error) {
	tpl, err := kit.Templates(templates, "templates")
	if err != nil {
		return nil, err
	}
	return &Handler{kit: kit, tpl: tpl, approvals: approvals, verifyLimit: verifyLimit}, nil
}

// Routes declares the room's pages.
func (h *Handler) Routes(rt *page.Router) {
	rt.Handle("GET "+VerifyPath, page.Public, h.verifyPage, page.OpenToUnaffiliated)
	rt.Handle("POST "+VerifyPath, page.Public, h.verify, page.OpenToUnaffiliated, page.RateLimited(h.verifyLimit))
	h.viewRoutes(rt)
	h.changeRoutes(rt)
}

// viewRoutes are the pages to see a PASS, its certificate, the lists and the staff queue.
func (h *Handler) viewRoutes(rt *page.Router) {
	rt.Handle("GET /approvals/details/{public_id}", page.LoggedIn, h.detail)
	rt.Handle("GET /approvals/display/{public_id}", page.EmployerMember, h.certificate)
	rt.Handle("GET /approvals/display/{public_id}/pdf", page.EmployerMember, h.certificatePDF)
	rt.Handle("GET "+ListPath, page.EmployerMember, h.list)
	rt.Handle("GET "+approval.ManualQueuePath, page.StaffOnly, h.manualQueue)
	rt.Handle("POST "+approval.ManualQueuePath+"/{public_id}/deliver", page.StaffOnly, h.manualDeliver)
	rt.Handle("POST "+approval.ManualQueuePath+"/{public_id}/refuse", page.StaffOnly, h.manualRefuse)
}

const verifyTitle = "Vérifier un PASS IAE"

// verifyData is what verify.html shows: the form, and after a lookup its answer.
type verifyData struct {
	Form     *page.Form
	Searched bool
	Result   approval.Verification
	Number   string // spaced 5-2-5
	EndOn    string // JJ/MM/AAAA
	Expired  bool
}

func verifyForm() *page.Form {
	return page.NewForm(
		&page.Field{Name: "number", Label: "Numéro de PASS IAE", Required: true,
			Hint: "12 caractères, par exemple 99999 26 00001.", Autocomplete: "off"},
		&page.Field{Name: "birthdate", Label: "Date de naissance du titulaire", Type: "date", Required: true,
			Hint: "Format attendu : JJ/MM/AAAA."},
	)
}

func (h *Handler) verifyPage(w http.ResponseWriter, r *http.Request) {
	h.tpl.Render(w, r, http.StatusOK, "verify.html", verifyTitle, verifyData{Form: verifyForm()})
}

// verify answers a lookup. The birth date goes in the POST body, never in an address that
// logs and histories keep.
func (h *Handler) verify(w http.ResponseWriter, r *http.Request) {
	f := verifyForm()
	if !h.kit.ParseForm(w, r, f) {
		return
	}
	var born *time.Time
	if t, ok := jobseeker.ParseDate(f.Fields["birthdate"].Value); ok {
		born = &t
	}
	v, err := h.approvals.Verify(r.Context(), h.kit.ActorOf(r), f.Fields["number"].Value, born)
	if err != nil {
		if !f.Show(err) {
			h.kit.Fail(w, r, err)
			return
		}
		h.tpl.Render(w, r, http.StatusUnprocessableEntity, "verify.html", verifyTitle, verifyData{Form: f})
		return
	}
	d := verifyData{Form: f, Searched: true, Result: v}
	if v.Found {
		n, _ := approval.NormalizeNumber(f.Fields["number"].Value)
		d.Number, d.EndOn, d.Expired = approval.FormatNumber(n), localtime.Date(v.EndAt), v.State == approval.StateExpired
	}
	h.tpl.Render(w, r, http.StatusOK, "verify.html", verifyTitle, d)
}
