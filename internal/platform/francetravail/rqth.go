package francetravail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The agent API's calls that certify the TH criterion (asp.md §7.2): « rechercher usager »
// gives a token of the person, with which « données RQTH » gives their recognition as a
// disabled worker.
const (
	UserByNIRPath  = "/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
	UserByFTIDPath = "/rechercher-usager/v2/usagers/par-numero-francetravail"
	RQTHPath       = "/donnees-rqth/v1/rqth"
)

// AgentHeaders are sent on every call of the agent API. France Travail requires them (302
// without, 401 when empty) but does not read their values: these are the placeholders of its
// documentation (asp.md §7.2).
var AgentHeaders = map[string]string{
	"pa-nom-agent":         "<string>",
	"pa-prenom-agent":      "<string>",
	"pa-identifiant-agent": "<string>",
}

// UserTokenHeader carries the person's token on the per-user calls.
const UserTokenHeader = "ft-jeton-usager"

// FTIDLength is the length of the France Travail identifier « rechercher usager » takes.
const FTIDLength = 11

// Return codes of « rechercher usager ».
const (
	UserFound    = "S001"
	UserNotFound = "S002"
	UsersSeveral = "S003"
)

// OpenEnd is the end date France Travail gives a recognition without end.
const OpenEnd = "9999-12-31"

// UserQuery is what « rechercher usager » looks a person up by: the NIR with the birth date,
// else the France Travail identifier.
type UserQuery struct {
	NIR       string // the full NIR, key included
	Birthdate *time.Time
	FTID      string
}

// ByNIR reports whether the query goes by NIR and birth date.
func (q UserQuery) ByNIR() bool { return q.NIR != "" && q.Birthdate != nil }

// Searchable reports whether the query has what one of the two searches needs.
func (q UserQuery) Searchable() bool { return q.ByNIR() || len(q.FTID) == FTIDLength }

// UserOutcome is what a search says of the person.
type UserOutcome int

const (
	// UserCertified: found, identity certified; the answer's Token reads their data.
	UserCertified UserOutcome = iota + 1
	// UserNotCertified: found, but France Travail has not certified their identity.
	UserNotCertified
	// UserUnknown: nobody (S002).
	UserUnknown
	// UserAmbiguous: several people (S003).
	UserAmbiguous
)

// UserAnswer is France Travail's answer to a search.
type UserAnswer struct {
	Code      string `json:"codeRetour"`
	Message   string `json:"message"`
	Token     string `json:"jetonUsager"`
	Certified string `json:"topIdentiteCertifiee"` // "O" when certified
}

// Outcome reads the answer's code; false for a code outside the contract.
func (a UserAnswer) Outcome() (UserOutcome, bool) {
	switch a.Code {
	case UserFound:
		if a.Certified == "O" && a.Token != "" {
			return UserCertified, true
		}
		return UserNotCertified, true
	case UserNotFound:
		return UserUnknown, true
	case UsersSeveral:
		return UserAmbiguous, true
	}
	return 0, false
}

// SearchUser is « rechercher usager » (asp.md §7.2), by NIR and birth date when q has both,
// else by France Travail identifier. The R codes come with an error status: like every failure
// they are a retryable *Error, and so is an answer of another code than S001–S003.
func (c *Client) SearchUser(ctx context.Context, q UserQuery) (UserOutcome, UserAnswer, error) {
	path, body := UserByFTIDPath, map[string]string{"numeroFranceTravail": q.FTID}
	switch {
	case q.ByNIR():
		path, body = UserByNIRPath, map[string]string{"dateNaissance": q.Birthdate.Format(time.DateOnly), "nir": q.NIR}
	case !q.Searchable():
		return 0, UserAnswer{}, errors.New("francetravail: rechercher usager: neither NIR with birth date nor identifier")
	}
	var a UserAnswer
	if _, err := c.send(ctx, c.agent, AgentHeaders, http.MethodPost, path, body, &a); err != nil {
		return 0, a, err
	}
	outcome, ok := a.Outcome()
	if !ok {
		return 0, a, &Error{Kind: BadAnswer, Path: path, Status: http.StatusOK,
			Err: fmt.Errorf("return code %q", a.Code)}
	}
	return outcome, a, nil
}

// RQTH is the person's recognition as a disabled worker (« reconnaissance de la qualité de
// travailleur handicapé »).
type RQTH struct {
	Valid bool
	// From and Until bound a valid recognition, both days included; Until nil: without end.
	From, Until *time.Time
	// Body is the answer as France Travail gave it, kept with the certification.
	Body json.RawMessage
}

type rqthAnswer struct {
	From   string `json:"dateDebutRqth"`
	Until  string `json:"dateFinRqth"`
	Source string `json:"source"`
	Valid  bool   `json:"topValiditeRQTH"`
}

// RQTH is « données RQTH » of the person whose token a certified search gave (asp.md §7.2):
// a valid recognition has its period, its end 9999-12-31 read as no end.
func (c *Client) RQTH(ctx context.Context, userToken string) (RQTH, error) {
	headers := map[string]string{UserTokenHeader: userToken}
	for k, v := range AgentHeaders {
		headers[k] = v
	}
	var body json.RawMessage
	if _, err := c.send(ctx, c.agent, headers, http.MethodGet, RQTHPath, nil, &body); err != nil {
		return RQTH{}, err
	}
	var a rqthAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return RQTH{}, &Error{Kind: BadAnswer, Path: RQTHPath, Status: http.StatusOK, Err: err}
	}
	out := RQTH{Valid: a.Valid, Body: body}
	if !a.Valid {
		return out, nil
	}
	from, err := day(a.From)
	if err != nil {
		return RQTH{}, &Error{Kind: BadAnswer, Path: RQTHPath, Status: http.StatusOK, Err: fmt.Errorf("dateDebutRqth: %w", err)}
	}
	out.From = &from
	if a.Until != "" && !strings.HasPrefix(a.Until, OpenEnd) {
		until, err := day(a.Until)
		if err != nil {
			return RQTH{}, &Error{Kind: BadAnswer, Path: RQTHPath, Status: http.StatusOK, Err: fmt.Errorf("dateFinRqth: %w", err)}
		}
		out.Until = &until
	}
	return out, nil
}

// day reads a date of the API: YYYY-MM-DD, possibly followed by a time.
func day(s string) (time.Time, error) {
	if len(s) > len(time.DateOnly) {
		s = s[:len(time.DateOnly)]
	}
	return time.Parse(time.DateOnly, s)
}
