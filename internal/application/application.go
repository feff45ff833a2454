package application

import (
	"time"

	"github.com/uptrace/bun"
)

// Application is a candidature (applications.md §1.1). PublicID is its identifier in URLs.
type Application struct {
	bun.BaseModel `bun:"table:job_application,alias:ja"`

	ID                             int64              `bun:"id,pk,autoincrement"`
	PublicID                       string             `bun:"public_id,notnull"`
	JobSeekerID                    int64              `bun:"job_seeker_id,notnull"`
	ToCompanyID                    int64              `bun:"to_company_id,notnull"`
	SenderID                       *int64             `bun:"sender_id"`
	SenderKind                     SenderKind         `bun:"sender_kind,notnull"`
	SenderCompanyID                *int64             `bun:"sender_company_id"`
	SenderPrescriberOrganizationID *int64             `bun:"sender_prescriber_organization_id"`
	State                          State              `bun:"state,notnull"`
	Message                        string             `bun:"message,notnull"`
	Answer                         string             `bun:"answer,notnull"`
	AnswerToPrescriber             string             `bun:"answer_to_prescriber,notnull"`
	RefusalReason                  RefusalReason      `bun:"refusal_reason,notnull"`
	RefusalReasonShared            bool               `bun:"refusal_reason_shared_with_job_seeker,notnull"`
	ResumeKey                      string             `bun:"resume_key,notnull"`
	HiringStartAt                  *time.Time         `bun:"hiring_start_at,type:date"`
	HiringEndAt                    *time.Time         `bun:"hiring_end_at,type:date"`
	HiredJobID                     *int64             `bun:"hired_job_id"`
	Origin                         Origin             `bun:"origin,notnull"`
	ApprovalDeliveryMode           DeliveryMode       `bun:"approval_delivery_mode,notnull"`
	TransferredAt                  *time.Time         `bun:"transferred_at"`
	TransferredByID                *int64             `bun:"transferred_by_id"`
	TransferredFromID              *int64             `bun:"transferred_from_id"`
	ArchivedAt                     *time.Time         `bun:"archived_at"`
	ArchivedByID                   *int64             `bun:"archived_by_id"`
	ProcessedAt                    *time.Time         `bun:"processed_at"`
	CreatedAt                      time.Time          `bun:"created_at,notnull"`
	UpdatedAt                      time.Time          `bun:"updated_at,notnull"`
	CreateEmployeeRecord           bool               `bun:"create_employee_record,notnull"`
	ContractType                   ContractType       `bun:"contract_type,notnull"`
	ContractTypeDetails            string             `bun:"contract_type_details,notnull"`
	NbHoursPerWeek                 *int               `bun:"nb_hours_per_week"`
	QualificationType              QualificationType  `bun:"qualification_type,notnull"`
	QualificationLevel             QualificationLevel `bun:"qualification_level,notnull"`
	PlannedTrainingHours           *int               `bun:"planned_training_hours"`
	InvertedVAEContract            *bool              `bun:"inverted_vae_contract"`
	DiagorienteInviteSentAt        *time.Time         `bun:"diagoriente_invite_sent_at"`
	// The eligibility and PASS IAE of an acceptance (approvals.md §2.8).
	EligibilityDiagnosisID        *int64     `bun:"eligibility_diagnosis_id"`
	GEIQEligibilityDiagnosisID    *int64     `bun:"geiq_eligibility_diagnosis_id"`
	ApprovalID                    *int64     `bun:"approval_id"`
	ApprovalNumberSentAt          *time.Time `bun:"approval_number_sent_at"`
	ApprovalManuallyDeliveredByID *int64     `bun:"approval_manually_delivered_by_id"`
	ApprovalManuallyRefusedAt     *time.Time `bun:"approval_manually_refused_at"`
	ApprovalManuallyRefusedByID   *int64     `bun:"approval_manually_refused_by_id"`
}

// IsArchived reports whether the candidature is archived.
func (a *Application) IsArchived() bool { return a.ArchivedAt != nil }

// IsSentByProxy reports whether someone other than the job seeker sent it (§1.4).
func (a *Application) IsSentByProxy() bool { return a.SenderKind != SenderJobSeeker }

