package geo

import (
	"reflect"
	"testing"
)

func TestSlug_IsTheNormalizedNameAndDepartment(t *testing.T) {
	tests := []struct{ name, dept, want string }{
		{"Saint-Étienne", "42", "saint-etienne-42"},
		{"L'Abergement-Clémenciat", "01", "l-abergement-clemenciat-01"},
		{"Ajaccio", "2A", "ajaccio-2a"},
		{"Marcq-en-Barœul", "59", "marcq-en-baroeul-59"},
	}
	for _, tt := range tests {
		if got := Slug(tt.name, tt.dept); got != tt.want {
			t.Errorf("Slug(%q, %q) = %q, want %q", tt.name, tt.dept, got, tt.want)
		}
	}
}

func TestParseCityQuery_SplitsNameWordsFromCodes(t *testing.T) {
	tests := []struct {
		raw  string
		want CityQuery
	}{
		{"Saint-Étienne", CityQuery{Text: "saint etienne", Words: []string{"saint", "etienne"}}},
		{"42000", CityQuery{Text: "42000", Codes: []string{"42000"}}},
		{"2a004", CityQuery{Text: "2a004", Codes: []string{"2a004"}}},
		{"lyon 69", CityQuery{Text: "lyon 69", Words: []string{"lyon"}, Codes: []string{"69"}}},
		{"Paris 1er", CityQuery{Text: "paris 1er", Words: []string{"paris", "1er"}}},
		{"St-Étienne", CityQuery{Text: "saint etienne", Words: []string{"saint", "etienne"}}},
		{"ste foy", CityQuery{Text: "sainte foy", Words: []string{"sainte", "foy"}}},
		{"st", CityQuery{Text: "st", Words: []string{"st"}}},
		{"l", CityQuery{}},
		{"  ", CityQuery{}},
	}
	for _, tt := range tests {
		got, err := ParseCityQuery(tt.raw)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseCityQuery(%q) = %+v, %v; want %+v", tt.raw, got, err, tt.want)
		}
	}
}

func TestValidInseeCode_AcceptsCorsicaAndOverseas(t *testing.T) {
	for code, want := range map[string]bool{
		"01001": true, "2A004": true, "2B033": true, "97411": true, "98735": true,
		"1001": false, "2C004": false, "010011": false, "": false, "ABCDE": false,
	} {
		if got := ValidInseeCode(code); got != want {
			t.Errorf("ValidInseeCode(%q) = %v, want %v", code, got, want)
		}
	}
}
