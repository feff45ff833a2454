// Package browsertest drives a real Chromium against a real server for end-to-end tests: the
// server is web.New over a fresh test database, served by httptest; the browser is Debian's
// chromium, driven by chromedp. Helpers navigate, fill fields, click, wait for text, check the
// page with axe-core, and fail the test on any browser console error (CSP violations, script
// errors, failed loads).
//
// Browser tests run when EMPLOIS_BROWSER_TESTS=1 or when a chromium binary is found; they skip
// otherwise (and under -short), and EMPLOIS_BROWSER_TESTS=0 turns them off. With
// EMPLOIS_BROWSER_TESTS=1 a missing chromium fails the test instead of skipping it.
//
//	e := browsertest.Start(t) // or StartWith(t, d, env) inside dbtest.Run for both engines
//	e.Navigate(t, "/signup/job_seeker")
//	e.Fill(t, "id_email", "awa@example.org")
//	e.Click(t, `button[type="submit"]`)
//	e.WaitForText(t, "Vérifiez votre boîte")
//	e.CheckPageAccessibility(t) // axe-core and the 320 px reflow on the page as it is now
//	// e.DB holds the mail outbox; e.URL(link) opens a link read from it.
package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"emplois/internal/app"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web"
)

// windowWidth and windowHeight are the browser window's size: a desktop screen.
const windowWidth, windowHeight = 1280, 900

// actionTimeout bounds every browser action: a page that never shows the awaited text fails
// the test after this long instead of hanging it. 30 s, as a click once missed 15 s on a
// 2-core machine running every package under the race detector.
const actionTimeout = 30 * time.Second

// Env is one running server with one browser tab pointed at it.
type Env struct {
	// BaseURL is the server's root URL, without a trailing slash (also its EMPLOIS_BASE_URL,
	// so links in e-mails point at it).
	BaseURL string
	// DB is the server's database, for reading the mail outbox or arranging fixtures.
	DB *db.DB
	// Server is the web server under test.
	Server *web.Server

	tab context.Context

	mu      sync.Mutex
	console []consoleEntry
	marks   map[string]chan struct{}
	// expectedErrors are console errors a test announced (ExpectConsoleError).
	expectedErrors []string
	seq            int // numbers console marks and screenshots
	// width and height are the viewport a test asked for (Viewport): the reflow check puts it
	// back after looking at the page 320 px wide.
	width, height int
}

type consoleEntry struct {
	text   string
	failed bool
}

// Start runs a server over a fresh SQLite database and a browser tab, both stopped when the
// test ends. It skips or fails the test when no browser is available (see the package doc).
func Start(t *testing.T) *Env {
	t.Helper()
	chromium := browserPath(t)
	return start(t, chromium, dbtest.Open(t, db.SQLite), nil)
}

// StartWith is Start over a database of the caller's choice (dbtest.Run gives one per engine)
// and extra environment variables for config.Load.
func StartWith(t *testing.T, d *db.DB, env map[string]string) *Env {
	t.Helper()
	chromium := browserPath(t)
	return start(t, chromium, d, env)
}

// browserPath decides whether the test runs, and with which browser binary.
func browserPath(t *testing.T) string {
	t.Helper()
	switch os.Getenv("EMPLOIS_BROWSER_TESTS") {
	case "0", "false":
		t.Skip("browser tests turned off by EMPLOIS_BROWSER_TESTS=0")
	case "1", "true":
		path := findChromium()
		if path == "" {
			t.Fatal("EMPLOIS_BROWSER_TESTS=1 but no chromium binary was found: install it with `apt-get install -y chromium`")
		}
		return path
	}
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	path := findChromium()
	if path == "" {
		t.Skip("browser tests skipped: no chromium binary found (apt-get install -y chromium, or set EMPLOIS_BROWSER_TESTS=1 to make this a failure)")
	}
	return path
}

func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	return ""
}

