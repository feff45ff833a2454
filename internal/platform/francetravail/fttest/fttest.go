// Package fttest is France Travail's side of the partner API, in process: the token endpoint
// of the partner and agent realms, checking every form field (asp.md §6.1), and the API calls,
// checking the bearer token they carry and its realm (the agent API's: rqth.go). Tests set its data and read its counters; the demo may run it.
package fttest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"

	"emplois/internal/platform/config"
	"emplois/internal/platform/francetravail"
)

// Client credentials the server accepts unless told otherwise.
const (
	ClientID     = "PAR_emplois_test"
	ClientSecret = "fttest-secret"
)

// Failure is an answer the server gives instead of the normal one; the zero Failure is the
// normal answer (to fail the second call of a sequence).
type Failure struct {
	Status     int
	Body       string
	RetryAfter string // the Retry-After header of a 429, when not empty
}

// Server is the in-process France Travail.
type Server struct {
	// URL is both the token server's and the API's base URL.
	URL    string
	server *httptest.Server

	mu        sync.Mutex
	issued    map[string]string // realm of the access tokens given and not revoked
	agencies  []francetravail.Agency
	expiresIn int64
	tokenFail []Failure
	apiFail   []Failure
	problems  []string
	counts    Counts

	individuals  map[string]francetravail.Individual // by the first 13 characters of the NIR
	updateCodes  map[string]string                   // by PASS number
	findEveryone bool
	searches     []map[string]any
	updates      []map[string]any

	users        []User
	userTokens   map[string]*User // the person of each ft-jeton-usager given
	userSearches []map[string]any
}

// Counts say what the server was asked.
type Counts struct {
	TokensIssued, TokenRequests, AgencyCalls, SearchCalls, UpdateCalls, Unauthorized int
	// The agent API: searches of « rechercher usager », calls of « données RQTH », and calls
	// refused for their pa-* headers.
	UserSearchCalls, RQTHCalls, MissingAgentHeaders int
}

// New starts a server, closed when the test ends through Close.
func New() *Server {
	s := &Server{issued: map[string]string{}, userTokens: map[string]*User{}, expiresIn: 1499}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+francetravail.TokenPath, s.token)
	mux.HandleFunc("GET "+francetravail.AgenciesPath, s.api(func() any { return s.agencies }, func(c *Counts) { c.AgencyCalls++ }))
	mux.HandleFunc("POST "+francetravail.SearchIndividualPath, s.search)
	mux.HandleFunc("POST "+francetravail.UpdatePASSPath, s.update)
	mux.HandleFunc("POST "+francetravail.UserByNIRPath, s.searchUser)
	mux.HandleFunc("POST "+francetravail.UserByFTIDPath, s.searchUser)
	mux.HandleFunc("GET "+francetravail.RQTHPath, s.rqth)
	s.server = httptest.NewServer(mux)
	s.URL = s.server.URL
	return s
}

// Close stops the server.
func (s *Server) Close() { s.server.Close() }

// Config is the client registration that reaches this server.
func (s *Server) Config() francetravail.Config {
	return francetravail.Config{AuthBaseURL: s.URL, APIBaseURL: s.URL, ClientID: ClientID, ClientSecret: config.Secret(ClientSecret)}
}

// SetAgencies sets the agencies the referential answers.
func (s *Server) SetAgencies(a []francetravail.Agency) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.agencies = a
}

// SetExpiresIn sets the lifetime in seconds of the tokens given from now on (1499 by default).
func (s *Server) SetExpiresIn(seconds int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expiresIn = seconds
}

// FailToken makes the next token requests answer the failures, in order.
func (s *Server) FailToken(f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenFail = append(s.tokenFail, f...)
}

// FailAPI makes the next API calls answer the failures, in order (after the bearer check).
func (s *Server) FailAPI(f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apiFail = append(s.apiFail, f...)
}

