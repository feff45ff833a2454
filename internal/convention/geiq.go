package convention

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"

	"emplois/internal/org"
	"emplois/internal/platform/db"
)

// The GEIQ list (asp.md §2): an Excel workbook of the GEIQ, run by hand, synced with the
// companies of kind GEIQ. Only a GEIQ created here gets its official e-mail; the others keep
// what they have.

// geiqHeaders are the columns read, by their exact header.
var geiqHeaders = []string{"Nom", "Rue", "Rue (suite)", "Code Postal", "Ville", "SIRET", "e-mail"}

// GEIQMinRows is the fewest GEIQ a real list holds (usually 180 and more): fewer means a
// truncated file.
const GEIQMinRows = 150

// GEIQRow is one GEIQ of the list, cleaned.
type GEIQRow struct {
	Line                                                       int
	Name, Address1, Address2, PostCode, City, SIRET, AuthEmail string
}

// GEIQStats are the counts the report starts with.
type GEIQStats struct {
	RowsInFile, RowsWithSIRET, RowsAfterDeduplication, RowsWithEmptyEmail, RowsUsed int
}

var (
	spaces  = regexp.MustCompile(`\s+`)
	siret14 = regexp.MustCompile(`^[0-9]{14}$`)
	titleFR = cases.Title(language.French)
)

// geiqError is a refusal of the whole list, in French, naming what is wrong.
func geiqError(format string, args ...any) error {
	return fmt.Errorf("liste des GEIQ : "+format, args...)
}

// clean trims a value and collapses its inner spaces (asp.md §2).
func clean(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

// ReadGEIQ reads the first sheet of the workbook and filters it as asp.md §2 says: rows
// without SIRET dropped, the first row per SIRET kept, rows without e-mail dropped; then every
// SIRET must have 14 digits and at least GEIQMinRows rows remain. SIRET and post code are
// read as text: their leading zeros stay.
func ReadGEIQ(data []byte) ([]GEIQRow, GEIQStats, error) {
	var st GEIQStats
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, st, geiqError("le fichier n'est pas un classeur Excel (.xlsx) lisible")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, st, geiqError("le classeur n'a aucune feuille")
	}
	rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil || len(rows) == 0 {
		return nil, st, geiqError("la première feuille est vide")
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[clean(h)] = i
	}
	for _, h := range geiqHeaders {
		if _, ok := col[h]; !ok {
			return nil, st, geiqError("la colonne « %s » manque", h)
		}
	}
	cell := func(r []string, h string) string {
		if i := col[h]; i < len(r) {
			return clean(r[i])
		}
		return ""
	}
	seen := map[string]bool{}
	var out []GEIQRow
	for i, r := range rows[1:] {
		if strings.Join(r, "") == "" {
			continue
		}
		st.RowsInFile++
		row := GEIQRow{Line: i + 2, Name: titleFR.String(strings.ToLower(cell(r, "Nom"))), Address1: cell(r, "Rue"),
			Address2: cell(r, "Rue (suite)"), PostCode: cell(r, "Code Postal"), City: cell(r, "Ville"),
			SIRET: strings.ReplaceAll(cell(r, "SIRET"), " ", ""), AuthEmail: strings.ToLower(cell(r, "e-mail"))}
		if row.SIRET == "" {
			continue
		}
		st.RowsWithSIRET++
		if seen[row.SIRET] {
			continue
		}
		seen[row.SIRET] = true
		st.RowsAfterDeduplication++
		if row.AuthEmail == "" {
			st.RowsWithEmptyEmail++
			continue
		}
		if !siret14.MatchString(row.SIRET) {
			return nil, st, geiqError("ligne %d, colonne SIRET : « %s » n'a pas 14 chiffres", row.Line, row.SIRET)
		}
		out = append(out, row)
	}
	st.RowsUsed = len(out)
	if len(out) < GEIQMinRows {
		return nil, st, geiqError("%d GEIQ utilisables, au moins %d attendus : le fichier semble incomplet", len(out), GEIQMinRows)
	}
	return out, st, nil
}

// GEIQSummary is what a GEIQ import did (or would do in a dry run).
type GEIQSummary struct {
	GEIQStats
	Creatable, Created, MissingEmail int
	Updatable, Updated               int
	Deletable, Deleted, Undeletable  int
	Skipped                          int
}

// staffCreatedKeptDays: a GEIQ created by staff is not deleted by the list in its first year.
const staffCreatedKeptDays = 365

