// Package app is the wiring of the service: every domain service, store and secret key is built
// here, once, and handed to the web pages, the API and the background worker (cmd/emplois), and
// to the page tests, which build the site exactly as production does.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/api"
	"emplois/internal/apitoken"
	"emplois/internal/application"
	"emplois/internal/approval"
	"emplois/internal/convention"
	"emplois/internal/directory"
	"emplois/internal/eligibility"
	"emplois/internal/employeerecord"
	"emplois/internal/geo"
	"emplois/internal/invitation"
	"emplois/internal/jobdesc"
	"emplois/internal/jobseeker"
	"emplois/internal/nexus"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/apiparticulier"
	"emplois/internal/platform/blob"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/francetravail"
	"emplois/internal/platform/oidc"
	"emplois/internal/platform/ratelimit"
	"emplois/internal/platform/secretkey"
	"emplois/internal/platform/sftpbox"
	"emplois/internal/rome"
	"emplois/internal/savedsearch"
	"emplois/internal/search"
	"emplois/internal/signup"
	"emplois/internal/staff"
)

// Services are the domain services of one instance.
type Services struct {
	Config config.Config
	DB     *db.DB
	Log    *slog.Logger

	Accounts *account.Service
	Orgs     *org.Service
	Jobdescs *jobdesc.Service
	// Conventions is « Mes annexes financières » (the ASP import runs from the command line).
	Conventions *convention.Service
	JobSeekers  *jobseeker.Service
	Invitations *invitation.Service
	Signups     *signup.Service
	Staff       *staff.Service
	Search      *search.Service
	Directory   *directory.Service
	Saved       *savedsearch.Service
	Cities      *geo.Store
	// Applications are the candidatures; Blobs keeps their CVs (EMPLOIS_BLOB_URL).
	Applications *application.Service
	Blobs        *blob.Store
	Jobs         *rome.Store
	// ProConnect is the ProConnect client, nil when ProConnect is not configured.
	ProConnect *oidc.Client
	// FranceConnect is the FranceConnect client, nil when FranceConnect is not configured.
	FranceConnect *oidc.Client
	// PageLimit and APILimit slow down scrapers: an anonymous client address may load so many
	// search pages and make so many API calls per minute (EMPLOIS_RATE_LIMIT_PAGES,
	// EMPLOIS_RATE_LIMIT_API; 0 turns a limit off). The counters live in the database, so the
	// limits hold across all the instances behind a load balancer.
	PageLimit, APILimit *ratelimit.Limiter
	// VerifyLimit throttles the public PASS IAE verification per client address
	// (EMPLOIS_RATE_LIMIT_PASS_VERIFY), logged in or not.
	VerifyLimit *ratelimit.Limiter
	// Approvals is the PASS IAE (numbers with EMPLOIS_PASS_PREFIX).
	Approvals *approval.Service
	// Eligibility is the IAE and GEIQ eligibility diagnoses.
	Eligibility *eligibility.Service
	// EmployeeRecords is the fiches salarié of the SIAE.
	EmployeeRecords *employeerecord.Service
	// ASPExchange sends the fiches salarié to the ASP over SFTP and reads its answers; nil when
	// EMPLOIS_ASP_SFTP_HOST is not set. ASPExchangeAnytime runs it every minute instead of at
	// the ASP's slots (the demo's own in-process ASP).
	ASPExchange        *employeerecord.Exchange
	ASPExchangeAnytime bool
	// Tokens are the partner API's credentials; APIThrottles the API's per-caller limits
	// (api.md §1.6), counted in the database like the other limits.
	Tokens       *apitoken.Service
	APIThrottles *api.Throttles
	// Nexus is the directory the other inclusion services push to (api.md §8).
	Nexus *nexus.Service
	// Certifier asks API Particulier about the RSA, AAH and PI criteria of the diagnoses, and
	// France Travail's agent API about TH; each does nothing when not configured
	// (EMPLOIS_API_PARTICULIER_TOKEN, EMPLOIS_FT_API_BASE_URL).
	Certifier *eligibility.Certifier
	// FranceTravail calls France Travail's partner API (the agencies sync, asp.md §4, and the PASS
	// notification) and its agent API (the TH certification, §7.2); nil when
	// EMPLOIS_FT_API_BASE_URL is not set.
	FranceTravail *francetravail.Client
	// PASSNotifier tells France Travail of each PASS IAE (approvals.md §2.13); nil with
	// FranceTravail.
	PASSNotifier *approval.Notifier
}