func start(t *testing.T, chromium string, d *db.DB, extra map[string]string) *Env {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	vars := map[string]string{"EMPLOIS_DEV": "true", "EMPLOIS_BASE_URL": base}
	for k, v := range extra {
		vars[k] = v
	}
	cfg, err := config.Load(func(k string) (string, bool) { v, ok := vars[k]; return v, ok })
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	if _, set := vars["EMPLOIS_BLOB_URL"]; !set {
		cfg.BlobURL = "file://" + t.TempDir() // CVs of the test, removed with it
	}
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	svc, err := app.New(context.Background(), cfg, d, logger)
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	s, err := web.New(svc)
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	srv.Config.Handler = s.Handler()
	srv.Start()
	t.Cleanup(srv.Close)

	parent, err := sharedBrowser(chromium)
	if err != nil {
		t.Fatalf("browsertest: start chromium %s: %v", chromium, err)
	}
	// A browser context of its own keeps the test's cookies, storage and cache apart from the
	// other tests' (an incognito window); the tab closes and the context goes when the test ends.
	tab, cancelTab := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	t.Cleanup(cancelTab)

	e := &Env{BaseURL: base, DB: d, Server: s, tab: tab, marks: map[string]chan struct{}{}, width: windowWidth, height: windowHeight}
	// The first action opens the tab, which lives as long as the context of that action: it
	// must be the tab's context itself, not one with a timeout.
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("browsertest: open a tab in chromium %s: %v", chromium, err)
	}
	go e.collectConsole()

	// Registered last, so it runs first: the screenshot needs the browser still open.
	t.Cleanup(func() {
		e.CheckConsole(t)
		if t.Failed() {
			e.screenshotOnFailure(t)
		}
	})
	return e
}

// browser is the one Chromium of the test binary, started by the first test that needs it:
// each test opens a tab in it, which costs a fraction of a browser start.
var browser struct {
	once   sync.Once
	ctx    context.Context // the browser's first tab, parent of the tests' tabs
	cancel context.CancelFunc
	err    error
}

func sharedBrowser(chromium string) (context.Context, error) {
	browser.once.Do(func() {
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(chromium),
			chromedp.Flag("headless", true),
			chromedp.Flag("no-sandbox", true),
			chromedp.Flag("disable-gpu", true),
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("no-first-run", true),
			chromedp.Flag("no-default-browser-check", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.Flag("disable-extensions", true),
			chromedp.Flag("hide-scrollbars", true),
			chromedp.Flag("mute-audio", true),
			chromedp.WindowSize(windowWidth, windowHeight),
		)
		ctx, cancel := chromedp.NewContext(allocCtx)
		browser.ctx, browser.cancel = ctx, func() { cancel(); cancelAlloc() }
		// The first action starts the browser, which lives as long as the context of that
		// action: the tab's context itself, not one with a timeout.
		browser.err = chromedp.Do(ctx)
	})
	return browser.ctx, browser.err
}

// CloseBrowser stops the shared browser, if a test started it. A test package that uses Start
// calls it from TestMain after m.Run; else the kernel kills the browser when the test binary
// exits, leaving its temporary profile behind.
func CloseBrowser() {
	browser.once.Do(func() {}) // no test starts it any more
	if browser.cancel != nil {
		browser.cancel()
	}
}

// collectConsole records every console message of the tab. Errors (and anything the browser's
// security layer reports, such as CSP violations) fail the test at CheckConsole.
func (e *Env) collectConsole() {
	for m, err := range chromedp.Console(e.tab) {
		if err != nil {
			return
		}
		if m.Type == chromedp.ConsoleDebug && strings.HasPrefix(m.Text, markPrefix) {
			e.mu.Lock()
			if ch, ok := e.marks[m.Text]; ok {
				close(ch)
				delete(e.marks, m.Text)
			}
			e.mu.Unlock()
			continue
		}
		failed := m.Type == chromedp.ConsoleError || m.IsException() || m.Source == "security" || m.Source == "violation"
		if !failed && m.Type != chromedp.ConsoleWarning {
			continue // DSFR logs its version and start; warnings are logged, errors fail
		}
		text := m.String()
		if m.URL != "" {
			text += " (" + m.URL + ")"
		}
		e.mu.Lock()
		e.console = append(e.console, consoleEntry{text: text, failed: failed})
		e.mu.Unlock()
	}
}

const markPrefix = "emplois-browsertest-mark-"

