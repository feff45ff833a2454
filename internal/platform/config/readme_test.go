package config

import (
	"os"
	"strings"
	"testing"
)

// TestREADME_DocumentsEverySetting keeps the README's configuration table in step with Vars.
func TestREADME_DocumentsEverySetting(t *testing.T) {
	b, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Vars {
		if !strings.Contains(string(b), "| `"+v.Name+"` |") {
			t.Errorf("README.md has no configuration row for %s", v.Name)
		}
	}
}
