package employeerecord

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/asp"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
)

// Refusals of the fiches salarié.
var (
	ErrNotFound = fault.NotFound("Cette fiche salarié n'existe pas.")
	// ErrNotAdmin: only a company's admins see and declare its fiches (issue 11).
	ErrNotAdmin = fault.Forbidden("Seuls les administrateurs de la structure gèrent les fiches salarié.")
	// ErrNotEligible: the company is not an SIAE with a convention (§2.15).
	ErrNotEligible = fault.Forbidden("Les fiches salarié concernent les SIAE conventionnées par l'ASP (AI, ACI, EI, EITI, ETTI).")
	ErrDuplicate   = fault.Conflict("Une fiche salarié existe déjà pour ce PASS IAE dans votre structure.")
	ErrNotHired    = fault.Invalid("Cette embauche n'ouvre pas de fiche salarié : la candidature doit être acceptée, " +
		"avec un PASS IAE.")
	ErrNotStarted = fault.Invalid("Le contrat n'a pas encore commencé : vous pourrez envoyer la fiche salarié à partir du jour de l'embauche.")
)

// Service is what employers, the support team and the ASP exchange may do with fiches salarié.
type Service struct {
	db  *db.DB
	ref *asp.Store // the ASP reference data the wizard checks against and the lines carry
	Now func() time.Time
}

// NewService returns the service; now is the clock (time.Now in production).
func NewService(d *db.DB, now func() time.Time) *Service {
	return &Service{db: d, ref: asp.NewStore(d), Now: now}
}

func (s *Service) now() time.Time   { return s.Now().UTC().Truncate(time.Microsecond) }
func (s *Service) today() time.Time { return localtime.Day(s.Now()) }

// employer is the structure the actor declares fiches for: an active admin of an eligible
// company (issue 11: only admins see the fiches).
func (s *Service) employer(ctx context.Context, idb bun.IDB, a actor.Actor) (*structure, error) {
	o := a.Organization
	if a.UserID == 0 || a.Kind != actor.Professional || o == nil || org.Type(o.Type) != org.TypeCompany {
		return nil, ErrNotFound
	}
	admin, err := isActiveAdmin(ctx, idb, a.UserID, o.ID)
	if err != nil {
		return nil, err
	}
	if !admin {
		return nil, ErrNotAdmin
	}
	st, err := structureOf(ctx, idb, o.ID)
	if err != nil {
		return nil, err
	}
	if !st.Eligible() {
		return nil, ErrNotEligible
	}
	return st, nil
}

// Candidate is a hire a new fiche may be made from (§2.15): the latest accepted candidature of
// an employee for one PASS IAE.
type Candidate struct {
	ApplicationPublicID string
	JobSeekerPublicID   string
	FirstName, LastName string
	ApprovalNumber      string
	HiringStartAt       *time.Time
}

// Candidates are the hires of the actor's company that may get a fiche (§2.15): accepted, with
// a PASS, not switched off by the support team, without a fiche, and whose PASS has none in
// the whole convention (same ASP SIRET); one per employee and PASS, the latest hire.
func (s *Service) Candidates(ctx context.Context, a actor.Actor) ([]Candidate, error) {
	st, err := s.employer(ctx, s.db, a)
	if err != nil {
		return nil, err
	}
	var rows []hiring
	err = hiringsQuery(s.db).Where("ja.to_company_id = ? AND ja.state = 'accepted' AND ja.create_employee_record", st.ID).
		Where("ap.id IS NOT NULL").
		Where("NOT EXISTS (SELECT 1 FROM employee_record AS er WHERE er.job_application_id = ja.id)").
		Where("NOT EXISTS (SELECT 1 FROM employee_record AS er WHERE er.approval_number = ap.number AND er.siret = ?)", *st.ASPSIRET).
		OrderExpr("ja.hiring_start_at DESC, ja.created_at DESC, ja.id DESC").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("employeerecord: candidates of %d: %w", st.ID, err)
	}
	seen := map[[2]string]bool{}
	var out []Candidate
	for _, h := range rows {
		key := [2]string{h.JobSeekerPublicID, *h.ApprovalNumber}
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, Candidate{ApplicationPublicID: h.PublicID, JobSeekerPublicID: h.JobSeekerPublicID,
			FirstName: h.FirstName, LastName: h.LastName, ApprovalNumber: *h.ApprovalNumber, HiringStartAt: h.HiringStartAt})
	}
	slices.SortStableFunc(out, func(x, y Candidate) int {
		return cmp.Or(cmp.Compare(x.LastName, y.LastName), cmp.Compare(x.FirstName, y.FirstName))
	})
	return out, nil
}

