package api

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"emplois/internal/platform/fault"
)

func TestFail_AnswersARefusalWithItsStatusAndDetailAndAnythingElseWithA500(t *testing.T) {
	for _, tc := range []struct {
		err    error
		status int
		body   string
	}{
		{fault.Invalid("Page non valide ?"), http.StatusBadRequest, `{"detail":"Page non valide ?"}`},
		{fault.NotFound("Page non valide."), http.StatusNotFound, `{"detail":"Page non valide."}`},
		{fault.Forbidden("Non."), http.StatusForbidden, `{"detail":"Non."}`},
		{fault.Conflict("Déjà fait."), http.StatusConflict, `{"detail":"Déjà fait."}`},
		{errors.New("db: connection refused"), http.StatusInternalServerError, `{"detail":"Erreur inattendue : réessayez dans quelques instants."}`},
	} {
		rec := httptest.NewRecorder()
		fail(rec, httptest.NewRequest(http.MethodGet, "/api/v1/siaes/", nil), slog.New(slog.NewTextHandler(io.Discard, nil)), tc.err)
		if rec.Code != tc.status || rec.Body.String() != tc.body+"\n" {
			t.Errorf("%v: %d %s, want %d %s", tc.err, rec.Code, rec.Body.String(), tc.status, tc.body)
		}
	}
}
