package jobdesc

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/mail"
)

// ClosingResult counts what one run of the closing job did.
type ClosingResult struct {
	Fiches      int // fiches de poste closed
	Spontaneous int // companies whose spontaneous applications were closed
	Mails       int // notifications queued
}

// CloseStale is the daily job of actors.md §19: it closes the open internal fiches de poste and
// the open spontaneous applications that no employer refreshed for 90 days, CloseBatchSize at a
// time, and tells every active member of each company concerned, by mail queued in the same
// transaction. It is idempotent: what it closed is no longer open, so a second run (or a run
// beside it) neither closes nor mails again.
func (s *Service) CloseStale(ctx context.Context) (ClosingResult, error) {
	var res ClosingResult
	now := s.now()
	cutoff := StaleBefore(now)
	for {
		var batch, closed int
		err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			var err error
			batch, closed, err = s.closeFicheBatch(ctx, tx, cutoff, now, &res)
			return err
		})
		if err != nil {
			return res, err
		}
		if batch < CloseBatchSize || closed == 0 {
			break
		}
	}
	for {
		var batch, closed int
		err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			var err error
			batch, closed, err = s.closeSpontaneousBatch(ctx, tx, cutoff, now, &res)
			return err
		})
		if err != nil {
			return res, err
		}
		if batch < CloseBatchSize || closed == 0 {
			break
		}
	}
	return res, nil
}

// closeFicheBatch closes one batch of stale fiches and mails the members of their companies: one
// mail per member and company, listing the company's fiches closed in this batch.
func (s *Service) closeFicheBatch(ctx context.Context, tx bun.Tx, cutoff, now time.Time, res *ClosingResult) (int, int, error) {
	stale, err := staleFiches(ctx, tx, cutoff, CloseBatchSize)
	if err != nil || len(stale) == 0 {
		return 0, 0, err
	}
	ids := make([]int64, len(stale))
	for i, f := range stale {
		ids[i] = f.ID
	}
	closedIDs, err := closeFiches(ctx, tx, ids, cutoff, now)
	if err != nil {
		return 0, 0, err
	}
	isClosed := map[int64]bool{}
	for _, id := range closedIDs {
		isClosed[id] = true
	}
	byCompany := map[int64][]*JobDescription{}
	var companies []int64
	var history []StatusChange
	for _, f := range stale {
		if !isClosed[f.ID] {
			continue
		}
		f.IsActive = false
		history = append(history, s.statusChange(f, actor.Actor{}, ReasonAutoClose, now))
		if byCompany[f.CompanyID] == nil {
			companies = append(companies, f.CompanyID)
		}
		byCompany[f.CompanyID] = append(byCompany[f.CompanyID], f)
	}
	if err := recordStatus(ctx, tx, history...); err != nil {
		return 0, 0, err
	}
	if len(companies) > 0 {
		members, err := activeMembers(ctx, tx, companies)
		if err != nil {
			return 0, 0, err
		}
		cos, err := companiesByID(ctx, tx, companies)
		if err != nil {
			return 0, 0, err
		}
		for _, id := range companies {
			for _, m := range members[id] {
				if err := mail.Enqueue(ctx, tx, s.fichesClosedMail(m, cos[id], byCompany[id])); err != nil {
					return 0, 0, err
				}
				res.Mails++
			}
		}
	}
	res.Fiches += len(history)
	return len(stale), len(history), nil
}

