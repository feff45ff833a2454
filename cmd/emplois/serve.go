package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"emplois/internal/app"
	"emplois/internal/web"
)

func init() {
	c := command{
		name:    "serve",
		usage:   "serve [--addr :8080] [--demo] [--no-worker]",
		summary: "Apply migrations, then serve the web pages, the API and the static files (and run the background worker).",
	}
	c.run = func(ctx context.Context, args []string) error {
		fs := newFlagSet(c)
		addr := fs.String("addr", "", "listen address (default: EMPLOIS_ADDR, else :8080)")
		demo := fs.Bool("demo", false, "load the demo data set into an empty database, print the demo logins and turn development mode on (EMPLOIS_DEV=1)")
		noWorker := fs.Bool("no-worker", false, "do not run the background worker in this process (run `emplois worker` elsewhere)")
		if err := fs.Parse(args); err != nil {
			return err
		}
		if *demo {
			// The demo is a development instance: its logins are printed, its mails read at /dev/mails.
			os.Setenv("EMPLOIS_DEV", "1")
		}
		cfg, d, err := openDB(ctx)
		if err != nil {
			return err
		}
		defer d.Close()
		if err := cfg.CheckProduction(); err != nil {
			return err
		}
		log := newLogger(cfg)
		if *addr != "" {
			cfg.Addr = *addr
		}
		svc, err := app.New(ctx, cfg, d, log)
		if err != nil {
			return err
		}
		if *demo {
			if err := loadDemo(ctx, svc, os.Stdout); err != nil {
				return err
			}
			if err := startDemoASP(ctx, svc, os.Stdout); err != nil {
				return err
			}
			startDemoAPIParticulier(ctx, svc, os.Stdout)
		}
		srv, err := web.New(svc)
		if err != nil {
			return err
		}
		ln, err := net.Listen("tcp", cfg.Addr)
		if err != nil {
			return err
		}
		httpServer := &http.Server{
			Handler:           srv.Handler(),
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      60 * time.Second,
			IdleTimeout:       120 * time.Second,
		}
		workerDone := make(chan error, 1)
		if *noWorker {
			workerDone <- nil
		} else {
			go func() { workerDone <- runWorker(ctx, svc) }()
		}
		serveErr := make(chan error, 1)
		go func() { serveErr <- httpServer.Serve(ln) }()
		log.Info("serving", "url", fmt.Sprintf("http://%s", displayAddr(ln.Addr())), "engine", d.Engine, "dev", cfg.Dev)

		select {
		case err := <-serveErr:
			return err
		case <-ctx.Done():
		}
		// SIGTERM: stop accepting, let in-flight requests finish, and let the worker finish its job.
		log.Info("shutting down")
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
		defer cancel()
		if err := httpServer.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return <-workerDone
	}
	register(c)
}

func displayAddr(a net.Addr) string {
	if tcp, ok := a.(*net.TCPAddr); ok && (tcp.IP == nil || tcp.IP.IsUnspecified()) {
		return fmt.Sprintf("localhost:%d", tcp.Port)
	}
	return a.String()
}
