package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"emplois/internal/account"
	"emplois/internal/apitoken"
	"emplois/internal/application"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
)

// EmbauchesGEIQ serves GET /api/v1/embauches-geiq/ (api.md §6): the hires in GEIQ that the GEIQ
// label reads with its company token, or a superuser with their session.
type EmbauchesGEIQ struct {
	Applications *application.Service
	Accounts     *account.Service
	BaseURL      *url.URL
	Log          *slog.Logger
}

// ParamSIREN keeps the hires of the companies of one SIREN.
const ParamSIREN = "siren"

// EmbauchesGEIQParams lists every parameter of embauches-geiq/.
var EmbauchesGEIQParams = []string{ParamSIREN, ParamPage, ParamPageSize}

// MsgInvalidSIREN is the original's answer to a siren that is not 9 digits, in English.
const MsgInvalidSIREN = "Invalid SIREN."

// Permission is embauches-geiq/'s (api.md §1.5): any company token, or the session of a
// superuser (account.PermSuperuser); any other session, staff included, is refused.
func (e *EmbauchesGEIQ) Permission() Permission {
	return Permission{Name: "company-token-or-superuser", Allow: func(ctx context.Context, id Identity) (bool, error) {
		switch {
		case id.Token != nil:
			return id.Token.Kind == apitoken.CompanyToken, nil
		case id.Scheme == SessionAuth && id.UserKind == actor.Staff:
			return e.Accounts.Holds(ctx, id.Actor(), account.PermSuperuser)
		}
		return false, nil
	}}
}

// ValidSIREN reports whether s is a SIREN: exactly 9 digits.
func ValidSIREN(s string) bool {
	return len(s) == 9 && !strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
}

// Handler answers GET /api/v1/embauches-geiq/.
func (e *EmbauchesGEIQ) Handler(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	sc := application.GEIQHireScope{SIREN: q.Get(ParamSIREN)}
	// Given, even empty, it must be a SIREN; checked before any query of the hires.
	if _, given := q[ParamSIREN]; given && !ValidSIREN(sc.SIREN) {
		WriteError(w, http.StatusBadRequest, MsgInvalidSIREN)
		return
	}
	p, err := ParsePage(q, 0)
	if err != nil {
		fail(w, r, e.Log, err)
		return
	}
	if t := IdentityOf(r).Token; t != nil {
		sc.CompanyIDs = t.CompanyIDs
	} else {
		sc.All = true // the Permission let in only a superuser's session
	}
	ctx := r.Context()
	WritePage(w, r, e.Log, e.BaseURL, p, func() (int, error) { return e.Applications.CountGEIQHires(ctx, sc) },
		func(offset, limit int) ([]EmbaucheGEIQ, error) {
			hires, err := e.Applications.GEIQHires(ctx, sc, offset, limit)
			out := make([]EmbaucheGEIQ, len(hires))
			for i := range hires {
				out[i] = NewEmbaucheGEIQ(&hires[i])
			}
			return out, err
		})
}

// EmbaucheGEIQ is a hire as the GEIQ label reads it (api.md §6).
type EmbaucheGEIQ struct {
	IDEmbauche            string       `json:"id_embauche"`
	IDUtilisateur         string       `json:"id_utilisateur"`
	SiretEmployeur        string       `json:"siret_employeur"`
	Nom                   string       `json:"nom"`
	Prenom                string       `json:"prenom"`
	DateNaissance         *string      `json:"date_naissance"`
	Civilite              *string      `json:"civilite"`
	AdresseLigne1         string       `json:"adresse_ligne_1"`
	AdresseLigne2         string       `json:"adresse_ligne_2"`
	AdresseCodePostal     string       `json:"adresse_code_postal"`
	AdresseVille          string       `json:"adresse_ville"`
	PrescripteurOrigine   string       `json:"prescripteur_origine"`
	PrecisionPrescripteur string       `json:"precision_prescripteur"`
	CriteresEligibilite   []string     `json:"criteres_eligibilite"`
	AuteurDiagnostic      *string      `json:"auteur_diagnostic"`
	NiveauFormation       *string      `json:"niveau_formation"`
	MisesEnSituationPro   []ActionGEIQ `json:"mises_en_situation_pro"`
	Prequalifications     []ActionGEIQ `json:"prequalifications"`
	TypeContrat           *string      `json:"type_contrat"`
	PosteOccupe           *string      `json:"poste_occupe"`
	DureeHebdo            *int         `json:"duree_hebdo"`
	DateDebutContrat      *string      `json:"date_debut_contrat"`
	DateFinContrat        *string      `json:"date_fin_contrat"`
	TypeQualification     *string      `json:"type_qualification"`
	NiveauQualification   *string      `json:"niveau_qualification"`
	NbHeuresFormation     *int         `json:"nb_heures_formation"`
	EstVAEInversee        *bool        `json:"est_vae_inversee"`
}

// ActionGEIQ is a prior action of a hire: its label code and its inclusive dates.
type ActionGEIQ struct {
	Code      string `json:"code"`
	DateDebut string `json:"date_debut"`
	DateFin   string `json:"date_fin"`
}

