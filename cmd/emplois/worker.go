package main

import (
	"context"
	"log/slog"
	"time"

	"emplois/internal/app"
	"emplois/internal/approval"
	"emplois/internal/eligibility"
	"emplois/internal/employeerecord"
	"emplois/internal/platform/jobs"
	"emplois/internal/platform/localtime"
	"emplois/internal/platform/mail"
	"emplois/internal/platform/oidc"
	"emplois/internal/platform/ratelimit"
	"emplois/internal/platform/session"
	"emplois/internal/platform/wizard"
	"emplois/internal/search"
)

func init() {
	c := command{
		name:    "worker",
		usage:   "worker",
		summary: "Run only the background worker: mail sending, periodic tasks and queued jobs (for deployments that split web and worker).",
	}
	c.run = func(ctx context.Context, args []string) error {
		if err := newFlagSet(c).Parse(args); err != nil {
			return err
		}
		svc, closeDB, err := openServices(ctx)
		if err != nil {
			return err
		}
		defer closeDB()
		return runWorker(ctx, svc)
	}
	register(c)
}

// Schedules of the periodic tasks.
const (
	// mailPollInterval is the longest a queued mail waits before its first delivery attempt.
	mailPollInterval = 5 * time.Second
	// finishedJobRetention is how long done and failed jobs stay visible for support.
	finishedJobRetention = 30 * 24 * time.Hour
	// rateLimitRetention keeps the counters of the current and the previous minute.
	rateLimitRetention = 2 * time.Minute
	// exchangeCheck is how often the worker looks for a slot of the ASP exchange.
	exchangeCheck = 5 * time.Minute
	// certifyRetryHour is the night hour (Paris) of the retry of uncertified criteria.
	certifyRetryHour = 1
)

// runWorker runs the background worker until ctx ends (SIGTERM), then lets the jobs in hand
// finish. `serve` runs it in-process unless --no-worker; `worker` runs it alone.
func runWorker(ctx context.Context, svc *app.Services) error {
	log := svc.Log
	w, err := newWorker(svc)
	if err != nil {
		// Logged here too: `serve` reads the worker's error only when it shuts down.
		log.Error("background worker not started", "err", err)
		return err
	}
	return w.Run(ctx)
}

