package application

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"emplois/internal/application"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
	"emplois/internal/web/page"
)

// Batch actions of the inbox (applications.md §3.8): the refusal is Task B's wizard, reached by
// GET with the selection; these POST endpoints run the others on each selected candidature.
const (
	batchProcessPath   = application.InboxPath + "/batch/process"
	batchPoolPath      = application.InboxPath + "/batch/pool"
	batchPostponePath  = application.InboxPath + "/batch/postpone"
	batchArchivePath   = application.InboxPath + "/batch/archive"
	batchUnarchivePath = application.InboxPath + "/batch/unarchive"
	// RefusePath is the refusal wizard (process.go), started with ids and next.
	refusePath = "/apply/refuse"
	// Exports of the inbox: the page of months, and the downloads under the current filters or
	// of one month (§4).
	exportsPath    = "/apply/siae/exports"
	exportXLSXPath = "/apply/siae/exports/download"
	exportCSVPath  = "/apply/siae/exports/csv"
)

// listRoutes declares the lists, the batch bar and the exports.
func (h *Handler) listRoutes(rt *page.Router) {
	rt.Handle("GET "+application.InboxPath, page.EmployerMember, h.inbox)
	rt.Handle("GET "+application.SentListPath, page.EmployerOrPrescriber, h.sent)
	rt.Handle("GET "+application.JobSeekerListPath, page.JobSeekerAccount, h.jobSeekerList)
	rt.Handle("GET "+application.InboxPath+suggestionsPath+"{filter}", page.EmployerMember, h.suggestions(application.ListInbox))
	rt.Handle("GET "+application.SentListPath+suggestionsPath+"{filter}", page.EmployerOrPrescriber, h.suggestions(application.ListSent))
	rt.Handle("POST "+batchProcessPath, page.EmployerMember, h.batch)
	rt.Handle("POST "+batchPoolPath, page.EmployerMember, h.batch)
	rt.Handle("POST "+batchPostponePath, page.EmployerMember, h.batch)
	rt.Handle("POST "+batchArchivePath, page.EmployerMember, h.batch)
	rt.Handle("POST "+batchUnarchivePath, page.EmployerMember, h.batch)
	rt.Handle("GET "+exportsPath, page.EmployerMember, h.exports)
	rt.Handle("GET "+exportXLSXPath, page.EmployerMember, h.export)
	rt.Handle("GET "+exportCSVPath, page.EmployerMember, h.export)
}

// listRow is a candidature as the list template shows it.
type listRow struct {
	application.ListRow
	URL       string
	CreatedOn string
	Badge     badge
}

// choice is a checkbox or an option of the filter form.
type choice struct {
	Value, Label string
	Checked      bool
}

// multiSelect is a filter of several choices among options (partial "multi_select").
type multiSelect struct {
	Name, Label string
	Choices     []choice
}

// searchable is a filter among many organizations (partial "searchable_filter"): the chosen
// ones as checked boxes, and a combobox that adds others found by name through Endpoint.
type searchable struct {
	Name, Label, Hint, Endpoint string
	Chosen                      []choice
}

// suggestionsPath, after a list's path and before a filter's name, serves its suggestions.
const suggestionsPath = "/suggestions/"

// listData is what list.html shows.
type listData struct {
	Kind          application.ListKind
	Heading, Path string
	Form          *page.Form
	Page          *application.ListPage
	Rows          []listRow
	Pager         *page.Pager
	States, Sorts []choice
	Archived      []choice
	Selects       []multiSelect
	// Checks are the filters of a few checkboxes (eligibility, PASS IAE; partial "check_filter").
	Checks                     []multiSelect
	Searchables                []searchable
	ArchivedBadge              badge
	Active                     int
	Next                       string // this list with its filters (the batch bar comes back to it)
	ExportXLSX, ExportCSV      string
	ExportsPath                string
	RefusePath, ProcessPath    string
	PoolPath, PostponePath     string
	ArchivePath, UnarchivePath string
}

func (h *Handler) inbox(w http.ResponseWriter, r *http.Request) {
	h.list(w, r, application.ListInbox, application.InboxPath, "Candidatures reçues")
}

func (h *Handler) sent(w http.ResponseWriter, r *http.Request) {
	h.list(w, r, application.ListSent, application.SentListPath, "Candidatures envoyées")
}

func (h *Handler) jobSeekerList(w http.ResponseWriter, r *http.Request) {
	h.list(w, r, application.ListJobSeeker, application.JobSeekerListPath, "Mes candidatures")
}

