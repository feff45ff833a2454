package staff_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

const apiTokensPath = "/staff/api-tokens"

// notAuthenticated is the original's 401 body for an unknown key on the département and service
// tokens' endpoints (api.md §1.4).
const notAuthenticated = `{"detail":"Informations d'authentification non fournies."}` + "\n"

// allowedTokens is a staff account holding the permission api_tokens.
func (ss *staffSite) allowedTokens() *account.User {
	ss.T.Helper()
	u := ss.CreateUser(account.Staff, "jetons@inclusion.example", "Jeanne", "Jeton")
	if _, err := ss.Services.Accounts.GrantPermission(context.Background(), u.Email, account.PermAPITokens); err != nil {
		ss.T.Fatal(err)
	}
	return u
}

func (ss *staffSite) tokenCount() int {
	ss.T.Helper()
	n, err := ss.DB.NewSelect().Table("api_token").Count(context.Background())
	if err != nil {
		ss.T.Fatal(err)
	}
	return int(n)
}

var keyRe = regexp.MustCompile(`id="api-token-key" type="text" readonly value="([A-Za-z0-9_-]{43})"`)

// created reads the key of the page shown after a creation, checking it is not cached.
func created(t *testing.T, res *webtest.Response) string {
	t.Helper()
	webtest.WantStatus(t, res, http.StatusOK)
	webtest.WantBody(t, res, "Cette clé ne sera affichée qu", "une seule fois")
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	m := keyRe.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no key on the page:\n%s", res.Body)
	}
	return m[1]
}

func TestAPITokenPages_OnlyStaffWithThePermission(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		c := site.Company(org.GEIQ, "GEIQ du Rhône")
		employer := site.Member(org.TypeCompany, c.ID, "pro@example.org", "Pat", "Pro")
		seeker := site.CreateJobSeeker("seeker@example.org")
		allowed := site.LoginAs(site.allowedTokens())
		key := created(t, allowed.Post(apiTokensPath+"/service/new", url.Values{"service": {"le-marche"}}))
		if site.tokenCount() != 1 {
			t.Fatal("no token made")
		}
		var id string
		if err := d.NewRaw("SELECT CAST(id AS TEXT) FROM api_token").Scan(context.Background(), &id); err != nil {
			t.Fatal(err)
		}
		pages := []string{apiTokensPath, apiTokensPath + "/department/new", apiTokensPath + "/company/new",
			apiTokensPath + "/service/new", apiTokensPath + "/" + id + "/revoke"}
		for _, path := range pages {
			webtest.WantStatus(t, allowed.Get(path), http.StatusOK)
		}
		webtest.WantBody(t, allowed.Get("/staff/"), `href="/staff/api-tokens"`)

		anonymous := site.Browser()
		for _, path := range pages {
			webtest.WantRedirect(t, anonymous.Get(path), "/accounts/login?next="+url.QueryEscape(path))
		}
		refused := map[string]*webtest.Browser{"anonymous": anonymous, "employer": site.LoginAs(employer),
			"job seeker": site.LoginAs(seeker), "staff without the permission": site.LoginAs(site.staff)}
		for who, b := range refused {
			if who != "anonymous" {
				for _, path := range pages {
					if res := b.Get(path); res.StatusCode != http.StatusForbidden {
						t.Errorf("%s GET %s: %d, want 403", who, path, res.StatusCode)
					}
				}
			}
			for _, path := range []string{apiTokensPath + "/service/new", apiTokensPath + "/" + id + "/revoke"} {
				if res := b.Post(path, url.Values{"service": {"dora"}}); res.StatusCode != http.StatusForbidden {
					t.Errorf("%s POST %s: %d, want 403", who, path, res.StatusCode)
				}
			}
		}
		if n := site.tokenCount(); n != 1 {
			t.Errorf("refused posts left %d tokens", n)
		}
		webtest.WantStatus(t, site.Browser().Get("/api/v1/marche/", "Authorization", "Token "+key), http.StatusOK)
		webtest.WantStatus(t, allowed.Get(apiTokensPath+"/user/new"), http.StatusNotFound)
		webtest.WantStatus(t, allowed.Get(apiTokensPath+"/9999/revoke"), http.StatusNotFound)
		webtest.WantStatus(t, allowed.Get(apiTokensPath+"/abc/revoke"), http.StatusNotFound)
	})
}

