package org

import (
	"context"
	"emplois/internal/platform/fault"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"emplois/internal/account"
	"emplois/internal/geo"
)

// Contact is the public contact of an organization, as its admins edit it.
type Contact struct {
	Phone       string
	Email       string
	Website     string
	Description string
}

// normalize trims the fields and keeps only the digits of the phone number.
func (c Contact) normalize() Contact {
	c.Phone = strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		if r == '+' {
			return r
		}
		return -1
	}, clean(c.Phone))
	c.Email = account.NormalizeEmail(c.Email)
	c.Website = clean(c.Website)
	c.Description = clean(c.Description)
	return c
}

// check adds the refused contact fields (all optional).
func (c Contact) check(errs *fault.Fields) {
	if c.Phone != "" && (len(c.Phone) < 10 || len(c.Phone) > 20) {
		errs.Add("phone", msgBadPhone)
	}
	if c.Email != "" && account.EmailProblem(c.Email) != "" {
		errs.Add("email", msgBadEmail)
	}
	if c.Website != "" {
		u, err := url.Parse(c.Website)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(c.Website) > 200 {
			errs.Add("website", msgBadURL)
		}
	}
	checkLength(errs, "description", c.Description, 3000)
}

func checkLength(errs *fault.Fields, field, value string, n int) {
	if utf8.RuneCountInString(value) > n {
		errs.Add(field, fmt.Sprintf(msgTooLong, n))
	}
}

// checkName adds an error when a required organization name is empty or too long.
func checkName(errs *fault.Fields, field, name string) {
	if name == "" {
		errs.Add(field, msgRequired)
	}
	checkLength(errs, field, name, 255)
}

// AddressInput is an address typed in a form: lines, post code and city name, resolved to a
// commune of the reference data (for its INSEE code, department and coordinates). CommuneCode,
// when set (imports, demo data), is used instead of the post code and city lookup.
type AddressInput struct {
	Line1       string
	Line2       string
	PostCode    string
	City        string
	CommuneCode string
}

// resolveAddress checks a required address and finds its commune. Field names: address_line_1,
// post_code, city.
func (s *Service) resolveAddress(ctx context.Context, in AddressInput, errs *fault.Fields) (Address, string, error) {
	a := Address{AddressLine1: clean(in.Line1), AddressLine2: clean(in.Line2), PostCode: clean(in.PostCode)}
	if a.AddressLine1 == "" {
		errs.Add("address_line_1", msgRequired)
	}
	checkLength(errs, "address_line_1", a.AddressLine1, 255)
	checkLength(errs, "address_line_2", a.AddressLine2, 255)
	var c geo.Commune
	var err error
	if code := clean(in.CommuneCode); code != "" {
		c, err = s.geo.Commune(ctx, code)
		if errors.Is(err, geo.ErrNotFound) {
			errs.Add("city", msgNoCommune)
			return a, "", nil
		}
		if err != nil {
			return a, "", err
		}
		if a.PostCode == "" && len(c.PostalCodes) > 0 {
			a.PostCode = c.PostalCodes[0]
		}
	} else {
		city := clean(in.City)
		if !geo.ValidPostalCode(a.PostCode) {
			errs.Add("post_code", "Le code postal doit comporter 5 chiffres.")
		}
		if city == "" {
			errs.Add("city", msgRequired)
		}
		if errs.Has("post_code") || errs.Has("city") {
			return a, "", nil
		}
		found, err := s.geo.SearchCities(ctx, a.PostCode+" "+city)
		if err != nil {
			return a, "", err
		}
		i := slices.IndexFunc(found, func(c geo.Commune) bool { return slices.Contains(c.PostalCodes, a.PostCode) })
		if i < 0 {
			errs.Add("city", msgNoCommune)
			return a, "", nil
		}
		c = found[i]
	}
	lat, lon := c.Latitude, c.Longitude
	a.CityName, a.CommuneCode, a.Latitude, a.Longitude = c.Name, c.InseeCode, &lat, &lon
	return a, c.DepartmentCode, nil
}
