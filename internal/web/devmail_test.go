package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"emplois/internal/app"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/mail"
)

func newDevMailServer(t *testing.T, d *db.DB, dev string) *Server {
	t.Helper()
	env := map[string]string{"EMPLOIS_DEV": dev}
	cfg, err := config.Load(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	svc, err := app.New(context.Background(), cfg, d, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(svc)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func devMailGet(t *testing.T, s *Server, target string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Result(), string(b)
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
	s := newDevMailServer(t, d, "false")
	for _, path := range []string{"/dev/mails", fmt.Sprintf("/dev/mails/%d", id), fmt.Sprintf("/dev/mails/%d/html", id)} {
		if resp, page := devMailGet(t, s, path); resp.StatusCode != http.StatusNotFound || strings.Contains(page, "marie.curie") {
			t.Errorf("GET %s = %d; want 404 without the mail", path, resp.StatusCode)
		}
	}
	for _, r := range s.Routes() {
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
		resp, page := devMailGet(t, newDevMailServer(t, d, "true"), "/dev/mails")
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
		s := newDevMailServer(t, d, "true")
		resp, page := devMailGet(t, s, fmt.Sprintf("/dev/mails/%d", id))
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

		resp, raw := devMailGet(t, s, fmt.Sprintf("/dev/mails/%d/html", id))
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
	s := newDevMailServer(t, d, "true")
	for _, path := range []string{"/dev/mails/999", "/dev/mails/abc", "/dev/mails/999/html"} {
		if resp, _ := devMailGet(t, s, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d; want 404", path, resp.StatusCode)
		}
	}
}

func TestLinkify_KeepsSentencePunctuationOutOfURLs(t *testing.T) {
	got := linkify("Voir https://a.example/x?y=1. Puis (https://b.example/z).")
	want := []textSegment{{Text: "Voir "}, {URL: "https://a.example/x?y=1"}, {Text: ". Puis ("}, {URL: "https://b.example/z"}, {Text: ")."}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("linkify = %v; want %v", got, want)
	}
}