func TestAPITokens_ServiceKeyShownOnceOpensTheAPIUntilRevoked(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		b := site.LoginAs(site.allowedTokens())
		key := created(t, b.Post(apiTokensPath+"/service/new", url.Values{"service": {"le-marche"}, "label": {"Export du marché"}}))
		api := site.Browser()
		webtest.WantStatus(t, api.Get("/api/v1/marche/", "Authorization", "Token "+key), http.StatusOK)

		list := b.Get(apiTokensPath)
		webtest.WantBody(t, list, "Export du marché", "Le marché de l’inclusion", "…"+key[40:], "par Jeanne Jeton", "Actif")
		webtest.WantNoBody(t, list, key, "Révoqué")
		if strings.Contains(site.Log.String(), key) {
			t.Error("the key is in the logs")
		}

		var id string
		if err := d.NewRaw("SELECT CAST(id AS TEXT) FROM api_token").Scan(context.Background(), &id); err != nil {
			t.Fatal(err)
		}
		revoke := apiTokensPath + "/" + id + "/revoke"
		// A cross-site form cannot revoke it (the site's cross-origin protection).
		req, err := http.NewRequest(http.MethodPost, site.URL+revoke, strings.NewReader(""))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		webtest.WantStatus(t, b.Do(req), http.StatusForbidden)
		webtest.WantStatus(t, api.Get("/api/v1/marche/", "Authorization", "Token "+key), http.StatusOK)
		webtest.WantBody(t, b.Get(revoke), "Révoquer un jeton d&#39;API services PDI", key[40:], `id="api-token-revoke-submit"`)
		webtest.WantStatus(t, api.Get("/api/v1/marche/", "Authorization", "Token "+key), http.StatusOK) // the GET changed nothing
		res := b.Post(revoke, nil)
		webtest.WantRedirect(t, res, apiTokensPath)
		list = b.Get(apiTokensPath)
		webtest.WantBody(t, list, "est révoqué", "Révoqué", "le ", "par Jeanne Jeton")
		webtest.WantNoBody(t, list, `id="api-token-revoke-`+id+`"`)

		res = api.Get("/api/v1/marche/", "Authorization", "Token "+key)
		webtest.WantStatus(t, res, http.StatusUnauthorized)
		if res.Body != notAuthenticated {
			t.Errorf("revoked key: %q, want %q", res.Body, notAuthenticated)
		}
		again := b.Post(revoke, nil)
		webtest.WantStatus(t, again, http.StatusConflict)
		webtest.WantBody(t, again, "déjà révoqué")

		events, err := audit.List(context.Background(), d, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var acts []string
		for _, e := range events {
			if e.ObjectType == "api_token" {
				acts = append(acts, e.Action)
				if strings.Contains(e.Details, key) || e.ActorUserID == nil {
					t.Errorf("audit %s: actor %v, details %s", e.Action, e.ActorUserID, e.Details)
				}
			}
		}
		if strings.Join(acts, " ") != "api_token_revoked api_token_created" {
			t.Errorf("audited: %v", acts)
		}
	})
}

