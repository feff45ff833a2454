package jobseeker

import (
	"strings"
	"testing"
	"time"

	"emplois/internal/account"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestNIRProblem_FollowsTheValidatorsOfActors24(t *testing.T) {
	for _, tc := range []struct {
		name, nir, want string
	}{
		{"a valid number", "185057800608491", ""},
		{"spaces and lower case are normalized", "1 85 05 78 006 084 91", ""},
		{"Corsica 2A counts as 19 for the key", "185052a00608435", ""},
		{"Corsica 2B counts as 18 for the key", "185052B00608462", ""},
		{"a fictitious month 30 is accepted", "185309912345619", ""},
		{"a wrong key", "185057800608492", MsgNIRKey},
		{"too short", "18505780060849", MsgNIRLength},
		{"too long", "1850578006084911", MsgNIRLength},
		{"first digit 5 is no sex code", "585057800608491", MsgNIRInvalid},
		{"letters outside the department", "1850578006A8491", MsgNIRInvalid},
		{"month 13 refused", "185137800608491", MsgNIRInvalid},
		{"month 19 refused", "185197800608491", MsgNIRInvalid},
		{"month 43 refused", "185437800608491", MsgNIRInvalid},
		{"month 49 refused", "185497800608491", MsgNIRInvalid},
		{"the illustrative number refused though its key is right", "2 69 05 49 588 157 80", MsgNIRExample},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := NIRProblem(tc.nir); got != tc.want {
				t.Errorf("NIRProblem(%q) = %q, want %q", tc.nir, got, tc.want)
			}
		})
	}
}

func TestNIRConsistency_ChecksCiviliteAndBirthYearAndMonthExceptFictitiousMonths(t *testing.T) {
	may1985 := day("1985-05-20")
	june1985 := day("1985-06-20")
	may1986 := day("1986-05-20")
	for _, tc := range []struct {
		name      string
		nir       string
		title     account.Title
		birth     *time.Time
		wantField string
	}{
		{"a man born in May 1985", "185057800608491", account.Monsieur, &may1985, ""},
		{"a 1 is not a woman", "185057800608491", account.Madame, &may1985, "title"},
		{"a 2 is not a man", "290017512345605", account.Monsieur, nil, "title"},
		{"the month must match", "185057800608491", account.Monsieur, &june1985, "birthdate"},
		{"the year must match", "185057800608491", account.Monsieur, &may1986, "birthdate"},
		{"a fictitious month checks the year only", "185309912345619", account.Monsieur, &june1985, ""},
		{"a fictitious month still checks the year", "185309912345619", account.Monsieur, &may1986, "birthdate"},
		{"no birth date, nothing to compare", "185057800608491", account.Monsieur, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if field, _ := NIRConsistency(tc.nir, tc.title, tc.birth); field != tc.wantField {
				t.Errorf("field = %q, want %q", field, tc.wantField)
			}
		})
	}
}

func TestBirthdateProblem_AtLeast16AndUnder100(t *testing.T) {
	today := day("2026-03-15")
	for _, tc := range []struct {
		birth, want string
	}{
		{"2010-03-15", ""},          // 16 today
		{"2010-03-16", MsgTooYoung}, // 16 tomorrow
		{"2014-01-01", MsgTooYoung}, // 12
		{"1926-03-16", ""},          // 99, 100 tomorrow
		{"1926-03-15", MsgTooOld},   // 100 today
		{"1896-01-01", MsgTooOld},   // 130
	} {
		if got := BirthdateProblem(day(tc.birth), today); got != tc.want {
			t.Errorf("born %s: %q, want %q", tc.birth, got, tc.want)
		}
	}
}

func TestFTIDProblem_SevenDigitsAndACharacterOrElevenDigits(t *testing.T) {
	for _, tc := range []struct {
		id string
		ok bool
	}{
		{"1234567A", true}, {"1234567a", true}, {"12345678", true}, {"12345678901", true},
		{"123456A", false}, {"123456AB", false}, {"1234567890", false}, {"123456789012", false}, {"ABCDEFGH", false},
	} {
		if got := FTIDProblem(tc.id) == ""; got != tc.ok {
			t.Errorf("FTIDProblem(%q) ok = %v, want %v", tc.id, got, tc.ok)
		}
	}
}

