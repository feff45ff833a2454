// Package api serves the JSON API under /api/v1/: plain http.HandlerFuncs over the domain
// stores and services, answering errors as {"detail": "message en français"}. Routes are
// registered by internal/web, which applies the access policies.
package api

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"emplois/internal/platform/fault"
	"emplois/internal/platform/httpx"
)

// ErrorBody is the JSON body of a refused request.
type ErrorBody struct {
	Detail string `json:"detail"`
}

// WriteJSON answers v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// WriteError answers a refused request (4xx) with a French explanation: {"detail": "..."}.
func WriteError(w http.ResponseWriter, status int, detail string) {
	WriteJSON(w, status, ErrorBody{Detail: detail})
}

// fail answers err: a refusal (package fault) with the status of its kind and its message as
// the detail; anything else is logged once with the request id and answered a 500 without
// details.
func fail(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	if e, ok := fault.As(err); ok {
		WriteError(w, e.Kind.Status(), e.Message)
		return
	}
	log.Error("api request failed", "request_id", httpx.RequestID(r.Context()), "path", r.URL.Path, "err", err)
	WriteError(w, http.StatusInternalServerError, "Erreur inattendue : réessayez dans quelques instants.")
}
