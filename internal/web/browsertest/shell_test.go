package browsertest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestShellPages_HaveNoSeriousAccessibilityViolations(t *testing.T) {
	e := Start(t)
	for _, screen := range []struct {
		name          string
		width, height int
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		e.Viewport(t, screen.width, screen.height)
		for _, path := range []string{"/", "/aide", "/mentions-legales", "/accessibilite", "/donnees-personnelles", "/cgu", "/pass-iae/verify", "/api/"} {
			t.Run(screen.name+path, func(t *testing.T) { e.CheckAccessibility(t, path) })
		}
	}
}

func TestNotFoundPage_HasNoSeriousAccessibilityViolations(t *testing.T) {
	e := Start(t)
	if status := e.Navigate(t, "/cette-page-n-existe-pas"); status != http.StatusNotFound {
		t.Fatalf("status %d, want 404", status)
	}
	e.CheckAccessibility(t, "/cette-page-n-existe-pas")
}

// The account pages are built by the account handlers; these checks guard their markup too.
func TestAccountPages_HaveNoSeriousAccessibilityViolations(t *testing.T) {
	e := Start(t)
	for _, path := range []string{"/accounts/login", "/signup/job_seeker", "/signup/job_seeker/start"} {
		t.Run(path, func(t *testing.T) {
			if status := e.Navigate(t, path); status != http.StatusOK {
				t.Fatalf("%s: status %d, want 200", path, status)
			}
			e.CheckAccessibility(t, path)
		})
	}
}

// TestDSFR_ScriptsRunUnderTheContentSecurityPolicy loads the home page with the CSP that forbids
// inline scripts and styles, and checks that DSFR's and htmx's scripts started without a single
// console error (a CSP violation is one).
func TestDSFR_ScriptsRunUnderTheContentSecurityPolicy(t *testing.T) {
	e := Start(t)
	e.Navigate(t, "/")
	e.waitFor(t, "DSFR started", `document.documentElement.getAttribute("data-fr-js") === "true"`)
	if !Eval[bool](t, e, `typeof window.htmx === "object" && htmx.config.includeIndicatorStyles === false`) {
		t.Error("htmx is not loaded with the configuration of the htmx-config meta tag")
	}
	if Eval[int](t, e, `document.querySelectorAll("style").length`) != 0 {
		t.Error("a <style> element was injected into the page")
	}
	e.CheckConsole(t)
}

// TestHeader_MenuOpensOnAPhone checks the DSFR header on a narrow screen: the navigation hides
// behind the "Menu" button, which the DSFR script opens as a modal.
func TestHeader_MenuOpensOnAPhone(t *testing.T) {
	e := Start(t)
	e.Viewport(t, 390, 844)
	e.Navigate(t, "/")
	e.waitFor(t, "DSFR started", `document.documentElement.getAttribute("data-fr-js") === "true"`)
	if Eval[bool](t, e, `document.querySelector("#navigation-principale").checkVisibility({visibilityProperty: true, opacityProperty: true})`) {
		t.Fatal("the main navigation shows on a phone before the menu is opened")
	}
	e.Click(t, "#bouton-menu")
	e.waitFor(t, "menu opened", `document.querySelector("#navigation-principale").checkVisibility({visibilityProperty: true, opacityProperty: true})`)
	// DSFR copies the header tools (Se connecter, S'inscrire) into the opened menu.
	e.waitFor(t, "tools copied", `document.querySelector("#menu-principal .fr-header__menu-links").innerText.includes("Se connecter")`)
	e.CheckConsole(t)
}

// recorder stands in for testing.TB to observe what the harness reports.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Error(args ...any) { r.errors = append(r.errors, fmt.Sprint(args...)) }
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestHarness_ReportsCSPViolationsAndScriptErrors(t *testing.T) {
	e := Start(t)
	e.Navigate(t, "/")
	Eval[bool](t, e, `(() => {
		const s = document.createElement("script");
		s.textContent = "window.inlineRan = true";
		document.head.appendChild(s);
		setTimeout(() => { window.thrown = true; throw new Error("boom from the page") }, 0);
		return true;
	})()`)
	e.waitFor(t, "the page error", `window.thrown === true`)
	rec := &recorder{TB: t}
	e.CheckConsole(rec)
	joined := strings.Join(rec.errors, "\n")
	for _, want := range []string{"Content Security Policy", "boom from the page"} {
		if !strings.Contains(joined, want) {
			t.Errorf("harness did not report %q; reported:\n%s", want, joined)
		}
	}
	if Eval[bool](t, e, `window.inlineRan === true`) {
		t.Error("an inline script ran despite the CSP")
	}
}

func TestHarness_ReportsSeriousAccessibilityViolations(t *testing.T) {
	e := Start(t)
	e.Navigate(t, "/aide")
	Eval[bool](t, e, `(() => {
		const i = document.createElement("input");
		i.type = "text";
		i.id = "sans-etiquette";
		document.querySelector("main").appendChild(i);
		return true;
	})()`)
	rec := &recorder{TB: t}
	e.CheckPageAccessibility(rec)
	if joined := strings.Join(rec.errors, "\n"); !strings.Contains(joined, "#sans-etiquette") {
		t.Errorf("an input without a label went unreported; reported:\n%s", joined)
	}
}
