package eligibility

import (
	"testing"
	"time"

	"emplois/internal/org"
	"emplois/internal/platform/fault"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestExpiresAt_FollowsTheCalendarOfParis(t *testing.T) {
	tests := []struct {
		name    string
		kind    AuthorKind
		created time.Time
		want    string
	}{
		{"edge case 41: employer +92 days", AuthorEmployer, day("2024-12-03"), "2025-03-05"},
		{"edge case 41: prescriber +6 months", AuthorPrescriber, day("2024-12-03"), "2025-06-03"},
		{"GEIQ +6 months whoever wrote it", AuthorGEIQ, day("2024-12-03"), "2025-06-03"},
		{"Aug 31 + 6 months is the last day of February, not March 3", AuthorPrescriber, day("2025-08-31"), "2026-02-28"},
		{"Aug 31 + 6 months in a leap year is Feb 29", AuthorPrescriber, day("2023-08-31"), "2024-02-29"},
		{"Feb 29 + 6 months is Aug 29", AuthorPrescriber, day("2024-02-29"), "2024-08-29"},
		{"Dec 31 + 6 months is Jun 30", AuthorGEIQ, day("2024-12-31"), "2025-06-30"},
		{"employer across a leap February", AuthorEmployer, day("2024-02-01"), "2024-05-03"},
		{"late evening in Paris counts as that Paris day", AuthorEmployer,
			time.Date(2024, 12, 2, 23, 30, 0, 0, time.UTC), "2025-03-05"}, // 00:30 on Dec 3 in Paris
		{"late evening UTC before midnight in Paris", AuthorPrescriber,
			time.Date(2024, 12, 2, 22, 30, 0, 0, time.UTC), "2025-06-02"}, // 23:30 on Dec 2 in Paris
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExpiresAt(tt.kind, tt.created).Format(time.DateOnly); got != tt.want {
				t.Errorf("ExpiresAt(%s, %s) = %s, want %s", tt.kind, tt.created, got, tt.want)
			}
		})
	}
}

func TestIsValid_ExpiresAtIsExclusive(t *testing.T) {
	expires := day("2025-03-05")
	tests := []struct {
		today string
		want  bool
	}{{"2025-03-04", true}, {"2025-03-05", false}, {"2025-03-06", false}}
	for _, tt := range tests {
		if got := IsValid(expires, day(tt.today)); got != tt.want {
			t.Errorf("IsValid(2025-03-05, %s) = %v, want %v", tt.today, got, tt.want)
		}
	}
}

// iae builds the criteria of these kinds from the seeded catalog's shape.
func iae(kinds ...Kind) []Criterion {
	catalog := map[Kind]Criterion{
		RSA: {ID: 1, Level: Level1, Kind: RSA}, ASS: {ID: 2, Level: Level1, Kind: ASS},
		DETLD: {ID: 4, Level: Level1, Kind: DETLD}, "CAP_BEP": {ID: 5, Level: Level2, Kind: "CAP_BEP"},
		SENIOR: {ID: 6, Level: Level2, Kind: SENIOR}, JEUNE: {ID: 7, Level: Level2, Kind: JEUNE},
		ASE: {ID: 8, Level: Level2, Kind: ASE}, DELD: {ID: 9, Level: Level2, Kind: DELD},
		"PM": {ID: 18, Level: Level2, Kind: "PM"},
	}
	out := make([]Criterion, len(kinds))
	for i, k := range kinds {
		out[i] = catalog[k]
	}
	return out
}

