// Package apiparticuliertest is an in-process API Particulier (asp.md §7.1) for tests and the
// demo: it checks every request field by field as the real API does, and answers from the
// people it was told about.
package apiparticuliertest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"

	"emplois/internal/platform/apiparticulier"
)

// Token is the bearer token the server accepts.
const Token = "jeton-de-test-api-particulier"

// Reply is what the server answers for one person and one benefit.
type Reply struct {
	Status     int
	Body       any
	RetryAfter string
}

// Beneficiary is the answer for a person receiving the benefit since the day (YYYY-MM-DD).
func Beneficiary(since string) Reply {
	return Reply{Status: http.StatusOK, Body: map[string]any{"data": map[string]any{"est_beneficiaire": true, "date_debut_droit": since}}}
}

// NotBeneficiary is the answer for a person known not to receive the benefit.
func NotBeneficiary() Reply {
	return Reply{Status: http.StatusOK, Body: map[string]any{"data": map[string]any{"est_beneficiaire": false, "date_debut_droit": nil}}}
}

// NotFound is the answer for a person the data provider does not know.
func NotFound() Reply {
	return errorReply(http.StatusNotFound, "37003", "Dossier allocataire absent MSA")
}

// ProviderDown is the 502 of a data provider that is down.
func ProviderDown() Reply {
	return errorReply(http.StatusBadGateway, "37999", "Erreur inconnue du fournisseur de données")
}

func errorReply(status int, code, title string) Reply {
	return Reply{Status: status, Body: map[string]any{"errors": []map[string]any{{
		"code": code, "title": title, "detail": title, "source": nil, "meta": map[string]any{"provider": "CNAV & MSA"}}}}}
}

// Server is the in-process API.
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	replies  map[string]Reply // by benefit and upper-case last name
	calls    []Call
	problems []string
}

// Call is a request the server accepted.
type Call struct {
	Benefit apiparticulier.Benefit
	Query   map[string][]string
}

// New starts a server; it stops at Close.
func New() *Server {
	s := &Server{replies: map[string]Reply{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the base URL to configure, ending with a slash.
func (s *Server) URL() string { return s.Server.URL + "/api/" }

// Set decides the answer for the person of this birth name and benefit; the others get the
// default of SetDefault, else are not found.
func (s *Server) Set(b apiparticulier.Benefit, lastName string, r Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replies[string(b)+"|"+strings.ToUpper(lastName)] = r
}

// SetDefault decides the answer for benefit b for the people Set did not name.
func (s *Server) SetDefault(b apiparticulier.Benefit, r Reply) { s.Set(b, "", r) }

// Calls returns the requests the server accepted, in order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Problems returns what was wrong with the requests the server refused.
func (s *Server) Problems() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.problems...)
}

var (
	benefits = map[string]apiparticulier.Benefit{}
	number   = regexp.MustCompile(`^[1-9][0-9]*$`)
	country  = regexp.MustCompile(`^99[0-9]{3}$`)
	commune  = regexp.MustCompile(`^[0-9][0-9AB][0-9]{3}$`)
)

func init() {
	for _, b := range []apiparticulier.Benefit{apiparticulier.RSA, apiparticulier.AAH, apiparticulier.ASF} {
		benefits["/api/"+b.Path()] = b
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	b, ok := benefits[r.URL.Path]
	if !ok {
		s.refuse(w, http.StatusNotFound, "unknown path "+r.URL.Path)
		return
	}
	if r.Method != http.MethodGet {
		s.refuse(w, http.StatusMethodNotAllowed, "method "+r.Method)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+Token {
		s.refuse(w, http.StatusUnauthorized, "bad Authorization header")
		return
	}
	q := r.URL.Query()
	if problem := checkQuery(q); problem != "" {
		s.refuse(w, http.StatusBadRequest, problem)
		return
	}
	s.mu.Lock()
	s.calls = append(s.calls, Call{Benefit: b, Query: q})
	reply, known := s.replies[string(b)+"|"+q.Get("nomNaissance")]
	if !known {
		reply, known = s.replies[string(b)+"|"]
	}
	s.mu.Unlock()
	if !known {
		reply = NotFound()
	}
	if reply.RetryAfter != "" {
		w.Header().Set("Retry-After", reply.RetryAfter)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(reply.Status)
	json.NewEncoder(w).Encode(reply.Body)
}

// checkQuery checks the parameters of asp.md §7.1 and returns what is wrong, if anything.
func checkQuery(q map[string][]string) string {
	one := func(name string) string {
		if v := q[name]; len(v) == 1 {
			return v[0]
		}
		return ""
	}
	switch {
	case one("recipient") != apiparticulier.Recipient:
		return "recipient must be " + apiparticulier.Recipient
	case one("nomNaissance") == "" || one("nomNaissance") != strings.ToUpper(one("nomNaissance")):
		return "nomNaissance must be upper-case"
	case len(q["prenoms[]"]) == 0:
		return "prenoms[] is required"
	case !number.MatchString(one("anneeDateNaissance")) || !number.MatchString(one("moisDateNaissance")) || !number.MatchString(one("jourDateNaissance")):
		return "the birth date must be three integers without padding"
	case !country.MatchString(one("codeCogInseePaysNaissance")):
		return "codeCogInseePaysNaissance must be 99 and 3 digits"
	case one("sexeEtatCivil") != "F" && one("sexeEtatCivil") != "M":
		return "sexeEtatCivil must be F or M"
	}
	born := one("codeCogInseePaysNaissance")
	place, hasPlace := q["codeCogInseeCommuneNaissance"]
	if born == apiparticulier.France && (len(place) != 1 || !commune.MatchString(place[0])) {
		return "codeCogInseeCommuneNaissance is required for a person born in France"
	}
	if born != apiparticulier.France && hasPlace {
		return "codeCogInseeCommuneNaissance only for a person born in France"
	}
	for _, name := range q["prenoms[]"] {
		if name == "" || name != strings.ToUpper(name) {
			return "each prenoms[] must be upper-case"
		}
	}
	return ""
}

func (s *Server) refuse(w http.ResponseWriter, status int, problem string) {
	s.mu.Lock()
	s.problems = append(s.problems, problem)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"errors":[{"code":"00000","title":"Requête invalide","detail":%q,"source":null,"meta":{}}]}`, problem)
}
