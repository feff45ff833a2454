package jobseeker

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// France is the INSEE code of France among the countries of birth: a person born there has a
// birth commune (actors.md §2.2).
const France = "99100"

// Country is a country of birth.
type Country struct {
	Code, Name string
}

//go:embed countries.tsv
var countriesTSV string

// countries are sorted by French name, France first (most people are born there).
var countries, countryNames = func() ([]Country, map[string]string) {
	var list []Country
	names := map[string]string{}
	for i, line := range strings.Split(countriesTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		code, name, ok := strings.Cut(line, "\t")
		if !ok || len(code) != 5 || !strings.HasPrefix(code, "99") || names[code] != "" {
			panic(fmt.Sprintf("jobseeker: countries.tsv line %d: %q", i+1, line))
		}
		names[code] = name
		list = append(list, Country{Code: code, Name: name})
	}
	c := collate.New(language.French, collate.Loose)
	sort.SliceStable(list, func(i, j int) bool {
		if (list[i].Code == France) != (list[j].Code == France) {
			return list[i].Code == France
		}
		return c.CompareString(list[i].Name, list[j].Name) < 0
	})
	return list, names
}()

// Countries lists the countries of birth, France first, then by name.
func Countries() []Country { return countries }

// CountryName is the French name of a country code, "" for an unknown code.
func CountryName(code string) string { return countryNames[code] }
