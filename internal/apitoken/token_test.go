package apitoken

import (
	"strings"
	"testing"
)

func TestLogName_NamesTheTokenAsTheOriginalsLogsNeverWithItsKey(t *testing.T) {
	for _, c := range []struct {
		token Token
		want  string
	}{
		{Token{ID: 7, Kind: DepartmentToken, Department: "33"}, "DepartmentToken-7-for-33"},
		{Token{ID: 3, Kind: CompanyToken}, "CompanyToken-3"},
		{Token{ID: 2, Kind: ServiceToken, Service: Dora}, "ServiceToken-2-for-dora"},
		{Token{ID: 12, Kind: UserToken}, "UserToken-12"},
	} {
		if got := c.token.LogName(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.token, got, c.want)
		}
	}
}

func TestMasked_HidesAllButTheLastThreeCharacters(t *testing.T) {
	user := Token{Kind: UserToken, KeySuffix: "abc"}
	if got := user.Masked(); got != strings.Repeat("*", 37)+"abc" {
		t.Errorf("user token: %q", got)
	}
	family := Token{Kind: ServiceToken, KeySuffix: "x_Z"}
	if got := family.Masked(); len(got) != FamilyKeyLength || !strings.HasSuffix(got, "***x_Z") {
		t.Errorf("service token: %q", got)
	}
}

func TestUserKey_IsFortyHexCharactersOfTheSeedUnderTheSecret(t *testing.T) {
	k := UserKey([]byte("secret"), "seed")
	if len(k) != UserKeyLength || strings.Trim(k, "0123456789abcdef") != "" {
		t.Fatalf("key %q", k)
	}
	if UserKey([]byte("secret"), "seed") != k {
		t.Error("the same seed and secret must give the same key")
	}
	if UserKey([]byte("other"), "seed") == k || UserKey([]byte("secret"), "seed2") == k {
		t.Error("another secret or seed must give another key")
	}
	if f := newFamilyKey(); len(f) != FamilyKeyLength || strings.Trim(f, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		t.Errorf("family key %q", f)
	}
}

func TestValidateFamily_RefusesWhatTheOriginalsAdminRefuses(t *testing.T) {
	long := strings.Repeat("é", MaxLabelLength+1)
	for _, c := range []struct {
		name  string
		in    FamilyInput
		field string // "" when valid
	}{
		{"département", FamilyInput{Kind: DepartmentToken, Department: "33", Label: "CD 33"}, ""},
		{"Corse", FamilyInput{Kind: DepartmentToken, Department: "2A", Label: "CD 2A"}, ""},
		{"unknown département", FamilyInput{Kind: DepartmentToken, Department: "XX", Label: "CD"}, "department"},
		{"no mémo", FamilyInput{Kind: DepartmentToken, Department: "33", Label: "  "}, "label"},
		{"mémo of 61 characters", FamilyInput{Kind: CompanyToken, Companies: []string{"u"}, Label: long}, "label"},
		{"mémo of 60 characters", FamilyInput{Kind: CompanyToken, Companies: []string{"u"}, Label: long[2:]}, ""},
		{"company token without company", FamilyInput{Kind: CompanyToken, Label: "GEIQ"}, "companies"},
		{"service", FamilyInput{Kind: ServiceToken, Service: Dora}, ""},
		{"unknown service", FamilyInput{Kind: ServiceToken, Service: "facebook"}, "service"},
		{"user token", FamilyInput{Kind: UserToken, Label: "x"}, "kind"},
	} {
		err := ValidateFamily(c.in)
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s: refused: %v", c.name, err)
		case c.field != "" && err == nil:
			t.Errorf("%s: accepted", c.name)
		case c.field != "" && !fieldsOf(err).Has(c.field):
			t.Errorf("%s: %v, want an error on %s", c.name, err, c.field)
		}
	}
}
