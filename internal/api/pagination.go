package api

import (
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"emplois/internal/platform/fault"
)

// Page-number pagination of every list endpoint (api.md §0.1, DRF's PageNumberPagination).
const (
	ParamPage     = "page"
	ParamPageSize = "page_size"
	// DefaultPageSize is the size when page_size is absent or not a positive number.
	DefaultPageSize = 20
	// LastPage is page=last: the last page, whatever its number.
	LastPage = -1
)

// PageRequest is the page a call asks for.
type PageRequest struct {
	Page int // from 1, or LastPage
	Size int
}

// ParsePage reads page and page_size: a page that is neither a positive number nor "last" is a
// 404 « Page non valide. »; a page_size that is not a positive number is ignored, one above
// maxSize is cut to it (0: no maximum, as the original).
func ParsePage(v url.Values, maxSize int) (PageRequest, error) {
	p := PageRequest{Page: 1, Size: DefaultPageSize}
	switch raw := strings.TrimSpace(v.Get(ParamPage)); raw {
	case "":
	case "last":
		p.Page = LastPage
	default:
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			return p, fault.NotFound(MsgInvalidPage)
		}
		p.Page = n
	}
	if n, err := strconv.Atoi(strings.TrimSpace(v.Get(ParamPageSize))); err == nil && n > 0 {
		p.Size = n
		if maxSize > 0 {
			p.Size = min(n, maxSize)
		}
	}
	return p, nil
}

// Resolve is the page number to answer for count rows: the last page for LastPage (page 1 when
// there are none), a 404 « Page non valide. » beyond the last.
func (p PageRequest) Resolve(count int) (int, error) {
	pages := max((count+p.Size-1)/p.Size, 1)
	switch {
	case p.Page == LastPage:
		return pages, nil
	case p.Page > pages:
		return 0, fault.NotFound(MsgInvalidPage)
	}
	return p.Page, nil
}

// Offset is the number of rows before page.
func (p PageRequest) Offset(page int) int { return (page - 1) * p.Size }

// Page is the envelope of a list answer.
type Page[T any] struct {
	Count    int     `json:"count"`
	Next     *string `json:"next"`
	Previous *string `json:"previous"`
	Results  []T     `json:"results"`
}

// NewPage wraps the results of page (of size rows, count in all) with the links to the pages
// around it. results is never null in JSON.
func NewPage[T any](base *url.URL, r *http.Request, page, size, count int, results []T) Page[T] {
	if results == nil {
		results = []T{}
	}
	next, previous := PageLinks(base, r, page, size, count)
	return Page[T]{Count: count, Next: next, Previous: previous, Results: results}
}

// PageLinks are the next and previous pages' absolute URLs, nil at either end.
func PageLinks(base *url.URL, r *http.Request, page, size, count int) (next, previous *string) {
	if page*size < count {
		next = PageURL(base, r, page+1)
	}
	if page > 1 {
		previous = PageURL(base, r, page-1)
	}
	return next, previous
}

// PageURL is the absolute URL of another page of the same request, as DRF builds it: on the
// configured base URL (never the client's Host header), the query kept, page replaced (removed
// for page 1).
func PageURL(base *url.URL, r *http.Request, page int) *string {
	u := *base
	u.Path = strings.TrimSuffix(base.Path, "/") + r.URL.Path
	q := r.URL.Query()
	if page == 1 {
		q.Del(ParamPage)
	} else {
		q.Set(ParamPage, strconv.Itoa(page))
	}
	u.RawQuery = q.Encode()
	s := u.String()
	return &s
}

// WritePage answers the page p of a list: count the rows, resolve the page (404 beyond the
// last), list its rows from their offset, and write the envelope; any error is answered by fail.
func WritePage[T any](w http.ResponseWriter, r *http.Request, log *slog.Logger, base *url.URL, p PageRequest,
	count func() (int, error), list func(offset, limit int) ([]T, error)) {
	n, err := count()
	var page int
	if err == nil {
		page, err = p.Resolve(n)
	}
	var results []T
	if err == nil {
		results, err = list(p.Offset(page), p.Size)
	}
	if err != nil {
		fail(w, r, log, err)
		return
	}
	WriteJSON(w, http.StatusOK, NewPage(base, r, page, p.Size, n, results))
}