func TestAPITokens_DepartmentTokenSearchesTheCandidaturesUntilRevoked(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		b := site.LoginAs(site.allowedTokens())
		form := b.Get(apiTokensPath + "/department/new")
		webtest.WantBody(t, form, `<option value="59">59 - Nord</option>`, `id="id_label"`)

		// Refused forms change nothing and say why in French.
		res := b.Post(apiTokensPath+"/department/new", url.Values{"department": {"33"}, "label": {""}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "<title>Erreur", "Choisissez un département dans la liste.", "Indiquez un mémo permettant d’identifier l’usage du jeton.")
		res = b.Post(apiTokensPath+"/department/new", url.Values{"department": {"59"}, "label": {strings.Repeat("m", 61)}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Le mémo doit faire au plus 60 caractères.")
		if n := site.tokenCount(); n != 0 {
			t.Fatalf("refused forms made %d tokens", n)
		}

		key := created(t, b.Post(apiTokensPath+"/department/new", url.Values{"department": {"59"}, "label": {"CD du Nord"}}))
		res = b.Post(apiTokensPath+"/department/new", url.Values{"department": {"69"}, "label": {"CD du Nord"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "porte déjà ce mémo")
		webtest.WantBody(t, b.Get(apiTokensPath), "CD du Nord", "Département 59")

		search := func() *webtest.Response {
			req, err := http.NewRequest(http.MethodPost, site.URL+"/api/v1/candidatures/recherche/",
				strings.NewReader(`{"nir": "190017500000042", "nom": "Martin", "prenom": "Julie", "date_naissance": "1990-01-17"}`))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Token "+key)
			return site.Browser().Do(req)
		}
		webtest.WantStatus(t, search(), http.StatusOK)
		var id string
		if err := d.NewRaw("SELECT CAST(id AS TEXT) FROM api_token").Scan(context.Background(), &id); err != nil {
			t.Fatal(err)
		}
		webtest.WantRedirect(t, b.Post(apiTokensPath+"/"+id+"/revoke", nil), apiTokensPath)
		res = search()
		webtest.WantStatus(t, res, http.StatusUnauthorized)
		if res.Body != notAuthenticated {
			t.Errorf("revoked key: %q, want %q", res.Body, notAuthenticated)
		}
	})
}

func TestAPITokens_CompanyTokenByExistingSIRETs(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		c1 := site.Company(org.GEIQ, "GEIQ du Rhône")
		c2 := site.Company(org.GEIQ, "GEIQ de la Loire")
		b := site.LoginAs(site.allowedTokens())
		res := b.Post(apiTokensPath+"/company/new", url.Values{"companies": {c1.SIRET + "\n00000000000000"}, "label": {"Label GEIQ"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Aucune entreprise n’a ce SIRET ou cet identifiant : 00000000000000.")
		if n := site.tokenCount(); n != 0 {
			t.Fatalf("a refused form made %d tokens", n)
		}
		res = b.Post(apiTokensPath+"/company/new", url.Values{"companies": {""}, "label": {"Label GEIQ"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Indiquez au moins une entreprise.")

		key := created(t, b.Post(apiTokensPath+"/company/new", url.Values{"companies": {c1.SIRET + "\r\n" + c2.SIRET + "\r\n"}, "label": {"Label GEIQ"}}))
		webtest.WantBody(t, b.Get(apiTokensPath), "Label GEIQ", "GEIQ du Rhône", "SIRET "+c1.SIRET, "GEIQ de la Loire", `href="/staff/organizations/`+c2.UID+`"`)
		// The GEIQ endpoint is not served yet: the key is checked as the API's gate checks it.
		tok, err := site.Services.Tokens.Authenticate(context.Background(), key)
		if err != nil || len(tok.CompanyIDs) != 2 || !slices.Contains(tok.CompanyIDs, c1.ID) || !slices.Contains(tok.CompanyIDs, c2.ID) {
			t.Errorf("company token: %+v %v", tok, err)
		}
	})
}

func TestAPITokensList_RunsAsManyQueriesForTwoOrTwentyTokens(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		counter := &webtest.QueryCounter{}
		site := newStaffSite(t, &db.DB{DB: d.DB.WithQueryHook(counter), Engine: d.Engine})
		companies := []string{site.Company(org.GEIQ, "GEIQ A").SIRET, site.Company(org.GEIQ, "GEIQ B").SIRET}
		b := site.LoginAs(site.allowedTokens())
		create := func(i int) {
			created(t, b.Post(apiTokensPath+"/service/new", url.Values{"service": {"dora"}}))
			created(t, b.Post(apiTokensPath+"/company/new", url.Values{"companies": {strings.Join(companies, "\n")}, "label": {fmt.Sprint("GEIQ ", i)}}))
		}
		count := func() int64 {
			before := counter.Count()
			webtest.WantStatus(t, b.Get(apiTokensPath), http.StatusOK)
			return counter.Count() - before
		}
		create(0)
		count() // warm the session
		small := count()
		for i := 1; i < 10; i++ {
			create(i)
		}
		if big := count(); big != small {
			t.Errorf("list: %d queries for 2 tokens, %d for 20", small, big)
		}
	})
}
