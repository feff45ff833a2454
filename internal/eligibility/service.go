package eligibility

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/approval"
	"emplois/internal/jobseeker"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
)

// Audit actions: the object type of the diagnosis family ("eligibility_diagnosis",
// "geiq_eligibility_diagnosis") followed by one of these.
const (
	actionCreated = "_created"
	actionUpdated = "_updated"
	actionExpired = "_expired"
)

// Refusals a user may meet.
var (
	ErrNotFound          = fault.NotFound("Ce diagnostic d'éligibilité n'existe pas.")
	ErrJobSeekerNotFound = fault.NotFound("Ce candidat n'existe pas.")
	// ErrNotIAEAuthor: only an authorized prescriber, or an SIAE while hiring, authors an IAE
	// diagnosis (§2.2).
	ErrNotIAEAuthor = fault.Forbidden("Seul un prescripteur habilité, ou une SIAE au moment de l'embauche, peut valider l'éligibilité IAE d'un candidat.")
	// ErrNotSIAE: a company that is not an SIAE has no IAE eligibility page (§2.2: 404).
	ErrNotSIAE = fault.NotFound("Seule une SIAE peut valider l'éligibilité IAE d'un candidat.")
	// ErrSIAEOutsideHiring: an SIAE authors a diagnosis only while accepting or hiring (§2.2).
	ErrSIAEOutsideHiring = fault.Forbidden("Une SIAE ne peut valider l'éligibilité IAE d'un candidat qu'au moment de l'embauche.")
	// ErrAlreadyEligible: an SIAE may not author one when a valid diagnosis or PASS IAE exists.
	ErrAlreadyEligible = fault.Forbidden("Ce candidat a déjà un diagnostic d'éligibilité valide ou un PASS IAE valide : un nouveau diagnostic n'est pas nécessaire.")
	// ErrValidPASS: a job seeker holding a valid PASS IAE needs no diagnosis (§2.2, scenario 32).
	ErrValidPASS = fault.Conflict("Ce candidat a un PASS IAE valide : aucun diagnostic d'éligibilité n'est nécessaire.")
	// ErrNotGEIQAuthor: only an authorized prescriber or a GEIQ authors a GEIQ diagnosis (§2.2).
	ErrNotGEIQAuthor = fault.Forbidden("Seul un prescripteur habilité ou un GEIQ peut réaliser un diagnostic d'éligibilité GEIQ.")
	// ErrGEIQExists: a valid GEIQ diagnosis is already visible for this job seeker (§2.6).
	ErrGEIQExists = fault.Conflict("Ce candidat a déjà un diagnostic d'éligibilité GEIQ en cours de validité.")
	// ErrNotGEIQUpdater: only the GEIQ that wrote a diagnosis updates it (§2.2).
	ErrNotGEIQUpdater = fault.Forbidden("Seul le GEIQ auteur de ce diagnostic d'éligibilité peut le modifier.")
	// ErrExpired: an expired GEIQ diagnosis is not updated (§2.2).
	ErrExpired = fault.Conflict("Ce diagnostic d'éligibilité a expiré : il ne peut plus être modifié.")
)

// MsgUnknownCriterion refuses a criterion key that is not in the catalog.
const MsgUnknownCriterion = "Un des critères sélectionnés n'existe pas."

// Service is what prescribers, employers and job seekers may do with eligibility diagnoses.
type Service struct {
	db *db.DB
	// Now is the clock (tests move it).
	Now func() time.Time

	mu      sync.Mutex
	catalog *Catalog
}

// NewService returns the service; now nil means time.Now.
func NewService(d *db.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: d, Now: now}
}

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// today is the day in France, as stored dates are.
func (s *Service) today() time.Time { return Day(s.Now()) }

// Catalog returns both criteria tables, read once: they are seeded by the migrations.
func (s *Service) Catalog(ctx context.Context) (*Catalog, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.catalog == nil {
		c, err := loadCatalog(ctx, s.db)
		if err != nil {
			return nil, err
		}
		s.catalog = c
	}
	return s.catalog, nil
}

