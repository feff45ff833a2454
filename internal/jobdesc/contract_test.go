package jobdesc

import (
	"slices"
	"testing"

	"emplois/internal/org"
)

func TestAllowedContractTypes_FollowTheCompanyKind(t *testing.T) {
	siae := []ContractType{FixedTermI, FixedTermUsage, Temporary, ProfessionalTraining, Other}
	tests := []struct {
		kind        org.CompanyKind
		convergence bool
		want        []ContractType
	}{
		{"AI", false, siae},
		{"ACI", false, siae},
		{"EI", false, siae},
		{"ETTI", false, siae},
		{"ACI", true, []ContractType{FixedTermI, FixedTermUsage, Temporary, ProfessionalTraining, FixedTermIPHC, FixedTermICVG, Other}},
		{"EI", true, siae}, // only an ACI can be on the Convergence list
		{"EITI", false, []ContractType{BusinessCreation, Other}},
		{"GEIQ", false, []ContractType{Apprenticeship, ProfessionalTraining, Other}},
		{"OPCS", false, []ContractType{Permanent, FixedTerm, Apprenticeship, ProfessionalTraining, Other}},
		{"EA", false, nil},
		{"RESERVED", false, nil},
	}
	for _, tt := range tests {
		got := AllowedContractTypes(tt.kind, tt.convergence)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s (convergence %v): got %v, want %v", tt.kind, tt.convergence, got, tt.want)
		}
		for _, c := range ContractTypes {
			if ContractAllowed(tt.kind, tt.convergence, c) != slices.Contains(tt.want, c) {
				t.Errorf("%s: ContractAllowed(%s) disagrees with the list", tt.kind, c)
			}
		}
	}
}

func TestAllowedContractTypes_CallersCannotChangeTheTable(t *testing.T) {
	got := AllowedContractTypes("GEIQ", false)
	got[0] = Permanent
	if AllowedContractTypes("GEIQ", false)[0] != Apprenticeship {
		t.Fatal("changing a returned list changed the rule")
	}
}

func TestContractType_FrenchLabels(t *testing.T) {
	want := map[ContractType]string{
		Permanent: "CDI", PermanentI: "CDI inclusion", FixedTerm: "CDD", FixedTermUsage: "CDD d'usage",
		FixedTermI: "CDD insertion", FixedTermIPHC: "CDD-I PHC", FixedTermICVG: "CDD-I CVG",
		FixedTermTremplin: "CDD Tremplin", Apprenticeship: "Contrat d'apprentissage",
		ProfessionalTraining: "Contrat de professionalisation", Temporary: "Contrat de mission intérimaire",
		BusinessCreation: "Accompagnement à la création d'entreprise", Other: "Autre type de contrat",
	}
	if len(ContractTypes) != len(want) {
		t.Fatalf("%d contract types, want %d", len(ContractTypes), len(want))
	}
	for _, c := range ContractTypes {
		if c.Label() != want[c] || !c.Valid() {
			t.Errorf("%s: label %q, want %q", c, c.Label(), want[c])
		}
	}
	if ContractType("CDI").Valid() {
		t.Error("a label is not a code")
	}
}
