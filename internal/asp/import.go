package asp

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/importfile"
	"emplois/internal/platform/searchtext"
)

// Columns of the import files. The communes' period columns are optional: a file without them
// (the reference communes.csv or arrondissements_municipaux.csv of ../shared/data, which list
// today's communes) gives each commune one current period since ReferenceStart.
var (
	CommuneColumns    = []string{"insee_code", "name"}
	CommuneOptional   = []string{"start_date", "end_date", "ignored"}
	DepartmentColumns = []string{"code", "name", "start_date", "end_date"}
	CountryColumns    = []string{"code", "name", "group", "department_code"}
)

// communeUpdates are the columns an import rewrites on a (code, start_date) already loaded.
var communeUpdates = []string{"name", "search_name", "ignored"}

// countryUpdates are the columns an import rewrites on a country already loaded.
var countryUpdates = []string{"name", "group_code", "department_code"}

// ReferenceStart is the start of the period given to a commune read from a file without
// periods: the first day of the ASP's own tables.
var ReferenceStart = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

var (
	communeCodeRe    = regexp.MustCompile(`^(\d{5}|2[AB]\d{3})$`)
	departmentCodeRe = regexp.MustCompile(`^(\d{2}|2[AB]|9[78]\d)$`)
	countryCodeRe    = regexp.MustCompile(`^\d{3}$`)
)

// ImportCommunes upserts the communes of a CSV file by (code, start of period), all or
// nothing: a bad line, or a period that overlaps another of its code (in the file or already
// loaded), refuses the file with its line.
func (s *Store) ImportCommunes(ctx context.Context, r io.Reader) (importfile.Result, error) {
	start := time.Now()
	recs, err := importfile.ReadCSV(r, CommuneColumns, parseCommune)
	if err != nil {
		return importfile.Result{}, err
	}
	res, err := importPeriods(ctx, s, recs, "asp_commune", "insee_code", communeUpdates...)
	res.Duration = time.Since(start)
	return res, err
}

func parseCommune(row *importfile.Row) (Commune, *importfile.Error) {
	c := Commune{Code: strings.ToUpper(row.Get("insee_code")), Name: row.Get("name")}
	c.SearchName = searchtext.Normalize(c.Name)
	switch {
	case !communeCodeRe.MatchString(c.Code):
		return c, row.Fail("insee_code", importfile.Quote(c.Code)+" n'est pas un code INSEE de commune (5 caractères, par exemple 69123 ou 2A004)")
	case c.SearchName == "":
		return c, row.Fail("name", "valeur manquante")
	}
	p, bad := parsePeriod(row, ReferenceStart)
	if bad != nil {
		return c, bad
	}
	c.Period = p
	switch v := strings.ToLower(row.Get("ignored")); v {
	case "", "0", "false", "non":
	case "1", "true", "oui":
		c.Ignored = true
	default:
		return c, row.Fail("ignored", importfile.Quote(v)+" n'est ni true ni false")
	}
	return c, nil
}

// ImportDepartments upserts the départements of a CSV file by (code, start of period), with the
// rules of ImportCommunes.
func (s *Store) ImportDepartments(ctx context.Context, r io.Reader) (importfile.Result, error) {
	start := time.Now()
	recs, err := importfile.ReadCSV(r, DepartmentColumns, parseDepartment)
	if err != nil {
		return importfile.Result{}, err
	}
	res, err := importPeriods(ctx, s, recs, "asp_department", "code", "name")
	res.Duration = time.Since(start)
	return res, err
}

func parseDepartment(row *importfile.Row) (Department, *importfile.Error) {
	d := Department{Code: strings.ToUpper(row.Get("code")), Name: row.Get("name")}
	switch {
	case !departmentCodeRe.MatchString(d.Code):
		return d, row.Fail("code", importfile.Quote(d.Code)+" n'est pas un code de département (01 à 95, 2A, 2B ou 971 à 989)")
	case d.Name == "":
		return d, row.Fail("name", "valeur manquante")
	}
	p, bad := parsePeriod(row, time.Time{})
	d.Period = p
	return d, bad
}

// parsePeriod reads start_date (required unless the header lacks it and def is set) and
// end_date (empty: current), as YYYY-MM-DD; the end must come after the start.
func parsePeriod(row *importfile.Row, def time.Time) (Period, *importfile.Error) {
	p := Period{Start: def}
	if v := row.Get("start_date"); v != "" || def.IsZero() {
		start, bad := parseDay(row, "start_date", v)
		if bad != nil {
			return p, bad
		}
		p.Start = start
	}
	if v := row.Get("end_date"); v != "" {
		end, bad := parseDay(row, "end_date", v)
		if bad != nil {
			return p, bad
		}
		if !end.After(p.Start) {
			return p, row.Fail("end_date", fmt.Sprintf("la fin de validité %s doit être après le début %s (la période va du début inclus à la fin exclue)",
				importfile.Quote(v), importfile.Quote(p.Start.Format(time.DateOnly))))
		}
		p.End = &end
	}
	return p, nil
}

func parseDay(row *importfile.Row, col, v string) (time.Time, *importfile.Error) {
	if v == "" {
		return time.Time{}, row.Fail(col, "valeur manquante")
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return t, row.Fail(col, importfile.Quote(v)+" n'est pas une date AAAA-MM-JJ")
	}
	return t, nil
}

// periodic is a row with a code and a validity period.
type periodic interface {
	Commune | Department
}

func codeAndPeriod[T periodic](v T) (string, Period) {
	switch v := any(v).(type) {
	case Commune:
		return v.Code, v.Period
	case Department:
		return v.Code, v.Period
	}
	panic("unreachable")
}

