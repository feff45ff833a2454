package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"emplois/internal/app"
	"emplois/internal/employeerecord"
	"emplois/internal/platform/db"
)

func init() {
	c := command{
		name:  "asp-exchange",
		usage: "asp-exchange [--upload] [--download] [--preflight] [--parse-file PATH] [--wet-run]",
		summary: "The operator's run of the fiches salarié exchange with the ASP (asp.md §5.12): upload, download, " +
			"preflight of the pending lines, a local feedback file; a dry run unless --wet-run.",
	}
	c.run = func(ctx context.Context, args []string) error {
		return runASPExchange(ctx, c, args, os.Stdout, os.Stderr)
	}
	register(c)
}

// aspExchangeRun is what the operator asked for.
type aspExchangeRun struct {
	upload, download, preflight, wet bool
	parseFile                        string
}

// errASPNotConfigured refuses a transfer without the ASP's SFTP settings (asp.md §5.1).
var errASPNotConfigured = errors.New("le serveur SFTP de l'ASP n'est pas configuré / the ASP's SFTP server is not configured: " +
	"set EMPLOIS_ASP_SFTP_HOST, EMPLOIS_ASP_SFTP_USER, EMPLOIS_ASP_SFTP_PRIVATE_KEY_PATH and EMPLOIS_ASP_SFTP_HOST_KEY to run --upload or --download")

func runASPExchange(ctx context.Context, c command, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(c)
	fs.SetOutput(stderr)
	var o aspExchangeRun
	fs.BoolVar(&o.upload, "upload", false, "send the READY fiches, then the NEW update notifications (one file each, at most 700 lines)")
	fs.BoolVar(&o.download, "download", false, "apply the ASP's feedback files of `retrait` (RIAE_FS_*), each in one transaction, and delete them")
	fs.BoolVar(&o.preflight, "preflight", false, "build the line of every pending fiche and notification, 700 at a time, and list those that fail")
	fs.StringVar(&o.parseFile, "parse-file", "", "apply a feedback file from disk (named as the ASP names it) in one transaction")
	fs.BoolVar(&o.wet, "wet-run", false, "transfer and write; without it an upload only reports its file, a download and --parse-file\n"+
		"apply each file then roll it back, and nothing is deleted")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if !o.upload && !o.download && !o.preflight && o.parseFile == "" {
		return errors.New("nothing to do: give --upload, --download, --preflight or --parse-file PATH (see emplois asp-exchange -h)")
	}
	cfg, d, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	if (o.upload || o.download) && cfg.ASPSFTPHost == "" {
		return errASPNotConfigured
	}
	svc, err := app.New(ctx, cfg, d, newLogger(cfg))
	if err != nil {
		return err
	}
	return aspExchange(ctx, d, svc.ASPExchange, o, stdout)
}

// aspExchange runs o over the exchange x (nil when the ASP is not configured: the preflight and
// a local file need no server), in the order preflight, upload, download, local file.
func aspExchange(ctx context.Context, d *db.DB, x *employeerecord.Exchange, o aspExchangeRun, out io.Writer) error {
	if x == nil {
		if o.upload || o.download {
			return errASPNotConfigured
		}
		x = employeerecord.NewExchange(d, nil, time.Now)
	}
	if o.preflight {
		if err := preflight(ctx, x, out); err != nil {
			return err
		}
	}
	if o.upload {
		for _, movement := range []string{employeerecord.MovementCreation, employeerecord.MovementUpdate} {
			rep, err := x.Upload(ctx, movement, o.wet)
			printUpload(out, movement, rep)
			if err != nil {
				return err
			}
		}
	}
	if o.download {
		rep, err := x.DownloadFiles(ctx, o.wet)
		if err != nil {
			return err
		}
		printDownload(out, rep)
	}
	if o.parseFile != "" {
		data, err := os.ReadFile(o.parseFile)
		if err != nil {
			return err
		}
		rep, err := x.ParseFile(ctx, filepath.Base(o.parseFile), data, o.wet)
		printDownload(out, rep)
		if err != nil {
			return fmt.Errorf("%s: %w", o.parseFile, err)
		}
	}
	return nil
}

// preflight prints the objects whose line cannot be built, by id (never a name or a NIR).
func preflight(ctx context.Context, x *employeerecord.Exchange, out io.Writer) error {
	checked, failed := 0, 0
	for _, movement := range []string{employeerecord.MovementCreation, employeerecord.MovementUpdate} {
		rep, err := x.Preflight(ctx, movement)
		if err != nil {
			return err
		}
		checked, failed = checked+rep.Checked, failed+len(rep.Failed)
		for _, id := range slices.Sorted(maps.Keys(rep.Failed)) {
			fmt.Fprintf(out, "preflight: %s %s: %v\n", objectKind(movement), id, rep.Failed[id])
		}
	}
	switch {
	case checked == 0:
		fmt.Fprintln(out, "No object to check. Exiting preflight.")
	case failed == 0:
		fmt.Fprintln(out, "All serializations ok, you may skip preflight...")
	default:
		fmt.Fprintf(out, "preflight: %d of %d lines cannot be built\n", failed, checked)
	}
	return nil
}

func objectKind(movement string) string {
	if movement == employeerecord.MovementUpdate {
		return "notification"
	}
	return "fiche"
}

func printUpload(out io.Writer, movement string, rep employeerecord.UploadReport) {
	kind := objectKind(movement) + "s"
	for _, id := range slices.Sorted(maps.Keys(rep.Failed)) {
		fmt.Fprintf(out, "upload: %s %s left out: %v\n", objectKind(movement), id, rep.Failed[id])
	}
	switch {
	case len(rep.Lines) == 0:
		fmt.Fprintf(out, "upload: no %s to send\n", kind)
	case rep.DryRun:
		fmt.Fprintf(out, "DRY-RUN: (not) sending '%s' (%d bytes): %d %s\n", rep.File, rep.Bytes, len(rep.Lines), kind)
		for i, id := range rep.Lines {
			fmt.Fprintf(out, "  line %d: %s\n", i+1, id)
		}
	default:
		fmt.Fprintf(out, "upload: sent '%s' (%d bytes): %d %s\n", rep.File, rep.Bytes, rep.Sent, kind)
	}
}

func printDownload(out io.Writer, rep employeerecord.DownloadReport) {
	prefix := "download"
	if rep.DryRun {
		prefix = "DRY-RUN"
	}
	for _, a := range rep.Applied {
		fmt.Fprintf(out, "%s: %s line %d: %s → %s (code %s)\n", prefix, a.File, a.Line, a.Object, a.Status, a.Code)
	}
	for _, name := range slices.Sorted(maps.Keys(rep.Kept)) {
		fmt.Fprintf(out, "%s: will not delete file '%s' because of errors: %v\n", prefix, name, rep.Kept[name])
	}
	fmt.Fprintf(out, "%s: successfully parsed %d/%d files: %d processed, %d rejected, %d skipped\n",
		prefix, rep.Parsed, rep.Files, rep.Processed, rep.Rejected, rep.Skipped)
}
