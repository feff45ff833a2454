package application

import (
	"context"
	"testing"
	"time"

	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// setState forces a candidature's state and last update, as time and employers would have.
func (f *fixture) setState(app *Application, s State, updated time.Time) {
	f.t.Helper()
	q := f.d.NewUpdate().Table("job_application").Set("state = ?", s).Set("updated_at = ?", updated).Where("id = ?", app.ID)
	if s.IsProcessed() {
		q = q.Set("processed_at = ?", updated)
	}
	if _, err := q.Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

func TestScenario29_AutoRejectRefusesNewAndProcessingAfter60DaysAndMailsOnlyTheJobSeeker(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(org.ACI, spontaneousOpen())
		f.employer(co)
		var apps []*Application
		for _, s := range []State{New, Processing, Postponed, New} {
			js, _ := f.jobSeeker()
			app := f.submit(f.prescriber(true), js, co)
			f.setState(app, s, f.clk.Now())
			apps = append(apps, app)
		}
		f.clk.Advance(61 * 24 * time.Hour)
		f.setState(apps[3], New, f.clk.Now().Add(-time.Hour)) // touched recently
		f.clearMails()
		n, err := f.svc.AutoReject(context.Background(), f.clk.Now())
		if err != nil || n != 2 {
			t.Fatalf("%d refused, %v", n, err)
		}
		for i, want := range []State{Refused, Refused, Postponed, New} {
			got := f.reload(apps[i].PublicID)
			if got.State != want || (want == Refused && (got.RefusalReason != ReasonAuto || !got.RefusalReasonShared)) {
				t.Errorf("%d: %s %s", i, got.State, got.RefusalReason)
			}
		}
		m := f.mails()
		if len(m) != 2 || m[0].Subject != "Candidature déclinée" || m[1].Subject != "Candidature déclinée" {
			t.Errorf("mails %v", m)
		}
		withUser, err := f.d.NewSelect().Table("job_application_transition_log").Where("transition = 'refuse'").
			Where("user_id IS NOT NULL").Count(context.Background())
		if err != nil || withUser != 0 {
			t.Errorf("the automatic refusal has a user (%d, %v)", withUser, err)
		}
	})
}

func TestScenario30_AutoArchiveArchivesExactlyTheArchivableStatesAfter180Days(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(org.ACI, spontaneousOpen())
		f.employer(co)
		old := f.clk.Now()
		apps := map[State]*Application{}
		for _, s := range States {
			js, jsa := f.jobSeeker()
			app := f.submit(jsa, js, co)
			f.setState(app, s, old)
			apps[s] = app
		}
		now := old.Add(181 * 24 * time.Hour)
		if n, _ := f.svc.AutoArchive(context.Background(), now, true); n != 6 {
			t.Errorf("dry run counts %d", n)
		}
		if f.reload(apps[New].PublicID).IsArchived() {
			t.Error("the dry run archived")
		}
		n, err := f.svc.AutoArchive(context.Background(), now, false)
		if err != nil || n != 6 {
			t.Fatalf("%d archived, %v", n, err)
		}
		for s, app := range apps {
			got := f.reload(app.PublicID)
			if got.IsArchived() != s.In(ArchivableAuto) || got.ArchivedByID != nil || !got.UpdatedAt.Equal(old) {
				t.Errorf("%s: archived %v, updated %s", s, got.IsArchived(), got.UpdatedAt)
			}
		}
	})
}
