package web

import (
	"context"
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
	Name  *Field
	Error string // form-level refusal (too many)
	List  []page.SavedLink
	// Next is where a deletion comes back to: this search page.
	Next string
}

// saveAttempt is a refused save, handed to the search page that shows it again.
type saveAttempt struct {
	name string
	err  *savedsearch.Error
}

type saveAttemptKey struct{}

// savedBoxFor builds the box of a logged-in viewer (nil for visitors): their saved searches,
// and the save form for the search from, named after city by default.
func (s *Server) savedBoxFor(r *http.Request, from, city string) (*savedBox, error) {
	v := viewerFrom(r.Context())
	if !v.Authenticated() {
		return nil, nil
	}
	list, err := s.saved.List(r.Context(), v.UserID)
	if err != nil {
		return nil, err
	}
	box := &savedBox{Next: from, List: page.SavedLinks(list)}
	if from == "" {
		box.Next = r.URL.Path
		return box, nil
	}
	box.Form, box.From = true, from
	box.Name = &Field{Name: savedsearch.FieldName, Label: "Nom de la recherche", Value: savedsearch.DefaultName(city), Required: true,
		Hint: "50 caractères au maximum."}
	if a, ok := r.Context().Value(saveAttemptKey{}).(saveAttempt); ok {
		box.Name.Value = a.name
		if a.err.Field == savedsearch.FieldName {
			box.Name.Error = a.err.Message
		} else {
			box.Error = a.err.Message
		}
	}
	return box, nil
}

// saveSearch saves the search of the page it was posted from. A refused name shows that search
// page again with the error (400); a "from" that is not a search (forged) is a 400 page.
func (s *Server) saveSearch(w http.ResponseWriter, r *http.Request) {
	from, err := url.Parse(r.PostFormValue("from"))
	if err != nil || from.Scheme != "" || from.Host != "" || (from.Path != searchEmployersPath && from.Path != searchFichesPath) {
		s.renderError(w, r, http.StatusBadRequest)
		return
	}
	parsed := search.ParseQuery(from.Query())
	if len(parsed.Errors) > 0 || parsed.Query.City == "" {
		s.renderError(w, r, http.StatusBadRequest)
		return
	}
	query := parsed.Query.Values(from.Path == searchEmployersPath, from.Path == searchFichesPath).Encode()
	name := r.PostFormValue(savedsearch.FieldName)
	saved, err := s.saved.Save(r.Context(), viewerFrom(r.Context()).UserID, name, from.Path, query)
	var refused *savedsearch.Error
	switch {
	case errors.As(err, &refused):
		page := r.Clone(context.WithValue(r.Context(), saveAttemptKey{}, saveAttempt{name: name, err: refused}))
		page.Method, page.URL = http.MethodGet, &url.URL{Path: from.Path, RawQuery: query}
		if from.Path == searchEmployersPath {
			s.searchEmployers(w, page)
		} else {
			s.searchFiches(w, page)
		}
	case err != nil:
		s.serverError(w, r, err)
	default:
		s.setFlash(r, "Votre recherche « "+saved.Name+" » est enregistrée.")
		http.Redirect(w, r, saved.URL(), http.StatusSeeOther)
	}
}

// deleteSavedSearch deletes one of the viewer's saved searches (another's is a 404) and goes
// back to the page it was asked from.
func (s *Server) deleteSavedSearch(w http.ResponseWriter, r *http.Request) {
	saved, err := s.saved.Delete(r.Context(), viewerFrom(r.Context()).UserID, r.PathValue("uid"))
	switch {
	case err != nil:
		s.fail(w, r, err)
	default:
		s.setFlash(r, "La recherche « "+saved.Name+" » est supprimée.")
		next := r.PostFormValue("next")
		if next == "" {
			next = "/dashboard"
		}
		http.Redirect(w, r, httpx.LocalTarget(next, "/"), http.StatusSeeOther)
	}
}
