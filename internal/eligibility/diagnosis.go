package eligibility

import (
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/audit"
)

// DiagnosisBase is what IAE and GEIQ diagnoses share (§1.3, §1.5).
type DiagnosisBase struct {
	ID                             int64      `bun:"id,pk,autoincrement"`
	JobSeekerID                    int64      `bun:"job_seeker_id,notnull"`
	AuthorID                       *int64     `bun:"author_id"`
	AuthorKind                     AuthorKind `bun:"author_kind,notnull"`
	AuthorPrescriberOrganizationID *int64     `bun:"author_prescriber_organization_id"`
	// ExpiresAt is the first day on which the diagnosis is expired.
	ExpiresAt time.Time `bun:"expires_at,type:date,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	UpdatedAt time.Time `bun:"updated_at,notnull"`
}

// IsValid reports whether the diagnosis is valid on today (§2.4).
func (d *DiagnosisBase) IsValid(today time.Time) bool { return IsValid(d.ExpiresAt, today) }

// Diagnosis is an IAE eligibility diagnosis (§1.3). AuthorCompanyID is the SIAE of an
// employer's diagnosis.
type Diagnosis struct {
	bun.BaseModel `bun:"table:eligibility_diagnosis,alias:ed"`
	DiagnosisBase
	AuthorCompanyID *int64 `bun:"author_company_id"`

	// Criteria are the selected criteria, in display order (filled by the reads that say so).
	Criteria []Selected[Criterion] `bun:"-"`
}

// CriteriaNames are the names of its criteria, in display order.
func (d *Diagnosis) CriteriaNames() []string {
	var out []string
	for _, c := range d.Criteria {
		out = append(out, c.Criterion.Name)
	}
	return out
}

// GEIQDiagnosis is a GEIQ eligibility diagnosis (§1.5).
type GEIQDiagnosis struct {
	bun.BaseModel `bun:"table:geiq_eligibility_diagnosis,alias:ged"`
	DiagnosisBase
	AuthorGEIQID *int64 `bun:"author_geiq_id"`

	Criteria []Selected[GEIQCriterion] `bun:"-"`
}

// Allowance is the State allowance of the diagnosis in euros (§2.6).
func (d *GEIQDiagnosis) Allowance() int {
	list := make([]GEIQCriterion, len(d.Criteria))
	for i, s := range d.Criteria {
		list[i] = s.Criterion
	}
	return GEIQAllowance(d.AuthorKind, list)
}

// CriteriaNames are the names of its criteria shown, in display order: those of annex 0 are
// left out (§1.2).
func (d *GEIQDiagnosis) CriteriaNames() []string {
	var out []string
	for _, c := range d.Criteria {
		if !c.Criterion.Informational() {
			out = append(out, c.Criterion.Name)
		}
	}
	return out
}

// Selected is a criterion of a diagnosis with its certification (§1.4, filled by §2.5 later).
type Selected[C any] struct {
	Criterion      C
	CertifiedAt    *time.Time
	CertifiedFrom  *time.Time // inclusive period; CertifiedUntil nil: open-ended
	CertifiedUntil *time.Time
	// NotBeneficiary: the API answered that the person is not a beneficiary (empty period).
	NotBeneficiary bool
}

// selectedRow is a row of selected_administrative_criteria or of its GEIQ twin (same columns).
type selectedRow struct {
	bun.BaseModel `bun:"table:selected_administrative_criteria,alias:sc"`

	ID                 int64      `bun:"id,pk,autoincrement"`
	DiagnosisID        int64      `bun:"eligibility_diagnosis_id,notnull"`
	CriterionID        int16      `bun:"administrative_criteria_id,notnull"`
	CertifiedAt        *time.Time `bun:"certified_at"`
	CertifiedFrom      *time.Time `bun:"certified_from,type:date"`
	CertifiedUntil     *time.Time `bun:"certified_until,type:date"`
	CertificationEmpty bool       `bun:"certification_empty,notnull"`
	CreatedAt          time.Time  `bun:"created_at,notnull"`
}

// schema names the tables of one diagnosis family, so that IAE and GEIQ share their SQL.
type schema struct {
	diagnoses     string // table of the diagnoses
	selected      string // table of their selected criteria
	companyColumn string // the author company's column
	objectType    string // audit object type
	criteria      string // table of the criteria
}

var (
	iaeSchema  = schema{"eligibility_diagnosis", "selected_administrative_criteria", "author_company_id", "eligibility_diagnosis", "administrative_criteria"}
	geiqSchema = schema{"geiq_eligibility_diagnosis", "geiq_selected_administrative_criteria", "author_geiq_id", "geiq_eligibility_diagnosis", "geiq_administrative_criteria"}
)

func (s schema) object(id int64) audit.Object {
	return audit.Object{Type: s.objectType, ID: strconv.FormatInt(id, 10)}
}
