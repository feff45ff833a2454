// Package nexus is the directory the inclusion services share (api.md §8): Dora and the Marché
// push their users, structures and memberships here, so that Les emplois knows which services a
// person uses (the cross-service menu's dropdown-status). Each row is stored under
// "<service prefix>--<source id>" with the service that pushed it, so that a service only ever
// touches its own rows; a full sync of a source (sync-start, then sync-completed) makes the rows
// it did not refresh stale, and reads ignore them.
package nexus

import (
	"slices"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/apitoken"
)

// Source is the service that pushed a row: the service of the token that called (api.md §8).
type Source = apitoken.Partner

// prefixes start the stored ids of each source's rows (api.md §8: "dora--my-id").
var prefixes = map[Source]string{
	apitoken.Dora:          "dora",
	apitoken.LeMarche:      "le-marché",
	apitoken.LesEmplois:    "emplois-de-linclusion",
	apitoken.DataInclusion: "data-inclusion",
	apitoken.Pilotage:      "pilotage",
	apitoken.MonRecap:      "mon-recap",
}

// StoredID is the id a row of source is stored under.
func StoredID(source Source, sourceID string) string { return prefixes[source] + "--" + sourceID }

// Pushers are the services that may push, delete and sync rows (api.md §10 Q5: the only ones
// whose kinds are mapped; any other service token is refused with 403).
var Pushers = []Source{apitoken.Dora, apitoken.LeMarche}

// MayPush reports whether source pushes rows here.
func MayPush(source Source) bool { return slices.Contains(Pushers, source) }

// UserKind is the common kind of a user across services.
type UserKind string

const (
	NoKind          UserKind = ""
	Guide           UserKind = "GUIDE"            // « Accompagnateur »
	FacilityManager UserKind = "FACILITY_MANAGER" // « Gestionnaire de structure »
)

// userKinds map each pusher's user kinds to the common kind (api.md §8); a kind missing here is
// refused.
var userKinds = map[Source]map[string]UserKind{
	apitoken.Dora: {
		"accompagnateur":         Guide,
		"offreur":                FacilityManager,
		"accompagnateur_offreur": FacilityManager,
		"autre":                  NoKind,
		"":                       NoKind,
	},
	apitoken.LeMarche: {"SIAE": FacilityManager},
}

// UserKindOf is the common kind of a source's user kind, and whether the source knows it.
func UserKindOf(source Source, sourceKind string) (UserKind, bool) {
	k, ok := userKinds[source][sourceKind]
	return k, ok
}

// structureKinds map each pusher's structure kinds to the common typology, whose codes are the
// data·inclusion typology's (the one Dora already speaks): Dora's kinds are mostly those codes,
// a few grouped under the nearest one; the Marché's are the inclusive employers' kinds. "" is a
// known kind with no counterpart (« Autre »). A kind missing here is refused.
var structureKinds = map[Source]map[string]string{
	apitoken.Dora: {
		"ACI": "ACI", "ACIPHC": "ACI", "AI": "AI", "EI": "EI", "EITI": "EITI", "ETTI": "ETTI", "GEIQ": "GEIQ",
		"EA": "EA", "EATT": "EATT", "ESAT": "ESAT", "OPCS": "OPCS",
		"FT": "FT", "ML": "ML", "CAP_EMPLOI": "CAP_EMPLOI", "E2C": "E2C", "EPIDE": "EPIDE", "AFPA": "AFPA",
		"PLIE": "PLIE", "MDE": "MDE", "MDEF": "MDE", "OF": "OF",
		"CCAS": "CCAS", "CIAS": "CCAS", "CAF": "CAF", "CPAM": "CPAM", "MSA": "MSA",
		"DEPT": "DEPT", "CD": "DEPT", "CDAS": "DEPT", "MDS": "MDS", "MUNI": "MUNI", "EPCI": "MUNI",
		"ASE": "ASE", "PJJ": "PJJ", "SPIP": "SPIP", "CIDFF": "CIDFF", "PIJ_BIJ": "PIJ_BIJ", "MJC": "MJC",
		"CHRS": "CHRS", "CHU": "CHU", "CADA": "CADA", "HUDA": "HUDA", "CPH": "CPH", "RS_FJT": "RS_FJT",
		"PENSION": "PENSION", "OIL": "OIL", "OACAS": "OACAS",
		"CAARUD": "CAARUD", "CSAPA": "CSAPA", "PREVENTION": "CSAPA", "CMP": "CMP", "CMS": "CMS", "CAVA": "CAVA",
		"ASSO": "ASSO", "ASSO_CHOMEUR": "ASSO", "RESSOURCERIE": "ASSO", "TIERS_LIEUX": "ASSO",
		"BIB": "BIB", "EPN": "EPN", "PIMMS": "PIMMS", "RFS": "RFS", "MSAP": "RFS", "LA_POSTE": "LA_POSTE",
		"Autre": "",
	},
	apitoken.LeMarche: {
		"ACI": "ACI", "AI": "AI", "EI": "EI", "EITI": "EITI", "ETTI": "ETTI", "GEIQ": "GEIQ",
		"EA": "EA", "EATT": "EATT", "ESAT": "ESAT", "OPCS": "OPCS",
	},
}

