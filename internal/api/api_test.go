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

func TestFail_AnswersRefusalsInTheOriginalsShapesAndAnythingElseWithA500(t *testing.T) {
	for _, tc := range []struct {
		err    error
		status int
		body   string
	}{
		{fault.Invalid("Saisie invalide."), http.StatusBadRequest, `["Saisie invalide."]`},
		{fault.InvalidField("nom", "Ce champ est obligatoire."), http.StatusBadRequest, `{"nom":["Ce champ est obligatoire."]}`},
		{fault.Fields{{Field: "nom", Message: "Ce champ est obligatoire."}, {Field: "date_naissance", Message: MsgDateFormat}}.Err(),
			http.StatusBadRequest, `{"nom":["Ce champ est obligatoire."],"date_naissance":["La date n'a pas le bon format. Utilisez un des formats suivants : YYYY-MM-DD."]}`},
		{fault.InvalidField("", MsgBadCredentials), http.StatusBadRequest, `{"non_field_errors":["Impossible de se connecter avec les informations d'identification fournies."]}`},
		{&Refusal{Status: http.StatusBadRequest, Detail: "Erreur d'analyse JSON - x"}, http.StatusBadRequest, `{"detail":"Erreur d'analyse JSON - x"}`},
		{fault.NotFound("Page non valide."), http.StatusNotFound, `{"detail":"Page non valide."}`},
		{fault.Forbidden("Non."), http.StatusForbidden, `{"detail":"Non."}`},
		{fault.Conflict("Déjà fait."), http.StatusConflict, `{"detail":"Déjà fait."}`},
		{errors.New("db: connection refused"), http.StatusInternalServerError, `{"detail":"Something went wrong, sorry. We've been notified."}`},
	} {
		rec := httptest.NewRecorder()
		fail(rec, httptest.NewRequest(http.MethodGet, "/api/v1/siaes/", nil), slog.New(slog.NewTextHandler(io.Discard, nil)), tc.err)
		if rec.Code != tc.status || rec.Body.String() != tc.body+"\n" {
			t.Errorf("%v: %d %s, want %d %s", tc.err, rec.Code, rec.Body.String(), tc.status, tc.body)
		}
	}
}
