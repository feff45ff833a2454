package application

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/approval"
	"emplois/internal/eligibility"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/blob"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
)

// Audit actions written by this package: one per transition ("job_application_<transition>"),
// plus these.
const (
	ActionSubmitted      = "job_application_submitted"
	ActionArchived       = "job_application_archived"
	ActionUnarchived     = "job_application_unarchived"
	ActionDatesEdited    = "job_application_contract_dates_edited"
	ActionPriorAction    = "job_application_prior_action"
	ActionResumeOpened   = "job_application_resume_opened"
	ActionCommentDeleted = "job_application_comment_deleted"
)

// Refusals a user may meet.
var (
	ErrNotFound = fault.NotFound("Cette candidature n'existe pas.")
	// ErrForbidden: the viewer may not act on this candidature.
	ErrForbidden = fault.Forbidden("Vous ne pouvez pas effectuer cette action sur cette candidature.")
	// ErrCannotApply: staff, institution members and professionals without an organization (§3.0-1).
	ErrCannotApply = fault.Forbidden("Vous ne pouvez pas déposer de candidature.")
	// ErrNotRegistered: the company does not take online candidatures (§3.0-2).
	ErrNotRegistered = fault.Forbidden("Cet employeur n'est pas inscrit, vous ne pouvez pas déposer de candidatures en ligne.")
	// ErrBlocked: the company blocks candidatures from non-members (R4, §3.0-4).
	ErrBlocked = fault.Forbidden("Cet employeur ne souhaite pas recevoir de candidatures pour le moment.")
	// ErrRecentSelf and ErrRecentProxy: the 24-hour rule (R2, §3.0-5).
	ErrRecentSelf  = fault.Forbidden("Vous avez déjà postulé chez cet employeur durant les dernières 24 heures.")
	ErrRecentProxy = fault.Forbidden("Ce candidat a déjà postulé chez cet employeur durant les dernières 24 heures.")
	// ErrNoAutoPrescription: auto-prescription and direct hire are for SIAE and GEIQ only (§3.3, §3.4).
	ErrNoAutoPrescription = fault.Forbidden("Votre structure ne peut pas enregistrer de candidature pour elle-même.")
	// ErrJobSeekerNotFound: the job seeker of a proxy submission does not exist (§3.0-8).
	ErrJobSeekerNotFound = fault.NotFound("Ce candidat n'existe pas.")
)

// Messages of the job selection (R5–R7).
const (
	msgNoJob             = "Sélectionnez au moins un métier ou « Candidature spontanée »."
	msgJobAndSpontaneous = "Choisissez des métiers ou « Candidature spontanée », pas les deux."
	msgSpontaneousClosed = "Cet employeur ne souhaite pas recevoir de candidatures spontanées pour le moment."
	msgJobClosed         = "Cet employeur a fermé les candidatures pour un des métiers sélectionnés."
	msgUnknownJob        = "Ce métier ne fait pas partie des fiches de poste de cet employeur."
)

// AssignFunc records that a professional follows a job seeker for an organization
// (job_seeker_assignment, actors.md §2.3), in the caller's transaction. actionKind is "APPLY",
// "ACCEPT" or "HIRE"; professionalID 0 with unknownAdvisor means "Non référencé sur le service".
// The job seeker package provides it; nil skips assignments.
type AssignFunc func(ctx context.Context, tx bun.IDB, jobSeekerID, professionalID int64, organization *actor.Organization, actionKind string, unknownAdvisor bool) error

