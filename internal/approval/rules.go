// Package approval is the PASS IAE (approvals.md §1.6–1.9, §2.7, §2.9–2.12): its number, its
// duration and state, the waiting period, suspensions and prolongations (with the requests
// that a habilitated prescriber grants or denies) and cancellation. The rules are plain
// functions over dates (calendar days, Europe/Paris); the Service applies them under a lock of
// the PASS row and moves the PASS dates through one function, which also resets the France
// Travail notification (§2.13).
package approval

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"emplois/internal/platform/localtime"
)

// A date here is a calendar day: midnight UTC of that day (how bun reads a DATE column).

// Today is the calendar day of now in Europe/Paris.
func Today(now time.Time) time.Time { return localtime.Day(now) }

// day returns t's calendar day (it drops any time of day).
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// addDays moves a calendar day by n days.
func addDays(t time.Time, n int) time.Time { return t.AddDate(0, 0, n) }

// daysBetween is b − a in whole days.
func daysBetween(a, b time.Time) int { return int(day(b).Sub(day(a)).Hours() / 24) }

// Numbers (§2.7): a 5-character prefix and a 7-digit sequence.
const (
	prefixLength = 5
	sequenceLen  = 7
	// NumberLength is the length of every PASS IAE number.
	NumberLength = prefixLength + sequenceLen
	maxSequence  = 9999999
)

// ErrNumbersExhausted: the sequence of the prefix is used up (edge case 7).
var ErrNumbersExhausted = fmt.Errorf("approval: the PASS IAE number sequence is exhausted (past %d)", maxSequence)

// FormatNumber spaces a number as 5-2-5 characters: "XXXXX 00 00001" (§2.7).
func FormatNumber(number string) string {
	if len(number) != NumberLength {
		return number
	}
	return number[:5] + " " + number[5:7] + " " + number[7:]
}

