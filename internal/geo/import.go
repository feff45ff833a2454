package geo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/db"
	"emplois/internal/platform/importfile"
	"emplois/internal/platform/searchtext"
)

// Columns of the reference CSV files (see ../shared/data/README.md).
var (
	RegionColumns         = []string{"code", "name", "chef_lieu_insee_code", "zone"}
	DepartmentColumns     = []string{"code", "name", "region_code", "chef_lieu_insee_code", "zone"}
	CommuneColumns        = []string{"insee_code", "name", "department_code", "postal_codes", "latitude", "longitude", "population"}
	ArrondissementColumns = append(slices.Clone(CommuneColumns), "commune_code")
)

// maxJSONSize bounds a geo.api.gouv.fr JSON file read in memory (the full list is about 8 MiB).
const maxJSONSize = 256 << 20

// ImportRegions upserts the régions of a CSV file (regions.csv), all or nothing.
func (s *Store) ImportRegions(ctx context.Context, r io.Reader) (importfile.Result, error) {
	start := time.Now()
	recs, err := importfile.ReadCSV(r, RegionColumns, parseRegion)
	if err == nil {
		err = importfile.Unique(recs, "code", func(v Region) string { return v.Code })
	}
	if err != nil {
		return importfile.Result{}, err
	}
	res, err := importfile.UpsertInTx(ctx, s.db, recs, "code", "name", "chef_lieu_insee_code", "zone")
	res.Duration = time.Since(start)
	return res, err
}

func parseRegion(row *importfile.Row) (Region, *importfile.Error) {
	reg := Region{Code: row.Get("code"), Name: row.Get("name"), ChefLieuInseeCode: strings.ToUpper(row.Get("chef_lieu_insee_code")), Zone: Zone(row.Get("zone"))}
	switch {
	case !regionCodeRe.MatchString(reg.Code):
		return reg, row.Fail("code", importfile.Quote(reg.Code)+" n'est pas un code de région (2 ou 3 chiffres, par exemple 84)")
	case reg.Name == "":
		return reg, row.Fail("name", "valeur manquante")
	case reg.ChefLieuInseeCode != "" && !ValidInseeCode(reg.ChefLieuInseeCode):
		return reg, row.Fail("chef_lieu_insee_code", badInsee(reg.ChefLieuInseeCode))
	case !reg.Zone.valid():
		return reg, row.Fail("zone", badZone(string(reg.Zone)))
	}
	return reg, nil
}

// ImportDepartments upserts the départements of a CSV file (departments.csv), all or nothing.
// Their régions must be imported first.
func (s *Store) ImportDepartments(ctx context.Context, r io.Reader) (importfile.Result, error) {
	start := time.Now()
	recs, err := importfile.ReadCSV(r, DepartmentColumns, parseDepartment)
	if err == nil {
		err = importfile.Unique(recs, "code", func(v Department) string { return v.Code })
	}
	if err != nil {
		return importfile.Result{}, err
	}
	var res importfile.Result
	err = s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		regions, err := importfile.Codes(ctx, tx, "SELECT code FROM region")
		if err != nil {
			return err
		}
		if err := importfile.Known(recs, "region_code", func(v Department) string { return v.RegionCode }, regions,
			"une région connue : importez d'abord les régions"); err != nil {
			return err
		}
		res, err = importfile.Upsert(ctx, tx, recs, "code", "name", "region_code", "chef_lieu_insee_code", "zone")
		return err
	})
	res.Duration = time.Since(start)
	return res, err
}

