package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

// postAPI sends body to the API as a partner's client does (no Origin, no cookie), from clientIP.
func postAPI(b *webtest.Browser, site *webtest.Site, path, contentType, body, clientIP string) *webtest.Response {
	req, _ := http.NewRequest(http.MethodPost, site.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if clientIP != "" {
		req.Header.Set("X-Forwarded-For", clientIP)
	}
	return b.Do(req)
}

func tokenOf(t *testing.T, res *webtest.Response) string {
	t.Helper()
	var body struct{ Token string }
	if res.StatusCode != http.StatusOK || json.Unmarshal([]byte(res.Body), &body) != nil {
		t.Fatalf("%d %s", res.StatusCode, res.Body)
	}
	return body.Token
}

func TestTokenAuth_GivesAPasswordAccountTheSameTokenAtEveryCall(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newAPISite(t, d)
		co := site.Company(org.ACI, "Jardins de Lyon")
		u := site.EmployerOf(co, "admin@example.org")
		b := site.Browser()
		credentials := `{"username": "admin@example.org", "password": "` + webtest.Password + `"}`
		key := tokenOf(t, postAPI(b, site, "/api/v1/token-auth/", "application/json", credentials, ""))
		if len(key) != 40 || strings.Trim(key, "0123456789abcdef") != "" {
			t.Fatalf("key %q", key)
		}
		form := url.Values{"username": {"admin@example.org"}, "password": {webtest.Password}}.Encode()
		if again := tokenOf(t, postAPI(b, site, "/api/v1/token-auth/", "application/x-www-form-urlencoded", form, "")); again != key {
			t.Errorf("second call: %q, want the same key", again)
		}
		var rows int
		d.NewRaw("SELECT COUNT(*) FROM api_token WHERE user_id = ?", u.ID).Scan(context.Background(), &rows)
		if rows != 1 || len(site.Mails()) != 0 {
			t.Errorf("%d tokens, %d mails", rows, len(site.Mails()))
		}
		// __token__ checks a key and answers it again; the key opens the API.
		check := `{"username": "__token__", "password": "` + key + `"}`
		if echo := tokenOf(t, postAPI(b, site, "/api/v1/token-auth/", "application/json", check, "")); echo != key {
			t.Errorf("__token__: %q", echo)
		}
		if res := b.Get("/api/v1/siaes/?departement=69", "Authorization", "Token "+key); res.StatusCode != http.StatusOK {
			t.Errorf("siaes with the key: %d %s", res.StatusCode, res.Body)
		}
		if strings.Contains(site.Log.String(), key) {
			t.Error("the key is in the logs")
		}
		if !strings.Contains(site.Log.String(), "token=UserToken-") {
			t.Errorf("the API call is not logged with its token:\n%s", site.Log.String())
		}
	})
}

func TestTokenAuth_RefusesWithTheOriginalsBodies(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newAPISite(t, d, func(c *config.Config) { c.TrustedProxies = []string{"127.0.0.1", "::1"} })
		site.CreateUser(account.Staff, "staff@example.org", "Sam", "Support")
		pc := site.CreateUser(account.Professional, "pro@example.org", "Paula", "Connect")
		if _, err := d.NewRaw("UPDATE users SET identity_provider = 'PC' WHERE id = ?", pc.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		site.CreateJobSeeker("candidate@example.org")
		b := site.Browser()
		const json_ = "application/json"
		for i, c := range []struct {
			name, contentType, body string
			status                  int
			want                    string
		}{
			{"nothing", json_, `{}`, 400, `{"username":["Ce champ est obligatoire."],"password":["Ce champ est obligatoire."]}`},
			{"blank", "application/x-www-form-urlencoded", "username=+&password=", 400, `{"username":["Ce champ ne peut être vide."],"password":["Ce champ ne peut être vide."]}`},
			{"wrong password", json_, `{"username":"candidate@example.org","password":"nope"}`, 400,
				`{"non_field_errors":["Impossible de se connecter avec les informations d'identification fournies."]}`},
			{"ProConnect account", json_, `{"username":"pro@example.org","password":"` + webtest.Password + `"}`, 400,
				`{"non_field_errors":["Ce compte ne peut pas se connecter avec un username et mot de passe."]}`},
			{"staff account (api.md §10 Q9)", json_, `{"username":"staff@example.org","password":"` + webtest.Password + `"}`, 400,
				`{"non_field_errors":["Impossible de se connecter avec les informations d'identification fournies."]}`},
			{"unknown key", json_, `{"username":"__token__","password":"0123456789abcdef0123456789abcdef01234567"}`, 400,
				`["Impossible de se connecter avec le token fourni."]`},
			{"__token__ without password", json_, `{"username":"__token__"}`, 400, `["Impossible de se connecter avec le token fourni."]`},
			{"not JSON", json_, `{"username":`, 400, `{"detail":"Erreur d'analyse JSON - unexpected EOF"}`},
		} {
			// Each from its own address: token-auth is limited per address.
			res := postAPI(b, site, "/api/v1/token-auth/", c.contentType, c.body, "198.51.100."+string(rune('1'+i)))
			if res.StatusCode != c.status || res.Body != c.want+"\n" {
				t.Errorf("%s: %d %s\nwant %d %s", c.name, res.StatusCode, res.Body, c.status, c.want)
			}
		}
		if strings.Contains(site.Log.String(), "0123456789abcdef0123456789abcdef01234567") ||
			!strings.Contains(site.Log.String(), "unknown token received (len=40)") || !strings.Contains(site.Log.String(), "(len=None)") {
			t.Errorf("logs:\n%s", site.Log.String())
		}
		if res := b.Get("/api/v1/token-auth/"); res.StatusCode != http.StatusMethodNotAllowed ||
			res.Body != `{"detail":"Méthode « GET » non autorisée."}`+"\n" {
			t.Errorf("GET: %d %s", res.StatusCode, res.Body)
		}
		var rows int
		d.NewRaw("SELECT COUNT(*) FROM api_token").Scan(context.Background(), &rows)
		if rows != 0 {
			t.Errorf("%d tokens after refusals", rows)
		}
	})
}

// api.md §10 Q9: the original has no limit; the rebuild allows 12 calls a minute per address.
func TestTokenAuth_LimitsEachAddress(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newAPISite(t, d, func(c *config.Config) { c.TrustedProxies = []string{"127.0.0.1", "::1"} })
		b := site.Browser()
		var last *webtest.Response
		for range 13 {
			last = postAPI(b, site, "/api/v1/token-auth/", "application/json", `{"username":"__token__"}`, "203.0.113.9")
		}
		if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" ||
			!strings.HasPrefix(last.Body, `{"detail":"Requête ralentie. Disponible à nouveau dans `) {
			t.Errorf("13th call: %d %s", last.StatusCode, last.Body)
		}
		if res := postAPI(b, site, "/api/v1/token-auth/", "application/json", `{"username":"__token__"}`, "203.0.113.10"); res.StatusCode != http.StatusBadRequest {
			t.Errorf("another address: %d", res.StatusCode)
		}
	})
}
