package mail_test

import (
	"strings"
	"testing"

	"emplois/internal/platform/mail"
)

func TestCompose_LaysOutTextPartWithHeaderActionAndFooter(t *testing.T) {
	m := mail.Compose("marie@example.org", "Confirmez votre adresse e-mail", mail.Body{
		Greeting:   "Bonjour Marie,",
		Paragraphs: []string{"Merci pour votre inscription.", "Il reste une étape."},
		Action:     &mail.Action{Label: "Confirmer mon adresse e-mail", URL: "https://emplois.example/accounts/confirm/xyz"},
		After:      []string{"Si vous n'êtes pas à l'origine de cette demande, ignorez ce message."},
	})
	want := "Les emplois de l'inclusion\n\n" +
		"Bonjour Marie,\n\n" +
		"Merci pour votre inscription.\n\n" +
		"Il reste une étape.\n\n" +
		"Confirmer mon adresse e-mail :\nhttps://emplois.example/accounts/confirm/xyz\n\n" +
		"Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n\n" +
		"L'équipe des emplois de l'inclusion\n\n" +
		"-- \nCeci est un message automatique, merci de ne pas y répondre.\n"
	if m.Text != want {
		t.Errorf("text part:\n%s\nwant:\n%s", m.Text, want)
	}
	if m.To != "marie@example.org" || m.Subject != "Confirmez votre adresse e-mail" {
		t.Errorf("to/subject = %q / %q", m.To, m.Subject)
	}
}

func TestCompose_HTMLPartIsAccessibleAndEscapesTheBody(t *testing.T) {
	m := mail.Compose("a@example.org", "Objet <important>", mail.Body{
		Paragraphs: []string{"Ligne 1 <script>alert(1)</script>\nLigne 2"},
		Action:     &mail.Action{Label: "Voir", URL: "javascript:alert(1)"},
	})
	for _, want := range []string{
		`<html lang="fr">`,
		`<title>Objet &lt;important&gt;</title>`,
		"Les emplois de l&#39;inclusion",
		"Bonjour,",
		"Ligne 1 &lt;script&gt;alert(1)&lt;/script&gt;<br>\nLigne 2",
		"Ceci est un message automatique, merci de ne pas y répondre.",
		`href="#ZgotmplZ"`, // html/template refuses a javascript: URL
	} {
		if !strings.Contains(m.HTML, want) {
			t.Errorf("HTML part lacks %q:\n%s", want, m.HTML)
		}
	}
	if strings.Contains(m.HTML, "<script>") {
		t.Error("HTML part carries a script")
	}
}
