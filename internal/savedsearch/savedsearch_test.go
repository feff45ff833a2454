package savedsearch

import (
	"errors"
	"strings"
	"testing"
)

func TestCleanName_TrimsAndChecksTheLength(t *testing.T) {
	tests := []struct {
		in, want string
		err      string
	}{
		{"  Lyon   ACI ", "Lyon ACI", ""},
		{"Saint-Étienne", "Saint-Étienne", ""},
		{strings.Repeat("é", 50), strings.Repeat("é", 50), ""},
		{strings.Repeat("é", 51), "", MsgNameTooLong},
		{"   ", "", MsgNameRequired},
		{"", "", MsgNameRequired},
	}
	for _, tt := range tests {
		got, err := CleanName(tt.in)
		var e *Error
		switch {
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("CleanName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		case tt.err != "" && (!errors.As(err, &e) || e.Message != tt.err || e.Field != FieldName):
			t.Errorf("CleanName(%q) error %v; want %q", tt.in, err, tt.err)
		}
	}
}

func TestDefaultName_IsTheCityCutTo50Characters(t *testing.T) {
	long := "Saint-Rémy-en-Bouzemont-Saint-Genest-et-Isson-sur-Marne" // 55 characters
	tests := map[string]string{
		"Lyon":          "Lyon",
		" Paris  11e  ": "Paris 11e",
		long:            string([]rune(long)[:50]),
	}
	for in, want := range tests {
		if got := DefaultName(in); got != want {
			t.Errorf("DefaultName(%q) = %q, want %q", in, got, want)
		}
		if _, err := CleanName(DefaultName(in)); err != nil {
			t.Errorf("DefaultName(%q) is refused: %v", in, err)
		}
	}
}
