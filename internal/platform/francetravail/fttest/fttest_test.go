package fttest

import (
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
		{"agent realm", "/agent", form(func(url.Values) {}), 400, `realm = "/agent"`},
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
	if n := s.Counts(); n.TokensIssued != 1 || n.TokenRequests != 5 {
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
