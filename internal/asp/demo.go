package asp

import (
	"context"
	"embed"
	"fmt"
	"time"

	"emplois/internal/jobseeker"
	"emplois/internal/platform/db"
	"emplois/internal/platform/importfile"
	"emplois/internal/platform/searchtext"
)

// DataFS holds the reference file written for this service (see the README for its sources):
// data/asp_departments.csv. `emplois import all --dir internal/asp/data` loads it too.
//
//go:embed data/*.csv
var DataFS embed.FS

// LoadDemo loads the embedded départements, the countries of birth the profile offers
// (ImportKnownCountries), then gives every commune and arrondissement of the geography tables
// (the demo extract or the full reference) a current ASP period, as `emplois import
// asp-communes --file communes.csv` does. It is idempotent.
func LoadDemo(ctx context.Context, d *db.DB) error {
	s := NewStore(d)
	err := importfile.ImportFS(ctx, DataFS, []importfile.Step{
		{File: "data/asp_departments.csv", Load: s.ImportDepartments},
	})
	if err == nil {
		_, err = s.ImportKnownCountries(ctx)
	}
	if err == nil {
		_, err = s.ImportReferenceCommunes(ctx)
	}
	if err != nil {
		return fmt.Errorf("asp: demo %w", err)
	}
	return nil
}

// ImportReferenceCommunes gives every commune and arrondissement of the geography tables
// (geo, `emplois import communes`) a current period since ReferenceStart, with the rules of
// ImportCommunes; a record's line is its rank by INSEE code.
func (s *Store) ImportReferenceCommunes(ctx context.Context) (importfile.Result, error) {
	start := time.Now()
	var rows []struct {
		Code string `bun:"insee_code"`
		Name string `bun:"name"`
	}
	if err := s.db.NewSelect().Table("commune").Column("insee_code", "name").Order("insee_code").Scan(ctx, &rows); err != nil {
		return importfile.Result{}, fmt.Errorf("asp: reference communes: %w", err)
	}
	recs := make([]importfile.Record[Commune], len(rows))
	for i, r := range rows {
		recs[i] = importfile.Record[Commune]{Line: i + 1, Value: Commune{Code: r.Code, Name: r.Name,
			SearchName: searchtext.Normalize(r.Name), Period: Period{Start: ReferenceStart}}}
	}
	res, err := importPeriods(ctx, s, recs, "asp_commune", "insee_code", communeUpdates...)
	res.Duration = time.Since(start)
	return res, err
}

// euMembers are the ASP codes of the member states of the European Union (group 2, « CEE »),
// and the former Federal Republic of Germany, a founding member.
var euMembers = map[string]bool{
	"101": true, "104": true, "105": true, "106": true, "107": true, "108": true, "109": true, "110": true,
	"111": true, "112": true, "114": true, "116": true, "117": true, "119": true, "122": true, "126": true,
	"127": true, "131": true, "134": true, "135": true, "136": true, "137": true, "139": true, "142": true,
	"144": true, "145": true, "254": true,
}

// GroupOf is the ASP group of a country code (ASP or INSEE form): France, the European Union,
// or the rest of the world.
func GroupOf(code string) CountryGroup {
	switch code = CountryCodeOf(code); {
	case code == FranceCode:
		return GroupFrance
	case euMembers[code]:
		return GroupEU
	}
	return GroupNotInEU
}

// ImportKnownCountries loads the countries of birth of the job seeker profile (the INSEE list,
// jobseeker.Countries) with their ASP group, so that every country a profile may name is known;
// an ASP countries file imported later refines them. A record's line is its rank in the list.
func (s *Store) ImportKnownCountries(ctx context.Context) (importfile.Result, error) {
	start := time.Now()
	list := jobseeker.Countries()
	recs := make([]importfile.Record[Country], len(list))
	for i, c := range list {
		code := CountryCodeOf(c.Code)
		recs[i] = importfile.Record[Country]{Line: i + 1, Value: Country{Code: code, Name: c.Name, Group: GroupOf(code),
			DepartmentCode: DefaultCountryDepartment}}
	}
	res, err := importfile.UpsertInTx(ctx, s.db, recs, "code", countryUpdates...)
	res.Duration = time.Since(start)
	return res, err
}
