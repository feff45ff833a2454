package account

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/platform/mail"
)

// ProxyTokenTTL is how long the set-password link of an account created by a professional
// works: the person may open their mail days later (actors.md §10.7).
const ProxyTokenTTL = 7 * 24 * time.Hour

// ActionCreatedByProxy is audited when a professional creates a job seeker account.
const ActionCreatedByProxy = "job_seeker_created_by_proxy"

// InsertJobSeekerByProxy stores u, a job seeker created by the professional creatorID, in the
// caller's transaction, and mails them a set-password link (a password-reset token: the first
// password set through it marks the e-mail verified, see ResetPassword). u's names, title and
// e-mail are the caller's, already validated; a taken e-mail is a field error on "email".
func (s *Service) InsertJobSeekerByProxy(ctx context.Context, tx bun.IDB, u *User, creatorID int64, creatorName string) error {
	now := s.now()
	u.PublicID, u.Kind, u.IdentityProvider = uuid.NewString(), JobSeeker, Django
	u.Email = NormalizeEmail(u.Email)
	u.IsActive, u.DateJoined, u.CreatedByID = true, now, &creatorID
	if err := insertUser(ctx, tx, u, msgEmailExists); err != nil {
		return err
	}
	token, err := insertToken(ctx, tx, u.ID, purposePasswordReset, now, ProxyTokenTTL)
	if err != nil {
		return err
	}
	m, err := proxyMail.message(u.Email, mailData{Name: u.DisplayName(), Link: s.ResetLink(token), Creator: strings.TrimSpace(creatorName)})
	if err != nil {
		return err
	}
	return mail.Enqueue(ctx, tx, m)
}

// InsertUser stores u as is (the demo and the tests of other domains); a taken e-mail is a
// field error on "email".
func InsertUser(ctx context.Context, idb bun.IDB, u *User) error {
	return insertUser(ctx, idb, u, msgEmailExists)
}

// UpdateColumns writes the given columns of u (a domain owning some of the users columns, the
// job seeker's address, writes them through this in its own transaction).
func UpdateColumns(ctx context.Context, idb bun.IDB, u *User, columns ...string) error {
	return updateUser(ctx, idb, u, columns...)
}

// UserByID reads a user in the caller's transaction, or ErrNotFound.
func UserByID(ctx context.Context, idb bun.IDB, id int64) (*User, error) {
	return userBy(ctx, idb, "id", id)
}

// UserByEmail reads the user with this e-mail (any case) in the caller's transaction, or
// ErrNotFound.
func UserByEmail(ctx context.Context, idb bun.IDB, email string) (*User, error) {
	return userBy(ctx, idb, "email", NormalizeEmail(email))
}

var proxyMail = newAccountMail(
	"Votre compte candidat sur les emplois de l'inclusion",
	`Bonjour {{.Name}},

{{if .Creator}}{{.Creator}} vient de créer{{else}}Un professionnel de l'insertion vient de créer{{end}} votre compte candidat sur les emplois de l'inclusion, pour vous accompagner dans votre recherche d'emploi.
Pour vous connecter, choisissez votre mot de passe en ouvrant ce lien :

{{.Link}}

Ce lien est valable 7 jours et ne fonctionne qu'une fois. Passé ce délai, demandez un nouveau lien depuis la page « Mot de passe oublié ».

`+mailSignature+`
`,
	`<!doctype html>
<html lang="fr"><body>
<p>Bonjour {{.Name}},</p>
<p>{{if .Creator}}{{.Creator}} vient de créer{{else}}Un professionnel de l'insertion vient de créer{{end}} votre compte candidat sur les emplois de l'inclusion, pour vous accompagner dans votre recherche d'emploi.</p>
<p><a href="{{.Link}}">Choisir mon mot de passe</a></p>
<p>Ce lien est valable 7 jours et ne fonctionne qu'une fois. Passé ce délai, demandez un nouveau lien depuis la page «&nbsp;Mot de passe oublié&nbsp;».</p>
<p>`+mailSignature+`</p>
</body></html>
`)

// NameProblem returns why a required first or last name is refused, or "" (for the forms of
// other domains that write names).
func NameProblem(name string) string { return nameProblem(strings.TrimSpace(name), true) }

// Messages other domains' forms share with the account forms.
const (
	MsgEmailFranceTravail = msgEmailFranceTravail
	MsgTitleInvalid       = msgTitleInvalid
	MsgEmailExists        = msgEmailExists
)
