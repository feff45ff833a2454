// Package apiparticulier asks API Particulier whether a person receives the RSA, the AAH or the
// allocation de soutien familial (asp.md §7.1), to certify the administrative criteria of an
// eligibility diagnosis (approvals.md §2.5).
//
// The query string carries the person's identity: it is never logged, and neither is the token.
package apiparticulier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultBaseURL is API Particulier's production address.
const DefaultBaseURL = "https://particulier.api.gouv.fr/api/"

// Recipient is the SIRET of the platform, sent with every call as the recipient of the data.
const Recipient = "13003013300016"

// Benefit is an allowance API Particulier certifies, named by its endpoint.
type Benefit string

const (
	RSA Benefit = "revenu_solidarite_active"
	AAH Benefit = "allocation_adulte_handicape"
	// ASF, the allocation de soutien familial, certifies the criterion « Parent isolé » (PI).
	ASF Benefit = "allocation_soutien_familial"
)

// Path is the endpoint of the benefit, relative to the base URL.
func (b Benefit) Path() string { return "v3/dss/" + string(b) + "/identite" }

// France is the INSEE code of France as a birth country.
const France = "99100"

// Identity is what API Particulier needs to find a person.
type Identity struct {
	LastName     string
	FirstNames   string // space-separated
	Title        string // "M" or "MME"
	Birthdate    time.Time
	BirthCountry string // INSEE code "99" + 3 digits
	BirthCommune string // INSEE code, required when born in France
}

// Complete reports whether the identity has every field the call needs (asp.md §7.1); an
// incomplete one is not sent.
func (id Identity) Complete() bool {
	return strings.TrimSpace(id.LastName) != "" && strings.TrimSpace(id.FirstNames) != "" &&
		(id.Title == "M" || id.Title == "MME") && !id.Birthdate.IsZero() && id.BirthCountry != "" &&
		(id.BirthCountry != France || id.BirthCommune != "")
}

// Query is the query string of a call for this identity.
func (id Identity) Query() url.Values {
	q := url.Values{}
	q.Set("recipient", Recipient)
	q.Set("nomNaissance", strings.ToUpper(strings.TrimSpace(id.LastName)))
	for _, name := range strings.Fields(id.FirstNames) {
		q.Add("prenoms[]", strings.ToUpper(name))
	}
	q.Set("anneeDateNaissance", strconv.Itoa(id.Birthdate.Year()))
	q.Set("moisDateNaissance", strconv.Itoa(int(id.Birthdate.Month())))
	q.Set("jourDateNaissance", strconv.Itoa(id.Birthdate.Day()))
	q.Set("codeCogInseePaysNaissance", id.BirthCountry)
	q.Set("sexeEtatCivil", map[string]string{"M": "M", "MME": "F"}[id.Title])
	if id.BirthCountry == France {
		q.Set("codeCogInseeCommuneNaissance", id.BirthCommune)
	}
	return q
}

// Answer is a definitive answer about one benefit.
type Answer struct {
	// Found is false when API Particulier does not know the person (404 or 422 with its error
	// body): the criterion is then marked as checked without a period.
	Found bool
	// Beneficiary: the person receives the benefit since Since (open-ended).
	Beneficiary bool
	Since       *time.Time
	// Body is the JSON answered, kept with the criterion.
	Body json.RawMessage
}

// RetryError is an answer that says to ask again later: After is the delay to wait.
type RetryError struct {
	Status int // 0: the call did not reach the API
	After  time.Duration
	Detail string
}

func (e *RetryError) Error() string {
	if e.Status == 0 {
		return "API Particulier: " + e.Detail
	}
	return fmt.Sprintf("API Particulier: HTTP %d: %s", e.Status, e.Detail)
}

// ErrProviderDown is a 502 whose provider code says the data source is down for good (37999,
// 36999): logged, not retried (approvals.md §2.5).
var ErrProviderDown = errors.New("API Particulier: the data provider is unavailable (502)")

