package convention

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"emplois/internal/platform/importfile"
)

// The fluxIAE envelope (asp.md §1.2): UTF-8, "|" between fields and no quoting at all (a lone `"`
// is an ordinary character, so encoding/csv cannot read these files), a first line
// "DEB<view><DDMMYYYY_HHMMSS>", the column names, the data lines, and a last line "FIN<count>".

// table is one fluxIAE view read from its file.
type table struct {
	file string         // base name, for the report and the errors
	cols map[string]int // column name → index
	rows []tableRow
}

type tableRow struct {
	line   int // 1-based line in the CSV (the DEB line is line 1)
	fields []string
}

// get is the trimmed value of column col in r ("" when the line is shorter).
func (t *table) get(r tableRow, col string) string {
	i := t.cols[col]
	if i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// fileError is a problem with a whole file, in French.
func fileError(file, format string, args ...any) error {
	return fmt.Errorf("fichier %s : %s", file, fmt.Sprintf(format, args...))
}

// readTable opens path (an archive holding one CSV, or the CSV itself), checks its envelope and
// that it has the columns cols.
func readTable(path string, cols []string) (*table, error) {
	name := filepath.Base(path)
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("fichier %s illisible : %w", name, err)
	}
	text, err := extract(name, raw)
	if err != nil {
		return nil, err
	}
	return parseTable(name, text, cols)
}

// extract returns the CSV held by the file. The ASP's .gz is gzip, except once a ZIP named .gz:
// both are recognized by their magic bytes whatever the name says. A plain .csv is accepted
// too. The AES-encrypted ZIP (.riae) needs a module this project cannot fetch, so it is refused
// with the way round.
func extract(name string, raw []byte) ([]byte, error) {
	switch {
	case strings.HasSuffix(name, ".riae"):
		return nil, fileError(name, "les archives chiffrées .riae ne sont pas prises en charge ; déchiffrez-la et donnez le fichier .csv ou .csv.gz qu'elle contient")
	case bytes.HasPrefix(raw, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, fileError(name, "archive gzip illisible (%v)", err)
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			return nil, fileError(name, "archive gzip illisible (%v)", err)
		}
		return out, nil
	case bytes.HasPrefix(raw, []byte("PK\x03\x04")):
		zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			return nil, fileError(name, "archive ZIP illisible (%v)", err)
		}
		if len(zr.File) != 1 {
			return nil, fileError(name, "l'archive ZIP doit contenir exactement un fichier, elle en contient %d", len(zr.File))
		}
		f, err := zr.File[0].Open()
		if err != nil {
			return nil, fileError(name, "archive ZIP illisible (%v)", err)
		}
		defer f.Close()
		out, err := io.ReadAll(f)
		if err != nil {
			return nil, fileError(name, "archive ZIP illisible (%v)", err)
		}
		return out, nil
	case strings.HasSuffix(name, ".csv"):
		return raw, nil
	}
	return nil, fileError(name, "impossible d'extraire « %s » : ni gzip, ni ZIP, ni .csv", name)
}

// parseTable splits the CSV text into its envelope, header and data lines.
func parseTable(name string, text []byte, cols []string) (*table, error) {
	s := strings.TrimSuffix(strings.ReplaceAll(string(text), "\r\n", "\n"), "\n")
	lines := strings.Split(s, "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "DEB") {
		return nil, fileError(name, "la ligne 1 doit être l'en-tête « DEB… » de l'export fluxIAE")
	}
	last := lines[len(lines)-1]
	// Upstream drops the last line whatever it is, losing a real row when the footer is missing
	// (asp.md §8): here the footer is required and must count the data lines.
	if !strings.HasPrefix(last, "FIN") {
		return nil, fileError(name, "la dernière ligne (ligne %d) doit être le pied « FIN<nombre de lignes> » : le fichier semble tronqué", len(lines))
	}
	data := lines[2 : len(lines)-1]
	countText, _, _ := strings.Cut(strings.TrimPrefix(last, "FIN"), "|")
	if n, err := strconv.Atoi(countText); err != nil || n != len(data) {
		return nil, fileError(name, "le pied %s annonce %s lignes mais le fichier en contient %d", importfile.Quote(strings.TrimRight(last, "|")), importfile.Quote(countText), len(data))
	}
	t := &table{file: name, cols: map[string]int{}}
	for i, c := range strings.Split(lines[1], "|") {
		t.cols[strings.TrimSpace(c)] = i
	}
	for _, c := range cols {
		if _, ok := t.cols[c]; !ok {
			return nil, fileError(name, "la colonne %s est absente de la ligne 2", importfile.Quote(c))
		}
	}
	t.rows = make([]tableRow, len(data))
	for i, l := range data {
		t.rows[i] = tableRow{line: i + 3, fields: strings.Split(l, "|")}
	}
	return t, nil
}
