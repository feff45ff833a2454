package approval

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/jobseeker"
	"emplois/internal/platform/db"
	"emplois/internal/platform/francetravail"
)

// The notification of each PASS IAE to France Travail (approvals.md §2.13, asp.md §6.3–6.7):
// a batch every 5 minutes finds the person's identifier at France Travail, then sends the PASS.
// Every change of a PASS's dates puts it back to pending (Service.setDates), so France Travail
// always learns the last dates; a failure to reach it is retried at every run, without a cap.

// Notification statuses of a PASS.
const (
	notificationReady       = "notification_ready"
	notificationSuccess     = "notification_success"
	notificationShouldRetry = "notification_should_retry"
	notificationError       = "notification_error"
)

// Endpoints and exit codes recorded by the notification (asp.md §6.5).
const (
	endpointSearch       = "rech_individu"
	endpointUpdate       = "maj_pass"
	codeStartsInFuture   = "STARTS_IN_FUTURE"
	codeInvalidSIAEKind  = "INVALID_SIAE_KIND"
	codeMissingUserData  = "MISSING_USER_DATA"
	codeEmptyIdentifier  = "empty_nir"
	notificationPerRun   = 140
	notificationRunHours = 22 // the batch runs from 00:00 to 21:59 UTC
)

// ftSIAETypes is typeSIAE by the kind of the company that hired (asp.md §6.4), with upstream's
// mapping of GEIQ, EA and EATT kept.
var ftSIAETypes = map[string]int{"ACI": 836, "AI": 837, "EI": 838, "ETTI": 839, "EITI": 840, "GEIQ": 838, "EA": 838, "EATT": 840}

// FTSIAEType is the typeSIAE of a company kind; ok=false for a kind France Travail does not know.
func FTSIAEType(kind string) (int, bool) {
	t, ok := ftSIAETypes[kind]
	return t, ok
}

// FTOrigin is the origineCandidature of the sender kind of the hire.
func FTOrigin(senderKind string) string {
	switch senderKind {
	case "prescriber":
		return "PRES"
	case "employer":
		return "EMPL"
	}
	return "DEMA"
}

// FTPrescriberTypology is the typologiePrescripteur of the prescriber organization kind ("":
// the key is left out).
func FTPrescriberTypology(kind string) string {
	switch kind {
	case "":
		return ""
	case "FT":
		return "PE"
	case "ASE", "CAARUD", "CIDFF", "CSAPA", "PENSION", "PJJ", "PREVENTION", "SPIP":
		return "Autre"
	}
	return kind
}

// NotifyRunDue reports whether the batch may run at t: every 5 minutes between 00:00 and 21:59 UTC.
func NotifyRunDue(t time.Time) bool { return t.UTC().Hour() < notificationRunHours }

// notice is a PASS, or a cancelled one, to tell France Travail about, with its holder's identity.
type notice struct {
	cancelled      bool
	id             int64
	number         string
	start, end     time.Time
	siret          string
	siaeKind       string
	senderKind     string
	prescriberKind string
	userID         int64 // 0 for a cancelled PASS: its identity is a copy
	firstName      string
	lastName       string
	nir            string
	birthdate      *time.Time
	idNational     string
}

// Outcome is what one attempt stores on the PASS (asp.md §6.5).
type Outcome struct {
	Status, Endpoint, ExitCode string
}

// precheck is the part of §6.5 decided before any call: a PASS that starts in the future, a
// company kind France Travail does not know, an identity too incomplete to send.
func (n notice) precheck(today time.Time) (Outcome, bool) {
	switch {
	case n.start.After(today):
		return Outcome{Status: notificationPending, ExitCode: codeStartsInFuture}, true
	case ftSIAETypes[n.siaeKind] == 0:
		return Outcome{Status: notificationError, ExitCode: codeInvalidSIAEKind}, true
	case n.firstName == "" || n.lastName == "" || n.nir == "" || n.birthdate == nil:
		return Outcome{Status: notificationPending, ExitCode: codeMissingUserData}, true
	}
	return Outcome{}, false
}

// update is the body of « mise à jour PASS IAE »: a cancelled PASS ends on its start.
func (n notice) update(idNational string) francetravail.PASSUpdate {
	end := n.end
	if n.cancelled {
		end = n.start
	}
	return francetravail.PASSUpdate{Start: n.start.Format(time.DateOnly), End: end.Format(time.DateOnly),
		IDNational: idNational, Number: n.number, Status: "A", SIRET: n.siret, SIAEType: ftSIAETypes[n.siaeKind],
		Origin: FTOrigin(n.senderKind), PrescriberTypology: FTPrescriberTypology(n.prescriberKind)}
}

// Notifier sends the PASS IAE to France Travail.
type Notifier struct {
	db  *db.DB
	ft  *francetravail.Client
	log *slog.Logger
	Now func() time.Time
	// Pause is the wait between two notifications (1 s, as upstream: France Travail's quota).
	Pause time.Duration
}