// flushConsole waits until every console message emitted so far has been recorded: it logs a
// marker and waits for it, as messages arrive in order.
func (e *Env) flushConsole(t testing.TB) {
	t.Helper()
	e.mu.Lock()
	e.seq++
	mark := fmt.Sprintf("%s%d", markPrefix, e.seq)
	ch := make(chan struct{})
	e.marks[mark] = ch
	e.mu.Unlock()
	ctx, cancel := context.WithTimeout(e.tab, actionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf("console.debug(%q)", mark))); err != nil {
		t.Fatalf("browsertest: console flush: %v", err)
	}
	select {
	case <-ch:
	case <-ctx.Done():
		t.Fatalf("browsertest: console flush: marker never seen")
	}
}

// CheckConsole fails the test for every console error recorded since the last check, then
// forgets them. It runs by itself when the test ends.
func (e *Env) CheckConsole(t testing.TB) {
	t.Helper()
	e.flushConsole(t)
	e.mu.Lock()
	entries := e.console
	e.console = nil
	e.mu.Unlock()
	for _, c := range entries {
		if c.failed && !e.expected(c.text) {
			t.Errorf("browser console: %s", c.text)
		} else {
			t.Logf("browser console: %s", c.text)
		}
	}
}

// ExpectConsoleError declares that one console error containing text is expected before the
// next check: the browser reports a deliberate 4xx page (a refused form answers 422) as a failed
// resource load.
func (e *Env) ExpectConsoleError(text string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.expectedErrors = append(e.expectedErrors, text)
}

// expected consumes one expected error matching text.
func (e *Env) expected(text string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, want := range e.expectedErrors {
		if strings.Contains(text, want) {
			e.expectedErrors = append(e.expectedErrors[:i], e.expectedErrors[i+1:]...)
			return true
		}
	}
	return false
}

// URL resolves a path against the server ("/accounts/login" → "http://127.0.0.1:PORT/accounts/login").
// An absolute URL (from an e-mail, say) is returned as is.
func (e *Env) URL(pathOrURL string) string {
	if strings.HasPrefix(pathOrURL, "http://") || strings.HasPrefix(pathOrURL, "https://") {
		return pathOrURL
	}
	return e.BaseURL + pathOrURL
}

// Navigate loads a page and waits for it to load; it returns the HTTP status of the document.
// A 404 document is expected when the test asks for it, so the browser's "failed to load
// resource" message about the document itself is not counted as a console error.
func (e *Env) Navigate(t testing.TB, pathOrURL string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(e.tab, actionTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(e.URL(pathOrURL)))
	if err != nil {
		e.fail(t, "navigate to %s: %v", pathOrURL, err)
	}
	if resp.Status >= 400 {
		e.flushConsole(t)
		e.mu.Lock()
		kept := e.console[:0]
		for _, c := range e.console {
			if !(strings.Contains(c.text, "Failed to load resource") && strings.HasSuffix(c.text, "("+resp.URL+")")) {
				kept = append(kept, c)
			}
		}
		e.console = kept
		e.mu.Unlock()
	}
	return int(resp.Status)
}

// Fill puts value into the field with this id, as typing it would: the field takes the focus,
// its value is replaced and it fires input and change (what htmx and combobox.js listen to).
// It is done by the page's own JavaScript once the field exists: chromedp's SendKeys reads the
// node's attributes while the page's scripts change them, a data race of chromedp's that the
// race detector reported on a busy machine, and a node replaced meanwhile failed the action.
func (e *Env) Fill(t testing.TB, id, value string) {
	t.Helper()
	e.setValue(t, "fill", id, value)
}

// Select chooses the option with this value in the select with this id (or the day, as
// YYYY-MM-DD, of a date input), as Fill does.
func (e *Env) Select(t testing.TB, id, value string) {
	t.Helper()
	e.setValue(t, "select", id, value)
}

func (e *Env) setValue(t testing.TB, what, id, value string) {
	t.Helper()
	e.settled(t)
	e.waitFor(t, fmt.Sprintf("#%s to %s with %q", id, what, value), fmt.Sprintf(`(() => {
		const el = document.getElementById(%q);
		if (!el) return false;
		el.focus();
		el.value = %q;
		if (el.value !== %q) return false;
		el.dispatchEvent(new Event("input", {bubbles: true}));
		el.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})()`, id, value, value))
}

