package jobdesc

import (
	"emplois/internal/platform/fault"
	"strconv"
	"strings"
	"unicode/utf8"

	"emplois/internal/org"
)

// Limits of the form (actors.md §4.6).
const (
	MaxCustomNameLength  = 255
	MaxOtherContractLen  = 255
	MaxHoursPerWeek      = 48
	MinHoursPerWeek      = 1
	MinOpenPositions     = 1
	MaxOpenPositions     = 32767 // the column is a small integer in les-emplois
	MaxTextLength        = 10000 // missions, profile, market context: a guard, not a writing rule
	DefaultOpenPositions = 1
)

// French messages of the form.
const (
	msgRequired          = "Ce champ est obligatoire."
	msgAppellationGone   = "Ce métier n'existe pas dans le répertoire ROME : choisissez-le dans la liste proposée, ou saisissez son code ou son intitulé exact."
	msgCommuneUnknown    = "Cette commune est inconnue : choisissez-la dans la liste proposée, ou saisissez son code INSEE ou son nom exact."
	msgContractForKind   = "Ce type de contrat n'est pas proposé aux structures de ce type."
	msgOtherContract     = "Précisez le type de contrat."
	msgOtherOnlyForOther = "Ne précisez le type de contrat que pour « Autre type de contrat »."
	msgOPCSOnly          = "Ce champ est réservé aux organisations porteuses de la clause sociale."
	msgMarketContext     = "Décrivez le contexte du marché : il est obligatoire pour une organisation porteuse de la clause sociale."
	msgWholeNumber       = "Saisissez un nombre entier."
)

// Input is a fiche de poste as the employer typed it. Appellation and Location are what the two
// autocomplete inputs hold (a code, or a label); AppellationCode and LocationCode are the codes
// the autocomplete picked, when JavaScript ran (or of the fiche being edited): they count only
// while the input still shows what they name. Numbers are raw text.
type Input struct {
	Appellation              string
	AppellationCode          string
	CustomName               string
	Description              string
	ProfileDescription       string
	ContractType             string
	OtherContractType        string
	Location                 string
	LocationCode             string
	HoursPerWeek             string
	OpenPositions            string
	IsResumeMandatory        bool
	IsQPVMandatory           bool
	MarketContextDescription string
}

// Values are the checked values of an Input, ready to store (the appellation and commune are
// resolved against the reference tables by the service).
type Values struct {
	CustomName               string
	Description              string
	ProfileDescription       string
	ContractType             ContractType
	OtherContractType        string
	HoursPerWeek             *int
	OpenPositions            int
	IsResumeMandatory        bool
	IsQPVMandatory           bool
	MarketContextDescription string
}

// Validate checks everything about in that needs no database, for a company of this kind
// (convergence: an ACI of the Convergence/PHC list). The appellation must still be resolved.
func Validate(in Input, kind org.CompanyKind, convergence bool) (Values, fault.Fields) {
	var errs fault.Fields
	v := Values{
		CustomName:               strings.TrimSpace(in.CustomName),
		Description:              strings.TrimSpace(in.Description),
		ProfileDescription:       strings.TrimSpace(in.ProfileDescription),
		ContractType:             ContractType(strings.TrimSpace(in.ContractType)),
		OtherContractType:        strings.TrimSpace(in.OtherContractType),
		IsResumeMandatory:        in.IsResumeMandatory,
		IsQPVMandatory:           in.IsQPVMandatory,
		MarketContextDescription: strings.TrimSpace(in.MarketContextDescription),
		OpenPositions:            DefaultOpenPositions,
	}
	if strings.TrimSpace(in.Appellation) == "" { // the text counts: a picked code only tells which one it names
		errs.Add("appellation", msgRequired)
	}
	if utf8.RuneCountInString(v.CustomName) > MaxCustomNameLength {
		errs.Add("custom_name", tooLong(MaxCustomNameLength))
	}
	switch {
	case v.ContractType == "":
		errs.Add("contract_type", msgRequired)
	case !ContractAllowed(kind, convergence, v.ContractType):
		errs.Add("contract_type", msgContractForKind)
	}
	switch {
	case v.ContractType == Other && v.OtherContractType == "":
		errs.Add("other_contract_type", msgOtherContract)
	case v.ContractType != Other && v.OtherContractType != "":
		errs.Add("other_contract_type", msgOtherOnlyForOther)
	case utf8.RuneCountInString(v.OtherContractType) > MaxOtherContractLen:
		errs.Add("other_contract_type", tooLong(MaxOtherContractLen))
	}
	if s := strings.TrimSpace(in.HoursPerWeek); s != "" {
		if n, ok := wholeNumber(s); !ok {
			errs.Add("hours_per_week", msgWholeNumber)
		} else if n < MinHoursPerWeek || n > MaxHoursPerWeek {
			errs.Add("hours_per_week", "Saisissez un nombre d'heures entre 1 et 48.")
		} else {
			v.HoursPerWeek = &n
		}
	}
	if s := strings.TrimSpace(in.OpenPositions); s != "" {
		if n, ok := wholeNumber(s); !ok {
			errs.Add("open_positions", msgWholeNumber)
		} else if n < MinOpenPositions || n > MaxOpenPositions {
			errs.Add("open_positions", "Saisissez un nombre de postes d'au moins 1.")
		} else {
			v.OpenPositions = n
		}
	}
	for field, text := range map[string]string{"description": v.Description,
		"profile_description": v.ProfileDescription, "market_context_description": v.MarketContextDescription} {
		if utf8.RuneCountInString(text) > MaxTextLength {
			errs.Add(field, tooLong(MaxTextLength))
		}
	}
	if kind == org.OPCS {
		if v.MarketContextDescription == "" {
			errs.Add("market_context_description", msgMarketContext)
		}
	} else {
		if v.IsQPVMandatory {
			errs.Add("is_qpv_mandatory", msgOPCSOnly)
		}
		if v.MarketContextDescription != "" {
			errs.Add("market_context_description", msgOPCSOnly)
		}
	}
	return v, byField(errs)
}

func tooLong(n int) string {
	return "Ce texte est trop long : " + strconv.Itoa(n) + " caractères au plus."
}

// wholeNumber parses a whole number as people type it ("35", " 35 ").
func wholeNumber(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}