// Create makes the fiche of a hire of the actor's company, at the wizard's step 3 (§2.15),
// with the NTT typed at step 1 ("" when the NIR does the job): every precondition is checked.
func (s *Service) Create(ctx context.Context, a actor.Actor, applicationPublicID, ntt string) (*Record, error) {
	var r *Record
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		st, err := s.employer(ctx, tx, a)
		if err != nil {
			return err
		}
		h, err := hiringByPublicID(ctx, tx, applicationPublicID, st.ID)
		if err != nil {
			return err
		}
		if h.State != "accepted" || h.ApprovalNumber == nil || !h.CreateEmployeeRecord {
			return ErrNotHired
		}
		if err := s.check(ctx, tx, h, ntt, CreationProblems); err != nil {
			return err
		}
		now := s.now()
		r = &Record{PublicID: uuid.NewString(), Status: StatusNew, JobApplicationID: h.ID, CreatedAt: now, UpdatedAt: now}
		if ntt != "" {
			r.NTT = &ntt
		}
		refresh(r, st, h)
		dup, err := duplicateExists(ctx, tx, r.ASPMeasure, r.SIRET, r.ApprovalNumber, 0)
		if err != nil {
			return err
		}
		if dup {
			return ErrDuplicate
		}
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return fmt.Errorf("employeerecord: create for %s: %w", h.PublicID, err)
		}
		return audit.Record(ctx, tx, a, ActionCreated, object(r), map[string]any{"job_application": h.PublicID})
	})
	return r, err
}

// check applies the preconditions to the employee of the hire, with the fiche's NTT.
func (s *Service) check(ctx context.Context, idb bun.IDB, h *hiring, ntt string, problems func(Person) error) error {
	p, err := person(ctx, idb, h.JobSeekerID)
	if err != nil {
		return err
	}
	p.NTT = ntt
	return problems(p)
}

// refresh copies what identifies the fiche at the ASP from its company and hire (§2.15): they
// may change between creation and sending.
func refresh(r *Record, st *structure, h *hiring) {
	r.SIRET, r.ASPID, r.ASPMeasure, r.ApprovalNumber = *st.ASPSIRET, *st.ASPID, st.measure(), *h.ApprovalNumber
}

// Get returns a fiche of the actor's company; another company's is not found.
func (s *Service) Get(ctx context.Context, a actor.Actor, publicID string) (*Record, error) {
	st, err := s.employer(ctx, s.db, a)
	if err != nil {
		return nil, err
	}
	return s.recordOf(ctx, s.db, publicID, st.ID, false)
}

// recordOf reads a fiche of the company, locked for update when lock is set.
func (s *Service) recordOf(ctx context.Context, idb bun.IDB, publicID string, companyID int64, lock bool) (*Record, error) {
	r := new(Record)
	q := idb.NewSelect().Model(r).Where("er.public_id = ?", publicID).
		Where("EXISTS (SELECT 1 FROM job_application AS ja WHERE ja.id = er.job_application_id AND ja.to_company_id = ?)", companyID)
	if lock && s.db.Engine == db.Postgres {
		q = q.For("UPDATE")
	}
	err := q.Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("employeerecord: %s: %w", publicID, err)
	}
	return r, nil
}

// Ready completes the fiche for sending (§2.15, wizard step 5): the contract has started, the
// person is complete for the ASP, the identifying copies are refreshed and the profile is
// marked as checked.
func (s *Service) Ready(ctx context.Context, a actor.Actor, publicID string) (*Record, error) {
	return s.transition(ctx, a, publicID, TReady, func(ctx context.Context, tx bun.Tx, st *structure, r *Record) error {
		h, err := hiringByID(ctx, tx, r.JobApplicationID)
		if err != nil {
			return err
		}
		if h.State != "accepted" || h.ApprovalNumber == nil {
			return ErrNotHired
		}
		if h.HiringStartAt == nil || h.HiringStartAt.After(s.today()) {
			return ErrNotStarted
		}
		if err := s.check(ctx, tx, h, deref(r.NTT), SendingProblems); err != nil {
			return err
		}
		refresh(r, st, h)
		dup, err := duplicateExists(ctx, tx, r.ASPMeasure, r.SIRET, r.ApprovalNumber, r.ID)
		if err != nil {
			return err
		}
		if dup {
			return ErrDuplicate
		}
		_, err = tx.NewUpdate().Table("job_seeker_profile").Set("employee_record_checked_at = ?", s.now()).
			Where("user_id = ?", h.JobSeekerID).Exec(ctx)
		return err
	})
}

// Disable puts a fiche aside (from NEW, REJECTED or PROCESSED); it still blocks a duplicate.
func (s *Service) Disable(ctx context.Context, a actor.Actor, publicID string) (*Record, error) {
	return s.transition(ctx, a, publicID, TDisable, nil)
}

