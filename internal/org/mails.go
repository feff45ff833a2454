package org

import (
	"emplois/internal/platform/mail"
)

// The e-mails of membership and habilitation changes (actors.md §3, §5.2, §12).

func greeting(name string) string {
	if name == "" {
		return "Bonjour,"
	}
	return "Bonjour " + name + ","
}

func deactivatedMail(m Member, o Ref) mail.Message {
	return mail.Compose(m.Email, "Votre accès à "+o.Name+" a été retiré", mail.Body{
		Greeting: greeting(m.DisplayName()),
		Paragraphs: []string{
			"Un administrateur de « " + o.Name + " » a mis fin à votre rattachement à cette organisation sur les emplois de l'inclusion.",
			"Vous ne pouvez plus agir au nom de cette organisation. Si vous pensez qu'il s'agit d'une erreur, contactez un administrateur de votre organisation.",
		},
	})
}

func adminGrantedMail(m Member, o Ref, baseURL string) mail.Message {
	return mail.Compose(m.Email, "Vous êtes administrateur de "+o.Name, mail.Body{
		Greeting: greeting(m.DisplayName()),
		Paragraphs: []string{
			"Vous êtes désormais administrateur de « " + o.Name + " » sur les emplois de l'inclusion.",
			"Vous pouvez gérer les collaborateurs de l'organisation : inviter, retirer un accès, nommer d'autres administrateurs.",
		},
		Action: &mail.Action{Label: "Voir les collaborateurs", URL: baseURL + MembersPath(o.UID)},
	})
}

func adminRevokedMail(m Member, o Ref) mail.Message {
	return mail.Compose(m.Email, "Vous n'êtes plus administrateur de "+o.Name, mail.Body{
		Greeting: greeting(m.DisplayName()),
		Paragraphs: []string{
			"Vous n'êtes plus administrateur de « " + o.Name + " » sur les emplois de l'inclusion.",
			"Vous restez membre de l'organisation et pouvez continuer à agir en son nom.",
		},
	})
}

func habilitationMail(to, name string, p *PrescriberOrganization, validated bool) mail.Message {
	if validated {
		return mail.Compose(to, "Habilitation de "+p.Name+" validée", mail.Body{
			Greeting: greeting(name),
			Paragraphs: []string{
				"L'habilitation de « " + p.Name + " » a été validée par l'équipe des emplois de l'inclusion.",
				"Vous êtes désormais prescripteur habilité : vos orientations permettent aux candidats d'être embauchés en insertion sans autre diagnostic d'éligibilité.",
			},
		})
	}
	return mail.Compose(to, "Habilitation de "+p.Name+" refusée", mail.Body{
		Greeting: greeting(name),
		Paragraphs: []string{
			"L'équipe des emplois de l'inclusion n'a pas pu valider l'habilitation de « " + p.Name + " ».",
			"Votre organisation reste inscrite comme orienteur : vous pouvez toujours orienter des candidats vers les employeurs inclusifs.",
			"Si vous pensez qu'il s'agit d'une erreur, répondez à l'équipe support en joignant l'arrêté préfectoral ou la convention qui vous habilite.",
		},
	})
}

// Paths of the organization pages, for links in mails and pages.
func OverviewPath(uid string) string { return "/organizations/" + uid }
func MembersPath(uid string) string  { return "/organizations/" + uid + "/colleagues" }
func EditPath(uid string) string     { return "/organizations/" + uid + "/edit" }
func AntennaPath(uid string) string  { return "/organizations/" + uid + "/antennas/new" }