// NewEmbaucheGEIQ serializes a hire with the label's codes (api.md §6's table).
func NewEmbaucheGEIQ(h *application.GEIQHire) EmbaucheGEIQ {
	e := EmbaucheGEIQ{IDEmbauche: h.PublicID, IDUtilisateur: h.JobSeekerPublicID, SiretEmployeur: h.CompanySIRET,
		Nom: h.LastName, Prenom: h.FirstName, DateNaissance: day(h.Birthdate), Civilite: nullable(LabelTitle(h.Title)),
		AdresseLigne1: h.AddressLine1, AdresseLigne2: h.AddressLine2, AdresseCodePostal: h.PostCode, AdresseVille: h.City,
		PrescripteurOrigine: LabelSenderOrigin(h.SenderOrgKind), PrecisionPrescripteur: SenderPrecision(h.SenderKind, h.SenderOrgKind),
		CriteresEligibilite: LabelCriteria(h.CriteriaCodes), AuteurDiagnostic: nullable(LabelDiagnosisAuthor(h.DiagnosisAuthorKind)),
		NiveauFormation: nullable(LabelEducationLevel(h.EducationLevel)), MisesEnSituationPro: []ActionGEIQ{}, Prequalifications: []ActionGEIQ{},
		TypeContrat: nullable(LabelContractType(string(h.ContractType))), PosteOccupe: nullable(h.HiredRome), DureeHebdo: h.NbHoursPerWeek,
		DateDebutContrat: day(h.HiringStartAt), DateFinContrat: day(h.HiringEndAt),
		TypeQualification: nullable(LabelQualificationType(h.QualificationType)), NiveauQualification: nullable(LabelQualificationLevel(h.QualificationLevel)),
		NbHeuresFormation: h.PlannedTrainingHours, EstVAEInversee: h.InvertedVAEContract}
	for _, a := range h.PriorActions {
		code, situation := LabelPriorAction(a.Action)
		action := ActionGEIQ{Code: code, DateDebut: a.StartAt.Format(time.DateOnly), DateFin: a.EndAt.Format(time.DateOnly)}
		if situation {
			e.MisesEnSituationPro = append(e.MisesEnSituationPro, action)
		} else {
			e.Prequalifications = append(e.Prequalifications, action)
		}
	}
	return e
}

// day is a date as the API writes it, nil when unknown.
func day(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

// The label's codes (api.md §6): each function maps one stored value, "" when the label has
// no code for it (null in JSON).

// LabelTitle: M is H (« Homme »), MME is F (« Femme »).
func LabelTitle(title string) string {
	switch title {
	case "M":
		return "H"
	case "MME":
		return "F"
	}
	return ""
}

// LabelSenderOrigin is the label's code of the sender's prescriber organization kind, AUTRE for
// any other kind or without organization.
func LabelSenderOrigin(orgKind string) string {
	switch k := org.PrescriberKind(orgKind); k {
	case org.CapEmploi, org.ML, org.FT, org.PLIE:
		return string(k)
	case org.ODC, org.Dept, org.ASE:
		return "CT"
	}
	return "AUTRE"
}

// SenderPrecision is the name of the sender's prescriber organization kind, else of the sender
// kind.
func SenderPrecision(kind application.SenderKind, orgKind string) string {
	if orgKind != "" {
		return org.PrescriberKind(orgKind).Label()
	}
	return kind.Label()
}

// LabelCriteria are the codes of a GEIQ diagnosis's criteria: each stored code split on « | »,
// de-duplicated and sorted; a criterion without code adds nothing.
func LabelCriteria(stored []string) []string {
	codes := []string{}
	for _, s := range stored {
		for _, c := range strings.Split(s, "|") {
			if c != "" {
				codes = append(codes, c)
			}
		}
	}
	slices.Sort(codes)
	return slices.Compact(codes)
}

// LabelDiagnosisAuthor is the author kind of the GEIQ diagnosis (EMPLOYEUR, which the label
// also knows, is the author of IAE diagnoses only).
func LabelDiagnosisAuthor(kind string) string {
	switch kind {
	case "prescriber":
		return "PRESCRIPTEUR"
	case "employer":
		return "EMPLOYEUR"
	case "geiq":
		return "GEIQ"
	}
	return ""
}

// LabelEducationLevel groups the ASP education levels.
func LabelEducationLevel(level string) string {
	switch level {
	case "00", "01", "60", "70":
		return "SQ"
	case "50", "51":
		return "N3"
	case "40", "41":
		return "N4"
	case "10", "20", "30":
		return "N5"
	}
	return ""
}

// LabelPriorAction is the label's code of a prior action, and whether it is a professional
// situation (else a pre-qualification).
func LabelPriorAction(k application.PriorActionKind) (code string, situation bool) {
	switch k {
	case application.ActionPMSMP, application.ActionMRS, application.ActionStage:
		return string(k), true
	case application.ActionOtherSituation:
		return "AUTRE", true
	case application.ActionRegionalOrSectoral:
		return "LOCAL_PLAN", false
	case application.ActionOtherQualification:
		return "AUTRE", false
	}
	return string(k), false // AFPR, POE
}

// LabelContractType maps the contract types; those the label does not know give "".
func LabelContractType(t string) string {
	switch t {
	case string(jobdesc.FixedTerm):
		return "CDD"
	case string(jobdesc.Permanent):
		return "CDI"
	case string(application.ContractProfessionalTraining):
		return "CPRO"
	case string(application.ContractApprenticeship):
		return "CAPP"
	case string(application.ContractOther):
		return "Autre SF"
	}
	return ""
}

// LabelQualificationType: a state diploma is RNCP.
func LabelQualificationType(t application.QualificationType) string {
	switch t {
	case application.QualificationStateDiploma:
		return "RNCP"
	case application.QualificationCQP, application.QualificationCCN:
		return string(t)
	}
	return ""
}

// LabelQualificationLevel: levels 3 to 5 are N3 to N5, « non pertinent » is SQ.
func LabelQualificationLevel(l application.QualificationLevel) string {
	switch l {
	case application.Level3:
		return "N3"
	case application.Level4:
		return "N4"
	case application.Level5:
		return "N5"
	case application.LevelNotRelevant:
		return "SQ"
	}
	return ""
}
