package web

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// Page tests of the accessibility audit's findings (issue 8, part 6); the browser suite
// (browsertest) checks focus, reflow and axe-core on the rendered pages.

var titleRE = regexp.MustCompile(`<title>([^<]*)</title>`)

func titleOf(t *testing.T, res *testResponse) string {
	t.Helper()
	m := titleRE.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("%s: no <title>", res.Request.URL.Path)
	}
	return m[1]
}

func TestSearchResults_CountIsAPlainHeadingAndOneLiveRegionSitsOutsideTheSwappedForm(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newSearchSite(t, d)
		site.prescriber(org.ML, "Mission locale de Lille", true)
		for _, path := range []string{"/search/prescribers?city=" + lilleINSEE, "/search/employers?city=" + lilleINSEE} {
			res := site.browser().get(path)
			wantStatus(t, res, http.StatusOK)
			wantBody(t, res, `<h2 class="fr-h4" id="search-summary" tabindex="-1" data-swap-focus>`)
			if strings.Count(res.Body, `role="status"`) != 1 {
				t.Errorf("%s: %d live regions, want the one of the count", path, strings.Count(res.Body, `role="status"`))
			}
			if strings.Index(res.Body, `id="search-status"`) < strings.Index(res.Body, "</form>") {
				t.Errorf("%s: the live region is inside the form htmx swaps", path)
			}
		}
	})
}
