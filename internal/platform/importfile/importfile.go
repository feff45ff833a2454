// Package importfile reads the reference files that operators load (CSV with a header line, or
// JSON arrays) and reports problems in French, naming the line and the field, so that a file is
// either loaded whole or refused with the list of what to fix.
package importfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxErrors is how many problems a refused file reports before giving up.
const MaxErrors = 20

// BatchSize is how many rows one multi-row INSERT carries.
const BatchSize = 500

// Error is one problem in a file, shown to operators (and later to staff uploading files).
type Error struct {
	Line    int    // 1-based line in the file; the CSV header is line 1
	Item    int    // 1-based element of a JSON array; 0 for CSV
	Field   string // column or JSON key; empty for a problem with the whole line
	Message string // French sentence
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ligne %d", e.Line)
	if e.Item > 0 {
		fmt.Fprintf(&b, ", élément %d", e.Item)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ", champ %s", e.Field)
	}
	b.WriteString(" : ")
	b.WriteString(e.Message)
	return b.String()
}

// Errors lists the problems that made a file refused, in file order. The database is unchanged.
type Errors []*Error

func (errs Errors) Error() string {
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = e.Error()
	}
	msg := strings.Join(lines, "\n")
	if len(errs) >= MaxErrors {
		msg += fmt.Sprintf("\n(arrêt après %d erreurs)", MaxErrors)
	}
	return msg
}

// Collector gathers the problems of a file up to MaxErrors.
type Collector struct{ errs Errors }

// Add records a problem; it reports false once MaxErrors is reached (stop reading).
func (c *Collector) Add(e *Error) bool {
	if len(c.errs) < MaxErrors {
		c.errs = append(c.errs, e)
	}
	return len(c.errs) < MaxErrors
}

// Full reports whether MaxErrors problems were gathered.
func (c *Collector) Full() bool { return len(c.errs) >= MaxErrors }

// Err returns the gathered problems as an Errors, or nil when there are none.
func (c *Collector) Err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return c.errs
}

// Quote shows a value from the file the French way: « 95.2 ».
func Quote(v string) string {
	if utf8.RuneCountInString(v) > 40 {
		v = string([]rune(v)[:40]) + "…"
	}
	return "« " + v + " »"
}

// Record is a value read from a file with where it came from, for errors found after parsing
// (an unknown département is only known once the database is read).
type Record[T any] struct {
	Line  int
	Item  int
	Value T
}

// Fail returns an error on one field of the record.
func (r Record[T]) Fail(field, message string) *Error {
	return &Error{Line: r.Line, Item: r.Item, Field: field, Message: message}
}

// Result says what an import did.
type Result struct {
	Rows     int // rows read from the file
	Inserted int // rows that were not in the table
	Updated  int // rows already in the table, now updated
	Duration time.Duration
}

// Batches calls fn with consecutive slices of at most BatchSize items.
func Batches[T any](items []T, fn func(batch []T) error) error {
	for start := 0; start < len(items); start += BatchSize {
		end := min(start+BatchSize, len(items))
		if err := fn(items[start:end]); err != nil {
			return err
		}
	}
	return nil
}

// CSV reads a CSV file with a header line, by column name. It accepts a UTF-8 byte order mark and
// semicolon separators (spreadsheet exports); extra columns are ignored.
type CSV struct {
	r    *csv.Reader
	cols map[string]int
	n    int
}

// NewCSV reads the header and checks that every required column is there.
func NewCSV(r io.Reader, required ...string) (*CSV, error) {
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	comma := ','
	if first, _ := br.Peek(4096); len(first) > 0 {
		header := first
		if i := bytes.IndexByte(header, '\n'); i >= 0 {
			header = header[:i]
		}
		if bytes.IndexByte(header, ',') < 0 && bytes.IndexByte(header, ';') >= 0 {
			comma = ';'
		}
	}
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.FieldsPerRecord = -1 // checked here, with a French message
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, Errors{{Line: 1, Message: "le fichier est vide ; en-tête attendu : " + strings.Join(required, ",")}}
	}
	if err != nil {
		return nil, syntaxError(err)
	}
	c := &CSV{r: cr, cols: map[string]int{}, n: len(header)}
	for i, h := range header {
		c.cols[strings.ToLower(strings.TrimSpace(h))] = i
	}
	var missing []string
	for _, col := range required {
		if _, ok := c.cols[col]; !ok {
			missing = append(missing, "« "+col+" »")
		}
	}
	if len(missing) > 0 {
		word := "colonne manquante"
		if len(missing) > 1 {
			word = "colonnes manquantes"
		}
		return nil, Errors{{Line: 1, Message: fmt.Sprintf("%s dans l'en-tête : %s (en-tête attendu : %s)",
			word, strings.Join(missing, ", "), strings.Join(required, ","))}}
	}
	return c, nil
}

// Has reports whether the header has the column.
func (c *CSV) Has(col string) bool {
	_, ok := c.cols[col]
	return ok
}

// Next returns the next data row, or io.EOF. A row with the wrong number of fields or invalid
// UTF-8 comes back as an *Error (reading may go on); a broken quote is fatal.
func (c *CSV) Next() (*Row, error) {
	rec, err := c.r.Read()
	if err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, syntaxError(err)
	}
	line, _ := c.r.FieldPos(0)
	if len(rec) != c.n {
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			return c.Next() // a blank line (csv skips empty ones, not whitespace-only ones)
		}
		return nil, &Error{Line: line, Message: fmt.Sprintf("%d champs au lieu de %d (une colonne manque ou une virgule est en trop)", len(rec), c.n)}
	}
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return nil, &Error{Line: line, Message: "texte qui n'est pas en UTF-8 : enregistrez le fichier en UTF-8"}
		}
	}
	return &Row{Line: line, fields: rec, cols: c.cols}, nil
}

