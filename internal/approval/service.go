package approval

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/blob"
	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
)

// Audit actions written by this package.
const (
	ActionIssued              = "approval_issued"
	ActionCancelled           = "approval_cancelled"
	ActionRestarted           = "approval_restarted"
	ActionSuspended           = "approval_suspended"
	ActionSuspensionEdited    = "approval_suspension_edited"
	ActionSuspensionEnded     = "approval_suspension_ended"
	ActionSuspensionDeleted   = "approval_suspension_deleted"
	ActionSuspensionLifted    = "approval_suspension_lifted"
	ActionProlonged           = "approval_prolonged"
	ActionProlongationEdited  = "approval_prolongation_edited"
	ActionProlongationAsked   = "approval_prolongation_requested"
	ActionProlongationGranted = "approval_prolongation_granted"
	ActionProlongationDenied  = "approval_prolongation_denied"
)

// Refusals a user may meet.
var (
	ErrNotFound = fault.NotFound("Ce PASS IAE n'existe pas.")
	// ErrAlreadyValid: a user holds at most one valid PASS (§2.7).
	ErrAlreadyValid = fault.Conflict("Ce candidat a déjà un PASS IAE valide.")
	// ErrNotLastHirer: only the SIAE of the last hire suspends (§2.10, scenario 11).
	ErrNotLastHirer = fault.Forbidden("Un autre employeur a embauché ce candidat depuis : seul ce dernier peut suspendre le PASS IAE.")
	// ErrNoDiagnosis and ErrNoStart: a PASS issued here needs both (§2.8-1, §2.8-5).
	ErrNoDiagnosis = fault.Conflict("Un diagnostic d'éligibilité valide est nécessaire pour délivrer un PASS IAE.")
	ErrNoStart     = fault.Invalid("La date de début du contrat est obligatoire pour délivrer un PASS IAE.")
	// ErrHiringAfterEnd: a valid PASS is reused only for a hire starting by its end (§2.8-4).
	ErrHiringAfterEnd = fault.Conflict("La date de début du contrat est postérieure à la date de fin du PASS IAE.")
	ErrNotStarted     = fault.Conflict("Ce PASS IAE n'a pas encore démarré.")
	ErrExpired        = fault.Conflict("Ce PASS IAE a expiré.")
	ErrSuspended      = fault.Conflict("Ce PASS IAE est déjà suspendu.")
	// ErrSuspensionNotInProgress: only an ongoing suspension is managed (§2.10).
	ErrSuspensionNotInProgress = fault.Conflict("Seule une suspension en cours peut être modifiée.")
	ErrTooEarly                = fault.Conflict("Ce PASS IAE ne pourra être prolongé que dans les 12 mois précédant sa fin.")
	ErrTooLate                 = fault.Conflict("Ce PASS IAE a expiré depuis plus de 6 mois : il ne peut plus être prolongé.")
	ErrNotLatest               = fault.Conflict("Un PASS IAE plus récent existe pour ce candidat : celui-ci ne peut plus être prolongé.")
	ErrRequestPending          = fault.Conflict("Une demande de prolongation est déjà en attente pour ce PASS IAE.")
	ErrRequestNotFound         = fault.NotFound("Cette demande de prolongation n'existe pas.")
	ErrNotHabilitated          = fault.Forbidden("Votre organisation n'est pas habilitée : vous ne pouvez pas traiter cette demande de prolongation.")
	ErrRequestGranted          = fault.Conflict("Cette demande de prolongation a déjà été acceptée.")
	ErrRequestDenied           = fault.Conflict("Cette demande de prolongation a déjà été refusée.")
)

// Service is what employers, habilitated prescribers and the candidature acceptance may do
// with a PASS IAE.
type Service struct {
	db     *db.DB
	prefix string
	mail   MailSettings
	// diagnoses finds the diagnosis of a manual delivery (manual.go).
	diagnoses DiagnosisFinder
	// Now is the clock (tests move it).
	Now func() time.Time
	// Files keeps the report files of prolongation requests (EMPLOIS_BLOB_URL); the wiring sets it.
	Files *blob.Store
}

// NewService returns the service; prefix starts the numbers it issues (§2.7: "99999", "XXXXX"
// in tests).
func NewService(d *db.DB, prefix string) *Service {
	return &Service{db: d, prefix: prefix, Now: time.Now}
}

func (s *Service) now() time.Time   { return s.Now().UTC().Truncate(time.Microsecond) }
func (s *Service) today() time.Time { return Today(s.Now()) }

func object(a *Approval) audit.Object { return audit.Object{Type: "approval", ID: a.PublicID} }

