package mail

import (
	"bytes"
	"html/template"
	"strings"
)

// Fixed wording of every mail.
const (
	// ServiceName heads every mail.
	ServiceName = "Les emplois de l'inclusion"
	// AutomaticNotice ends every mail.
	AutomaticNotice = "Ceci est un message automatique, merci de ne pas y répondre."
)

// Body is the content of a mail, in plain French sentences: Compose escapes it and lays it out.
type Body struct {
	// Greeting opens the mail ("Bonjour Marie,"); "Bonjour," when empty.
	Greeting string
	// Paragraphs are plain text; a line break inside one is kept.
	Paragraphs []string
	// Action is an optional call to action, shown as a button and as a plain link.
	Action *Action
	// After are paragraphs shown after the action (what to do if it was not you...).
	After []string
	// Signature closes the mail; "L'équipe des emplois de l'inclusion" when empty.
	Signature string
}

// Action is a link the recipient is asked to follow.
type Action struct {
	Label string // "Confirmer mon adresse e-mail"
	URL   string // absolute URL, from EMPLOIS_BASE_URL
}

// Compose builds a Message with both parts from a body, in the layout shared by every mail:
// the service name as header, the automatic-message notice as footer.
func Compose(to, subject string, b Body) Message {
	if b.Greeting == "" {
		b.Greeting = "Bonjour,"
	}
	if b.Signature == "" {
		b.Signature = "L'équipe des emplois de l'inclusion"
	}
	return Message{To: to, Subject: subject, Text: composeText(b), HTML: composeHTML(subject, b)}
}

func composeText(b Body) string {
	var t strings.Builder
	t.WriteString(ServiceName + "\n\n")
	t.WriteString(b.Greeting + "\n\n")
	for _, p := range b.Paragraphs {
		t.WriteString(p + "\n\n")
	}
	if b.Action != nil {
		t.WriteString(b.Action.Label + " :\n" + b.Action.URL + "\n\n")
	}
	for _, p := range b.After {
		t.WriteString(p + "\n\n")
	}
	t.WriteString(b.Signature + "\n\n")
	t.WriteString("-- \n" + AutomaticNotice + "\n")
	return t.String()
}

// mailLayout is the HTML part. Mail clients ignore style sheets, so styles are inline (this HTML
// is never served by the site, whose CSP forbids them). Accessibility: lang, title, one heading,
// real text in the button with a contrast above 4.5:1, and the raw link for clients that drop
// styles. Table-free: current clients render a simple centred block well.
var mailLayout = template.Must(template.New("mail").Funcs(template.FuncMap{"lines": htmlLines}).Parse(`<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Subject}}</title>
</head>
<body style="margin:0;padding:0;background-color:#f6f6f6;">
<div style="max-width:600px;margin:0 auto;padding:24px 16px;font-family:Marianne,Arial,sans-serif;font-size:16px;line-height:1.5;color:#161616;background-color:#ffffff;">
<p style="margin:0 0 24px 0;padding-bottom:12px;border-bottom:1px solid #dddddd;font-size:18px;font-weight:bold;color:#000091;">{{.Service}}</p>
<p style="margin:0 0 16px 0;">{{.Body.Greeting}}</p>
{{range .Body.Paragraphs}}<p style="margin:0 0 16px 0;">{{lines .}}</p>
{{end}}{{with .Body.Action}}<p style="margin:24px 0;"><a href="{{.URL}}" style="display:inline-block;padding:8px 16px;background-color:#000091;color:#ffffff;text-decoration:none;font-weight:bold;">{{.Label}}</a></p>
<p style="margin:0 0 16px 0;font-size:14px;">Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur&nbsp;:<br><a href="{{.URL}}" style="color:#000091;word-break:break-all;">{{.URL}}</a></p>
{{end}}{{range .Body.After}}<p style="margin:0 0 16px 0;">{{lines .}}</p>
{{end}}<p style="margin:24px 0 0 0;">{{.Body.Signature}}</p>
<p style="margin:32px 0 0 0;padding-top:12px;border-top:1px solid #dddddd;font-size:14px;color:#3a3a3a;">{{.Notice}}</p>
</div>
</body>
</html>
`))

func composeHTML(subject string, b Body) string {
	var buf bytes.Buffer
	err := mailLayout.Execute(&buf, map[string]any{"Subject": subject, "Service": ServiceName, "Body": b, "Notice": AutomaticNotice})
	if err != nil {
		panic("mail: compose: " + err.Error()) // the template is fixed and its data are strings
	}
	return buf.String()
}

// htmlLines escapes a paragraph and keeps its line breaks.
func htmlLines(s string) template.HTML {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = template.HTMLEscapeString(l)
	}
	return template.HTML(strings.Join(lines, "<br>\n"))
}
