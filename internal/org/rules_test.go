package org

import (
	"strings"
	"testing"
	"time"
)

func TestSIRETProblem_AcceptsLuhnKeysAndLaPosteAndRefusesTheRest(t *testing.T) {
	for _, tc := range []struct {
		name, siret, want string
	}{
		{"valid Luhn key", "73282932000074", ""},
		{"valid Luhn key of La Poste head office", "35600000000048", ""},
		{"La Poste establishment with digit sum multiple of 5", "35600000009075", ""},
		{"another La Poste establishment", "35600000009093", ""},
		{"La Poste establishment failing both rules", "35600000009090", MsgSIRETKey},
		{"wrong Luhn key", "73282932000075", MsgSIRETKey},
		{"digit sum multiple of 5 outside La Poste", "50000000000000", MsgSIRETKey},
		{"13 digits", "7328293200007", MsgSIRETLength},
		{"15 digits", "732829320000740", MsgSIRETLength},
		{"letters", "7328293200007A", MsgSIRETLength},
		{"empty", "", MsgSIRETLength},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := SIRETProblem(tc.siret); got != tc.want {
				t.Errorf("SIRETProblem(%q) = %q, want %q", tc.siret, got, tc.want)
			}
		})
	}
}

func TestNormalizeSIRET_DropsTheSpacesBetweenGroups(t *testing.T) {
	if got := NormalizeSIRET(" 732 829 320 00074 "); got != "73282932000074" {
		t.Errorf("got %q", got)
	}
}

func TestSIRENProblem_ChecksLengthAndKey(t *testing.T) {
	for siren, want := range map[string]string{"732829320": "", "732829321": MsgSIRENKey, "73282932": MsgSIRENLength, "73282932A": MsgSIRENLength} {
		if got := SIRENProblem(siren); got != want {
			t.Errorf("SIRENProblem(%q) = %q, want %q", siren, got, want)
		}
	}
}

func TestWithLuhnKey_CompletesValidNumbers(t *testing.T) {
	for _, stem := range []string{"1234567800012", "41234560", "0000000000000"} {
		got := WithLuhnKey(stem)
		if len(got) != len(stem)+1 || !luhn(got) {
			t.Errorf("WithLuhnKey(%q) = %q", stem, got)
		}
	}
}

