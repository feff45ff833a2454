package invitation

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"emplois/internal/invitation"
	"emplois/internal/org"
	"emplois/internal/platform/fault"
	"emplois/internal/web/page"
)

// inviteRow is one person of the invitation form.
type inviteRow struct {
	Number                     int
	Email, FirstName, LastName *page.Field
}

// inviteData is what new.html shows.
type inviteData struct {
	Target     *invitation.Target
	Rows       []inviteRow
	Error      string
	Action     string
	MembersURL string
	CanAddRow  bool
	Remaining  int
}

func newInviteData(t *invitation.Target, n int) *inviteData {
	n = min(max(n, 1), invitation.MaxBatch)
	d := &inviteData{Target: t, Action: invitation.NewPath(t.Organization.UID), MembersURL: org.MembersPath(t.Organization.UID),
		CanAddRow: n < invitation.MaxBatch, Remaining: max(invitation.MaxPending-t.Pending, 0)}
	hint := ""
	if t.FranceTravail {
		hint = "Adresse @francetravail.fr ou @pole-emploi.fr."
	}
	for i := 0; i < n; i++ {
		suffix := "_" + strconv.Itoa(i)
		d.Rows = append(d.Rows, inviteRow{Number: i + 1,
			Email:     &page.Field{Name: "email" + suffix, Label: "Adresse e-mail", Type: "email", Autocomplete: "off", Hint: hint},
			FirstName: &page.Field{Name: "first_name" + suffix, Label: "Prénom", Autocomplete: "off"},
			LastName:  &page.Field{Name: "last_name" + suffix, Label: "Nom", Autocomplete: "off"},
		})
	}
	return d
}

// fields returns every field of the form by name.
func (d *inviteData) fields() map[string]*page.Field {
	m := map[string]*page.Field{}
	for _, r := range d.Rows {
		for _, f := range []*page.Field{r.Email, r.FirstName, r.LastName} {
			m[f.Name] = f
		}
	}
	return m
}

// inviteTarget resolves the organization the viewer invites to, answering otherwise; with 50
// pending invitations the viewer is sent back to the members page with the reason (§22, 17).
func (h *Handler) inviteTarget(w http.ResponseWriter, r *http.Request) (*invitation.Target, bool) {
	t, err := h.invitations.Target(r.Context(), h.kit.ActorOf(r), r.PathValue("uid"))
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	if t.Full() {
		h.kit.SetFlash(r, (&invitation.TooManyError{Pending: t.Pending}).Error())
		http.Redirect(w, r, org.MembersPath(t.Organization.UID), http.StatusSeeOther)
		return nil, false
	}
	return t, true
}

func (h *Handler) renderInvite(w http.ResponseWriter, r *http.Request, status int, d *inviteData) {
	h.tpl.Render(w, r, status, "new.html", "Inviter des collaborateurs", d)
}

func (h *Handler) invitePage(w http.ResponseWriter, r *http.Request) {
	t, ok := h.inviteTarget(w, r)
	if !ok {
		return
	}
	d := newInviteData(t, 3)
	q := r.URL.Query() // an invitation request mails a link with the requester filled in
	d.Rows[0].Email.Value, d.Rows[0].FirstName.Value, d.Rows[0].LastName.Value = q.Get("email"), q.Get("first_name"), q.Get("last_name")
	h.renderInvite(w, r, http.StatusOK, d)
}

// invite sends the invitations of the form; "Ajouter une ligne" (action=add_row) only shows the
// form again with one more row, so that the form works without JavaScript.
func (h *Handler) invite(w http.ResponseWriter, r *http.Request) {
	t, ok := h.inviteTarget(w, r)
	if !ok {
		return
	}
	if !h.kit.ParsePost(w, r) {
		return
	}
	n, _ := strconv.Atoi(r.PostForm.Get("rows"))
	if r.PostForm.Get("action") == "add_row" {
		n++
	}
	d := newInviteData(t, n)
	for name, f := range d.fields() {
		f.Value = strings.TrimSpace(r.PostForm.Get(name))
	}
	if r.PostForm.Get("action") == "add_row" {
		h.renderInvite(w, r, http.StatusOK, d)
		return
	}
	rows := make([]invitation.Invitee, len(d.Rows))
	for i, row := range d.Rows {
		rows[i] = invitation.Invitee{Email: row.Email.Value, FirstName: row.FirstName.Value, LastName: row.LastName.Value}
	}
	sent, err := h.invitations.Send(r.Context(), h.kit.ActorOf(r), t.Organization.UID, rows)
	var tooMany *invitation.TooManyError
	switch fes := fault.FieldsOf(err); {
	case fes != nil:
		fields := d.fields()
		for _, fe := range fes {
			if f, ok := fields[fe.Field]; ok {
				f.Error = fe.Message
			} else {
				d.Error = fe.Message
			}
		}
	case errors.As(err, &tooMany):
		d.Error = tooMany.Error()
	case err != nil:
		h.fail(w, r, err)
		return
	}
	if err != nil {
		h.renderInvite(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	msg := "L'invitation a été envoyée à " + sent[0].Email + "."
	if len(sent) > 1 {
		msg = strconv.Itoa(len(sent)) + " invitations ont été envoyées."
	}
	h.kit.SetFlash(r, msg+" Elles sont valables "+strconv.Itoa(invitation.DefaultValidityDays)+" jours.")
	http.Redirect(w, r, org.MembersPath(t.Organization.UID), http.StatusSeeOther)
}

func (h *Handler) cancel(w http.ResponseWriter, r *http.Request) {
	uid := r.PathValue("uid")
	err := h.invitations.Cancel(r.Context(), h.kit.ActorOf(r), uid, r.PathValue("invitation"))
	switch {
	case errors.Is(err, invitation.ErrAccepted):
		h.kit.SetFlash(r, "Cette invitation a déjà été acceptée : elle ne peut plus être annulée.")
	case err != nil:
		h.fail(w, r, err)
		return
	default:
		h.kit.SetFlash(r, "L'invitation a été annulée.")
	}
	http.Redirect(w, r, org.MembersPath(uid), http.StatusSeeOther)
}
