// Package eligibility holds the IAE and GEIQ eligibility diagnoses (approvals.md §1.1–1.5,
// §2.1–2.4, §2.6): the administrative criteria, who may author a diagnosis, how many criteria
// it needs, how long it lasts, which diagnosis counts for a job seeker seen from a company, and
// the GEIQ allowance. The certification of criteria (§2.5) is not here yet: its columns are
// left untouched.
package eligibility

import (
	"context"
	"fmt"
	"strconv"

	"github.com/uptrace/bun"
)

// Level is the level of an administrative criterion (§1.1).
type Level string

const (
	Level1 Level = "1"
	Level2 Level = "2"
)

// Label is the French name of the level.
func (l Level) Label() string {
	switch l {
	case Level1:
		return "Niveau 1"
	case Level2:
		return "Niveau 2"
	}
	return ""
}

// Kind is the code of an administrative criterion, shared by the IAE and GEIQ tables (§1.1).
type Kind string

// The kinds the rules name.
const (
	RSA    Kind = "RSA"
	ASS    Kind = "ASS"
	AAH    Kind = "AAH"
	DETLD  Kind = "DETLD"
	SENIOR Kind = "SENIOR"
	JEUNE  Kind = "JEUNE"
	ASE    Kind = "ASE"
	DELD   Kind = "DELD"
	REFDA  Kind = "REF_DA"
	ZRR    Kind = "ZRR"
	QPV    Kind = "QPV"
	DE45   Kind = "DE_45"    // GEIQ only
	RSPSDA Kind = "RS_PS_DA" // GEIQ only
	DELD12 Kind = "DELD_12"  // GEIQ only
)

// Criterion is one of the 18 IAE administrative criteria (§1.1), seeded in
// administrative_criteria.
type Criterion struct {
	bun.BaseModel `bun:"table:administrative_criteria,alias:ac"`

	ID                   int16  `bun:"id,pk"`
	Level                Level  `bun:"level,notnull"`
	Kind                 Kind   `bun:"kind,notnull"`
	Name                 string `bun:"name,notnull"`
	WrittenProofValidity string `bun:"written_proof_validity,notnull"`
	UIRank               int16  `bun:"ui_rank,notnull"`
}

// Key is the criterion's form field name, "level_<level>_<id>" (§1.1).
func (c Criterion) Key() string {
	return "level_" + string(c.Level) + "_" + strconv.Itoa(int(c.ID))
}

// Annex is the annex of the GEIQ agreement a GEIQ criterion belongs to (§1.2).
type Annex string

const (
	AnnexNone  Annex = "0"
	Annex1     Annex = "1"
	Annex2     Annex = "2"
	Annex1And2 Annex = "1+2"
)

// Label is the French name of the annex.
func (a Annex) Label() string {
	switch a {
	case AnnexNone:
		return "Aucune annexe associée"
	case Annex1:
		return "Annexe 1"
	case Annex2:
		return "Annexe 2"
	case Annex1And2:
		return "Annexes 1 et 2"
	}
	return ""
}

// inAnnex1 reports whether a criterion of annex a counts as an annex 1 criterion ("1+2" counts
// as both, §2.6).
func (a Annex) inAnnex1() bool { return a == Annex1 || a == Annex1And2 }

// GEIQCriterion is a GEIQ administrative criterion (§1.2), seeded in
// geiq_administrative_criteria. Level is "" for the criteria of annexes 0 and 1.
type GEIQCriterion struct {
	bun.BaseModel `bun:"table:geiq_administrative_criteria,alias:gac"`

	ID      int16  `bun:"id,pk"`
	Level   Level  `bun:"level,nullzero"`
	Annex   Annex  `bun:"annex,notnull"`
	Kind    Kind   `bun:"kind,notnull"`
	Name    string `bun:"name,notnull"`
	Slug    string `bun:"slug,notnull"`
	APICode string `bun:"api_code,notnull"`
	UIRank  int16  `bun:"ui_rank,notnull"`
}

// Key is the GEIQ criterion's form field name: its slug.
func (c GEIQCriterion) Key() string { return c.Slug }

// Informational reports whether the criterion is one of annex 0, left out of the display of
// the selected criteria (§1.2).
func (c GEIQCriterion) Informational() bool { return c.Annex == AnnexNone }

// Catalog is the two seeded criteria tables, in their display order (level, ui_rank).
type Catalog struct {
	IAE  []Criterion
	GEIQ []GEIQCriterion
}

// loadCatalog reads both criteria tables.
func loadCatalog(ctx context.Context, idb bun.IDB) (*Catalog, error) {
	c := new(Catalog)
	if err := idb.NewSelect().Model(&c.IAE).OrderExpr("ac.level, ac.ui_rank, ac.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("eligibility: criteria: %w", err)
	}
	if err := idb.NewSelect().Model(&c.GEIQ).OrderExpr("gac.ui_rank, gac.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("eligibility: GEIQ criteria: %w", err)
	}
	return c, nil
}

// iaeByID and geiqByID find a criterion of the catalog by id.
func (c *Catalog) iaeByID(id int16) (Criterion, bool) {
	for _, cr := range c.IAE {
		if cr.ID == id {
			return cr, true
		}
	}
	return Criterion{}, false
}

func (c *Catalog) geiqByID(id int16) (GEIQCriterion, bool) {
	for _, cr := range c.GEIQ {
		if cr.ID == id {
			return cr, true
		}
	}
	return GEIQCriterion{}, false
}

// pick returns the items of all whose key is in keys, in all's order, or the first unknown key.
func pick[T interface{ Key() string }](all []T, keys []string) ([]T, string) {
	want := make(map[string]bool, len(keys))
	for _, k := range keys {
		want[k] = true
	}
	var out []T
	for _, c := range all {
		if want[c.Key()] {
			out = append(out, c)
			delete(want, c.Key())
		}
	}
	for _, k := range keys {
		if want[k] {
			return nil, k
		}
	}
	return out, ""
}
