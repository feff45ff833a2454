package employeerecord

import (
	"testing"
	"time"

	"emplois/internal/org"
)

func TestEligibleKind_OnlyTheFiveSIAEKinds(t *testing.T) {
	for k, want := range map[org.CompanyKind]bool{org.AI: true, org.ACI: true, org.EI: true, org.EITI: true, org.ETTI: true,
		org.GEIQ: false, org.EA: false, org.EATT: false, org.OPCS: false} {
		if got := EligibleKind(k); got != want {
			t.Errorf("%s: %v, want %v", k, got, want)
		}
	}
	if !StartDayOf(org.EITI).Equal(EITIStartDay) || !StartDayOf(org.ACI).Equal(StartDay) {
		t.Error("start days")
	}
}

func TestNTT_NeededWithoutNIROrForANIAAndCheckedByItsPattern(t *testing.T) {
	for nir, want := range map[string]bool{"": true, "785056912345678": true, "885056912345678": true, "185056912345678": false, "285056912345678": false} {
		if got := NeedsNTT(nir); got != want {
			t.Errorf("NeedsNTT(%q) = %v", nir, got)
		}
	}
	for ntt, ok := range map[string]bool{
		"1234567890A": true, "2234567890" + "123456789012345678901234567890": true,
		"3234567890A": false, "123456789A": false, "1234567890": false, "1234567890A-B": false,
		"1234567890" + "1234567890123456789012345678901": false, // 31 characters after the 10 digits
	} {
		if got := NTTProblem(ntt) == ""; got != ok {
			t.Errorf("NTTProblem(%q) accepted = %v, want %v", ntt, got, ok)
		}
	}
}

func TestAddressProblems_AllOrNothing(t *testing.T) {
	full := Address{LaneNumber: "12", StdExtension: "B", LaneType: "RUE", LaneName: "DE LA PAIX", PostCode: "75002", CommuneCode: "75102"}
	if p := AddressProblems(full); p != nil {
		t.Errorf("full address: %v", p)
	}
	if p := AddressProblems(Address{}); p != nil {
		t.Errorf("empty address: %v", p)
	}
	half := Address{LaneType: "RUE", LaneName: "DE LA PAIX"}
	p := AddressProblems(half)
	if p["hexa_post_code"] == "" || p["hexa_commune"] == "" || len(p) != 2 {
		t.Errorf("half address: %v", p)
	}
	bad := full
	bad.LaneNumber, bad.PostCode = "12B", "7500"
	if p := AddressProblems(bad); p["hexa_lane_number"] == "" || p["hexa_post_code"] == "" {
		t.Errorf("bad number and post code: %v", p)
	}
}

func TestOutcome_TheASPCodes(t *testing.T) {
	for _, tc := range []struct {
		code      string
		to        TransitionName
		duplicate bool
		notif     NotificationStatus
	}{
		{"0000", TProcess, false, NotificationProcessed},
		{"3436", TProcess, true, NotificationRejected},
		{"3437", TReject, false, NotificationRejected},
		{"3308", TReject, false, NotificationRejected},
	} {
		to, dup := Outcome(tc.code)
		if to != tc.to || dup != tc.duplicate || NotificationOutcome(tc.code) != tc.notif {
			t.Errorf("%s: %s %v %s", tc.code, to, dup, NotificationOutcome(tc.code))
		}
	}
}

func TestUnarchiveTo_FollowsTheLastCodeFamily(t *testing.T) {
	for code, want := range map[string]TransitionName{"": TUnarchiveNew, "0000": TUnarchiveProcessed, "3436": TUnarchiveProcessed,
		"3201": TUnarchiveRejected, "3308": TUnarchiveRejected, "3437": TUnarchiveRejected, "3101": "", "3501": "", "9999": ""} {
		got, ok := UnarchiveTo(code)
		if got != want || ok != (want != "") {
			t.Errorf("%q: %q %v, want %q", code, got, ok, want)
		}
	}
}

func TestArchiveCandidate_AtTheEdgesOfSixAndOneMonths(t *testing.T) {
	today := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	sixAgo, oneAgo := time.Date(2026, 6, 3, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name             string
		valid            bool
		created, updated time.Time
		want             bool
	}{
		{"day before both limits", false, sixAgo.AddDate(0, 0, -1), oneAgo.AddDate(0, 0, -1), true},
		{"created exactly 6 months ago", false, sixAgo, oneAgo.AddDate(0, 0, -1), false},
		{"updated exactly 1 month ago", false, sixAgo.AddDate(0, 0, -1), oneAgo, false},
		{"PASS still valid", true, sixAgo.AddDate(-1, 0, 0), oneAgo.AddDate(0, -3, 0), false},
	} {
		if got := ArchiveCandidate(tc.valid, tc.created, tc.updated, today); got != tc.want {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
}

func TestBatchNames_UploadAndFeedback(t *testing.T) {
	name := BatchFileName(time.Date(2021, 9, 27, 0, 0, 0, 0, time.UTC))
	if name != "RIAE_FS_20210927000000.json" || len(name) != 27 {
		t.Fatalf("batch name %q", name)
	}
	if got, err := BatchOfFeedback("RIAE_FS_20210927000000_FichierRetour.json"); err != nil || got != name {
		t.Errorf("feedback: %q %v", got, err)
	}
	for _, bad := range []string{"RIAE_FS_20210927000000.json", "RIAE_FS_20210927000000_FichierRetour.json.bak",
		"RIAE_FS_2021_FichierRetour.json", "EA2_20210927_FichierRetour.json"} {
		if _, err := BatchOfFeedback(bad); err == nil {
			t.Errorf("%q accepted as a feedback name", bad)
		}
	}
}

func TestSlotDue_WeekdaysAtTheMinuteOfEvenHoursFrom8To18(t *testing.T) {
	thursday := func(h, m int) time.Time { return time.Date(2026, 12, 3, h, m, 0, 0, time.UTC) }
	every := 5 * time.Minute
	for _, tc := range []struct {
		now  time.Time
		want bool
	}{
		{thursday(8, 55), true},
		{thursday(8, 59), true},
		{thursday(9, 0), false},  // (8:55, 9:00]: 8:55 was the previous run's
		{thursday(9, 55), false}, // odd hour
		{thursday(18, 57), true},
		{thursday(20, 55), false},
		{thursday(6, 55), false},
		{time.Date(2026, 12, 5, 10, 56, 0, 0, time.UTC), false}, // Saturday
	} {
		if got := SlotDue(tc.now, every, UploadMinute); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.now.Format("Mon 15:04"), got, tc.want)
		}
	}
	if !SlotDue(thursday(10, 27), every, DownloadMinute) || SlotDue(thursday(10, 31), every, DownloadMinute) {
		t.Error("download slot at :25")
	}
}