// Fatal reports whether an error from Next stops the reading (a broken CSV structure).
func Fatal(err error) bool {
	var errs Errors
	return errors.As(err, &errs)
}

func syntaxError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := "ligne illisible"
		switch {
		case errors.Is(pe.Err, csv.ErrBareQuote):
			msg = "guillemet « \" » inattendu dans un champ qui n'est pas entre guillemets"
		case errors.Is(pe.Err, csv.ErrQuote):
			msg = "guillemet « \" » manquant ou en trop dans un champ entre guillemets"
		}
		return Errors{{Line: pe.StartLine, Message: msg}}
	}
	return fmt.Errorf("importfile: read: %w", err)
}

// Row is one data line of a CSV file.
type Row struct {
	Line   int
	fields []string
	cols   map[string]int
}

// Get returns the trimmed value of a column ("" when the header lacks it).
func (r *Row) Get(col string) string {
	i, ok := r.cols[col]
	if !ok {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// Fail returns an error on one field of the row.
func (r *Row) Fail(col, message string) *Error {
	return &Error{Line: r.Line, Field: col, Message: message}
}

// Required returns the value of a column that must not be empty.
func (r *Row) Required(col string) (string, *Error) {
	v := r.Get(col)
	if v == "" {
		return "", r.Fail(col, "valeur manquante")
	}
	return v, nil
}

// Float returns a required decimal number within [lo, hi]; what names it in the error
// ("une latitude valide"). A decimal comma is accepted (spreadsheet exports).
func (r *Row) Float(col string, lo, hi float64, what string) (float64, *Error) {
	v, err := r.Required(col)
	if err != nil {
		return 0, err
	}
	f, ok := ParseFloat(v, lo, hi)
	if !ok {
		return 0, r.Fail(col, fmt.Sprintf("%s n'est pas %s (entre %s et %s)", Quote(v), what, fmtNum(lo), fmtNum(hi)))
	}
	return f, nil
}

// Int returns an optional whole number ≥ lo; an empty value gives 0.
func (r *Row) Int(col string, lo int, what string) (int, *Error) {
	v := r.Get(col)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo {
		return 0, r.Fail(col, fmt.Sprintf("%s n'est pas %s (nombre entier, %d ou plus)", Quote(v), what, lo))
	}
	return n, nil
}

// ParseFloat parses a finite decimal within [lo, hi], with a dot or a comma.
func ParseFloat(v string, lo, hi float64) (float64, bool) {
	f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
	if err != nil || f != f || f < lo || f > hi {
		return 0, false
	}
	return f, true
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// LineAt returns the 1-based line of byte offset off in data, for errors in JSON files.
func LineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return 1 + bytes.Count(data[:off], []byte{'\n'})
}

// Format is the syntax of a reference file.
type Format string

const (
	FormatCSV  Format = "csv"
	FormatJSON Format = "json"
)

// FormatOf guesses a file's format from its name: .json is JSON, anything else CSV.
func FormatOf(path string) Format {
	if strings.HasSuffix(strings.ToLower(path), ".json") {
		return FormatJSON
	}
	return FormatCSV
}

// ParseFormat reads a --format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case FormatCSV, FormatJSON:
		return f, nil
	}
	return "", fmt.Errorf("format %s inconnu : csv ou json", Quote(s))
}

// ReadCSV reads every data row of a CSV file through parse and returns the records, or the
// problems found (up to MaxErrors) when any row is bad. A file without data rows is refused.
func ReadCSV[T any](r io.Reader, columns []string, parse func(*Row) (T, *Error)) ([]Record[T], error) {
	c, err := NewCSV(r, columns...)
	if err != nil {
		return nil, err
	}
	var out []Record[T]
	var errs Collector
	for !errs.Full() {
		row, err := c.Next()
		if err == io.EOF {
			break
		}
		var one *Error
		var fatal Errors
		switch {
		case errors.As(err, &one):
			errs.Add(one)
			continue
		case errors.As(err, &fatal):
			for _, e := range fatal {
				errs.Add(e)
			}
			return nil, errs.Err()
		case err != nil:
			return nil, err
		}
		v, bad := parse(row)
		if bad != nil {
			errs.Add(bad)
			continue
		}
		out = append(out, Record[T]{Line: row.Line, Value: v})
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, Errors{{Line: 2, Message: "aucune ligne de données après l'en-tête"}}
	}
	return out, nil
}

// Unique refuses a file in which two records share a key (a code given twice).
func Unique[T any](recs []Record[T], field string, key func(T) string) error {
	seen := make(map[string]int, len(recs))
	var errs Collector
	for _, r := range recs {
		k := key(r.Value)
		if first, ok := seen[k]; ok {
			if !errs.Add(r.Fail(field, fmt.Sprintf("%s figure déjà ligne %d", Quote(k), first))) {
				break
			}
			continue
		}
		seen[k] = r.Line
	}
	return errs.Err()
}

// Known refuses records whose reference (a département code, a ROME code...) is not in known;
// what says what it should be ("un département connu : importez d'abord les départements").
// When nothing is known yet, the first record says it all.
func Known[T any](recs []Record[T], field string, ref func(T) string, known map[string]bool, what string) error {
	var errs Collector
	for _, r := range recs {
		if v := ref(r.Value); !known[v] {
			if !errs.Add(r.Fail(field, fmt.Sprintf("%s n'est pas %s", Quote(v), what))) || len(known) == 0 {
				break
			}
		}
	}
	return errs.Err()
}
