package approval

import (
	"errors"
	"testing"
	"time"

	"emplois/internal/org"
	"emplois/internal/platform/fault"
)

func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestToday_IsTheDayInParis(t *testing.T) {
	for _, c := range []struct {
		now  time.Time
		want string
	}{
		{time.Date(2026, 1, 31, 22, 59, 0, 0, time.UTC), "2026-01-31"}, // 23:59 in Paris (winter)
		{time.Date(2026, 1, 31, 23, 0, 0, 0, time.UTC), "2026-02-01"},  // midnight in Paris
		{time.Date(2026, 6, 30, 21, 59, 0, 0, time.UTC), "2026-06-30"}, // 23:59 in Paris (summer)
		{time.Date(2026, 6, 30, 22, 0, 0, 0, time.UTC), "2026-07-01"},
	} {
		if got := Today(c.now); !got.Equal(d(c.want)) {
			t.Errorf("Today(%s) = %s, want %s", c.now, got, c.want)
		}
	}
}

func TestFormatNumber_Groups5_2_5(t *testing.T) {
	if got := FormatNumber("XXXXX0000001"); got != "XXXXX 00 00001" {
		t.Errorf("got %q", got)
	}
	if got := FormatNumber("short"); got != "short" {
		t.Errorf("a number of another length is left as is, got %q", got)
	}
}