// filterForm holds the text fields of the filters and their errors.
func filterForm(f application.Filters, q map[string][]string) *page.Form {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	return page.NewForm(
		&page.Field{Name: "states", Label: "Statuts"},
		&page.Field{Name: "start_date", Label: "À partir du", Type: "date", Value: get("start_date")},
		&page.Field{Name: "end_date", Label: "Jusqu'au", Type: "date", Value: get("end_date")},
		&page.Field{Name: "name", Label: "Nom ou prénom du candidat", Type: "search", Value: get("name"),
			Hint: "Le début du nom ou du prénom."},
		&page.Field{Name: "job_seeker", Label: "Candidat", Value: f.JobSeeker},
	)
}

// list serves one of the three lists: the filters of the query (an invalid form applies none
// and says why), a page of rows, the pager, the batch bar (inbox) and the exports' links.
func (h *Handler) list(w http.ResponseWriter, r *http.Request, kind application.ListKind, path, heading string) {
	q := r.URL.Query()
	f, ferr := application.ParseFilters(q)
	form := filterForm(f, q)
	status := http.StatusOK
	if ferr != nil {
		if !form.Show(ferr) {
			h.kit.Fail(w, r, ferr)
			return
		}
		status = http.StatusUnprocessableEntity
	}
	res, err := h.applications.List(r.Context(), h.kit.ActorOf(r), kind, f)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if kind == application.ListInbox {
		switch f.Archived {
		case application.ArchivedOnly:
			heading += " (archivées)"
		case application.ArchivedAll:
			heading += " (toutes)"
		default:
			heading += " (actives)"
		}
	}
	fq := f.Query()
	d := listData{Kind: kind, Heading: heading, Path: path, Form: form, Page: res, Active: f.Active(),
		Pager:      page.NewPager("candidatures", path, fq, "page", res.Page, res.Pages),
		ExportXLSX: withQuery(exportXLSXPath, fq.Encode()), ExportCSV: withQuery(exportCSVPath, fq.Encode()), ExportsPath: exportsPath,
		RefusePath: refusePath, ProcessPath: batchProcessPath, PoolPath: batchPoolPath, PostponePath: batchPostponePath, ArchivePath: batchArchivePath, UnarchivePath: batchUnarchivePath}
	if d.Pager != nil {
		d.Pager.Target = "#applications-list"
	}
	if res.Page > 1 {
		fq.Set("page", fmt.Sprint(res.Page))
	}
	d.Next = withQuery(path, fq.Encode())
	for _, row := range res.Rows {
		u := application.SenderDetailsPath(row.PublicID)
		if kind == application.ListInbox {
			u = application.DetailsPath(row.PublicID)
		}
		d.Rows = append(d.Rows, listRow{ListRow: row, URL: u, CreatedOn: localtime.Date(row.CreatedAt),
			Badge: stateBadge(row.State)})
	}
	for _, s := range res.States {
		d.States = append(d.States, choice{string(s), s.Label(), slices.Contains(f.States, s)})
	}
	for _, s := range application.SortOrders {
		if kind == application.ListJobSeeker && (s.Value == application.SortName || s.Value == application.SortNameDesc) {
			continue // every candidature of the list is the job seeker's own
		}
		d.Sorts = append(d.Sorts, choice{s.Value, s.Label, f.Sort == s.Value})
	}
	for _, a := range []struct {
		v     application.Archived
		label string
	}{{application.ArchivedNo, "Actives"}, {application.ArchivedOnly, "Archivées"}, {application.ArchivedAll, "Toutes"}} {
		d.Archived = append(d.Archived, choice{string(a.v), a.label, f.Archived == a.v})
	}
	d.ArchivedBadge = badge{Text: "Archivée"}
	d.Selects = []multiSelect{{"jobs", "Fiches de poste", choices(res.Jobs, f.Jobs)},
		{"departments", "Département du candidat", choices(res.Departments, f.Departments)}}
	senders := make([]application.Option, len(application.SenderFilters))
	for i, s := range application.SenderFilters {
		senders[i] = application.Option{Value: s.Value, Label: s.Label}
	}
	d.Checks = []multiSelect{{"sender_kinds", "Émetteur", choices(senders, f.SenderKinds)}}
	if res.IAE {
		d.Checks = append(d.Checks,
			multiSelect{"eligibility", "Éligibilité IAE", choices([]application.Option{
				{Value: application.EligibilityValidated, Label: "Valide"}, {Value: application.EligibilityPending, Label: "À valider"}}, f.Eligibility)},
			multiSelect{"pass_iae", "PASS IAE", choices([]application.Option{{Value: application.PASSActive, Label: "Actif"},
				{Value: application.PASSSuspended, Label: "Suspendu"}, {Value: application.PASSExpired, Label: "Expiré"}}, f.PASS)})
		d.Selects = append(d.Selects, multiSelect{"criteria", "Critères administratifs", choices(res.Criteria, f.Criteria)})
	}
	search := func(name, label, hint string, chosen []application.Option, values []string) searchable {
		return searchable{Name: name, Label: label, Hint: hint, Endpoint: path + suggestionsPath + name, Chosen: choices(chosen, values)}
	}
	if kind == application.ListInbox {
		d.Searchables = []searchable{
			search("prescriber_organizations", "Organisations prescriptrices", "Tapez le nom d'une organisation qui vous a adressé des candidatures.", res.PrescriberOrgs, f.PrescriberOrgs),
			search("sender_companies", "Employeurs orienteurs", "Tapez le nom d'un employeur qui vous a adressé des candidatures.", res.SenderCompanies, f.SenderCompanies)}
	} else if kind == application.ListSent {
		d.Searchables = []searchable{search("to_companies", "Employeurs destinataires", "Tapez le nom d'un employeur à qui vous avez adressé des candidatures.", res.ToCompanies, f.ToCompanies)}
	}
	if page.IsHTMX(r) {
		h.tpl.Fragment(w, r, status, "list.html", "list_fragment", heading, d)
		return
	}
	h.tpl.Render(w, r, status, "list.html", heading, d)
}

