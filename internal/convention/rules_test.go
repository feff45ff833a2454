package convention

import (
	"testing"
	"time"

	"emplois/internal/org"
)

func TestKeyStates_PicksTheActiveAnnexElseTheLatestWithAnInclusiveBound(t *testing.T) {
	today := day("2024-07-09")
	annexes := []Annex{
		{ASPID: 1, Kind: org.ACI, State: org.AnnexArchived, EndAt: day("2024-12-31")},
		{ASPID: 1, Kind: org.ACI, State: org.AnnexValid, EndAt: day("2024-09-30")},
		{ASPID: 2, Kind: org.AI, State: org.AnnexArchived, EndAt: day("2024-08-31")},
		{ASPID: 2, Kind: org.AI, State: org.AnnexClosed, EndAt: day("2024-07-31")},
		{ASPID: 3, Kind: org.AI, State: org.AnnexCancelled, EndAt: day("2024-07-31")},
		{ASPID: 4, Kind: org.EI, State: org.AnnexProvisional, EndAt: today}, // ends today: the key is active, the annex is not
	}
	got := KeyStates(annexes, today)
	want := map[Key]KeyState{
		{1, org.ACI}: {true, day("2024-09-30")},
		{2, org.AI}:  {false, day("2024-08-31")},
		{3, org.AI}:  {false, day("2024-07-31")},
		{4, org.EI}:  {true, today},
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%v: %+v, want %+v", k, got[k], w)
		}
	}
	if annexes[5].IsActive(today) {
		t.Error("an annex ending today is active")
	}
}

func TestKindOfMeasure_DropsPrisonAndNonSIAEMeasures(t *testing.T) {
	for code, want := range map[string]org.CompanyKind{"ACI_DC": org.ACI, "EITI_DC": org.EITI, "ETTI": org.ETTI, "ACI_MP": "", "FDI_DC": "", "EA_DC": ""} {
		if k, ok := KindOfMeasure(code); k != want && ok || ok != (want != "") {
			t.Errorf("%s: %s %v", code, k, ok)
		}
	}
}

