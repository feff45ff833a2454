package apitoken

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/localtime"
	"emplois/internal/platform/mail"
)

// owner is what the security mail needs of a token's owner.
type owner struct {
	Email     string `bun:"email"`
	FirstName string `bun:"first_name"`
	LastName  string `bun:"last_name"`
}

func ownerOf(ctx context.Context, idb bun.IDB, userID int64) (owner, error) {
	var o owner
	if err := idb.NewSelect().Table("users").Column("email", "first_name", "last_name").Where("id = ?", userID).Scan(ctx, &o); err != nil {
		return o, fmt.Errorf("apitoken: owner %d: %w", userID, err)
	}
	return o, nil
}

// NewTokenSubject is the subject of the security mail sent at each token made on « Accès aux API ».
const NewTokenSubject = "Génération d’un nouveau token d’API sur les Emplois de l'inclusion"

// newTokenMail tells the owner a token was made on their account, when and from where (api.md
// §1.2), and what to do if it was not them.
func newTokenMail(o owner, at time.Time, clientIP string) mail.Message {
	if clientIP == "" {
		clientIP = "inconnue"
	}
	greeting := "Bonjour,"
	if name := strings.TrimSpace(o.FirstName + " " + o.LastName); name != "" {
		greeting = "Bonjour " + name + ","
	}
	return mail.Compose(o.Email, NewTokenSubject, mail.Body{
		Greeting: greeting,
		Paragraphs: []string{
			"Un nouveau token d’API a été généré pour votre compte le " + localtime.DateTime(at) + " depuis l’adresse IP " + clientIP + ".",
			"Si vous êtes à l’origine de cette action, vous n’avez rien à faire.",
			"Sinon, régénérez votre token depuis la page « Accès aux APIs » de votre espace, changez votre mot de passe et écrivez à security@inclusion.gouv.fr.",
			"Un token d’API donne accès à votre compte : ne le partagez jamais.",
		},
	})
}
