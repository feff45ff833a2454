package page

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/alexedwards/scs/v2"

	"emplois/internal/platform/fault"
	"emplois/internal/platform/httpx"
)

// newTestKit is a kit with the kernel's own pages, logging to log.
func newTestKit(t *testing.T, log *bytes.Buffer) *Kit {
	t.Helper()
	ip, err := httpx.NewClientIP(nil)
	if err != nil {
		t.Fatal(err)
	}
	k, err := New(Config{Log: slog.New(slog.NewTextHandler(log, nil)), Sessions: scs.New(), ClientIP: ip,
		StaticURL: func(name string) string { return "/static/" + name }})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestFail_AnswersEachKindOfRefusalWithItsPageAndAnythingElseWithALogged500(t *testing.T) {
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
			var log bytes.Buffer
			k := newTestKit(t, &log)
			rec := httptest.NewRecorder()
			k.Fail(rec, httptest.NewRequest(http.MethodGet, "/somewhere", nil), tc.err)
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.body) {
				t.Errorf("status %d, want %d; body has %q: %v", rec.Code, tc.status, tc.body, strings.Contains(rec.Body.String(), tc.body))
			}
			if logged := strings.Contains(log.String(), tc.err.Error()); logged == tc.notInLog {
				t.Errorf("logged: %v, want %v", logged, !tc.notInLog)
			}
		})
	}
}
