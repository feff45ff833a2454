package org

import (
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// CompanyKind is the kind of an employer (actors.md §4.1).
type CompanyKind string

const (
	ACI      CompanyKind = "ACI"
	AI       CompanyKind = "AI"
	EI       CompanyKind = "EI"
	EITI     CompanyKind = "EITI"
	ETTI     CompanyKind = "ETTI"
	GEIQ     CompanyKind = "GEIQ"
	OPCS     CompanyKind = "OPCS"
	EA       CompanyKind = "EA"       // history only: never offered
	EATT     CompanyKind = "EATT"     // history only: never offered
	Reserved CompanyKind = "RESERVED" // technical holder of external offers, never listed
)

// CompanyKinds are the kinds that may be chosen, in the order forms show them. EA and EATT
// (support dropped on 11/05/2026) and RESERVED are left out on purpose.
var CompanyKinds = []CompanyKind{ACI, AI, EI, EITI, ETTI, GEIQ, OPCS}

// OfferedKindsSQL is CompanyKinds as an SQL list ("('ACI', 'AI', ...)"), for the queries that
// keep only the kinds offered today (actors.md §4.1): the one SQL form of that rule.
var OfferedKindsSQL = func() string {
	quoted := make([]string, len(CompanyKinds))
	for i, k := range CompanyKinds {
		quoted[i] = "'" + string(k) + "'"
	}
	return "(" + strings.Join(quoted, ", ") + ")"
}()

var companyKindLabels = map[CompanyKind]string{
	ACI:      "Atelier chantier d'insertion",
	AI:       "Association intermédiaire",
	EI:       "Entreprise d'insertion",
	EITI:     "Entreprise d'insertion par le travail indépendant",
	ETTI:     "Entreprise de travail temporaire d'insertion",
	GEIQ:     "Groupement d'employeurs pour l'insertion et la qualification",
	OPCS:     "Organisation porteuse de la clause sociale",
	EA:       "Entreprise adaptée",
	EATT:     "Entreprise adaptée de travail temporaire",
	Reserved: "Réservé",
}

// Label is the French name of the kind.
func (k CompanyKind) Label() string {
	if l, ok := companyKindLabels[k]; ok {
		return l
	}
	return string(k)
}

// Offered reports whether the kind may be chosen today (not EA/EATT history, not RESERVED).
func (k CompanyKind) Offered() bool {
	for _, o := range CompanyKinds {
		if o == k {
			return true
		}
	}
	return false
}

// IsSIAE reports whether the kind is an SIAE, whose activity depends on an ASP convention.
func (k CompanyKind) IsSIAE() bool {
	switch k {
	case ACI, AI, EI, EITI, ETTI:
		return true
	}
	return false
}

// Source says where a company row comes from (actors.md §4.1).
type Source string

const (
	SourceASP          Source = "ASP"
	SourceGEIQ         Source = "GEIQ"
	SourceEAEATT       Source = "EA_EATT"
	SourceUserCreated  Source = "USER_CREATED"
	SourceStaffCreated Source = "STAFF_CREATED"
	SourceAdminCreated Source = "ADMIN_CREATED"
)

// Label is the French name of the source.
func (s Source) Label() string {
	switch s {
	case SourceASP:
		return "Export ASP"
	case SourceGEIQ:
		return "Export GEIQ"
	case SourceEAEATT:
		return "Export EA/EATT"
	case SourceUserCreated:
		return "Utilisateur (Antenne)"
	case SourceStaffCreated:
		return "Staff Itou"
	case SourceAdminCreated:
		return "Création technique"
	}
	return string(s)
}

// Address is the postal address and position shared by the three families. CommuneCode is the
// INSEE code; the coordinates are the commune's centre unless a finer geocoding gave better.
type Address struct {
	AddressLine1 string   `bun:"address_line_1,notnull"`
	AddressLine2 string   `bun:"address_line_2,notnull"`
	PostCode     string   `bun:"post_code,notnull"`
	CityName     string   `bun:"city_name,notnull"`
	CommuneCode  string   `bun:"commune_code,notnull"`
	Latitude     *float64 `bun:"latitude"`
	Longitude    *float64 `bun:"longitude"`
}

// OneLine is the address on one line: "12 rue de la Paix, 69003 Lyon".
func (a Address) OneLine() string {
	s := a.AddressLine1
	if a.AddressLine2 != "" {
		s = join(s, a.AddressLine2, ", ")
	}
	return join(s, join(a.PostCode, a.CityName, " "), ", ")
}

func join(a, b, sep string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + sep + b
}

// Company is an employer (actors.md §4.2).
type Company struct {
	bun.BaseModel `bun:"table:company,alias:co"`

	ID                               int64       `bun:"id,pk,autoincrement"`
	UID                              string      `bun:"uid,notnull"`
	SIRET                            string      `bun:"siret,notnull"`
	NAF                              string      `bun:"naf,notnull"`
	Kind                             CompanyKind `bun:"kind,notnull"`
	Name                             string      `bun:"name,notnull"`
	Brand                            string      `bun:"brand,notnull"`
	Phone                            string      `bun:"phone,notnull"`
	Email                            string      `bun:"email,notnull"`
	AuthEmail                        string      `bun:"auth_email,notnull"`
	Website                          string      `bun:"website,notnull"`
	Description                      string      `bun:"description,notnull"`
	ProvidedSupport                  string      `bun:"provided_support,notnull"`
	Source                           Source      `bun:"source,notnull"`
	CreatedByID                      *int64      `bun:"created_by_id"`
	BlockJobApplications             bool        `bun:"block_job_applications,notnull"`
	JobApplicationsBlockedAt         *time.Time  `bun:"job_applications_blocked_at"`
	SpontaneousApplicationsOpenSince *time.Time  `bun:"spontaneous_applications_open_since"`
	ConventionID                     *int64      `bun:"convention_id"`
	JobAppScore                      *float64    `bun:"job_app_score"`
	IsSearchable                     bool        `bun:"is_searchable,notnull"`
	Department                       string      `bun:"department,notnull"`
	Address
	CreatedAt time.Time `bun:"created_at,notnull"`
	UpdatedAt time.Time `bun:"updated_at,notnull"`

	// Convention is loaded with the company by the service (nil when it has none).
	Convention *Convention `bun:"rel:belongs-to,join:convention_id=id"`
}

// DisplayName is the brand (enseigne) when set, else the legal name.
func (c *Company) DisplayName() string {
	if c.Brand != "" {
		return c.Brand
	}
	return c.Name
}

// Activity is whether a company may be used now (actors.md §4.3).
type Activity struct {
	Active        bool // active, or inactive but still in its grace period
	InGracePeriod bool // only thanks to the grace period
}

// ActivityAt is the company's activity at now; its Convention must be loaded.
func (c *Company) ActivityAt(now time.Time) Activity {
	return CompanyActivity(c.Kind, c.Source, c.IsSearchable, c.Convention, now)
}

// SpontaneousApplicationsOpen reports whether candidatures spontanées are accepted: not blocked
// and opened (actors.md §4.3).
func (c *Company) SpontaneousApplicationsOpen() bool {
	return SpontaneousOpen(c.BlockJobApplications, c.SpontaneousApplicationsOpenSince)
}

// Convention is an SIAE convention with the ASP (actors.md §4.4).
type Convention struct {
	bun.BaseModel `bun:"table:siae_convention,alias:cv"`

	ID              int64       `bun:"id,pk,autoincrement"`
	Kind            CompanyKind `bun:"kind,notnull"`
	SiretSignature  string      `bun:"siret_signature,notnull"`
	IsActive        bool        `bun:"is_active,notnull"`
	DeactivatedAt   *time.Time  `bun:"deactivated_at"`
	ReactivatedByID *int64      `bun:"reactivated_by_id"`
	ReactivatedAt   *time.Time  `bun:"reactivated_at"`
	ASPID           int64       `bun:"asp_id,notnull"`
	CreatedAt       time.Time   `bun:"created_at,notnull"`
	UpdatedAt       time.Time   `bun:"updated_at,notnull"`
}

// AnnexState is the state of a financial annex in the ASP data (actors.md §4.4).
type AnnexState string

const (
	AnnexValid       AnnexState = "VALIDE"
	AnnexProvisional AnnexState = "PROVISOIRE"
	AnnexArchived    AnnexState = "HISTORISE"
	AnnexCancelled   AnnexState = "ANNULE"
	AnnexEntered     AnnexState = "SAISI"
	AnnexDraft       AnnexState = "BROUILLON"
	AnnexClosed      AnnexState = "CLOTURE"
	AnnexRejected    AnnexState = "REJETE"
)

// Label is the French name of the state.
func (s AnnexState) Label() string {
	switch s {
	case AnnexValid:
		return "Validée"
	case AnnexProvisional:
		return "Provisoire (valide)"
	case AnnexArchived:
		return "Historisée"
	case AnnexCancelled:
		return "Annulée"
	case AnnexEntered:
		return "Saisie"
	case AnnexDraft:
		return "Brouillon"
	case AnnexClosed:
		return "Clôturée"
	case AnnexRejected:
		return "Rejetée"
	}
	return string(s)
}

// FinancialAnnex is an annexe financière of a convention (actors.md §4.4).
type FinancialAnnex struct {
	bun.BaseModel `bun:"table:siae_financial_annex,alias:af"`

	ID           int64      `bun:"id,pk,autoincrement"`
	Number       string     `bun:"number,notnull"`
	State        AnnexState `bun:"state,notnull"`
	StartAt      time.Time  `bun:"start_at,notnull"`
	EndAt        time.Time  `bun:"end_at,notnull"`
	ConventionID int64      `bun:"convention_id,notnull"`
	CreatedAt    time.Time  `bun:"created_at,notnull"`
	UpdatedAt    time.Time  `bun:"updated_at,notnull"`
}
