// Package jobdesc holds the fiches de poste (job descriptions) of employers (actors.md §4.6): their
// contract types per company kind, validation, storage and ordering, opening and closing, the
// staleness rules (reminder from day 60, automatic closing on day 90) for fiches and for
// spontaneous applications, and the public cards of companies and fiches.
package jobdesc

import (
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/geo"
	"emplois/internal/rome"
)

// CreationSource says how a fiche de poste came to exist.
type CreationSource string

const (
	// Manually: written by an employer in the editor.
	Manually CreationSource = "MANUALLY"
	// Hiring: created automatically when an employer hires for a job that had no fiche.
	Hiring CreationSource = "HIRING"
)

// JobDescription is a fiche de poste: an open (or closed) position of a company, bound to a ROME
// appellation. UID is its public identifier (the card's URL); ID never leaves the server.
type JobDescription struct {
	bun.BaseModel `bun:"table:job_description,alias:jd"`

	ID                       int64             `bun:"id,pk,autoincrement"`
	UID                      string            `bun:"uid,notnull"`
	CompanyID                int64             `bun:"company_id,notnull"`
	AppellationCode          string            `bun:"appellation_code,notnull"`
	Appellation              *rome.Appellation `bun:"rel:belongs-to,join:appellation_code=code"`
	CustomName               string            `bun:"custom_name,notnull"`
	Description              string            `bun:"description,notnull"`
	ProfileDescription       string            `bun:"profile_description,notnull"`
	ContractType             ContractType      `bun:"contract_type,notnull"`
	OtherContractType        string            `bun:"other_contract_type,notnull"`
	LocationCode             string            `bun:"location_code,nullzero"` // commune INSEE code; empty: the company's commune
	Location                 *geo.Commune      `bun:"rel:belongs-to,join:location_code=insee_code"`
	HoursPerWeek             *int              `bun:"hours_per_week"`
	OpenPositions            int               `bun:"open_positions,notnull"`
	IsResumeMandatory        bool              `bun:"is_resume_mandatory,notnull"`
	IsQPVMandatory           bool              `bun:"is_qpv_mandatory,notnull"`
	MarketContextDescription string            `bun:"market_context_description,notnull"`
	IsActive                 bool              `bun:"is_active,notnull"`
	UIRank                   int               `bun:"ui_rank,notnull"`
	CreatedAt                time.Time         `bun:"created_at,notnull"`
	UpdatedAt                time.Time         `bun:"updated_at,notnull"`
	LastEmployerUpdateAt     time.Time         `bun:"last_employer_update_at,notnull"`
	CreationSource           CreationSource    `bun:"creation_source,notnull"`
	SourceKind               string            `bun:"source_kind,nullzero"` // external offers (later): "PE_API"
	SourceID                 string            `bun:"source_id,nullzero"`
	SourceURL                string            `bun:"source_url,notnull"`
}

// DisplayName is the title shown everywhere: the custom title, else the appellation's label.
func (j *JobDescription) DisplayName() string {
	if j.CustomName != "" {
		return j.CustomName
	}
	if j.Appellation != nil {
		return j.Appellation.Label
	}
	return j.AppellationCode
}

// ContractLabel is the contract as shown: the precision typed for "Autre type de contrat".
func (j *JobDescription) ContractLabel() string {
	if j.ContractType == Other && j.OtherContractType != "" {
		return j.OtherContractType
	}
	return j.ContractType.Label()
}

// IsInternal reports whether the fiche was written here (not imported from an external source):
// only those are closed by the staleness job.
func (j *JobDescription) IsInternal() bool { return j.SourceKind == "" }

// StatusChange is one line of a fiche's history of openings and closings (the "field history" of
// is_active in les-emplois).
type StatusChange struct {
	bun.BaseModel `bun:"table:job_description_status_change,alias:jdsc"`

	ID               int64     `bun:"id,pk,autoincrement"`
	JobDescriptionID int64     `bun:"job_description_id,notnull"`
	IsActive         bool      `bun:"is_active,notnull"`
	ChangedAt        time.Time `bun:"changed_at,notnull"`
	ChangedByUserID  *int64    `bun:"changed_by_user_id"`
	Reason           string    `bun:"reason,notnull"`
}

// Reasons of a status change.
const (
	ReasonCreated   = "created"    // the fiche was created (open or closed)
	ReasonEmployer  = "employer"   // an employer (or staff) opened or closed it
	ReasonAutoClose = "auto_close" // the daily job closed it after 90 days without refresh
)
