package api

import (
	"net/http/httptest"
	"net/url"
	"testing"

	"emplois/internal/platform/fault"
)

func TestParsePage_ReadsPageAndPageSizeAsTheFramework(t *testing.T) {
	for _, c := range []struct {
		query    string
		maxSize  int
		want     PageRequest
		notFound bool
	}{
		{"", 0, PageRequest{1, 20}, false},
		{"page=3&page_size=50", 0, PageRequest{3, 50}, false},
		{"page=last", 0, PageRequest{LastPage, 20}, false},
		{"page_size=5000", 0, PageRequest{1, 5000}, false}, // no maximum by default (api.md §0.1)
		{"page_size=5000", 100, PageRequest{1, 100}, false},
		{"page_size=0", 0, PageRequest{1, 20}, false},
		{"page_size=abc", 0, PageRequest{1, 20}, false},
		{"page=0", 0, PageRequest{}, true},
		{"page=abc", 0, PageRequest{}, true},
		{"page=-2", 0, PageRequest{}, true},
	} {
		v, _ := url.ParseQuery(c.query)
		got, err := ParsePage(v, c.maxSize)
		if c.notFound {
			if k, _ := fault.KindOf(err); k != fault.KindNotFound || err.Error() != MsgInvalidPage {
				t.Errorf("%q: %v, want « Page non valide. »", c.query, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: %+v %v, want %+v", c.query, got, err, c.want)
		}
	}
}

func TestResolve_GivesTheLastPageAndRefusesBeyondIt(t *testing.T) {
	for _, c := range []struct {
		req      PageRequest
		count    int
		want     int
		notFound bool
	}{
		{PageRequest{1, 20}, 0, 1, false}, // page 1 of nothing exists
		{PageRequest{LastPage, 20}, 0, 1, false},
		{PageRequest{LastPage, 20}, 57, 3, false},
		{PageRequest{3, 20}, 57, 3, false},
		{PageRequest{4, 20}, 57, 0, true},
		{PageRequest{2, 20}, 20, 0, true},
	} {
		got, err := c.req.Resolve(c.count)
		if (err != nil) != c.notFound || got != c.want {
			t.Errorf("%+v of %d: %d %v", c.req, c.count, got, err)
		}
	}
	if off := (PageRequest{Page: 3, Size: 20}).Offset(3); off != 40 {
		t.Errorf("offset %d", off)
	}
}

func TestNewPage_WritesTheEnvelopeWithAbsoluteLinks(t *testing.T) {
	base, _ := url.Parse("https://emplois.example.org")
	r := httptest.NewRequest("GET", "http://attacker.example/api/v1/marche/?page=2&type=siae", nil)
	b := marshalNoEscape(NewPage[string](base, r, 2, 20, 57, nil)) // as WriteJSON writes it
	want := `{"count":57,"next":"https://emplois.example.org/api/v1/marche/?page=3&type=siae","previous":"https://emplois.example.org/api/v1/marche/?type=siae","results":[]}`
	if string(b) != want {
		t.Errorf("%s\nwant %s", b, want)
	}
	b = marshalNoEscape(NewPage(base, r, 1, 20, 3, []int{1, 2, 3}))
	if want := `{"count":3,"next":null,"previous":null,"results":[1,2,3]}`; string(b) != want {
		t.Errorf("%s\nwant %s", b, want)
	}
}
