package httpx

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// The bypasses a security probe found (issue 8) and their relatives: each must fall back.
func TestLocalTarget_RefusesEveryWayOffSite(t *testing.T) {
	for _, target := range []string{
		"",
		"evil.example",
		"//evil.example",
		"///evil.example",
		"/\\evil.example",
		"\\\\evil.example",
		"/\t/evil.example", // ?next=%2F%09%2Fevil.example
		"/\n/evil.example",
		"/\r/evil.example",
		"/\r\n/evil.example",
		"/./\\evil.example", // ?next=%2F.%2F%5Cevil.example
		"/.//evil.example",
		"/a/..//evil.example",
		"/../\\evil.example",
		"/\x00/evil.example",
		"/\x7f/evil.example",
		"/\x0b/evil.example",
		"/ /evil.example",
		" //evil.example",
		"\t//evil.example",
		"https://evil.example",
		"http:/evil.example",
		"javascript:alert(1)",
		"JaVaScRiPt:alert(1)",
		"data:text/html,x",
		"mailto:a@evil.example",
		"%2F%2Fevil.example",
		"/%zz",
	} {
		if got := LocalTarget(target, "/repli"); got != "/repli" {
			t.Errorf("LocalTarget(%q) = %q, want the fallback", target, got)
		}
	}
}

func TestLocalTarget_KeepsPathsOfThisSiteAsTheRedirectSendsThem(t *testing.T) {
	for _, tc := range []struct{ target, want string }{
		{"/", "/"},
		{"/dashboard", "/dashboard"},
		{"/company/42/card?back=/search&x=%2F%2Fevil", "/company/42/card?back=/search&x=%2F%2Fevil"},
		{"/search/employers/?city=paris-75", "/search/employers/?city=paris-75"},
		{"/a/./b/../c/", "/a/c/"},
		{"/%2F/evil.example", "/%2F/evil.example"}, // an encoded slash is a path segment, not a host
		{"/%5Cevil.example", "/%5Cevil.example"},
		{"/%09/evil.example", "/%09/evil.example"},
	} {
		if got := LocalTarget(tc.target, "/repli"); got != tc.want {
			t.Errorf("LocalTarget(%q) = %q, want %q", tc.target, got, tc.want)
		}
	}
}

// Whatever LocalTarget lets through stays on this site once http.Redirect has written it and a
// browser has read it (tabs and newlines dropped, backslashes read as slashes).
func TestLocalTarget_WhatItKeepsStaysOnSiteInABrowser(t *testing.T) {
	base, _ := url.Parse("https://emplois.example/accounts/login?next=x")
	for _, target := range []string{
		"/", "/dashboard", "/a/./b/../c/", "/%2F/evil.example", "/%5Cevil.example", "/./\\evil.example",
		"/\t/evil.example", "//evil.example", "/.//evil.example", "/a?b=//c", "/%09/x",
	} {
		safe := LocalTarget(target, "/")
		rec := httptest.NewRecorder()
		http.Redirect(rec, httptest.NewRequest(http.MethodGet, "/accounts/login", nil), safe, http.StatusSeeOther)
		loc := rec.Header().Get("Location")
		browser := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(loc)
		u, err := base.Parse(browser)
		if err != nil || u.Host != "emplois.example" {
			t.Errorf("%q: Location %q leads to %v (%v), want emplois.example", target, loc, u, err)
		}
	}
}
