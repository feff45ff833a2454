package fttest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"

	"emplois/internal/platform/francetravail"
)

// The agent API of France Travail (asp.md §7.2): « rechercher usager » finds the people tests
// registered, by NIR and birth date or by identifier, and gives a token per person that
// « données RQTH » reads their recognition with. Both refuse a call without the three pa-*
// headers (302) or with one empty (401), and a bearer of another realm than /agent.

// User is a person of the agent API.
type User struct {
	NIR       string // the full NIR, key included
	Birthdate string // YYYY-MM-DD
	FTID      string // the 11-character identifier
	// Code is the search's return code, S001 when empty. NotCertified answers S001 with
	// topIdentiteCertifiee "N" (and no token).
	Code         string
	NotCertified bool
	// RQTH is the answer of « données RQTH »; nil: topValiditeRQTH false.
	RQTH map[string]any
}

// RQTHValid is a recognition from from to until (YYYY-MM-DD; francetravail.OpenEnd for none).
func RQTHValid(from, until string) map[string]any {
	return map[string]any{"dateDebutRqth": from, "dateFinRqth": until, "source": "MDPH", "topValiditeRQTH": true}
}

// RCode is the failure France Travail answers with an R code (R001, R997, R998, R999).
func RCode(status int, code string) Failure {
	return Failure{Status: status, Body: fmt.Sprintf(`{"codeRetour":%q,"message":"Erreur technique","jetonUsager":null,"topIdentiteCertifiee":null}`, code)}
}

// AddUser registers a person of the agent API.
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users = append(s.users, u)
}

// UserSearches returns the bodies of the searches accepted, in order, each with its endpoint
// under the key "path".
func (s *Server) UserSearches() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.userSearches)
}

// agentHeaders checks the pa-* headers as France Travail does: 302 when one is missing, 401
// when one is empty; false when it answered already. s.mu is held.
func (s *Server) agentHeaders(w http.ResponseWriter, r *http.Request) bool {
	for name := range francetravail.AgentHeaders {
		values, present := r.Header[http.CanonicalHeaderKey(name)]
		switch {
		case !present:
			s.counts.MissingAgentHeaders++
			s.problems = append(s.problems, fmt.Sprintf("%s: header %s missing", r.URL.Path, name))
			w.Header().Set("Location", "/connexion/")
			w.WriteHeader(http.StatusFound)
			return false
		case len(values) != 1 || values[0] == "":
			s.counts.MissingAgentHeaders++
			s.problems = append(s.problems, fmt.Sprintf("%s: header %s empty", r.URL.Path, name))
			w.WriteHeader(http.StatusUnauthorized)
			return false
		}
	}
	return true
}

// searchUser is « rechercher usager », by NIR and birth date or by identifier.
func (s *Server) searchUser(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.UserSearchCalls++
	if !s.agentHeaders(w, r) || !s.admit(w, r, francetravail.AgentRealm) {
		return
	}
	byNIR := r.URL.Path == francetravail.UserByNIRPath
	fields := []string{"numeroFranceTravail"}
	if byNIR {
		fields = []string{"dateNaissance", "nir"}
	}
	body, problem := readBody(r, fields, len(fields))
	if problem == "" {
		problem = checkUserSearch(body, fields)
	}
	if problem != "" {
		s.refuse(w, r, problem)
		return
	}
	body["path"] = r.URL.Path
	s.userSearches = append(s.userSearches, body)
	var found []*User
	for i := range s.users {
		u := &s.users[i]
		if byNIR && u.NIR == body["nir"] && u.Birthdate == body["dateNaissance"] ||
			!byNIR && u.FTID != "" && u.FTID == body["numeroFranceTravail"] {
			found = append(found, u)
		}
	}
	switch {
	case len(found) == 0 && s.findEveryone:
		s.users = append(s.users, User{NIR: str0(body, "nir"), Birthdate: str0(body, "dateNaissance"),
			FTID: str0(body, "numeroFranceTravail"), RQTH: RQTHValid("2023-06-01", francetravail.OpenEnd)})
		found = []*User{&s.users[len(s.users)-1]}
	case len(found) == 0:
		writeJSON(w, francetravail.UserAnswer{Code: francetravail.UserNotFound, Message: "Aucun usager trouvé"})
		return
	case len(found) > 1:
		writeJSON(w, francetravail.UserAnswer{Code: francetravail.UsersSeveral, Message: "Plusieurs usagers trouvés"})
		return
	}
	u := found[0]
	answer := francetravail.UserAnswer{Code: u.Code, Message: "Usager trouvé", Certified: "O"}
	if answer.Code == "" {
		answer.Code = francetravail.UserFound
	}
	if u.NotCertified {
		answer.Certified = "N"
	} else if answer.Code == francetravail.UserFound {
		b := make([]byte, 16)
		rand.Read(b)
		answer.Token = hex.EncodeToString(b)
		// A copy: the slice of users may grow and move.
		person := *u
		s.userTokens[answer.Token] = &person
	}
	writeJSON(w, answer)
}

func str0(body map[string]any, key string) string {
	v, _ := str(body, key)
	return v
}

func checkUserSearch(body map[string]any, fields []string) string {
	for _, k := range fields {
		if _, ok := str(body, k); !ok {
			return k + " must be a string"
		}
	}
	if day, ok := body["dateNaissance"]; ok && !isoDay.MatchString(day.(string)) {
		return "dateNaissance must be YYYY-MM-DD"
	}
	if nir, ok := body["nir"]; ok && len(nir.(string)) != 15 {
		return "nir must be the full NIR, 15 characters"
	}
	if id, ok := body["numeroFranceTravail"]; ok && len(id.(string)) != francetravail.FTIDLength {
		return "numeroFranceTravail must have 11 characters"
	}
	return ""
}

// rqth is « données RQTH » of the person whose token the search gave.
func (s *Server) rqth(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.RQTHCalls++
	if !s.agentHeaders(w, r) || !s.admit(w, r, francetravail.AgentRealm) {
		return
	}
	u, ok := s.userTokens[r.Header.Get(francetravail.UserTokenHeader)]
	if !ok {
		s.refuse(w, r, francetravail.UserTokenHeader+" is not a token the search gave")
		return
	}
	if u.RQTH == nil {
		writeJSON(w, map[string]any{"dateDebutRqth": nil, "dateFinRqth": nil, "source": nil, "topValiditeRQTH": false})
		return
	}
	writeJSON(w, u.RQTH)
}