// closeSpontaneousBatch closes one batch of stale spontaneous applications and mails the members.
func (s *Service) closeSpontaneousBatch(ctx context.Context, tx bun.Tx, cutoff, now time.Time, res *ClosingResult) (int, int, error) {
	stale, err := staleSpontaneous(ctx, tx, cutoff, CloseBatchSize)
	if err != nil || len(stale) == 0 {
		return 0, 0, err
	}
	ids := make([]int64, len(stale))
	for i, co := range stale {
		ids[i] = co.ID
	}
	closedIDs, err := closeSpontaneous(ctx, tx, ids, cutoff, now)
	if err != nil || len(closedIDs) == 0 {
		return len(stale), 0, err
	}
	members, err := activeMembers(ctx, tx, closedIDs)
	if err != nil {
		return 0, 0, err
	}
	byID := map[int64]*org.Company{}
	for _, co := range stale {
		byID[co.ID] = co
	}
	for _, id := range closedIDs {
		for _, m := range members[id] {
			if err := mail.Enqueue(ctx, tx, s.spontaneousClosedMail(m, byID[id])); err != nil {
				return 0, 0, err
			}
			res.Mails++
		}
	}
	res.Spontaneous += len(closedIDs)
	return len(stale), len(closedIDs), nil
}

func greeting(m recipient) string {
	if m.FirstName == "" {
		return "Bonjour,"
	}
	return "Bonjour " + m.FirstName + ","
}

// companyLabel names a company in a mail: "Atelier chantier d'insertion Les Jardins".
func companyLabel(co *org.Company) string {
	return co.Kind.Label() + " " + co.DisplayName()
}

// LocationLabel is where the position is: its commune, else the company's city.
func LocationLabel(f *JobDescription, co *org.Company) string {
	if f.Location != nil {
		return f.Location.Label()
	}
	if co == nil {
		return ""
	}
	if co.CityName != "" && co.Department != "" {
		return co.CityName + " (" + co.Department + ")"
	}
	return co.CityName
}

func (s *Service) fichesClosedMail(m recipient, co *org.Company, fiches []*JobDescription) mail.Message {
	names := make([]string, len(fiches))
	for i, f := range fiches {
		names[i] = "- " + f.DisplayName()
		if loc := LocationLabel(f, co); loc != "" {
			names[i] += " à " + loc
		}
	}
	subject := "Une fiche de poste a été dépubliée"
	intro := "la fiche de poste suivante a été dépubliée automatiquement, car elle n'a pas été mise à jour depuis plus de 3 mois :"
	if len(fiches) > 1 {
		subject = fmt.Sprintf("%d fiches de poste ont été dépubliées", len(fiches))
		intro = "les fiches de poste suivantes ont été dépubliées automatiquement, car elles n'ont pas été mises à jour depuis plus de 3 mois :"
	}
	return mail.Compose(m.Email, subject, mail.Body{
		Greeting: greeting(m),
		Paragraphs: []string{
			"Au sein de la structure " + companyLabel(co) + ", " + intro + "\n" + strings.Join(names, "\n"),
			"Si le recrutement est toujours d'actualité, vous pouvez rouvrir la fiche de poste depuis votre espace : Structure > Métiers et recrutements.",
		},
		Action: &mail.Action{Label: "Gérer mes fiches de poste", URL: s.baseURL + ListPath},
		After: []string{
			"Si cette fiche de poste n'est plus d'actualité, vous n'avez rien à faire.",
			"Cette mesure garantit aux candidats et aux prescripteurs des offres à jour.",
		},
	})
}

func (s *Service) spontaneousClosedMail(m recipient, co *org.Company) mail.Message {
	return mail.Compose(m.Email, "Les candidatures spontanées ont été fermées", mail.Body{
		Greeting: greeting(m),
		Paragraphs: []string{
			"La réception des candidatures spontanées de la structure " + companyLabel(co) +
				" a été suspendue automatiquement, car elle n'a pas été actualisée depuis plus de 3 mois.",
			"Si vous souhaitez continuer à recevoir des candidatures spontanées, vous pouvez les rouvrir depuis votre espace : Structure > Métiers et recrutements.",
		},
		Action: &mail.Action{Label: "Gérer mes recrutements", URL: s.baseURL + ListPath},
		After:  []string{"Si vous ne recrutez plus actuellement, vous n'avez rien à faire."},
	})
}
