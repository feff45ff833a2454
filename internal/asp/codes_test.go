package asp

import (
	"testing"

	"emplois/internal/org"
)

func TestMeasureOf_TheFiveSIAEKindsThatMakeFichesSalarie(t *testing.T) {
	for _, tc := range []struct {
		kind org.CompanyKind
		want Measure
		ok   bool
	}{
		{org.ACI, "ACI_DC", true}, {org.AI, "AI_DC", true}, {org.EI, "EI_DC", true},
		{org.EITI, "EITI_DC", true}, {org.ETTI, "ETTI_DC", true},
		{org.GEIQ, "", false}, {org.EA, "", false}, {org.OPCS, "", false}, {org.Reserved, "", false},
	} {
		if got, ok := MeasureOf(tc.kind); got != tc.want || ok != tc.ok {
			t.Errorf("MeasureOf(%s) = %q, %v; want %q, %v", tc.kind, got, ok, tc.want, tc.ok)
		}
	}
}

func TestMeasures_TheNeverDerivedOnesAreKnownToo(t *testing.T) {
	for _, m := range []Measure{"ACI_MP", "EI_MP", "FDI_DC"} {
		if m.Label() == "" {
			t.Errorf("%s has no label", m)
		}
	}
	if len(Measures()) != 8 || Measure("XX_DC").Label() != "" {
		t.Errorf("measures: %d", len(Measures()))
	}
}

func TestEmployerTypeOf_FourSIAEKindsHaveTheirCodeAndEveryOtherIsAutre(t *testing.T) {
	for kind, want := range map[org.CompanyKind]EmployerType{
		org.EI: "01", org.ETTI: "02", org.AI: "03", org.ACI: "04",
		org.EITI: "07", org.EA: "07", org.EATT: "07", org.GEIQ: "07", org.OPCS: "07",
	} {
		if got := EmployerTypeOf(kind); got != want {
			t.Errorf("EmployerTypeOf(%s) = %s, want %s", kind, got, want)
		}
	}
	if EmployerESAT.Label() == "" || EmployerEA.Label() == "" || EmployerOther.Label() != "Autre" {
		t.Error("every employer type has a label")
	}
}

