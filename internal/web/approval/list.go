package approval

import (
	"net/http"
	"strconv"

	"emplois/internal/approval"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// ListPath is the employer's list of the PASS IAE of the people their SIAE hired.
const ListPath = "/approvals/list"

// listPageSize is the PASS shown per page.
const listPageSize = 20

// stateChoices are the state filter's options, in the order of §3.1.
var stateChoices = []struct {
	Value approval.State
	Label string
}{
	{approval.StateValid, "Valide"},
	{approval.StateSuspended, "Valide (suspendu)"},
	{approval.StateFuture, "Valide (non démarré)"},
	{approval.StateExpired, "Expiré"},
}

type listRow struct {
	Holder, Number, State, StateClass, End, Remainder, URL string
}

type listData struct {
	Rows         []listRow
	Total        int
	Pager        *page.Pager
	States       any
	State        string
	Expiring     bool
	Name         string
	Filtered     bool
	ExpiringText string
}

// list shows the PASS of the people the current SIAE hired, filtered and paginated.
func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := approval.ListFilter{Expiring: q.Get("expiring") == "1", Name: q.Get("name")}
	for _, c := range stateChoices {
		if q.Get("state") == string(c.Value) {
			f.State = c.Value
		}
	}
	n, _ := strconv.Atoi(q.Get("page"))
	n = max(n, 1)
	p, err := h.approvals.EmployerList(r.Context(), h.kit.ActorOf(r), f, n, listPageSize)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d := listData{Total: p.Total, States: stateChoices, State: string(f.State), Expiring: f.Expiring, Name: f.Name,
		Filtered: f.State != "" || f.Expiring || f.Name != "",
		Pager:    page.NewPager("PASS IAE", ListPath, q, "page", n, (p.Total+listPageSize-1)/listPageSize)}
	for _, it := range p.Items {
		st := p.State(it)
		d.Rows = append(d.Rows, listRow{Holder: it.FirstName + " " + it.LastName, Number: it.DisplayNumber(), State: st.Label(),
			StateClass: stateClass(st), End: localtime.Date(it.EndAt), Remainder: page.Plural(p.Remainder(it), "jour", "jours"),
			URL: approval.DetailsPath(it.PublicID)})
	}
	h.tpl.Render(w, r, http.StatusOK, "list.html", "PASS IAE des salariés", d)
}