func TestDedupeAnnexes_KeepsTheActiveThenActiveStateThenLatestLine(t *testing.T) {
	today := day("2022-10-10")
	rows := []Annex{
		{Line: 3, Number: "N1", State: org.AnnexValid, EndAt: day("2022-06-30")},
		{Line: 4, Number: "N1", State: org.AnnexArchived, EndAt: day("2023-06-30")},
		{Line: 5, Number: "N1", State: org.AnnexProvisional, EndAt: day("2023-01-31")},
		{Line: 6, Number: "N2", State: org.AnnexArchived, EndAt: day("2021-01-31")},
		{Line: 7, Number: "N2", State: org.AnnexValid, EndAt: day("2020-01-31")},
	}
	got, err := dedupeAnnexes(rows, today, true)
	if err != nil || len(got) != 2 || got[0].Line != 5 || got[1].Line != 7 {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := dedupeAnnexes(rows[3:4], today, true); err == nil {
		t.Error("a file without any repeated number passes the plausibility check")
	}
}

func TestKeptByReactivation_Protects90DaysFromTheStaffReactivation(t *testing.T) {
	now := time.Date(2024, 7, 9, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { t := now.Add(-d); return &t }
	for _, tc := range []struct {
		at   *time.Time
		want bool
	}{{nil, false}, {at(89 * 24 * time.Hour), true}, {at(ReactivationGuard), true}, {at(ReactivationGuard + time.Second), false}, {at(91 * 24 * time.Hour), false}} {
		if got := KeptByReactivation(tc.at, now); got != tc.want {
			t.Errorf("reactivated at %v: %v", tc.at, got)
		}
	}
}

// Statement 13.
func TestDeactivationsHeld_From200DuringTheFirstHalfOfTheYear(t *testing.T) {
	for _, tc := range []struct {
		n    int
		now  time.Time
		want bool
	}{
		{200, time.Date(2024, 6, 30, 21, 59, 0, 0, time.UTC), true}, // 23:59 in Paris, still June
		{200, time.Date(2024, 6, 30, 22, 0, 0, 0, time.UTC), false}, // July 1st in Paris
		{199, time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC), false},
		{200, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{500, time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC), false},
	} {
		if got := DeactivationsHeld(tc.n, tc.now); got != tc.want {
			t.Errorf("%d at %v: %v", tc.n, tc.now, got)
		}
	}
}

// Statement 12.
func TestDeletable_AnyDataOrAnAntennaKeepsTheCompany(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    DeletionFacts
		want bool
	}{
		{"nothing", DeletionFacts{Source: org.SourceASP, CompaniesOnConvention: 1}, true},
		{"an application", DeletionFacts{Source: org.SourceASP, CompaniesOnConvention: 1, HasApplications: true}, false},
		{"a prolongation request", DeletionFacts{Source: org.SourceUserCreated, HasProlongationRequests: true}, false},
		{"a diagnosis with a PASS", DeletionFacts{Source: org.SourceStaffCreated, HasDiagnosisWithPASS: true}, false},
		{"an ASP company with an antenna", DeletionFacts{Source: org.SourceASP, CompaniesOnConvention: 2}, false},
		{"an antenna beside its ASP company", DeletionFacts{Source: org.SourceUserCreated, CompaniesOnConvention: 2}, true},
	} {
		if got := Deletable(tc.f); got != tc.want {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
}

func TestStaffCreatedExpired_After90Days(t *testing.T) {
	now := time.Date(2024, 7, 9, 12, 0, 0, 0, time.UTC)
	if StaffCreatedExpired(now.Add(-StaffWait+time.Second), now) || !StaffCreatedExpired(now.Add(-StaffWait), now) {
		t.Error("the 90-day bound is wrong")
	}
}

func TestDepartment_CorsicaAndOverseas(t *testing.T) {
	for pc, want := range map[string]string{"20167": "2A", "20000": "2A", "20200": "2B", "20600": "2B", "97200": "972", "98800": "988", "57340": "57", "01000": "01", "": ""} {
		if got := Department(pc); got != want {
			t.Errorf("%s: %s, want %s", pc, got, want)
		}
	}
}

// Statement 9 and the address of asp.md §1.7.
func TestPhoneAndAddressLines(t *testing.T) {
	if Phone("382445400") != "" || Phone("0387864321") != "0387864321" {
		t.Error("phone")
	}
	l1, l2 := AddressLines(&Structure{StreetNum: "17", StreetType: "RUE", StreetName: " LAMARTINE ", Extra1: "BP 8"})
	if l1 != "17 RUE LAMARTINE" || l2 != "BP 8" {
		t.Errorf("%q %q", l1, l2)
	}
	if l1, l2 := AddressLines(&Structure{Extra2: "BAT A", Extra3: "ZI NORD"}); l1 != "BAT A ZI NORD" || l2 != "" {
		t.Errorf("swap: %q %q", l1, l2)
	}
	if !NumericName("12345") || NumericName("ACI 2000") {
		t.Error("numeric name")
	}
}

func TestOnePerPrefix_KeepsTheActiveAnnexElseTheLatestAmendment(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	a := func(number string, state org.AnnexState, end string) org.FinancialAnnex {
		return org.FinancialAnnex{Number: number, State: state, EndAt: day(end)}
	}
	got := OnePerPrefix([]org.FinancialAnnex{
		a("ACI054180019A0M0", org.AnnexValid, "2027-06-30"), // active, although an older amendment
		a("ACI054180019A1M0", org.AnnexArchived, "2027-12-31"),
		a("ACI054180020A1M2", org.AnnexClosed, "2025-12-31"),
		a("ACI054180020A10M0", org.AnnexClosed, "2024-12-31"), // renewal 10 beats 1 (numbers, not text)
		a("ACI054180020A1M9", org.AnnexValid, "2026-12-03"),   // ends today: not active
	}, now)
	if len(got) != 2 || got[0].Number != "ACI054180019A0M0" || !got[0].Active || got[1].Number != "ACI054180020A10M0" {
		t.Fatalf("%+v", got)
	}
	if got[0].Prefix() != "ACI 054 18 0019" || got[1].Suffix() != "A10 M0" || DisplayPrefix("EITI02A250001A0M0") != "EITI 02A 25 0001" {
		t.Errorf("display %q %q", got[0].Prefix(), got[1].Suffix())
	}
}
