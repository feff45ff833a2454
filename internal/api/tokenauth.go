package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"

	"emplois/internal/account"
	"emplois/internal/apitoken"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/httpx"
)

// Messages of token-auth (api.md §1.3), word for word.
const (
	MsgUnknownKey       = "Impossible de se connecter avec le token fourni."
	MsgBadCredentials   = "Impossible de se connecter avec les informations d'identification fournies."
	MsgNoPasswordLogin  = "Ce compte ne peut pas se connecter avec un username et mot de passe."
	MsgJSONParseError   = "Erreur d'analyse JSON - %s"
	SpecialUsername     = "__token__"
	tokenAuthMaxBody    = 64 << 10
	tokenAuthMaxMemForm = 64 << 10
)

// TokenAuth serves POST /api/v1/token-auth/ (api.md §1.3): the user token of a password
// account, or a check that a key is a user token's.
type TokenAuth struct {
	Accounts *account.Service
	Tokens   *apitoken.Service
	Log      *slog.Logger
}

// TokenBody is the answer: the key.
type TokenBody struct {
	Token string `json:"token"`
}

// Handler answers a call that went through the Gate.
func (h *TokenAuth) Handler(w http.ResponseWriter, r *http.Request) {
	fields, err := readBodyFields(w, r, "username", "password")
	if err != nil {
		fail(w, r, h.Log, err)
		return
	}
	id := IdentityOf(r)
	if fields["username"].value == SpecialUsername {
		h.checkKey(w, r, fields["password"])
		return
	}
	var errs fault.Fields
	username := credential{value: strings.TrimSpace(fields["username"].value), present: fields["username"].present, null: fields["username"].null}
	for _, f := range []struct {
		name string
		c    credential
	}{{"username", username}, {"password", fields["password"]}} {
		f.c.check(&errs, f.name)
	}
	if err := errs.Err(); err != nil {
		fail(w, r, h.Log, err)
		return
	}
	u, err := h.Accounts.Authenticate(r.Context(), username.value, fields["password"].value, id.ClientIP)
	var provider *account.ProviderError
	var throttled *account.ThrottledError
	switch {
	case errors.As(err, &provider), errors.Is(err, account.ErrProConnectRequired):
		fail(w, r, h.Log, fault.InvalidField("", MsgNoPasswordLogin))
		return
	case errors.As(err, &throttled):
		secs := max(int((throttled.RetryAfter+time.Second-1)/time.Second), 1)
		w.Header().Set("Retry-After", fmt.Sprint(secs))
		unit := "secondes"
		if secs == 1 {
			unit = "seconde"
		}
		WriteError(w, http.StatusTooManyRequests, fmt.Sprintf(MsgThrottled, secs, unit))
		return
	case err != nil:
		if _, refused := fault.As(err); !refused {
			fail(w, r, h.Log, err)
			return
		}
		fail(w, r, h.Log, fault.InvalidField("", MsgBadCredentials))
		return
	case u.Kind == account.Staff:
		// api.md §10 Q9: a staff account's token would bypass its second factor.
		h.Log.Info("token-auth refused to a staff account", "request_id", httpx.RequestID(r.Context()), "user_id", u.ID)
		fail(w, r, h.Log, fault.InvalidField("", MsgBadCredentials))
		return
	}
	key, err := h.Tokens.KeyForLogin(r.Context(), u.ID, id.ClientIP)
	if err != nil {
		fail(w, r, h.Log, err)
		return
	}
	WriteJSON(w, http.StatusOK, TokenBody{Token: key})
}

// checkKey answers username __token__: the same key when it is a user token's, else the
// original's bare list (and an info log with the key's length, never the key).
func (h *TokenAuth) checkKey(w http.ResponseWriter, r *http.Request, password credential) {
	if password.value != "" {
		t, err := h.Tokens.Authenticate(r.Context(), password.value)
		if err != nil && !errors.Is(err, apitoken.ErrUnknown) {
			fail(w, r, h.Log, err)
			return
		}
		if t != nil && t.Kind == apitoken.UserToken {
			WriteJSON(w, http.StatusOK, TokenBody{Token: password.value})
			return
		}
	}
	length := "None"
	if password.present && !password.null {
		length = fmt.Sprint(len(password.value))
	}
	h.Log.Info(fmt.Sprintf("Auth with special user '%s' failed: unknown token received (len=%s)", SpecialUsername, length),
		"request_id", httpx.RequestID(r.Context()))
	WriteJSON(w, http.StatusBadRequest, []string{MsgUnknownKey})
}

// credential is one field of the body: absent, null or a value.
type credential struct {
	value         string
	present, null bool
}

// absence is the framework's error of a required field that is absent or null, "" otherwise.
func (c credential) absence() string {
	switch {
	case !c.present:
		return MsgRequired
	case c.null:
		return MsgNull
	}
	return ""
}

// check adds the framework's error of a required text field that is absent, null or blank.
func (c credential) check(errs *fault.Fields, name string) {
	if problem := c.absence(); problem != "" {
		errs.Add(name, problem)
	} else if c.value == "" {
		errs.Add(name, MsgBlank)
	}
}

// readBodyFields reads the named fields from a JSON, urlencoded or multipart body, as the
// framework's parsers do.
func readBodyFields(w http.ResponseWriter, r *http.Request, names ...string) (map[string]credential, error) {
	r.Body = http.MaxBytesReader(w, r.Body, tokenAuthMaxBody)
	out := map[string]credential{}
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType == "application/json" {
		var raw map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
			return nil, &Refusal{Status: http.StatusBadRequest, Detail: fmt.Sprintf(MsgJSONParseError, err)}
		}
		for _, name := range names {
			v, ok := raw[name]
			if !ok {
				continue
			}
			c := credential{present: true}
			var s string
			switch {
			case string(v) == "null":
				c.null = true
			case json.Unmarshal(v, &s) == nil:
				c.value = s
			default:
				c.value = string(v) // a number or a boolean, as the framework's CharField turns it into text
			}
			out[name] = c
		}
		return out, nil
	}
	if mediaType == "multipart/form-data" {
		r.ParseMultipartForm(tokenAuthMaxMemForm)
	} else {
		r.ParseForm()
	}
	for _, name := range names {
		if vs, ok := r.PostForm[name]; ok && len(vs) > 0 {
			out[name] = credential{value: vs[len(vs)-1], present: true}
		}
	}
	return out, nil
}