// newWorker builds the worker with every job handler and periodic task. Domain packages' job
// handlers are registered here (w.Register(kind, handler)).
func newWorker(svc *app.Services) (*jobs.Worker, error) {
	cfg, d, log := svc.Config, svc.DB, svc.Log
	w := jobs.New(d, jobs.Options{Concurrency: cfg.Workers, Log: log})

	// Mail delivery is a periodic poll of the outbox rather than a job per mail: the outbox row
	// already is the durable queue entry (written by mail.Enqueue in the business transaction),
	// so a second row per mail would only double the writes. Each run claims its own batches
	// (same lease and SKIP LOCKED technique as jobs), so overlapping runs never send twice.
	if cfg.SMTPURL != "" {
		sender, err := mail.NewSender(d, mail.SenderOptions{SMTPURL: cfg.SMTPURL, From: cfg.MailFrom, Log: log})
		if err != nil {
			return nil, err
		}
		w.Every("mail.deliver", mailPollInterval, func(ctx context.Context) error {
			_, err := sender.DeliverDue(ctx)
			return err
		})
		log.Info("mail delivery on", "smtp", sender.Settings().String())
	} else if cfg.Dev {
		log.Info(cfg.MailNotice())
	} else {
		log.Warn(cfg.MailNotice())
	}

	// Retention (actors.md §19).
	w.Every("mail.purge", 24*time.Hour, func(ctx context.Context) error {
		n, err := mail.Purge(ctx, d, time.Now().Add(-mail.Retention))
		if n > 0 {
			log.Info("old mails purged", "count", n)
		}
		return err
	})
	w.Every("session.purge", time.Hour, func(ctx context.Context) error {
		_, err := session.NewStore(d).DeleteExpired(ctx, time.Now())
		return err
	})
	w.Every("account.purge", time.Hour, func(ctx context.Context) error {
		_, err := svc.Accounts.PurgeExpired(ctx)
		return err
	})
	// Fiches de poste and spontaneous applications not refreshed for 90 days (actors.md §19). A
	// daily rule run hourly: it closes things within the hour they turn stale, and a run finds
	// nothing left to do when it has nothing to close.
	w.Every("jobdesc.close_stale", time.Hour, func(ctx context.Context) error {
		res, err := svc.Jobdescs.CloseStale(ctx)
		if res.Fiches+res.Spontaneous > 0 {
			log.Info("stale fiches de poste closed", "fiches", res.Fiches, "spontaneous", res.Spontaneous, "mails", res.Mails)
		}
		return err
	})
	// Candidatures untouched for 60 days are refused (R30, 40 job seekers a run) and, after 180
	// days, archived (R29). Hourly, like the other daily rules.
	w.Every("application.auto_reject", time.Hour, counted(log, "candidatures refused automatically", func(ctx context.Context) (int, error) {
		return svc.Applications.AutoReject(ctx, time.Now())
	}))
	w.Every("application.auto_archive", time.Hour, counted(log, "candidatures archived automatically", func(ctx context.Context) (int, error) {
		return svc.Applications.AutoArchive(ctx, time.Now(), false)
	}))
	// Beyond the original: members are reminded once of each candidature unanswered for
	// EMPLOIS_REMINDER_DAYS, and those who chose it get their weekly digest of new candidatures.
	w.Every("application.reminders", time.Hour, counted(log, "candidatures recalled to their employers", func(ctx context.Context) (int, error) {
		return svc.Applications.SendReminders(ctx, time.Now())
	}))
	w.Every("application.weekly_digest", time.Hour, counted(log, "weekly digests sent", func(ctx context.Context) (int, error) {
		return svc.Applications.SendWeeklyDigests(ctx, time.Now())
	}))
	// Pending PASS IAE prolongation requests are recalled to their prescriber organization on
	// days 10, 20 and 30 (approvals.md §2.11): a daily rule from 05:15 UTC, run hourly.
	w.Every("approval.prolongation_reminders", time.Hour, counted(log, "prolongation requests recalled", func(ctx context.Context) (int, error) {
		return svc.Approvals.SendProlongationReminders(ctx, time.Now())
	}))
	// Fiches salarié (approvals.md §2.15): the nightly archive of those whose PASS is over for
	// good (a selection by dates, so run hourly like the other daily rules), and the hourly
	// sanitizer.
	w.Every("employee_record.archive", time.Hour, counted(log, "fiches salarié archived", svc.EmployeeRecords.Archive))
	w.Every("employee_record.sanitize", time.Hour, func(ctx context.Context) error {
		deleted, unarchived, err := svc.EmployeeRecords.Sanitize(ctx)
		if deleted+unarchived > 0 {
			log.Info("fiches salarié sanitized", "deleted", deleted, "unarchived", unarchived)
		}
		return err
	})
	// The SFTP exchange with the ASP: uploads at :55 and downloads at :25 of the even hours 8–18
	// UTC on weekdays (approvals.md §7), checked every 5 minutes; the demo's ASP every minute.
	if x := svc.ASPExchange; x != nil {
		every, anytime := exchangeCheck, svc.ASPExchangeAnytime
		if anytime {
			every = time.Minute
		}
		w.Every("employee_record.exchange", every, func(ctx context.Context) error {
			now := time.Now()
			return x.Run(ctx, anytime || employeerecord.SlotDue(now, every, employeerecord.UploadMinute),
				anytime || employeerecord.SlotDue(now, every, employeerecord.DownloadMinute))
		})
	} else {
		log.Info("fiches salarié: the exchange with the ASP is off (EMPLOIS_ASP_SFTP_HOST is not set)")
	}
	// The certification of the RSA, AAH and PI criteria by API Particulier and of TH by France
	// Travail (approvals.md §2.5): queued by the diagnoses and the hires, and retried each night
	// for what is still uncertified (a selection by dates, checked hourly, acting at 01:00–02:00
	// Paris time).
	w.Register(eligibility.CertifyJob, svc.Certifier.Handle)
	w.Register(eligibility.CertifyFTJob, svc.Certifier.HandleFT)
	if svc.Certifier.Enabled() || svc.Certifier.FranceTravailEnabled() {
		w.Every("eligibility.certify_retry", time.Hour, func(ctx context.Context) error {
			if time.Now().In(localtime.Paris).Hour() != certifyRetryHour {
				return nil
			}
			n, err := svc.Certifier.ScheduleRetries(ctx)
			if n > 0 {
				log.Info("certifications of criteria queued again", "diagnoses", n)
			}
			return err
		})
	}
	if !svc.Certifier.Enabled() {
		log.Info("eligibility: the certification by API Particulier is off (EMPLOIS_API_PARTICULIER_TOKEN is not set)")
	}
	if !svc.Certifier.FranceTravailEnabled() {
		log.Info("eligibility: the certification of TH by France Travail is off (EMPLOIS_FT_API_BASE_URL is not set)")
	}
	if svc.FranceTravail == nil {
		log.Info("France Travail: the calls to its partner API are off (EMPLOIS_FT_API_BASE_URL is not set)")
	} else {
		// Each PASS IAE told to France Travail (approvals.md §2.13): every 5 minutes, 00:00–21:59 UTC.
		w.Every("approval.ft_notify", 5*time.Minute, func(ctx context.Context) error {
			if !approval.NotifyRunDue(time.Now()) {
				return nil
			}
			n, err := svc.PASSNotifier.Run(ctx)
			if n > 0 {
				log.Info("PASS IAE sent to France Travail", "count", n)
			}
			return err
		})
	}
	// OpenID logins (ProConnect): states expire after 10 minutes; used rows go after 60 days,
	// abandoned ones a day after they expired.
	w.Every("oidc.purge", 24*time.Hour, func(ctx context.Context) error {
		_, err := oidc.PurgeStates(ctx, d, time.Now())
		return err
	})
	// Wizards kept per browser tab (wizard_session: apply tunnels, creation by proxy,
	// prolongation previews) expire; the CVs uploaded in apply tunnels never sent and the
	// report files of previews never validated go with them.
	w.Every("wizard.purge", time.Hour, func(ctx context.Context) error {
		if _, err := svc.Applications.PurgeApplyWizards(ctx, time.Now()); err != nil {
			return err
		}
		if _, err := svc.Approvals.PurgeProlongationDrafts(ctx, time.Now()); err != nil {
			return err
		}
		_, err := wizard.Purge(ctx, d, "", time.Now(), nil)
		return err
	})
	// The search index's change log (internal/search): an hour is kept, an instance that made
	// no search for longer rebuilds its index whole.
	w.Every("search.purge_changes", 10*time.Minute, func(ctx context.Context) error {
		_, err := search.PurgeChanges(ctx, d, time.Now())
		return err
	})
	w.Every("jobs.purge", 24*time.Hour, func(ctx context.Context) error {
		_, err := jobs.PurgeFinished(ctx, d, time.Now().Add(-finishedJobRetention))
		return err
	})
	// Rate-limit counters (search pages, API): only the current minute's window is read, so
	// older ones go; the table stays as small as the number of clients of the last minutes.
	w.Every("ratelimit.purge", 5*time.Minute, func(ctx context.Context) error {
		_, err := ratelimit.Purge(ctx, d, time.Now().Add(-rateLimitRetention))
		return err
	})
	return w, nil
}

// counted is a periodic task that says in the log how many things it did, when it did any.
func counted(log *slog.Logger, message string, run func(ctx context.Context) (int, error)) func(context.Context) error {
	return func(ctx context.Context) error {
		n, err := run(ctx)
		if n > 0 {
			log.Info(message, "count", n)
		}
		return err
	}
}