// Revoke makes every token given so far unknown, as when France Travail revokes them early.
func (s *Server) Revoke() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issued = map[string]string{}
}

// Counts returns what the server was asked so far.
func (s *Server) Counts() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts
}

// Problems lists what the server found wrong in the requests it refused (a form field, the
// realm, a header), for tests to show.
func (s *Server) Problems() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.problems...)
}

// realmScopes are the scopes each realm's token is asked with (asp.md §6.1, §7.2).
var realmScopes = map[string]string{francetravail.PartnerRealm: francetravail.PartnerScopes,
	francetravail.AgentRealm: francetravail.AgentScopes}

// token is the endpoint of asp.md §6.1: realm /partenaire or /agent, a form with the client's
// credentials, grant type client_credentials and the realm's scopes.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.TokenRequests++
	if len(s.tokenFail) > 0 {
		f := s.tokenFail[0]
		s.tokenFail = s.tokenFail[1:]
		fail(w, f)
		return
	}
	var problems []string
	realm := r.URL.Query().Get("realm")
	scopes, known := realmScopes[realm]
	if !known {
		problems = append(problems, fmt.Sprintf("realm = %q", realm))
	}
	if got := r.Header.Get("Content-Type"); got != "application/x-www-form-urlencoded" {
		problems = append(problems, fmt.Sprintf("Content-Type = %q", got))
	}
	if err := r.ParseForm(); err != nil {
		problems = append(problems, "form: "+err.Error())
	}
	want := map[string]string{
		"client_id": ClientID, "client_secret": ClientSecret, "grant_type": "client_credentials",
		"scope": "application_" + ClientID + " " + scopes,
	}
	for k, v := range want {
		if got := r.PostForm[k]; len(got) != 1 || got[0] != v {
			problems = append(problems, fmt.Sprintf("form field %s = %q", k, got))
		}
	}
	if len(r.PostForm) != len(want) {
		problems = append(problems, fmt.Sprintf("%d form fields, want %d", len(r.PostForm), len(want)))
	}
	if len(problems) > 0 {
		s.problems = append(s.problems, problems...)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":"invalid_client","error_description":"Client authentication failed"}`))
		return
	}
	b := make([]byte, 16)
	rand.Read(b)
	tok := hex.EncodeToString(b)
	s.issued[tok] = realm
	s.counts.TokensIssued++
	writeJSON(w, map[string]any{"token_type": "Bearer", "access_token": tok, "expires_in": s.expiresIn, "scope": want["scope"]})
}

// api answers an API call with data() once its bearer token is one the server gave.
func (s *Server) api(data func() any, count func(*Counts)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		count(&s.counts)
		if s.admit(w, r, francetravail.PartnerRealm) {
			writeJSON(w, data())
		}
	}
}

// admit checks the bearer token (given for realm) and the content type of an API call and plays
// the failures tests queued; false when it answered already. s.mu is held.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, realm string) bool {
	auth := r.Header.Get("Authorization")
	if len(auth) < 8 || auth[:7] != "Bearer " || s.issued[auth[7:]] != realm {
		s.counts.Unauthorized++
		s.problems = append(s.problems, fmt.Sprintf("%s: Authorization = %q", r.URL.Path, auth))
		w.WriteHeader(http.StatusUnauthorized)
		return false
	}
	if got := r.Header.Get("Content-Type"); got != "application/json" {
		s.problems = append(s.problems, fmt.Sprintf("%s: Content-Type = %q", r.URL.Path, got))
		w.WriteHeader(http.StatusBadRequest)
		return false
	}
	if len(s.apiFail) > 0 {
		f := s.apiFail[0]
		s.apiFail = s.apiFail[1:]
		if f.Status == 0 {
			return true // a call let through, so that the next failure hits the one after
		}
		fail(w, f)
		return false
	}
	return true
}

func fail(w http.ResponseWriter, f Failure) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	if f.Body != "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(f.Status)
	w.Write([]byte(f.Body))
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}
