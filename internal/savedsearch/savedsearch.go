// Package savedsearch keeps the searches logged-in users save (actors.md §13.1): a name (the
// city's name by default, at most 50 characters, unique per user) and the URL of the search,
// at most 20 per user, listed on the dashboard and the search pages, deletable. The rules are
// plain functions; Service is what a user may do with their own saved searches, and nobody else's.
package savedsearch

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"emplois/internal/platform/fault"
)

// SavedSearch is one saved search. Path is a search page and Query its canonical query string
// (written by internal/search from a parsed search, never as typed).
type SavedSearch struct {
	bun.BaseModel `bun:"table:saved_search,alias:ss"`

	ID        int64     `bun:"id,pk,autoincrement"`
	UID       string    `bun:"uid,notnull"`
	UserID    int64     `bun:"user_id,notnull"`
	Name      string    `bun:"name,notnull"`
	Path      string    `bun:"path,notnull"`
	Query     string    `bun:"query,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

// URL is the search page with its query, to run the search again.
func (s SavedSearch) URL() string { return s.Path + "?" + s.Query }

// DeletePath is where its owner deletes a saved search.
func DeletePath(uid string) string { return "/search/saved/" + uid + "/delete" }

// Limits of actors.md §13.1, and of the stored query (a search URL is far shorter).
const (
	MaxPerUser     = 20
	MaxNameLength  = 50
	MaxQueryLength = 2000
)

// Paths are the search pages whose searches may be saved: the employer and fiche de poste tabs.
var Paths = []string{"/search/employers", "/search/job-descriptions"}

// FieldName is the form field of the name.
const FieldName = "name"

// French messages of the refusals.
const (
	MsgNameRequired = "Donnez un nom à cette recherche."
	MsgNameTooLong  = "Le nom ne doit pas dépasser 50 caractères."
	MsgNameTaken    = "Vous avez déjà une recherche enregistrée sous ce nom : choisissez-en un autre."
	MsgTooMany      = "Vous avez déjà enregistré 20 recherches : supprimez-en une pour enregistrer celle-ci."
)

// Error is a refused save, with the French message to show; Field is FieldName when the name is
// at fault, "" when the whole form is.
type Error struct {
	Field   string
	Message string
}

func (e *Error) Error() string { return "savedsearch: " + e.Message }

// ErrNotFound: the user has no saved search with this uid (it may be another user's).
var ErrNotFound = fault.NotFound("Cette recherche enregistrée n'existe pas.")

// errNotSearch: the URL to save is not one of Paths or is too long (the page never offers that).
var errNotSearch = errors.New("savedsearch: not a search page")

// CleanName trims a name and folds its runs of spaces into one, then checks it: not empty, at
// most MaxNameLength characters.
func CleanName(name string) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	switch {
	case name == "":
		return "", &Error{Field: FieldName, Message: MsgNameRequired}
	case utf8.RuneCountInString(name) > MaxNameLength:
		return "", &Error{Field: FieldName, Message: MsgNameTooLong}
	}
	return name, nil
}

// DefaultName is the name offered for a search around a city: the city's name, cut to
// MaxNameLength characters.
func DefaultName(city string) string {
	city = strings.Join(strings.Fields(city), " ")
	if utf8.RuneCountInString(city) <= MaxNameLength {
		return city
	}
	return string([]rune(city)[:MaxNameLength])
}

func validPath(path string) bool {
	for _, p := range Paths {
		if p == path {
			return true
		}
	}
	return false
}
