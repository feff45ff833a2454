package employeerecord

import (
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/audit"
)

// Record is a fiche salarié (§1.10). SIRET, ASPID, ASPMeasure and ApprovalNumber are copies,
// refreshed at each « ready »: they identify the fiche at the ASP, one per PASS and structure.
type Record struct {
	bun.BaseModel `bun:"table:employee_record,alias:er"`

	ID                   int64      `bun:"id,pk,autoincrement"`
	PublicID             string     `bun:"public_id,notnull"`
	Status               Status     `bun:"status,notnull"`
	JobApplicationID     int64      `bun:"job_application_id,notnull"`
	ApprovalNumber       string     `bun:"approval_number,notnull"`
	SIRET                string     `bun:"siret,notnull"`
	ASPMeasure           string     `bun:"asp_measure,notnull"`
	ASPID                int64      `bun:"asp_id,notnull"`
	NTT                  *string    `bun:"ntt"`
	FinancialAnnexID     *int64     `bun:"financial_annex_id"`
	ProcessedAt          *time.Time `bun:"processed_at"`
	ProcessedAsDuplicate bool       `bun:"processed_as_duplicate,notnull"`
	ASPBatchFile         *string    `bun:"asp_batch_file"`
	ASPBatchLineNumber   *int       `bun:"asp_batch_line_number"`
	ASPProcessingCode    string     `bun:"asp_processing_code,notnull"`
	ASPProcessingLabel   string     `bun:"asp_processing_label,notnull"`
	ArchivedJSON         *string    `bun:"archived_json"`
	CreatedAt            time.Time  `bun:"created_at,notnull"`
	UpdatedAt            time.Time  `bun:"updated_at,notnull"`
}

// TransitionLog is one line of a fiche's history (§1.10).
type TransitionLog struct {
	bun.BaseModel `bun:"table:employee_record_transition_log,alias:erl"`

	ID                 int64          `bun:"id,pk,autoincrement"`
	EmployeeRecordID   int64          `bun:"employee_record_id,notnull"`
	Transition         TransitionName `bun:"transition,notnull"`
	FromStatus         Status         `bun:"from_status,notnull"`
	ToStatus           Status         `bun:"to_status,notnull"`
	UserID             *int64         `bun:"user_id"`
	ASPBatchFile       *string        `bun:"asp_batch_file"`
	ASPBatchLineNumber *int           `bun:"asp_batch_line_number"`
	ASPProcessingCode  string         `bun:"asp_processing_code,notnull"`
	ASPProcessingLabel string         `bun:"asp_processing_label,notnull"`
	ArchivedJSON       *string        `bun:"archived_json"`
	Recovered          bool           `bun:"recovered,notnull"`
	CreatedAt          time.Time      `bun:"created_at,notnull"`
}

// Notification is an update notification (§3.4): a « M » line telling the ASP a PASS's new
// dates. The database queues them (the trigger of migration 00031).
type Notification struct {
	bun.BaseModel `bun:"table:employee_record_update_notification,alias:ern"`

	ID                 int64              `bun:"id,pk,autoincrement"`
	EmployeeRecordID   int64              `bun:"employee_record_id,notnull"`
	Status             NotificationStatus `bun:"status,notnull"`
	ASPBatchFile       *string            `bun:"asp_batch_file"`
	ASPBatchLineNumber *int               `bun:"asp_batch_line_number"`
	ASPProcessingCode  string             `bun:"asp_processing_code,notnull"`
	ASPProcessingLabel string             `bun:"asp_processing_label,notnull"`
	ArchivedJSON       *string            `bun:"archived_json"`
	CreatedAt          time.Time          `bun:"created_at,notnull"`
	UpdatedAt          time.Time          `bun:"updated_at,notnull"`
}

// Audit actions of the fiches salarié.
const (
	ActionCreated  = "employee_record.created"
	ActionReady    = "employee_record.ready"
	ActionDisabled = "employee_record.disabled"
	ActionEnabled  = "employee_record.enabled"
)

func object(r *Record) audit.Object { return audit.Object{Type: "employee_record", ID: r.PublicID} }
