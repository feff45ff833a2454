package approval

import (
	"context"
	"fmt"
	"strings"
	"time"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/fault"
)

// The public verification of a PASS IAE (beyond the original): whoever holds a PASS number and
// its holder's birth date learns whether it is valid and until when, and nothing else. Every
// lookup costs the same statements whether the PASS exists or not (one read, one audit event),
// so that the answer time tells nothing either; the page throttles lookups per client address.

// ActionVerified is the audit action of a lookup.
const ActionVerified = "approval_verified"

// Messages of the verification form.
const (
	MsgVerifyNumber    = "Saisissez les 12 caractères du numéro de PASS IAE, par exemple 99999 26 00001."
	MsgVerifyBirthdate = "Saisissez la date de naissance du titulaire."
)

// Verification is what the public page tells about a PASS: nothing when Found is false.
type Verification struct {
	Found bool
	State State
	// EndAt is the PASS's current end (inclusive), suspensions and prolongations counted.
	EndAt time.Time
}

// NormalizeNumber is a PASS number as typed, spaces and dashes out, in capitals; ok is false
// when it is not 12 letters or digits.
func NormalizeNumber(typed string) (string, bool) {
	n := strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\u00a0", "").Replace(strings.TrimSpace(typed)))
	if len(n) != 12 {
		return n, false
	}
	for _, r := range n {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') {
			return n, false
		}
	}
	return n, true
}

// Verify looks up the PASS of this number whose holder was born on birthdate (a calendar day).
// A wrong number and a wrong birth date give the same answer: not found.
func (s *Service) Verify(ctx context.Context, a actor.Actor, typedNumber string, birthdate *time.Time) (Verification, error) {
	var errs fault.Fields
	number, ok := NormalizeNumber(typedNumber)
	if !ok {
		errs.Add("number", MsgVerifyNumber)
	}
	if birthdate == nil {
		errs.Add("birthdate", MsgVerifyBirthdate)
	}
	if err := errs.Err(); err != nil {
		return Verification{}, err
	}
	today := s.today()
	var rows []struct {
		StartAt   time.Time `bun:"start_at"`
		EndAt     time.Time `bun:"end_at"`
		Suspended bool      `bun:"suspended"`
	}
	err := s.db.NewSelect().TableExpr("approval AS a").
		ColumnExpr("a.start_at, a.end_at").
		ColumnExpr("EXISTS (SELECT 1 FROM suspension AS s WHERE s.approval_id = a.id AND s.start_at <= ? AND s.end_at >= ?) AS suspended", today, today).
		Join("JOIN job_seeker_profile AS p ON p.user_id = a.user_id").
		Where("a.number = ?", number).Where("p.birthdate = ?", day(*birthdate)).
		Scan(ctx, &rows)
	if err != nil {
		return Verification{}, fmt.Errorf("approval: verify: %w", err)
	}
	var v Verification
	if len(rows) == 1 {
		r := rows[0]
		v = Verification{Found: true, EndAt: r.EndAt, State: StateOn(Period{r.StartAt, r.EndAt}, nil, today)}
		if r.Suspended && v.State != StateExpired {
			v.State = StateSuspended
		}
	}
	if err := audit.Record(ctx, s.db, a, ActionVerified, audit.Object{Type: "approval_verification", ID: number},
		map[string]any{"found": v.Found}); err != nil {
		return Verification{}, err
	}
	return v, nil
}
