package xlsx_test

import (
	"archive/zip"
	"bytes"
	"testing"

	"emplois/internal/application/resumetest"
	"emplois/internal/platform/xlsx"
	"emplois/internal/platform/xlsx/xlsxtest"
)

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for name, body := range files {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(body))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestValid_OnlyAWorkbookByItsContent(t *testing.T) {
	types := `<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`
	for _, tt := range []struct {
		name string
		data []byte
		want bool
	}{
		{"a workbook written by excelize", xlsxtest.Workbook(), true},
		{"the smallest workbook", zipOf(t, map[string]string{"[Content_Types].xml": types, "xl/workbook.xml": "<workbook/>"}), true},
		{"a PDF", resumetest.PDF(), false},
		{"a ZIP's signature and text", []byte("PK\x03\x04 un tableur"), false},
		{"a ZIP without workbook", zipOf(t, map[string]string{"[Content_Types].xml": types}), false},
		{"a Word document", zipOf(t, map[string]string{"[Content_Types].xml": `<Types><Override ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`, "word/document.xml": "<w/>"}), false},
		{"nothing", nil, false},
	} {
		if got := xlsx.Valid(tt.data); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
