package jobdesc

import (
	"slices"
	"strings"

	"emplois/internal/platform/fault"
)

// Refusals a user may meet; web turns them into a 404 page, a 403 page or a form error.
var (
	// ErrNotFound: no such fiche de poste or company, or one the visitor may not see.
	ErrNotFound = fault.NotFound("Cette fiche de poste n'existe pas.")
	// ErrForbidden: the viewer does not act for the company of this fiche de poste.
	ErrForbidden = fault.Forbidden("Vous ne pouvez pas gérer les fiches de poste de cette structure.")
	// ErrCannotPublish: the company kind cannot have fiches de poste (EA, EATT, reserved holders).
	ErrCannotPublish = fault.Forbidden("Cette structure ne peut pas publier de fiches de poste.")
)

// byField orders the errors by field name (a stable order for messages and tests); nil when
// there is none.
func byField(errs fault.Fields) fault.Fields {
	if len(errs) == 0 {
		return nil
	}
	slices.SortStableFunc(errs, func(a, b fault.FieldError) int { return strings.Compare(a.Field, b.Field) })
	return errs
}