// sequenceOf is the sequence of a number of prefix, false for a number of another scheme
// (France Travail agréments, imported stock).
func sequenceOf(prefix, number string) (int, bool) {
	rest, ok := strings.CutPrefix(number, prefix)
	if !ok || len(rest) != sequenceLen {
		return 0, false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil
}

// NextNumber is the number after the highest sequence of prefix among numbers (those of the
// PASS and of the cancelled PASS, so that a cancelled number is never reused); numbers of
// another scheme are ignored (§2.7, edge cases 4–7).
func NextNumber(prefix string, numbers ...string) (string, error) {
	highest := 0
	for _, n := range numbers {
		if seq, ok := sequenceOf(prefix, n); ok && seq > highest {
			highest = seq
		}
	}
	if highest >= maxSequence {
		return "", ErrNumbersExhausted
	}
	return fmt.Sprintf("%s%07d", prefix, highest+1), nil
}

// DefaultDays is the length of a PASS, its end day included (§2.7).
const DefaultDays = 730

// DefaultEnd is the end of a PASS starting on start: start + 730 days − 1 day.
func DefaultEnd(start time.Time) time.Time { return addDays(day(start), DefaultDays-1) }

// Period is a span of days with both ends included.
type Period struct{ Start, End time.Time }

// Covers reports whether d lies in the period.
func (p Period) Covers(d time.Time) bool { return !d.Before(p.Start) && !d.After(p.End) }

// State is the derived state of a PASS (§2.7, §3.1).
type State string

const (
	StateExpired   State = "EXPIRED"
	StateSuspended State = "SUSPENDED"
	StateValid     State = "VALID"
	StateFuture    State = "FUTURE"
)

// Label is the French name of the state.
func (s State) Label() string {
	switch s {
	case StateExpired:
		return "Expiré"
	case StateSuspended:
		return "Valide (suspendu)"
	case StateValid:
		return "Valide"
	case StateFuture:
		return "Valide (non démarré)"
	}
	return string(s)
}

// StateOn is the state of a PASS of these dates and suspensions on today, checked in the
// order of §2.7.
func StateOn(pass Period, suspensions []Period, today time.Time) State {
	if pass.End.Before(today) {
		return StateExpired
	}
	for _, s := range suspensions {
		if s.Covers(today) {
			return StateSuspended
		}
	}
	if !pass.Start.After(today) {
		return StateValid
	}
	return StateFuture
}

// IsValid: the PASS has not ended (one that has not started yet counts, edge cases 1 and 3).
func IsValid(end, today time.Time) bool { return !end.Before(today) }

// InProgress: the PASS has started and has not ended.
func InProgress(pass Period, today time.Time) bool { return pass.Covers(today) }

// remaining is the part of p from today on, in days: max(end − today + 1, 0) − max(start − today, 0).
func remaining(p Period, today time.Time) int {
	return max(daysBetween(today, p.End)+1, 0) - max(daysBetween(today, p.Start), 0)
}

// Remainder is the number of days left on a PASS (the reliquat): what remains of its dates
// minus what remains of its suspensions, so that past suspensions weigh nothing (§2.7).
func Remainder(pass Period, suspensions []Period, today time.Time) int {
	n := remaining(pass, today)
	for _, s := range suspensions {
		n -= remaining(s, today)
	}
	return max(n, 0)
}

// EstimatedEnd is when the remainder runs out: min(max(start, today) + remainder − 1, end).
func EstimatedEnd(pass Period, suspensions []Period, today time.Time) time.Time {
	from := pass.Start
	if today.After(from) {
		from = today
	}
	end := addDays(from, Remainder(pass, suspensions, today)-1)
	if end.After(pass.End) {
		return pass.End
	}
	return end
}

func plural(n int, one, many string) string {
	if n == 1 || n == 0 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// RemainderDisplay is the French remainder: "6 jours", and from a week on with a rough
// estimate, "123 jours (Environ 4 mois)" (§2.7, edge case 14).
func RemainderDisplay(days int) string {
	s := plural(days, "jour", "jours")
	if days >= 7 {
		s += " (" + Estimate(days) + ")"
	}
	return s
}

// Estimate says a number of days roughly: in days under a week, in weeks and days under a
// month, then « Environ N mois » and « Environ N an(s) [et M mois] » (edge case 15).
func Estimate(days int) string {
	const daysPerMonth = 365.25 / 12
	switch {
	case days < 7:
		return plural(days, "jour", "jours")
	case days < 30:
		s := plural(days/7, "semaine", "semaines")
		if d := days % 7; d > 0 {
			s += " et " + plural(d, "jour", "jours")
		}
		return s
	}
	months := int(float64(days)/daysPerMonth + 0.5)
	if months < 12 {
		return fmt.Sprintf("Environ %d mois", months)
	}
	years, months := months/12, months%12
	s := "Environ " + plural(years, "an", "ans")
	if months > 0 {
		s += fmt.Sprintf(" et %d mois", months)
	}
	return s
}

// WaitingYears is the waiting period (délai de carence) after a PASS ends (§2.9).
const WaitingYears = 2

// WaitingPeriodEnd is the last day of the waiting period of a PASS ending on end.
func WaitingPeriodEnd(end time.Time) time.Time { return end.AddDate(WaitingYears, 0, 0) }

// InWaitingPeriod: the PASS has ended and its two years have not elapsed (edge cases 1–2).
func InWaitingPeriod(end, today time.Time) bool {
	return end.Before(today) && !today.After(WaitingPeriodEnd(end))
}

// Hiring is what the waiting-period rule needs of a hiring or an application (§2.9).
type Hiring struct {
	// LatestInWaitingPeriod: the user's latest PASS is in its waiting period.
	LatestInWaitingPeriod bool
	// CompanyIsSIAE: the target company is an SIAE.
	CompanyIsSIAE bool
	// SentByAuthorizedPrescriber: the application comes from a habilitated prescriber organization.
	SentByAuthorizedPrescriber bool
	// ValidPrescriberDiagnosis: the job seeker has a valid diagnosis by a prescriber (an
	// employer's diagnosis does not lift the block).
	ValidPrescriberDiagnosis bool
}

// BlockedByWaitingPeriod: a new PASS may not be issued (§2.9).
func BlockedByWaitingPeriod(h Hiring) bool {
	return h.LatestInWaitingPeriod && h.CompanyIsSIAE && !h.SentByAuthorizedPrescriber && !h.ValidPrescriberDiagnosis
}

// Latest is the « latest approval » of a user among theirs (§2.7): the newest created valid
// one, else the one ending last (ties: the earliest start), unless its waiting period is over.
func Latest(approvals []*Approval, today time.Time) *Approval {
	var valid, ended *Approval
	for _, a := range approvals {
		if IsValid(a.EndAt, today) {
			if valid == nil || a.CreatedAt.After(valid.CreatedAt) {
				valid = a
			}
			continue
		}
		if ended == nil || a.EndAt.After(ended.EndAt) || (a.EndAt.Equal(ended.EndAt) && a.StartAt.Before(ended.StartAt)) {
			ended = a
		}
	}
	if valid != nil {
		return valid
	}
	if ended != nil && !today.After(WaitingPeriodEnd(ended.EndAt)) {
		return ended
	}
	return nil
}

// fmtDate puts a French day into a message with one %s.
func fmtDate(msg string, d time.Time) string { return fmt.Sprintf(msg, d.Format("02/01/2006")) }