// NewNotifier returns the notifier of the PASS IAE through ft.
func NewNotifier(d *db.DB, ft *francetravail.Client, log *slog.Logger) *Notifier {
	return &Notifier{db: d, ft: ft, log: log, Now: time.Now, Pause: time.Second}
}

// Run is one pass of the batch (asp.md §6.6): the PASS whose person France Travail now knows go
// back to pending, the pending ones that may be sent become ready, then the ready ones and
// those to retry are sent, newest start first, at most 140 in all. It returns how many it sent.
func (n *Notifier) Run(ctx context.Context) (int, error) {
	today := Today(n.Now())
	if err := n.promote(ctx, today); err != nil {
		return 0, err
	}
	notices, err := n.due(ctx, false, notificationPerRun)
	if err != nil {
		return 0, err
	}
	cancelled, err := n.due(ctx, true, notificationPerRun-len(notices))
	if err != nil {
		return 0, err
	}
	notices = append(notices, cancelled...)
	failed := 0
	for i, x := range notices {
		if i > 0 && n.Pause > 0 {
			select {
			case <-ctx.Done():
				return i, ctx.Err()
			case <-time.After(n.Pause):
			}
		}
		o, err := n.notify(ctx, x, today)
		if err != nil {
			return i, err
		}
		if o.Status == notificationError || o.Status == notificationShouldRetry {
			failed++
		}
		if err := n.record(ctx, x, o); err != nil {
			return i, err
		}
	}
	if len(notices) == notificationPerRun && failed == len(notices) {
		n.log.Error("France Travail: every PASS IAE of the run failed, something must be wrong", "notices", failed)
	}
	return len(notices), nil
}

// promote runs steps 1–3 of asp.md §6.6.
func (n *Notifier) promote(ctx context.Context, today time.Time) error {
	return n.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Table("approval").Set("pe_notification_status = ?", notificationPending).
			Where("pe_notification_status = ? AND pe_notification_endpoint = ?", notificationError, endpointSearch).
			Where("EXISTS (SELECT 1 FROM job_seeker_profile AS p WHERE p.user_id = approval.user_id AND p.pe_obfuscated_nir <> '')").
			Exec(ctx); err != nil {
			return fmt.Errorf("approval: notifications to search again: %w", err)
		}
		if _, err := tx.NewUpdate().Table("approval").Set("pe_notification_status = ?", notificationReady).
			Where("pe_notification_status = ? AND start_at <= ?", notificationPending, today).
			Where("EXISTS (SELECT 1 FROM job_application AS ja WHERE ja.approval_id = approval.id AND ja.state = 'accepted')").
			Where(`EXISTS (SELECT 1 FROM job_seeker_profile AS p JOIN users AS u ON u.id = p.user_id WHERE p.user_id = approval.user_id
				AND p.nir <> '' AND p.birthdate IS NOT NULL AND u.first_name <> '' AND u.last_name <> '')`).
			Exec(ctx); err != nil {
			return fmt.Errorf("approval: notifications ready: %w", err)
		}
		if _, err := tx.NewUpdate().Table("cancelled_approval").Set("pe_notification_status = ?", notificationReady).
			Where("pe_notification_status = ? AND start_at <= ?", notificationPending, today).
			Where("user_nir <> '' AND user_birthdate IS NOT NULL AND user_first_name <> '' AND user_last_name <> ''").
			Exec(ctx); err != nil {
			return fmt.Errorf("approval: cancelled notifications ready: %w", err)
		}
		return nil
	})
}

