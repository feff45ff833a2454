package invitation

import (
	"emplois/internal/org"
	"emplois/internal/platform/mail"
)

// The e-mails of invitations (actors.md §7).

func greeting(name string) string {
	if name == "" {
		return "Bonjour,"
	}
	return "Bonjour " + name + ","
}

// LastValidDay is the last day (Paris time) the invitation may be accepted.
func (i *Invitation) LastValidDay() string {
	return i.ExpiresAt.Add(-1).In(paris).Format("02/01/2006")
}

func invitationMail(inv *Invitation, o org.Ref, sender, link string) mail.Message {
	return mail.Compose(inv.Email, "Invitation à rejoindre "+o.Name, mail.Body{
		Greeting: greeting(inv.DisplayName()),
		Paragraphs: []string{
			sender + " vous invite à rejoindre « " + o.Name + " » (" + o.KindLabel() + ") sur les emplois de l'inclusion, " +
				"le service public de l'insertion par l'activité économique.",
			"Acceptez l'invitation pour agir au nom de cette organisation. Si vous n'avez pas encore de compte, vous le créerez en quelques minutes.",
		},
		Action: &mail.Action{Label: "Accepter l'invitation", URL: link},
		After: []string{
			"Cette invitation est valable jusqu'au " + inv.LastValidDay() + " inclus.",
			"Si vous ne connaissez pas " + sender + ", ignorez ce message.",
		},
	})
}

func acceptedMail(to, senderName string, inv *Invitation, o org.Ref, membersURL string) mail.Message {
	return mail.Compose(to, inv.DisplayName()+" a rejoint "+o.Name, mail.Body{
		Greeting:   greeting(senderName),
		Paragraphs: []string{inv.DisplayName() + " (" + inv.Email + ") a accepté votre invitation et fait désormais partie des collaborateurs de « " + o.Name + " »."},
		Action:     &mail.Action{Label: "Voir les collaborateurs", URL: membersURL},
	})
}

func requestMail(to, contactName, requesterName, requesterEmail string, o org.Ref, inviteURL string) mail.Message {
	return mail.Compose(to, requesterName+" souhaite rejoindre "+o.Name, mail.Body{
		Greeting: greeting(contactName),
		Paragraphs: []string{
			requesterName + " (" + requesterEmail + ") souhaite rejoindre « " + o.Name + " » sur les emplois de l'inclusion et vous demande une invitation.",
			"Si cette personne travaille bien avec vous, invitez-la : le formulaire d'invitation est déjà rempli.",
		},
		Action: &mail.Action{Label: "Inviter " + requesterName, URL: inviteURL},
		After:  []string{"Si vous ne connaissez pas cette personne, ignorez ce message : elle ne pourra pas rejoindre votre organisation sans invitation."},
	})
}