func userID(a actor.Actor) *int64 {
	if a.UserID == 0 {
		return nil
	}
	id := a.UserID
	return &id
}

// companyOf is the company the actor acts for, with its kind; 0 when none.
func companyOf(a actor.Actor) (int64, org.CompanyKind) {
	if a.Kind != actor.Professional || a.Organization == nil || a.Organization.Type != string(org.TypeCompany) {
		return 0, ""
	}
	return a.Organization.ID, org.CompanyKind(a.Organization.Kind)
}

// setDates is the one way the dates of a PASS change: it also sets its France Travail
// notification back to pending (§2.13).
func (s *Service) setDates(ctx context.Context, tx bun.IDB, a *Approval, start, end time.Time) error {
	a.StartAt, a.EndAt, a.PENotificationStatus, a.UpdatedAt = day(start), day(end), notificationPending, s.now()
	_, err := tx.NewUpdate().Model(a).Column("start_at", "end_at", "pe_notification_status", "updated_at").WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("approval: set dates of %s: %w", a.PublicID, err)
	}
	return nil
}

// shiftEnd moves the end of a PASS by days (a suspension's or prolongation's delta, §7).
func (s *Service) shiftEnd(ctx context.Context, tx bun.IDB, a *Approval, days int) error {
	if days == 0 {
		return nil
	}
	return s.setDates(ctx, tx, a, a.StartAt, addDays(a.EndAt, days))
}

// lock takes the row lock of a PASS (an UPDATE, so one statement on both engines) and loads it
// with its suspensions, prolongations and requests.
func lock(ctx context.Context, tx bun.IDB, where string, arg any) (*Approval, error) {
	res, err := tx.NewUpdate().Table("approval").Set("updated_at = updated_at").Where(where, arg).Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("approval: lock: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, ErrNotFound
	}
	return load(ctx, tx, where, arg)
}

// load reads a PASS with its children: one query each, whatever their number.
func load(ctx context.Context, idb bun.IDB, where string, arg any) (*Approval, error) {
	a := new(Approval)
	err := idb.NewSelect().Model(a).Where("approval."+where, arg).
		Relation("Suspensions", func(q *bun.SelectQuery) *bun.SelectQuery { return q.Order("start_at") }).
		Relation("Prolongations", func(q *bun.SelectQuery) *bun.SelectQuery { return q.Order("start_at") }).
		Relation("Requests", func(q *bun.SelectQuery) *bun.SelectQuery { return q.OrderExpr("created_at DESC, id DESC") }).
		Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("approval: load: %w", err)
	}
	return a, nil
}

// Get returns a PASS by public id with its suspensions, prolongations and requests.
func (s *Service) Get(ctx context.Context, publicID string) (*Approval, error) {
	return load(ctx, s.db, "public_id = ?", publicID)
}

// IssueInput is a new PASS as the candidature acceptance (or staff) asks for it (§2.8).
type IssueInput struct {
	Actor                  actor.Actor
	UserID                 int64
	StartAt                time.Time
	EligibilityDiagnosisID int64
	// Copied from the candidature.
	OriginSIAESIRET                  string
	OriginSIAEKind                   string
	OriginSenderKind                 string
	OriginPrescriberOrganizationKind string
	// Origin is OriginDefault when empty; staff delivering by hand issue OriginAdmin (§2.8-6).
	Origin Origin
}