// IsAutoPrescription reports whether the receiving company sent it itself (§3.3).
func (a *Application) IsAutoPrescription() bool {
	return a.SenderKind == SenderEmployer && a.SenderCompanyID != nil && *a.SenderCompanyID == a.ToCompanyID
}

// setContract stores the GEIQ contract fields (already checked).
func (a *Application) setContract(g GEIQContract) {
	a.ContractType, a.ContractTypeDetails, a.NbHoursPerWeek = g.ContractType, g.ContractTypeDetails, g.NbHoursPerWeek
	a.QualificationType, a.QualificationLevel = g.QualificationType, g.QualificationLevel
	a.PlannedTrainingHours, a.InvertedVAEContract = g.PlannedTrainingHours, g.InvertedVAEContract
}

// resetAcceptedOnly empties the fields that only an accepted candidature holds (§1.1-10).
func (a *Application) resetAcceptedOnly() { a.ApprovalDeliveryMode = DeliveryNone }

// SelectedJob links a candidature to a fiche de poste it applies for.
type SelectedJob struct {
	bun.BaseModel `bun:"table:job_application_selected_job,alias:jasj"`

	JobApplicationID int64 `bun:"job_application_id,pk"`
	JobDescriptionID int64 `bun:"job_description_id,pk"`
}

// LogEntry is a line of the timeline (§1.3).
type LogEntry struct {
	bun.BaseModel `bun:"table:job_application_transition_log,alias:jal"`

	ID               int64          `bun:"id,pk,autoincrement"`
	JobApplicationID int64          `bun:"job_application_id,notnull"`
	Transition       TransitionName `bun:"transition,notnull"`
	FromState        State          `bun:"from_state,notnull"`
	ToState          State          `bun:"to_state,notnull"`
	UserID           *int64         `bun:"user_id"`
	TargetCompanyID  *int64         `bun:"target_company_id"`
	Details          string         `bun:"details,notnull"`
	CreatedAt        time.Time      `bun:"created_at,notnull"`
}

// Comment is an internal note of the receiving company's members (§1.3).
type Comment struct {
	bun.BaseModel `bun:"table:job_application_comment,alias:jac"`

	ID               int64     `bun:"id,pk,autoincrement"`
	PublicID         string    `bun:"public_id,notnull"`
	JobApplicationID int64     `bun:"job_application_id,notnull"`
	CompanyID        int64     `bun:"company_id,notnull"`
	CreatedByID      *int64    `bun:"created_by_id"`
	Message          string    `bun:"message,notnull"`
	CreatedAt        time.Time `bun:"created_at,notnull"`
}

// PriorAction is a GEIQ action before hiring (§1.2).
type PriorAction struct {
	bun.BaseModel `bun:"table:job_application_prior_action,alias:jpa"`

	ID               int64           `bun:"id,pk,autoincrement"`
	PublicID         string          `bun:"public_id,notnull"`
	JobApplicationID int64           `bun:"job_application_id,notnull"`
	Action           PriorActionKind `bun:"action,notnull"`
	StartAt          time.Time       `bun:"start_at,type:date,notnull"`
	EndAt            time.Time       `bun:"end_at,type:date,notnull"`
	CreatedAt        time.Time       `bun:"created_at,notnull"`
}

// person is what this package reads of a users row.
type person struct {
	bun.BaseModel `bun:"table:users,alias:u"`

	ID          int64  `bun:"id,pk"`
	PublicID    string `bun:"public_id"`
	Kind        string `bun:"kind"`
	Email       string `bun:"email,nullzero"`
	FirstName   string `bun:"first_name"`
	LastName    string `bun:"last_name"`
	Phone       string `bun:"phone"`
	IsActive    bool   `bun:"is_active"`
	CreatedByID *int64 `bun:"created_by_id"`
	PostCode    string `bun:"post_code"`
	City        string `bun:"city"`
	Department  string `bun:"department"`
}

// FullName is "Prénom NOM".
func (p *person) FullName() string {
	if p == nil {
		return ""
	}
	return joinName(p.FirstName, p.LastName)
}
