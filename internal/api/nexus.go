package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"emplois/internal/nexus"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/httpx"
)

// Nexus serves the nexus routes (api.md §8): the other inclusion services push their users,
// structures and memberships, run full syncs, and ask which services a person uses. The token's
// service is the source of what is pushed. These routes are internal: not in the OpenAPI
// document (§9).
type Nexus struct {
	Directory *nexus.Service
	Log       *slog.Logger
}

// nexusMaxBody bounds a push (a full sync sends its rows in pages of this size at most).
const nexusMaxBody = 32 << 20

// NexusPaths are the routes, without trailing slash as the original's.
const (
	NexusUsersPath          = "/api/v1/nexus/users"
	NexusStructuresPath     = "/api/v1/nexus/structures"
	NexusMembershipsPath    = "/api/v1/nexus/memberships"
	NexusSyncStartPath      = "/api/v1/nexus/sync-start"
	NexusSyncCompletedPath  = "/api/v1/nexus/sync-completed"
	NexusDropdownStatusPath = "/api/v1/nexus/dropdown-status"
)

// ResourceHandler answers POST (upsert) and DELETE on a resource's route.
func (a *Nexus) ResourceHandler(res nexus.Resource) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		source := IdentityOf(r).Token.Service
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, nexusMaxBody))
		if err != nil {
			a.fail(w, r, &Refusal{Status: http.StatusBadRequest, Detail: fmt.Sprintf(MsgJSONParseError, err)})
			return
		}
		items, err := nexus.SplitList(body)
		if list := (*nexus.ListError)(nil); err != nil && !errors.As(err, &list) {
			err = &Refusal{Status: http.StatusBadRequest, Detail: fmt.Sprintf(MsgJSONParseError, err)}
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		if r.Method == http.MethodDelete {
			if err := a.Directory.Delete(r.Context(), source, res, items); err != nil {
				a.fail(w, r, err)
				return
			}
			WriteJSON(w, http.StatusOK, struct{}{})
			return
		}
		errs, err := a.Directory.Push(r.Context(), source, res, items)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		if len(errs) == 0 {
			WriteJSON(w, http.StatusOK, struct{}{})
			return
		}
		WriteJSON(w, http.StatusOK, struct {
			Errors itemErrors `json:"errors"`
		}{itemErrors(errs)})
	}
}

// SyncStartHandler answers POST sync-start: {"started_at": "<now, UTC>"}.
func (a *Nexus) SyncStartHandler(w http.ResponseWriter, r *http.Request) {
	started, err := a.Directory.StartSync(r.Context(), IdentityOf(r).Token.Service)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]string{"started_at": nexus.FormatDateTime(started)})
}

// SyncCompletedHandler answers POST sync-completed {"started_at": …}: {} when it names the sync
// in progress, else 403 {} and a warning.
func (a *Nexus) SyncCompletedHandler(w http.ResponseWriter, r *http.Request) {
	source := IdentityOf(r).Token.Service
	fields, err := readBodyFields(w, r, "started_at")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	c := fields["started_at"]
	problem := c.absence()
	started, perr := nexus.ParseDateTime(c.value)
	if problem == "" && perr != nil {
		problem = nexus.MsgDateTime
	}
	if problem != "" {
		a.fail(w, r, fault.InvalidField("started_at", problem))
		return
	}
	err = a.Directory.CompleteSync(r.Context(), source, started)
	switch {
	case errors.Is(err, nexus.ErrNotStarted):
		a.Log.Warn("Got invalid start_at for source="+string(source), "request_id", httpx.RequestID(r.Context()))
		WriteJSON(w, http.StatusForbidden, struct{}{})
	case err != nil:
		a.fail(w, r, err)
	default:
		WriteJSON(w, http.StatusOK, struct{}{})
	}
}

// DropdownStatusHandler answers POST dropdown-status {"email": …}.
func (a *Nexus) DropdownStatusHandler(w http.ResponseWriter, r *http.Request) {
	fields, err := readBodyFields(w, r, "email")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	c := fields["email"]
	problem := c.absence()
	switch {
	case problem != "":
	case c.value == "":
		problem = nexus.MsgBlank
	case !nexus.ValidEmail(c.value):
		problem = nexus.MsgInvalidEmail
	}
	if problem != "" {
		a.fail(w, r, fault.InvalidField("email", problem))
		return
	}
	st, err := a.Directory.DropdownStatus(r.Context(), c.value)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, st)
}

// fail answers the refusals of a list ({"non_field_errors": […]} for a body that is not a
// list, [{…}, {…}] with one entry per item for a delete's malformed items), the rest as api.fail.
func (a *Nexus) fail(w http.ResponseWriter, r *http.Request, err error) {
	var list *nexus.ListError
	switch {
	case errors.As(err, &list) && list.Items != nil:
		items := make([]ParamErrors, len(list.Items))
		for i, f := range list.Items {
			items[i] = ParamErrors(f)
		}
		WriteJSON(w, http.StatusBadRequest, items)
	case errors.As(err, &list):
		WriteJSON(w, http.StatusBadRequest, ParamErrors(list.Fields))
	default:
		fail(w, r, a.Log, err)
	}
}

// itemErrors is {"<id>": {"<field>": ["…"]}, …} in the order of the items.
type itemErrors []nexus.ItemError

func (e itemErrors) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	seen := map[string]bool{}
	for _, it := range e {
		if seen[it.Key] {
			continue // two refused items with one id: the first one's errors
		}
		if len(seen) > 0 {
			buf.WriteByte(',')
		}
		seen[it.Key] = true
		buf.Write(marshalNoEscape(it.Key))
		buf.WriteByte(':')
		b, _ := ParamErrors(it.Fields).MarshalJSON()
		buf.Write(b)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