// Issue creates a PASS in the caller's transaction: from StartAt for the default duration,
// with the next number taken under the lock of approval_number_lock, refused when the user
// already holds a valid PASS.
func (s *Service) Issue(ctx context.Context, tx bun.IDB, in IssueInput) (*Approval, error) {
	if in.EligibilityDiagnosisID == 0 {
		return nil, ErrNoDiagnosis
	}
	if in.StartAt.IsZero() {
		return nil, ErrNoStart
	}
	// An UPDATE locks the row on PostgreSQL and takes SQLite's write lock (transactions are
	// IMMEDIATE there already): concurrent issues wait here, then see each other's rows.
	if _, err := tx.NewUpdate().Table("approval_number_lock").Set("id = id").Where("id = 1").Exec(ctx); err != nil {
		return nil, fmt.Errorf("approval: lock numbers: %w", err)
	}
	today := s.today()
	valid, err := HasValid(ctx, tx, in.UserID, today)
	if err != nil {
		return nil, err
	}
	if valid {
		return nil, ErrAlreadyValid
	}
	number, err := s.nextNumber(ctx, tx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	diagnosis := in.EligibilityDiagnosisID
	a := &Approval{PublicID: uuid.NewString(), Number: number, StartAt: day(in.StartAt), EndAt: DefaultEnd(in.StartAt),
		UserID: in.UserID, CreatedByID: userID(in.Actor), Origin: cmp.Or(in.Origin, OriginDefault), EligibilityDiagnosisID: &diagnosis,
		OriginSIAEKind: in.OriginSIAEKind, OriginSenderKind: in.OriginSenderKind,
		OriginPrescriberOrganizationKind: in.OriginPrescriberOrganizationKind,
		PENotificationStatus:             notificationPending, CreatedAt: now, UpdatedAt: now}
	if in.OriginSIAESIRET != "" {
		a.OriginSIAESIRET = &in.OriginSIAESIRET
	}
	if _, err := tx.NewInsert().Model(a).Exec(ctx); err != nil {
		return nil, fmt.Errorf("approval: issue: %w", err)
	}
	if err := audit.Record(ctx, tx, in.Actor, ActionIssued, object(a), map[string]any{"number": a.Number}); err != nil {
		return nil, err
	}
	return a, nil
}

// ReuseForHire prepares the user's valid PASS for a hire starting on hiringStart, in the
// acceptance's transaction (§2.8-4): refused when the hire starts after the PASS's end; a PASS
// that has not started and starts after the hire starts on the hire's day, for the default
// duration.
func (s *Service) ReuseForHire(ctx context.Context, tx bun.IDB, a actor.Actor, approvalID int64, hiringStart time.Time) (*Approval, error) {
	ap, err := lock(ctx, tx, "id = ?", approvalID)
	if err != nil {
		return nil, err
	}
	hiringStart = day(hiringStart)
	if hiringStart.After(ap.EndAt) {
		return nil, ErrHiringAfterEnd
	}
	if today := s.today(); ap.StartAt.After(today) && ap.StartAt.After(hiringStart) {
		if err := s.setDates(ctx, tx, ap, hiringStart, DefaultEnd(hiringStart)); err != nil {
			return nil, err
		}
		if err := audit.Record(ctx, tx, a, ActionRestarted, object(ap), nil); err != nil {
			return nil, err
		}
	}
	return ap, nil
}

// nextNumber reads the highest numbers of the prefix among PASS and cancelled PASS (§2.7).
func (s *Service) nextNumber(ctx context.Context, tx bun.IDB) (string, error) {
	var numbers []string
	for _, table := range []string{"approval", "cancelled_approval"} {
		var highest []string
		err := tx.NewSelect().Table(table).Column("number").
			Where("number >= ? AND number <= ?", s.prefix+"0000000", s.prefix+"9999999").
			OrderExpr("number DESC").Limit(1).Scan(ctx, &highest)
		if err != nil {
			return "", fmt.Errorf("approval: highest number in %s: %w", table, err)
		}
		numbers = append(numbers, highest...)
	}
	return NextNumber(s.prefix, numbers...)
}

// Cancel deletes a PASS (§2.12): it writes the CancelledApproval snapshot, detaches the PASS
// from its candidatures and deletes it with its suspensions and prolongations, in the caller's
// transaction.
func (s *Service) Cancel(ctx context.Context, tx bun.IDB, a actor.Actor, approvalID int64) error {
	ap, err := lock(ctx, tx, "id = ?", approvalID)
	if err != nil {
		return err
	}
	var person struct {
		FirstName    string     `bun:"first_name"`
		LastName     string     `bun:"last_name"`
		NIR          *string    `bun:"nir"`
		Birthdate    *time.Time `bun:"birthdate"`
		PoleEmploiID *string    `bun:"pole_emploi_id"`
	}
	err = tx.NewSelect().TableExpr("users AS u").
		ColumnExpr("u.first_name, u.last_name, p.nir, p.birthdate, p.pole_emploi_id").
		Join("LEFT JOIN job_seeker_profile AS p ON p.user_id = u.id").Where("u.id = ?", ap.UserID).Scan(ctx, &person)
	if err != nil {
		return fmt.Errorf("approval: cancel %s: read the job seeker: %w", ap.PublicID, err)
	}
	c := &CancelledApproval{Number: ap.Number, StartAt: ap.StartAt, EndAt: ap.EndAt, Origin: ap.Origin,
		OriginSIAESIRET: ap.OriginSIAESIRET, OriginSIAEKind: ap.OriginSIAEKind, OriginSenderKind: ap.OriginSenderKind,
		OriginPrescriberOrganizationKind: ap.OriginPrescriberOrganizationKind,
		UserFirstName:                    person.FirstName, UserLastName: person.LastName, UserNIR: deref(person.NIR),
		UserBirthdate: person.Birthdate, UserIDNationalPE: deref(person.PoleEmploiID),
		PENotificationStatus: ap.PENotificationStatus, PENotificationTime: ap.PENotificationTime,
		PENotificationEndpoint: ap.PENotificationEndpoint, PENotificationExitCode: ap.PENotificationExitCode, CreatedAt: s.now()}
	if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
		return fmt.Errorf("approval: cancel %s: snapshot: %w", ap.PublicID, err)
	}
	if _, err := tx.NewUpdate().Table("job_application").Set("approval_id = NULL").Where("approval_id = ?", ap.ID).Exec(ctx); err != nil {
		return fmt.Errorf("approval: cancel %s: detach: %w", ap.PublicID, err)
	}
	// The prolongations reference their requests: delete them first, then the PASS cascades.
	if _, err := tx.NewDelete().Model((*Prolongation)(nil)).Where("approval_id = ?", ap.ID).Exec(ctx); err != nil {
		return fmt.Errorf("approval: cancel %s: %w", ap.PublicID, err)
	}
	if _, err := tx.NewDelete().Model(ap).WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("approval: cancel %s: %w", ap.PublicID, err)
	}
	return audit.Record(ctx, tx, a, ActionCancelled, object(ap), map[string]any{"number": ap.Number})
}

