package approval

import (
	"context"
	"errors"
	"strings"
	"testing"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func TestOwn_IsTheValidPASSElseTheOneThatEndedLast(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		js := f.jobSeeker()
		holder := actor.Actor{UserID: js, Kind: actor.JobSeeker}
		if a, err := f.svc.Own(ctx, holder); err != nil || a != nil {
			t.Fatalf("no PASS yet: %v %v", a, err)
		}
		old, err := f.issue(js, f.today().AddDate(-5, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		older, err := f.issue(js, f.today().AddDate(-8, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		if a, _ := f.svc.Own(ctx, holder); a == nil || a.ID != old.ID {
			t.Fatalf("want the one that ended last %s, got %v (not %s)", old.Number, a, older.Number)
		}
		valid, err := f.issue(js, f.today())
		if err != nil {
			t.Fatal(err)
		}
		if a, _ := f.svc.Own(ctx, holder); a == nil || a.ID != valid.ID {
			t.Fatalf("want the valid one %s, got %v", valid.Number, a)
		}
		_, employer := f.hired("ACI", f.today())
		if a, err := f.svc.Own(ctx, employer); err != nil || a != nil {
			t.Fatalf("an employer has no own PASS: %v %v", a, err)
		}
	})
}

func TestCertificate_OnlyForTheSIAEThatHiredAndWithoutDiagnosisLine(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a, employer := f.hired("EI", f.today())
		c, err := f.svc.Certificate(ctx, employer, a.PublicID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Title() != "Attestation de délivrance d'agrément pour Julie Martin" || c.Remainder != "730 jours (Environ 2 ans)" {
			t.Fatalf("certificate %q %q", c.Title(), c.Remainder)
		}
		// The fixture's diagnosis has no author: no « réalisé par » line (imported PASS alike).
		if s := c.Statement(); strings.Contains(s, "réalisé par") || !strings.Contains(s, "de la situation de MARTIN Julie") {
			t.Fatalf("statement %q", s)
		}
		if _, err := f.svc.Certificate(ctx, f.company("AI"), a.PublicID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("another SIAE: %v", err)
		}
		if _, err := f.svc.Certificate(ctx, f.company("GEIQ"), a.PublicID); !errors.Is(err, ErrSIAEOnly) {
			t.Fatalf("a GEIQ: %v", err)
		}
		if _, err := f.svc.Certificate(ctx, actor.Actor{UserID: a.UserID, Kind: actor.JobSeeker}, a.PublicID); !errors.Is(err, ErrSIAEOnly) {
			t.Fatalf("the holder: %v", err)
		}
	})
}