// StructureKindOf is the common typology code of a source's structure kind, and whether the
// source knows it.
func StructureKindOf(source Source, sourceKind string) (string, bool) {
	k, ok := structureKinds[source][sourceKind]
	return k, ok
}

// Auth is how a user logs in to their service.
type Auth string

// Auths are the known ways, in the original's order.
var Auths = []string{"DJANGO", "MAGIC_LINK", "INCLUSION_CONNECT", ProConnect}

// ProConnect is the Auth of the users who log in with ProConnect.
const ProConnect = "PRO_CONNECT"

// Roles of a membership.
var Roles = []string{"ADMINISTRATOR", "COLLABORATOR"}

// User is a user of another service.
type User struct {
	bun.BaseModel `bun:"table:nexus_user,alias:nu"`

	ID         string     `bun:"id,pk"`
	Source     Source     `bun:"source,notnull"`
	SourceID   string     `bun:"source_id,notnull"`
	SourceKind string     `bun:"source_kind,notnull"`
	Kind       UserKind   `bun:"kind,notnull"`
	FirstName  string     `bun:"first_name,notnull"`
	LastName   string     `bun:"last_name,notnull"`
	Email      string     `bun:"email,notnull"`
	Phone      string     `bun:"phone,notnull"`
	LastLogin  *time.Time `bun:"last_login"`
	Auth       string     `bun:"auth,notnull"`
	UpdatedAt  time.Time  `bun:"updated_at,notnull"`
}

// Structure is a structure of another service.
type Structure struct {
	bun.BaseModel `bun:"table:nexus_structure,alias:ns"`

	ID            string    `bun:"id,pk"`
	Source        Source    `bun:"source,notnull"`
	SourceID      string    `bun:"source_id,notnull"`
	SourceKind    string    `bun:"source_kind,notnull"`
	Kind          string    `bun:"kind,notnull"`
	SIRET         *string   `bun:"siret"`
	Name          string    `bun:"name,notnull"`
	Phone         string    `bun:"phone,notnull"`
	Email         string    `bun:"email,notnull"`
	AddressLine1  string    `bun:"address_line_1,notnull"`
	AddressLine2  string    `bun:"address_line_2,notnull"`
	PostCode      string    `bun:"post_code,notnull"`
	City          string    `bun:"city,notnull"`
	Department    string    `bun:"department,notnull"`
	Website       string    `bun:"website,notnull"`
	OpeningHours  string    `bun:"opening_hours,notnull"`
	Accessibility string    `bun:"accessibility,notnull"`
	Description   string    `bun:"description,notnull"`
	SourceLink    string    `bun:"source_link,notnull"`
	UpdatedAt     time.Time `bun:"updated_at,notnull"`
}

// Membership is a user's membership of a structure, in another service.
type Membership struct {
	bun.BaseModel `bun:"table:nexus_membership,alias:nm"`

	ID          string    `bun:"id,pk"`
	Source      Source    `bun:"source,notnull"`
	SourceID    string    `bun:"source_id,notnull"`
	UserID      string    `bun:"user_id,notnull"`
	StructureID string    `bun:"structure_id,notnull"`
	Role        string    `bun:"role,notnull"`
	UpdatedAt   time.Time `bun:"updated_at,notnull"`
}

// Resource is what a push is about.
type Resource string

const (
	Users       Resource = "users"
	Structures  Resource = "structures"
	Memberships Resource = "memberships"
)

// table is where the rows of a resource are kept.
func (r Resource) table() string { return "nexus_" + string(r[:len(r)-1]) }
