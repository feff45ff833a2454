// Package dev serves what only a developer's instance has: the outbox viewer of development
// mode (/dev/mails) and the reference page of the search benchmark (/bench/reference).
package dev

import (
	"embed"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/localtime"
	"emplois/internal/platform/mail"
	"emplois/internal/web/page"
)

// devMailLimit is how many mails /dev/mails lists (the newest).
const devMailLimit = 200

//go:embed templates
var templates embed.FS

// Handler serves the development pages.
type Handler struct {
	kit *page.Kit
	tpl *page.Templates
	db  *db.DB
	cfg config.Config
}

// New builds the room.
func New(kit *page.Kit, d *db.DB, cfg config.Config) (*Handler, error) {
	tpl, err := kit.Templates(templates, "templates")
	if err != nil {
		return nil, err
	}
	return &Handler{kit: kit, tpl: tpl, db: d, cfg: cfg}, nil
}

// Routes declares the outbox viewer in explicit development mode (EMPLOIS_DEV=1) only, and the
// benchmark's reference page with EMPLOIS_BENCH_ROUTES only: otherwise the paths answer 404.
func (h *Handler) Routes(rt *page.Router) {
	if h.cfg.Dev {
		// Public on purpose: in dev mode the first mail to read is often the one that creates
		// the account (signup confirmation), so no login can be required. The gate is Dev.
		rt.Handle("GET /dev/mails", page.Public, h.mailList, page.OpenToUnaffiliated)
		rt.Handle("GET /dev/mails/{id}", page.Public, h.mailShow, page.OpenToUnaffiliated)
		rt.Handle("GET /dev/mails/{id}/html", page.Public, h.mailHTML, page.OpenToUnaffiliated)
	}
	if h.cfg.BenchRoutes {
		rt.Handle("GET /bench/reference", page.Public, h.benchReference)
	}
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

func (h *Handler) mailList(w http.ResponseWriter, r *http.Request) {
	mails, err := mail.ListRecent(r.Context(), h.db, devMailLimit)
	if err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	rows := make([]devMailRow, 0, len(mails))
	for _, m := range mails {
		rows = append(rows, devMailRow{ID: m.ID, Date: devMailTime(m.CreatedAt), To: m.To, Subject: m.Subject,
			Status: devMailStatuses[m.Status]})
	}
	h.tpl.Render(w, r, http.StatusOK, "mails.html", "Boîte d'envoi (développement)",
		map[string]any{"Mails": rows, "Limit": devMailLimit, "SMTP": h.cfg.SMTPURL != ""})
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

func (h *Handler) mailShow(w http.ResponseWriter, r *http.Request) {
	m, ok := h.mail(w, r)
	if !ok {
		return
	}
	v := devMailView{Mail: m, From: h.cfg.MailFrom, Created: devMailTime(m.CreatedAt),
		Status: devMailStatuses[m.Status], Text: linkify(m.Text)}
	if m.SentAt != nil {
		v.Sent = devMailTime(*m.SentAt)
	}
	if m.HTML != "" {
		v.HTMLPath = "/dev/mails/" + strconv.FormatInt(m.ID, 10) + "/html"
	}
	h.tpl.Render(w, r, http.StatusOK, "mail.html", m.Subject, v)
}

// devMailHTML serves the HTML part as it is, under its own policy: a sandbox (no script, no
// form, an opaque origin) that may only be framed by our own pages. Mail HTML carries inline
// styles, which the site's CSP forbids, so only this response allows them.
func (h *Handler) mailHTML(w http.ResponseWriter, r *http.Request) {
	m, ok := h.mail(w, r)
	if !ok {
		return
	}
	if m.HTML == "" {
		h.kit.Error(w, r, http.StatusNotFound)
		return
	}
	header := w.Header()
	header.Set("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'")
	header.Del("X-Frame-Options") // frame-ancestors 'self' lets the detail page show it
	header.Set("Content-Type", "text/html; charset=utf-8")
	header.Set("Cache-Control", "no-store")
	w.Write([]byte(m.HTML))
}

// devMail loads the mail named by the {id} path value, answering 404 when there is none.
func (h *Handler) mail(w http.ResponseWriter, r *http.Request) (mail.OutboxMail, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.kit.Error(w, r, http.StatusNotFound)
		return mail.OutboxMail{}, false
	}
	m, err := mail.Get(r.Context(), h.db, id)
	if errors.Is(err, mail.ErrNotFound) {
		h.kit.Error(w, r, http.StatusNotFound)
		return m, false
	}
	if err != nil {
		h.kit.ServerError(w, r, err)
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