// lockJobSeeker serializes the diagnoses of one job seeker on PostgreSQL, so that the
// uniqueness and expiry rules see each other's rows (SQLite's write transactions are already
// exclusive).
func (s *Service) lockJobSeeker(ctx context.Context, tx bun.Tx, id int64) error {
	if s.db.Engine != db.Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "SELECT id FROM users WHERE id = ? FOR UPDATE", id); err != nil {
		return fmt.Errorf("eligibility: lock job seeker %d: %w", id, err)
	}
	return nil
}

// CreateOptions say where an IAE diagnosis is made.
type CreateOptions struct {
	// ForHiring: an SIAE is accepting a candidature or hiring the job seeker, the only moment
	// it may author a diagnosis (§2.2).
	ForHiring bool
}

// CreateIAE records an IAE eligibility diagnosis of the job seeker with the criteria of these
// keys (Criterion.Key) (§2.2, §2.3). An authorized prescriber's diagnosis replaces their
// previous ones: those still valid expire today (the « update » of §2.2, edge case 44). The
// author is assigned to the job seeker (IAE_ELIGIBILITY) and the change audited.
func (s *Service) CreateIAE(ctx context.Context, a actor.Actor, jobSeekerPublicID string, criteriaKeys []string, opts CreateOptions) (*Diagnosis, error) {
	jsID, err := jobSeekerID(ctx, s.db, jobSeekerPublicID)
	if err != nil {
		return nil, err
	}
	var d *Diagnosis
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		d, err = s.CreateIAETx(ctx, tx, a, jsID, criteriaKeys, opts)
		return err
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// CreateIAETx is CreateIAE in the caller's transaction, for the job seeker of this id: the
// acceptance of a candidature writes the SIAE's diagnosis, the hire and the PASS IAE together.
func (s *Service) CreateIAETx(ctx context.Context, tx bun.Tx, a actor.Actor, jsID int64, criteriaKeys []string, opts CreateOptions) (*Diagnosis, error) {
	cat, err := s.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	w, err := whoIs(ctx, tx, a)
	if err != nil {
		return nil, err
	}
	selected, unknown := pick(cat.IAE, criteriaKeys)
	if err := s.lockJobSeeker(ctx, tx, jsID); err != nil {
		return nil, err
	}
	now, today := s.now(), s.today()
	kind, err := s.iaeAuthorKind(ctx, tx, w, jsID, today, opts)
	if err != nil {
		return nil, err
	}
	if unknown != "" {
		return nil, fault.InvalidField(CriteriaField, MsgUnknownCriterion)
	}
	if err := CheckIAECriteria(kind, w.companyKind, selected).Err(); err != nil {
		return nil, err
	}
	d := &Diagnosis{DiagnosisBase: newBase(w, jsID, kind, now)}
	if kind == AuthorEmployer {
		d.AuthorCompanyID = &w.companyID
	} else {
		replaced, err := s.validIDs(ctx, tx, iaeSchema, jsID, today, "author_kind = ?", AuthorPrescriber)
		if err != nil {
			return nil, err
		}
		if err := s.expire(ctx, tx, a, iaeSchema, replaced, today, now); err != nil {
			return nil, err
		}
	}
	if _, err := tx.NewInsert().Model(d).Exec(ctx); err != nil {
		return nil, fmt.Errorf("eligibility: insert diagnosis: %w", err)
	}
	ids := make([]int16, len(selected))
	certifiable := false
	for i, c := range selected {
		ids[i] = c.ID
		d.Criteria = append(d.Criteria, Selected[Criterion]{Criterion: c})
		certifiable = certifiable || IsCertifiable(c.Kind)
	}
	if err := insertSelected(ctx, tx, iaeSchema, d.ID, ids, now); err != nil {
		return nil, err
	}
	if certifiable {
		if err := ScheduleCertification(ctx, tx, false, d.ID); err != nil {
			return nil, err
		}
	}
	if err := s.assignAndRecord(ctx, tx, a, w, iaeSchema, actionCreated, &d.DiagnosisBase, len(ids), jobseeker.AssignIAEEligibility); err != nil {
		return nil, err
	}
	return d, nil
}

// iaeAuthorKind decides who may author an IAE diagnosis (§2.2, §2.14).
func (s *Service) iaeAuthorKind(ctx context.Context, idb bun.IDB, w who, jsID int64, today time.Time, opts CreateOptions) (AuthorKind, error) {
	switch w.role {
	case roleAuthorizedPrescriber:
		pass, err := approval.HasValid(ctx, idb, jsID, today)
		if err != nil {
			return "", err
		}
		if pass {
			return "", ErrValidPASS
		}
		return AuthorPrescriber, nil
	case roleEmployer:
		if !w.companyKind.IsSIAE() {
			return "", ErrNotSIAE
		}
		if !opts.ForHiring {
			return "", ErrSIAEOutsideHiring
		}
		ok, err := s.hasValidDiagnosis(ctx, idb, jsID, w.companyID, today)
		if err != nil {
			return "", err
		}
		if ok {
			return "", ErrAlreadyEligible
		}
		return AuthorEmployer, nil
	}
	return "", ErrNotIAEAuthor
}

// newBase is a diagnosis of the job seeker written now by the actor.
func newBase(w who, jsID int64, kind AuthorKind, now time.Time) DiagnosisBase {
	b := DiagnosisBase{JobSeekerID: jsID, AuthorID: &w.userID, AuthorKind: kind,
		ExpiresAt: ExpiresAt(kind, now), CreatedAt: now, UpdatedAt: now}
	if kind == AuthorPrescriber {
		b.AuthorPrescriberOrganizationID = &w.prescriberOrgID
	}
	return b
}

// validIDs are the diagnoses of the job seeker of family sc still valid on today that match
// the condition.
func (s *Service) validIDs(ctx context.Context, idb bun.IDB, sc schema, jsID int64, today time.Time, cond string, args ...any) ([]int64, error) {
	var ids []int64
	err := idb.NewSelect().Table(sc.diagnoses).Column("id").Where("job_seeker_id = ?", jsID).
		Where("expires_at > ?", today).Where(cond, args...).OrderExpr("id").Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("eligibility: valid %s of %d: %w", sc.diagnoses, jsID, err)
	}
	return ids, nil
}