func parseDepartment(row *importfile.Row) (Department, *importfile.Error) {
	d := Department{Code: strings.ToUpper(row.Get("code")), Name: row.Get("name"), RegionCode: row.Get("region_code"),
		ChefLieuInseeCode: strings.ToUpper(row.Get("chef_lieu_insee_code")), Zone: Zone(row.Get("zone"))}
	switch {
	case !ValidDepartmentCode(d.Code):
		return d, row.Fail("code", badDepartment(d.Code))
	case d.Name == "":
		return d, row.Fail("name", "valeur manquante")
	case d.RegionCode == "":
		return d, row.Fail("region_code", "valeur manquante")
	case d.ChefLieuInseeCode != "" && !ValidInseeCode(d.ChefLieuInseeCode):
		return d, row.Fail("chef_lieu_insee_code", badInsee(d.ChefLieuInseeCode))
	case !d.Zone.valid():
		return d, row.Fail("zone", badZone(string(d.Zone)))
	}
	return d, nil
}

// communeFields names a commune's fields in each input format, for error messages.
type communeFields struct{ code, name, department, postalCodes, latitude, longitude, population, parent string }

var (
	csvFields  = communeFields{"insee_code", "name", "department_code", "postal_codes", "latitude", "longitude", "population", "commune_code"}
	jsonFields = communeFields{"code", "nom", "codeDepartement", "codesPostaux", "centre", "centre", "population", ""}
)

// ImportCommunes upserts the communes of a file, all or nothing: communes.csv (FormatCSV) or the
// geo.api.gouv.fr list (FormatJSON: code, nom, codesPostaux, codeDepartement, population,
// centre). Their départements must be imported first.
func (s *Store) ImportCommunes(ctx context.Context, r io.Reader, format importfile.Format) (importfile.Result, error) {
	start := time.Now()
	var recs []importfile.Record[Commune]
	var err error
	fields := csvFields
	if format == importfile.FormatJSON {
		fields = jsonFields
		recs, err = parseCommunesJSON(r)
	} else {
		recs, err = importfile.ReadCSV(r, CommuneColumns, func(row *importfile.Row) (Commune, *importfile.Error) {
			return parseCommuneRow(row, false)
		})
	}
	if err != nil {
		return importfile.Result{}, err
	}
	res, err := s.writeCommunes(ctx, recs, fields, false)
	res.Duration = time.Since(start)
	return res, err
}

// ImportArrondissements upserts the municipal arrondissements of Paris, Lyon and Marseille
// (arrondissements_municipaux.csv: the communes.csv columns plus commune_code, the parent) as
// communes flagged with their parent. The parent communes must be imported first.
func (s *Store) ImportArrondissements(ctx context.Context, r io.Reader) (importfile.Result, error) {
	start := time.Now()
	recs, err := importfile.ReadCSV(r, ArrondissementColumns, func(row *importfile.Row) (Commune, *importfile.Error) {
		return parseCommuneRow(row, true)
	})
	if err != nil {
		return importfile.Result{}, err
	}
	res, err := s.writeCommunes(ctx, recs, csvFields, true)
	res.Duration = time.Since(start)
	return res, err
}

func parseCommuneRow(row *importfile.Row, arrondissement bool) (Commune, *importfile.Error) {
	c := Commune{
		InseeCode:      strings.ToUpper(row.Get("insee_code")),
		Name:           row.Get("name"),
		DepartmentCode: strings.ToUpper(row.Get("department_code")),
		PostalCodes:    strings.Fields(row.Get("postal_codes")),
	}
	if arrondissement {
		c.ParentCode = strings.ToUpper(row.Get("commune_code"))
	}
	if field, msg := checkCommune(c, csvFields, arrondissement); msg != "" {
		return c, row.Fail(field, msg)
	}
	var bad *importfile.Error
	if c.Latitude, bad = row.Float("latitude", -90, 90, "une latitude valide"); bad != nil {
		return c, bad
	}
	if c.Longitude, bad = row.Float("longitude", -180, 180, "une longitude valide"); bad != nil {
		return c, bad
	}
	if c.Population, bad = row.Int("population", 0, "une population valide"); bad != nil {
		return c, bad
	}
	return newCommune(c), nil
}

