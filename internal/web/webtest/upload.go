package webtest

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
)

// PostMultipart submits a form with files (name → content, sent as "<name>.pdf") the way a
// same-origin page does.
func (b *Browser) PostMultipart(path string, form url.Values, files map[string][]byte) *Response {
	b.site.T.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				b.site.T.Fatal(err)
			}
		}
	}
	for name, data := range files {
		fw, err := w.CreateFormFile(name, name+".pdf")
		if err != nil {
			b.site.T.Fatal(err)
		}
		if _, err := fw.Write(data); err != nil {
			b.site.T.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.site.T.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, b.site.URL+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Origin", b.site.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.Do(req)
}

// PDF is a small genuine PDF (header, one object, cross-reference table, trailer): a CV that
// passes the content check.
func PDF() []byte {
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	obj := b.Len()
	b.WriteString("1 0 obj\n<< /Type /Catalog >>\nendobj\n")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 2\n0000000000 65535 f \n%010d 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", obj, xref)
	return []byte(b.String())
}