// Enable brings a disabled fiche back to NEW, its identifying copies refreshed (§3.3).
func (s *Service) Enable(ctx context.Context, a actor.Actor, publicID string) (*Record, error) {
	return s.transition(ctx, a, publicID, TEnable, func(ctx context.Context, tx bun.Tx, st *structure, r *Record) error {
		h, err := hiringByID(ctx, tx, r.JobApplicationID)
		if err != nil {
			return err
		}
		if h.ApprovalNumber == nil {
			return ErrNotHired
		}
		refresh(r, st, h)
		return nil
	})
}

// transition fires an employer's transition n on the fiche of the actor's company, after
// effect (which may refuse), and records it.
func (s *Service) transition(ctx context.Context, a actor.Actor, publicID string, n TransitionName,
	effect func(context.Context, bun.Tx, *structure, *Record) error) (*Record, error) {
	t, _ := TransitionByName(n)
	var r *Record
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		st, err := s.employer(ctx, tx, a)
		if err != nil {
			return err
		}
		if r, err = s.recordOf(ctx, tx, publicID, st.ID, true); err != nil {
			return err
		}
		if !CanFire(n, r.Status) {
			return ErrWrongStatus(n, r.Status)
		}
		if effect != nil {
			if err := effect(ctx, tx, st, r); err != nil {
				return err
			}
		}
		from := r.Status
		r.Status, r.UpdatedAt = t.To, s.now()
		if _, err := tx.NewUpdate().Model(r).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("employeerecord: %s %s: %w", n, publicID, err)
		}
		userID := a.UserID
		log := &TransitionLog{EmployeeRecordID: r.ID, Transition: n, FromStatus: from, ToStatus: r.Status, UserID: &userID, CreatedAt: r.UpdatedAt}
		if _, err := tx.NewInsert().Model(log).Exec(ctx); err != nil {
			return fmt.Errorf("employeerecord: log %s of %s: %w", n, publicID, err)
		}
		return audit.Record(ctx, tx, a, actionOf[n], object(r), map[string]any{"from": string(from)})
	})
	return r, err
}

var actionOf = map[TransitionName]string{TReady: ActionReady, TDisable: ActionDisabled, TEnable: ActionEnabled}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// DefaultFilter is the list's filter when the employer has chosen none (§2.15).
var DefaultFilter = []Status{StatusNew, StatusRejected}

// PageSize is the number of fiches on a page of the list.
const PageSize = 50

// Row is a fiche of the employer's list with its employee.
type Row struct {
	Record              `bun:",extend"`
	ApplicationPublicID string     `bun:"application_public_id"`
	JobSeekerPublicID   string     `bun:"job_seeker_public_id"`
	FirstName           string     `bun:"first_name"`
	LastName            string     `bun:"last_name"`
	HiringStartAt       *time.Time `bun:"hiring_start_at"`
}

// Listing is a page of the employer's fiches.
type Listing struct {
	Rows  []Row
	Total int
	// SIRETChanged: fiches integrated by the ASP carry a SIRET that is no longer the
	// convention's (§2.15): the employer should re-send them.
	SIRETChanged bool
}

// List is the page (from 1) of the fiches of the actor's company in these states, newest
// change first; ARCHIVED ones only when asked.
func (s *Service) List(ctx context.Context, a actor.Actor, statuses []Status, page int) (*Listing, error) {
	st, err := s.employer(ctx, s.db, a)
	if err != nil {
		return nil, err
	}
	if len(statuses) == 0 {
		statuses = DefaultFilter
	}
	out := new(Listing)
	q := s.db.NewSelect().Model(&out.Rows).
		Join("JOIN job_application AS ja ON ja.id = er.job_application_id").
		Join("JOIN users AS u ON u.id = ja.job_seeker_id").
		ColumnExpr("er.*").ColumnExpr("ja.public_id AS application_public_id, u.public_id AS job_seeker_public_id, u.first_name, u.last_name, ja.hiring_start_at").
		Where("ja.to_company_id = ?", st.ID).Where("er.status IN (?)", bun.List(statuses)).
		OrderExpr("er.updated_at DESC, er.id DESC").Limit(PageSize).Offset(int64(max(page-1, 0) * PageSize))
	n, err := q.ScanAndCount(ctx)
	if err != nil {
		return nil, fmt.Errorf("employeerecord: list of %d: %w", st.ID, err)
	}
	out.Total = int(n)
	out.SIRETChanged, err = s.db.NewSelect().Model((*Record)(nil)).
		Join("JOIN job_application AS ja ON ja.id = er.job_application_id").
		Where("ja.to_company_id = ? AND er.status = ? AND er.siret <> ?", st.ID, StatusProcessed, *st.ASPSIRET).Exists(ctx)
	if err != nil {
		return nil, fmt.Errorf("employeerecord: SIRET of %d: %w", st.ID, err)
	}
	return out, nil
}
