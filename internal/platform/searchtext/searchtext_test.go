package searchtext

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestNormalize_IgnoresAccentsCaseHyphensAndApostrophes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Saint-Étienne", "saint etienne"},
		{"saint etienne", "saint etienne"},
		{"SAINT ÉTIENNE", "saint etienne"},
		{"  Saint--Étienne  ", "saint etienne"},
		{"L'Haÿ-les-Roses", "l hay les roses"},
		{"L’Abergement-Clémenciat", "l abergement clemenciat"},
		{"Œuvre d'Ærø", "oeuvre d aero"},
		{"Agent / Agente d'entretien de locaux", "agent agente d entretien de locaux"},
		{"Paris 1er Arrondissement", "paris 1er arrondissement"},
		{"Ajaccio 2A004", "ajaccio 2a004"},
		{"Façade ﬁne", "facade fine"},
		{"", ""},
		{"---", ""},
		{"lyon", "lyon"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWords_DropsRepeatedWords(t *testing.T) {
	got := Words("saint martin saint")
	if want := []string{"saint", "martin"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
}

func TestParseQuery_IsEmptyUnderTwoCharacters(t *testing.T) {
	for _, raw := range []string{"", " ", "a", "É", " - "} {
		q, err := ParseQuery(raw)
		if err != nil || !q.Empty() {
			t.Errorf("ParseQuery(%q) = %+v, %v; want empty", raw, q, err)
		}
	}
	q, _ := ParseQuery("ly")
	if q.Empty() {
		t.Error(`ParseQuery("ly") is empty, want one word`)
	}
}

func TestParseQuery_RefusesQueriesOver100Characters(t *testing.T) {
	if _, err := ParseQuery(strings.Repeat("é", 101)); !errors.Is(err, ErrTooLong) {
		t.Errorf("err = %v, want ErrTooLong", err)
	}
	if _, err := ParseQuery(strings.Repeat("é", 100)); err != nil {
		t.Errorf("100 characters refused: %v", err)
	}
}

func TestDriver_PrefersAWordThatIsNotFrequentThenTheLongest(t *testing.T) {
	frequent := []string{"saint", "de", "e", "agent", "entretien"}
	tests := []struct {
		words []string
		want  string
	}{
		{[]string{"saint", "jean", "de", "luz"}, "jean"},
		{[]string{"saint", "etienne"}, "etienne"},
		{[]string{"saint", "e"}, "saint"},
		{[]string{"agent", "entretien"}, "entretien"},
		{[]string{"lyon"}, "lyon"},
	}
	for _, tt := range tests {
		if got := Driver(tt.words, frequent); got != tt.want {
			t.Errorf("Driver(%q) = %q, want %q", tt.words, got, tt.want)
		}
	}
}

func TestPrefixEnd_BoundsEveryWordWithThePrefix(t *testing.T) {
	for _, w := range []string{"sa", "saz", "sa9", "saint", "sazzzzzz"} {
		if !(w >= "sa" && w < PrefixEnd("sa")) {
			t.Errorf("%q not within [sa, %q)", w, PrefixEnd("sa"))
		}
	}
	if "sb" < PrefixEnd("sa") {
		t.Error(`"sb" falls in the "sa" range`)
	}
}

func TestSuffixes_StartAtEveryWord(t *testing.T) {
	got := Suffixes("saint etienne du rouvray")
	want := []string{"du rouvray", "etienne du rouvray", "rouvray", "saint etienne du rouvray"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Suffixes = %q, want %q", got, want)
	}
}

func TestTopLists_StoresTheFirstRowsOfFrequentPrefixesOnly(t *testing.T) {
	names := []string{"saint etienne", "saint denis", "sainte foy", "lyon", "salon", "paris"}
	weight := []int{173, 110, 20, 519, 44, 2100}
	var entries []Entry
	for _, n := range names {
		entries = append(entries, Entry{ID: n, Keys: Suffixes(n)})
	}
	// Largest first: the order a city autocomplete uses.
	less := func(_ string, a, b int) bool { return weight[a] > weight[b] }
	rows := TopLists(entries, 3, 2, less)
	got := map[string][]string{}
	for _, r := range rows {
		if len(got[r.Prefix]) != r.Position {
			t.Fatalf("positions of %q out of order: %+v", r.Prefix, rows)
		}
		got[r.Prefix] = append(got[r.Prefix], r.ID)
	}
	// "s", one letter, is never a query; "sa" starts 4 names, "sai" and "sain" 3, "saint" 3
	// (saint etienne, saint denis, sainte foy); "saint " ends with a space; "saint e" only 1.
	want := map[string][]string{
		"sa":    {"saint etienne", "saint denis"},
		"sai":   {"saint etienne", "saint denis"},
		"sain":  {"saint etienne", "saint denis"},
		"saint": {"saint etienne", "saint denis"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("TopLists = %v\nwant %v", got, want)
	}
}

func TestAppendNew_AddsUnseenItemsUpToTheLimit(t *testing.T) {
	id := func(s string) string { return s }
	tests := []struct {
		list, more []string
		max        int
		want       []string
	}{
		{[]string{"a"}, []string{"a", "b", "c"}, 3, []string{"a", "b", "c"}},
		{[]string{"a", "b"}, []string{"c", "d"}, 3, []string{"a", "b", "c"}},
		{nil, []string{"b", "b"}, 5, []string{"b"}},
		{[]string{"a"}, nil, 2, []string{"a"}},
	}
	for _, tt := range tests {
		if got := AppendNew(tt.list, tt.more, tt.max, id); !slices.Equal(got, tt.want) {
			t.Errorf("AppendNew(%v, %v, %d) = %v, want %v", tt.list, tt.more, tt.max, got, tt.want)
		}
	}
}

func TestASCII_StripsAccentsKeepsPunctuationAndCase(t *testing.T) {
	for in, want := range map[string]string{
		"Jean-Philippe René Hippolyte Gilbert Dufaël": "Jean-Philippe Rene Hippolyte Gilbert Dufael",
		"Œuvre-d'Art (bis)":                           "OEuvre-d'Art (bis)",
		"Straße 12":                                   "Strasse 12",
		"日本 Lyon":                                     " Lyon",
	} {
		if got := ASCII(in); got != want {
			t.Errorf("ASCII(%q) = %q, want %q", in, got, want)
		}
	}
}
