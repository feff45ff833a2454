// Command emplois is the whole service in one binary: web server, background worker, migrations,
// reference data imports, demo and benchmark data, and staff account administration.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"emplois/internal/app"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
)

// command is one subcommand of the binary.
type command struct {
	name    string
	usage   string
	summary string
	run     func(ctx context.Context, args []string) error
}

var commands []command

func register(c command) { commands = append(commands, c) }

func main() {
	if len(os.Args) < 2 || os.Args[1] == "help" || os.Args[1] == "-h" || os.Args[1] == "--help" {
		if len(os.Args) > 2 {
			if c, ok := find(os.Args[2]); ok {
				c.run(context.Background(), []string{"-h"})
				return
			}
		}
		printHelp(os.Stdout)
		return
	}
	c, ok := find(os.Args[1])
	if !ok {
		fmt.Fprintf(os.Stderr, "emplois: unknown command %q\n\n", os.Args[1])
		printHelp(os.Stderr)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := c.run(ctx, os.Args[2:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintf(os.Stderr, "emplois %s: %v\n", c.name, err)
		os.Exit(1)
	}
}

func find(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "emplois - Les emplois de l'inclusion, in one binary.")
	fmt.Fprintln(w, "\nUsage: emplois COMMAND [options]   (emplois COMMAND -h explains a command's options)")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nConfiguration (environment variables):")
	for _, v := range config.Vars {
		def := v.Default
		if def == "" {
			def = "(empty)"
		}
		fmt.Fprintf(w, "  %s\n      %s\n      default: %s\n", v.Name, v.Description, def)
	}
}

// newFlagSet returns a flag set whose -h prints the command's usage and options.
func newFlagSet(c command) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: emplois %s\n\n%s\n", c.usage, c.summary)
		fmt.Fprintln(fs.Output(), "\nOptions:")
		fs.PrintDefaults()
		fmt.Fprintln(fs.Output(), "\nThe database and the other settings come from the environment: see `emplois help`.")
	}
	return fs
}

// newLogger returns the process logger in the configured format.
func newLogger(cfg config.Config) *slog.Logger {
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}

// openDB loads the configuration, opens the database and applies migrations.
func openDB(ctx context.Context) (config.Config, *db.DB, error) {
	cfg, err := config.FromEnv()
	if err != nil {
		return cfg, nil, err
	}
	d, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return cfg, nil, err
	}
	if err := d.Migrate(ctx); err != nil {
		d.Close()
		return cfg, nil, err
	}
	return cfg, d, nil
}

// openServices opens the database as openDB does and builds the instance's services over it
// (app.New); closeDB closes the database.
func openServices(ctx context.Context) (svc *app.Services, closeDB func() error, err error) {
	cfg, d, err := openDB(ctx)
	if err != nil {
		return nil, nil, err
	}
	if svc, err = app.New(ctx, cfg, d, newLogger(cfg)); err != nil {
		d.Close()
		return nil, nil, err
	}
	return svc, d.Close, nil
}
