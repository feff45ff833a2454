package eligibility

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/jobseeker"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
)

// geiqAuthorKind decides who may author a GEIQ diagnosis (§2.2): an authorized prescriber or a
// member of a GEIQ; any other company kind is refused.
func geiqAuthorKind(w who) (AuthorKind, error) {
	switch {
	case w.role == roleAuthorizedPrescriber:
		return AuthorPrescriber, nil
	case w.role == roleEmployer && w.companyKind == org.GEIQ:
		return AuthorGEIQ, nil
	}
	return "", ErrNotGEIQAuthor
}

// visibleGEIQ restricts a query on geiq_eligibility_diagnosis (alias ged) to the diagnoses of
// the job seeker seen from the GEIQ geiqID (0: from a prescriber): the prescribers' and that
// GEIQ's (§2.4 « GEIQ choice », §2.6 uniqueness).
func visibleGEIQ(q *bun.SelectQuery, jsID, geiqID int64) *bun.SelectQuery {
	q = q.Where("ged.job_seeker_id = ?", jsID)
	if geiqID != 0 {
		return q.Where("(ged.author_kind = ? OR (ged.author_kind = ? AND ged.author_geiq_id = ?))", AuthorPrescriber, AuthorGEIQ, geiqID)
	}
	return q.Where("ged.author_kind = ?", AuthorPrescriber)
}