// Click clicks the first visible element matching a CSS selector. When the click submits a
// form or follows a link, wait for the next page with WaitForText or WaitForPath.
func (e *Env) Click(t testing.TB, selector string) {
	t.Helper()
	e.settled(t)
	e.do(t, "click "+selector, chromedp.Click(chromedp.CSS(selector), chromedp.NodeVisible))
}

// ClickText clicks the first visible link or button whose text contains text. The element's own
// click() is called, as a keyboard user's Enter does: a mouse click is aimed at coordinates,
// which a list redrawn by htmx or a late layout shift can move under it (seen on busy machines).
func (e *Env) ClickText(t testing.TB, text string) {
	t.Helper()
	e.settled(t)
	e.waitFor(t, "a visible «"+text+"» to click", fmt.Sprintf(`(() => {
		const el = Array.from(document.querySelectorAll("a, button, input[type=submit]")).find(el => (el.innerText || el.value || "").includes(%q) && el.offsetParent !== null);
		if (!el) return false;
		el.click();
		return true;
	})()`, text))
}

// settled waits until the page's fonts have loaded: the DSFR's web fonts arriving after the page
// move the text, and a click aimed at a link before that may land beside it.
func (e *Env) settled(t testing.TB) {
	t.Helper()
	e.waitFor(t, "the fonts", `document.readyState === "complete" && document.fonts.status === "loaded"`)
}

// WaitForText waits until the page's visible text contains text.
func (e *Env) WaitForText(t testing.TB, text string) {
	t.Helper()
	e.waitFor(t, fmt.Sprintf("text «%s»", text), fmt.Sprintf(`document.body !== null && document.body.innerText.includes(%q)`, text))
}

// WaitForPath waits until the current URL's path is path.
func (e *Env) WaitForPath(t testing.TB, path string) {
	t.Helper()
	e.waitFor(t, "path "+path, fmt.Sprintf(`location.pathname === %q && document.readyState === "complete"`, path))
}

// waitFor polls a JavaScript condition until it holds, tolerating the errors of a page being
// replaced in between (a form submission navigates while we poll).
func (e *Env) waitFor(t testing.TB, what, condition string) {
	t.Helper()
	deadline := time.Now().Add(actionTimeout)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var lastErr error
	for {
		ctx, cancel := context.WithTimeout(e.tab, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](condition))
		cancel()
		if err == nil && ok {
			return
		}
		if err != nil {
			lastErr = err
		}
		if time.Now().After(deadline) {
			body := e.bodyText()
			e.fail(t, "waited %s for %s (last error: %v); page %s shows:\n%s", actionTimeout, what, lastErr, e.CurrentURL(t), body)
		}
		<-tick.C
	}
}

func (e *Env) bodyText() string {
	ctx, cancel := context.WithTimeout(e.tab, 2*time.Second)
	defer cancel()
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	if len(text) > 2000 {
		text = text[:2000] + "…"
	}
	return text
}

// CurrentURL returns the tab's current URL.
func (e *Env) CurrentURL(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(e.tab, actionTimeout)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatalf("browsertest: read location: %v", err)
	}
	return u
}

// CurrentPath returns the path of the tab's current URL.
func (e *Env) CurrentPath(t testing.TB) string {
	t.Helper()
	u, err := url.Parse(e.CurrentURL(t))
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

// Eval evaluates a JavaScript expression in the page and decodes its result into T.
func Eval[T any](t testing.TB, e *Env, expression string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(e.tab, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expression))
	if err != nil {
		e.fail(t, "evaluate %s: %v", expression, err)
	}
	return v
}

// Viewport resizes the page's viewport (390×844 for a phone, 1280×900 for the default desktop).
func (e *Env) Viewport(t testing.TB, width, height int) {
	t.Helper()
	e.do(t, "resize viewport", chromedp.EmulateViewport(int64(width), int64(height)))
	e.width, e.height = width, height
}

// reflowWidth is the narrowest screen a page must fit without scrolling sideways: 320 CSS px,
// a 1280 px window zoomed to 400 % (WCAG 1.4.10, RGAA 10.11).
const reflowWidth = 320

