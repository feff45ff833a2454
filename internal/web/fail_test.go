package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
)

func TestFail_AnswersEachKindOfRefusalWithItsPageAndAnythingElseWithALogged500(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newTestSite(t, d)
		for _, tc := range []struct {
			name     string
			err      error
			status   int
			body     string // a part of the page
			notInLog bool
		}{
			{"not found", fault.NotFound("Organisation introuvable."), http.StatusNotFound, "La page que vous cherchez est introuvable.", true},
			{"forbidden", fmt.Errorf("org: members: %w", fault.Forbidden("Non.")), http.StatusForbidden, "Accès refusé", true},
			{"invalid", fault.Invalid("La recherche est trop longue."), http.StatusBadRequest, "La recherche est trop longue.", true},
			{"invalid fields", fault.Fields{{Field: "siret", Message: "Ce SIRET est invalide."}}.Err(), http.StatusBadRequest, "Ce SIRET est invalide.", true},
			{"conflict", fault.Conflict("Cette invitation a déjà été acceptée."), http.StatusConflict, "Cette invitation a déjà été acceptée.", true},
			{"internal", errors.New("db: connection refused"), http.StatusInternalServerError, "le service rencontre un problème", false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				rec := httptest.NewRecorder()
				h := site.Server.sessions.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					site.Server.fail(w, r, tc.err)
				}))
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/somewhere", nil))
				if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.body) {
					t.Errorf("status %d, want %d; body has %q: %v", rec.Code, tc.status, tc.body, strings.Contains(rec.Body.String(), tc.body))
				}
				if logged := strings.Contains(site.Log.String(), tc.err.Error()); logged == tc.notInLog {
					t.Errorf("logged: %v, want %v", logged, !tc.notInLog)
				}
			})
		}
	})
}
