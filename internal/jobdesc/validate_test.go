package jobdesc

import (
	"strings"
	"testing"

	"emplois/internal/org"
)

func validInput() Input {
	return Input{Appellation: "10688", ContractType: string(FixedTermI), HoursPerWeek: "26", OpenPositions: "2",
		Description: "Entretien des bureaux", ProfileDescription: "Aucun diplôme requis"}
}

func TestValidate_AcceptsAWellFilledFiche(t *testing.T) {
	v, errs := Validate(validInput(), "ACI", false)
	if len(errs) > 0 {
		t.Fatalf("refused: %v", errs)
	}
	if v.ContractType != FixedTermI || v.HoursPerWeek == nil || *v.HoursPerWeek != 26 || v.OpenPositions != 2 {
		t.Fatalf("values = %+v", v)
	}
}

func TestValidate_OpenPositionsDefaultsToOneAndHoursAreOptional(t *testing.T) {
	in := validInput()
	in.OpenPositions, in.HoursPerWeek = "", ""
	v, errs := Validate(in, "EI", false)
	if len(errs) > 0 {
		t.Fatalf("refused: %v", errs)
	}
	if v.OpenPositions != 1 || v.HoursPerWeek != nil {
		t.Fatalf("open positions %d, hours %v", v.OpenPositions, v.HoursPerWeek)
	}
}

func TestValidate_RefusesEachBadValueWithAFrenchMessage(t *testing.T) {
	tests := []struct {
		name  string
		kind  org.CompanyKind
		edit  func(*Input)
		field string
		want  string
	}{
		{"no appellation", "ACI", func(in *Input) { in.Appellation = " " }, "appellation", "obligatoire"},
		{"appellation text emptied, an old pick left", "ACI", func(in *Input) { in.Appellation, in.AppellationCode = "", "10688" }, "appellation", "obligatoire"},
		{"custom title of 256 characters", "ACI", func(in *Input) { in.CustomName = strings.Repeat("é", 256) }, "custom_name", "255 caractères"},
		{"no contract type", "ACI", func(in *Input) { in.ContractType = "" }, "contract_type", "obligatoire"},
		{"unknown contract type", "ACI", func(in *Input) { in.ContractType = "CDI" }, "contract_type", "n'est pas proposé"},
		{"CDI for an ACI", "ACI", func(in *Input) { in.ContractType = string(Permanent) }, "contract_type", "n'est pas proposé"},
		{"CDD insertion for a GEIQ", "GEIQ", func(in *Input) { in.ContractType = string(FixedTermI) }, "contract_type", "n'est pas proposé"},
		{"PHC for an ACI outside Convergence", "ACI", func(in *Input) { in.ContractType = string(FixedTermIPHC) }, "contract_type", "n'est pas proposé"},
		{"any contract for an EA", "EA", func(in *Input) { in.ContractType = string(Other); in.OtherContractType = "CDI" }, "contract_type", "n'est pas proposé"},
		{"other without precision", "ACI", func(in *Input) { in.ContractType = string(Other) }, "other_contract_type", "Précisez"},
		{"precision without other", "ACI", func(in *Input) { in.OtherContractType = "Stage" }, "other_contract_type", "Autre type de contrat"},
		{"0 hours", "ACI", func(in *Input) { in.HoursPerWeek = "0" }, "hours_per_week", "entre 1 et 48"},
		{"49 hours", "ACI", func(in *Input) { in.HoursPerWeek = "49" }, "hours_per_week", "entre 1 et 48"},
		{"hours in words", "ACI", func(in *Input) { in.HoursPerWeek = "trente" }, "hours_per_week", "nombre entier"},
		{"0 positions", "ACI", func(in *Input) { in.OpenPositions = "0" }, "open_positions", "au moins 1"},
		{"negative positions", "ACI", func(in *Input) { in.OpenPositions = "-3" }, "open_positions", "au moins 1"},
		{"OPCS without market context", "OPCS", func(in *Input) { in.ContractType = string(Permanent) }, "market_context_description", "contexte du marché"},
		{"QPV for an ACI", "ACI", func(in *Input) { in.IsQPVMandatory = true }, "is_qpv_mandatory", "clause sociale"},
		{"market context for an EI", "EI", func(in *Input) { in.MarketContextDescription = "Marché" }, "market_context_description", "clause sociale"},
		{"missions too long", "ACI", func(in *Input) { in.Description = strings.Repeat("a", MaxTextLength+1) }, "description", "trop long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInput()
			tt.edit(&in)
			_, errs := Validate(in, tt.kind, false)
			if msg := errs.On(tt.field); !strings.Contains(msg, tt.want) {
				t.Fatalf("error on %s = %q, want it to contain %q (all: %v)", tt.field, msg, tt.want, errs)
			}
		})
	}
}

func TestValidate_AcceptsTheEdges(t *testing.T) {
	tests := []struct {
		name string
		kind org.CompanyKind
		edit func(*Input)
	}{
		{"1 hour", "ACI", func(in *Input) { in.HoursPerWeek = "1" }},
		{"48 hours", "ACI", func(in *Input) { in.HoursPerWeek = " 48 " }},
		{"1 position", "ACI", func(in *Input) { in.OpenPositions = "1" }},
		{"custom title of 255 characters", "ACI", func(in *Input) { in.CustomName = strings.Repeat("é", 255) }},
		{"other with precision", "GEIQ", func(in *Input) { in.ContractType = string(Other); in.OtherContractType = "Contrat de chantier" }},
		{"PHC for an ACI of Convergence", "ACI", func(in *Input) { in.ContractType = string(FixedTermIPHC) }},
		{"OPCS with market context and QPV", "OPCS", func(in *Input) {
			in.ContractType = string(Permanent)
			in.MarketContextDescription = "Marché de rénovation"
			in.IsQPVMandatory = true
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInput()
			tt.edit(&in)
			if _, errs := Validate(in, tt.kind, true); len(errs) > 0 {
				t.Fatalf("refused: %v", errs)
			}
		})
	}
}
