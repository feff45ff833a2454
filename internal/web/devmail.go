package web

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"emplois/internal/platform/localtime"
	"emplois/internal/platform/mail"
)

// devMailLimit is how many mails /dev/mails lists (the newest).
const devMailLimit = 200

// devRoutes: the development mail outbox viewer at /dev/mails. With no SMTP server configured
// (dev), mails stay in the outbox and are read here.
func (s *Server) devRoutes() {
	if !s.cfg.Dev {
		return // never registered in production: the paths answer 404
	}
	// Public on purpose: in dev mode the first mail to read is often the one that creates the
	// account (signup confirmation), so no login can be required. The gate is s.cfg.Dev above.
	s.handle("GET /dev/mails", Public, s.devMailList)
	s.handle("GET /dev/mails/{id}", Public, s.devMailShow)
	s.handle("GET /dev/mails/{id}/html", Public, s.devMailHTML)
}

// devMailRow is one line of the outbox list.
type devMailRow struct {
	ID      int64
	Date    string
	To      string
	Subject string
	Status  devMailStatus
}

type devMailStatus struct {
	Label string
	Badge string // DSFR badge modifier
}

var devMailStatuses = map[string]devMailStatus{
	mail.StatusPending: {"En attente d'envoi", "fr-badge--info"},
	mail.StatusSent:    {"Envoyé", "fr-badge--success"},
	mail.StatusFailed:  {"Échec", "fr-badge--error"},
}

func (s *Server) devMailList(w http.ResponseWriter, r *http.Request) {
	mails, err := mail.ListRecent(r.Context(), s.db, devMailLimit)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	rows := make([]devMailRow, 0, len(mails))
	for _, m := range mails {
		rows = append(rows, devMailRow{ID: m.ID, Date: devMailTime(m.CreatedAt), To: m.To, Subject: m.Subject,
			Status: devMailStatuses[m.Status]})
	}
	s.render(w, r, http.StatusOK, "dev/mails.html", "Boîte d'envoi (développement)",
		map[string]any{"Mails": rows, "Limit": devMailLimit, "SMTP": s.cfg.SMTPURL != ""})
}

// devMailView is the detail page of one mail.
type devMailView struct {
	Mail     mail.OutboxMail
	From     string
	Created  string
	Sent     string
	Status   devMailStatus
	Text     []textSegment
	HTMLPath string
}

func (s *Server) devMailShow(w http.ResponseWriter, r *http.Request) {
	m, ok := s.devMail(w, r)
	if !ok {
		return
	}
	v := devMailView{Mail: m, From: s.cfg.MailFrom, Created: devMailTime(m.CreatedAt),
		Status: devMailStatuses[m.Status], Text: linkify(m.Text)}
	if m.SentAt != nil {
		v.Sent = devMailTime(*m.SentAt)
	}
	if m.HTML != "" {
		v.HTMLPath = "/dev/mails/" + strconv.FormatInt(m.ID, 10) + "/html"
	}
	s.render(w, r, http.StatusOK, "dev/mail.html", m.Subject, v)
}

// devMailHTML serves the HTML part as it is, under its own policy: a sandbox (no script, no
// form, an opaque origin) that may only be framed by our own pages. Mail HTML carries inline
// styles, which the site's CSP forbids, so only this response allows them.
func (s *Server) devMailHTML(w http.ResponseWriter, r *http.Request) {
	m, ok := s.devMail(w, r)
	if !ok {
		return
	}
	if m.HTML == "" {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'")
	h.Del("X-Frame-Options") // frame-ancestors 'self' lets the detail page show it
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.Write([]byte(m.HTML))
}

// devMail loads the mail named by the {id} path value, answering 404 when there is none.
func (s *Server) devMail(w http.ResponseWriter, r *http.Request) (mail.OutboxMail, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(w, r, http.StatusNotFound)
		return mail.OutboxMail{}, false
	}
	m, err := mail.Get(r.Context(), s.db, id)
	if errors.Is(err, mail.ErrNotFound) {
		s.renderError(w, r, http.StatusNotFound)
		return m, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return m, false
	}
	return m, true
}

// textSegment is a piece of a text part: plain text, or a URL shown as a link.
type textSegment struct {
	Text string
	URL  string
}

var textURL = regexp.MustCompile(`https?://[^\s<>"]+`)

// linkify cuts a text part into text and URLs, so that the template escapes the text and makes
// the URLs clickable. Punctuation ending a sentence is not part of the URL.
func linkify(text string) []textSegment {
	var out []textSegment
	last := 0
	for _, loc := range textURL.FindAllStringIndex(text, -1) {
		start, end := loc[0], loc[1]
		end = start + len(strings.TrimRight(text[start:end], ".,;:!?)»'"))
		if start > last {
			out = append(out, textSegment{Text: text[last:start]})
		}
		out = append(out, textSegment{URL: text[start:end]})
		last = end
	}
	if last < len(text) {
		out = append(out, textSegment{Text: text[last:]})
	}
	return out
}

// devMailTime formats a stored UTC time for French readers.
func devMailTime(t time.Time) string {
	return t.In(localtime.Paris).Format("02/01/2006 à 15:04:05")
}
