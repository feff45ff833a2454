package approval

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/localtime"
	"emplois/internal/platform/mail"
)

// Reminders of pending prolongation requests (§2.11, edge cases 30–31, scenario 24): a daily
// task from 05:15 UTC mails the assignee and up to 10 colleagues of a request still pending 10,
// 20 and 30 days after it was made, never more than three times.
const (
	// ReminderEvery is the days between the request (or the last reminder) and a reminder.
	ReminderEvery = 10
	// ReminderWithin: requests older than this many days are no longer reminded.
	ReminderWithin = 30
	// ReminderColleagues is how many members besides the assignee are reminded.
	ReminderColleagues = 10
	// reminderHour, reminderMinute: the daily run starts at 05:15 UTC (§7's schedule).
	reminderHour, reminderMinute = 5, 15
)

// ReminderDue tells whether a pending request created on created and last reminded on
// lastSent (nil: never) is reminded today: created at most 30 days ago, and 10 days or more
// since its creation or its last reminder. Days are calendar days in Paris.
func ReminderDue(created time.Time, lastSent *time.Time, today time.Time) bool {
	age := daysBetween(Today(created), today)
	if age > ReminderWithin {
		return false
	}
	if lastSent == nil {
		return age >= ReminderEvery
	}
	return daysBetween(Today(*lastSent), today) >= ReminderEvery
}

// ReminderTime: the daily reminders go out from 05:15 UTC on.
func ReminderTime(now time.Time) bool {
	now = now.UTC()
	return now.Hour()*60+now.Minute() >= reminderHour*60+reminderMinute
}

// SendProlongationReminders mails the reminders due on now's day (none before 05:15 UTC) and
// reports how many requests were reminded. It is idempotent within a day: a reminded request
// waits 10 days. Run hourly by the worker.
func (s *Service) SendProlongationReminders(ctx context.Context, now time.Time) (int, error) {
	if !ReminderTime(now) {
		return 0, nil
	}
	today := Today(now)
	var pending []*ProlongationRequest
	// A coarse bound in SQL (a day of margin for time zones), the rule in Go.
	err := s.db.NewSelect().Model(&pending).Where("status = ?", RequestPending).
		Where("created_at >= ?", now.AddDate(0, 0, -ReminderWithin-2)).OrderExpr("id").Scan(ctx)
	if err != nil {
		return 0, fmt.Errorf("approval: pending requests: %w", err)
	}
	n := 0
	for _, req := range pending {
		if !ReminderDue(req.CreatedAt, req.ReminderSentAt, today) {
			continue
		}
		err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			// Claim the request: another instance running the same task finds it reminded today.
			sent := s.now()
			q := tx.NewUpdate().Table("prolongation_request").Set("reminder_sent_at = ?", sent).
				Where("id = ? AND status = ?", req.ID, RequestPending).
				Where("(reminder_sent_at IS NULL OR reminder_sent_at < ?)", sent.Add(-20*time.Hour))
			res, err := q.Exec(ctx)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				return nil
			}
			n++
			return s.mailReminder(ctx, tx, req)
		})
		if err != nil {
			return n, fmt.Errorf("approval: remind request %d: %w", req.ID, err)
		}
	}
	return n, nil
}

// reminderRecipient is a member of the request's organization.
type reminderRecipient struct {
	UserID    int64  `bun:"id"`
	FirstName string `bun:"first_name"`
	Email     string `bun:"email"`
}

// ReminderRecipients are the assignee, then up to 10 other active members of the organization:
// admins first, then by most recent login (edge case 31).
func reminderRecipients(ctx context.Context, idb bun.IDB, req *ProlongationRequest) ([]reminderRecipient, error) {
	var out []reminderRecipient
	if req.AssignedToID != nil {
		var a []reminderRecipient
		if err := idb.NewSelect().Table("users").Column("id", "first_name", "email").
			Where("id = ? AND is_active", *req.AssignedToID).Scan(ctx, &a); err != nil {
			return nil, err
		}
		out = append(out, a...)
	}
	if req.PrescriberOrganizationID == nil {
		return out, nil
	}
	var assignee int64
	if req.AssignedToID != nil {
		assignee = *req.AssignedToID
	}
	var colleagues []reminderRecipient
	err := idb.NewSelect().TableExpr("prescriber_membership AS m").ColumnExpr("u.id, u.first_name, u.email").
		Join("JOIN users AS u ON u.id = m.user_id AND u.is_active").
		Where("m.organization_id = ? AND m.is_active AND u.id <> ?", *req.PrescriberOrganizationID, assignee).
		OrderExpr("m.is_admin DESC, u.last_login IS NULL, u.last_login DESC, u.id").Limit(ReminderColleagues).Scan(ctx, &colleagues)
	if err != nil {
		return nil, err
	}
	return append(out, colleagues...), nil
}

// mailReminder mails the request's reminder to its recipients.
func (s *Service) mailReminder(ctx context.Context, tx bun.IDB, req *ProlongationRequest) error {
	ap, err := load(ctx, tx, "id = ?", req.ApprovalID)
	if err != nil {
		return err
	}
	p, err := loadPeople(ctx, tx, ap, &req.prolongationFields, req.AssignedToID)
	if err != nil {
		return err
	}
	to, err := reminderRecipients(ctx, tx, req)
	if err != nil {
		return err
	}
	for _, r := range to {
		body := mail.Body{Greeting: greeting(r.FirstName),
			Paragraphs: []string{
				fmt.Sprintf("La demande de prolongation du PASS IAE de %s faite par %s le %s attend toujours une réponse de %s.",
					p.jobSeeker(), orDefault(p.CompanyName, "une structure"), localtime.Date(req.CreatedAt), orgOrPrescriber(p.OrgName)),
				requestSummary(ap, &req.prolongationFields),
			},
			Action: s.action("Traiter la demande de prolongation", RequestPath(req.ID))}
		if err := mail.Enqueue(ctx, tx, mail.Compose(r.Email, "Rappel : demande de prolongation du PASS IAE de "+p.jobSeeker(), body)); err != nil {
			return err
		}
	}
	return nil
}
