// Package jobseeker holds the job seekers (actors.md §2.1–2.4): their profile (identity, NIR,
// France Travail situation, address, social situation), the rules that validate it, who may see
// and edit it (actors.md §9, applications.md R35), the identity search and the creation by a
// professional (applications.md §3.2-2, actors.md §10.7), the self-signup's profile, and the
// assignments that make a professional's « Mes candidats » list (actors.md §2.3).
package jobseeker

import (
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/platform/fault"
)

// Profile is what only a job seeker has (table job_seeker_profile, one row per job seeker
// account; a missing row reads as an empty profile).
type Profile struct {
	bun.BaseModel `bun:"table:job_seeker_profile,alias:p"`

	UserID                   int64            `bun:"user_id,pk"`
	Birthdate                *time.Time       `bun:"birthdate,type:date"`
	BirthPlaceCode           *string          `bun:"birth_place_code"`
	BirthCountryCode         *string          `bun:"birth_country_code"`
	NIR                      *string          `bun:"nir"`
	LackOfNIRReason          LackOfNIRReason  `bun:"lack_of_nir_reason,notnull"`
	PoleEmploiID             string           `bun:"pole_emploi_id,notnull"`
	LackOfPoleEmploiIDReason LackOfFTIDReason `bun:"lack_of_pole_emploi_id_reason,notnull"`
	ASPUID                   string           `bun:"asp_uid,notnull"`
	EducationLevel           EducationLevel   `bun:"education_level,notnull"`
	Resourceless             bool             `bun:"resourceless,notnull"`
	RQTHEmployee             bool             `bun:"rqth_employee,notnull"`
	OETHEmployee             bool             `bun:"oeth_employee,notnull"`
	PoleEmploiSince          Duration         `bun:"pole_emploi_since,notnull"`
	UnemployedSince          Duration         `bun:"unemployed_since,notnull"`
	HasRSAAllocation         RSA              `bun:"has_rsa_allocation,notnull"`
	RSAAllocationSince       Duration         `bun:"rsa_allocation_since,notnull"`
	ASSAllocationSince       Duration         `bun:"ass_allocation_since,notnull"`
	AAHAllocationSince       Duration         `bun:"aah_allocation_since,notnull"`
	AREAllocationSince       Duration         `bun:"are_allocation_since,notnull"`
	ActivityBonusSince       Duration         `bun:"activity_bonus_since,notnull"`
	ASEExit                  bool             `bun:"ase_exit,notnull"`
	IsolatedParent           bool             `bun:"isolated_parent,notnull"`
	HousingIssue             bool             `bun:"housing_issue,notnull"`
	Refugee                  bool             `bun:"refugee,notnull"`
	DetentionExitOrPPSMJ     bool             `bun:"detention_exit_or_ppsmj,notnull"`
	LowLevelInFrench         bool             `bun:"low_level_in_french,notnull"`
	MobilityIssue            bool             `bun:"mobility_issue,notnull"`
	// CreatedByPrescriberOrganizationID is the organization of the prescriber who created the
	// account (actors.md §10.7).
	CreatedByPrescriberOrganizationID *int64 `bun:"created_by_prescriber_organization_id"`
	// France Travail's identifier of the person, from its individual search (asp.md §6.3):
	// written by the PASS IAE notification only, cleared by a trigger when the identity changes.
	PEObfuscatedNIR              *string    `bun:"pe_obfuscated_nir"`
	PELastCertificationAttemptAt *time.Time `bun:"pe_last_certification_attempt_at"`
	IsNotStalledAnymore          bool       `bun:"is_not_stalled_anymore,notnull"`
	// The address in the ASP's HEXA fields (all or nothing) and the EITI-only situation, asked
	// by the fiche salarié wizard (approvals.md §2.15); EmployeeRecordCheckedAt is when an
	// employer last completed a fiche from this profile.
	HexaLaneNumber              string     `bun:"hexa_lane_number,notnull"`
	HexaStdExtension            string     `bun:"hexa_std_extension,notnull"`
	HexaLaneType                string     `bun:"hexa_lane_type,notnull"`
	HexaLaneName                string     `bun:"hexa_lane_name,notnull"`
	HexaAdditionalAddress       string     `bun:"hexa_additional_address,notnull"`
	HexaPostCode                string     `bun:"hexa_post_code,notnull"`
	HexaCommuneCode             string     `bun:"hexa_commune_code,notnull"`
	CAPEFreelance               bool       `bun:"cape_freelance,notnull"`
	CESAFreelance               bool       `bun:"cesa_freelance,notnull"`
	ActorMetForBusinessCreation string     `bun:"actor_met_for_business_creation,notnull"`
	MeanMonthlyIncomeCents      *int64     `bun:"mean_monthly_income_cents"`
	EITIContributions           string     `bun:"eiti_contributions,notnull"`
	EmployeeRecordCheckedAt     *time.Time `bun:"employee_record_checked_at"`
	UpdatedAt                   time.Time  `bun:"updated_at,notnull"`
}

