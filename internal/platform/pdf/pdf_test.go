package pdf

import (
	"fmt"
	"strings"
	"testing"
)

// genuine is a small PDF: header, one object, cross-reference table, trailer.
func genuine() string {
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	obj := b.Len()
	b.WriteString("1 0 obj\n<< /Type /Catalog >>\nendobj\n")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 2\n0000000000 65535 f \n%010d 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", obj, xref)
	return b.String()
}

func TestValid_ReadsTheContentNotTheName(t *testing.T) {
	ok := genuine()
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
