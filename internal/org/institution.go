package org

import (
	"time"

	"github.com/uptrace/bun"
)

// InstitutionKind is the kind of a partner institution (actors.md §6).
type InstitutionKind string

const (
	DDETSGEIQ   InstitutionKind = "DDETS_GEIQ"
	DDETSIAE    InstitutionKind = "DDETS_IAE"
	DDETSLog    InstitutionKind = "DDETS_LOG"
	DREETSGEIQ  InstitutionKind = "DREETS_GEIQ"
	DREETSIAE   InstitutionKind = "DREETS_IAE"
	DRIHL       InstitutionKind = "DRIHL"
	DGEFPGEIQ   InstitutionKind = "DGEFP_GEIQ"
	DGEFPIAE    InstitutionKind = "DGEFP_IAE"
	DIHAL       InstitutionKind = "DIHAL"
	ReseauIAE   InstitutionKind = "RESEAU_IAE"
	Convergence InstitutionKind = "CONVERGENCE"
	FFGEIQ      InstitutionKind = "FFGEIQ"
	OtherInst   InstitutionKind = "OTHER"
)

// InstitutionKinds lists the kinds, departmental first, then regional, then national.
var InstitutionKinds = []InstitutionKind{DDETSGEIQ, DDETSIAE, DDETSLog, DREETSGEIQ, DREETSIAE, DRIHL,
	DGEFPGEIQ, DGEFPIAE, DIHAL, ReseauIAE, Convergence, FFGEIQ, OtherInst}

var institutionKindLabels = map[InstitutionKind]string{
	DDETSGEIQ:   "DDETS GEIQ - Direction départementale de l'emploi, du travail et des solidarités, division GEIQ",
	DDETSIAE:    "DDETS IAE - Direction départementale de l'emploi, du travail et des solidarités, division IAE",
	DDETSLog:    "DDETS LOG - Direction départementale de l'emploi, du travail et des solidarités, division logement insertion",
	DREETSGEIQ:  "DREETS GEIQ - Direction régionale de l'économie, de l'emploi, du travail et des solidarités, division GEIQ",
	DREETSIAE:   "DREETS IAE - Direction régionale de l'économie, de l'emploi, du travail et des solidarités, division IAE",
	DRIHL:       "DRIHL - Direction régionale et interdépartementale de l'Hébergement et du Logement",
	DGEFPGEIQ:   "DGEFP GEIQ - Délégation générale à l'emploi et à la formation professionnelle, division GEIQ",
	DGEFPIAE:    "DGEFP IAE - Délégation générale à l'emploi et à la formation professionnelle, division IAE",
	DIHAL:       "DIHAL - Délégation interministérielle à l'hébergement et à l'accès au logement",
	ReseauIAE:   "Réseau employeur de l'insertion par l'activité économique",
	Convergence: "Convergence France",
	FFGEIQ:      "Fédération Française des GEIQ",
	OtherInst:   "Autre",
}

// Label is the French name of the kind.
func (k InstitutionKind) Label() string {
	if l, ok := institutionKindLabels[k]; ok {
		return l
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k InstitutionKind) Valid() bool {
	_, ok := institutionKindLabels[k]
	return ok
}

// Level is the territory an institution oversees.
type Level string

const (
	LevelDepartment Level = "department"
	LevelRegion     Level = "region"
	LevelNational   Level = "national"
)

// Level is the territory level of the kind (actors.md §6): DDETS a department, DREETS and the
// DRIHL a region, the others the whole country.
func (k InstitutionKind) Level() Level {
	switch k {
	case DDETSGEIQ, DDETSIAE, DDETSLog:
		return LevelDepartment
	case DREETSGEIQ, DREETSIAE, DRIHL:
		return LevelRegion
	}
	return LevelNational
}

// Institution is a partner institution (actors.md §6). Department is set for departmental
// kinds, Region for regional ones.
type Institution struct {
	bun.BaseModel `bun:"table:institution,alias:ins"`

	ID         int64           `bun:"id,pk,autoincrement"`
	UID        string          `bun:"uid,notnull"`
	Kind       InstitutionKind `bun:"kind,notnull"`
	Name       string          `bun:"name,notnull"`
	Department string          `bun:"department,nullzero"`
	Region     string          `bun:"region,nullzero"`
	Address
	CreatedAt time.Time `bun:"created_at,notnull"`
	UpdatedAt time.Time `bun:"updated_at,notnull"`
}

const (
	MsgInstitutionDepartment = "Une institution de ce type est rattachée à un département : indiquez-le."
	MsgInstitutionRegion     = "Une institution de ce type est rattachée à une région : indiquez-la."
	MsgInstitutionTerritory  = "Ce territoire ne correspond pas au type d'institution."
	MsgInstitutionTaken      = "Cette institution existe déjà pour ce territoire."
)

// TerritoryProblems returns, per field (department, region), why a territory does not fit the
// kind: a departmental kind needs a department, a regional one a region, a national one neither.
func TerritoryProblems(k InstitutionKind, department, region string) map[string]string {
	p := map[string]string{}
	switch k.Level() {
	case LevelDepartment:
		if department == "" {
			p["department"] = MsgInstitutionDepartment
		}
		if region != "" {
			p["region"] = MsgInstitutionTerritory
		}
	case LevelRegion:
		if region == "" {
			p["region"] = MsgInstitutionRegion
		}
		if department != "" {
			p["department"] = MsgInstitutionTerritory
		}
	default:
		if department != "" {
			p["department"] = MsgInstitutionTerritory
		}
		if region != "" {
			p["region"] = MsgInstitutionTerritory
		}
	}
	return p
}
