// Package apitoken holds the credentials of the partner API (api.md §1.1): the user token an
// employer admin creates on « Accès aux API » (or obtains through token-auth), and the
// département, company and service tokens staff make for partners. Keys are shown once and never
// stored: a token row keeps the key's SHA-256 and its last 3 characters.
package apitoken

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/secretkey"
)

// Kind is a family of credentials (api.md §1.1).
type Kind string

const (
	// User is the « token d'API » of one user (DRF's Token): the user and all their memberships.
	UserToken Kind = "user"
	// Department is a « jeton d'API département »: a service account carrying a département.
	DepartmentToken Kind = "department"
	// Company is a « jeton d'API entreprise »: the caller of the GEIQ hires, limited to its companies.
	CompanyToken Kind = "company"
	// ServiceToken is a « jeton d'API services PDI »: a service account carrying a service.
	ServiceToken Kind = "service"
)

// Kinds are the families staff create (the user's own token is made by its owner).
var Kinds = []Kind{DepartmentToken, CompanyToken, ServiceToken}

// Label is the French name of the family.
func (k Kind) Label() string {
	switch k {
	case UserToken:
		return "token d'API"
	case DepartmentToken:
		return "jeton d'API département"
	case CompanyToken:
		return "jeton d'API entreprise"
	case ServiceToken:
		return "jeton d'API services PDI"
	}
	return string(k)
}

// Partner is a service of the inclusion platform a service token speaks for (api.md §1.1).
type Partner string

const (
	DataInclusion Partner = "data-inclusion"
	Dora          Partner = "dora"
	LesEmplois    Partner = "les-emplois"
	LeMarche      Partner = "le-marche"
	MonRecap      Partner = "mon-recap"
	Pilotage      Partner = "pilotage"
)

// Partners are the service codes, in the original's order.
var Partners = []Partner{DataInclusion, Dora, LesEmplois, LeMarche, MonRecap, Pilotage}

// Label is the name of the service, as the original writes it.
func (s Partner) Label() string {
	switch s {
	case DataInclusion:
		return "Data inclusion"
	case Dora:
		return "Dora"
	case LesEmplois:
		return "les emplois de l’inclusion"
	case LeMarche:
		return "Le marché de l’inclusion"
	case MonRecap:
		return "Mon Récap"
	case Pilotage:
		return "Le pilotage de l’inclusion"
	}
	return string(s)
}

// Token is a stored credential, without its key.
type Token struct {
	bun.BaseModel `bun:"table:api_token,alias:t"`

	ID        int64  `bun:"id,pk,autoincrement"`
	Kind      Kind   `bun:"kind,notnull"`
	KeyHash   string `bun:"key_hash,notnull"`
	KeySuffix string `bun:"key_suffix,notnull"`
	// KeySeed (user tokens only) gives the key back with the instance's secret key (UserKey).
	KeySeed     *string   `bun:"key_seed"`
	UserID      *int64    `bun:"user_id"`
	Department  string    `bun:"department,notnull"`
	Service     Partner   `bun:"service,notnull"`
	Label       string    `bun:"label,notnull"` // a service token's purpose
	CreatedAt   time.Time `bun:"created_at,notnull"`
	CreatedByID *int64    `bun:"created_by_id"`
	// RevokedAt is set when staff revoked a département, company or service token: the row
	// stays for the back office's list, the key no longer authenticates.
	RevokedAt   *time.Time `bun:"revoked_at"`
	RevokedByID *int64     `bun:"revoked_by_id"`

	// CreatedBy and RevokedBy are the names of the staff members who did it ("" for the
	// command line), read by List and Get.
	CreatedBy string `bun:"created_by,scanonly"`
	RevokedBy string `bun:"revoked_by,scanonly"`

	// UserActive and UserKind are the state of a user token's owner, read by Authenticate.
	UserActive bool   `bun:"user_active,scanonly"`
	UserKind   string `bun:"user_kind,scanonly"`

	// CompanyIDs are the companies of a company token (api_token_company), loaded with it.
	CompanyIDs []int64 `bun:"-"`
	// Companies are the same companies with their names, read by List and Get.
	Companies []Company `bun:"-"`
}

// Company is a company a company token reads, as the back office names it.
type Company struct {
	ID               int64
	UID, Name, SIRET string
}

// Revoked reports whether staff revoked the token.
func (t *Token) Revoked() bool { return t.RevokedAt != nil }

// LogName names the token in logs and audit details as the original does (api.md §1.7), never
// with its key: "DepartmentToken-7-for-33", "CompanyToken-3", "ServiceToken-2-for-dora",
// "UserToken-12".
func (t *Token) LogName() string {
	id := strconv.FormatInt(t.ID, 10)
	switch t.Kind {
	case DepartmentToken:
		return "DepartmentToken-" + id + "-for-" + t.Department
	case CompanyToken:
		return "CompanyToken-" + id
	case ServiceToken:
		return "ServiceToken-" + id + "-for-" + string(t.Service)
	}
	return "UserToken-" + id
}

// Masked is the key as « Accès aux API » shows it once created: one star per hidden character and
// the last three (api.md §1.2: 37 stars and 3 characters for a user token).
func (t *Token) Masked() string {
	n := UserKeyLength
	if t.Kind != UserToken {
		n = FamilyKeyLength
	}
	return strings.Repeat("*", n-len(t.KeySuffix)) + t.KeySuffix
}

// Key lengths of the original: a user token is 40 lowercase hex characters (DRF), the families'
// keys 43 URL-safe characters (Python's secrets.token_urlsafe(32)).
const (
	UserKeyLength   = 40
	FamilyKeyLength = 43
	suffixLength    = 3
)

// Hash is what a key is looked up by: its SHA-256 in hex. Keys carry 160 bits of randomness or
// more, so a slow password hash would add nothing but latency to every API call.
func Hash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// suffix is the part of a key shown again.
func suffix(key string) string { return key[len(key)-suffixLength:] }

// newSeed is the random seed of a user token, in hex.
func newSeed() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// UserKey is the key of a user token: the first 40 hex characters of an HMAC of its seed under
// the instance's secret key. token-auth answers the same key again (api.md §1.3) without the
// key being stored; a stolen table without the secret key gives no key.
func UserKey(secret []byte, seed string) string {
	m := hmac.New(sha256.New, secretkey.Derive(secret, "api-user-token"))
	m.Write([]byte(seed))
	return hex.EncodeToString(m.Sum(nil))[:UserKeyLength]
}

// newFamilyKey is the key of a département, company or service token.
func newFamilyKey() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
