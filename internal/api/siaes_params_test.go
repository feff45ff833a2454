package api

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"testing"

	"emplois/internal/directory"
)

func TestParseSiaesQuery_AppliesEveryParameterRule(t *testing.T) {
	lyon25 := &directory.Near{InseeCode: "69123", DistanceKm: 25}
	for _, tc := range []struct {
		name   string
		query  string
		want   directory.Query
		status int
		body   string // the original's body
	}{
		{name: "no filter at all", query: "", status: 400, body: `["` + MsgSiaesFilterRequired + `"]`},
		{name: "only an ordering", query: "o=ville", status: 400, body: `["` + MsgSiaesFilterRequired + `"]`},
		{name: "code_insee without distance", query: "code_insee=69123", status: 400, body: `["` + MsgSiaesFilterRequired + `"]`},
		{name: "distance without code_insee", query: "distance_max_km=10", status: 400, body: `["` + MsgSiaesFilterRequired + `"]`},
		{name: "distance 0 is no radius", query: "code_insee=69123&distance_max_km=0", status: 400, body: `["` + MsgSiaesFilterRequired + `"]`},
		{name: "distance above 100", query: "code_insee=69123&distance_max_km=101", status: 400,
			body: `{"distance_max_km":["Assurez-vous que cette valeur est inférieure ou égale à 100."]}`},
		{name: "negative distance", query: "code_insee=69123&distance_max_km=-10", status: 400,
			body: `{"distance_max_km":["Assurez-vous que cette valeur est supérieure ou égale à 0."]}`},
		{name: "distance not a number", query: "code_insee=69123&distance_max_km=loin", status: 400, body: `{"distance_max_km":["Saisissez un nombre."]}`},
		{name: "distance NaN", query: "code_insee=69123&distance_max_km=NaN", status: 400, body: `{"distance_max_km":["Saisissez un nombre."]}`},
		{name: "malformed INSEE code names no city", query: "code_insee=lyon&distance_max_km=10", status: 404, body: `{"detail":"Pas de ville avec pour code_insee lyon"}`},
		{name: "malformed département", query: "departement=rhone", status: 400,
			body: `{"departement":["Sélectionnez un choix valide. rhone n’en fait pas partie."]}`},
		{name: "malformed département of the fiches", query: "postes_dans_le_departement=6", status: 400,
			body: `{"postes_dans_le_departement":["Sélectionnez un choix valide. 6 n’en fait pas partie."]}`},
		{name: "unknown ordering", query: "departement=69&o=distance", status: 400,
			body: `{"o":["Sélectionnez un choix valide. distance n’en fait pas partie."]}`},
		{name: "every parameter error at once, in the filters' order", query: "o=ville,--siret&distance_max_km=500&departement=XX", status: 400,
			body: `{"o":["Sélectionnez un choix valide. --siret n’en fait pas partie."],"distance_max_km":["Assurez-vous que cette valeur est inférieure ou égale à 100."],"departement":["Sélectionnez un choix valide. XX n’en fait pas partie."]}`},
		{name: "page -1", query: "departement=69&page=-1", status: 404, body: `{"detail":"Page non valide."}`},
		{name: "page 0", query: "departement=69&page=0", status: 404, body: `{"detail":"Page non valide."}`},
		{name: "page not a number", query: "departement=69&page=deux", status: 404, body: `{"detail":"Page non valide."}`},

		{name: "half a radius with a département: the département", query: "code_insee=69123&departement=69",
			want: directory.Query{Department: "69", Page: 1, PageSize: 20}},
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
				if err == nil {
					t.Fatalf("accepted: %+v", q)
				}
				rec := httptest.NewRecorder()
				fail(rec, httptest.NewRequest(http.MethodGet, "/api/v1/siaes/", nil), slog.New(slog.DiscardHandler), err)
				if rec.Code != tc.status || rec.Body.String() != tc.body+"\n" {
					t.Fatalf("got %d %s, want %d %s", rec.Code, rec.Body.String(), tc.status, tc.body)
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
