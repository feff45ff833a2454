package application

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/localtime"
	"emplois/internal/platform/mail"
)

// Beyond the original (issue 9 §8): the members of a company are reminded once of each
// candidature left unanswered, and members who chose the weekly mode for new candidatures get
// one mail a week listing them instead of one mail each.

// Waiting are the states of a candidature that waits for the employer's first answer.
var Waiting = []State{New, Processing}

// DigestEvery is the period of the weekly digest: a digest goes out once the oldest candidature
// it lists is this old, so a member gets at most one a week.
const DigestEvery = 7 * 24 * time.Hour

// ReminderBatch bounds the candidatures one run reminds (the first run on a large base; the
// rest goes with the next runs, an hour apart).
const ReminderBatch = 5000

// reminderRow is a candidature to remind its company's members of.
type reminderRow struct {
	ID        int64     `bun:"id"`
	PublicID  string    `bun:"public_id"`
	CompanyID int64     `bun:"to_company_id"`
	State     State     `bun:"state"`
	CreatedAt time.Time `bun:"created_at"`
	FirstName string    `bun:"first_name"`
	LastName  string    `bun:"last_name"`
}

// reminderThreshold is how long a candidature waits before its reminder (Service.ReminderAfter,
// ReminderAfter by default).
func (s *Service) reminderThreshold() time.Duration {
	if s.ReminderAfter > 0 {
		return s.ReminderAfter
	}
	return ReminderAfter
}

// SendReminders mails, for each company, its active members who did not turn reminders off one
// mail naming the candidatures that have waited for an answer (new or processing, not archived,
// still visible) longer than the threshold since their last change, each candidature once in
// its life. It returns how many candidatures were reminded.
func (s *Service) SendReminders(ctx context.Context, now time.Time) (int, error) {
	var rows []reminderRow
	err := s.db.NewSelect().TableExpr("job_application AS ja").
		ColumnExpr("ja.id, ja.public_id, ja.to_company_id, ja.state, ja.created_at, u.first_name, u.last_name").
		Join("JOIN users AS u ON u.id = ja.job_seeker_id").
		Where("ja.state IN (?)", bun.List(Waiting)).Where("ja.archived_at IS NULL").
		Where("ja.updated_at <= ?", now.Add(-s.reminderThreshold())).Where("ja.created_at > ?", VisibleSince(now)).
		Where("NOT EXISTS (SELECT 1 FROM job_application_reminder AS r WHERE r.job_application_id = ja.id)").
		OrderExpr("ja.to_company_id, ja.created_at, ja.id").Limit(ReminderBatch).Scan(ctx, &rows)
	if err != nil {
		return 0, fmt.Errorf("application: reminders: %w", err)
	}
	done := 0
	for len(rows) > 0 {
		n := 1
		for n < len(rows) && rows[n].CompanyID == rows[0].CompanyID {
			n++
		}
		if err := s.remindCompany(ctx, rows[:n], now); err != nil {
			return done, err
		}
		done += n
		rows = rows[n:]
	}
	return done, nil
}