// HasValid reports whether the user holds a valid PASS IAE on today: one that has not ended
// (§2.7, a PASS not started yet included).
func HasValid(ctx context.Context, idb bun.IDB, userID int64, today time.Time) (bool, error) {
	ok, err := idb.NewSelect().Model((*Approval)(nil)).Where("user_id = ? AND end_at >= ?", userID, today).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("approval: valid PASS of %d: %w", userID, err)
	}
	return ok, nil
}

// DeletedWithCandidature tells whether cancelling a candidature deletes its PASS (§2.12, edge
// case 12): only when the PASS is linked to exactly one accepted candidature (cancelled ones do
// not count) and does not come from the AI stock.
func DeletedWithCandidature(ctx context.Context, idb bun.IDB, approvalID int64) (bool, error) {
	var row struct {
		Origin   Origin `bun:"origin"`
		Accepted int    `bun:"accepted"`
	}
	err := idb.NewSelect().TableExpr("approval AS a").ColumnExpr("a.origin").
		ColumnExpr("(SELECT COUNT(*) FROM job_application AS ja WHERE ja.approval_id = a.id AND ja.state = 'accepted') AS accepted").
		Where("a.id = ?", approvalID).Scan(ctx, &row)
	if errors.Is(err, sql.ErrNoRows) {
		return false, ErrNotFound
	}
	if err != nil {
		return false, fmt.Errorf("approval: deletable %d: %w", approvalID, err)
	}
	return row.Origin != OriginAIStock && row.Accepted == 1, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// siaeKinds is the SIAE kinds as an SQL list.
var siaeKinds = func() string {
	var ks []string
	for _, k := range org.CompanyKinds {
		if k.IsSIAE() {
			ks = append(ks, "'"+string(k)+"'")
		}
	}
	return "(" + strings.Join(ks, ", ") + ")"
}()

// lastHire is the newest accepted candidature of a job seeker to an SIAE, by processed_at then
// hiring_start_at (§2.10); CompanyID is 0 when there is none.
type lastHire struct {
	CompanyID     int64      `bun:"to_company_id"`
	HiringStartAt *time.Time `bun:"hiring_start_at"`
}

func lastSIAEHire(ctx context.Context, tx bun.IDB, userID int64) (lastHire, error) {
	var h []lastHire
	err := tx.NewSelect().TableExpr("job_application AS ja").ColumnExpr("ja.to_company_id, ja.hiring_start_at").
		Join("JOIN company AS c ON c.id = ja.to_company_id").
		Where("ja.job_seeker_id = ? AND ja.state = 'accepted' AND c.kind IN "+siaeKinds, userID).
		OrderExpr("ja.processed_at DESC, ja.hiring_start_at IS NULL, ja.hiring_start_at DESC, ja.id DESC").Limit(1).Scan(ctx, &h)
	if err != nil || len(h) == 0 {
		return lastHire{}, err
	}
	return h[0], nil
}

// hiredWith: the company has an accepted candidature linked to the PASS (§2.10, §2.11).
func hiredWith(ctx context.Context, tx bun.IDB, approvalID, companyID int64) (bool, error) {
	return tx.NewSelect().Table("job_application").
		Where("approval_id = ? AND to_company_id = ? AND state = 'accepted'", approvalID, companyID).Exists(ctx)
}
