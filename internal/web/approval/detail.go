package approval

import (
	"errors"
	"net/http"
	"strconv"

	"emplois/internal/approval"
	"emplois/internal/org"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// CertificatePath is the printable certificate of a PASS IAE.
func CertificatePath(publicID string) string { return "/approvals/display/" + publicID }

// Paths of the suspension and prolongation pages (served by their own files of this room).
func suspendPath(publicID string) string { return "/approvals/suspend/" + publicID }
func prolongPath(publicID string) string { return "/approvals/declare_prolongation/" + publicID }
func suspensionPath(id int64, what string) string {
	return "/approvals/suspension/" + strconv.FormatInt(id, 10) + "/" + what
}

// period is a dated line of the history.
type period struct {
	Start, End, Reason, Extra string
}

// contractRow is a hire made with the PASS.
type contractRow struct {
	Company, Kind, Start, End, State string
}

type detailData struct {
	D                                   *approval.Details
	Number, State, StateClass           string
	Start, End, EstimatedEnd, Remainder string
	Born, Issued, Origin                string
	Suspensions, Prolongations          []period
	Requests                            []period
	Contracts                           []contractRow
	// Actions: the buttons the viewer may use now.
	SuspendURL, ProlongURL           string
	SuspensionEditURL, SuspensionURL string
	CertificateURL                   string
	// NotLastHirer explains why the viewer may not suspend (scenario 11).
	NotLastHirer string
}

// stateClass is the DSFR badge of a state.
func stateClass(s approval.State) string {
	switch s {
	case approval.StateValid:
		return "fr-badge--success"
	case approval.StateSuspended:
		return "fr-badge--warning"
	case approval.StateFuture:
		return "fr-badge--info"
	}
	return "fr-badge--error"
}

var applicationStates = map[string]string{
	"accepted": "Embauché", "cancelled": "Embauche annulée", "refused": "Refusée", "obsolete": "Embauché ailleurs",
}

// detail shows a PASS to whoever may see it (§2.14), its history and the actions the viewer may take.
func (h *Handler) detail(w http.ResponseWriter, r *http.Request) {
	ctx, who := r.Context(), h.kit.ActorOf(r)
	publicID := r.PathValue("public_id")
	dt, err := h.approvals.Details(ctx, who, publicID)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	state := dt.State()
	d := detailData{D: dt, Number: dt.DisplayNumber(), State: state.Label(), StateClass: stateClass(state),
		Start: localtime.Date(dt.StartAt), End: localtime.Date(dt.EndAt), EstimatedEnd: localtime.Date(dt.EstimatedEnd()),
		Remainder: dt.RemainderDisplay(), Issued: localtime.Date(dt.CreatedAt), Origin: dt.Origin.Label()}
	if dt.Holder.Birthdate != nil {
		d.Born = localtime.Date(*dt.Holder.Birthdate)
	}
	for _, s := range dt.Suspensions {
		d.Suspensions = append(d.Suspensions, period{Start: localtime.Date(s.StartAt), End: localtime.Date(s.EndAt), Reason: s.Reason.Label(), Extra: s.ReasonExplanation})
	}
	for _, p := range dt.Prolongations {
		d.Prolongations = append(d.Prolongations, period{Start: localtime.Date(p.StartAt), End: localtime.Date(p.EndAt), Reason: p.Reason.Label(),
			Extra: page.Plural(p.Days(), "jour", "jours")})
	}
	for _, q := range dt.OpenRequests() {
		d.Requests = append(d.Requests, period{Start: localtime.Date(q.StartAt), End: localtime.Date(q.EndAt), Reason: q.Reason.Label(), Extra: q.Status.Label()})
	}
	for _, c := range dt.Contracts {
		row := contractRow{Company: c.CompanyName, Kind: c.CompanyKind, State: applicationStates[c.State], Start: "Non renseigné", End: "Non renseigné"}
		if c.HiringStartAt != nil {
			row.Start = localtime.Date(*c.HiringStartAt)
		}
		if c.HiringEndAt != nil {
			row.End = localtime.Date(*c.HiringEndAt)
		}
		d.Contracts = append(d.Contracts, row)
	}
	if dt.MayCertify {
		d.CertificateURL = CertificatePath(publicID)
	}
	if who.Organization != nil && who.Organization.Type == string(org.TypeCompany) {
		if err := h.employerActions(r, &d, publicID); err != nil {
			h.kit.ServerError(w, r, err)
			return
		}
	}
	h.tpl.Render(w, r, http.StatusOK, "detail.html", "PASS IAE de "+dt.Holder.FullName(), d)
}

// employerActions sets the suspension and prolongation buttons an employer may use now, or
// why another employer suspends (scenario 11); a refusal is no error, a failure is.
func (h *Handler) employerActions(r *http.Request, d *detailData, publicID string) error {
	ctx, who := r.Context(), h.kit.ActorOf(r)
	switch err := h.approvals.MaySuspend(ctx, who, publicID); {
	case err == nil:
		d.SuspendURL = suspendPath(publicID)
	case errors.Is(err, approval.ErrNotLastHirer):
		d.NotLastHirer = err.Error()
	case errors.Is(err, approval.ErrSuspended):
		if s := d.D.OngoingSuspension(d.D.Today); s != nil {
			d.SuspensionEditURL, d.SuspensionURL = suspensionPath(s.ID, "edit"), suspensionPath(s.ID, "action")
		}
	case !isFault(err):
		return err
	}
	switch err := h.approvals.MayProlong(ctx, who, publicID); {
	case err == nil:
		d.ProlongURL = prolongPath(publicID)
	case !isFault(err):
		return err
	}
	return nil
}

// isFault: err is a refusal a user may read, not a failure.
func isFault(err error) bool {
	_, ok := fault.As(err)
	return ok
}