// CheckReflow fails the test when the current page, 320 px wide, scrolls sideways; it names the
// elements that stick out. The viewport is then put back as it was.
func (e *Env) CheckReflow(t testing.TB) {
	t.Helper()
	e.do(t, "narrow the viewport", chromedp.EmulateViewport(reflowWidth, int64(e.height)))
	ctx, cancel := context.WithTimeout(e.tab, actionTimeout)
	defer cancel()
	// Two animation frames: the page is laid out again at the new width before it is measured.
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => {
		const root = document.documentElement, width = root.clientWidth;
		if (root.scrollWidth <= width) return done("");
		const out = Array.from(document.body.querySelectorAll("*")).filter(el => el.getBoundingClientRect().right > width + 1)
			.slice(0, 8).map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
				(typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "") +
				" (right " + Math.round(el.getBoundingClientRect().right) + ")");
		done("scrollWidth " + root.scrollWidth + " > clientWidth " + width + "; sticking out: " + out.join(", "));
	})))`, chromedp.EvalAwaitPromise))
	e.do(t, "restore the viewport", chromedp.EmulateViewport(int64(e.width), int64(e.height)))
	if err != nil {
		e.fail(t, "measure the reflow: %v", err)
	}
	if overflow != "" {
		t.Errorf("%s scrolls sideways at %d px: %s", e.CurrentPath(t), reflowWidth, overflow)
	}
}

// Press sends keys to the focused element as a person types them (kb.Tab, kb.ArrowDown, "lyon"...).
func (e *Env) Press(t testing.TB, keys string) {
	t.Helper()
	if keys == kb.Enter {
		e.do(t, "press Enter", pressEnter)
		return
	}
	e.do(t, "press "+keys, chromedp.KeyEvent(keys))
}

// pressEnter is Enter as a keyboard sends it: one key down carrying the text. chromedp's KeyEvent
// sends the text in a second event, whose keypress a page's preventDefault on keydown (a combobox
// picking an option) does not stop, so the form was submitted as well.
var pressEnter = chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
	key := input.DispatchKeyEventParams{Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}
	down, up := key, key
	down.Type, down.Text, down.UnmodifiedText = input.DispatchKeyEventTypeKeyDown, "\r", "\r"
	up.Type = input.DispatchKeyEventTypeKeyUp
	for _, ev := range []input.DispatchKeyEventParams{down, up} {
		if _, err := cdp.Call(ctx, target, input.DispatchKeyEvent, ev); err != nil {
			return err
		}
	}
	return nil
})

// Focused describes the focused element: its id, else its tag and text, for focus checks.
func (e *Env) Focused(t testing.TB) string {
	t.Helper()
	return Eval[string](t, e, `(() => { const el = document.activeElement;
		if (!el || el === document.body) return "body";
		return el.id || el.tagName.toLowerCase() + " «" + (el.innerText || el.value || "").trim().slice(0, 60) + "»"; })()`)
}

// Screenshot saves a PNG of the whole page and returns its path. The file is kept after the
// test (t.TempDir would delete it) in $TMPDIR/emplois-browsertest.
func (e *Env) Screenshot(t testing.TB, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(e.tab, actionTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("browsertest: screenshot: %v", err)
	}
	dir := filepath.Join(os.TempDir(), "emplois-browsertest")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, fileSafe.ReplaceAllString(t.Name()+"-"+name, "_")+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var fileSafe = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func (e *Env) screenshotOnFailure(t testing.TB) {
	ctx, cancel := context.WithTimeout(e.tab, 5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Location()); err != nil {
		t.Logf("browsertest: no screenshot, browser unreachable: %v", err)
		return
	}
	e.mu.Lock()
	e.seq++
	n := e.seq
	e.mu.Unlock()
	t.Logf("browsertest: screenshot of the failing page: %s", e.Screenshot(t, fmt.Sprintf("failure-%d", n)))
}

// fail takes a screenshot, then stops the test.
func (e *Env) fail(t testing.TB, format string, args ...any) {
	t.Helper()
	e.screenshotOnFailure(t)
	t.Fatalf("browsertest: "+format, args...)
}

func (e *Env) do(t testing.TB, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	for attempt := 1; ; attempt++ {
		err := e.run(actions...)
		if err != nil && attempt < 3 && strings.Contains(err.Error(), nodeGone) {
			// The page was still being replaced by the last click's navigation: the node found
			// belonged to the old page. Act again on the new one once it has loaded.
			e.waitFor(t, "page load", `document.readyState === "complete"`)
			continue
		}
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("not done within %s (element missing or hidden?)", actionTimeout)
		}
		if err != nil {
			e.fail(t, "%s: %v", what, err)
		}
		return
	}
}

func (e *Env) run(actions ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(e.tab, actionTimeout)
	defer cancel()
	return chromedp.Do(ctx, actions...)
}

// nodeGone is chromedp's error when the node found is no longer in the page: the action did
// nothing, so it may be done again. (After « navigated or closed » a click may have happened.)
const nodeGone = "Could not find node with given id"

// replaced reports whether err says the page went away under a reading (a navigation).
func replaced(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, nodeGone) || strings.Contains(msg, "navigated or closed")
}

// Violation is one axe-core rule that a page breaks.
type Violation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	HelpURL string   `json:"helpUrl"`
	Targets []string `json:"targets"`
}

// axeTags are the rule sets checked: WCAG 2.0, 2.1 and 2.2, levels A and AA (what RGAA 4 maps to).
const axeTags = `["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]`

// Accessibility runs axe-core on the page as it is now (after a failed form submission, say)
// and returns every violation. A page that navigates away meanwhile (a click's submission that
// was still in flight) is checked again once the next one has loaded.
func (e *Env) Accessibility(t testing.TB) []Violation {
	t.Helper()
	for attempt := 1; ; attempt++ {
		e.waitFor(t, "page load", `document.readyState === "complete"`)
		raw, err := e.runAxe(t)
		if err != nil && attempt < 3 && replaced(err) {
			continue
		}
		if err != nil {
			e.fail(t, "run axe-core: %v", err)
		}
		var violations []Violation
		if err := json.Unmarshal(raw, &violations); err != nil {
			t.Fatalf("browsertest: axe result: %v", err)
		}
		return violations
	}
}

// runAxe injects axe-core when the page lacks it and returns its violations as JSON.
func (e *Env) runAxe(t testing.TB) ([]byte, error) {
	ctx, cancel := context.WithTimeout(e.tab, actionTimeout)
	defer cancel()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err == nil && !loaded {
		_, err = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeSource(t)))
	}
	if err != nil {
		return nil, err
	}
	return chromedp.Run(ctx, chromedp.Evaluate[[]byte](`axe.run(document, {
		runOnly: {type: "tag", values: `+axeTags+`},
		resultTypes: ["violations"]
	}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
		targets: v.nodes.map(n => [].concat(n.target).join(" "))
	})))`, chromedp.EvalAwaitPromise))
}

