// Package xlsxtest gives tests a genuine Excel workbook.
package xlsxtest

import "github.com/xuri/excelize/v2"

// Workbook is a small real workbook of one sheet with a few cells.
func Workbook() []byte {
	f := excelize.NewFile()
	defer f.Close()
	_ = f.SetCellValue("Sheet1", "A1", "Bilan")
	_ = f.SetCellValue("Sheet1", "B1", "Parcours réalisé")
	buf, err := f.WriteToBuffer()
	if err != nil {
		panic(err)
	}
	return buf.Bytes()
}
