package jobdesc

import (
	"errors"
	"slices"
	"strings"

	"emplois/internal/account"
)

// Refusals a user may meet; web turns them into a 404 page, a 403 page or a form error.
var (
	// ErrNotFound: no such fiche de poste or company, or one the visitor may not see.
	ErrNotFound = errors.New("Cette fiche de poste n'existe pas.")
	// ErrForbidden: the viewer does not act for the company of this fiche de poste.
	ErrForbidden = errors.New("Vous ne pouvez pas gérer les fiches de poste de cette structure.")
	// ErrCannotPublish: the company kind cannot have fiches de poste (EA, EATT, reserved holders).
	ErrCannotPublish = errors.New("Cette structure ne peut pas publier de fiches de poste.")
)

// FieldErrors and FieldError are the account package's form errors (as in package org), so that
// the web layer has one way to put a refusal next to its field.
type (
	FieldErrors = account.FieldErrors
	FieldError  = account.FieldError
)

// ErrorOn returns the message about field in err (a FieldErrors), "" when there is none.
func ErrorOn(err error, field string) string {
	var fes FieldErrors
	if !errors.As(err, &fes) {
		return ""
	}
	for _, fe := range fes {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// byField orders the errors by field name (a stable order for messages and tests); nil when
// there is none.
func byField(errs FieldErrors) FieldErrors {
	if len(errs) == 0 {
		return nil
	}
	slices.SortStableFunc(errs, func(a, b *FieldError) int { return strings.Compare(a.Field, b.Field) })
	return errs
}