// Service is what job seekers, prescribers, employers, staff and the worker may do with
// candidatures.
type Service struct {
	db           *db.DB
	blobs        *blob.Store
	baseURL      string
	supportEmail string

	// Eligibility and Approvals decide the diagnosis and the PASS IAE of an acceptance.
	Eligibility *eligibility.Service
	Approvals   *approval.Service
	// Assign records job seeker assignments (provided by the job seeker package; nil: skipped).
	Assign AssignFunc
	// MayEditJobSeeker tells whether the actor may complete the profile of the job seeker of
	// this public id (the job seeker package's rule; nil: nobody), which a proxy's check step
	// then asks when it lacks the birth date or the France Travail situation (§3.2-3).
	MayEditJobSeeker func(ctx context.Context, a actor.Actor, publicID string) (bool, error)
	// Now is the clock (tests move it).
	Now func() time.Time
	// ReminderAfter is how long a candidature waits for an answer before its company's members
	// are reminded of it (0: ReminderAfter).
	ReminderAfter time.Duration
}

// NewService returns the service; CVs go to blobs; links in mails start with cfg.BaseURL.
func NewService(d *db.DB, cfg config.Config, blobs *blob.Store) *Service {
	return &Service{db: d, blobs: blobs, baseURL: strings.TrimSuffix(cfg.BaseURL.String(), "/"),
		supportEmail: cfg.SupportEmail, Now: time.Now, ReminderAfter: time.Duration(cfg.ReminderDays) * 24 * time.Hour}
}

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// DetailsPath is the employer's page of a candidature (linked from mails).
func DetailsPath(publicID string) string { return "/apply/" + publicID + "/siae/details" }

// SenderDetailsPath is the prescriber's and job seeker's page of a candidature.
func SenderDetailsPath(publicID string) string { return "/apply/" + publicID + "/prescriber/details" }

// The lists of applications.md §4, linked from dashboards, tunnels and mails.
const (
	InboxPath         = "/apply/siae/list"          // received by the current company
	SentListPath      = "/apply/prescriptions/list" // sent by the current organization
	JobSeekerListPath = "/apply/job_seeker/list"    // the job seeker's own
)

// StartPath is the start of the submission tunnels towards a company (applications.md §3.1 step 1).
func StartPath(companyUID string) string { return "/apply/" + companyUID + "/start" }

// object is a candidature as the object of an audit event.
func object(publicID string) audit.Object { return audit.Object{Type: "job_application", ID: publicID} }

// companyOf is the company the actor acts for, 0 when none.
func companyOf(a actor.Actor) int64 {
	if o := a.Organization; o != nil && org.Type(o.Type) == org.TypeCompany {
		return o.ID
	}
	return 0
}

// prescriberOf is the prescriber organization the actor acts for, 0 when none.
func prescriberOf(a actor.Actor) int64 {
	if o := a.Organization; o != nil && org.Type(o.Type) == org.TypePrescriber {
		return o.ID
	}
	return 0
}

func idPtr(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func joinName(first, last string) string {
	return strings.TrimSpace(first + " " + strings.ToUpper(last))
}

// --- queries on the organization and user tables (owned by org and account), in our transactions

func companyByID(ctx context.Context, idb bun.IDB, id int64) (*org.Company, error) {
	co := new(org.Company)
	err := idb.NewSelect().Model(co).Relation("Convention").Where("co.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotRegistered
	}
	if err != nil {
		return nil, fmt.Errorf("application: company %d: %w", id, err)
	}
	return co, nil
}

func companyByUID(ctx context.Context, idb bun.IDB, uid string) (*org.Company, error) {
	co := new(org.Company)
	err := idb.NewSelect().Model(co).Relation("Convention").Where("co.uid = ?", uid).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotRegistered
	}
	if err != nil {
		return nil, fmt.Errorf("application: company: %w", err)
	}
	return co, nil
}

func prescriberByID(ctx context.Context, idb bun.IDB, id int64) (*org.PrescriberOrganization, error) {
	po := new(org.PrescriberOrganization)
	if err := idb.NewSelect().Model(po).Where("po.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("application: prescriber organization %d: %w", id, err)
	}
	return po, nil
}