// remindCompany marks one company's candidatures as reminded and mails its members, in one
// transaction: a candidature another run marked meanwhile is left out.
func (s *Service) remindCompany(ctx context.Context, rows []reminderRow, now time.Time) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var lines []string
		for _, r := range rows {
			res, err := tx.NewRaw("INSERT INTO job_application_reminder (job_application_id, sent_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
				r.ID, now).Exec(ctx)
			if err != nil {
				return fmt.Errorf("application: reminder of %s: %w", r.PublicID, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue
			}
			lines = append(lines, "- "+joinName(r.FirstName, r.LastName)+", reçue le "+localtime.Date(r.CreatedAt)+
				" ("+r.State.Label()+") : "+s.baseURL+DetailsPath(r.PublicID))
		}
		if len(lines) == 0 {
			return nil
		}
		co, err := companyByID(ctx, tx, rows[0].CompanyID)
		if err != nil {
			return err
		}
		members, err := companyMembers(ctx, tx, co.ID)
		if err != nil {
			return err
		}
		days := int(s.reminderThreshold().Hours() / 24)
		subject := "Candidatures en attente de réponse chez " + co.DisplayName()
		intro := fmt.Sprintf("%s attendent une réponse de %s depuis plus de %d jours :",
			oneOrMany(len(lines), "Une candidature", fmt.Sprintf("%d candidatures", len(lines))), co.DisplayName(), days)
		for _, p := range members {
			err := s.toProfessional(ctx, tx, p, structure{"company", co.ID}, NotifyReminder, subject, func(g string) mail.Body {
				return mail.Body{Greeting: g, Paragraphs: []string{intro, strings.Join(lines, "\n"),
					"Les candidats attendent votre réponse : étudiez, acceptez ou déclinez leur candidature."},
					Action: &mail.Action{Label: "Voir les candidatures reçues", URL: s.baseURL + InboxPath}}
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func oneOrMany(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// collectForDigest keeps a « Nouvelle candidature » mail for the member's weekly digest.
func (s *Service) collectForDigest(ctx context.Context, tx bun.IDB, userID int64, st structure, app *Application) error {
	_, err := tx.NewRaw(`INSERT INTO job_application_digest_item (user_id, structure_type, structure_id, job_application_id, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, userID, st.Type, st.ID, app.ID, s.now()).Exec(ctx)
	if err != nil {
		return fmt.Errorf("application: digest item: %w", err)
	}
	return nil
}

// digestKey is one member's digest about one structure.
type digestKey struct {
	UserID        int64  `bun:"user_id"`
	StructureType string `bun:"structure_type"`
	StructureID   int64  `bun:"structure_id"`
}

// SendWeeklyDigests sends each member whose oldest kept candidature is a week old one mail
// listing every candidature kept for them about that structure, then forgets them. A member who
// is no longer active, or no longer a member, gets nothing (R36's copy is for mails about a
// candidature, a digest is the member's own). It returns how many digests were sent.
func (s *Service) SendWeeklyDigests(ctx context.Context, now time.Time) (int, error) {
	var keys []digestKey
	err := s.db.NewSelect().Table("job_application_digest_item").Column("user_id", "structure_type", "structure_id").
		GroupExpr("user_id, structure_type, structure_id").Having("MIN(created_at) <= ?", now.Add(-DigestEvery)).
		OrderExpr("user_id, structure_type, structure_id").Scan(ctx, &keys)
	if err != nil {
		return 0, fmt.Errorf("application: digests: %w", err)
	}
	sent := 0
	for _, k := range keys {
		ok, err := s.sendDigest(ctx, k)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

func (s *Service) sendDigest(ctx context.Context, k digestKey) (bool, error) {
	sent := false
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var items []struct {
			AppID     int64     `bun:"id"`
			PublicID  string    `bun:"public_id"`
			CreatedAt time.Time `bun:"created_at"`
			SenderKnd string    `bun:"sender_kind"`
			First     string    `bun:"first_name"`
			Last      string    `bun:"last_name"`
		}
		err := tx.NewSelect().TableExpr("job_application_digest_item AS di").
			ColumnExpr("ja.id, ja.public_id, ja.created_at, ja.sender_kind, u.first_name, u.last_name").
			Join("JOIN job_application AS ja ON ja.id = di.job_application_id").
			Join("JOIN users AS u ON u.id = ja.job_seeker_id").
			Where("di.user_id = ?", k.UserID).Where("di.structure_type = ?", k.StructureType).Where("di.structure_id = ?", k.StructureID).
			OrderExpr("ja.created_at, ja.id").Scan(ctx, &items)
		if err != nil {
			return fmt.Errorf("application: digest items: %w", err)
		}
		if _, err := tx.NewDelete().Table("job_application_digest_item").Where("user_id = ?", k.UserID).
			Where("structure_type = ?", k.StructureType).Where("structure_id = ?", k.StructureID).Exec(ctx); err != nil {
			return fmt.Errorf("application: digest items: %w", err)
		}
		st := structure{k.StructureType, k.StructureID}
		p, err := personByID(ctx, tx, k.UserID)
		if err != nil || p == nil || !p.IsActive || p.Email == "" || len(items) == 0 {
			return err
		}
		if member, err := isMember(ctx, tx, st.membershipTable(), p.ID, st.ID); err != nil || !member {
			return err
		}
		co, err := companyByID(ctx, tx, k.StructureID)
		if err != nil {
			return err
		}
		ids := make([]int64, len(items))
		for i, it := range items {
			ids[i] = it.AppID
		}
		names, err := selectedJobNames(ctx, tx, ids)
		if err != nil {
			return err
		}
		lines := make([]string, len(items))
		for i, it := range items {
			jobs := "Candidature spontanée"
			if l := names[it.AppID]; len(l) > 0 {
				jobs = strings.Join(l, ", ")
			}
			lines[i] = "- " + joinName(it.First, it.Last) + ", reçue le " + localtime.Date(it.CreatedAt) + " (" + jobs +
				", envoyée par : " + SenderKind(it.SenderKnd).Label() + ") : " + s.baseURL + DetailsPath(it.PublicID)
		}
		intro := fmt.Sprintf("%s cette semaine :", oneOrMany(len(items), co.DisplayName()+" a reçu une nouvelle candidature",
			fmt.Sprintf("%s a reçu %d nouvelles candidatures", co.DisplayName(), len(items))))
		msg := mail.Compose(p.Email, "Vos nouvelles candidatures de la semaine", mail.Body{Greeting: "Bonjour " + p.FirstName + ",",
			Paragraphs: []string{intro, strings.Join(lines, "\n")},
			Action:     &mail.Action{Label: "Voir les candidatures reçues", URL: s.baseURL + InboxPath},
			After:      []string{"Vous recevez ce récapitulatif une fois par semaine, comme vous l'avez choisi dans vos notifications."}})
		if err := mail.Enqueue(ctx, tx, msg); err != nil {
			return err
		}
		sent = true
		return nil
	})
	return sent, err
}
