package approval

import (
	"context"
	"testing"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
)

func TestView_PermissionsPerRole(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, employer := f.hired("ACI", f.today())
		now := f.clk.Now()
		following, _ := f.prescriber(true)
		notFollowing, _ := f.prescriber(true)
		orienteur, _ := f.prescriber(false)
		other, _ := f.prescriber(true)
		// The habilitated organization follows this job seeker; the orienteur too, but it is not
		// habilitated; another habilitated one follows someone else (§7).
		for _, p := range []struct {
			who       actor.Actor
			jobSeeker int64
		}{{following, a.UserID}, {orienteur, a.UserID}, {other, f.jobSeeker()}} {
			f.exec(`INSERT INTO job_seeker_assignment (job_seeker_id, professional_id, prescriber_organization_id, last_action_kind, created_at, updated_at) VALUES (?, ?, ?, 'APPLY', ?, ?)`,
				p.jobSeeker, p.who.UserID, p.who.Organization.ID, now, now)
		}
		geiq := f.company("GEIQ")
		f.hire(a.UserID, geiq, f.today(), now, 0)
		opcs := f.company("OPCS")
		f.hire(a.UserID, opcs, f.today(), now, 0)
		stranger, _ := f.user(actor.JobSeeker)
		for _, c := range []struct {
			name string
			who  actor.Actor
			ok   bool
		}{
			{"the job seeker", actor.Actor{UserID: a.UserID, Kind: actor.JobSeeker}, true},
			{"another job seeker", actor.Actor{UserID: stranger, Kind: actor.JobSeeker}, false},
			{"staff", actor.Actor{UserID: stranger, Kind: actor.Staff}, true},
			{"the hiring SIAE", employer, true},
			{"a GEIQ with a candidature", geiq, true},
			{"an OPCS with a candidature", opcs, false},
			{"an SIAE without candidature", f.company("EI"), false},
			{"a habilitated prescriber following the person", following, true},
			{"a habilitated prescriber following nobody", notFollowing, false},
			{"a habilitated prescriber following someone else", other, false},
			{"an orienteur following the person", orienteur, false},
			{"nobody", actor.Actor{}, false},
		} {
			got, err := f.svc.View(context.Background(), c.who, a.PublicID)
			if c.ok && (err != nil || got.ID != a.ID) {
				t.Errorf("%s: %v", c.name, err)
			}
			if k, _ := fault.KindOf(err); !c.ok && k != fault.KindNotFound {
				t.Errorf("%s: %v", c.name, err)
			}
		}
	})
}
