package account

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	texttemplate "text/template"

	"emplois/internal/platform/mail"
)

// accountMail is one e-mail of this package: a French subject, a text body and an HTML body
// written from the same data. The link is always on a line of its own in the text part.
type accountMail struct {
	subject string
	text    *texttemplate.Template
	html    *htmltemplate.Template
}

type mailData struct {
	Name string
	Link string
	// Creator names the professional who created the account (proxy mail only).
	Creator string
}

func newAccountMail(subject, text, html string) accountMail {
	return accountMail{
		subject: subject,
		text:    texttemplate.Must(texttemplate.New("text").Parse(text)),
		html:    htmltemplate.Must(htmltemplate.New("html").Parse(html)),
	}
}

func (m accountMail) message(to string, data mailData) (mail.Message, error) {
	var text, html bytes.Buffer
	if err := m.text.Execute(&text, data); err != nil {
		return mail.Message{}, fmt.Errorf("account: mail text: %w", err)
	}
	if err := m.html.Execute(&html, data); err != nil {
		return mail.Message{}, fmt.Errorf("account: mail html: %w", err)
	}
	return mail.Message{To: to, Subject: m.subject, Text: text.String(), HTML: html.String()}, nil
}

const mailSignature = "L'équipe des emplois de l'inclusion"

var verificationMail = newAccountMail(
	"Confirmez votre adresse e-mail",
	`Bonjour {{.Name}},

Vous venez de créer votre compte candidat sur les emplois de l'inclusion.
Pour l'activer, confirmez votre adresse e-mail en ouvrant ce lien :

{{.Link}}

Ce lien est valable 3 jours. Si vous n'êtes pas à l'origine de cette inscription, ignorez ce message : aucun compte ne sera activé.

`+mailSignature+`
`,
	`<!doctype html>
<html lang="fr"><body>
<p>Bonjour {{.Name}},</p>
<p>Vous venez de créer votre compte candidat sur les emplois de l'inclusion.
Pour l'activer, confirmez votre adresse e-mail&nbsp;:</p>
<p><a href="{{.Link}}">Confirmer mon adresse e-mail</a></p>
<p>Ce lien est valable 3 jours. Si vous n'êtes pas à l'origine de cette inscription, ignorez ce message&nbsp;: aucun compte ne sera activé.</p>
<p>`+mailSignature+`</p>
</body></html>
`)

var resetMail = newAccountMail(
	"Réinitialisation de votre mot de passe",
	`Bonjour {{.Name}},

Vous avez demandé à réinitialiser le mot de passe de votre compte sur les emplois de l'inclusion.
Pour choisir un nouveau mot de passe, ouvrez ce lien :

{{.Link}}

Ce lien est valable 1 jour et ne fonctionne qu'une fois. Si vous n'avez pas fait cette demande, ignorez ce message : votre mot de passe reste inchangé.

`+mailSignature+`
`,
	`<!doctype html>
<html lang="fr"><body>
<p>Bonjour {{.Name}},</p>
<p>Vous avez demandé à réinitialiser le mot de passe de votre compte sur les emplois de l'inclusion.</p>
<p><a href="{{.Link}}">Choisir un nouveau mot de passe</a></p>
<p>Ce lien est valable 1 jour et ne fonctionne qu'une fois. Si vous n'avez pas fait cette demande, ignorez ce message&nbsp;: votre mot de passe reste inchangé.</p>
<p>`+mailSignature+`</p>
</body></html>
`)