// CreateGEIQ records a GEIQ eligibility diagnosis of the job seeker with the criteria of these
// keys (GEIQCriterion.Key) (§2.2, §2.6). It is refused while a valid diagnosis is visible for
// the author (edge case 47). A prescriber's diagnosis makes the job seeker's valid GEIQ-authored
// diagnoses without a candidature expire today (edge case 49).
func (s *Service) CreateGEIQ(ctx context.Context, a actor.Actor, jobSeekerPublicID string, criteriaKeys []string) (*GEIQDiagnosis, error) {
	jsID, err := jobSeekerID(ctx, s.db, jobSeekerPublicID)
	if err != nil {
		return nil, err
	}
	var d *GEIQDiagnosis
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		d, err = s.CreateGEIQTx(ctx, tx, a, jsID, criteriaKeys)
		return err
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// CreateGEIQTx is CreateGEIQ in the caller's transaction (a GEIQ's acceptance of a
// candidature), for the job seeker of this id.
func (s *Service) CreateGEIQTx(ctx context.Context, tx bun.Tx, a actor.Actor, jsID int64, criteriaKeys []string) (*GEIQDiagnosis, error) {
	cat, err := s.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	w, err := whoIs(ctx, tx, a)
	if err != nil {
		return nil, err
	}
	kind, err := geiqAuthorKind(w)
	if err != nil {
		return nil, err
	}
	selected, err := checkedGEIQCriteria(cat, kind, criteriaKeys)
	if err != nil {
		return nil, err
	}
	if err := s.lockJobSeeker(ctx, tx, jsID); err != nil {
		return nil, err
	}
	now, today := s.now(), s.today()
	exists, err := visibleGEIQ(tx.NewSelect().Model((*GEIQDiagnosis)(nil)), jsID, w.companyID).
		Where("ged.expires_at > ?", today).Exists(ctx)
	if err != nil {
		return nil, fmt.Errorf("eligibility: valid GEIQ diagnoses of %d: %w", jsID, err)
	}
	if exists {
		return nil, ErrGEIQExists
	}
	d := &GEIQDiagnosis{DiagnosisBase: newBase(w, jsID, kind, now)}
	if kind == AuthorGEIQ {
		d.AuthorGEIQID = &w.companyID
	} else {
		superseded, err := s.validIDs(ctx, tx, geiqSchema, jsID, today,
			"author_kind = ? AND NOT EXISTS (SELECT 1 FROM job_application AS ja WHERE ja.geiq_eligibility_diagnosis_id = geiq_eligibility_diagnosis.id)", AuthorGEIQ)
		if err != nil {
			return nil, err
		}
		if err := s.expire(ctx, tx, a, geiqSchema, superseded, today, now); err != nil {
			return nil, err
		}
	}
	if _, err := tx.NewInsert().Model(d).Exec(ctx); err != nil {
		return nil, fmt.Errorf("eligibility: insert GEIQ diagnosis: %w", err)
	}
	if err := s.saveGEIQCriteria(ctx, tx, a, w, d, selected, actionCreated, now); err != nil {
		return nil, err
	}
	return d, nil
}

// UpdateGEIQ replaces the criteria of a valid diagnosis written by the actor's GEIQ: the actor
// becomes its author and it lasts 6 months from today (§2.2).
func (s *Service) UpdateGEIQ(ctx context.Context, a actor.Actor, diagnosisID int64, criteriaKeys []string) (*GEIQDiagnosis, error) {
	cat, err := s.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	w, err := whoIs(ctx, s.db, a)
	if err != nil {
		return nil, err
	}
	if w.role != roleEmployer || w.companyKind != org.GEIQ {
		return nil, ErrNotGEIQUpdater
	}
	selected, err := checkedGEIQCriteria(cat, AuthorGEIQ, criteriaKeys)
	if err != nil {
		return nil, err
	}
	d := new(GEIQDiagnosis)
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		q := tx.NewSelect().Model(d).Where("ged.id = ?", diagnosisID)
		if s.db.Engine == db.Postgres {
			q = q.For("UPDATE")
		}
		if err := q.Scan(ctx); errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("eligibility: GEIQ diagnosis %d: %w", diagnosisID, err)
		}
		if !maySee(w, &d.DiagnosisBase, d.AuthorGEIQID) {
			return ErrNotFound
		}
		if d.AuthorKind != AuthorGEIQ || *d.AuthorGEIQID != w.companyID {
			return ErrNotGEIQUpdater
		}
		now, today := s.now(), s.today()
		if !d.IsValid(today) {
			return ErrExpired
		}
		d.AuthorID, d.ExpiresAt, d.UpdatedAt = &w.userID, ExpiresAt(AuthorGEIQ, now), now
		if _, err := tx.NewUpdate().Model(d).Column("author_id", "expires_at", "updated_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("eligibility: update GEIQ diagnosis %d: %w", d.ID, err)
		}
		if err := deleteSelected(ctx, tx, geiqSchema, d.ID); err != nil {
			return err
		}
		return s.saveGEIQCriteria(ctx, tx, a, w, d, selected, actionUpdated, now)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// checkedGEIQCriteria resolves the keys and applies the rules of the GEIQ form (§2.6).
func checkedGEIQCriteria(cat *Catalog, kind AuthorKind, keys []string) ([]GEIQCriterion, error) {
	selected, unknown := pick(cat.GEIQ, keys)
	if unknown != "" {
		return nil, fault.InvalidField(CriteriaField, MsgUnknownCriterion)
	}
	if err := CheckGEIQCriteria(kind, selected).Err(); err != nil {
		return nil, err
	}
	return selected, nil
}

// GEIQAllowanceFor is the allowance a GEIQ diagnosis by the actor with the criteria of keys
// would open (§2.6): the criteria form's live amount. Unknown keys count for nothing; the
// form's other rules are told at its save.
func (s *Service) GEIQAllowanceFor(ctx context.Context, a actor.Actor, keys []string) (int, error) {
	w, err := whoIs(ctx, s.db, a)
	if err != nil {
		return 0, err
	}
	kind, err := geiqAuthorKind(w)
	if err != nil {
		return 0, err
	}
	cat, err := s.Catalog(ctx)
	if err != nil {
		return 0, err
	}
	selected, _ := pick(cat.GEIQ, keys)
	return GEIQAllowance(kind, selected), nil
}

// saveGEIQCriteria stores the criteria of d, assigns the author and audits the change.
func (s *Service) saveGEIQCriteria(ctx context.Context, tx bun.Tx, a actor.Actor, w who, d *GEIQDiagnosis,
	selected []GEIQCriterion, action string, now time.Time) error {
	ids := make([]int16, len(selected))
	d.Criteria = d.Criteria[:0]
	certifiable := false
	for i, c := range selected {
		ids[i] = c.ID
		d.Criteria = append(d.Criteria, Selected[GEIQCriterion]{Criterion: c})
		certifiable = certifiable || IsCertifiable(c.Kind)
	}
	if err := insertSelected(ctx, tx, geiqSchema, d.ID, ids, now); err != nil {
		return err
	}
	if certifiable {
		if err := ScheduleCertification(ctx, tx, true, d.ID); err != nil {
			return err
		}
	}
	return s.assignAndRecord(ctx, tx, a, w, geiqSchema, action, &d.DiagnosisBase, len(ids), jobseeker.AssignGEIQEligibility)
}

// GEIQDiagnoses are the GEIQ diagnoses of the job seeker seen from the GEIQ geiqID (0: from a
// prescriber), newest first, with their criteria (§2.4 « GEIQ choice »).
func (s *Service) GEIQDiagnoses(ctx context.Context, idb bun.IDB, jobSeekerID, geiqID int64) ([]*GEIQDiagnosis, error) {
	var ds []*GEIQDiagnosis
	err := visibleGEIQ(idb.NewSelect().Model(&ds), jobSeekerID, geiqID).OrderExpr("ged.created_at DESC, ged.id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("eligibility: GEIQ diagnoses of %d: %w", jobSeekerID, err)
	}
	if err := s.withGEIQCriteria(ctx, idb, ds); err != nil {
		return nil, err
	}
	return ds, nil
}

// LastValidGEIQ is the newest valid GEIQ diagnosis of the job seeker seen from the GEIQ geiqID
// (0: from a prescriber), or nil.
func (s *Service) LastValidGEIQ(ctx context.Context, idb bun.IDB, jobSeekerID, geiqID int64) (*GEIQDiagnosis, error) {
	ds, err := s.GEIQDiagnoses(ctx, idb, jobSeekerID, geiqID)
	if err != nil {
		return nil, err
	}
	today := s.today()
	for _, d := range ds {
		if d.IsValid(today) {
			return d, nil
		}
	}
	return nil, nil
}

// GEIQDiagnosisByID returns a GEIQ diagnosis with its criteria, if the actor may see it: a
// GEIQ never sees another GEIQ's diagnosis.
func (s *Service) GEIQDiagnosisByID(ctx context.Context, a actor.Actor, id int64) (*GEIQDiagnosis, error) {
	d := new(GEIQDiagnosis)
	err := s.db.NewSelect().Model(d).Where("ged.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("eligibility: GEIQ diagnosis %d: %w", id, err)
	}
	w, err := whoIs(ctx, s.db, a)
	if err != nil {
		return nil, err
	}
	if !maySee(w, &d.DiagnosisBase, d.AuthorGEIQID) {
		return nil, ErrNotFound
	}
	if err := s.withGEIQCriteria(ctx, s.db, []*GEIQDiagnosis{d}); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Service) withGEIQCriteria(ctx context.Context, idb bun.IDB, ds []*GEIQDiagnosis) error {
	if len(ds) == 0 {
		return nil
	}
	cat, err := s.Catalog(ctx)
	if err != nil {
		return err
	}
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	m, err := selectedByDiagnosis(ctx, idb, geiqSchema, ids, cat.geiqByID)
	if err != nil {
		return err
	}
	for _, d := range ds {
		d.Criteria = m[d.ID]
	}
	return nil
}