// checkCommune checks the text fields of a commune; it returns the faulty field and a French
// message, or an empty message.
func checkCommune(c Commune, f communeFields, arrondissement bool) (string, string) {
	switch {
	case !ValidInseeCode(c.InseeCode):
		return f.code, badInsee(c.InseeCode)
	case c.Name == "":
		return f.name, "valeur manquante"
	case searchtext.Normalize(c.Name) == "":
		return f.name, importfile.Quote(c.Name) + " n'est pas un nom de commune : il ne contient ni lettre ni chiffre"
	case !ValidDepartmentCode(c.DepartmentCode):
		return f.department, badDepartment(c.DepartmentCode)
	case arrondissement && !ValidInseeCode(c.ParentCode):
		return f.parent, badInsee(c.ParentCode)
	}
	for _, p := range c.PostalCodes {
		if !ValidPostalCode(p) {
			return f.postalCodes, importfile.Quote(p) + " n'est pas un code postal (5 chiffres)"
		}
	}
	return "", ""
}

// apiCommune is one element of geo.api.gouv.fr's /communes answer.
type apiCommune struct {
	Code            string   `json:"code"`
	Nom             string   `json:"nom"`
	CodeDepartement string   `json:"codeDepartement"`
	CodesPostaux    []string `json:"codesPostaux"`
	Population      *int     `json:"population"`
	Centre          *struct {
		Coordinates []float64 `json:"coordinates"` // [longitude, latitude]
	} `json:"centre"`
}

// parseCommunesJSON reads a geo.api.gouv.fr JSON array of communes. Errors name the line where
// the faulty element starts and its rank in the array.
func parseCommunesJSON(r io.Reader) ([]importfile.Record[Commune], error) {
	data, err := io.ReadAll(io.LimitReader(r, maxJSONSize+1))
	if err != nil {
		return nil, fmt.Errorf("geo: read communes: %w", err)
	}
	if len(data) > maxJSONSize {
		return nil, importfile.Errors{{Line: 1, Message: "fichier trop volumineux (256 Mio au plus)"}}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, importfile.Errors{{Line: 1, Message: "le fichier doit contenir une liste JSON de communes (« [ {…}, … ] »)"}}
	}
	var out []importfile.Record[Commune]
	var errs importfile.Collector
	for item := 1; dec.More() && !errs.Full(); item++ {
		off := dec.InputOffset()
		for off < int64(len(data)) && strings.IndexByte(" \t\r\n,", data[off]) >= 0 {
			off++
		}
		rec := importfile.Record[Commune]{Line: importfile.LineAt(data, off), Item: item}
		var a apiCommune
		if err := dec.Decode(&a); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				errs.Add(rec.Fail(te.Field, "valeur de type "+jsonKind(te.Value)+" au lieu de "+goKind(te.Type)))
				continue
			}
			errs.Add(&importfile.Error{Line: rec.Line, Item: item, Message: "JSON mal formé à partir de cet élément"})
			return nil, errs.Err()
		}
		c := Commune{InseeCode: strings.ToUpper(strings.TrimSpace(a.Code)), Name: strings.TrimSpace(a.Nom),
			DepartmentCode: strings.ToUpper(strings.TrimSpace(a.CodeDepartement)), PostalCodes: slices.Sorted(slices.Values(a.CodesPostaux))}
		if field, msg := checkCommune(c, jsonFields, false); msg != "" {
			errs.Add(rec.Fail(field, msg))
			continue
		}
		if a.Centre == nil || len(a.Centre.Coordinates) != 2 {
			errs.Add(rec.Fail("centre", "coordonnées manquantes : « centre » doit valoir {\"coordinates\": [longitude, latitude]}"))
			continue
		}
		c.Longitude, c.Latitude = a.Centre.Coordinates[0], a.Centre.Coordinates[1]
		if c.Latitude < -90 || c.Latitude > 90 {
			errs.Add(rec.Fail("centre.coordinates[1]", fmt.Sprintf("« %g » n'est pas une latitude valide (entre -90 et 90)", c.Latitude)))
			continue
		}
		if c.Longitude < -180 || c.Longitude > 180 {
			errs.Add(rec.Fail("centre.coordinates[0]", fmt.Sprintf("« %g » n'est pas une longitude valide (entre -180 et 180)", c.Longitude)))
			continue
		}
		if a.Population != nil {
			if *a.Population < 0 {
				errs.Add(rec.Fail("population", fmt.Sprintf("« %d » n'est pas une population valide (nombre entier, 0 ou plus)", *a.Population)))
				continue
			}
			c.Population = *a.Population
		}
		rec.Value = newCommune(c)
		out = append(out, rec)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, importfile.Errors{{Line: 1, Message: "la liste ne contient aucune commune"}}
	}
	return out, nil
}

