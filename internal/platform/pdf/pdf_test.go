package pdf

import (
	"strings"
	"testing"

	"emplois/internal/application/resumetest"
)

func TestValid_ReadsTheContentNotTheName(t *testing.T) {
	ok := string(resumetest.PDF())
	for _, c := range []struct {
		name string
		data string
		want bool
	}{
		{"genuine", ok, true},
		{"garbage after %%EOF", ok + "\n\x00\x00", true},
		{"no header", strings.TrimPrefix(ok, "%PDF-1.4\n"), false},
		{"truncated", ok[:len(ok)/2], false},
		{"startxref out of the file", strings.Replace(ok, "startxref\n", "startxref\n99999", 1), false},
		{"a spreadsheet", "PK\x03\x04[Content_Types].xml", false},
		{"empty", "", false},
	} {
		if got := Valid([]byte(c.data)); got != c.want {
			t.Errorf("%s: Valid = %v, want %v", c.name, got, c.want)
		}
	}
}
