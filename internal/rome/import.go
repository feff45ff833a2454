package rome

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/importfile"
	"emplois/internal/platform/searchtext"
)

// Columns of the reference CSV files (see ../shared/data/README.md).
var (
	CodeColumns        = []string{"code", "label"}
	AppellationColumns = []string{"code", "label", "rome_code"}
	NafColumns         = []string{"code", "code_compact", "level", "label"}
)

// maxLabel bounds labels (France Travail's are at most 60 characters for appellations, 95 for
// ROME codes; NAF's about 150).
const maxLabel = 255

// ImportCodes upserts the ROME codes of a CSV file (rome_codes.csv), all or nothing.
func (s *Store) ImportCodes(ctx context.Context, r io.Reader) (importfile.Result, error) {
	start := time.Now()
	recs, err := importfile.ReadCSV(r, CodeColumns, func(row *importfile.Row) (Code, *importfile.Error) {
		c := Code{Code: strings.ToUpper(row.Get("code")), Label: row.Get("label")}
		if !ValidCode(c.Code) {
			return c, row.Fail("code", importfile.Quote(c.Code)+" n'est pas un code ROME (une lettre et 4 chiffres, par exemple K2204)")
		}
		return c, checkLabel(row, c.Label)
	})
	if err == nil {
		err = importfile.Unique(recs, "code", func(c Code) string { return c.Code })
	}
	if err != nil {
		return importfile.Result{}, err
	}
	res, err := importfile.UpsertInTx(ctx, s.db, recs, "code", "label")
	res.Duration = time.Since(start)
	return res, err
}

// ImportAppellations upserts the appellations of a CSV file (rome_appellations.csv), all or
// nothing, with their search keys. Their ROME codes must be imported first.
func (s *Store) ImportAppellations(ctx context.Context, r io.Reader) (importfile.Result, error) {
	start := time.Now()
	recs, err := importfile.ReadCSV(r, AppellationColumns, func(row *importfile.Row) (Appellation, *importfile.Error) {
		a := Appellation{Code: row.Get("code"), Label: row.Get("label"), RomeCode: strings.ToUpper(row.Get("rome_code"))}
		switch {
		case !appellationCodeRe.MatchString(a.Code):
			return a, row.Fail("code", importfile.Quote(a.Code)+" n'est pas un code d'appellation (1 à 6 chiffres, par exemple 10200)")
		case !ValidCode(a.RomeCode):
			return a, row.Fail("rome_code", importfile.Quote(a.RomeCode)+" n'est pas un code ROME (une lettre et 4 chiffres, par exemple K2204)")
		}
		if bad := checkLabel(row, a.Label); bad != nil {
			return a, bad
		}
		if searchtext.Normalize(a.Label) == "" {
			return a, row.Fail("label", importfile.Quote(a.Label)+" n'est pas un libellé : il ne contient ni lettre ni chiffre")
		}
		a.SearchText = searchTextOf(a.Label, a.RomeCode)
		return a, nil
	})
	if err == nil {
		err = importfile.Unique(recs, "code", func(a Appellation) string { return a.Code })
	}
	if err != nil {
		return importfile.Result{}, err
	}
	var res importfile.Result
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		codes, err := importfile.Codes(ctx, tx, "SELECT code FROM rome_code")
		if err != nil {
			return err
		}
		if err := importfile.Known(recs, "rome_code", func(a Appellation) string { return a.RomeCode }, codes,
			"un code ROME connu : importez d'abord les codes ROME"); err != nil {
			return err
		}
		if res, err = importfile.Upsert(ctx, tx, recs, "code", "label", "search_text", "rome_code"); err != nil {
			return err
		}
		return writeSearchRows(ctx, tx, recs, res.Updated > 0)
	})
	if err == nil {
		importfile.Analyze(ctx, s.db, "rome_appellation", "rome_appellation_search", "rome_appellation_search_top")
	}
	res.Duration = time.Since(start)
	return res, err
}