func jsonKind(v string) string {
	switch v {
	case "string":
		return "texte"
	case "number":
		return "nombre"
	case "array":
		return "liste"
	case "object":
		return "objet"
	case "bool":
		return "booléen"
	}
	return v
}

func goKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "texte"
	case reflect.Int, reflect.Int64:
		return "nombre entier"
	case reflect.Float64:
		return "nombre"
	case reflect.Slice:
		return "liste"
	case reflect.Struct, reflect.Pointer:
		return "objet"
	}
	return t.String()
}

// writeCommunes checks the file's references and codes, then upserts the communes, their words
// and postal codes in one transaction.
func (s *Store) writeCommunes(ctx context.Context, recs []importfile.Record[Commune], f communeFields, arrondissements bool) (importfile.Result, error) {
	if err := importfile.Unique(recs, f.code, func(c Commune) string { return c.InseeCode }); err != nil {
		return importfile.Result{}, err
	}
	if err := importfile.Unique(recs, f.name, func(c Commune) string { return c.Slug }); err != nil {
		return importfile.Result{}, err
	}
	var res importfile.Result
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		depts, err := importfile.Codes(ctx, tx, "SELECT code FROM department")
		if err != nil {
			return err
		}
		if err := importfile.Known(recs, f.department, func(c Commune) string { return c.DepartmentCode }, depts,
			"un département connu : importez d'abord les départements"); err != nil {
			return err
		}
		if arrondissements {
			parents, err := importfile.Codes(ctx, tx, "SELECT insee_code FROM commune WHERE parent_code IS NULL")
			if err != nil {
				return err
			}
			if err := importfile.Known(recs, f.parent, func(c Commune) string { return c.ParentCode }, parents,
				"une commune connue : importez d'abord les communes"); err != nil {
				return err
			}
		}
		res, err = importfile.Upsert(ctx, tx, recs, "insee_code", "name", "search_name", "slug",
			"department_code", "postal_codes", "latitude", "longitude", "population", "parent_code")
		if err != nil {
			if db.IsUniqueViolation(err) {
				return importfile.Errors{{Line: recs[0].Line, Message: "une commune déjà enregistrée sous un autre code INSEE porte le même nom dans le même département"}}
			}
			return err
		}
		return writeSearchRows(ctx, tx, recs, res.Updated > 0)
	})
	if err == nil {
		importfile.Analyze(ctx, s.db, "commune", "commune_search", "commune_search_top")
	}
	return res, err
}

type communeSearch struct {
	bun.BaseModel `bun:"table:commune_search"`
	Key           string `bun:"search_key,pk"`
	InseeCode     string `bun:"insee_code,pk"`
	SearchName    string `bun:"search_name"`
	Codes         string `bun:"codes"`
	Population    int    `bun:"population"`
}

type communeSearchTop struct {
	bun.BaseModel `bun:"table:commune_search_top"`
	Prefix        string `bun:"prefix,pk"`
	Position      int    `bun:"position,pk"`
	InseeCode     string `bun:"insee_code"`
}