func TestEducationLevelCAPBEP_NoCertifiedLevelAboveCAPOrBEP(t *testing.T) {
	for level, want := range map[EducationLevel]bool{
		"00": true, "01": true, "50": true, "51": true, "70": true,
		"10": false, "20": false, "30": false, "40": false, "41": false, "60": false, "": false,
	} {
		if got := level.CAPBEP(); got != want {
			t.Errorf("EducationLevel(%q).CAPBEP() = %v, want %v", level, got, want)
		}
	}
}

func TestDepartmentOf_CorsicaOverseasAndMainland(t *testing.T) {
	for pc, want := range map[string]string{
		"75011": "75", "69003": "69", "01000": "01", "20000": "2A", "20190": "2A", "20200": "2B", "20600": "2B",
		"97400": "974", "97150": "971", "98800": "988", "7501": "", "7501A": "",
	} {
		if got := DepartmentOf(pc); got != want {
			t.Errorf("DepartmentOf(%q) = %q, want %q", pc, got, want)
		}
	}
}

func TestASPUID_ThirtyHexCharactersKeyedByTheSecretKey(t *testing.T) {
	a := ASPUID([]byte("key one"), 42)
	if len(a) != ASPUIDLength || strings.Trim(a, "0123456789abcdef") != "" {
		t.Fatalf("ASPUID = %q, want 30 hexadecimal characters", a)
	}
	if a != ASPUID([]byte("key one"), 42) {
		t.Error("the same key and id must give the same identifier")
	}
	if a == ASPUID([]byte("key two"), 42) || a == ASPUID([]byte("key one"), 43) {
		t.Error("another key or another id must give another identifier")
	}
}

func TestMaskedName_ShowsOnlyTheInitials(t *testing.T) {
	if got := MaskedName("émilie", "Durand"); got != "É… D…" {
		t.Errorf("MaskedName = %q", got)
	}
}

func TestCountries_FranceFirstAndEveryCodeIsAnINSEECountry(t *testing.T) {
	list := Countries()
	if len(list) < 190 || list[0].Code != France || list[0].Name != "France" {
		t.Fatalf("countries: %d, first %+v", len(list), list[0])
	}
	if CountryName("99109") != "Allemagne" || CountryName("99350") != "Maroc" || CountryName("12345") != "" {
		t.Error("CountryName does not read the list")
	}
}

func TestCheckIdentity_RefusesEachBadFieldWithAFrenchMessage(t *testing.T) {
	today := day("2026-03-15")
	good := IdentityInput{Title: account.Monsieur, FirstName: "Jean", LastName: "Dupont", Birthdate: "1985-05-20",
		BirthCountry: France, BirthPlace: "69123", NIR: "185057800608491"}
	for _, tc := range []struct {
		name   string
		change func(*IdentityInput)
		field  string
	}{
		{"a good identity", func(*IdentityInput) {}, ""},
		{"a person of 12", func(in *IdentityInput) { in.Birthdate = "2014-01-01"; in.NIR = ""; in.LackOfNIRReason = NoNIR }, "birthdate"},
		{"a person of 130", func(in *IdentityInput) { in.Birthdate = "1896-01-01"; in.NIR = ""; in.LackOfNIRReason = NoNIR }, "birthdate"},
		{"a date that is no date", func(in *IdentityInput) { in.Birthdate = "31/02/1985" }, "birthdate"},
		{"born in France without commune", func(in *IdentityInput) { in.BirthPlace = "" }, "birth_place"},
		{"born abroad with a commune", func(in *IdentityInput) { in.BirthCountry = "99109" }, "birth_place"},
		{"an unknown country", func(in *IdentityInput) { in.BirthCountry = "99999"; in.BirthPlace = "" }, "birth_country"},
		{"no NIR and no reason", func(in *IdentityInput) { in.NIR = "" }, "nir"},
		{"an invalid NIR", func(in *IdentityInput) { in.NIR = "185057800608492" }, "nir"},
		{"a NIR of a woman for Monsieur", func(in *IdentityInput) { in.Title = account.Madame }, "title"},
		{"a NIR of another month", func(in *IdentityInput) { in.Birthdate = "1985-06-20" }, "birthdate"},
		{"no civilité", func(in *IdentityInput) { in.Title = "" }, "title"},
		{"no first name", func(in *IdentityInput) { in.FirstName = " " }, "first_name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := good
			tc.change(&in)
			_, errs := CheckIdentity(in, today, true)
			if tc.field == "" {
				if len(errs) > 0 {
					t.Fatalf("refused: %v", errs)
				}
				return
			}
			if !errs.Has(tc.field) {
				t.Fatalf("want a refusal on %s, got %v", tc.field, errs)
			}
		})
	}
}

