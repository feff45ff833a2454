package approval

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/mail"
)

// hireID is f.hire returning the candidature's id, with the accept transition made by acceptedBy
// (0: none logged).
func (f *fixture) hireID(jobSeeker int64, employer actor.Actor, hiringStart time.Time, approvalID, acceptedBy int64) int64 {
	f.t.Helper()
	f.hire(jobSeeker, employer, hiringStart, f.clk.Now(), approvalID)
	var id int64
	err := f.d.NewSelect().Table("job_application").Column("id").
		Where("job_seeker_id = ? AND to_company_id = ?", jobSeeker, employer.Organization.ID).
		OrderExpr("id DESC").Limit(1).Scan(context.Background(), &id)
	if err != nil {
		f.t.Fatal(err)
	}
	if acceptedBy != 0 {
		f.exec(`INSERT INTO job_application_transition_log (job_application_id, transition, from_state, to_state, user_id, created_at) VALUES (?, 'accept', 'processing', 'accepted', ?, ?)`,
			id, acceptedBy, f.clk.Now())
	}
	return id
}

func (f *fixture) mails() []mail.OutboxMail {
	f.t.Helper()
	var list []mail.OutboxMail
	if err := f.d.NewSelect().Model(&list).OrderExpr("id").Scan(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return list
}

func (f *fixture) inTx(fn func(ctx context.Context, tx bun.Tx) error) {
	f.t.Helper()
	if err := f.d.InTx(context.Background(), fn); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) email(userID int64) string {
	f.t.Helper()
	var e string
	if err := f.d.NewSelect().Table("users").Column("email").Where("id = ?", userID).Scan(context.Background(), &e); err != nil {
		f.t.Fatal(err)
	}
	return e
}

func TestMailDelivery_TellsTheEmployerWhoAcceptedEverythingOfTheCertificate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.svc.WithMail(MailSettings{BaseURL: "https://emplois.example"})
		js := f.jobSeeker()
		a, err := f.issue(js, f.today())
		if err != nil {
			t.Fatal(err)
		}
		employer := f.company("ACI")
		f.exec(`UPDATE company SET brand = 'La Recyclerie', address_line_1 = '3 rue Haute', post_code = '69001', city_name = 'Lyon' WHERE id = ?`, employer.Organization.ID)
		colleague := f.member(employer.Organization.ID, "ACI") // an admin who did not accept
		f.exec(`UPDATE users SET first_name = 'Léa', last_name = 'Durand' WHERE id = ?`, js)
		app := f.hireID(js, employer, f.today(), a.ID, employer.UserID)
		f.inTx(func(ctx context.Context, tx bun.Tx) error { return f.svc.MailDelivery(ctx, tx, app) })

		got := f.mails()
		if len(got) != 1 || got[0].To != f.email(employer.UserID) {
			t.Fatalf("mails: %+v (the colleague %d must not get one)", got, colleague.UserID)
		}
		m := got[0]
		if m.Subject != "PASS IAE pour Léa Durand" {
			t.Errorf("subject %q", m.Subject)
		}
		for _, want := range []string{
			a.DisplayNumber(), "730 jours (Environ 2 ans)", "Date de début : 02/03/2026", "Nom : Durand", "Prénom : Léa",
			"Date de naissance : 17/05/1990", "Date de début du contrat : 02/03/2026", "Date de fin du contrat : Non renseigné",
			"La Recyclerie (ACI)", "3 rue Haute, 69001 Lyon", HelpURL, "https://emplois.example/approvals/details/" + a.PublicID,
		} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("the mail lacks %q:\n%s", want, m.Text)
			}
		}
		var sent *time.Time
		if err := d.NewSelect().Table("job_application").Column("approval_number_sent_at").Where("id = ?", app).Scan(context.Background(), &sent); err != nil {
			t.Fatal(err)
		}
		if sent == nil {
			t.Fatal("approval_number_sent_at not recorded")
		}
	})
}

func TestMailDelivery_GoesToTheAdminsWhenTheAcceptingEmployerLeft(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, employer := f.hired("EI", f.today())
		left := f.member(employer.Organization.ID, "EI")
		f.exec(`UPDATE company_membership SET is_active = FALSE, is_admin = FALSE WHERE user_id = ?`, left.UserID)
		app := f.hireID(a.UserID, employer, f.today(), a.ID, left.UserID)
		f.exec(`UPDATE job_application SET hiring_end_at = ? WHERE id = ?`, time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), app)
		f.inTx(func(ctx context.Context, tx bun.Tx) error { return f.svc.MailDelivery(ctx, tx, app) })
		got := f.mails()
		if len(got) != 1 || got[0].To != f.email(employer.UserID) {
			t.Fatalf("mails: %+v", got)
		}
		if !strings.Contains(got[0].Text, "Date de fin du contrat : 01/03/2027") {
			t.Errorf("contract end missing:\n%s", got[0].Text)
		}
	})
}

func TestMailManualRequest_GoesToSupportOnlyWhenConfigured(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		js := f.jobSeeker()
		employer := f.company("AI")
		app := f.hireID(js, employer, f.today(), 0, employer.UserID)
		f.inTx(func(ctx context.Context, tx bun.Tx) error { return f.svc.MailManualRequest(ctx, tx, app) })
		if got := f.mails(); len(got) != 0 {
			t.Fatalf("no support address, yet mails: %+v", got)
		}
		f.svc.WithMail(MailSettings{BaseURL: "https://emplois.example", Support: "support@example.org"})
		f.inTx(func(ctx context.Context, tx bun.Tx) error { return f.svc.MailManualRequest(ctx, tx, app) })
		got := f.mails()
		if len(got) != 1 || got[0].To != "support@example.org" || got[0].Subject != "PASS IAE à délivrer manuellement" {
			t.Fatalf("mails: %+v", got)
		}
		if !strings.Contains(got[0].Text, "https://emplois.example"+ManualQueuePath) {
			t.Errorf("no link to the queue:\n%s", got[0].Text)
		}
		if strings.Contains(got[0].Text, "Martin") {
			t.Errorf("the support mail names the job seeker:\n%s", got[0].Text)
		}
	})
}

func TestMailManualRefusal_TellsTheEmployer(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		js := f.jobSeeker()
		employer := f.company("ETTI")
		app := f.hireID(js, employer, f.today(), 0, employer.UserID)
		f.inTx(func(ctx context.Context, tx bun.Tx) error { return f.svc.MailManualRefusal(ctx, tx, app) })
		got := f.mails()
		if len(got) != 1 || got[0].To != f.email(employer.UserID) || got[0].Subject != "PASS IAE refusé pour Julie Martin" {
			t.Fatalf("mails: %+v", got)
		}
	})
}

func TestMails_UnknownCandidatureIsNotFound(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		err := f.d.InTx(context.Background(), func(ctx context.Context, tx bun.Tx) error { return f.svc.MailManualRefusal(ctx, tx, 999) })
		if err != ErrNoApplication {
			t.Fatalf("got %v", err)
		}
	})
}