// NIRValue is the NIR, "" when unknown.
func (p *Profile) NIRValue() string {
	if p.NIR == nil {
		return ""
	}
	return *p.NIR
}

// JobSeeker is a job seeker as a viewer may see them: the account, the profile, and whether
// the viewer may see their personal data (names, NIR, e-mail, birth, address: applications.md
// R35). Callers show Name(), never the user's names directly, so that masking cannot be
// forgotten.
type JobSeeker struct {
	User    *account.User
	Profile Profile
	// PersonalData: the viewer may see (and, professionals, edit) the personal data.
	PersonalData bool
	// CreatedByViewer: the viewer created this account (by proxy).
	CreatedByViewer bool
}

// PublicID is the job seeker's public id (URLs).
func (j *JobSeeker) PublicID() string { return j.User.PublicID }

// Name is "Firstname LASTNAME", or the initials "J… D…" for a viewer who may not identify the
// person (applications.md R35).
func (j *JobSeeker) Name() string {
	if !j.PersonalData {
		return MaskedName(j.User.FirstName, j.User.LastName)
	}
	return j.User.DisplayName()
}

// IsHandledByProxy: created by someone else and never logged in (actors.md §2.1).
func (j *JobSeeker) IsHandledByProxy() bool {
	return j.User.CreatedByID != nil && j.User.LastLogin == nil
}

// ProfilePath is the job seeker's profile page (web/jobseeker), where the dashboard sends
// them while AddressComplete is false.
const ProfilePath = "/dashboard/edit_user_info"

// AddressComplete reports whether the profile has what the dashboard requires before anything
// else (actors.md §14): civilité, names, address, post code and city.
func AddressComplete(u *account.User) bool {
	return u.Title != "" && u.FirstName != "" && u.LastName != "" && u.AddressLine1 != "" && u.PostCode != "" && u.City != ""
}

// Errors whose text is shown as is.
var (
	ErrNotFound  = fault.NotFound("Ce candidat est introuvable, ou vous n'avez pas accès à son profil.")
	ErrForbidden = fault.Forbidden("Vous n'avez pas accès à cette action sur les candidats.")
	// ErrWizardNotFound: the creation wizard of this link is unknown, expired or someone else's.
	ErrWizardNotFound = fault.NotFound("Ce parcours de création de candidat a expiré : recommencez la recherche du candidat.")
)

// DuplicateError asks a professional to confirm the creation of a job seeker whose first name,
// last name and birth date are those of an existing account (applications.md §3.2-2c, R38).
// RedactedEmail is the existing account's e-mail, mostly hidden.
type DuplicateError struct {
	RedactedEmail string
}

func (e *DuplicateError) Error() string {
	return "Un candidat portant les mêmes nom, prénom et date de naissance existe déjà (" + e.RedactedEmail +
		"). S'il s'agit de la même personne, ne créez pas de second compte : recherchez-la par son adresse e-mail. Sinon, confirmez la création."
}

// Is makes errors.Is(err, fault.Conflict) style checks and fault.KindOf see a conflict.
func (e *DuplicateError) Unwrap() error { return fault.Conflict(e.Error()) }
