package approval

import (
	"context"
	"testing"
	"time"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
)

func TestNormalizeNumber_TakesTheSpacedFormAndRefusesOthers(t *testing.T) {
	for _, c := range []struct {
		typed, want string
		ok          bool
	}{
		{"XXXXX 26 00001", "XXXXX2600001", true},
		{" xxxxx2600001 ", "XXXXX2600001", true},
		{"99999-26-00001", "999992600001", true},
		{"XXXXX 26 0000", "XXXXX260000", false},
		{"XXXXX 26 000012", "XXXXX26000012", false},
		{"XXXXX 26 0000é", "", false},
	} {
		got, ok := NormalizeNumber(c.typed)
		if ok != c.ok || (c.ok && got != c.want) {
			t.Errorf("NormalizeNumber(%q) = %q, %v; want %q, %v", c.typed, got, ok, c.want, c.ok)
		}
	}
}

func TestVerify_TellsValidityAndEndOnlyForTheRightBirthDateAndAuditsEveryLookup(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		visitor := actor.Actor{ClientIP: "192.0.2.7"}
		pass, employer := f.hired("ACI", f.today().AddDate(0, -1, 0))
		born := time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC) // the fixture's birth date
		spaced := FormatNumber(pass.Number)

		v, err := f.svc.Verify(ctx, visitor, spaced, &born)
		if err != nil || !v.Found || v.State != StateValid || !v.EndAt.Equal(pass.EndAt) {
			t.Fatalf("right number and birth date: %+v, %v", v, err)
		}
		wrongDay := born.AddDate(0, 0, 1)
		for name, c := range map[string]struct {
			number string
			born   *time.Time
		}{"wrong birth date": {spaced, &wrongDay}, "unknown number": {"XXXXX9999999", &born}} {
			if v, err := f.svc.Verify(ctx, visitor, c.number, c.born); err != nil || v.Found || v.State != "" || !v.EndAt.IsZero() {
				t.Errorf("%s: %+v, %v", name, v, err)
			}
		}

		// Suspended today: « Valide (suspendu) », with the end moved by the suspension.
		if _, err := f.svc.Suspend(ctx, employer, pass.PublicID, SuspensionInput{StartAt: f.today(), EndAt: f.today().AddDate(0, 0, 10),
			Reason: ContractSuspended}); err != nil {
			t.Fatal(err)
		}
		if v, err := f.svc.Verify(ctx, visitor, pass.Number, &born); err != nil || v.State != StateSuspended || !v.EndAt.Equal(pass.EndAt.AddDate(0, 0, 10)) {
			t.Errorf("suspended: %+v, %v", v, err)
		}

		// Bad input: French field errors, no lookup, no audit event.
		before := f.count("audit_event")
		_, err = f.svc.Verify(ctx, visitor, "123", nil)
		if e, ok := fault.As(err); !ok || len(e.Fields) != 2 || e.Fields[0].Message != MsgVerifyNumber || e.Fields[1].Message != MsgVerifyBirthdate {
			t.Errorf("bad input: %v", err)
		}
		if n := f.count("audit_event"); n != before {
			t.Errorf("a refused lookup was audited")
		}
		if n, err := d.NewSelect().Table("audit_event").Where("action = ?", ActionVerified).Count(ctx); err != nil || n != 4 {
			t.Errorf("%d lookups audited (%v), want 4", n, err)
		}
	})
}
