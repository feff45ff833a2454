// Package api serves the JSON API under /api/v1/ with the conventions of the original's framework
// (Django REST framework, api.md §0–1): every endpoint is an Endpoint behind the Gate, which
// authenticates the call with the schemes it accepts, checks its permission and throttles, and
// logs it with its token; refusals have the original's bodies (errors.go). Routes are registered
// by internal/web.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"emplois/internal/platform/fault"
	"emplois/internal/platform/httpx"
)

// ErrorBody is the body of a refusal that is not about the input: {"detail": "…"} (401, 403, 404,
// 405, 429, 500).
type ErrorBody struct {
	Detail string `json:"detail"`
}

// WriteJSON answers v as JSON with status, non-ASCII characters and <, >, & as they are (as the
// original's renderer).
func WriteJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, `{"detail":"`+MsgServerError+`"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	buf.WriteTo(w)
}

// WriteError answers a refusal with {"detail": "…"}.
func WriteError(w http.ResponseWriter, status int, detail string) {
	WriteJSON(w, status, ErrorBody{Detail: detail})
}

// fail answers err in the original's shapes (api.md §0, §1.4):
//   - an invalid input with field errors (fault.Fields): an object of parameter → [messages]
//     ({"distance_max_km": ["Assurez-vous que cette valeur est inférieure ou égale à 100."]}),
//     a field "" being the framework's "non_field_errors";
//   - an invalid input without field: a bare list of messages (["Saisie invalide."]);
//   - not found, forbidden, conflict: {"detail": "…"};
//   - anything else is logged once with the request id and answered the original's 500 body.
func fail(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	e, ok := fault.As(err)
	var refusal *Refusal
	switch {
	case errors.As(err, &refusal):
		WriteError(w, refusal.Status, refusal.Detail)
	case !ok:
		log.Error("api request failed", "request_id", httpx.RequestID(r.Context()), "path", httpx.RedactPath(r.URL.Path), "err", err)
		WriteError(w, http.StatusInternalServerError, MsgServerError)
	case e.Kind == fault.KindInvalid && len(e.Fields) > 0:
		WriteJSON(w, http.StatusBadRequest, ParamErrors(e.Fields))
	case e.Kind == fault.KindInvalid:
		WriteJSON(w, http.StatusBadRequest, []string{e.Message})
	default:
		WriteError(w, e.Kind.Status(), e.Message)
	}
}

// Refusal is a {"detail": …} answer with a status the fault kinds do not say: a 400 about the
// request as a whole (a body that is not JSON).
type Refusal struct {
	Status int
	Detail string
}

func (e *Refusal) Error() string { return e.Detail }

// ofParam makes a refused input without field a refusal of param (the framework's
// {"param": ["…"]}); other errors are returned as they are.
func ofParam(param string, err error) error {
	if e, ok := fault.As(err); ok && e.Kind == fault.KindInvalid && len(e.Fields) == 0 {
		return fault.InvalidField(param, e.Message)
	}
	return err
}

// ParamErrors is the body of a refused input: each parameter with its messages, in the order
// they were found ("" is "non_field_errors").
type ParamErrors fault.Fields

// NonFieldErrors is the key of the errors not tied to one parameter, as the framework names it.
const NonFieldErrors = "non_field_errors"

// MarshalJSON writes {"param": ["message"], …} in order (a Go map would sort the keys).
func (p ParamErrors) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, fe := range p {
		if i > 0 {
			buf.WriteByte(',')
		}
		name := fe.Field
		if name == "" {
			name = NonFieldErrors
		}
		buf.Write(marshalNoEscape(name))
		buf.WriteByte(':')
		buf.Write(marshalNoEscape([]string{fe.Message}))
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// marshalNoEscape encodes v without escaping <, > and & (strings, lists and pages of plain
// values, which cannot fail).
func marshalNoEscape(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