// importPeriods checks that no two periods of a code overlap, the file's and those already in
// table together, then upserts the file's rows by (code, start_date) in one transaction.
func importPeriods[T periodic](ctx context.Context, s *Store, recs []importfile.Record[T], table, codeCol string, cols ...string) (importfile.Result, error) {
	var res importfile.Result
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var existing []struct {
			Code string `bun:"code"`
			Period
		}
		if err := tx.NewSelect().Table(table).Column("code", "start_date", "end_date").Scan(ctx, &existing); err != nil {
			return fmt.Errorf("asp: %s periods: %w", table, err)
		}
		loaded := make(map[string][]Period, len(existing))
		for _, e := range existing {
			loaded[e.Code] = append(loaded[e.Code], e.Period)
		}
		if err := checkOverlaps(recs, codeCol, loaded); err != nil {
			return err
		}
		var err error
		res, err = importfile.Upsert(ctx, tx, recs, "code, start_date", slices.Concat(cols, []string{"end_date"})...)
		return err
	})
	if err != nil {
		return importfile.Result{}, err
	}
	importfile.Analyze(ctx, s.db, table)
	return res, nil
}

// checkOverlaps refuses the records whose period overlaps another period of their code: one of
// the file (a file gives each (code, start) once) or one already loaded that the file does not
// replace (same start).
func checkOverlaps[T periodic](recs []importfile.Record[T], codeCol string, loaded map[string][]Period) error {
	type span struct {
		Period
		line int // 0 for a loaded period
	}
	byCode := map[string][]span{}
	var errs importfile.Collector
	for _, r := range recs {
		code, p := codeAndPeriod(r.Value)
		for _, other := range byCode[code] {
			if other.line > 0 && other.Start.Equal(p.Start) {
				errs.Add(r.Fail("start_date", fmt.Sprintf("%s débute déjà le %s ligne %d", importfile.Quote(code), p.Start.Format(time.DateOnly), other.line)))
			}
		}
		byCode[code] = append(byCode[code], span{p, r.Line})
	}
	if err := errs.Err(); err != nil {
		return err
	}
	for code, spans := range byCode {
		for _, p := range loaded[code] {
			if !slices.ContainsFunc(spans, func(s span) bool { return s.Start.Equal(p.Start) }) {
				spans = append(spans, span{p, 0})
			}
		}
		slices.SortFunc(spans, func(a, b span) int { return a.Start.Compare(b.Start) })
		for i := 1; i < len(spans); i++ {
			prev, next := spans[i-1], spans[i]
			if prev.End != nil && !prev.End.After(next.Start) {
				continue
			}
			line, other := next.line, prev
			if line == 0 {
				line, other = prev.line, next
			}
			where := "déjà chargée"
			if other.line > 0 {
				where = fmt.Sprintf("ligne %d", other.line)
			}
			errs.Add(&importfile.Error{Line: line, Field: codeCol, Message: fmt.Sprintf(
				"la période de %s chevauche celle qui commence le %s (%s) : deux périodes d'un même code ne peuvent se chevaucher",
				importfile.Quote(code), other.Start.Format(time.DateOnly), where)})
		}
	}
	if err := errs.Err(); err != nil {
		// Map order is random: give the problems in file order.
		list := err.(importfile.Errors)
		slices.SortStableFunc(list, func(a, b *importfile.Error) int { return a.Line - b.Line })
		return list
	}
	return nil
}

// ImportCountries upserts the countries of a CSV file by code, all or nothing. The code may be
// the ASP's (109) or the INSEE's (99109); an empty department_code is DefaultCountryDepartment.
func (s *Store) ImportCountries(ctx context.Context, r io.Reader) (importfile.Result, error) {
	start := time.Now()
	recs, err := importfile.ReadCSV(r, CountryColumns[:3], parseCountry)
	if err == nil {
		err = importfile.Unique(recs, "code", func(c Country) string { return c.Code })
	}
	if err != nil {
		return importfile.Result{}, err
	}
	res, err := importfile.UpsertInTx(ctx, s.db, recs, "code", countryUpdates...)
	res.Duration = time.Since(start)
	return res, err
}

func parseCountry(row *importfile.Row) (Country, *importfile.Error) {
	c := Country{Code: CountryCodeOf(row.Get("code")), Name: row.Get("name"), Group: CountryGroup(row.Get("group")),
		DepartmentCode: row.Get("department_code")}
	if c.DepartmentCode == "" {
		c.DepartmentCode = DefaultCountryDepartment
	}
	switch {
	case !countryCodeRe.MatchString(c.Code):
		return c, row.Fail("code", importfile.Quote(row.Get("code"))+" n'est pas un code de pays (3 chiffres, ou 5 commençant par 99)")
	case c.Name == "":
		return c, row.Fail("name", "valeur manquante")
	case c.Group.Label() == "":
		return c, row.Fail("group", importfile.Quote(string(c.Group))+" n'est pas un groupe de pays (1 France, 2 CEE, 3 hors CEE)")
	case (c.Code == FranceCode) != (c.Group == GroupFrance):
		return c, row.Fail("group", "seule la France (100) est du groupe 1")
	case !departmentCodeRe.MatchString(c.DepartmentCode) && !countryCodeRe.MatchString(c.DepartmentCode):
		return c, row.Fail("department_code", importfile.Quote(c.DepartmentCode)+" n'est pas un code de département (3 chiffres, 098 par défaut)")
	}
	return c, nil
}