func TestPrescriberTypeOf_FollowsTheOrienteurRuleOfApprovals215(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Sender
		want PrescriberType
	}{
		{"the job seeker or an employer: spontaneous", Sender{}, "07"},
		{"an employer never gets an organization's code", Sender{Kind: org.FT, Authorized: true}, "07"},
		{"a prescriber without an organization", Sender{ByPrescriber: true}, "08"},
		{"a non-authorized organization, even of a coded kind", Sender{ByPrescriber: true, Kind: org.ML}, "08"},
		{"Mission locale", Sender{ByPrescriber: true, Kind: org.ML, Authorized: true}, "01"},
		{"Cap emploi", Sender{ByPrescriber: true, Kind: org.CapEmploi, Authorized: true}, "02"},
		{"France Travail", Sender{ByPrescriber: true, Kind: org.FT, Authorized: true}, "03"},
		{"PLIE", Sender{ByPrescriber: true, Kind: org.PLIE, Authorized: true}, "04"},
		{"département", Sender{ByPrescriber: true, Kind: org.Dept, Authorized: true}, "05"},
		{"SPIP", Sender{ByPrescriber: true, Kind: org.SPIP, Authorized: true}, "09"},
		{"PJJ", Sender{ByPrescriber: true, Kind: org.PJJ, Authorized: true}, "10"},
		{"CCAS", Sender{ByPrescriber: true, Kind: org.CCAS, Authorized: true}, "11"},
		{"CHRS", Sender{ByPrescriber: true, Kind: org.CHRS, Authorized: true}, "12"},
		{"CIDFF", Sender{ByPrescriber: true, Kind: org.CIDFF, Authorized: true}, "13"},
		{"prévention", Sender{ByPrescriber: true, Kind: org.Prevention, Authorized: true}, "14"},
		{"AFPA", Sender{ByPrescriber: true, Kind: org.AFPA, Authorized: true}, "15"},
		{"PIJ BIJ", Sender{ByPrescriber: true, Kind: org.PIJBIJ, Authorized: true}, "16"},
		{"CAF", Sender{ByPrescriber: true, Kind: org.CAF, Authorized: true}, "17"},
		{"CADA", Sender{ByPrescriber: true, Kind: org.CADA, Authorized: true}, "18"},
		{"ASE", Sender{ByPrescriber: true, Kind: org.ASE, Authorized: true}, "19"},
		{"CAVA", Sender{ByPrescriber: true, Kind: org.CAVA, Authorized: true}, "20"},
		{"CPH", Sender{ByPrescriber: true, Kind: org.CPH, Authorized: true}, "21"},
		{"CHU", Sender{ByPrescriber: true, Kind: org.CHU, Authorized: true}, "22"},
		{"OACAS", Sender{ByPrescriber: true, Kind: org.OACAS, Authorized: true}, "23"},
		{"an authorized E2C", Sender{ByPrescriber: true, Kind: org.E2C, Authorized: true}, "06"},
		{"an authorized OTHER", Sender{ByPrescriber: true, Kind: org.OtherKind, Authorized: true}, "06"},
	} {
		if got := PrescriberTypeOf(tc.in); got != tc.want {
			t.Errorf("%s: PrescriberTypeOf = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestPrescriberTypes_Codes01To23And99EachWithALabel(t *testing.T) {
	list := PrescriberTypes()
	if len(list) != 24 || list[0].Value != "01" || list[22].Value != "23" || list[23].Value != "99" {
		t.Fatalf("prescriber types: %v", list)
	}
	for _, c := range list {
		if c.Label == "" {
			t.Errorf("%s has no label", c.Value)
		}
	}
}

func TestEITIContributions_06IsTheUndeterminedDefault(t *testing.T) {
	if len(EITIContributionsChoices()) != 6 || EITIContributionsUnknown.Label() != "Non déterminé (contrat établi avant 2025)" {
		t.Errorf("EITI contributions: %v", EITIContributionsChoices())
	}
}

func TestLaneExtensionOf_ReadsTheCodeOrTheLatinWord(t *testing.T) {
	for _, tc := range []struct {
		word string
		want LaneExtension
		ok   bool
	}{
		{"bis", "B", true}, {"B", "B", true}, {"Ter", "T", true}, {"quater", "Q", true},
		{"QUINQUIES", "C", true}, {"c", "C", true}, {"A", "", false}, {"", "", false},
	} {
		if got, ok := LaneExtensionOf(tc.word); got != tc.want || ok != tc.ok {
			t.Errorf("LaneExtensionOf(%q) = %q, %v", tc.word, got, ok)
		}
	}
}

func TestSituationCodes_AreTheProfilesOwn(t *testing.T) {
	if EducationLevel("51").Label() == "" || AllocationDuration("04").Label() != "24 mois et plus" ||
		RSAAllocation("OUI-NM").Label() == "" {
		t.Error("the ASP names read the profile's code lists")
	}
}

func TestDepartmentCodeOf_ZeroAndTwoCharactersOrThreeOverseas(t *testing.T) {
	for code, want := range map[string]string{
		"69123": "069", "01001": "001", "2A004": "02A", "2B033": "02B", "97411": "974", "97611": "976",
		"98735": "987", "98818": "988", "75101": "075", "12": "",
	} {
		if got := DepartmentCodeOf(code); got != want {
			t.Errorf("DepartmentCodeOf(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestCountryCodeAndGroup_ASPOrINSEECodes(t *testing.T) {
	for _, tc := range []struct {
		code, asp string
		group     CountryGroup
	}{
		{"99100", "100", GroupFrance}, {"100", "100", GroupFrance},
		{"99109", "109", GroupEU}, {"254", "254", GroupEU}, {"99142", "142", GroupEU},
		{"99132", "132", GroupNotInEU}, {"99350", "350", GroupNotInEU}, {" 99141 ", "141", GroupNotInEU},
	} {
		if got := CountryCodeOf(tc.code); got != tc.asp {
			t.Errorf("CountryCodeOf(%q) = %q, want %q", tc.code, got, tc.asp)
		}
		if got := GroupOf(tc.code); got != tc.group {
			t.Errorf("GroupOf(%q) = %q, want %q", tc.code, got, tc.group)
		}
	}
	if len(euMembers) != 27 {
		t.Errorf("%d EU codes: the 26 member states besides France and the former RFA", len(euMembers))
	}
}
