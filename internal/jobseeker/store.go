package jobseeker

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/platform/db"
)

// profileOf reads the profile of a user; a missing row is an empty profile.
func profileOf(ctx context.Context, idb bun.IDB, userID int64) (Profile, error) {
	p := Profile{UserID: userID, HasRSAAllocation: RSANo}
	err := idb.NewSelect().Model(&p).Where("p.user_id = ?", userID).Scan(ctx)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("jobseeker: profile of %d: %w", userID, err)
	}
	return p, nil
}

// jobSeekerBy reads a job seeker account (kind job_seeker) by a users column, with its profile.
func jobSeekerBy(ctx context.Context, idb bun.IDB, column string, value any) (*account.User, Profile, error) {
	u := new(account.User)
	err := idb.NewSelect().Model(u).Where("? = ?", bun.Ident(column), value).Where("kind = ?", account.JobSeeker).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Profile{}, ErrNotFound
	}
	if err != nil {
		return nil, Profile{}, fmt.Errorf("jobseeker: user by %s: %w", column, err)
	}
	p, err := profileOf(ctx, idb, u.ID)
	return u, p, err
}

// saveProfile writes the profile, inserting it (with its ASP id) when the account has none yet.
// A NIR taken by another profile is ErrNIRTaken (the unique constraint, under concurrency too).
func saveProfile(ctx context.Context, idb bun.IDB, p *Profile, key []byte, now time.Time) error {
	p.UpdatedAt = now
	if p.ASPUID == "" {
		p.ASPUID = ASPUID(key, p.UserID)
	}
	res, err := idb.NewUpdate().Model(p).WherePK().ExcludeColumn("user_id", "asp_uid", "created_by_prescriber_organization_id",
		"pe_obfuscated_nir", "pe_last_certification_attempt_at").Exec(ctx)
	if err == nil {
		if n, _ := res.RowsAffected(); n == 0 {
			_, err = idb.NewInsert().Model(p).Exec(ctx)
		}
	}
	if db.IsUniqueViolation(err) {
		return errNIRTaken
	}
	if err != nil {
		return fmt.Errorf("jobseeker: save profile of %d: %w", p.UserID, err)
	}
	return nil
}

// errNIRTaken is the unique violation of a NIR, before the service names the other account.
var errNIRTaken = errors.New("jobseeker: NIR taken")

// explainNIRTaken turns errNIRTaken (a NIR taken by a concurrent write) into the refusal that
// names the account holding nir; other errors pass through.
func (s *Service) explainNIRTaken(ctx context.Context, err error, nir string, userID int64) error {
	if !errors.Is(err, errNIRTaken) {
		return err
	}
	holder, herr := holderOfNIR(ctx, s.db, nir, userID)
	if herr != nil {
		return herr
	}
	return nirTakenError(holder)
}

// holderOfNIR returns the account that holds nir (other than userID), nil when none.
func holderOfNIR(ctx context.Context, idb bun.IDB, nir string, userID int64) (*account.User, error) {
	var ids []int64
	err := idb.NewSelect().Model((*Profile)(nil)).Column("user_id").Where("nir = ?", nir).Where("user_id <> ?", userID).Limit(1).Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("jobseeker: holder of NIR: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return account.UserByID(ctx, idb, ids[0])
}

// isFollowed reports whether the professional, or the organization (prescriber or company), has
// an assignment to the job seeker.
func isFollowed(ctx context.Context, idb bun.IDB, jobSeekerID, professionalID int64, orgColumn string, orgID int64) (bool, error) {
	q := idb.NewSelect().Table("job_seeker_assignment").Where("job_seeker_id = ?", jobSeekerID)
	if orgColumn != "" {
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("professional_id = ?", professionalID).WhereOr("? = ?", bun.Ident(orgColumn), orgID)
		})
	} else {
		q = q.Where("professional_id = ?", professionalID)
	}
	ok, err := q.Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("jobseeker: assignment exists: %w", err)
	}
	return ok, nil
}

// upsertAssignment is Assign's one statement: the unique index on the 4-tuple (NULLs as 0)
// makes it an upsert on both engines.
func upsertAssignment(ctx context.Context, idb bun.IDB, jobSeekerID, professionalID int64, prescriberOrgID, companyID *int64,
	kind AssignmentKind, unknownAdvisor bool, now time.Time) error {
	_, err := idb.NewRaw(`INSERT INTO job_seeker_assignment (job_seeker_id, professional_id, prescriber_organization_id, company_id,
		last_action_kind, assigned_to_unknown_advisor, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (job_seeker_id, professional_id, COALESCE(prescriber_organization_id, 0), COALESCE(company_id, 0))
		DO UPDATE SET last_action_kind = EXCLUDED.last_action_kind,
			assigned_to_unknown_advisor = EXCLUDED.assigned_to_unknown_advisor, updated_at = EXCLUDED.updated_at`,
		jobSeekerID, professionalID, prescriberOrgID, companyID, string(kind), unknownAdvisor, now, now).Exec(ctx)
	if err != nil {
		return fmt.Errorf("jobseeker: assign %d to %d: %w", jobSeekerID, professionalID, err)
	}
	return nil
}