// expire makes these diagnoses expire on today, with an audit event each.
func (s *Service) expire(ctx context.Context, tx bun.Tx, a actor.Actor, sc schema, ids []int64, today, now time.Time) error {
	if err := expireDiagnoses(ctx, tx, sc, ids, today, now); err != nil {
		return err
	}
	for _, id := range ids {
		if err := audit.Record(ctx, tx, a, sc.objectType+actionExpired, sc.object(id), nil); err != nil {
			return err
		}
	}
	return nil
}

// assignAndRecord assigns the author to the job seeker and audits the diagnosis.
func (s *Service) assignAndRecord(ctx context.Context, tx bun.Tx, a actor.Actor, w who, sc schema, action string,
	d *DiagnosisBase, criteria int, kind jobseeker.AssignmentKind) error {
	var prescriberID, companyID *int64
	if w.prescriberOrgID != 0 {
		prescriberID = &w.prescriberOrgID
	}
	if w.companyID != 0 {
		companyID = &w.companyID
	}
	if err := jobseeker.Assign(ctx, tx, d.JobSeekerID, w.userID, prescriberID, companyID, kind, false, d.UpdatedAt); err != nil {
		return err
	}
	return audit.Record(ctx, tx, a, sc.objectType+action, sc.object(d.ID),
		map[string]any{"author_kind": string(d.AuthorKind), "criteria": criteria, "expires_at": d.ExpiresAt.Format(time.DateOnly)})
}

// --- which IAE diagnosis counts (§2.4)

// seenFromCompany keeps the IAE diagnoses the SIAE companyID sees (§2.4): the prescribers' and
// its own, never another SIAE's.
func seenFromCompany(q *bun.SelectQuery, companyID int64) *bun.SelectQuery {
	return q.Where("(ed.author_kind = ? OR (ed.author_kind = ? AND ed.author_company_id = ?))", AuthorPrescriber, AuthorEmployer, companyID)
}

