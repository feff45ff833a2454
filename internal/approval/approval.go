package approval

import (
	"time"

	"github.com/uptrace/bun"
)

// Origin says how a PASS came to be (§1.6).
type Origin string

const (
	OriginDefault    Origin = "default"     // « Créé normalement via les emplois »
	OriginPEApproval Origin = "pe_approval" // « Créé lors d'un import d'Agrément Pole Emploi »
	OriginAIStock    Origin = "ai_stock"    // « Créé lors de l'import du stock AI »
	OriginAdmin      Origin = "admin"       // « Créé depuis l'admin »
)

// notificationPending is the France Travail status of a PASS whose dates changed (§2.13).
const notificationPending = "notification_pending"

// Approval is a PASS IAE (§1.6). EndAt is inclusive.
type Approval struct {
	bun.BaseModel `bun:"table:approval"`

	ID                               int64      `bun:"id,pk,autoincrement"`
	PublicID                         string     `bun:"public_id,notnull"`
	Number                           string     `bun:"number,notnull"`
	StartAt                          time.Time  `bun:"start_at,type:date,notnull"`
	EndAt                            time.Time  `bun:"end_at,type:date,notnull"`
	UserID                           int64      `bun:"user_id,notnull"`
	CreatedByID                      *int64     `bun:"created_by_id"`
	Origin                           Origin     `bun:"origin,notnull"`
	EligibilityDiagnosisID           *int64     `bun:"eligibility_diagnosis_id"`
	OriginSIAESIRET                  *string    `bun:"origin_siae_siret"`
	OriginSIAEKind                   string     `bun:"origin_siae_kind,notnull"`
	OriginSenderKind                 string     `bun:"origin_sender_kind,notnull"`
	OriginPrescriberOrganizationKind string     `bun:"origin_prescriber_organization_kind,notnull"`
	PENotificationStatus             string     `bun:"pe_notification_status,notnull"`
	PENotificationTime               *time.Time `bun:"pe_notification_time"`
	PENotificationEndpoint           string     `bun:"pe_notification_endpoint,notnull"`
	PENotificationExitCode           string     `bun:"pe_notification_exit_code,notnull"`
	CreatedAt                        time.Time  `bun:"created_at,notnull"`
	UpdatedAt                        time.Time  `bun:"updated_at,notnull"`

	Suspensions   []*Suspension   `bun:"rel:has-many,join:id=approval_id"`
	Prolongations []*Prolongation `bun:"rel:has-many,join:id=approval_id"`
	// Requests are the prolongation requests, newest first.
	Requests []*ProlongationRequest `bun:"rel:has-many,join:id=approval_id"`
}

// Dates is the PASS as a period.
func (a *Approval) Dates() Period { return Period{Start: a.StartAt, End: a.EndAt} }

// DisplayNumber is the number spaced 5-2-5.
func (a *Approval) DisplayNumber() string { return FormatNumber(a.Number) }

func (a *Approval) suspensionPeriods() []Period {
	ps := make([]Period, len(a.Suspensions))
	for i, s := range a.Suspensions {
		ps[i] = s.Dates()
	}
	return ps
}

// State is the PASS's state on today (its suspensions loaded).
func (a *Approval) State(today time.Time) State {
	return StateOn(a.Dates(), a.suspensionPeriods(), today)
}

// Remainder is the days left on today (its suspensions loaded).
func (a *Approval) Remainder(today time.Time) int {
	return Remainder(a.Dates(), a.suspensionPeriods(), today)
}

// EstimatedEnd is the day the remainder runs out (its suspensions loaded).
func (a *Approval) EstimatedEnd(today time.Time) time.Time {
	return EstimatedEnd(a.Dates(), a.suspensionPeriods(), today)
}

// OngoingSuspension is the suspension covering today, nil when none.
func (a *Approval) OngoingSuspension(today time.Time) *Suspension {
	for _, s := range a.Suspensions {
		if s.Dates().Covers(today) {
			return s
		}
	}
	return nil
}

// PendingRequest is the request waiting for a prescriber, nil when none.
func (a *Approval) PendingRequest() *ProlongationRequest {
	for _, r := range a.Requests {
		if r.Status == RequestPending {
			return r
		}
	}
	return nil
}

// prolongedDays is the sum of the durations of all prolongations (§2.11).
func (a *Approval) prolongedDays() int {
	n := 0
	for _, p := range a.Prolongations {
		n += p.Days()
	}
	return n
}

// CancelledApproval is the snapshot of a deleted PASS (§1.7).
type CancelledApproval struct {
	bun.BaseModel `bun:"table:cancelled_approval"`

	ID                               int64      `bun:"id,pk,autoincrement"`
	Number                           string     `bun:"number,notnull"`
	StartAt                          time.Time  `bun:"start_at,type:date,notnull"`
	EndAt                            time.Time  `bun:"end_at,type:date,notnull"`
	Origin                           Origin     `bun:"origin,notnull"`
	OriginSIAESIRET                  *string    `bun:"origin_siae_siret"`
	OriginSIAEKind                   string     `bun:"origin_siae_kind,notnull"`
	OriginSenderKind                 string     `bun:"origin_sender_kind,notnull"`
	OriginPrescriberOrganizationKind string     `bun:"origin_prescriber_organization_kind,notnull"`
	UserLastName                     string     `bun:"user_last_name,notnull"`
	UserFirstName                    string     `bun:"user_first_name,notnull"`
	UserNIR                          string     `bun:"user_nir,notnull"`
	UserBirthdate                    *time.Time `bun:"user_birthdate,type:date"`
	UserIDNationalPE                 string     `bun:"user_id_national_pe,notnull"`
	PENotificationStatus             string     `bun:"pe_notification_status,notnull"`
	PENotificationTime               *time.Time `bun:"pe_notification_time"`
	PENotificationEndpoint           string     `bun:"pe_notification_endpoint,notnull"`
	PENotificationExitCode           string     `bun:"pe_notification_exit_code,notnull"`
	CreatedAt                        time.Time  `bun:"created_at,notnull"`
}
