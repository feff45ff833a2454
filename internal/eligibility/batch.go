package eligibility

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// WithValidPrescriberDiagnosis says which of the job seekers hold a prescriber's IAE diagnosis
// valid on today (§2.4; an SIAE's own diagnosis does not count), in one query.
func WithValidPrescriberDiagnosis(ctx context.Context, idb bun.IDB, jobSeekerIDs []int64, today time.Time) (map[int64]bool, error) {
	out := make(map[int64]bool, len(jobSeekerIDs))
	if len(jobSeekerIDs) == 0 {
		return out, nil
	}
	var ids []int64
	err := idb.NewSelect().Table("eligibility_diagnosis").Column("job_seeker_id").Distinct().
		Where("job_seeker_id IN (?) AND author_kind = ? AND expires_at > ?", bun.List(jobSeekerIDs), AuthorPrescriber, Day(today)).
		Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("eligibility: valid prescriber diagnoses: %w", err)
	}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}