func TestCheckIdentity_AKnownNIRClearsTheReasonForHavingNone(t *testing.T) {
	id, errs := CheckIdentity(IdentityInput{Title: account.Monsieur, FirstName: "Jean", LastName: "Dupont", Birthdate: "1985-05-20",
		BirthCountry: "99109", NIR: "185057800608491", LackOfNIRReason: NoNIR}, day("2026-03-15"), true)
	if len(errs) > 0 || id.NIR == nil || id.LackOfNIRReason != "" {
		t.Fatalf("identity %+v, errors %v", id, errs)
	}
}

func TestCheckSituation_IdentifierOrReasonAndRSADuration(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    SituationInput
		field string
	}{
		{"an identifier", SituationInput{PoleEmploiID: "1234567a"}, ""},
		{"a reason", SituationInput{LackOfPoleEmploiIDReason: FTNotRegistered}, ""},
		{"neither", SituationInput{}, "pole_emploi_id"},
		{"a bad identifier", SituationInput{PoleEmploiID: "12"}, "pole_emploi_id"},
		{"RSA without duration", SituationInput{PoleEmploiID: "12345678", HasRSAAllocation: RSAIncreased}, "rsa_allocation_since"},
		{"RSA with duration", SituationInput{PoleEmploiID: "12345678", HasRSAAllocation: RSAIncreased, RSAAllocationSince: "02"}, ""},
		{"an unknown education level", SituationInput{PoleEmploiID: "12345678", EducationLevel: "99"}, "education_level"},
		{"an unknown duration", SituationInput{PoleEmploiID: "12345678", UnemployedSince: "07"}, "unemployed_since"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errs := CheckSituation(tc.in)
			if tc.field == "" && len(errs) > 0 || tc.field != "" && !errs.Has(tc.field) {
				t.Fatalf("want refusal on %q, got %v", tc.field, errs)
			}
			if tc.field == "" && out.HasRSAAllocation == RSANo && out.RSAAllocationSince != "" {
				t.Error("no RSA keeps no RSA duration")
			}
		})
	}
}

func TestEnumLabels_AreFrench(t *testing.T) {
	if EducationLevel("40").Label() != "Formation de niveau BAC" || Duration("04").Label() != "24 mois et plus" ||
		NoNIR.Label() != "Pas de numéro de sécurité sociale" || FTIDForgotten.Label() != "Identifiant France Travail oublié" ||
		RSAIncreased.Label() != "Bénéficiaire du RSA et majoré" || AssignCreate.Label() != "création du compte candidat" {
		t.Error("a label changed")
	}
}

func TestPermissions_FollowTheMatrixOfActors9(t *testing.T) {
	none, created, followed, self := Relation{}, Relation{CreatedByViewer: true}, Relation{Followed: true}, Relation{Self: true}
	for _, tc := range []struct {
		role           Role
		rel            Relation
		view, personal bool
	}{
		{RoleJobSeeker, self, true, true},
		{RoleJobSeeker, none, false, false},
		{RoleEmployer, none, true, true},
		{RoleAuthorizedPrescriber, none, true, true},
		{RoleOrienteur, created, true, true},
		{RoleOrienteur, followed, true, false},
		{RoleOrienteur, none, false, false},
		{RoleInstitution, none, false, false},
		{RoleStaff, none, true, true},
		{RoleNone, none, false, false},
	} {
		if CanView(tc.role, tc.rel) != tc.view || CanSeePersonalData(tc.role, tc.rel) != tc.personal {
			t.Errorf("%s %+v: view %v personal %v", tc.role, tc.rel, CanView(tc.role, tc.rel), CanSeePersonalData(tc.role, tc.rel))
		}
	}
	if !CanList(RoleOrienteur, ScopeMine) || !CanList(RoleEmployer, ScopeOrganization) || CanList(RoleEmployer, ScopeMine) ||
		CanList(RoleInstitution, ScopeOrganization) || CanList(RoleJobSeeker, ScopeMine) {
		t.Error("« Mes candidats » tabs do not follow actors.md §9")
	}
	if CanSearchAndCreate(RoleInstitution) || CanSearchAndCreate(RoleJobSeeker) || !CanSearchAndCreate(RoleOrienteur) || !CanSearchAndCreate(RoleEmployer) {
		t.Error("the creation by proxy does not follow actors.md §9")
	}
}