// New builds the services of an instance over d.
func New(ctx context.Context, cfg config.Config, d *db.DB, log *slog.Logger) (*Services, error) {
	key, err := secretkey.Load(ctx, d, cfg)
	if err != nil {
		return nil, err
	}
	s := &Services{Config: cfg, DB: d, Log: log,
		Accounts:    account.NewService(d, cfg),
		Orgs:        org.NewService(d, cfg),
		Jobdescs:    jobdesc.NewService(d, cfg),
		Conventions: convention.NewService(d),
		Search:      search.NewService(d),
		Saved:       savedsearch.NewService(d),
		Cities:      geo.NewStore(d),
		Jobs:        rome.NewStore(d),

		PageLimit: ratelimit.New(d, cfg.RateLimitPages, time.Minute),
		APILimit:  ratelimit.New(d, cfg.RateLimitAPI, time.Minute),

		VerifyLimit: ratelimit.New(d, cfg.RateLimitPASSVerify, time.Minute),
		Approvals: approval.NewService(d, cfg.PASSPrefix).WithMail(approval.MailSettings{
			BaseURL: strings.TrimSuffix(cfg.BaseURL.String(), "/"), Support: cfg.SupportEmail}),
		Eligibility:     eligibility.NewService(d, time.Now),
		EmployeeRecords: employeerecord.NewService(d, time.Now),
		Tokens:          apitoken.NewService(d, key),
		APIThrottles:    api.NewThrottles(d),
	}
	s.Approvals.SetDiagnosisFinder(s.lastConsideredDiagnosis)
	s.Invitations = invitation.NewService(d, cfg, s.Orgs, s.Accounts)
	s.JobSeekers = jobseeker.NewService(d, s.Accounts, key)
	s.Signups = signup.NewService(d, cfg, s.Orgs, key)
	s.Staff = staff.NewService(d, s.Accounts, s.Orgs)
	s.Directory = directory.NewService(d, s.Search)
	if s.Blobs, err = blob.Open(ctx, cfg.BlobURL); err != nil {
		return nil, err
	}
	s.Nexus = nexus.NewService(d, s.Accounts)
	s.Applications = application.NewService(d, cfg, s.Blobs)
	s.Applications.Eligibility, s.Applications.Approvals = s.Eligibility, s.Approvals
	s.Approvals.Files = s.Blobs
	s.Applications.Assign = s.assign
	s.Applications.MayEditJobSeeker = s.mayEditJobSeeker
	s.Certifier = eligibility.NewCertifier(d, nil, log)
	if cfg.APIParticulierToken != "" {
		s.UseAPIParticulier(cfg.APIParticulierURL, cfg.APIParticulierToken)
	}
	if cfg.ASPSFTPHost != "" {
		key, err := os.ReadFile(cfg.ASPSFTPPrivateKeyPath)
		if err != nil {
			return nil, fmt.Errorf("EMPLOIS_ASP_SFTP_PRIVATE_KEY_PATH: %w", err)
		}
		s.UseASP(sftpbox.Config{Host: cfg.ASPSFTPHost, Port: cfg.ASPSFTPPort, User: cfg.ASPSFTPUser, PrivateKey: key,
			HostKey: cfg.ASPSFTPHostKey}, false)
	}
	if c, ok := francetravail.FromConfig(cfg); ok {
		s.UseFranceTravail(c)
	}
	if pc, ok := oidc.ProConnectConfig(cfg); ok {
		if s.ProConnect, err = oidc.New(d, pc); err != nil {
			return nil, err
		}
	}
	if fc, ok := oidc.FranceConnectConfig(cfg); ok {
		if s.FranceConnect, err = oidc.New(d, fc); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// UseAPIParticulier makes the certification of criteria ask the API Particulier at baseURL.
func (s *Services) UseAPIParticulier(baseURL, token string) {
	s.Certifier.UseAPIParticulier(apiparticulier.New(baseURL, token))
}

// UseASP makes the fiches salarié exchange reach the ASP's SFTP server of c; anytime runs it
// every minute rather than at the ASP's slots.
func (s *Services) UseASP(c sftpbox.Config, anytime bool) {
	dial := func(ctx context.Context) (employeerecord.Remote, error) { return sftpbox.Dial(ctx, c) }
	s.ASPExchange, s.ASPExchangeAnytime = employeerecord.NewExchange(s.DB, dial, time.Now), anytime
}

// UseFranceTravail makes the calls to France Travail reach the partner API of c (the demo and
// tests: an fttest server).
func (s *Services) UseFranceTravail(c francetravail.Config) {
	s.FranceTravail = francetravail.New(s.DB, c, time.Now)
	s.PASSNotifier = approval.NewNotifier(s.DB, s.FranceTravail, s.Log)
	s.Certifier.UseFranceTravail(s.FranceTravail)
}

// SetClock makes every service read the time from now (tests move it).
func (s *Services) SetClock(now func() time.Time) {
	s.Accounts.Now = now
	s.Orgs.Now = now
	s.Jobdescs.Now = now
	s.Conventions.Now = now
	s.JobSeekers.Now = now
	s.Invitations.Now = now
	s.Signups.Now = now
	s.Saved.Now = now
	s.Applications.Now = now
	s.Nexus.Now = now
	s.Search.Now = now
	s.Eligibility.Now = now
	s.Approvals.Now = now
	s.EmployeeRecords.Now = now
	s.Tokens.Now = now
	s.Certifier.Now = now
}

// lastConsideredDiagnosis is the IAE diagnosis a PASS delivered by hand is issued on
// (approval.DiagnosisFinder): the one that counts for the job seeker at the SIAE, 0 when none.
func (s *Services) lastConsideredDiagnosis(ctx context.Context, idb bun.IDB, jobSeekerID, companyID int64) (int64, error) {
	d, err := s.Eligibility.LastConsideredValid(ctx, idb, jobSeekerID, companyID)
	if err != nil || d == nil {
		return 0, err
	}
	return d.ID, nil
}

// assign records a job seeker's assignment for the candidature domain (application.AssignFunc),
// which does not import the job seeker domain.
// mayEditJobSeeker: the job seeker package's rule of who completes a profile (actors.md §9),
// for the apply tunnels.
func (s *Services) mayEditJobSeeker(ctx context.Context, a actor.Actor, publicID string) (bool, error) {
	j, err := s.JobSeekers.ByPublicID(ctx, a, publicID)
	if k, _ := fault.KindOf(err); k == fault.KindNotFound || k == fault.KindForbidden {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return j.PersonalData, nil
}

func (s *Services) assign(ctx context.Context, tx bun.IDB, jobSeekerID, professionalID int64, o *actor.Organization, kind string, unknownAdvisor bool) error {
	var prescriberOrgID, companyID *int64
	if o != nil {
		id := o.ID
		switch org.Type(o.Type) {
		case org.TypeCompany:
			companyID = &id
		case org.TypePrescriber:
			prescriberOrgID = &id
		}
	}
	return jobseeker.Assign(ctx, tx, jobSeekerID, professionalID, prescriberOrgID, companyID,
		jobseeker.AssignmentKind(kind), unknownAdvisor, s.Applications.Now().UTC())
}