func TestSAFIRProblem_WantsFiveDigits(t *testing.T) {
	for code, want := range map[string]string{"59113": "", "00162": "", "5911": MsgSAFIR, "591130": MsgSAFIR, "5911A": MsgSAFIR} {
		if got := SAFIRProblem(code); got != want {
			t.Errorf("SAFIRProblem(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestCompanyKinds_NeverOfferEAOrEATTOrReserved(t *testing.T) {
	for _, k := range CompanyKinds {
		if k == EA || k == EATT || k == Reserved {
			t.Errorf("%s is offered", k)
		}
		if k.Label() == string(k) {
			t.Errorf("%s has no label", k)
		}
	}
	if EA.Offered() || EATT.Offered() || !ACI.Offered() {
		t.Error("Offered disagrees with CompanyKinds")
	}
}

func TestAnnexActive_OnlyValidOrProvisionalAnnexesNotEnded(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		state AnnexState
		endAt time.Time
		want  bool
	}{
		{AnnexValid, now.Add(time.Hour), true},
		{AnnexProvisional, now.AddDate(0, 6, 0), true},
		{AnnexValid, now, false},
		{AnnexValid, now.Add(-time.Hour), false},
		{AnnexArchived, now.AddDate(1, 0, 0), false},
		{AnnexCancelled, now.AddDate(1, 0, 0), false},
		{AnnexDraft, now.AddDate(1, 0, 0), false},
	} {
		if got := AnnexActive(tc.state, tc.endAt, now); got != tc.want {
			t.Errorf("AnnexActive(%s, %s) = %v, want %v", tc.state, tc.endAt, got, tc.want)
		}
	}
	annexes := []FinancialAnnex{{State: AnnexArchived, EndAt: now.AddDate(1, 0, 0)}, {State: AnnexValid, EndAt: now.AddDate(0, 0, -1)}}
	if ConventionActive(annexes, now) {
		t.Error("a convention without active annex is active")
	}
	annexes = append(annexes, FinancialAnnex{State: AnnexProvisional, EndAt: now.AddDate(0, 0, 1)})
	if !ConventionActive(annexes, now) {
		t.Error("a convention with an active annex is inactive")
	}
}

func TestValidAnnexNumber_FollowsTheASPFormat(t *testing.T) {
	for number, want := range map[string]bool{"ACI069A069001A0M0": false, "ACI69A069001A0M0": true, "EI13X123456A1M2": true,
		"GEIQ69A069001A0M0": false, "ACI69A069001": false, "ETTI59B123456A10M3": true} {
		if got := ValidAnnexNumber(number); got != want {
			t.Errorf("ValidAnnexNumber(%q) = %v, want %v", number, got, want)
		}
	}
}

func TestCompanyActivity_FollowsKindSourceConventionAndGracePeriod(t *testing.T) {
	deactivated := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	active := &Convention{IsActive: true}
	ended := &Convention{IsActive: false, DeactivatedAt: &deactivated}
	day := func(n int) time.Time { return deactivated.Add(time.Duration(n-1) * 24 * time.Hour) } // day 1 = deactivation day
	for _, tc := range []struct {
		name       string
		kind       CompanyKind
		source     Source
		searchable bool
		conv       *Convention
		now        time.Time
		want       Activity
	}{
		{"ASP SIAE with an active convention", ACI, SourceASP, true, active, day(1), Activity{Active: true}},
		{"antenna follows the shared convention", EI, SourceUserCreated, true, active, day(1), Activity{Active: true}},
		{"ASP SIAE without convention", AI, SourceASP, true, nil, day(1), Activity{}},
		{"grace period on the deactivation day", ETTI, SourceASP, true, ended, day(1), Activity{Active: true, InGracePeriod: true}},
		{"grace period on day 30", ETTI, SourceASP, true, ended, day(30), Activity{Active: true, InGracePeriod: true}},
		{"grace period over at 30 days exactly", ETTI, SourceASP, true, ended, deactivated.Add(GracePeriod), Activity{}},
		{"no grace left on day 31", ETTI, SourceASP, true, ended, day(31).Add(time.Hour), Activity{}},
		{"deactivated convention without date", EITI, SourceASP, true, &Convention{}, day(1), Activity{}},
		{"staff-created SIAE without convention", EI, SourceStaffCreated, true, nil, day(1), Activity{Active: true}},
		{"GEIQ always", GEIQ, SourceGEIQ, false, nil, day(40), Activity{Active: true}},
		{"OPCS made searchable by staff", OPCS, SourceStaffCreated, true, nil, day(1), Activity{Active: true}},
		{"OPCS not reviewed yet", OPCS, SourceUserCreated, false, nil, day(1), Activity{}},
		{"EA history", EA, SourceEAEATT, true, nil, day(1), Activity{}},
		{"RESERVED holder", Reserved, SourceAdminCreated, false, nil, day(1), Activity{Active: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CompanyActivity(tc.kind, tc.source, tc.searchable, tc.conv, tc.now); got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestSpontaneousAndHiring_DependOnBlockAndOpenings(t *testing.T) {
	now := time.Now()
	if SpontaneousOpen(true, &now) || SpontaneousOpen(false, nil) || !SpontaneousOpen(false, &now) {
		t.Error("SpontaneousOpen")
	}
	for _, tc := range []struct {
		blocked bool
		jobs    int
		open    *time.Time
		want    bool
	}{
		{false, 1, nil, true}, {false, 0, &now, true}, {false, 0, nil, false}, {true, 3, &now, false},
	} {
		if got := IsHiring(tc.blocked, tc.jobs, tc.open); got != tc.want {
			t.Errorf("IsHiring(%v, %d, %v) = %v", tc.blocked, tc.jobs, tc.open != nil, got)
		}
	}
}

func TestAntennaRules_SameSIRENActiveSIAEOrGEIQOnly(t *testing.T) {
	siren := WithLuhnKey("41234560")
	parent := WithLuhnKey(siren + "0001")
	sameSIREN := WithLuhnKey(siren + "0002")
	otherSIREN := WithLuhnKey(WithLuhnKey("51234560") + "0001")
	if p := AntennaSIRETProblem(parent, sameSIREN); p != "" {
		t.Errorf("same SIREN refused: %s", p)
	}
	if p := AntennaSIRETProblem(parent, otherSIREN); !strings.Contains(p, siren) {
		t.Errorf("other SIREN: %q", p)
	}
	badKey := sameSIREN[:13] + string('0'+(sameSIREN[13]-'0'+1)%10)
	if p := AntennaSIRETProblem(parent, badKey); p != MsgSIRETKey {
		t.Errorf("bad key %s: %q", badKey, p)
	}
	for _, tc := range []struct {
		kind CompanyKind
		a    Activity
		want string
	}{
		{ACI, Activity{Active: true}, ""},
		{GEIQ, Activity{Active: true}, ""},
		{OPCS, Activity{Active: true}, MsgAntennaParentKind},
		{EA, Activity{Active: true}, MsgAntennaParentKind},
		{EI, Activity{}, MsgAntennaParentInactive},
		{EI, Activity{Active: true, InGracePeriod: true}, MsgAntennaParentInactive},
	} {
		if got := AntennaParentProblem(tc.kind, tc.a); got != tc.want {
			t.Errorf("AntennaParentProblem(%s, %+v) = %q, want %q", tc.kind, tc.a, got, tc.want)
		}
	}
}

func TestHabilitationAfter_FollowsTheStateMachine(t *testing.T) {
	for _, tc := range []struct {
		name       string
		kind       PrescriberKind
		from       AuthorizationStatus
		transition HabilitationTransition
		wantStatus AuthorizationStatus
		wantKind   PrescriberKind
		wantErr    error
	}{
		{"pending ML is validated", ML, AuthorizationNotSet, Validate, AuthorizationValidated, ML, nil},
		{"pending CCAS is refused and becomes Autre", CCAS, AuthorizationNotSet, Refuse, AuthorizationRefused, OtherKind, nil},
		{"validated organization can be refused", CHRS, AuthorizationValidated, Refuse, AuthorizationRefused, OtherKind, nil},
		{"Autre claiming habilitation cannot be validated", OtherKind, AuthorizationNotSet, Validate, AuthorizationNotSet, OtherKind, ErrValidateOther},
		{"Autre without habilitation cannot be validated", OtherKind, AuthorizationNotRequired, Validate, AuthorizationNotRequired, OtherKind, ErrValidateOther},
		{"Autre claiming habilitation can be refused", OtherKind, AuthorizationNotSet, Refuse, AuthorizationRefused, OtherKind, nil},
		{"validated twice is refused", ML, AuthorizationValidated, Validate, AuthorizationValidated, ML, ErrHabilitationStatus},
		{"refused twice is refused", OtherKind, AuthorizationRefused, Refuse, AuthorizationRefused, OtherKind, ErrHabilitationStatus},
		{"France Travail cannot be refused", FT, AuthorizationValidated, Refuse, AuthorizationValidated, FT, ErrRefuseFranceTravail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, kind, err := HabilitationAfter(tc.kind, tc.from, tc.transition)
			if status != tc.wantStatus || kind != tc.wantKind || err != tc.wantErr {
				t.Errorf("got (%s, %s, %v), want (%s, %s, %v)", status, kind, err, tc.wantStatus, tc.wantKind, tc.wantErr)
			}
		})
	}
}

func TestStatusAfterKindChange_AutreNeedsNoHabilitationAndLeavingItNeedsOne(t *testing.T) {
	for _, tc := range []struct {
		from, to PrescriberKind
		status   AuthorizationStatus
		want     AuthorizationStatus
	}{
		{ML, OtherKind, AuthorizationValidated, AuthorizationNotRequired},
		{OtherKind, CCAS, AuthorizationNotRequired, AuthorizationNotSet},
		{OtherKind, CCAS, AuthorizationRefused, AuthorizationNotSet},
		{ML, CapEmploi, AuthorizationValidated, AuthorizationValidated},
		{ML, ML, AuthorizationNotSet, AuthorizationNotSet},
	} {
		if got := StatusAfterKindChange(tc.from, tc.to, tc.status); got != tc.want {
			t.Errorf("%s→%s from %s = %s, want %s", tc.from, tc.to, tc.status, got, tc.want)
		}
	}
	if InitialAuthorizationStatus(OtherKind, false) != AuthorizationNotRequired || InitialAuthorizationStatus(OtherKind, true) != AuthorizationNotSet ||
		InitialAuthorizationStatus(ML, false) != AuthorizationNotSet {
		t.Error("InitialAuthorizationStatus")
	}
	if !ForcedBRSA(ODC, AuthorizationValidated) || ForcedBRSA(ODC, AuthorizationNotSet) || ForcedBRSA(ML, AuthorizationValidated) {
		t.Error("ForcedBRSA")
	}
}

func TestPrescriberKinds_AreAlphabeticalWithAutreLastAndSignupHidesStaffKinds(t *testing.T) {
	kinds := PrescriberKinds()
	if len(kinds) != 34 || kinds[len(kinds)-1] != OtherKind {
		t.Fatalf("kinds = %v", kinds)
	}
	if kinds[0] != AFPA || kinds[1] != ASE {
		t.Errorf("first kinds = %v", kinds[:3])
	}
	for i, k := range kinds {
		if k == E2C && kinds[i+1] != EPIDE { // "É" sorts with "E"
			t.Errorf("after E2C comes %s", kinds[i+1])
		}
	}
	for _, k := range SignupPrescriberKinds() {
		if k == FT || k == OHPD || k == OCASF || k == Orienteur {
			t.Errorf("%s offered at signup", k)
		}
	}
	if !ASE.Sensitive() || ML.Sensitive() {
		t.Error("Sensitive")
	}
}

func TestTerritoryProblems_TieEachInstitutionToItsLevel(t *testing.T) {
	for _, tc := range []struct {
		kind         InstitutionKind
		dept, region string
		want         int
	}{
		{DDETSIAE, "69", "", 0}, {DDETSIAE, "", "", 1}, {DREETSIAE, "", "84", 0}, {DREETSIAE, "69", "", 2},
		{DGEFPIAE, "", "", 0}, {DGEFPIAE, "75", "", 1}, {DRIHL, "", "11", 0},
	} {
		if got := TerritoryProblems(tc.kind, tc.dept, tc.region); len(got) != tc.want {
			t.Errorf("TerritoryProblems(%s, %q, %q) = %v", tc.kind, tc.dept, tc.region, got)
		}
	}
}

func TestMembershipRules_FirstMemberIsAdminAndLastAdminNeedsConfirmation(t *testing.T) {
	if !AdminOnJoin(0, false) || AdminOnJoin(1, false) || !AdminOnJoin(3, true) {
		t.Error("AdminOnJoin")
	}
	if !NeedsLastAdminConfirmation(true, 1) || NeedsLastAdminConfirmation(true, 2) || NeedsLastAdminConfirmation(false, 1) {
		t.Error("NeedsLastAdminConfirmation")
	}
}

func TestAffiliations_OrderPicksSessionOrgAndSwitcherSortsByFamilyThenName(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	aff := func(t Type, uid, name string, joined int, grace bool) Affiliation {
		return Affiliation{Ref: Ref{Type: t, UID: uid, Name: name, Active: true, InGracePeriod: grace}, JoinedAt: t0.AddDate(0, 0, joined)}
	}
	list := []Affiliation{
		aff(TypeInstitution, "i", "DDETS", 0, false),
		aff(TypePrescriber, "p", "Mission locale", 1, false),
		aff(TypeCompany, "c-grace", "Ancienne EI", 0, true),
		aff(TypeCompany, "c2", "Zèbre insertion", 5, false),
		aff(TypeCompany, "c1", "Atelier", 3, false),
	}
	OrderAffiliations(list)
	var got []string
	for _, a := range list {
		got = append(got, a.UID)
	}
	if strings.Join(got, ",") != "c1,c2,c-grace,p,i" {
		t.Errorf("order = %v", got)
	}
	if c := CurrentAffiliation(list, "prescriber-p"); c == nil || c.UID != "p" {
		t.Errorf("session org not picked: %+v", c)
	}
	if c := CurrentAffiliation(list, "company-gone"); c == nil || c.UID != "c1" {
		t.Errorf("stale session key should fall back to the first: %+v", c)
	}
	if CurrentAffiliation(nil, "") != nil {
		t.Error("no affiliation gives a current organization")
	}
	got = nil
	for _, a := range SwitcherOrder(list) {
		got = append(got, a.Name)
	}
	if strings.Join(got, ",") != "Ancienne EI,Atelier,Zèbre insertion,Mission locale,DDETS" {
		t.Errorf("switcher = %v", got)
	}
}

func TestAffiliation_RoleLabelsAndFlags(t *testing.T) {
	for _, tc := range []struct {
		a    Affiliation
		want string
	}{
		{Affiliation{Ref: Ref{Type: TypeCompany, Kind: "EI"}}, "employeur"},
		{Affiliation{Ref: Ref{Type: TypePrescriber, AuthorizationStatus: AuthorizationValidated}}, "prescripteur habilité"},
		{Affiliation{Ref: Ref{Type: TypePrescriber, AuthorizationStatus: AuthorizationNotSet}}, "orienteur"},
		{Affiliation{Ref: Ref{Type: TypeInstitution}}, "institutionnel"},
	} {
		if got := tc.a.RoleLabel(); got != tc.want {
			t.Errorf("RoleLabel = %q, want %q", got, tc.want)
		}
	}
	geiq := Affiliation{Ref: Ref{Type: TypeCompany, Kind: "GEIQ"}}
	aci := Affiliation{Ref: Ref{Type: TypeCompany, Kind: "ACI"}}
	if geiq.FromIAEActor() || !aci.FromIAEActor() {
		t.Error("FromIAEActor")
	}
	if aci.Key() != "company-" {
		t.Errorf("Key = %q", aci.Key())
	}
}