// lastIAE is the first candidate of §2.4 for the job seeker seen from the company (0: from a
// prescriber): prescriber diagnoses and that company's, prescriber ones first, then the newest;
// only those valid on validOn unless it is nil.
func lastIAE(ctx context.Context, idb bun.IDB, jsID, companyID int64, validOn *time.Time) (*Diagnosis, error) {
	d := new(Diagnosis)
	q := idb.NewSelect().Model(d).Where("ed.job_seeker_id = ?", jsID)
	if companyID != 0 {
		q = seenFromCompany(q, companyID)
	} else {
		q = q.Where("ed.author_kind = ?", AuthorPrescriber)
	}
	if validOn != nil {
		q = q.Where("ed.expires_at > ?", *validOn)
	}
	err := q.OrderExpr("CASE WHEN ed.author_kind = ? THEN 0 ELSE 1 END, ed.created_at DESC, ed.id DESC", AuthorPrescriber).
		Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("eligibility: last diagnosis of %d: %w", jsID, err)
	}
	return d, nil
}

// LastConsideredValid is the IAE diagnosis that counts for the job seeker seen from the SIAE
// forCompanyID (0: seen from a prescriber), with its criteria, or nil (§2.4): with a valid PASS
// IAE the first candidate even if expired, otherwise the first valid one.
func (s *Service) LastConsideredValid(ctx context.Context, idb bun.IDB, jobSeekerID, forCompanyID int64) (*Diagnosis, error) {
	today := s.today()
	pass, err := approval.HasValid(ctx, idb, jobSeekerID, today)
	if err != nil {
		return nil, err
	}
	validOn := &today
	if pass {
		validOn = nil
	}
	d, err := lastIAE(ctx, idb, jobSeekerID, forCompanyID, validOn)
	if err != nil || d == nil {
		return nil, err
	}
	if err := s.withIAECriteria(ctx, idb, []*Diagnosis{d}); err != nil {
		return nil, err
	}
	return d, nil
}

// VisibleFor returns the job seeker's IAE diagnosis id with its criteria if the SIAE
// companyID may see it (a prescriber's or its own, §2.4), nil otherwise: the diagnosis staff
// keep attached when they accept a candidature (§2.8-2).
func (s *Service) VisibleFor(ctx context.Context, idb bun.IDB, id, jobSeekerID, companyID int64) (*Diagnosis, error) {
	d := new(Diagnosis)
	err := seenFromCompany(idb.NewSelect().Model(d).Where("ed.id = ?", id).Where("ed.job_seeker_id = ?", jobSeekerID), companyID).
		Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("eligibility: diagnosis %d seen from %d: %w", id, companyID, err)
	}
	if err := s.withIAECriteria(ctx, idb, []*Diagnosis{d}); err != nil {
		return nil, err
	}
	return d, nil
}

// HasValidDiagnosis reports whether the job seeker's IAE eligibility is established seen from
// the SIAE forCompanyID (0: from a prescriber): a valid PASS IAE or a valid candidate (§2.4).
func (s *Service) HasValidDiagnosis(ctx context.Context, idb bun.IDB, jobSeekerID, forCompanyID int64) (bool, error) {
	return s.hasValidDiagnosis(ctx, idb, jobSeekerID, forCompanyID, s.today())
}

func (s *Service) hasValidDiagnosis(ctx context.Context, idb bun.IDB, jsID, companyID int64, today time.Time) (bool, error) {
	pass, err := approval.HasValid(ctx, idb, jsID, today)
	if err != nil || pass {
		return pass, err
	}
	d, err := lastIAE(ctx, idb, jsID, companyID, &today)
	return d != nil, err
}

// IsConsideredValid reports whether the diagnosis is valid, or a PASS IAE issued on it ends
// after today (§2.4, edge case 42): an unrelated valid PASS does not count.
func (s *Service) IsConsideredValid(ctx context.Context, idb bun.IDB, d *Diagnosis) (bool, error) {
	today := s.today()
	if d.IsValid(today) {
		return true, nil
	}
	return linkedPASSEndsAfter(ctx, idb, d.ID, today)
}

