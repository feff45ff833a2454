package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"emplois/internal/org"
)

func init() {
	c := command{
		name:    "sync",
		usage:   "sync ft-agencies update-information|fix-empty-safir [--wet-run]",
		summary: "Sync the France Travail agencies (prescriber organizations of kind FT) with France Travail's referential of agencies; a dry run without --wet-run.",
	}
	c.run = func(ctx context.Context, args []string) error {
		return runSync(ctx, c, args, os.Stdout, os.Stderr)
	}
	register(c)
}

// runSync runs an action of the France Travail agencies sync (asp.md §4): the agencies are read
// from France Travail's partner API, then the organizations follow them in one transaction,
// rolled back without --wet-run.
func runSync(ctx context.Context, c command, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(c)
	fs.SetOutput(stderr)
	wet := fs.Bool("wet-run", false, "apply the changes; without it the whole run is computed and reported, then rolled back")
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		fmt.Fprintln(fs.Output(), "\nActions:\n"+
			"  update-information  creates the agencies unknown here (habilitated) and updates the name, SIRET, contact,\n"+
			"                      address, position and city of the known ones; nothing is deleted\n"+
			"  fix-empty-safir     gives the France Travail organizations without SAFIR code the code of the agency\n"+
			"                      with their SIRET")
	}
	// The subject and the action come first (emplois sync ft-agencies update-information …).
	var words []string
	for len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		words, args = append(words, args[0]), args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	words = append(words, fs.Args()...)
	if len(words) != 2 || words[0] != "ft-agencies" || (words[1] != org.FTUpdateInformation && words[1] != org.FTFixEmptySAFIR) {
		fs.Usage()
		return errors.New("usage: emplois " + c.usage)
	}
	svc, closeDB, err := openServices(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	if svc.FranceTravail == nil {
		return errors.New("the calls to France Travail are off: set EMPLOIS_FT_API_BASE_URL, EMPLOIS_FT_AUTH_BASE_URL, " +
			"EMPLOIS_FT_CLIENT_ID and EMPLOIS_FT_CLIENT_SECRET")
	}
	agencies, err := svc.FranceTravail.Agencies(ctx)
	if err != nil {
		return fmt.Errorf("France Travail agencies: %w", err)
	}
	_, err = svc.Orgs.SyncFTAgencies(ctx, words[1], agencies, *wet, stdout)
	return err
}
