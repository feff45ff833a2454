package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"emplois/internal/account"
	"emplois/internal/app"
	"emplois/internal/application"
	"emplois/internal/asp"
	"emplois/internal/employeerecord"
	"emplois/internal/jobdesc"
	"emplois/internal/jobseeker"
	"emplois/internal/platform/apiparticulier"
	"emplois/internal/platform/apiparticulier/apiparticuliertest"
	"emplois/internal/platform/francetravail/fttest"
	"emplois/internal/platform/sftpbox"
	"emplois/internal/reference"
)

func init() {
	c := command{
		name:    "seed",
		usage:   "seed --demo   or   emplois seed --scale national|small [--seed 42] [--force] [--reference-dir DIR]",
		summary: "Load a data set: --demo loads the demo data set (reference data and accounts) and prints the demo logins; --scale generates the synthetic benchmark data set.",
	}
	c.run = func(ctx context.Context, args []string) error {
		fs := newFlagSet(c)
		demo := fs.Bool("demo", false, "load the demo data set and print the demo logins")
		scale := scaleFlags(fs)
		if err := fs.Parse(args); err != nil {
			return err
		}
		if scale.given() {
			if *demo {
				return fmt.Errorf("choose one data set: --demo or --scale")
			}
			return runScaleSeed(ctx, scale, os.Stdout)
		}
		if !*demo {
			fs.Usage()
			return fmt.Errorf("choose a data set: --demo or --scale national")
		}
		svc, closeDB, err := openServices(ctx)
		if err != nil {
			return err
		}
		defer closeDB()
		return loadDemo(ctx, svc, os.Stdout)
	}
	register(c)
}

// loadDemo loads the demo data set and prints one `demo login: ROLE EMAIL PASSWORD` line per demo
// account. Reference data is loaded only into an empty database: the full files of
// EMPLOIS_REFERENCE_DIR when set, else our small demo sample; the ASP reference (internal/asp)
// when its tables are empty. Accounts are created when missing,
// so a second `make run` prints the same logins.
func loadDemo(ctx context.Context, svc *app.Services, out io.Writer) error {
	cfg, d := svc.Config, svc.DB
	communes, err := d.NewSelect().Table("commune").Count(ctx)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if communes == 0 {
		start := time.Now()
		if cfg.ReferenceDir != "" {
			err = reference.ImportDir(ctx, d, cfg.ReferenceDir)
		} else {
			err = reference.LoadDemo(ctx, d)
		}
		if err != nil {
			return fmt.Errorf("demo: reference data: %w", err)
		}
		fmt.Fprintf(out, "demo: reference data loaded in %s\n", time.Since(start).Round(time.Millisecond))
	}
	// The ASP codes of the fiches salarié, checked apart: a database of an older demo has the
	// communes already.
	countries, err := d.NewSelect().Table("asp_country").Count(ctx)
	if err == nil && countries == 0 {
		err = asp.LoadDemo(ctx, d)
	}
	if err != nil {
		return fmt.Errorf("demo: ASP reference data: %w", err)
	}
	logins, err := svc.Accounts.SeedDemo(ctx)
	if err != nil {
		return fmt.Errorf("demo: accounts: %w", err)
	}
	for _, l := range logins {
		fmt.Fprintf(out, "demo login: %s %s %s\n", demoRole(l.Kind), l.Email, l.Password)
	}
	pros, err := svc.Orgs.SeedDemo(ctx, svc.Accounts)
	if err != nil {
		return fmt.Errorf("demo: organizations: %w", err)
	}
	for _, l := range pros {
		fmt.Fprintf(out, "demo login: %s %s %s\n", l.Role, l.Email, l.Password)
	}
	if err := svc.JobSeekers.SeedDemo(ctx); err != nil {
		return fmt.Errorf("demo: job seekers: %w", err)
	}
	companies, err := jobdesc.DemoCompanyUIDs(ctx, d)
	if err != nil {
		return fmt.Errorf("demo: fiches de poste: %w", err)
	}
	if n, err := jobdesc.SeedDemo(ctx, d, companies, time.Now()); err != nil {
		return fmt.Errorf("demo: fiches de poste: %w", err)
	} else if n > 0 {
		fmt.Fprintf(out, "demo: %d fiches de poste created\n", n)
	}
	proxies := make(application.DemoJobSeekers, 0, len(jobseeker.DemoProxyJobSeekers))
	for _, p := range jobseeker.DemoProxyJobSeekers {
		proxies = append(proxies, p.Email)
	}
	if n, err := svc.Applications.SeedDemo(ctx, proxies); err != nil {
		return fmt.Errorf("demo: candidatures: %w", err)
	} else if n > 0 {
		fmt.Fprintf(out, "demo: %d candidatures created\n", n)
	}
	employees := make([]string, 0, len(jobseeker.DemoEmployees))
	for _, e := range jobseeker.DemoEmployees {
		employees = append(employees, e.Email)
	}
	if n, err := svc.Approvals.SeedDemo(ctx, employees); err != nil {
		return fmt.Errorf("demo: PASS IAE: %w", err)
	} else if n > 0 {
		fmt.Fprintf(out, "demo: %d PASS IAE created\n", n)
	}
	if n, err := svc.EmployeeRecords.SeedDemo(ctx, employees); err != nil {
		return fmt.Errorf("demo: fiches salarié: %w", err)
	} else if n > 0 {
		fmt.Fprintf(out, "demo: %d fiches salarié created\n", n)
	}
	return nil
}

