package staff

import (
	"errors"
	"io"
	"net/http"
	"time"

	"emplois/internal/employeerecord"
	"emplois/internal/web/page"
)

// « Fiches salarié en erreur 3437 » (asp.md §5.13): staff holding the permission export the
// fiches the ASP rejected with 3437 and import the ASP's answer, a simulation unless the box is
// ticked. The employeerecord service checks the permission, reads the file and applies it.

// Paths of the regularisation.
const (
	fs3437Path       = "/staff/fiches-salarie/3437"
	fs3437ExportPath = "/staff/fiches-salarie/3437/export"
)

// fs3437Data is the page: the import form and, after an import, its outcome per row.
type fs3437Data struct {
	Form    *page.Form
	Wet     bool
	Done    bool
	Results []fs3437Row
	Changed int
}

// fs3437Row is a row of the outcome, ready to show.
type fs3437Row struct {
	employeerecord.Regularisation
	JobSeekerURL, HolderURL string
}

func fs3437Form() *page.Form {
	return page.NewForm(&page.Field{Name: employeerecord.Field3437File, Label: "Fichier de retour de l'ASP", Required: true,
		Hint: "Classeur Excel (.xlsx) de 1 Mo au plus, avec les colonnes « idItou » et « Commentaires »."})
}

func (h *Handler) renderFS3437(w http.ResponseWriter, r *http.Request, status int, d fs3437Data) {
	h.tpl.Render(w, r, status, "fs3437.html", "Fiches salarié en erreur 3437", d)
}

func (h *Handler) fs3437(w http.ResponseWriter, r *http.Request) {
	if err := h.records.Allow3437(r.Context(), h.kit.ActorOf(r)); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.renderFS3437(w, r, http.StatusOK, fs3437Data{Form: fs3437Form()})
}

func (h *Handler) fs3437Export(w http.ResponseWriter, r *http.Request) {
	a := h.kit.ActorOf(r)
	if err := h.records.Allow3437(r.Context(), a); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+employeerecord.Export3437FileName(time.Now())+`"`)
	if err := h.records.Export3437(r.Context(), a, w); err != nil {
		// The answer has started: the download ends short and the error is logged.
		h.kit.Log().Error("staff: export 3437", "error", err, "request_id", page.RequestID(r))
	}
}

func (h *Handler) fs3437Import(w http.ResponseWriter, r *http.Request) {
	a := h.kit.ActorOf(r)
	if err := h.records.Allow3437(r.Context(), a); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d := fs3437Data{Form: fs3437Form()}
	data, err := readUpload(w, r, employeerecord.Field3437File, employeerecord.Max3437Bytes)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge) || err == nil && len(data) > employeerecord.Max3437Bytes:
		d.Form.SetError(employeerecord.Field3437File, "Le fichier ne doit pas dépasser 1 Mo.")
	case errors.Is(err, http.ErrMissingFile) || err == nil && len(data) == 0:
		d.Form.SetError(employeerecord.Field3437File, "Choisissez le fichier de retour de l'ASP.")
	case err != nil:
		h.kit.Error(w, r, http.StatusBadRequest)
		return
	}
	if d.Form.HasErrors() {
		h.renderFS3437(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	d.Wet = r.PostForm.Get("wet_run") == "on"
	rows, err := employeerecord.Read3437(data)
	if err != nil {
		if !d.Form.Show(err) {
			h.kit.Fail(w, r, err)
			return
		}
		h.renderFS3437(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	results, err := h.records.Regularise3437(r.Context(), a, rows, d.Wet)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d.Done = true
	for _, res := range results {
		row := fs3437Row{Regularisation: res}
		if res.JobSeeker != "" {
			row.JobSeekerURL = userPath(res.JobSeeker)
		}
		if res.Holder != "" {
			row.HolderURL = userPath(res.Holder)
		}
		if res.Outcome == employeerecord.Outcome3437Changed || res.Outcome == employeerecord.Outcome3437ToChange {
			d.Changed++
		}
		d.Results = append(d.Results, row)
	}
	h.renderFS3437(w, r, http.StatusOK, d)
}

// readUpload reads the file of the multipart form's field (at most max+1 bytes, so that a
// larger one is told), the body bounded a little above max.
func readUpload(w http.ResponseWriter, r *http.Request, field string, max int64) ([]byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, max+64<<10)
	if err := r.ParseMultipartForm(1 << 20); errors.Is(err, http.ErrNotMultipart) {
		return nil, http.ErrMissingFile
	} else if err != nil {
		return nil, err
	}
	file, _, err := r.FormFile(field)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	return io.ReadAll(io.LimitReader(file, max+1))
}