// isMember reports whether the user is an active member (membership and account) of the
// organization of table ("company_membership", "prescriber_membership").
func isMember(ctx context.Context, idb bun.IDB, table string, userID, orgID int64) (bool, error) {
	if userID == 0 || orgID == 0 {
		return false, nil
	}
	ok, err := idb.NewSelect().TableExpr(table+" AS m").ColumnExpr("1").
		Join("JOIN users AS u ON u.id = m.user_id").
		Where("m.user_id = ?", userID).Where("m.organization_id = ?", orgID).
		Where("m.is_active").Where("u.is_active").Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("application: membership: %w", err)
	}
	return ok, nil
}

func isCompanyMember(ctx context.Context, idb bun.IDB, userID, companyID int64) (bool, error) {
	return isMember(ctx, idb, "company_membership", userID, companyID)
}

// activeMemberCount counts the active members of a company (§3.0-2).
func activeMemberCount(ctx context.Context, idb bun.IDB, companyID int64) (int, error) {
	n, err := idb.NewSelect().TableExpr("company_membership AS m").
		Join("JOIN users AS u ON u.id = m.user_id").
		Where("m.organization_id = ?", companyID).Where("m.is_active").Where("u.is_active").Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("application: members of %d: %w", companyID, err)
	}
	return int(n), nil
}

func personByID(ctx context.Context, idb bun.IDB, id int64) (*person, error) {
	p := new(person)
	err := idb.NewSelect().Model(p).Where("u.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("application: user %d: %w", id, err)
	}
	return p, nil
}

func personByPublicID(ctx context.Context, idb bun.IDB, publicID string) (*person, error) {
	p := new(person)
	err := idb.NewSelect().Model(p).Where("u.public_id = ?", publicID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("application: user: %w", err)
	}
	return p, nil
}

// lockRow locks one row of table by id on PostgreSQL (SQLite's write transaction is already
// exclusive once it writes; the callers write right after).
func (s *Service) lockRow(ctx context.Context, tx bun.Tx, table string, id int64) error {
	if s.db.Engine != db.Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "SELECT id FROM "+table+" WHERE id = ? FOR UPDATE", id); err != nil {
		return fmt.Errorf("application: lock %s %d: %w", table, id, err)
	}
	return nil
}

// lockJobSeekerOf locks the job seeker of a candidature (whose job seeker never changes); an
// unknown candidature is left to byPublicID.
func (s *Service) lockJobSeekerOf(ctx context.Context, tx bun.Tx, publicID string) error {
	if _, err := uuid.Parse(publicID); err != nil || s.db.Engine != db.Postgres {
		return nil
	}
	var ids []int64
	if err := tx.NewSelect().Table("job_application").Column("job_seeker_id").Where("public_id = ?", publicID).Scan(ctx, &ids); err != nil {
		return fmt.Errorf("application: job seeker of %s: %w", publicID, err)
	}
	if len(ids) == 0 {
		return nil
	}
	return s.lockRow(ctx, tx, "users", ids[0])
}

// byPublicID loads a candidature, locking its row when tx is a transaction on PostgreSQL.
func (s *Service) byPublicID(ctx context.Context, idb bun.IDB, publicID string, lock bool) (*Application, error) {
	if _, err := uuid.Parse(publicID); err != nil {
		return nil, ErrNotFound
	}
	a := new(Application)
	q := idb.NewSelect().Model(a).Where("ja.public_id = ?", publicID)
	if lock && s.db.Engine == db.Postgres {
		q = q.For("UPDATE")
	}
	err := q.Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("application: %s: %w", publicID, err)
	}
	return a, nil
}

// writeLog appends a timeline line.
func writeLog(ctx context.Context, idb bun.IDB, e *LogEntry) error {
	if e.Details == "" {
		e.Details = "{}"
	}
	if _, err := idb.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("application: log %s: %w", e.Transition, err)
	}
	return nil
}

// jsonText is the JSON of a log line's details.
func jsonText(details map[string]any) string {
	b, err := json.Marshal(details)
	if err != nil {
		return "{}"
	}
	return string(b)
}
