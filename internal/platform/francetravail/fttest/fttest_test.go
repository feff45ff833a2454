package fttest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"emplois/internal/platform/francetravail"
)

// The server is the contract the client is tested against: it must refuse what France Travail
// would refuse.
func TestServer_RefusesTokenRequestsAndCallsOutsideTheContract(t *testing.T) {
	s := New()
	defer s.Close()
	form := func(change func(url.Values)) url.Values {
		v := url.Values{"client_id": {ClientID}, "client_secret": {ClientSecret}, "grant_type": {"client_credentials"},
			"scope": {"application_" + ClientID + " " + francetravail.PartnerScopes}}
		change(v)
		return v
	}
	for _, tc := range []struct {
		name    string
		realm   string
		form    url.Values
		status  int
		problem string
	}{
		{"the contract", "/partenaire", form(func(url.Values) {}), 200, ""},
		{"the agent contract", "/agent", form(func(v url.Values) { v.Set("scope", "application_"+ClientID+" "+francetravail.AgentScopes) }), 200, ""},
		{"agent realm with the partner scopes", "/agent", form(func(url.Values) {}), 400, "form field scope"},
		{"other realm", "/individu", form(func(url.Values) {}), 400, `realm = "/individu"`},
		{"scope without the application", "/partenaire", form(func(v url.Values) { v.Set("scope", francetravail.PartnerScopes) }), 400, "form field scope"},
		{"other grant", "/partenaire", form(func(v url.Values) { v.Set("grant_type", "password") }), 400, "form field grant_type"},
		{"extra field", "/partenaire", form(func(v url.Values) { v.Set("username", "x") }), 400, "5 form fields, want 4"},
	} {
		res, err := http.PostForm(s.URL+francetravail.TokenPath+"?realm="+url.QueryEscape(tc.realm), tc.form)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, res.StatusCode, tc.status)
		}
		if p := strings.Join(s.Problems(), "; "); tc.problem != "" && !strings.Contains(p, tc.problem) {
			t.Errorf("%s: problems %q, want %q", tc.name, p, tc.problem)
		}
	}
	if n := s.Counts(); n.TokensIssued != 2 || n.TokenRequests != 7 {
		t.Errorf("counts = %+v", n)
	}
	req, _ := http.NewRequest(http.MethodGet, s.URL+francetravail.AgenciesPath, nil)
	req.Header.Set("Authorization", "Bearer not-a-token-it-gave")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized || s.Counts().Unauthorized != 1 {
		t.Errorf("unknown bearer: %d, %+v", res.StatusCode, s.Counts())
	}
}

// agentToken asks the server for a token of realm, as the client does.
func agentToken(t *testing.T, s *Server, realm, scopes string) string {
	t.Helper()
	res, err := http.PostForm(s.URL+francetravail.TokenPath+"?realm="+url.QueryEscape(realm), url.Values{"client_id": {ClientID},
		"client_secret": {ClientSecret}, "grant_type": {"client_credentials"}, "scope": {"application_" + ClientID + " " + scopes}})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var a struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&a); err != nil || a.AccessToken == "" {
		t.Fatalf("token of %s: %v %v", realm, res.Status, err)
	}
	return a.AccessToken
}

// The agent API answers 302 to a call missing a pa-* header and 401 to one with an empty value
// (asp.md §7.2), and refuses a partner token, an unknown user token and a body off the contract.
func TestServer_AgentAPIRefusesCallsOutsideTheContract(t *testing.T) {
	s := New()
	defer s.Close()
	s.AddUser(User{FTID: "12345678901", RQTH: RQTHValid("2020-01-01", francetravail.OpenEnd)})
	agent := agentToken(t, s, francetravail.AgentRealm, francetravail.AgentScopes)
	partner := agentToken(t, s, francetravail.PartnerRealm, francetravail.PartnerScopes)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	call := func(method, path, bearer, body string, headers map[string]string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, s.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+bearer)
		req.Header.Set("Content-Type", "application/json")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		res, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	with := func(change func(map[string]string)) map[string]string {
		h := map[string]string{}
		for k, v := range francetravail.AgentHeaders {
			h[k] = v
		}
		change(h)
		return h
	}
	byID := `{"numeroFranceTravail":"12345678901"}`
	for _, tc := range []struct {
		name, path, bearer, body string
		headers                  map[string]string
		status                   int
		problem                  string
	}{
		{"no pa-nom-agent", francetravail.UserByFTIDPath, agent, byID, with(func(h map[string]string) { delete(h, "pa-nom-agent") }), 302, "header pa-nom-agent missing"},
		{"no headers at all", francetravail.RQTHPath, agent, "", nil, 302, "missing"},
		{"empty pa-identifiant-agent", francetravail.UserByFTIDPath, agent, byID, with(func(h map[string]string) { h["pa-identifiant-agent"] = "" }), 401, "header pa-identifiant-agent empty"},
		{"partner token", francetravail.UserByFTIDPath, partner, byID, with(func(map[string]string) {}), 401, "Authorization"},
		{"short identifier", francetravail.UserByFTIDPath, agent, `{"numeroFranceTravail":"1234567A"}`, with(func(map[string]string) {}), 400, "11 characters"},
		{"NIR without its key", francetravail.UserByNIRPath, agent, `{"nir":"2900575123456","dateNaissance":"1990-05-07"}`, with(func(map[string]string) {}), 400, "15 characters"},
		{"day in French", francetravail.UserByNIRPath, agent, `{"nir":"290057512345678","dateNaissance":"07/05/1990"}`, with(func(map[string]string) {}), 400, "YYYY-MM-DD"},
		{"unknown user token", francetravail.RQTHPath, agent, "", with(func(h map[string]string) { h[francetravail.UserTokenHeader] = "forged" }), 400, "ft-jeton-usager"},
		{"the contract", francetravail.UserByFTIDPath, agent, byID, with(func(map[string]string) {}), 200, ""},
	} {
		before := len(s.Problems())
		method := http.MethodPost
		if tc.path == francetravail.RQTHPath {
			method = http.MethodGet
		}
		res := call(method, tc.path, tc.bearer, tc.body, tc.headers)
		if res.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, res.StatusCode, tc.status)
		}
		problems := strings.Join(s.Problems()[min(before, len(s.Problems())):], "; ")
		if tc.problem == "" && problems != "" || !strings.Contains(problems, tc.problem) {
			t.Errorf("%s: problems %q, want %q", tc.name, problems, tc.problem)
		}
	}
	if n := s.Counts().MissingAgentHeaders; n != 3 {
		t.Errorf("%d calls refused for their headers; want 3", n)
	}
}
