package convention

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// geiqList is a workbook of n GEIQ (SIRET 0123456780000i, leading zero kept), the first
// `empty` without e-mail, plus the extra rows.
func geiqList(t *testing.T, n, empty int, extra ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{{"Nom", "Rue", "Rue (suite)", "Code Postal", "Ville", "SIRET", "e-mail"}}
	for i := range n {
		email := fmt.Sprintf("geiq%d@example.org", i)
		if i < empty {
			email = ""
		}
		rows = append(rows, []any{fmt.Sprintf("GEIQ  DU   BATIMENT %d", i), "1 rue A", "", "01000", "Bourg-en-Bresse", fmt.Sprintf("0123456780%04d", i), email})
	}
	rows = append(rows, extra...)
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReadGEIQ_TheStatementsOfTheSpec(t *testing.T) {
	rows, st, err := ReadGEIQ(geiqList(t, 185, 0))
	if err != nil || len(rows) != 185 {
		t.Fatalf("185 valid rows: %d, %v", len(rows), err)
	}
	if rows[0].SIRET != "01234567800000" || rows[0].PostCode != "01000" || rows[0].Name != "Geiq Du Batiment 0" {
		t.Errorf("first row %+v: leading zeros, spaces or title case lost", rows[0])
	}
	if _, _, err := ReadGEIQ(geiqList(t, 140, 0)); err == nil || !strings.Contains(err.Error(), "140 GEIQ utilisables") {
		t.Errorf("140 rows: %v", err)
	}
	if _, _, err := ReadGEIQ(geiqList(t, 185, 100)); err == nil {
		t.Error("85 usable rows accepted")
	}
	rows, st, err = ReadGEIQ(geiqList(t, 185, 20))
	if err != nil || len(rows) != 165 || st.RowsWithEmptyEmail != 20 || st.RowsInFile != 185 {
		t.Errorf("20 empty e-mails: %d rows, %+v, %v", len(rows), st, err)
	}
	// A row without SIRET is dropped, a second row of a SIRET too; a bad SIRET refuses the list.
	rows, st, err = ReadGEIQ(geiqList(t, 160, 0, []any{"Sans siret", "", "", "", "", "", "a@b.fr"}, []any{"Double", "", "", "", "", "01234567800000", "c@d.fr"}))
	if err != nil || len(rows) != 160 || st.RowsWithSIRET != 161 || st.RowsAfterDeduplication != 160 {
		t.Errorf("filters: %d rows, %+v, %v", len(rows), st, err)
	}
	if _, _, err := ReadGEIQ(geiqList(t, 160, 0, []any{"Court", "", "", "", "", "1234567890123", "e@f.fr"})); err == nil || !strings.Contains(err.Error(), "ligne 162") {
		t.Errorf("a SIRET of 13 digits: %v", err)
	}
	if _, _, err := ReadGEIQ([]byte("Nom;SIRET")); err == nil {
		t.Error("a CSV read as a workbook")
	}
}

func TestImportGEIQ_SyncsTheGEIQCompaniesAndIsADryRunByDefault(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		listed := f.company("01234567800001", org.GEIQ, org.SourceUserCreated, 0, "")   // in the list: becomes GEIQ
		gone := f.company("99999999900001", org.GEIQ, org.SourceGEIQ, 0, "")            // not in the list, empty: deleted
		withData := f.company("99999999900002", org.GEIQ, org.SourceGEIQ, 0, "")        // not in the list, holds data
		userMade := f.company("99999999900003", org.GEIQ, org.SourceUserCreated, 0, "") // never deleted
		f.application(withData)
		list := geiqList(t, 160, 0)
		var out bytes.Buffer
		if _, err := ImportGEIQ(f.ctx, d, list, false, fixtureNow, &out); !errors.Is(err, ErrDryRun) {
			t.Fatalf("dry run: %v", err)
		}
		if n := f.count("SELECT COUNT(*) FROM company WHERE kind = 'GEIQ'"); n != 4 {
			t.Fatalf("the dry run wrote: %d GEIQ", n)
		}
		out.Reset()
		sum, err := ImportGEIQ(f.ctx, d, list, true, fixtureNow, &out)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Created != 159 || sum.Updatable != 1 || sum.Updated != 1 || sum.Deletable != 3 || sum.Deleted != 1 || sum.Undeletable != 1 || sum.Skipped != 1 {
			t.Errorf("summary %+v", sum)
		}
		for _, want := range []string{"Rows in file: 160", " > Creatable: 159", " > Updatable: 1", " >> Deleted: 1", "Done."} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("report lacks %q:\n%s", want, out.String())
			}
		}
		if n := f.count("SELECT COUNT(*) FROM company WHERE id = ? AND source = 'GEIQ'", listed); n != 1 {
			t.Error("the listed GEIQ keeps its source")
		}
		if n := f.count("SELECT COUNT(*) FROM company WHERE id IN (?, ?, ?)", gone, withData, userMade); n != 2 {
			t.Errorf("%d of the unlisted GEIQ left, want 2", n)
		}
		if n := f.count("SELECT COUNT(*) FROM company WHERE siret = '01234567800002' AND source = 'GEIQ' AND auth_email = 'geiq2@example.org' AND department = '01'"); n != 1 {
			t.Error("a created GEIQ lacks its official e-mail or département")
		}
	})
}
