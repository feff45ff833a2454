package eligibility

import (
	"context"
	"reflect"
	"testing"
	"time"

	"emplois/internal/jobseeker"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func TestPrefill(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // 10:00 in Paris
	checked := func(ago time.Duration) *time.Time { t := now.Add(-ago); return &t }
	born := func(s string) *time.Time { d := day(s); return &d }
	tests := []struct {
		name string
		in   PrefillInput
		want []Kind
	}{
		{"never checked: nothing", PrefillInput{Profile: jobseeker.Profile{ASEExit: true}}, nil},
		{"checked 24 hours ago: nothing", PrefillInput{Profile: jobseeker.Profile{ASEExit: true}, LastCheckedAt: checked(24 * time.Hour)}, nil},
		{"checked 23h59 ago", PrefillInput{Profile: jobseeker.Profile{ASEExit: true}, LastCheckedAt: checked(24*time.Hour - time.Minute)}, []Kind{ASE}},
		{"allocations", PrefillInput{Profile: jobseeker.Profile{RSAAllocationSince: "01", ASSAllocationSince: "02", AAHAllocationSince: "04"},
			LastCheckedAt: checked(time.Hour)}, []Kind{RSA, ASS, AAH}},
		{"FT 12-23 months is DELD", PrefillInput{Profile: jobseeker.Profile{PoleEmploiSince: "03"}, LastCheckedAt: checked(time.Hour)}, []Kind{DELD}},
		{"FT 24 months is DETLD", PrefillInput{Profile: jobseeker.Profile{PoleEmploiSince: "04"}, LastCheckedAt: checked(time.Hour)}, []Kind{DETLD}},
		{"FT 6-11 months: nothing", PrefillInput{Profile: jobseeker.Profile{PoleEmploiSince: "02"}, LastCheckedAt: checked(time.Hour)}, nil},
		{"education 51 is CAP_BEP", PrefillInput{Profile: jobseeker.Profile{EducationLevel: "51"}, LastCheckedAt: checked(time.Hour)}, []Kind{"CAP_BEP"}},
		{"education 41: nothing", PrefillInput{Profile: jobseeker.Profile{EducationLevel: "41"}, LastCheckedAt: checked(time.Hour)}, nil},
		{"50 today is SENIOR", PrefillInput{Profile: jobseeker.Profile{Birthdate: born("1976-03-02")}, LastCheckedAt: checked(time.Hour)}, []Kind{SENIOR}},
		{"50 tomorrow: nothing", PrefillInput{Profile: jobseeker.Profile{Birthdate: born("1976-03-03")}, LastCheckedAt: checked(time.Hour)}, nil},
		{"26 tomorrow is JEUNE", PrefillInput{Profile: jobseeker.Profile{Birthdate: born("2000-03-03")}, LastCheckedAt: checked(time.Hour)}, []Kind{JEUNE}},
		{"26 today: nothing", PrefillInput{Profile: jobseeker.Profile{Birthdate: born("2000-03-02")}, LastCheckedAt: checked(time.Hour)}, nil},
		{"booleans and places", PrefillInput{Profile: jobseeker.Profile{RQTHEmployee: true, IsolatedParent: true, HousingIssue: true,
			Refugee: true, DetentionExitOrPPSMJ: true, LowLevelInFrench: true, MobilityIssue: true}, InZRR: true, InQPV: true,
			LastCheckedAt: checked(time.Hour)}, []Kind{"TH", "PI", "PSH_PR", REFDA, ZRR, QPV, "DETENTION_MJ", "FLE", "PM"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Prefill(tt.in, now); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Prefill = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAgeOn_LeapDayBirthday(t *testing.T) {
	for _, tt := range []struct {
		on   string
		want int
	}{{"2026-02-28", 25}, {"2026-03-01", 26}, {"2028-02-28", 27}, {"2028-02-29", 28}} {
		if got := ageOn(day("2000-02-29"), day(tt.on)); got != tt.want {
			t.Errorf("age on %s = %d, want %d", tt.on, got, tt.want)
		}
	}
}

// The catalog is the seeded one: 18 IAE criteria with their keys, 28 GEIQ ones.
func TestCatalog_Seeded(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		cat, err := NewService(d, nil).Catalog(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(cat.IAE) != 18 || len(cat.GEIQ) != 28 {
			t.Fatalf("%d IAE and %d GEIQ criteria, want 18 and 28", len(cat.IAE), len(cat.GEIQ))
		}
		if got := cat.IAEKeys([]Kind{DELD, RSA}); !reflect.DeepEqual(got, []string{"level_1_1", "level_2_9"}) {
			t.Errorf("IAEKeys = %v", got)
		}
		var informational []Kind
		for _, c := range cat.GEIQ {
			if c.Informational() {
				informational = append(informational, c.Kind)
			}
			if (c.Level == "") != (c.Annex == AnnexNone || c.Annex == Annex1) {
				t.Errorf("GEIQ criterion %s: level %q with annex %q", c.Kind, c.Level, c.Annex)
			}
		}
		if !reflect.DeepEqual(informational, []Kind{"AUTRE_MINIMA", "FT", DELD12}) {
			t.Errorf("informational GEIQ criteria %v", informational)
		}
	})
}