// due reads the PASS to send (steps 4–5), newest start first.
func (n *Notifier) due(ctx context.Context, cancelled bool, limit int) ([]notice, error) {
	if limit <= 0 {
		return nil, nil
	}
	var rows []struct {
		ID             int64      `bun:"id"`
		Number         string     `bun:"number"`
		StartAt        time.Time  `bun:"start_at,type:date"`
		EndAt          time.Time  `bun:"end_at,type:date"`
		SIRET          *string    `bun:"origin_siae_siret"`
		SIAEKind       string     `bun:"origin_siae_kind"`
		SenderKind     string     `bun:"origin_sender_kind"`
		PrescriberKind string     `bun:"origin_prescriber_organization_kind"`
		UserID         int64      `bun:"user_id"`
		FirstName      string     `bun:"first_name"`
		LastName       string     `bun:"last_name"`
		NIR            *string    `bun:"nir"`
		Birthdate      *time.Time `bun:"birthdate,type:date"`
		IDNational     *string    `bun:"id_national"`
	}
	q := n.db.NewSelect().ColumnExpr("a.id, a.number, a.start_at, a.end_at, a.origin_siae_siret, a.origin_siae_kind").
		ColumnExpr("a.origin_sender_kind, a.origin_prescriber_organization_kind").
		Where("a.pe_notification_status IN (?)", bun.List([]string{notificationReady, notificationShouldRetry})).
		OrderExpr("a.start_at DESC, a.id DESC").Limit(int64(limit))
	if cancelled {
		q = q.TableExpr("cancelled_approval AS a").
			ColumnExpr("0 AS user_id, a.user_first_name AS first_name, a.user_last_name AS last_name, a.user_nir AS nir").
			ColumnExpr("a.user_birthdate AS birthdate, a.user_id_national_pe AS id_national")
	} else {
		q = q.TableExpr("approval AS a").Join("JOIN users AS u ON u.id = a.user_id").
			Join("LEFT JOIN job_seeker_profile AS p ON p.user_id = a.user_id").
			ColumnExpr("a.user_id, u.first_name, u.last_name, p.nir, p.birthdate, p.pe_obfuscated_nir AS id_national")
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("approval: PASS to notify: %w", err)
	}
	out := make([]notice, len(rows))
	for i, r := range rows {
		out[i] = notice{cancelled: cancelled, id: r.ID, number: r.Number, start: r.StartAt, end: r.EndAt,
			siret: deref(r.SIRET), siaeKind: r.SIAEKind, senderKind: r.SenderKind, prescriberKind: r.PrescriberKind,
			userID: r.UserID, firstName: r.FirstName, lastName: r.LastName, nir: deref(r.NIR), birthdate: r.Birthdate,
			idNational: deref(r.IDNational)}
	}
	return out, nil
}

// notify is one attempt (asp.md §6.5): the checks, the search of the person when France Travail's
// identifier is not known yet, then the update.
func (n *Notifier) notify(ctx context.Context, x notice, today time.Time) (Outcome, error) {
	if o, done := x.precheck(today); done {
		return o, nil
	}
	id := x.idNational
	if id == "" {
		person, err := n.ft.SearchIndividual(ctx, francetravail.IndividualQuery{Birthdate: x.birthdate, NIR: x.nir,
			LastName: x.lastName, FirstName: x.firstName})
		switch {
		case francetravail.Retryable(err):
			n.log.Warn("France Travail: search of a PASS holder failed, will retry", "pass_id", x.id, "err", err)
			return Outcome{Status: notificationShouldRetry}, nil
		case err != nil:
			return Outcome{}, err
		case person.Code == francetravail.IndividualFound && person.ID == "":
			return Outcome{Status: notificationError, Endpoint: endpointSearch, ExitCode: codeEmptyIdentifier}, nil
		case !person.Found():
			return Outcome{Status: notificationError, Endpoint: endpointSearch, ExitCode: person.Code}, nil
		}
		id = person.ID
		if err := n.rememberIdentifier(ctx, x, id); err != nil {
			return Outcome{}, err
		}
	}
	answer, err := n.ft.UpdatePASS(ctx, x.update(id))
	switch {
	case francetravail.Retryable(err):
		n.log.Warn("France Travail: PASS IAE update failed, will retry", "pass_id", x.id, "err", err)
		return Outcome{Status: notificationShouldRetry}, nil
	case err != nil:
		return Outcome{}, err
	case answer.Code != francetravail.PASSUpdated:
		return Outcome{Status: notificationError, Endpoint: endpointUpdate, ExitCode: answer.Code}, nil
	}
	return Outcome{Status: notificationSuccess}, nil
}

// rememberIdentifier keeps France Travail's identifier of the person (asp.md §6.3): on the
// profile, with the identity certification, or on the cancelled PASS.
func (n *Notifier) rememberIdentifier(ctx context.Context, x notice, id string) error {
	now := n.Now().UTC()
	if x.cancelled {
		_, err := n.db.NewUpdate().Table("cancelled_approval").Set("user_id_national_pe = ?", id).Where("id = ?", x.id).Exec(ctx)
		return err
	}
	return n.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Table("job_seeker_profile").Set("pe_obfuscated_nir = ?", id).
			Set("pe_last_certification_attempt_at = ?", now).Where("user_id = ?", x.userID).Exec(ctx); err != nil {
			return err
		}
		return jobseeker.RecordCertification(ctx, tx, x.userID, jobseeker.CertifierFTIndividu, now)
	})
}

// record writes the outcome's four columns, and nothing else: not the PASS's updated_at.
func (n *Notifier) record(ctx context.Context, x notice, o Outcome) error {
	table := "approval"
	if x.cancelled {
		table = "cancelled_approval"
	}
	_, err := n.db.NewUpdate().Table(table).Where("id = ?", x.id).
		Set("pe_notification_status = ?", o.Status).Set("pe_notification_time = ?", n.Now().UTC()).
		Set("pe_notification_endpoint = ?", o.Endpoint).Set("pe_notification_exit_code = ?", o.ExitCode).Exec(ctx)
	if err != nil {
		return fmt.Errorf("approval: notification outcome of %s %d: %w", table, x.id, err)
	}
	return nil
}