// demoASPAnswerEvery is how often the demo's ASP answers the files it received.
const demoASPAnswerEvery = 15 * time.Second

// startDemoASP runs the demo's ASP: a real SFTP server on a local port, over a temporary
// folder, that the fiches salarié exchange reaches every minute, and that answers the files it
// receives (0000, or a rejection for employeerecord.DemoRejections). It stops with ctx.
func startDemoASP(ctx context.Context, svc *app.Services, out io.Writer) error {
	root, err := os.MkdirTemp("", "emplois-demo-asp-")
	if err != nil {
		return err
	}
	server, err := sftpbox.NewServer(root, "emplois", employeerecord.UploadFolder, employeerecord.DownloadFolder)
	if err != nil {
		return fmt.Errorf("demo: ASP SFTP server: %w", err)
	}
	svc.UseASP(server.Client, true)
	demoASP := &employeerecord.DemoASP{Root: root, Rejections: employeerecord.DemoRejections}
	go func() {
		defer os.RemoveAll(root)
		defer server.Close()
		tick := time.NewTicker(demoASPAnswerEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if _, err := demoASP.Answer(); err != nil {
					svc.Log.Warn("demo ASP: answer", "error", err)
				}
			}
		}
	}()
	fmt.Fprintf(out, "demo: the ASP's SFTP server listens on 127.0.0.1:%d (fiches salarié sent every minute, answered within %s)\n",
		server.Client.Port, demoASPAnswerEvery)
	return nil
}

// startDemoAPIParticulier runs the demo's API Particulier on a local port, unless a real one is
// configured: everyone receives the RSA since 1 January 2024 and no AAH, and nobody is known for
// the allocation de soutien familial, so the three badges of a certification show. It stops
// with ctx.
func startDemoAPIParticulier(ctx context.Context, svc *app.Services, out io.Writer) {
	if svc.Certifier.Enabled() {
		return
	}
	api := apiparticuliertest.New()
	api.SetDefault(apiparticulier.RSA, apiparticuliertest.Beneficiary("2024-01-01"))
	api.SetDefault(apiparticulier.AAH, apiparticuliertest.NotBeneficiary())
	svc.UseAPIParticulier(api.URL(), apiparticuliertest.Token)
	go func() {
		<-ctx.Done()
		api.Close()
	}()
	fmt.Fprintf(out, "demo: API Particulier answers at %s (RSA since 01/01/2024 for everyone, no AAH, parent isolé unknown)\n", api.URL())
}

// startDemoFranceTravail runs the demo's France Travail partner API on a local port, unless a
// real one is configured: it finds every person with a NIR and takes every PASS IAE, so the
// worker's notification of the PASS (approvals.md §2.13) runs for real, and its agent API finds
// every person searched with an RQTH since 1 June 2023 without end, so the TH criterion shows
// certified. It stops with ctx.
func startDemoFranceTravail(ctx context.Context, svc *app.Services, out io.Writer) {
	if svc.FranceTravail != nil {
		return
	}
	ft := fttest.New()
	ft.FindEveryone()
	svc.UseFranceTravail(ft.Config())
	go func() {
		<-ctx.Done()
		ft.Close()
	}()
	fmt.Fprintf(out, "demo: France Travail's partner API answers at %s (every person with a NIR found, every PASS IAE taken, RQTH since 01/06/2023 for everyone)\n", ft.URL)
}

// demoRole is the ROLE word of a demo login line.
func demoRole(k account.Kind) string {
	switch k {
	case account.Staff:
		return "staff"
	case account.JobSeeker:
		return "job_seeker"
	}
	return string(k)
}
