// Package xlsx tells an Excel workbook (Office Open XML) from anything else by its content, never
// its name: the report files (« fichier bilan ») of prolongation requests are checked here.
package xlsx

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
)

// Valid reports whether data is a whole ZIP archive holding a workbook: its part list declares
// the spreadsheet main part and xl/workbook.xml is there.
func Valid(data []byte) bool {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	var types, workbook bool
	for _, f := range z.File {
		switch f.Name {
		case "xl/workbook.xml":
			workbook = true
		case "[Content_Types].xml":
			types = declaresWorkbook(f)
		}
	}
	return types && workbook
}

// declaresWorkbook reads the part list (a few kilobytes at most are read).
func declaresWorkbook(f *zip.File) bool {
	r, err := f.Open()
	if err != nil {
		return false
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, 64<<10))
	return err == nil && strings.Contains(string(b), "spreadsheetml.sheet.main+xml")
}
