package org

import (
	"sort"
	"time"

	"github.com/uptrace/bun"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// PrescriberKind is the kind of a prescriber organization (actors.md §5.1).
type PrescriberKind string

const (
	AFPA       PrescriberKind = "AFPA"
	ASE        PrescriberKind = "ASE"
	Orienteur  PrescriberKind = "ORIENTEUR"
	CAARUD     PrescriberKind = "CAARUD"
	CADA       PrescriberKind = "CADA"
	CAF        PrescriberKind = "CAF"
	CapEmploi  PrescriberKind = "CAP_EMPLOI"
	CAVA       PrescriberKind = "CAVA"
	CCAS       PrescriberKind = "CCAS"
	CHRS       PrescriberKind = "CHRS"
	CHU        PrescriberKind = "CHU"
	CIDFF      PrescriberKind = "CIDFF"
	CPH        PrescriberKind = "CPH"
	CSAPA      PrescriberKind = "CSAPA"
	E2C        PrescriberKind = "E2C"
	EPIDE      PrescriberKind = "EPIDE"
	FT         PrescriberKind = "FT"
	HUDA       PrescriberKind = "HUDA"
	ML         PrescriberKind = "ML"
	MSA        PrescriberKind = "MSA"
	OACAS      PrescriberKind = "OACAS"
	OIL        PrescriberKind = "OIL"
	ODC        PrescriberKind = "ODC"
	OHPD       PrescriberKind = "OHPD"
	OCASF      PrescriberKind = "OCASF"
	Pension    PrescriberKind = "PENSION"
	PIJBIJ     PrescriberKind = "PIJ_BIJ"
	PJJ        PrescriberKind = "PJJ"
	PLIE       PrescriberKind = "PLIE"
	RSFJT      PrescriberKind = "RS_FJT"
	Prevention PrescriberKind = "PREVENTION"
	Dept       PrescriberKind = "DEPT"
	SPIP       PrescriberKind = "SPIP"
	OtherKind  PrescriberKind = "OTHER"
)

var prescriberKindLabels = map[PrescriberKind]string{
	AFPA:       "AFPA - Agence nationale pour la formation professionnelle des adultes",
	ASE:        "ASE - Aide sociale à l'enfance",
	Orienteur:  "Autre organisation (orienteur)",
	CAARUD:     "CAARUD - Centre d'accueil et d'accompagnement à la réduction de risques pour usagers de drogues",
	CADA:       "CADA - Centre d'accueil de demandeurs d'asile",
	CAF:        "CAF - Caisse d'allocations familiales",
	CapEmploi:  "Cap emploi",
	CAVA:       "CAVA - Centre d'adaptation à la vie active",
	CCAS:       "CCAS - Centre communal d'action sociale ou centre intercommunal d'action sociale",
	CHRS:       "CHRS - Centre d'hébergement et de réinsertion sociale",
	CHU:        "CHU - Centre d'hébergement d'urgence",
	CIDFF:      "CIDFF - Centre d'information sur les droits des femmes et des familles",
	CPH:        "CPH - Centre provisoire d'hébergement",
	CSAPA:      "CSAPA - Centre de soins, d'accompagnement et de prévention en addictologie",
	E2C:        "E2C - École de la deuxième chance",
	EPIDE:      "EPIDE - Établissement pour l'insertion dans l'emploi",
	FT:         "France Travail",
	HUDA:       "HUDA - Hébergement d'urgence pour demandeurs d'asile",
	ML:         "Mission locale",
	MSA:        "MSA - Mutualité Sociale Agricole",
	OACAS:      "OACAS - Structure porteuse d'un agrément national organisme d'accueil communautaire et d'activité solidaire",
	OIL:        "Opérateur d'intermédiation locative",
	ODC:        "Organisation délégataire d'un Conseil Départemental (Orientation et suivi des BRSA)",
	OHPD:       "Organisme habilité par le préfet de département",
	OCASF:      "Organisme mentionné au 8° du I de l'article L. 312-1 du CASF",
	Pension:    "Pension de famille / résidence accueil",
	PIJBIJ:     "PIJ-BIJ - Point/Bureau information jeunesse",
	PJJ:        "PJJ - Protection judiciaire de la jeunesse",
	PLIE:       "PLIE - Plan local pour l'insertion et l'emploi",
	RSFJT:      "Résidence sociale / FJT - Foyer de Jeunes Travailleurs",
	Prevention: "Service ou club de prévention",
	Dept:       "Service social du conseil départemental",
	SPIP:       "SPIP - Service pénitentiaire d'insertion et de probation",
	OtherKind:  "Autre",
}

// Label is the French name of the kind.
func (k PrescriberKind) Label() string {
	if l, ok := prescriberKindLabels[k]; ok {
		return l
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k PrescriberKind) Valid() bool {
	_, ok := prescriberKindLabels[k]
	return ok
}

// ChoosableAtSignup reports whether a prescriber may pick the kind when registering their
// organization: France Travail agencies come from France Travail data, and OHPD, OCASF and the
// generic "orienteur" are set by staff only (actors.md §5.1).
func (k PrescriberKind) ChoosableAtSignup() bool {
	switch k {
	case FT, OHPD, OCASF, Orienteur:
		return false
	}
	return k.Valid()
}

// Sensitive reports whether the kind must never be sent to France Travail (it is sent as "Autre").
func (k PrescriberKind) Sensitive() bool {
	switch k {
	case ASE, CAARUD, CIDFF, CSAPA, Pension, PJJ, Prevention, SPIP:
		return true
	}
	return false
}

// PrescriberKinds lists every kind in the order the interface shows them: alphabetical by label
// (French collation), "Autre" last.
func PrescriberKinds() []PrescriberKind {
	kinds := make([]PrescriberKind, 0, len(prescriberKindLabels))
	for k := range prescriberKindLabels {
		if k != OtherKind {
			kinds = append(kinds, k)
		}
	}
	c := collate.New(language.French, collate.IgnoreCase, collate.IgnoreDiacritics)
	sort.Slice(kinds, func(i, j int) bool { return c.CompareString(kinds[i].Label(), kinds[j].Label()) < 0 })
	return append(kinds, OtherKind)
}

// SignupPrescriberKinds are the kinds a prescriber may choose at signup, in display order.
func SignupPrescriberKinds() []PrescriberKind {
	var kinds []PrescriberKind
	for _, k := range PrescriberKinds() {
		if k.ChoosableAtSignup() {
			kinds = append(kinds, k)
		}
	}
	return kinds
}

// PrescriberOrganization is a prescriber organization (actors.md §5.2).
type PrescriberOrganization struct {
	bun.BaseModel `bun:"table:prescriber_organization,alias:po"`

	ID                       int64               `bun:"id,pk,autoincrement"`
	UID                      string              `bun:"uid,notnull"`
	SIRET                    string              `bun:"siret,nullzero"` // empty for some France Travail agencies
	Kind                     PrescriberKind      `bun:"kind,notnull"`
	Name                     string              `bun:"name,notnull"`
	IsBRSA                   bool                `bun:"is_brsa,notnull"`
	Phone                    string              `bun:"phone,notnull"`
	Email                    string              `bun:"email,notnull"`
	Website                  string              `bun:"website,notnull"`
	Description              string              `bun:"description,notnull"`
	CodeSAFIR                string              `bun:"code_safir,nullzero"`
	CreatedByID              *int64              `bun:"created_by_id"`
	AuthorizationStatus      AuthorizationStatus `bun:"authorization_status,notnull"`
	AuthorizationUpdatedAt   *time.Time          `bun:"authorization_updated_at"`
	AuthorizationUpdatedByID *int64              `bun:"authorization_updated_by_id"`
	IsGPSAuthorized          bool                `bun:"is_gps_authorized,notnull"`
	Department               string              `bun:"department,notnull"`
	Address
	// GeocodingScore is the confidence in the coordinates (0.8 for those France Travail gives,
	// asp.md §4), nil when unknown.
	GeocodingScore *float64  `bun:"geocoding_score"`
	CreatedAt      time.Time `bun:"created_at,notnull"`
	UpdatedAt      time.Time `bun:"updated_at,notnull"`
}

// IsAuthorized reports whether the organization's members are "prescripteurs habilités".
func (p *PrescriberOrganization) IsAuthorized() bool {
	return p.AuthorizationStatus == AuthorizationValidated
}

// IsFranceTravail reports whether the organization is a France Travail agency (read-only name and
// SIRET, FT e-mail addresses only).
func (p *PrescriberOrganization) IsFranceTravail() bool { return p.Kind == FT }

// AuthorizationStatus is the habilitation of a prescriber organization (actors.md §5.2).
type AuthorizationStatus string

const (
	AuthorizationNotSet      AuthorizationStatus = "NOT_SET"
	AuthorizationValidated   AuthorizationStatus = "VALIDATED"
	AuthorizationRefused     AuthorizationStatus = "REFUSED"
	AuthorizationNotRequired AuthorizationStatus = "NOT_REQUIRED"
)

// Label is the French name of the status.
func (s AuthorizationStatus) Label() string {
	switch s {
	case AuthorizationNotSet:
		return "Habilitation en attente de validation"
	case AuthorizationValidated:
		return "Habilitation validée"
	case AuthorizationRefused:
		return "Validation de l'habilitation refusée"
	case AuthorizationNotRequired:
		return "Pas d'habilitation nécessaire"
	}
	return string(s)
}
