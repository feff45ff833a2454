package dev_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/mail"
	"emplois/internal/reference"
	"emplois/internal/web/webtest"
)

// devMode sets the explicit development mode (EMPLOIS_DEV).
func devMode(on bool) func(*config.Config) { return func(c *config.Config) { c.Dev = on } }

func get(t *testing.T, b *webtest.Browser, path string) (*webtest.Response, string) {
	t.Helper()
	res := b.Get(path)
	return res, res.Body
}

func enqueueDevMail(t *testing.T, d *db.DB) int64 {
	t.Helper()
	ctx := context.Background()
	m := mail.Compose("marie.curie@example.org", "Confirmez votre adresse e-mail", mail.Body{
		Paragraphs: []string{"Bienvenue <b>Marie</b>."},
		Action:     &mail.Action{Label: "Confirmer", URL: "https://emplois.example/accounts/confirm/k3y?a=1&b=2"},
	})
	if err := mail.Enqueue(ctx, d, m); err != nil {
		t.Fatal(err)
	}
	rows, err := mail.ListRecent(ctx, d, 1)
	if err != nil || len(rows) != 1 {
		t.Fatalf("ListRecent = %v, %v", rows, err)
	}
	return rows[0].ID
}

func TestDevMails_AreAbsentOutsideDevMode(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	id := enqueueDevMail(t, d)
	site := webtest.New(t, d, devMode(false))
	s := site.Browser()
	for _, path := range []string{"/dev/mails", fmt.Sprintf("/dev/mails/%d", id), fmt.Sprintf("/dev/mails/%d/html", id)} {
		if resp, page := get(t, s, path); resp.StatusCode != http.StatusNotFound || strings.Contains(page, "marie.curie") {
			t.Errorf("GET %s = %d; want 404 without the mail", path, resp.StatusCode)
		}
	}
	for _, r := range site.Server.Routes() {
		if strings.Contains(r.Pattern, "/dev/") {
			t.Errorf("route %s registered outside dev mode", r.Pattern)
		}
	}
}

func TestDevMails_ListsOutboxNewestFirst(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		first := enqueueDevMail(t, d)
		if err := mail.Enqueue(context.Background(), d, mail.Message{To: "paul@example.org", Subject: "Deuxième e-mail", Text: "Texte"}); err != nil {
			t.Fatal(err)
		}
		resp, page := get(t, webtest.New(t, d, devMode(true)).Browser(), "/dev/mails")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		for _, want := range []string{
			"<h1>Boîte d'envoi</h1>", "<th scope=\"col\">Destinataire</th>", "marie.curie@example.org",
			fmt.Sprintf(`<a href="/dev/mails/%d">Confirmez votre adresse e-mail</a>`, first), "En attente d&#39;envoi",
		} {
			if !strings.Contains(page, want) {
				t.Errorf("list lacks %q", want)
			}
		}
		if strings.Index(page, "Deuxième e-mail") > strings.Index(page, "Confirmez votre adresse") {
			t.Error("the newest mail is not listed first")
		}
	})
}

func TestDevMails_ShowsHeadersTextWithLinksAndSandboxedHTML(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		id := enqueueDevMail(t, d)
		s := webtest.New(t, d, devMode(true)).Browser()
		resp, page := get(t, s, fmt.Sprintf("/dev/mails/%d", id))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		for _, want := range []string{
			"<h1>Confirmez votre adresse e-mail</h1>",
			"<dt>Destinataire</dt><dd>marie.curie@example.org</dd>",
			"Bienvenue &lt;b&gt;Marie&lt;/b&gt;.", // text part escaped
			`<a href="https://emplois.example/accounts/confirm/k3y?a=1&amp;b=2">https://emplois.example/accounts/confirm/k3y?a=1&amp;b=2</a>`,
			fmt.Sprintf(`<iframe src="/dev/mails/%d/html" title="Aperçu de la version HTML de l'e-mail" sandbox`, id),
			"&lt;html lang=&#34;fr&#34;&gt;", // HTML source shown escaped
		} {
			if !strings.Contains(page, want) {
				t.Errorf("detail lacks %q", want)
			}
		}
		if strings.Contains(page, "<b>Marie</b>") {
			t.Error("the mail's HTML is rendered unescaped in the page")
		}

		resp, raw := get(t, s, fmt.Sprintf("/dev/mails/%d/html", id))
		csp := resp.Header.Get("Content-Security-Policy")
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(csp, "sandbox;") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("html part: status %d, CSP %q; want 200 under a sandbox policy", resp.StatusCode, csp)
		}
		if !strings.Contains(raw, `<html lang="fr">`) {
			t.Errorf("html part body = %q", raw)
		}
	})
}

func TestDevMails_AnswersNotFoundForUnknownMail(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	s := webtest.New(t, d, devMode(true)).Browser()
	for _, path := range []string{"/dev/mails/999", "/dev/mails/abc", "/dev/mails/999/html"} {
		if resp, _ := get(t, s, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d; want 404", path, resp.StatusCode)
		}
	}
}

func TestBenchReference_IsAbsentUnlessTheSettingIsOn(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		if err := reference.LoadDemo(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		off := webtest.New(t, d).Browser().Get("/bench/reference")
		if off.StatusCode != http.StatusNotFound {
			t.Errorf("without EMPLOIS_BENCH_ROUTES: HTTP %d, want 404", off.StatusCode)
		}
		on := webtest.New(t, d, func(c *config.Config) { c.BenchRoutes = true }).Browser()
		res := on.Get("/bench/reference")
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "<h1>Lyon</h1>") || !strings.Contains(res.Body, "519127 habitants") {
			t.Errorf("reference page: HTTP %d\n%s", res.StatusCode, res.Body)
		}
		if res := on.Get("/bench/reference?code=99999"); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown commune: HTTP %d, want 404", res.StatusCode)
		}
	})
}