func TestCheckIAECriteria(t *testing.T) {
	tests := []struct {
		name    string
		author  AuthorKind
		company org.CompanyKind
		kinds   []Kind
		want    fault.Fields
	}{
		{"edge case 46: a prescriber may tick nothing", AuthorPrescriber, "", nil, nil},
		{"edge case 45: ACI with one level 1", AuthorEmployer, org.ACI, []Kind{RSA}, nil},
		{"edge case 45: ACI with three level 2", AuthorEmployer, org.ACI, []Kind{"CAP_BEP", ASE, "PM"}, nil},
		{"edge case 45: ACI with two level 2", AuthorEmployer, org.ACI, []Kind{"CAP_BEP", ASE},
			fault.Fields{{Field: CriteriaField, Message: MsgCriteriaNumber}}},
		{"EI with two level 2", AuthorEmployer, org.EI, []Kind{"CAP_BEP", ASE},
			fault.Fields{{Field: CriteriaField, Message: MsgCriteriaNumber}}},
		{"EITI with nothing", AuthorEmployer, org.EITI, nil,
			fault.Fields{{Field: CriteriaField, Message: MsgCriteriaNumber}}},
		{"edge case 45: ETTI with two level 2", AuthorEmployer, org.ETTI, []Kind{"CAP_BEP", ASE}, nil},
		{"edge case 45: ETTI with one level 2", AuthorEmployer, org.ETTI, []Kind{"CAP_BEP"},
			fault.Fields{{Field: CriteriaField, Message: MsgCriteriaNumberAIETTI}}},
		{"AI with one level 2", AuthorEmployer, org.AI, []Kind{ASE},
			fault.Fields{{Field: CriteriaField, Message: MsgCriteriaNumberAIETTI}}},
		{"AI with two level 2", AuthorEmployer, org.AI, []Kind{ASE, "PM"}, nil},
		{"edge case 46: SENIOR and JEUNE refused for a prescriber", AuthorPrescriber, "", []Kind{SENIOR, JEUNE},
			fault.Fields{{Field: "level_2_7", Message: iaeIncompatible[0].message}}},
		{"edge case 46: DETLD and DELD refused for an employer with enough criteria", AuthorEmployer, org.ACI, []Kind{DETLD, DELD},
			fault.Fields{{Field: "level_2_9", Message: iaeIncompatible[1].message}}},
		{"both pairs and too few criteria: every problem at once", AuthorEmployer, org.ACI, []Kind{SENIOR, JEUNE},
			fault.Fields{{Field: CriteriaField, Message: MsgCriteriaNumber}, {Field: "level_2_7", Message: iaeIncompatible[0].message}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckIAECriteria(tt.author, tt.company, iae(tt.kinds...))
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("error %d = %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// geiq builds GEIQ criteria of these kinds with the seeded annexes and levels.
func geiq(kinds ...Kind) []GEIQCriterion {
	catalog := map[Kind]GEIQCriterion{
		RSA:      {ID: 1, Level: Level1, Annex: Annex2, Kind: RSA, Slug: "beneficiaire-du-rsa"},
		DETLD:    {ID: 4, Level: Level1, Annex: Annex2, Kind: DETLD, Slug: "detld-24-mois"},
		SENIOR:   {ID: 6, Level: Level2, Annex: Annex2, Kind: SENIOR, Slug: "senior-50-ans"},
		JEUNE:    {ID: 7, Level: Level2, Annex: Annex2, Kind: JEUNE, Slug: "jeune-26-ans"},
		ASE:      {ID: 8, Level: Level2, Annex: Annex2, Kind: ASE, Slug: "aide-sociale-a-lenfance"},
		DELD:     {ID: 9, Level: Level2, Annex: Annex2, Kind: DELD, Slug: "deld-12-24-mois"},
		"TH":     {ID: 10, Level: Level2, Annex: Annex1And2, Kind: "TH", Slug: "travailleur-handicape"},
		REFDA:    {ID: 13, Level: Level2, Annex: Annex1And2, Kind: REFDA, Slug: "refugie-statutaire"},
		ZRR:      {ID: 14, Level: Level2, Annex: Annex1And2, Kind: ZRR, Slug: "resident-zrr"},
		QPV:      {ID: 15, Level: Level2, Annex: Annex1And2, Kind: QPV, Slug: "resident-qpv"},
		RSPSDA:   {ID: 19, Level: Level2, Annex: Annex2, Kind: RSPSDA, Slug: "demandeur-dasile"},
		"MINIMA": {ID: 21, Annex: Annex1, Kind: "MINIMA", Slug: "beneficiaire-des-minima-sociaux"},
		DE45:     {ID: 23, Annex: Annex1, Kind: DE45, Slug: "demandeur-demploi-45-ans-et-plus"},
		"FT":     {ID: 27, Annex: AnnexNone, Kind: "FT", Slug: "inscrite-a-france-travail"},
		DELD12:   {ID: 28, Annex: AnnexNone, Kind: DELD12, Slug: "inscrit-depuis-moins-de-12-mois"},
	}
	out := make([]GEIQCriterion, len(kinds))
	for i, k := range kinds {
		out[i] = catalog[k]
	}
	return out
}

func TestCheckGEIQCriteria(t *testing.T) {
	pair := func(a, b Kind) string {
		for _, p := range geiqIncompatible {
			if p.a == a && p.b == b {
				return p.message
			}
		}
		t.Fatalf("no pair %s %s", a, b)
		return ""
	}
	tests := []struct {
		name   string
		author AuthorKind
		kinds  []Kind
		want   fault.Fields
	}{
		{"edge case 47: a GEIQ needs a criterion", AuthorGEIQ, nil, fault.Fields{{Field: CriteriaField, Message: MsgGEIQCriteriaNeeded}}},
		{"a prescriber may tick nothing", AuthorPrescriber, nil, nil},
		{"one criterion is enough for a GEIQ", AuthorGEIQ, []Kind{"FT"}, nil},
		{"QPV and ZRR", AuthorGEIQ, []Kind{QPV, ZRR}, fault.Fields{{Field: "resident-zrr", Message: pair(QPV, ZRR)}}},
		{"JEUNE and SENIOR", AuthorGEIQ, []Kind{JEUNE, SENIOR}, fault.Fields{{Field: "senior-50-ans", Message: pair(JEUNE, SENIOR)}}},
		{"JEUNE and DE_45", AuthorPrescriber, []Kind{JEUNE, DE45}, fault.Fields{{Field: "demandeur-demploi-45-ans-et-plus", Message: pair(JEUNE, DE45)}}},
		{"SENIOR and ASE", AuthorGEIQ, []Kind{SENIOR, ASE}, fault.Fields{{Field: "aide-sociale-a-lenfance", Message: pair(SENIOR, ASE)}}},
		{"DE_45 and ASE", AuthorGEIQ, []Kind{DE45, ASE}, fault.Fields{{Field: "aide-sociale-a-lenfance", Message: pair(DE45, ASE)}}},
		{"REF_DA and RS_PS_DA", AuthorGEIQ, []Kind{REFDA, RSPSDA}, fault.Fields{{Field: "demandeur-dasile", Message: pair(REFDA, RSPSDA)}}},
		{"SENIOR and DE_45 go together", AuthorGEIQ, []Kind{SENIOR, DE45}, nil},
		{"one FT registration length", AuthorGEIQ, []Kind{DELD12, "FT"}, nil},
		{"two FT registration lengths", AuthorGEIQ, []Kind{DELD12, DELD}, fault.Fields{{Field: CriteriaField, Message: MsgFTRegistration}}},
		{"DELD and DETLD", AuthorGEIQ, []Kind{DETLD, DELD}, fault.Fields{{Field: CriteriaField, Message: MsgFTRegistration}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckGEIQCriteria(tt.author, geiq(tt.kinds...))
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("error %d = %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestGEIQAllowance_EdgeCase48(t *testing.T) {
	tests := []struct {
		name   string
		author AuthorKind
		kinds  []Kind
		want   int
	}{
		{"prescriber, whatever the criteria", AuthorPrescriber, nil, 1400},
		{"GEIQ, one annex-2 level-2", AuthorGEIQ, []Kind{SENIOR}, 0},
		{"GEIQ, two annex-2 level-2", AuthorGEIQ, []Kind{SENIOR, ASE}, 1400},
		{"GEIQ, one level-1", AuthorGEIQ, []Kind{RSA}, 1400},
		{"GEIQ, annex 1 only", AuthorGEIQ, []Kind{"MINIMA"}, 814},
		{"GEIQ, annex 1 and a level-1", AuthorGEIQ, []Kind{"MINIMA", RSA}, 1400},
		{"GEIQ, one 1+2", AuthorGEIQ, []Kind{"TH"}, 814},
		{"GEIQ, one 1+2 and an annex-2 level-2", AuthorGEIQ, []Kind{"TH", SENIOR}, 1400},
		{"GEIQ, annex 0 only", AuthorGEIQ, []Kind{"FT", DELD12}, 0},
		{"GEIQ, nothing", AuthorGEIQ, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := GEIQAllowance(tt.author, geiq(tt.kinds...)); got != tt.want {
				t.Errorf("GEIQAllowance = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestCriterionKey(t *testing.T) {
	if got := (Criterion{ID: 1, Level: Level1}).Key(); got != "level_1_1" {
		t.Errorf("Key = %q", got)
	}
	if got := (Criterion{ID: 18, Level: Level2}).Key(); got != "level_2_18" {
		t.Errorf("Key = %q", got)
	}
}

func TestAuthorKindLabels(t *testing.T) {
	for k, want := range map[AuthorKind]string{AuthorPrescriber: "Prescripteur habilité", AuthorEmployer: "Employeur", AuthorGEIQ: "GEIQ"} {
		if got := k.Label(); got != want {
			t.Errorf("%s.Label() = %q, want %q", k, got, want)
		}
	}
}

func TestRequirementOf_EveryCompanyKind(t *testing.T) {
	want := map[org.CompanyKind]Requirement{
		org.AI: IAEEligibility, org.ACI: IAEEligibility, org.EI: IAEEligibility, org.EITI: IAEEligibility, org.ETTI: IAEEligibility,
		org.GEIQ: GEIQEligibility, org.EA: NoEligibility, org.EATT: NoEligibility, org.OPCS: NoEligibility,
	}
	for kind, w := range want {
		if got := RequirementOf(kind); got != w {
			t.Errorf("RequirementOf(%s) = %d, want %d", kind, got, w)
		}
	}
}