func TestNextNumber_EdgeCases4To7(t *testing.T) {
	for _, c := range []struct {
		name    string
		numbers []string
		want    string
	}{
		{"none yet (4)", nil, "XXXXX0000001"},
		{"after 40 (4)", []string{"XXXXX0000040"}, "XXXXX0000041"},
		{"an FT number is ignored (5)", []string{"XXXXX8888882", "123450000000", "999990000009"}, "XXXXX8888883"},
		{"the highest of both tables (6)", []string{"XXXXX0000002", "XXXXX0000007"}, "XXXXX0000008"},
		{"non-digit sequences are ignored", []string{"XXXXX00000AB", "XXXXX0000003"}, "XXXXX0000004"},
		{"the last one", []string{"XXXXX9999998"}, "XXXXX9999999"},
	} {
		got, err := NextNumber("XXXXX", c.numbers...)
		if err != nil || got != c.want {
			t.Errorf("%s: got %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	if _, err := NextNumber("XXXXX", "XXXXX9999999"); !errors.Is(err, ErrNumbersExhausted) {
		t.Errorf("past 9999999 (7): got %v", err)
	}
}

func TestDefaultEnd_Is730DaysCountedInclusively(t *testing.T) {
	for start, want := range map[string]string{
		"2024-01-01": "2025-12-30", // leap year inside
		"2025-01-01": "2026-12-31",
		"2024-02-29": "2026-02-27",
		"2021-03-25": "2023-03-24",
	} {
		if got := DefaultEnd(d(start)); !got.Equal(d(want)) {
			t.Errorf("DefaultEnd(%s) = %s, want %s", start, got.Format(time.DateOnly), want)
		}
	}
}

func TestStateOn_InTheOrderOfTheSpec(t *testing.T) {
	pass := Period{d("2025-01-10"), d("2026-01-09")}
	sus := []Period{{d("2025-06-01"), d("2025-06-10")}}
	for _, c := range []struct {
		today string
		want  State
		label string
	}{
		{"2025-01-09", StateFuture, "Valide (non démarré)"},
		{"2025-01-10", StateValid, "Valide"},
		{"2025-05-31", StateValid, "Valide"},
		{"2025-06-01", StateSuspended, "Valide (suspendu)"},
		{"2025-06-10", StateSuspended, "Valide (suspendu)"},
		{"2025-06-11", StateValid, "Valide"},
		{"2026-01-09", StateValid, "Valide"},
		{"2026-01-10", StateExpired, "Expiré"},
	} {
		got := StateOn(pass, sus, d(c.today))
		if got != c.want || got.Label() != c.label {
			t.Errorf("%s: %s %q, want %s %q", c.today, got, got.Label(), c.want, c.label)
		}
	}
}

func TestValidity_EdgeCases1To3(t *testing.T) {
	today := d("2026-03-02")
	for _, c := range []struct {
		name               string
		start, end         string
		valid, inWaiting   bool
		inProgress, latest bool
	}{
		{"ends today (1)", "2024-03-03", "2026-03-02", true, false, true, true},
		{"ended yesterday (1)", "2024-03-02", "2026-03-01", false, true, false, true},
		{"ended 2 years ago exactly", "2022-03-03", "2024-03-02", false, true, false, true},
		{"ended 2 years and 1 day ago (2)", "2022-03-02", "2024-03-01", false, false, false, false},
		{"starts tomorrow (3)", "2026-03-03", "2028-03-01", true, false, false, true},
	} {
		p := Period{d(c.start), d(c.end)}
		if got := IsValid(p.End, today); got != c.valid {
			t.Errorf("%s: valid %v", c.name, got)
		}
		if got := InWaitingPeriod(p.End, today); got != c.inWaiting {
			t.Errorf("%s: in waiting period %v", c.name, got)
		}
		if got := InProgress(p, today); got != c.inProgress {
			t.Errorf("%s: in progress %v", c.name, got)
		}
		if got := Latest([]*Approval{{ID: 1, StartAt: p.Start, EndAt: p.End}}, today) != nil; got != c.latest {
			t.Errorf("%s: latest %v", c.name, got)
		}
	}
	if !WaitingPeriodEnd(d("2000-01-01")).Equal(d("2002-01-01")) {
		t.Error("the waiting period of a PASS ending 2000-01-01 ends 2002-01-01")
	}
	if !WaitingPeriodEnd(d("2024-02-29")).Equal(d("2026-03-01")) {
		t.Errorf("leap day: %s", WaitingPeriodEnd(d("2024-02-29")))
	}
}

func TestLatest_TakesTheNewestValidElseTheLastEnded(t *testing.T) {
	today := d("2026-03-02")
	at := func(h int) time.Time { return time.Date(2025, 1, 1, h, 0, 0, 0, time.UTC) }
	old := &Approval{ID: 1, StartAt: d("2023-01-01"), EndAt: d("2024-12-31"), CreatedAt: at(1)}
	sameEndLaterStart := &Approval{ID: 2, StartAt: d("2023-06-01"), EndAt: d("2024-12-31"), CreatedAt: at(2)}
	validA := &Approval{ID: 3, StartAt: d("2025-01-01"), EndAt: d("2026-12-31"), CreatedAt: at(3)}
	validB := &Approval{ID: 4, StartAt: d("2026-04-01"), EndAt: d("2028-03-30"), CreatedAt: at(4)}
	if got := Latest([]*Approval{old, validA, validB}, today); got != validB {
		t.Errorf("newest created valid: got %v", got.ID)
	}
	if got := Latest([]*Approval{sameEndLaterStart, old}, today); got != old {
		t.Errorf("same end: the earliest start wins, got %v", got.ID)
	}
	if got := Latest(nil, today); got != nil {
		t.Error("none")
	}
}

func TestBlockedByWaitingPeriod_NeedsAllFourConditions(t *testing.T) {
	blocked := Hiring{LatestInWaitingPeriod: true, CompanyIsSIAE: true}
	if !BlockedByWaitingPeriod(blocked) {
		t.Fatal("a PASS in its waiting period blocks an SIAE hire by the job seeker alone")
	}
	for name, h := range map[string]Hiring{
		"no waiting period":          {CompanyIsSIAE: true},
		"GEIQ":                       {LatestInWaitingPeriod: true},
		"sent by a habilitated":      {LatestInWaitingPeriod: true, CompanyIsSIAE: true, SentByAuthorizedPrescriber: true},
		"valid prescriber diagnosis": {LatestInWaitingPeriod: true, CompanyIsSIAE: true, ValidPrescriberDiagnosis: true},
	} {
		if BlockedByWaitingPeriod(h) {
			t.Errorf("%s: blocked", name)
		}
	}
}

func TestRemainder_EdgeCase14(t *testing.T) {
	today := d("2022-11-22")
	pass := Period{d("2021-03-25"), d("2023-03-24")}
	if got := Remainder(pass, nil, today); got != 123 {
		t.Fatalf("remainder %d, want 123", got)
	}
	if got := RemainderDisplay(123); got != "123 jours (Environ 4 mois)" {
		t.Errorf("display %q", got)
	}
	// Prolongations of +4, +5 and +30 days move the end.
	pass.End = addDays(pass.End, 4+5+30)
	if got := Remainder(pass, nil, today); got != 162 {
		t.Fatalf("with prolongations %d, want 162", got)
	}
	// A past 5-day suspension and an ongoing 30-day one with 10 days left: the PASS end moved
	// by both deltas, the ongoing one's remaining days are taken off.
	past := Period{d("2022-01-10"), d("2022-01-15")}
	ongoing := Period{addDays(today, -21), addDays(today, 9)} // end − start = 30, 10 days left
	pass.End = addDays(pass.End, daysBetween(past.Start, past.End)+daysBetween(ongoing.Start, ongoing.End))
	if got := Remainder(pass, []Period{past, ongoing}, today); got != 187 {
		t.Errorf("with suspensions %d, want 187", got)
	}
}

func TestEstimate_EdgeCase15(t *testing.T) {
	for days, want := range map[int]string{
		0: "0 jour", 1: "1 jour", 6: "6 jours", 7: "1 semaine", 14: "2 semaines", 15: "2 semaines et 1 jour",
		29: "4 semaines et 1 jour", 30: "Environ 1 mois", 123: "Environ 4 mois", 375: "Environ 1 an",
		730: "Environ 2 ans", 500: "Environ 1 an et 4 mois",
	} {
		if got := Estimate(days); got != want {
			t.Errorf("Estimate(%d) = %q, want %q", days, got, want)
		}
	}
	for days, want := range map[int]string{6: "6 jours", 1: "1 jour", 7: "7 jours (1 semaine)"} {
		if got := RemainderDisplay(days); got != want {
			t.Errorf("RemainderDisplay(%d) = %q, want %q", days, got, want)
		}
	}
}

func TestEstimatedEnd_EdgeCase16(t *testing.T) {
	pass := Period{d("2021-07-26"), d("2023-07-25")}
	for _, today := range []string{"2021-01-01", "2021-07-26", "2022-05-05", "2023-07-25", "2023-07-26", "2025-01-01"} {
		if got := EstimatedEnd(pass, nil, d(today)); !got.Equal(pass.End) {
			t.Errorf("today %s: %s", today, got.Format(time.DateOnly))
		}
	}
	// An ongoing suspension pushes the estimate back by its remaining days.
	sus := []Period{{d("2022-05-01"), d("2022-05-10")}}
	long := Period{pass.Start, addDays(pass.End, 9)}
	if got := EstimatedEnd(long, sus, d("2022-05-05")); !got.Equal(addDays(pass.End, 3)) {
		t.Errorf("suspended: %s", got.Format(time.DateOnly))
	}
}

func TestSuspensionReasonsFor_EdgeCase38(t *testing.T) {
	for kind, n := range map[org.CompanyKind]int{org.ACI: 5, org.EI: 5, org.AI: 4, org.ETTI: 4, org.EITI: 4} {
		rs := SuspensionReasonsFor(kind)
		if len(rs) != n {
			t.Errorf("%s: %d reasons", kind, len(rs))
		}
		if n == 5 && rs[4] != ContratPasserelle {
			t.Errorf("%s: CONTRAT_PASSERELLE last, got %v", kind, rs)
		}
		for _, r := range rs {
			if r.Label() == string(r) || !r.Liftable() {
				t.Errorf("%s has no label or is not liftable", r)
			}
		}
	}
	for _, r := range []SuspensionReason{Sickness, Maternity, Incarceration, TrialOutsideIAE, Detoxification, ForceMajeure} {
		if r.Liftable() || r.Label() == string(r) {
			t.Errorf("legacy %s", r)
		}
	}
}

func TestSuspensionMaxEnd_Is36MonthsMinusOneDay(t *testing.T) {
	for start, want := range map[string]string{
		"2024-01-15": "2027-01-14",
		"2024-02-29": "2027-02-27", // relativedelta: 2027-02-28, minus one day
		"2024-03-31": "2027-03-30",
	} {
		if got := SuspensionMaxEnd(d(start)); !got.Equal(d(want)) {
			t.Errorf("%s → %s, want %s", start, got.Format(time.DateOnly), want)
		}
	}
}

func TestSuspensionMinStart_EdgeCase36(t *testing.T) {
	today := d("2026-03-02")
	tenDaysAgo := addDays(today, -10)
	longAgo := d("2020-01-01")
	previous := addDays(today, -5)
	for _, c := range []struct {
		name           string
		hire, previous *time.Time
		want           time.Time
	}{
		{"hired today", &today, nil, today},
		{"hired 10 days ago", &tenDaysAgo, nil, tenDaysAgo},
		{"unknown hire", nil, nil, addDays(today, -365)},
		{"hired long ago: 365 days back at most", &longAgo, nil, addDays(today, -365)},
		{"an earlier suspension ended since the hire", &tenDaysAgo, &previous, addDays(previous, 1)},
		{"a suspension ended before the hire", &tenDaysAgo, &longAgo, tenDaysAgo},
	} {
		if got := SuspensionMinStart(c.hire, c.previous, today); !got.Equal(c.want) {
			t.Errorf("%s: %s, want %s", c.name, got.Format(time.DateOnly), c.want.Format(time.DateOnly))
		}
	}
}

func TestCheckSuspension_EdgeCases32And33(t *testing.T) {
	today := d("2026-03-02")
	pass := Period{d("2025-03-02"), d("2027-03-01")}
	min := addDays(today, -365)
	ok := func(start, end time.Time) SuspensionInput {
		return SuspensionInput{StartAt: start, EndAt: end, Reason: ContractSuspended}
	}
	for _, c := range []struct {
		name  string
		in    SuspensionInput
		pass  Period
		field string
	}{
		{"from today", ok(today, addDays(today, 10)), pass, ""},
		{"a single day", ok(today, today), pass, ""},
		{"starts tomorrow (32)", ok(addDays(today, 1), addDays(today, 10)), pass, fieldStart},
		{"starts 365 days back", ok(addDays(today, -365), today), Period{d("2024-01-01"), d("2027-01-01")}, ""},
		{"starts 366 days back (32)", ok(addDays(today, -366), today), Period{d("2024-01-01"), d("2027-01-01")}, fieldStart},
		{"ends before it starts (32)", ok(today, addDays(today, -1)), pass, fieldEnd},
		{"on the PASS start (33)", ok(pass.Start, today), pass, ""},
		{"the day before the PASS start (33)", ok(addDays(pass.Start, -1), today), pass, fieldStart},
		{"on the PASS end (33)", ok(today, addDays(today, 3)), Period{d("2024-03-03"), today}, ""},
		{"the day after the PASS end (33)", ok(today, addDays(today, 3)), Period{d("2024-03-03"), addDays(today, -1)}, fieldStart},
		{"36 months", ok(today, SuspensionMaxEnd(today)), pass, ""},
		{"36 months and a day", ok(today, addDays(SuspensionMaxEnd(today), 1)), pass, fieldEnd},
		{"a legacy reason", SuspensionInput{StartAt: today, EndAt: today, Reason: Sickness}, pass, fieldReason},
		{"passerelle for an AI", SuspensionInput{StartAt: today, EndAt: today, Reason: ContratPasserelle}, pass, fieldReason},
	} {
		err := CheckSuspension(c.in, org.AI, c.pass, min, today, nil)
		if c.field == "" && err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if c.field != "" && !fault.FieldsOf(err).Has(c.field) {
			t.Errorf("%s: want an error on %s, got %v", c.name, c.field, err)
		}
	}
}

func TestCheckSuspension_NoOverlapEdgeCase34(t *testing.T) {
	today := d("2026-03-02")
	pass := Period{d("2025-03-02"), d("2027-03-01")}
	other := []Period{{d("2026-01-01"), d("2026-01-31")}}
	in := SuspensionInput{StartAt: d("2026-01-31"), EndAt: today, Reason: ContractBroken}
	if err := CheckSuspension(in, org.ACI, pass, d("2025-03-02"), today, other); !fault.FieldsOf(err).Has("") {
		t.Errorf("sharing a day overlaps: %v", err)
	}
	in.StartAt = d("2026-02-01")
	if err := CheckSuspension(in, org.ACI, pass, d("2025-03-02"), today, other); err != nil {
		t.Errorf("back-to-back: %v", err)
	}
}

func TestEndOnReturn_EdgeCase39(t *testing.T) {
	s := Period{d("2026-03-01"), d("2026-03-20")}
	for back, ok := range map[string]bool{"2026-03-01": false, "2026-03-02": true, "2026-03-19": true, "2026-03-20": false} {
		end, err := EndOnReturn(s, d(back))
		if ok != (err == nil) {
			t.Errorf("back %s: %v", back, err)
		}
		if ok && !end.Equal(addDays(d(back), -1)) {
			t.Errorf("back %s: end %s", back, end)
		}
	}
	if got := ProposedReturn(s, d("2026-03-01")); !got.Equal(d("2026-03-02")) {
		t.Errorf("started today: %s", got)
	}
	if got := ProposedReturn(s, d("2026-03-05")); !got.Equal(d("2026-03-05")) {
		t.Errorf("started before: %s", got)
	}
}

func TestLiftOnHire_EdgeCase37(t *testing.T) {
	s := Period{d("2026-02-10"), d("2026-08-10")}
	for _, r := range SuspensionReasonsFor(org.ACI) {
		if lift, end := LiftOnHire(r, s, d("2026-03-02")); lift != LiftEnd || !end.Equal(d("2026-03-01")) {
			t.Errorf("%s: %v %s", r, lift, end)
		}
		if lift, _ := LiftOnHire(r, s, s.Start); lift != LiftDelete {
			t.Errorf("%s on its first day: %v", r, lift)
		}
		if lift, _ := LiftOnHire(r, s, addDays(s.End, 1)); lift != LiftNone {
			t.Errorf("%s after its end: %v", r, lift)
		}
	}
	if lift, _ := LiftOnHire(Sickness, s, d("2026-03-02")); lift != LiftNone {
		t.Errorf("legacy reason: %v", lift)
	}
}

func TestOpenToProlongation_EdgeCase17(t *testing.T) {
	end := d("2025-12-30")
	for today, want := range map[string]bool{
		"2024-12-29": false, "2024-12-30": true, "2026-06-30": true, "2026-07-01": false,
	} {
		if got := OpenToProlongation(end, d(today)); got != want {
			t.Errorf("today %s: %v", today, got)
		}
	}
	// Month ends: end 2025-08-31 − 12 months = 2024-08-31; + 6 months = 2026-02-28.
	end = d("2025-08-31")
	for today, want := range map[string]bool{"2024-08-30": false, "2024-08-31": true, "2026-02-28": true, "2026-03-01": false} {
		if got := OpenToProlongation(end, d(today)); got != want {
			t.Errorf("month end, today %s: %v", today, got)
		}
	}
}

func TestProlongationMaxEnd_ReferenceValuesFrom20210201(t *testing.T) {
	start := d("2021-02-01")
	for reason, want := range map[ProlongationReason][2]string{
		SeniorCDI:              {"2031-01-30", "2031-01-30"},
		CompleteTraining:       {"2022-02-01", "2022-02-01"},
		RQTH:                   {"2024-02-01", "2022-02-01"},
		ParticularDifficulties: {"2024-02-01", "2022-02-01"},
		Senior:                 {"2026-01-31", "2022-02-01"},
	} {
		if got := CapMaxEnd(reason, start, 0); !got.Equal(d(want[0])) {
			t.Errorf("%s cap: %s, want %s", reason, got.Format(time.DateOnly), want[0])
		}
		if got := ProlongationMaxEnd(reason, start, 0); !got.Equal(d(want[1])) {
			t.Errorf("%s per declaration: %s, want %s", reason, got.Format(time.DateOnly), want[1])
		}
	}
}

func TestCheckProlongation_EdgeCases20To25(t *testing.T) {
	start := d("2026-03-02")
	in := func(reason ProlongationReason, days int) ProlongationInput {
		return ProlongationInput{Reason: reason, EndAt: addDays(start, days)}
	}
	type row struct {
		name  string
		in    ProlongationInput
		kind  org.CompanyKind
		used  int
		field string
	}
	rows := []row{
		{"end = start (20)", in(CompleteTraining, 0), org.EI, 0, fieldEnd},
		{"end < start (20)", in(CompleteTraining, -1), org.EI, 0, fieldEnd},
		{"one day", in(CompleteTraining, 1), org.EI, 0, ""},
		{"PARTICULAR_DIFFICULTIES by an AI (22)", in(ParticularDifficulties, 30), org.AI, 0, ""},
		{"PARTICULAR_DIFFICULTIES by an ACI (22)", in(ParticularDifficulties, 30), org.ACI, 0, ""},
		{"HEALTH_CONTEXT is retired", in(HealthContext, 30), org.ACI, 0, fieldReason},
		{"report file with COMPLETE_TRAINING (24)", ProlongationInput{Reason: CompleteTraining, EndAt: addDays(start, 1), ReportFileKey: "k"}, org.AI, 0, "report_file"},
		{"report file with SENIOR_CDI (24)", ProlongationInput{Reason: SeniorCDI, EndAt: addDays(start, 1), ReportFileKey: "k"}, org.AI, 0, "report_file"},
		{"report file with RQTH (24)", ProlongationInput{Reason: RQTH, EndAt: addDays(start, 1), ReportFileKey: "k"}, org.AI, 0, ""},
		{"report file from an ACI (§2.11: AI only)", ProlongationInput{Reason: RQTH, EndAt: addDays(start, 1), ReportFileKey: "k"}, org.ACI, 0, "report_file"},
		{"phone interview without phone (25)", ProlongationInput{Reason: Senior, EndAt: addDays(start, 1), RequirePhoneInterview: true, ContactEmail: "a@b.fr"}, org.AI, 0, "contact_email"},
		{"phone interview complete (25)", ProlongationInput{Reason: Senior, EndAt: addDays(start, 1), RequirePhoneInterview: true, ContactEmail: "a@b.fr", ContactPhone: "0601020304"}, org.AI, 0, ""},
		{"contact with SENIOR_CDI (25)", ProlongationInput{Reason: SeniorCDI, EndAt: addDays(start, 1), ContactPhone: "0601020304"}, org.AI, 0, "contact_email"},
		{"cap used up (26)", in(ParticularDifficulties, 1), org.AI, 1095, fieldReason},
		{"cap nearly used up", in(ParticularDifficulties, 5), org.AI, 1090, ""},
		{"beyond the rest of the cap", in(ParticularDifficulties, 6), org.AI, 1090, fieldEnd},
		{"SENIOR still open after 1095 days (scenario 21)", in(Senior, 365), org.AI, 1095, ""},
	}
	for _, k := range []org.CompanyKind{org.EI, org.EITI, org.ETTI, org.GEIQ, org.EA} {
		rows = append(rows, row{"PARTICULAR_DIFFICULTIES by " + string(k) + " (22)", in(ParticularDifficulties, 30), k, 0, fieldReason})
	}
	for _, r := range []ProlongationReason{SeniorCDI, CompleteTraining, RQTH, Senior, ParticularDifficulties} {
		rule := ProlongationRules[r]
		rows = append(rows, row{string(r) + " at its maximum", in(r, rule.MaxDays), org.AI, 0, ""},
			row{string(r) + " a day too long (21)", in(r, rule.MaxDays+1), org.AI, 0, fieldEnd})
		if rule.CapDays > 0 {
			used := rule.CapDays - 10
			rows = append(rows, row{string(r) + " a day past its cap (21)", in(r, 11), org.AI, used, fieldEnd})
		}
	}
	for _, c := range rows {
		err := CheckProlongation(c.in, c.kind, start, c.used)
		if c.field == "" && err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if c.field != "" && !fault.FieldsOf(err).Has(c.field) {
			t.Errorf("%s: want an error on %s, got %v", c.name, c.field, err)
		}
	}
}

func TestCheckDeny(t *testing.T) {
	for _, c := range []struct {
		name string
		in   DenyInput
		ok   bool
	}{
		{"IAE with actions", DenyInput{Reason: DenyIAE, ReasonExplanation: "x", ProposedActions: []ProposedAction{ActionExitIAE}, ProposedActionsExplanation: "y"}, true},
		{"IAE without actions", DenyInput{Reason: DenyIAE, ReasonExplanation: "x", ProposedActionsExplanation: "y"}, false},
		{"IAE without actions' explanation", DenyInput{Reason: DenyIAE, ReasonExplanation: "x", ProposedActions: []ProposedAction{ActionOther}}, false},
		{"DURATION", DenyInput{Reason: DenyDuration, ReasonExplanation: "x"}, true},
		{"DURATION with actions", DenyInput{Reason: DenyDuration, ReasonExplanation: "x", ProposedActions: []ProposedAction{ActionOther}}, false},
		{"no explanation", DenyInput{Reason: DenySIAE}, false},
		{"no reason", DenyInput{ReasonExplanation: "x"}, false},
	} {
		if err := CheckDeny(c.in); (err == nil) != c.ok {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestProlongationReasonsFor_Scenarios20And21(t *testing.T) {
	offered := func(kind org.CompanyKind, used int) map[ProlongationReason]bool {
		m := map[ProlongationReason]bool{}
		for _, c := range ProlongationReasonsFor(kind, used) {
			m[c.Reason] = !c.Disabled
		}
		return m
	}
	ei := offered(org.EI, 0)
	if _, ok := ei[ParticularDifficulties]; ok || len(ei) != 4 {
		t.Errorf("EI: %v", ei)
	}
	if ai := offered(org.AI, 0); !ai[ParticularDifficulties] || len(ai) != 5 {
		t.Errorf("AI: %v", ai)
	}
	full := offered(org.AI, 1095)
	if full[RQTH] || full[ParticularDifficulties] || !full[Senior] || !full[CompleteTraining] || !full[SeniorCDI] {
		t.Errorf("1095 days used: %v", full)
	}
	// 3 years + 10 days of COMPLETE_TRAINING disable RQTH but not SENIOR (§2.11).
	if m := offered(org.ACI, 3*365+10); m[RQTH] || !m[Senior] {
		t.Errorf("3 years and 10 days: %v", m)
	}
	if _, ok := offered(org.GEIQ, 0)[SeniorCDI]; ok {
		t.Error("a GEIQ is offered nothing")
	}
}
