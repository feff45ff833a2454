package apidocs

import (
	"reflect"
	"testing"
)

func TestBlocks_ReadTheTitlesParagraphsCodeAndStrongOfADescription(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []docBlock
	}{
		{"Documentation de l'API **emplois.inclusion.beta.gouv.fr**", []docBlock{{0, docParagraph{
			{Text: "Documentation de l'API "}, {Text: "emplois.inclusion.beta.gouv.fr", Strong: true}}}}},
		{"# Journal\n\n## 2026-07-09\n\n### Détail", []docBlock{{2, docParagraph{{Text: "Journal"}}},
			{3, docParagraph{{Text: "2026-07-09"}}}, {4, docParagraph{{Text: "Détail"}}}}},
		// A hash without a space is text; code keeps its stars; an empty code span is dropped.
		{"#hashtag `a**b` `` fin", []docBlock{{0, docParagraph{{Text: "#hashtag "}, {Text: "a**b", Code: true},
			{Text: " "}, {Text: " fin"}}}}},
		{"\n\n", nil},
	} {
		if got := blocks(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %+v\nwant %+v", tc.in, got, tc.want)
		}
	}
}