// ImportNaf upserts the NAF codes of a CSV file (naf_codes.csv), all or nothing.
func (s *Store) ImportNaf(ctx context.Context, r io.Reader) (importfile.Result, error) {
	start := time.Now()
	recs, err := importfile.ReadCSV(r, NafColumns, func(row *importfile.Row) (Naf, *importfile.Error) {
		n := Naf{Code: strings.ToUpper(row.Get("code")), CodeCompact: strings.ToUpper(row.Get("code_compact")),
			Level: row.Get("level"), Label: row.Get("label")}
		re, ok := nafCodeRe[n.Level]
		switch {
		case !ok:
			return n, row.Fail("level", importfile.Quote(n.Level)+" n'est pas un niveau NAF (division, groupe, classe ou sous-classe)")
		case !re.MatchString(n.Code):
			return n, row.Fail("code", fmt.Sprintf("%s n'est pas un code NAF de niveau %s (par exemple %s)", importfile.Quote(n.Code), n.Level, nafExample[n.Level]))
		case n.CodeCompact != strings.ReplaceAll(n.Code, ".", ""):
			return n, row.Fail("code_compact", fmt.Sprintf("%s devrait valoir %s (le code sans point)", importfile.Quote(n.CodeCompact), strings.ReplaceAll(n.Code, ".", "")))
		}
		return n, checkLabel(row, n.Label)
	})
	if err == nil {
		err = importfile.Unique(recs, "code", func(n Naf) string { return n.Code })
	}
	if err != nil {
		return importfile.Result{}, err
	}
	res, err := importfile.UpsertInTx(ctx, s.db, recs, "code", "code_compact", "level", "label")
	res.Duration = time.Since(start)
	return res, err
}

var nafExample = map[string]string{Division: "81", Groupe: "81.2", Classe: "81.21", SousClasse: "81.21Z"}

func checkLabel(row *importfile.Row, label string) *importfile.Error {
	switch {
	case label == "":
		return row.Fail("label", "valeur manquante")
	case len([]rune(label)) > maxLabel:
		return row.Fail("label", fmt.Sprintf("libellé trop long : %d caractères au plus", maxLabel))
	}
	return nil
}

type appellationSearch struct {
	bun.BaseModel   `bun:"table:rome_appellation_search"`
	Key             string `bun:"search_key,pk"`
	AppellationCode string `bun:"appellation_code,pk"`
	SearchText      string `bun:"search_text"`
	LabelLength     int    `bun:"label_length"`
}

type appellationSearchTop struct {
	bun.BaseModel   `bun:"table:rome_appellation_search_top"`
	Prefix          string `bun:"prefix,pk"`
	Position        int    `bun:"position,pk"`
	AppellationCode string `bun:"appellation_code"`
}

// topListMinRows is how many matching appellations make a prefix frequent (see
// searchtext.TopLists): below it, sorting the matches at query time stays well under a millisecond.
const topListMinRows = 100

// writeSearchRows replaces the search keys of the imported appellations (their search text from
// each word on), then recomputes the top lists of frequent prefixes over all appellations.
func writeSearchRows(ctx context.Context, tx bun.Tx, recs []importfile.Record[Appellation], replace bool) error {
	if replace {
		err := importfile.Batches(recs, func(batch []importfile.Record[Appellation]) error {
			codes := make([]string, len(batch))
			for i, r := range batch {
				codes[i] = r.Value.Code
			}
			_, err := tx.NewDelete().Model((*appellationSearch)(nil)).Where("appellation_code IN (?)", bun.List(codes)).Exec(ctx)
			return err
		})
		if err != nil {
			return fmt.Errorf("rome: clear search keys: %w", err)
		}
	}
	var keys []appellationSearch
	for _, r := range recs {
		a := r.Value
		for _, k := range searchtext.Suffixes(a.SearchText) {
			keys = append(keys, appellationSearch{Key: k, AppellationCode: a.Code, SearchText: a.SearchText, LabelLength: labelLength(a.Label)})
		}
	}
	if err := importfile.Insert(ctx, tx, keys); err != nil {
		return fmt.Errorf("rome: insert search keys: %w", err)
	}

	var all []Appellation
	if err := tx.NewSelect().Model(&all).Column("code", "label", "search_text").Scan(ctx); err != nil {
		return fmt.Errorf("rome: load appellations: %w", err)
	}
	entries := make([]searchtext.Entry, len(all))
	for i, a := range all {
		entries[i] = searchtext.Entry{ID: a.Code, Keys: searchtext.Suffixes(a.SearchText)}
	}
	rows := searchtext.TopLists(entries, topListMinRows, MaxResults, func(prefix string, a, b int) bool {
		return appellationLess(prefix, all[a], all[b])
	})
	top := make([]appellationSearchTop, len(rows))
	for i, r := range rows {
		top[i] = appellationSearchTop{Prefix: r.Prefix, Position: r.Position, AppellationCode: r.ID}
	}
	if _, err := tx.NewDelete().Model((*appellationSearchTop)(nil)).Where("1 = 1").Exec(ctx); err != nil {
		return fmt.Errorf("rome: clear top lists: %w", err)
	}
	if err := importfile.Insert(ctx, tx, top); err != nil {
		return fmt.Errorf("rome: insert top lists: %w", err)
	}
	return nil
}
