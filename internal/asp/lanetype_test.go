package asp

import "testing"

func TestLaneTypeOf_ReadsCodesLabelsAndAliasesInAnyCase(t *testing.T) {
	for _, tc := range []struct {
		word string
		want LaneType
		ok   bool
	}{
		{"rue", "RUE", true},
		{"R", "RUE", true},
		{"Avenue", "AV", true},
		{"av.", "AV", true},
		{"AVE", "AV", true},
		{"boulevard", "BD", true},
		{"Bd", "BD", true},
		{"BLD", "BD", true},
		{"chemin", "CHEM", true},
		{"Ch.", "CHEM", true},
		{"Allée", "ALL", true},
		{"ALLEE", "ALL", true},
		{"allées", "ALL", true},
		{"impasses", "IMP", true},
		{"Place", "PL", true},
		{"Quai", "QUAI", true},
		{"Lieu-dit", "LD", true},
		{"lieu dit", "LD", true},
		{"LIEUDIT", "LD", true},
		{"Rond-Point", "RPT", true},
		{"rd pt", "RPT", true},
		{"Faubourg", "FG", true},
		{"FBG", "FG", true},
		{"Résidence", "RES", true},
		{"Route", "RTE", true},
		{"Grande Rue", "GR", true},
		{"Zone d'aménagement concerté", "ZAC", true},
		{"Z.A.C.", "ZAC", true},
		{"Z.I.", "ZI", true},
		{"Presqu'île", "PRQ", true},
		{"passage", "PAS", true},
		{"passe", "PASS", true},
		{"", "", false},
		{"   ", "", false},
		{"S", "", false},
		{"Lilas", "", false},
		{"des", "", false},
	} {
		got, ok := LaneTypeOf(tc.word)
		if got != tc.want || ok != tc.ok {
			t.Errorf("LaneTypeOf(%q) = %q, %v; want %q, %v", tc.word, got, ok, tc.want, tc.ok)
		}
	}
}

func TestLaneTypes_EveryWordNamesOneCodeOnly(t *testing.T) {
	if n := len(LaneTypes()); n < 100 {
		t.Errorf("%d lane types, the ASP has about 100", n)
	}
	codes := map[LaneType]bool{}
	for _, lt := range laneTypes {
		if codes[lt.code] || lt.label == "" || len(lt.code) > 4 {
			t.Errorf("lane type %q: twice, without a label, or longer than the 4 characters of codetypevoie", lt.code)
		}
		codes[lt.code] = true
		for _, w := range append([]string{string(lt.code), lt.label}, lt.aliases...) {
			if got := laneTypeIndex[key(w)]; got != lt.code {
				t.Errorf("%q names %s, not %s", w, got, lt.code)
			}
		}
	}
	if LaneType("RUE").Label() != "Rue" || LaneType("XX").Label() != "" {
		t.Error("Label reads the list")
	}
}
