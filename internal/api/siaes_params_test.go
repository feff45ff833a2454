package api

import (
	"net/url"
	"reflect"
	"testing"

	"emplois/internal/directory"
	"emplois/internal/platform/fault"
)

func TestParseSiaesQuery_AppliesEveryParameterRule(t *testing.T) {
	lyon25 := &directory.Near{InseeCode: "69123", DistanceKm: 25}
	for _, tc := range []struct {
		name   string
		query  string
		want   directory.Query
		status int
		detail string
	}{
		{name: "no filter at all", query: "", status: 400, detail: MsgSiaesFilterRequired},
		{name: "only an ordering", query: "o=ville", status: 400, detail: MsgSiaesFilterRequired},
		{name: "code_insee without distance", query: "code_insee=69123", status: 400, detail: MsgDistanceRequired},
		{name: "distance without code_insee", query: "distance_max_km=10", status: 400, detail: MsgCodeInseeRequired},
		{name: "distance above 100", query: "code_insee=69123&distance_max_km=101", status: 400, detail: MsgDistanceRange},
		{name: "distance 0", query: "code_insee=69123&distance_max_km=0", status: 400, detail: MsgDistanceRange},
		{name: "negative distance", query: "code_insee=69123&distance_max_km=-10", status: 400, detail: MsgDistanceRange},
		{name: "distance not a number", query: "code_insee=69123&distance_max_km=loin", status: 400, detail: MsgDistanceRange},
		{name: "distance NaN", query: "code_insee=69123&distance_max_km=NaN", status: 400, detail: MsgDistanceRange},
		{name: "malformed INSEE code names no city", query: "code_insee=lyon&distance_max_km=10", status: 404, detail: "Pas de ville avec pour code_insee lyon"},
		{name: "malformed département", query: "departement=rhone", status: 400,
			detail: "Le paramètre `departement` doit être un code de département existant (par exemple 69, 2A ou 974) : \"rhone\" n'en est pas un."},
		{name: "malformed département of the fiches", query: "postes_dans_le_departement=6", status: 400,
			detail: "Le paramètre `postes_dans_le_departement` doit être un code de département existant (par exemple 69, 2A ou 974) : \"6\" n'en est pas un."},
		{name: "unknown ordering", query: "departement=69&o=distance", status: 400,
			detail: "Le critère de tri \"distance\" est inconnu : choisissez parmi type, departement, code_postal, ville, siret, raison_sociale, bloque_candidatures, précédés de « - » pour l'ordre décroissant."},
		{name: "one unknown criterion among good ones", query: "departement=69&o=ville,--siret", status: 400,
			detail: "Le critère de tri \"--siret\" est inconnu : choisissez parmi type, departement, code_postal, ville, siret, raison_sociale, bloque_candidatures, précédés de « - » pour l'ordre décroissant."},
		{name: "page -1", query: "departement=69&page=-1", status: 404, detail: MsgInvalidPage},
		{name: "page 0", query: "departement=69&page=0", status: 404, detail: MsgInvalidPage},
		{name: "page not a number", query: "departement=69&page=deux", status: 404, detail: MsgInvalidPage},

		{name: "radius", query: "code_insee=69123&distance_max_km=25",
			want: directory.Query{Near: lyon25, Page: 1, PageSize: 20}},
		{name: "decimal radius, 1 and 100 included", query: "code_insee=2A004&distance_max_km=1.5",
			want: directory.Query{Near: &directory.Near{InseeCode: "2A004", DistanceKm: 1.5}, Page: 1, PageSize: 20}},
		{name: "radius of 100", query: "code_insee=69123&distance_max_km=100",
			want: directory.Query{Near: &directory.Near{InseeCode: "69123", DistanceKm: 100}, Page: 1, PageSize: 20}},
		{name: "département in lower case", query: "departement=2a",
			want: directory.Query{Department: "2A", Page: 1, PageSize: 20}},
		{name: "fiches in a département", query: "postes_dans_le_departement=974",
			want: directory.Query{FichesInDepartment: "974", Page: 1, PageSize: 20}},
		{name: "filters combine", query: "code_insee=69123&distance_max_km=25&departement=69&postes_dans_le_departement=42",
			want: directory.Query{Near: lyon25, Department: "69", FichesInDepartment: "42", Page: 1, PageSize: 20}},
		{name: "ordering on several criteria", query: "departement=69&o=-bloque_candidatures,raison_sociale,",
			want: directory.Query{Department: "69", Page: 1, PageSize: 20,
				Order: []directory.OrderKey{{Field: directory.ByBlocked, Desc: true}, {Field: directory.ByName}}}},
		{name: "page and page size", query: "departement=69&page=3&page_size=50",
			want: directory.Query{Department: "69", Page: 3, PageSize: 50}},
		{name: "last page", query: "departement=69&page=last",
			want: directory.Query{Department: "69", Page: directory.LastPage, PageSize: 20}},
		{name: "page size capped at 100", query: "departement=69&page_size=1000",
			want: directory.Query{Department: "69", Page: 1, PageSize: 100}},
		{name: "bad page size ignored, as DRF", query: "departement=69&page_size=0",
			want: directory.Query{Department: "69", Page: 1, PageSize: 20}},
		{name: "format=json and unknown parameters ignored", query: "departement=69&format=json&foo=bar",
			want: directory.Query{Department: "69", Page: 1, PageSize: 20}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			q, err := ParseSiaesQuery(v)
			if tc.status != 0 {
				if bad, ok := fault.As(err); !ok || bad.Kind.Status() != tc.status || bad.Message != tc.detail {
					t.Fatalf("got %v, want %d %q", err, tc.status, tc.detail)
				}
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !reflect.DeepEqual(q, tc.want) {
				t.Errorf("query %+v, want %+v", q, tc.want)
			}
			if q.Near != nil && tc.want.Near != nil && *q.Near != *tc.want.Near {
				t.Errorf("near %+v, want %+v", *q.Near, *tc.want.Near)
			}
		})
	}
}
