package search

import (
	"net/url"
	"strings"

	"emplois/internal/geo"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
)

// FieldCityText is the visible text field of the city (the autocomplete's input); FieldCity holds
// the picked INSEE code.
const FieldCityText = "city_name"

// Parsed is a search read from a URL: the query, the input errors that prevent the search
// (shown next to their field, HTTP 400), and notices about input that was corrected (a bad page
// number, an unknown filter value dropped), shown above the results.
type Parsed struct {
	Query   Query
	Errors  []*InputError
	Notices []string
}

// MsgFiltersIgnored: some filter values of the URL are unknown and were left out.
const MsgFiltersIgnored = "Certains filtres de l'adresse sont inconnus : ils ont été ignorés."

// ParseQuery reads the GET parameters of a search page: city (INSEE code) and city_name (the
// typed text), distance, kinds, departments, districts, company, contract_types, domains and page. Nothing
// in it can make the search fail with a 500: the distance is either valid or an input error,
// the rest is corrected with a notice.
func ParseQuery(v url.Values) Parsed {
	var p Parsed
	q := &p.Query
	q.City = strings.TrimSpace(v.Get(FieldCity))
	q.CityText = strings.TrimSpace(v.Get(FieldCityText))
	if len(q.City) > 10 {
		q.City = "x" // not an INSEE code: reported as an unknown city
	}
	if d, err := ParseDistance(v.Get(FieldDistance), 0); err != nil {
		p.Errors = append(p.Errors, ErrDistance)
	} else {
		q.Distance = d
	}
	page, ok := ParsePage(v.Get(FieldPage))
	if !ok {
		p.Notices = append(p.Notices, MsgPage)
	}
	q.Page = page
	dropped := false
	for _, k := range values(v, FieldKinds) {
		if kind := org.CompanyKind(strings.ToUpper(k)); kind.Offered() {
			q.Kinds = appendOnce(q.Kinds, kind)
		} else {
			dropped = true
		}
	}
	for _, d := range values(v, FieldDepartments) {
		if d = strings.ToUpper(d); geo.ValidDepartmentCode(d) {
			q.Departments = appendOnce(q.Departments, d)
		} else {
			dropped = true
		}
	}
	for _, d := range values(v, FieldDistricts) {
		if ValidDistrict(d) {
			q.Districts = appendOnce(q.Districts, d)
		} else {
			dropped = true
		}
	}
	for _, c := range values(v, FieldContractTypes) {
		if ct := jobdesc.ContractType(strings.ToUpper(c)); ct.Valid() {
			q.ContractTypes = appendOnce(q.ContractTypes, ct)
		} else {
			dropped = true
		}
	}
	for _, d := range values(v, FieldDomains) {
		if d = strings.ToUpper(d); ValidDomain(d) {
			q.Domains = appendOnce(q.Domains, d)
		} else {
			dropped = true
		}
	}
	if c := strings.TrimSpace(v.Get(FieldCompany)); len(c) <= 64 {
		q.Company = c
	} else {
		dropped = true
	}
	if dropped {
		p.Notices = append(p.Notices, MsgFiltersIgnored)
	}
	return p
}

// values returns the non-empty values of a repeated parameter; "kinds[]" (les-emplois' links)
// is read as "kinds".
func values(v url.Values, name string) []string {
	var out []string
	for _, key := range []string{name, name + "[]"} {
		for _, s := range v[key] {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func appendOnce[T comparable](list []T, v T) []T {
	if contains(list, v) {
		return list
	}
	return append(list, v)
}

// Tab names the part of a query that a link keeps (Query.Values).
type Tab int

const (
	// BothTabs keeps what the two tabs of the employer search share: city, distance, kinds,
	// départements, arrondissements (the links from one tab to the other).
	BothTabs Tab = iota
	// EmployerTab keeps that and the company filter.
	EmployerTab
	// FicheTab keeps that and the contract types and domains.
	FicheTab
)

// Values writes q back as URL parameters, without the page, for the links that keep the search
// on tab (tabs, pages, saved searches).
func (q Query) Values(tab Tab) url.Values {
	v := url.Values{}
	if q.City != "" {
		v.Set(FieldCity, q.City)
	}
	if q.Distance != 0 {
		v.Set(FieldDistance, itoa(q.Distance))
	}
	for _, k := range q.Kinds {
		v.Add(FieldKinds, string(k))
	}
	for _, d := range q.Departments {
		v.Add(FieldDepartments, d)
	}
	for _, d := range q.Districts {
		v.Add(FieldDistricts, d)
	}
	switch tab {
	case EmployerTab:
		if q.Company != "" {
			v.Set(FieldCompany, q.Company)
		}
	case FicheTab:
		for _, c := range q.ContractTypes {
			v.Add(FieldContractTypes, string(c))
		}
		for _, d := range q.Domains {
			v.Add(FieldDomains, d)
		}
	}
	return v
}
