package browsertest

import (
	"os"
	"testing"
)

// TestMain closes the browser that the tests share once they are all done.
func TestMain(m *testing.M) {
	code := m.Run()
	CloseBrowser()
	os.Exit(code)
}
