package importfile

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

type pair struct{ code, ref string }

func readPairs(t *testing.T, file string) ([]Record[pair], error) {
	t.Helper()
	return ReadCSV(strings.NewReader(file), []string{"code", "ref"}, func(r *Row) (pair, *Error) {
		p := pair{r.Get("code"), r.Get("ref")}
		if p.code == "" {
			return p, r.Fail("code", "valeur manquante")
		}
		return p, nil
	})
}

func TestReadCSV_KeepsTheLineOfEachRecordAcrossQuotedLineBreaksAndBlankLines(t *testing.T) {
	recs, err := readPairs(t, "ref,code,extra\n\"a\nb\",1,x\n\n  \nc,2,y\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Line != 2 || recs[0].Value.ref != "a\nb" || recs[1].Line != 6 || recs[1].Value.code != "2" {
		t.Errorf("records = %+v", recs)
	}
}

func TestReadCSV_StopsAfterMaxErrors(t *testing.T) {
	file := "code,ref\n" + strings.Repeat(",x\n", MaxErrors+5)
	_, err := readPairs(t, file)
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != MaxErrors || !strings.HasSuffix(err.Error(), fmt.Sprintf("(arrêt après %d erreurs)", MaxErrors)) {
		t.Errorf("err = %v", err)
	}
}

func TestReadCSV_RefusesInvalidUTF8(t *testing.T) {
	_, err := readPairs(t, "code,ref\n1,caf\xe9\n")
	if err == nil || err.Error() != "ligne 2 : texte qui n'est pas en UTF-8 : enregistrez le fichier en UTF-8" {
		t.Errorf("err = %v", err)
	}
}

func TestKnown_ReportsEachUnknownReferenceOrOnlyTheFirstWhenNothingIsKnown(t *testing.T) {
	recs := []Record[pair]{{Line: 2, Value: pair{"1", "a"}}, {Line: 3, Value: pair{"2", "b"}}, {Line: 4, Value: pair{"3", "c"}}}
	ref := func(p pair) string { return p.ref }
	err := Known(recs, "ref", ref, map[string]bool{"a": true}, "connu")
	if err == nil || err.Error() != "ligne 3, champ ref : « b » n'est pas connu\nligne 4, champ ref : « c » n'est pas connu" {
		t.Errorf("err = %v", err)
	}
	err = Known(recs, "ref", ref, map[string]bool{}, "connu")
	if err == nil || err.Error() != "ligne 2, champ ref : « a » n'est pas connu" {
		t.Errorf("nothing known: err = %v", err)
	}
}

func TestError_NamesTheJSONElement(t *testing.T) {
	e := &Error{Line: 12, Item: 3, Field: "centre", Message: "coordonnées manquantes"}
	if e.Error() != "ligne 12, élément 3, champ centre : coordonnées manquantes" {
		t.Errorf("Error() = %q", e.Error())
	}
}

func TestQuote_ShortensLongValues(t *testing.T) {
	if got := Quote(strings.Repeat("é", 50)); got != "« "+strings.Repeat("é", 40)+"… »" {
		t.Errorf("Quote = %q", got)
	}
}

func TestLineAt_CountsLineBreaksBeforeTheOffset(t *testing.T) {
	data := []byte("[\n {},\n {}\n]")
	if LineAt(data, 0) != 1 || LineAt(data, 3) != 2 || LineAt(data, 8) != 3 || LineAt(data, 100) != 4 {
		t.Errorf("LineAt = %d %d %d %d", LineAt(data, 0), LineAt(data, 3), LineAt(data, 8), LineAt(data, 100))
	}
}
