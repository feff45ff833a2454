package page

import (
	"net/http"

	"emplois/internal/platform/fault"
)

// Fail answers what a service refused on a page (forms show their field errors themselves, see
// Form.Show): the 404 or 403 page for what does not exist or may not be done, the error page
// with the service's message for an invalid or conflicting request, and the logged 500 page for
// anything else. It is the one mapping of errors to pages.
func (k *Kit) Fail(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := fault.As(err)
	if !ok {
		k.ServerError(w, r, err)
		return
	}
	message := ""
	if e.Kind == fault.KindInvalid || e.Kind == fault.KindConflict {
		message = e.Message
	}
	k.errorPage(w, r, e.Kind.Status(), message)
}