// OwnDiagnosis is the IAE diagnosis a job seeker sees of themself (§2.4): the newest among
// the prescribers' diagnoses and those that led to a PASS IAE, expired or not; nil when none.
func (s *Service) OwnDiagnosis(ctx context.Context, a actor.Actor) (*Diagnosis, error) {
	if a.Kind != actor.JobSeeker || a.UserID == 0 {
		return nil, ErrNotFound
	}
	d := new(Diagnosis)
	err := s.db.NewSelect().Model(d).Where("ed.job_seeker_id = ?", a.UserID).
		Where("(ed.author_kind = ? OR "+passIssuedOnED+")", AuthorPrescriber).
		OrderExpr("ed.created_at DESC, ed.id DESC").Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("eligibility: own diagnosis of %d: %w", a.UserID, err)
	}
	if err := s.withIAECriteria(ctx, s.db, []*Diagnosis{d}); err != nil {
		return nil, err
	}
	return d, nil
}

// --- reading a diagnosis for display

// IAEDiagnosis returns an IAE diagnosis with its criteria, if the actor may see it (edge case
// 43: an SIAE never sees another SIAE's diagnosis).
func (s *Service) IAEDiagnosis(ctx context.Context, a actor.Actor, id int64) (*Diagnosis, error) {
	d := new(Diagnosis)
	err := s.db.NewSelect().Model(d).Where("ed.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("eligibility: diagnosis %d: %w", id, err)
	}
	w, err := whoIs(ctx, s.db, a)
	if err != nil {
		return nil, err
	}
	ok := maySee(w, &d.DiagnosisBase, d.AuthorCompanyID)
	if !ok && w.role == roleJobSeeker && w.userID == d.JobSeekerID {
		// The job seeker also sees a diagnosis that led to a PASS IAE (§2.4).
		if ok, err = passIssuedOn(ctx, s.db, d.ID); err != nil {
			return nil, err
		}
	}
	if !ok {
		return nil, ErrNotFound
	}
	if err := s.withIAECriteria(ctx, s.db, []*Diagnosis{d}); err != nil {
		return nil, err
	}
	return d, nil
}

// maySee tells whether the actor sees a diagnosis: staff all; a job seeker their own
// prescribers' diagnoses; an authorized prescriber the prescribers' diagnoses; a company member
// those and their own company's.
func maySee(w who, d *DiagnosisBase, authorCompanyID *int64) bool {
	byPrescriber := d.AuthorKind == AuthorPrescriber
	switch w.role {
	case roleStaff:
		return true
	case roleJobSeeker:
		return w.userID == d.JobSeekerID && byPrescriber
	case roleAuthorizedPrescriber:
		return byPrescriber
	case roleEmployer:
		return byPrescriber || (authorCompanyID != nil && *authorCompanyID == w.companyID)
	}
	return false
}

// selectedByDiagnosis reads the criteria of the diagnoses in one query and resolves them in
// the catalog.
func selectedByDiagnosis[C any](ctx context.Context, idb bun.IDB, sc schema, ids []int64, lookup func(int16) (C, bool)) (map[int64][]Selected[C], error) {
	rows, err := selectedOf(ctx, idb, sc, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]Selected[C], len(rows))
	for id, list := range rows {
		for _, r := range list {
			c, ok := lookup(r.CriterionID)
			if !ok {
				return nil, fmt.Errorf("eligibility: unknown criterion %d in %s", r.CriterionID, sc.selected)
			}
			out[id] = append(out[id], Selected[C]{Criterion: c, CertifiedAt: r.CertifiedAt,
				CertifiedFrom: r.CertifiedFrom, CertifiedUntil: r.CertifiedUntil, NotBeneficiary: r.CertificationEmpty})
		}
	}
	return out, nil
}

func (s *Service) withIAECriteria(ctx context.Context, idb bun.IDB, ds []*Diagnosis) error {
	cat, err := s.Catalog(ctx)
	if err != nil {
		return err
	}
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	m, err := selectedByDiagnosis(ctx, idb, iaeSchema, ids, cat.iaeByID)
	if err != nil {
		return err
	}
	for _, d := range ds {
		d.Criteria = m[d.ID]
	}
	return nil
}