// choices are the options of a filter, those in selected checked.
func choices(opts []application.Option, selected []string) []choice {
	out := make([]choice, len(opts))
	for i, o := range opts {
		out[i] = choice{o.Value, o.Label, slices.Contains(selected, o.Value)}
	}
	return out
}

// suggestions answers a searchable filter's combobox: the organizations of the list whose name
// matches q, as options.
func (h *Handler) suggestions(kind application.ListKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		filter, q := r.PathValue("filter"), r.URL.Query().Get("q")
		opts, err := h.applications.Suggestions(r.Context(), h.kit.ActorOf(r), kind, filter, q)
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		h.tpl.Fragment(w, r, http.StatusOK, "list.html", "suggestions", "", suggestionsData{Filter: filter, Query: strings.TrimSpace(q), Options: opts})
	}
}

// suggestionsData is what the "suggestions" fragment shows.
type suggestionsData struct {
	Filter, Query string
	Options       []application.Option
}

func withQuery(path, query string) string {
	if query == "" {
		return path
	}
	return path + "?" + query
}

// batch runs a batch action of the inbox on the selected candidatures, each on its own, and
// comes back to the list with the outcome of each in French (§3.8). next is mandatory and must
// be the inbox (404 otherwise).
func (h *Handler) batch(w http.ResponseWriter, r *http.Request) {
	if !h.kit.ParsePost(w, r) {
		return
	}
	next := r.PostForm.Get("next")
	if next != application.InboxPath && !strings.HasPrefix(next, application.InboxPath+"?") {
		h.kit.Error(w, r, http.StatusNotFound)
		return
	}
	ids := r.PostForm["ids"]
	if len(ids) == 0 {
		h.kit.SetFlash(r, "Sélectionnez au moins une candidature.")
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	a := h.kit.ActorOf(r)
	var (
		do   func(ctx context.Context, id string) error
		done string
	)
	switch r.URL.Path {
	case batchProcessPath:
		do = func(ctx context.Context, id string) error { _, err := h.applications.Process(ctx, a, id); return err }
		done = "mise à l'étude"
	case batchPoolPath:
		answer := r.PostForm.Get("answer")
		do = func(ctx context.Context, id string) error {
			_, err := h.applications.AddToPool(ctx, a, id, answer)
			return err
		}
		done = "ajoutée au vivier"
	case batchPostponePath:
		answer := strings.TrimSpace(r.PostForm.Get("answer"))
		if answer == "" {
			h.kit.SetFlash(r, "Écrivez un message au candidat pour mettre ses candidatures en attente : rien n'a été modifié.")
			http.Redirect(w, r, next, http.StatusSeeOther)
			return
		}
		do = func(ctx context.Context, id string) error {
			_, err := h.applications.Postpone(ctx, a, id, answer)
			return err
		}
		done = "mise en attente"
	case batchArchivePath:
		do = func(ctx context.Context, id string) error { _, err := h.applications.Archive(ctx, a, id); return err }
		done = "archivée"
	default:
		do = func(ctx context.Context, id string) error { _, err := h.applications.Unarchive(ctx, a, id); return err }
		done = "désarchivée"
	}
	results, err := h.applications.Batch(r.Context(), a, ids, do)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	labels, err := h.applications.BatchLabels(r.Context(), a, ids)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.SetFlash(r, batchReport(results, labels, done))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// batchReport says in French what a batch did: the count done, then each refusal with the
// candidature it is about.
func batchReport(results []application.ItemResult, labels map[string]string, done string) string {
	ok := 0
	var msgs []string
	for _, res := range results {
		if res.Err == nil {
			ok++
			continue
		}
		msg := res.Err.Error()
		if e, isFault := fault.As(res.Err); isFault {
			msg = e.Message
		}
		label := labels[res.PublicID]
		if label == "" {
			label = "Une candidature"
		}
		msgs = append(msgs, label+" : "+strings.TrimSuffix(msg, ".")+".")
	}
	var head string
	switch ok {
	case 0:
		head = "Aucune candidature n'a été " + done + "."
	case 1:
		head = "1 candidature a été " + done + "."
	default:
		head = fmt.Sprintf("%d candidatures ont été %ss.", ok, done)
	}
	return strings.Join(append([]string{head}, msgs...), " ")
}

// exportMonth is a month of the exports page.
type exportMonth struct {
	Label, XLSX, CSV string
	Count            string
}

// exports lists the months of the inbox with their counts, each downloadable, and all of it
// (§4 « Exports »).
func (h *Handler) exports(w http.ResponseWriter, r *http.Request) {
	months, err := h.applications.InboxMonths(r.Context(), h.kit.ActorOf(r))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	all := "?archived=" + string(application.ArchivedAll)
	d := struct {
		Months                     []exportMonth
		AllXLSX, AllCSV, InboxPath string
	}{AllXLSX: exportXLSXPath + all, AllCSV: exportCSVPath + all, InboxPath: application.InboxPath}
	for _, m := range months {
		q := "?month=" + m.Month.Format("2006-01")
		d.Months = append(d.Months, exportMonth{Label: frenchMonth(m.Month), XLSX: exportXLSXPath + q, CSV: exportCSVPath + q,
			Count: page.Plural(m.Count, "candidature", "candidatures")})
	}
	h.tpl.Render(w, r, http.StatusOK, "exports.html", "Exporter les candidatures", d)
}

var frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
	"octobre", "novembre", "décembre"}

// frenchMonth is « mars 2026 ».
func frenchMonth(t time.Time) string {
	return fmt.Sprintf("%s %d", frenchMonths[t.Month()-1], t.Year())
}

// export streams the inbox as XLSX or CSV (§4): one month (month=YYYY-MM, archived included), or
// under the filters of the list.
func (h *Handler) export(w http.ResponseWriter, r *http.Request) {
	f, err := application.ParseFilters(r.URL.Query())
	if err != nil {
		f = application.Filters{} // as the list: an invalid form applies no filter
	}
	month := r.URL.Query().Get("month")
	if month != "" {
		t, err := time.ParseInLocation("2006-01", month, localtime.Paris)
		if err != nil {
			h.kit.Error(w, r, http.StatusNotFound)
			return
		}
		first, next := application.MonthBounds(t)
		f = application.Filters{From: first, To: next.AddDate(0, 0, -1), Archived: application.ArchivedAll}
	}
	a := h.kit.ActorOf(r)
	name, err := h.applications.CompanyName(r.Context(), a)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	write, ext, typ := h.applications.WriteInboxXLSX, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	if r.URL.Path == exportCSVPath {
		write, ext, typ = h.applications.WriteInboxCSV, "csv", "text/csv; charset=utf-8"
	}
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Content-Disposition", `attachment; filename="`+application.ExportFileName(name, month, ext)+`"`)
	if err := write(r.Context(), a, f, w); err != nil {
		// The answer has started: the download ends short and the error is logged.
		h.kit.Log().Error("application: export", "error", err, "request_id", page.RequestID(r))
	}
}
