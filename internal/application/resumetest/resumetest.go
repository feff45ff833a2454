// Package resumetest holds the CVs of tests: a small genuine PDF that application.CheckResume
// accepts, for the domain's tests and the pages' alike.
package resumetest

import (
	"fmt"
	"strings"
)

// PDF is a small genuine PDF: header, one object, cross-reference table, trailer.
func PDF() []byte {
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	obj := b.Len()
	b.WriteString("1 0 obj\n<< /Type /Catalog >>\nendobj\n")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 2\n0000000000 65535 f \n%010d 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", obj, xref)
	return []byte(b.String())
}
