// Package csvexport writes the CSV files the service hands out as French spreadsheets open
// them: UTF-8 with a byte order mark, semicolons between fields.
package csvexport

import (
	"encoding/csv"
	"io"
)

// NewWriter writes the byte order mark to w and returns a CSV writer of semicolons over it.
func NewWriter(w io.Writer) (*csv.Writer, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	return cw, nil
}
