package main

import (
	"os"
	"testing"
)

// TestMain keeps the files the subcommands write (CVs) out of the source tree: the default
// EMPLOIS_BLOB_URL is ./var/files, relative to the package folder under test.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "emplois-cmd-files-")
	if err != nil {
		panic(err)
	}
	if _, set := os.LookupEnv("EMPLOIS_BLOB_URL"); !set {
		os.Setenv("EMPLOIS_BLOB_URL", "file://"+dir)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