// searchKeys are what a commune is found by: its normalized name from each word on, its postal
// codes and its INSEE code. Arrondissements are not offered by the autocomplete.
func searchKeys(c Commune) []string {
	if c.IsArrondissement() {
		return nil
	}
	keys := searchtext.Suffixes(c.SearchName)
	keys = append(keys, c.PostalCodes...)
	keys = append(keys, strings.ToLower(c.InseeCode))
	slices.Sort(keys)
	return slices.Compact(keys)
}

// topListMinRows is how many matching communes make a prefix frequent (see searchtext.TopLists):
// below it, sorting the matches at query time stays well under a millisecond.
const topListMinRows = 100

// writeSearchRows replaces the search keys of the imported communes, then recomputes the top
// lists of frequent prefixes over all communes (they depend on every commune's population).
func writeSearchRows(ctx context.Context, tx bun.Tx, recs []importfile.Record[Commune], replace bool) error {
	var cleared int64
	if replace {
		err := importfile.Batches(recs, func(batch []importfile.Record[Commune]) error {
			codes := make([]string, len(batch))
			for i, r := range batch {
				codes[i] = r.Value.InseeCode
			}
			res, err := tx.NewDelete().Model((*communeSearch)(nil)).Where("insee_code IN (?)", bun.List(codes)).Exec(ctx)
			if err == nil {
				n, _ := res.RowsAffected()
				cleared += n
			}
			return err
		})
		if err != nil {
			return fmt.Errorf("geo: clear search keys: %w", err)
		}
	}
	var keys []communeSearch
	for _, r := range recs {
		c := r.Value
		codes := strings.Join(c.PostalCodes, " ") + " " + strings.ToLower(c.InseeCode)
		for _, k := range searchKeys(c) {
			keys = append(keys, communeSearch{Key: k, InseeCode: c.InseeCode, SearchName: c.SearchName, Codes: codes, Population: c.Population})
		}
	}
	if err := importfile.Insert(ctx, tx, keys); err != nil {
		return fmt.Errorf("geo: insert search keys: %w", err)
	}
	if len(keys) == 0 && cleared == 0 {
		return nil // arrondissements only: no commune's keys changed
	}
	return writeTopLists(ctx, tx)
}

// writeTopLists recomputes commune_search_top from every commune, ranked as SearchCities ranks.
func writeTopLists(ctx context.Context, tx bun.Tx) error {
	var all []Commune
	err := tx.NewSelect().Model(&all).Column("insee_code", "search_name", "postal_codes", "population").
		Where("parent_code IS NULL").Scan(ctx)
	if err != nil {
		return fmt.Errorf("geo: load communes: %w", err)
	}
	entries := make([]searchtext.Entry, len(all))
	for i, c := range all {
		entries[i] = searchtext.Entry{ID: c.InseeCode, Keys: searchKeys(c)}
	}
	rows := searchtext.TopLists(entries, topListMinRows, MaxResults, func(prefix string, a, b int) bool {
		return cityLess(prefix, all[a], all[b])
	})
	top := make([]communeSearchTop, len(rows))
	for i, r := range rows {
		top[i] = communeSearchTop{Prefix: r.Prefix, Position: r.Position, InseeCode: r.ID}
	}
	if _, err := tx.NewDelete().Model((*communeSearchTop)(nil)).Where("1 = 1").Exec(ctx); err != nil {
		return fmt.Errorf("geo: clear top lists: %w", err)
	}
	if err := importfile.Insert(ctx, tx, top); err != nil {
		return fmt.Errorf("geo: insert top lists: %w", err)
	}
	return nil
}

func badInsee(v string) string {
	return importfile.Quote(v) + " n'est pas un code INSEE de commune (5 caractères, par exemple 01001 ou 2A004)"
}

func badDepartment(v string) string {
	return importfile.Quote(v) + " n'est pas un code de département (par exemple 01, 2A ou 974)"
}

func badZone(v string) string {
	return importfile.Quote(v) + " n'est pas une zone connue (metro, drom ou com)"
}