// Delays of approvals.md §2.5.
const (
	ConflictDelay   = time.Minute // 409: the same request is already running
	DefaultDelay    = time.Minute // 429 without a usable Retry-After
	TransientDelay  = 12 * time.Hour
	requestTimeout  = 30 * time.Second
	maxAnswerLength = 1 << 20
)

// Client calls API Particulier.
type Client struct {
	BaseURL string // ends with a slash
	Token   string
	HTTP    *http.Client
}

// New returns a client of the API at baseURL (DefaultBaseURL when empty).
func New(baseURL, token string) *Client {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	if !strings.HasSuffix(baseURL, "/") {
		baseURL += "/"
	}
	return &Client{BaseURL: baseURL, Token: token, HTTP: &http.Client{Timeout: requestTimeout}}
}

// errorBody is the error answer of API Particulier.
type errorBody struct {
	Errors []struct {
		Code string `json:"code"`
	} `json:"errors"`
}

// Check asks whether the person of id receives benefit b. A *RetryError says when to ask again;
// ErrProviderDown that asking again is pointless.
func (c *Client) Check(ctx context.Context, b Benefit, id Identity) (Answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+b.Path()+"?"+id.Query().Encode(), nil)
	if err != nil {
		return Answer{}, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("Accept", "application/json")
	res, err := c.HTTP.Do(req)
	if err != nil {
		// The error of net/http quotes the URL, hence the identity: keep only its kind.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return Answer{}, &RetryError{After: TransientDelay, Detail: err.Error()}
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxAnswerLength))
	if err != nil {
		return Answer{}, &RetryError{Status: res.StatusCode, After: TransientDelay, Detail: "answer unreadable"}
	}
	return interpret(res.StatusCode, res.Header.Get("Retry-After"), body)
}

// interpret turns an HTTP answer into an Answer or an error (approvals.md §2.5, asp.md §7.1).
func interpret(status int, retryAfter string, body []byte) (Answer, error) {
	var errs errorBody
	hasErrors := json.Unmarshal(body, &errs) == nil && len(errs.Errors) > 0
	switch {
	case status == http.StatusOK:
		var ok struct {
			Data struct {
				Beneficiary *bool   `json:"est_beneficiaire"`
				Since       *string `json:"date_debut_droit"`
			} `json:"data"`
		}
		if err := json.Unmarshal(body, &ok); err != nil || ok.Data.Beneficiary == nil {
			return Answer{}, &RetryError{Status: status, After: TransientDelay, Detail: "answer without data.est_beneficiaire"}
		}
		a := Answer{Found: true, Beneficiary: *ok.Data.Beneficiary, Body: json.RawMessage(body)}
		if a.Beneficiary && ok.Data.Since != nil {
			since, err := time.Parse(time.DateOnly, *ok.Data.Since)
			if err != nil {
				return Answer{}, &RetryError{Status: status, After: TransientDelay, Detail: "date_debut_droit is not a date"}
			}
			a.Since = &since
		}
		return a, nil
	case (status == http.StatusNotFound || status == http.StatusUnprocessableEntity) && hasErrors:
		return Answer{Found: false, Body: json.RawMessage(body)}, nil
	case status == http.StatusConflict:
		return Answer{}, &RetryError{Status: status, After: ConflictDelay, Detail: "a request for this person is already running"}
	case status == http.StatusTooManyRequests:
		after := DefaultDelay
		if s, err := strconv.Atoi(strings.TrimSpace(retryAfter)); err == nil && s > 0 {
			after = time.Duration(s) * time.Second
		}
		return Answer{}, &RetryError{Status: status, After: after, Detail: "rate limited"}
	case status == http.StatusBadGateway && hasErrors:
		for _, e := range errs.Errors {
			if e.Code == "37999" || e.Code == "36999" {
				return Answer{}, ErrProviderDown
			}
		}
	}
	return Answer{}, &RetryError{Status: status, After: TransientDelay, Detail: http.StatusText(status)}
}