// CheckAccessibility loads pathOrURL and checks it with CheckPageAccessibility.
func (e *Env) CheckAccessibility(t testing.TB, pathOrURL string) {
	t.Helper()
	e.Navigate(t, pathOrURL)
	e.CheckPageAccessibility(t)
}

// CheckPageAccessibility fails the test for each violation of impact "serious" or "critical"
// that axe-core finds on the current page (WCAG 2.x A and AA rules), for a page that scrolls
// sideways 320 px wide (CheckReflow), and for any console error. Lesser violations are logged.
func (e *Env) CheckPageAccessibility(t testing.TB) {
	t.Helper()
	page := e.CurrentPath(t)
	failed := false
	for _, v := range e.Accessibility(t) {
		msg := fmt.Sprintf("%s: axe %s (%s): %s — %s\n    %s", page, v.ID, v.Impact, v.Help, v.HelpURL, strings.Join(v.Targets, "\n    "))
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Error(msg)
			failed = true
		} else {
			t.Log(msg)
		}
	}
	e.CheckReflow(t)
	e.CheckConsole(t)
	if failed {
		e.screenshotOnFailure(t)
	}
}

var (
	axeOnce sync.Once
	axeJS   string
	axeErr  error
)

// axeSource reads testdata/axe.min.js next to this file (vendored by `make assets`).
func axeSource(t testing.TB) string {
	t.Helper()
	axeOnce.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		var b []byte
		b, axeErr = os.ReadFile(filepath.Join(filepath.Dir(file), "testdata", "axe.min.js"))
		axeJS = string(b)
	})
	if axeErr != nil {
		t.Fatalf("browsertest: axe-core missing, run `make assets`: %v", axeErr)
	}
	return axeJS
}

// testWriter sends the server's warnings and errors to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
