package directory

import (
	"math"
	"strings"
	"testing"
)

func TestSortCandidates_OrdersByTheKeysThenByID(t *testing.T) {
	list := func() []candidate {
		return []candidate{
			{ID: 1, Kind: "EI", Department: "69", PostCode: "69003", CityName: "Lyon", SIRET: "30000000000001", Name: "Zèbre"},
			{ID: 2, Kind: "ACI", Department: "42", PostCode: "42000", CityName: "Saint-Étienne", SIRET: "10000000000001", Name: "Élan", Blocked: true},
			{ID: 3, Kind: "ACI", Department: "69", PostCode: "69100", CityName: "Villeurbanne", SIRET: "20000000000001", Name: "elan"},
			{ID: 4, Kind: "GEIQ", Department: "13", PostCode: "13001", CityName: "Écully", SIRET: "40000000000001", Name: "Avenir"},
		}
	}
	for _, tc := range []struct {
		name string
		keys []OrderKey
		want string
	}{
		{"no key: creation order", nil, "1234"},
		{"kind, ties by id", []OrderKey{{Field: ByKind}}, "2314"},
		{"kind descending, ties still by ascending id", []OrderKey{{Field: ByKind, Desc: true}}, "4123"},
		{"département then name descending", []OrderKey{{Field: ByDepartment}, {Field: ByName, Desc: true}}, "4213"},
		{"post code", []OrderKey{{Field: ByPostCode}}, "4213"},
		{"SIRET descending", []OrderKey{{Field: BySIRET, Desc: true}}, "4132"},
		{"names the French way: accents and case do not push a name to the end", []OrderKey{{Field: ByName}}, "4321"},
		{"cities the French way", []OrderKey{{Field: ByCity}}, "4123"},
		{"blocked last, then by id", []OrderKey{{Field: ByBlocked}}, "1342"},
		{"blocked first", []OrderKey{{Field: ByBlocked, Desc: true}}, "2134"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := list()
			sortCandidates(l, tc.keys)
			var got strings.Builder
			for _, c := range l {
				got.WriteByte(byte('0' + c.ID))
			}
			if got.String() != tc.want {
				t.Errorf("order %s, want %s", got.String(), tc.want)
			}
		})
	}
}

func TestPageBounds_FollowsDRF(t *testing.T) {
	for _, tc := range []struct {
		total, page, size int
		from, to, number  int
		ok                bool
	}{
		{0, 1, 20, 0, 0, 1, true},
		{45, 1, 20, 0, 20, 1, true},
		{45, 3, 20, 40, 45, 3, true},
		{45, 4, 20, 0, 0, 0, false},
		{40, 3, 20, 0, 0, 0, false},
		{45, LastPage, 20, 40, 45, 3, true},
		{0, LastPage, 20, 0, 0, 1, true},
		{45, 0, 20, 0, 0, 0, false},
		{45, -2, 20, 0, 0, 0, false},
		{45, 922337203685477581, 20, 0, 0, 0, false}, // (page-1)*size overflows: it panicked (issue 8)
		{0, math.MaxInt, 1, 0, 0, 0, false},
		{45, 2, 0, 0, 0, 0, false},
	} {
		from, to, number, ok := pageBounds(tc.total, tc.page, tc.size)
		if from != tc.from || to != tc.to || number != tc.number || ok != tc.ok {
			t.Errorf("page %d of %d by %d: [%d, %d) page %d ok %v; want [%d, %d) page %d ok %v",
				tc.page, tc.total, tc.size, from, to, number, ok, tc.from, tc.to, tc.number, tc.ok)
		}
	}
}
