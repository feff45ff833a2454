package webtest

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
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