// ImportGEIQ syncs the GEIQ companies with the list (asp.md §2), in one transaction rolled back
// unless wet (ErrDryRun), and prints the report to out.
func ImportGEIQ(ctx context.Context, d *db.DB, data []byte, wet bool, now time.Time, out io.Writer) (GEIQSummary, error) {
	rows, st, err := ReadGEIQ(data)
	sum := GEIQSummary{GEIQStats: st}
	if err != nil {
		return sum, err
	}
	now = now.UTC()
	err = d.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := syncGEIQ(ctx, tx, rows, now, &sum); err != nil {
			return err
		}
		printGEIQ(out, sum)
		if sum.MissingEmail > 0 {
			return geiqError("%d GEIQ non créé(s) faute d'adresse e-mail", sum.MissingEmail)
		}
		if !wet {
			return ErrDryRun
		}
		return nil
	})
	return sum, err
}

func syncGEIQ(ctx context.Context, tx bun.Tx, rows []GEIQRow, now time.Time, sum *GEIQSummary) error {
	var companies []*org.Company
	if err := tx.NewSelect().Model(&companies).Where("co.kind = ?", org.GEIQ).Scan(ctx); err != nil {
		return fmt.Errorf("convention: GEIQ companies: %w", err)
	}
	bySIRET := map[string]*org.Company{}
	for _, c := range companies {
		bySIRET[c.SIRET] = c
	}
	inFile := map[string]bool{}
	var created []*org.Company
	for _, r := range rows {
		inFile[r.SIRET] = true
		c := bySIRET[r.SIRET]
		if c == nil {
			sum.Creatable++
			if r.AuthEmail == "" {
				sum.MissingEmail++
				continue
			}
			created = append(created, &org.Company{UID: uuid.NewString(), SIRET: r.SIRET, Kind: org.GEIQ, Name: r.Name,
				AuthEmail: r.AuthEmail, Source: org.SourceGEIQ, IsSearchable: true, Department: Department(r.PostCode),
				Address:   org.Address{AddressLine1: r.Address1, AddressLine2: r.Address2, PostCode: r.PostCode, CityName: r.City},
				CreatedAt: now, UpdatedAt: now})
			continue
		}
		sum.Updatable++
		if c.Source != org.SourceGEIQ {
			c.Source, c.UpdatedAt = org.SourceGEIQ, now
			if err := updateCompany(ctx, tx, c, "source"); err != nil {
				return err
			}
			sum.Updated++
		}
	}
	if err := insertAll(ctx, tx, created); err != nil {
		return err
	}
	sum.Created = len(created)
	for _, c := range companies {
		if inFile[c.SIRET] {
			continue
		}
		sum.Deletable++
		if c.Source == org.SourceUserCreated || c.Source == org.SourceStaffCreated && now.Sub(c.CreatedAt) < staffCreatedKeptDays*24*time.Hour {
			sum.Skipped++
			continue
		}
		facts, err := deletionFacts(ctx, tx, c)
		if err != nil {
			return err
		}
		if !Deletable(facts) {
			sum.Undeletable++
			continue
		}
		if err := deleteCompany(ctx, tx, c.ID); err != nil {
			return err
		}
		sum.Deleted++
	}
	return nil
}

// printGEIQ writes the report of asp.md §2 (« Updatable » is the real intersection, not
// upstream's deletable count).
func printGEIQ(out io.Writer, s GEIQSummary) {
	rule := strings.Repeat("-", 80)
	fmt.Fprintln(out, rule)
	for _, l := range []struct {
		label string
		n     int
	}{
		{"Rows in file", s.RowsInFile}, {"Rows with a SIRET", s.RowsWithSIRET}, {"Rows with an empty email", s.RowsWithEmptyEmail},
		{"Rows used", s.RowsUsed}, {" > Creatable", s.Creatable}, {" >> Created", s.Created},
		{" >> Not created because of missing email", s.MissingEmail}, {" > Updatable", s.Updatable}, {" >> Updated", s.Updated},
		{" > Deletable", s.Deletable}, {" >> Deleted", s.Deleted}, {" >> Undeletable", s.Undeletable}, {" >> Skipped", s.Skipped},
	} {
		fmt.Fprintf(out, "%s: %d\n", l.label, l.n)
	}
	fmt.Fprintln(out, rule)
	fmt.Fprintln(out, "Done.")
}
