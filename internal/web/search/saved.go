package search

import (
	"errors"
	"net/http"
	"net/url"

	"emplois/internal/platform/httpx"
	"emplois/internal/savedsearch"
	"emplois/internal/search"
	"emplois/internal/web/page"
)

// Saved searches (actors.md §13.1): a logged-in user saves the search shown under a name and
// finds it again on the search pages and the dashboard. The box sits after the search form (a
// form may not hold another); htmx refreshes it out of band with the results, so that it always
// saves the search on screen.

// savedBox is the "Mes recherches enregistrées" box of the search pages.
type savedBox struct {
	// Form is the save form, offered once a search was made: From is the URL saved.
	Form  bool
	From  string
	Name  *page.Field
	Error string // form-level refusal (too many)
	List  []page.SavedLink
	// Next is where a deletion comes back to: this search page.
	Next string
}

// refused reports whether the box shows a refused save.
func (b *savedBox) refused() bool {
	return b != nil && (b.Error != "" || b.Name != nil && b.Name.Error != "")
}

// saveRefusal is a save the service refused, shown on the search page it was asked from.
type saveRefusal struct {
	name string
	err  *savedsearch.Error
}

// savedBox builds the box of a logged-in viewer (nil for visitors): their saved searches, and
// once p shows results the form that saves them, named after the city by default or showing the
// refused attempt.
func (h *Handler) savedBox(r *http.Request, p *searchPage, refused *saveRefusal) (*savedBox, error) {
	v := page.ViewerOf(r)
	if !v.Authenticated() {
		return nil, nil
	}
	list, err := h.saved.List(r.Context(), v.UserID)
	if err != nil {
		return nil, err
	}
	box := &savedBox{Next: p.shown, List: page.SavedLinks(list)}
	if p.shown == "" {
		box.Next = p.Action
		return box, nil
	}
	box.Form, box.From = true, p.shown
	box.Name = &page.Field{Name: savedsearch.FieldName, Label: "Nom de la recherche", Value: savedsearch.DefaultName(p.city),
		Required: true, Hint: "50 caractères au maximum."}
	if refused != nil {
		box.Name.Value = refused.name
		if refused.err.Field == savedsearch.FieldName {
			box.Name.Error = refused.err.Message
		} else {
			box.Error = refused.err.Message
		}
	}
	return box, nil
}

// savable are the tabs whose searches may be saved, by path.
var savable = map[string]*tab{employersPath: employersTab, fichesPath: fichesTab}

// saveSearch saves the search of the page it was posted from. A refused name shows that search
// page again with the error (400); a "from" that is not a search (forged) is a 400 page.
func (h *Handler) saveSearch(w http.ResponseWriter, r *http.Request) {
	if !h.kit.ParsePost(w, r) {
		return
	}
	from, err := url.Parse(r.PostForm.Get("from"))
	if err != nil || from.Scheme != "" || from.Host != "" || savable[from.Path] == nil {
		h.kit.Error(w, r, http.StatusBadRequest)
		return
	}
	t, parsed := savable[from.Path], search.ParseQuery(from.Query())
	if len(parsed.Errors) > 0 || parsed.Query.City == "" {
		h.kit.Error(w, r, http.StatusBadRequest)
		return
	}
	query := parsed.Query.Values(t.keeps)
	name := r.PostForm.Get(savedsearch.FieldName)
	saved, err := h.saved.Save(r.Context(), page.ViewerOf(r).UserID, name, t.path, query.Encode())
	var refused *savedsearch.Error
	switch {
	case errors.As(err, &refused):
		h.show(w, r, t, search.ParseQuery(query), &saveRefusal{name: name, err: refused})
	case err != nil:
		h.kit.ServerError(w, r, err)
	default:
		h.kit.SetFlash(r, "Votre recherche « "+saved.Name+" » est enregistrée.")
		http.Redirect(w, r, saved.URL(), http.StatusSeeOther)
	}
}

// deleteSavedSearch deletes one of the viewer's saved searches (another's is a 404) and goes
// back to the page it was asked from.
func (h *Handler) deleteSavedSearch(w http.ResponseWriter, r *http.Request) {
	if !h.kit.ParsePost(w, r) {
		return
	}
	saved, err := h.saved.Delete(r.Context(), page.ViewerOf(r).UserID, r.PathValue("uid"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.SetFlash(r, "La recherche « "+saved.Name+" » est supprimée.")
	next := r.PostForm.Get("next")
	if next == "" {
		next = "/dashboard"
	}
	http.Redirect(w, r, httpx.LocalTarget(next, "/"), http.StatusSeeOther)
}
