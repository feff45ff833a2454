package page

import (
	"net/url"
	"strconv"
)

// Pager is what the "pagination" partial shows: first, previous, the pages around the current
// one, next and last, as DSFR pagination.
type Pager struct {
	Label                   string // what is paginated, for the navigation's accessible name
	Page, Pages             int
	First, Prev, Next, Last string // URLs, "" at the ends
	Links                   []PageLink
	// Target is the element htmx swaps with the page linked (a CSS selector), "" for plain links.
	Target string
}

// pagerLink is what the "pagination_htmx" partial receives for one link.
type pagerLink struct{ Target, URL string }

// PageLink is one numbered page of a Pager.
type PageLink struct {
	Number  int
	URL     string
	Current bool
}

// NewPager paginates a list shown at path with the query values v (kept in every link), the
// page number in param (left out for page 1). It is nil when everything fits on one page.
func NewPager(label, path string, v url.Values, param string, page, pages int) *Pager {
	if pages <= 1 {
		return nil
	}
	link := func(n int) string {
		w := url.Values{}
		for k, vs := range v {
			w[k] = vs
		}
		w.Del(param)
		if n > 1 {
			w.Set(param, strconv.Itoa(n))
		}
		if q := w.Encode(); q != "" {
			return path + "?" + q
		}
		return path
	}
	p := &Pager{Label: label, Page: page, Pages: pages}
	if page > 1 {
		p.First, p.Prev = link(1), link(min(page-1, pages))
	}
	if page < pages {
		p.Next, p.Last = link(page+1), link(pages)
	}
	for n := max(1, page-2); n <= min(pages, page+2); n++ {
		p.Links = append(p.Links, PageLink{Number: n, URL: link(n), Current: n == page})
	}
	return p
}

// Fact is one labelled value of a card.
type Fact struct{ Label, Value string }

// Facts are the labelled values of a card, as the "facts" partial shows them under ID.
type Facts struct {
	ID    string
	Items []Fact
}

// Add appends a fact, unless its value is empty (nothing to say).
func (f *Facts) Add(label, value string) {
	if value != "" {
		f.Items = append(f.Items, Fact{label, value})
	}
}
