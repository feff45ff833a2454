package page

import "net/http"

// Pages several rooms show as they are: the "check your mailbox" page after a signup, and why a
// link (an invitation, a signup link) cannot be used.

// MailSent shows that a confirmation link was mailed, with the form that asks for another one.
func (k *Kit) MailSent(w http.ResponseWriter, r *http.Request) {
	k.render(w, r, http.StatusOK, k.own, "mail_sent.html", "Vérifiez votre boîte mail",
		struct{ Form *Form }{NewForm(EmailField("email"))})
}

// Unavailable explains with status why a link or a journey cannot be used; loginURL, if any, is
// offered as the way on.
func (k *Kit) Unavailable(w http.ResponseWriter, r *http.Request, status int, heading, message, loginURL string) {
	k.render(w, r, status, k.own, "unavailable.html", heading,
		struct{ Heading, Message, LoginURL string }{heading, message, loginURL})
}
