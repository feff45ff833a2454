package api

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"emplois/internal/application"
	"emplois/internal/org"
	"emplois/internal/platform/fault"
)

// Recherche serves POST /api/v1/candidatures/recherche/ (api.md §3): the applications of one
// person, for the conseils départementaux. The search is national whatever the token's
// département (api.md §10 Q1).
type Recherche struct {
	Applications *application.Service
	BaseURL      *url.URL
	Log          *slog.Logger
}

// Fields of the search's body.
const (
	FieldNIR       = "nir"
	FieldNom       = "nom"
	FieldPrenom    = "prenom"
	FieldBirthdate = "date_naissance"
)

// ParsePersonQuery reads the body's fields into a query, or the framework's errors of each
// faulty field, in the body's order (api.md §3.2).
func ParsePersonQuery(fields map[string]credential) (application.PersonQuery, error) {
	var errs fault.Fields
	var q application.PersonQuery
	for _, f := range []struct {
		name string
		to   *string
	}{{FieldNIR, &q.NIR}, {FieldNom, &q.LastName}, {FieldPrenom, &q.FirstName}} {
		c := fields[f.name]
		c.value = strings.TrimSpace(c.value)
		c.check(&errs, f.name)
		*f.to = c.value
	}
	if c := fields[FieldBirthdate]; c.absence() != "" {
		errs.Add(FieldBirthdate, c.absence())
	} else {
		d, err := time.Parse(time.DateOnly, strings.TrimSpace(c.value))
		if err != nil {
			errs.Add(FieldBirthdate, MsgDateFormat)
		}
		q.Birthdate = d
	}
	return q, errs.Err()
}

// Poste is a fiche de poste of an application: ROME code, ROME label, city.
type PosteRecherche struct {
	Rome  string `json:"rome"`
	Titre string `json:"titre"`
	Ville string `json:"ville"`
}

// Candidature is an application as the original's search serializes it (api.md §3.4).
type Candidature struct {
	IdentifiantUnique               string           `json:"identifiant_unique"`
	CreeLe                          string           `json:"cree_le"`
	MisAJourLe                      string           `json:"mis_a_jour_le"`
	DernierChangementLe             string           `json:"dernier_changement_le"`
	Statut                          string           `json:"statut"`
	CandidatNIR                     string           `json:"candidat_nir"`
	CandidatNom                     string           `json:"candidat_nom"`
	CandidatPrenom                  string           `json:"candidat_prenom"`
	CandidatDateNaissance           string           `json:"candidat_date_naissance"`
	CandidatEmail                   *string          `json:"candidat_email"`
	CandidatTelephone               *string          `json:"candidat_telephone"`
	CandidatPassIAEStatut           *string          `json:"candidat_pass_iae_statut"`
	CandidatPassIAENumero           *string          `json:"candidat_pass_iae_numero"`
	CandidatPassIAEDateDebut        *string          `json:"candidat_pass_iae_date_debut"`
	CandidatPassIAEDateFin          *string          `json:"candidat_pass_iae_date_fin"`
	EntrepriseType                  string           `json:"entreprise_type"`
	EntrepriseNom                   string           `json:"entreprise_nom"`
	EntrepriseSiret                 string           `json:"entreprise_siret"`
	EntrepriseAdresse               *string          `json:"entreprise_adresse"`
	EntrepriseEmployeurEmail        string           `json:"entreprise_employeur_email"`
	OrientationEmetteurType         string           `json:"orientation_emetteur_type"`
	OrientationEmetteurSousType     *string          `json:"orientation_emetteur_sous_type"`
	OrientationEmetteurNom          *string          `json:"orientation_emetteur_nom"`
	OrientationEmetteurPrenom       *string          `json:"orientation_emetteur_prenom"`
	OrientationEmetteurEmail        *string          `json:"orientation_emetteur_email"`
	OrientationEmetteurOrganisme    *string          `json:"orientation_emetteur_organisme"`
	OrientationEmetteurOrganismeTel *string          `json:"orientation_emetteur_organisme_telephone"`
	OrientationPostesRecherches     []PosteRecherche `json:"orientation_postes_recherches"`
	OrientationCandidatMessage      string           `json:"orientation_candidat_message"`
	OrientationCandidatCV           string           `json:"orientation_candidat_cv"`
	ContratDateDebut                *string          `json:"contrat_date_debut"`
	ContratDateFin                  *string          `json:"contrat_date_fin"`
	ContratPosteRetenu              *PosteRecherche  `json:"contrat_poste_retenu"`
}

func dateOrNil(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

// companyAddress is "line 1, line 2, post code city", nil without line 1, post code or city.
func companyAddress(a application.FoundApplication) *string {
	if a.CompanyLine1 == "" || a.CompanyPost == "" || a.CompanyCity == "" {
		return nil
	}
	parts := []string{a.CompanyLine1}
	if a.CompanyLine2 != "" {
		parts = append(parts, a.CompanyLine2)
	}
	s := strings.Join(append(parts, a.CompanyPost+" "+a.CompanyCity), ", ")
	return &s
}

// NewCandidature serializes an application of the person found.
func NewCandidature(base *url.URL, p *application.PersonFound, a application.FoundApplication) Candidature {
	c := Candidature{IdentifiantUnique: a.PublicID, CreeLe: isoTime(a.CreatedAt), MisAJourLe: isoTime(a.UpdatedAt),
		DernierChangementLe: isoTime(a.LastModificationAt), Statut: string(a.State),
		CandidatNIR: p.NIR, CandidatNom: p.LastName, CandidatPrenom: p.FirstName,
		CandidatDateNaissance: p.Birthdate.Format(time.DateOnly), CandidatEmail: p.Email, CandidatTelephone: &p.Phone,
		EntrepriseType: a.CompanyKind, EntrepriseNom: a.CompanyName, EntrepriseSiret: a.CompanySIRET,
		EntrepriseAdresse: companyAddress(a), EntrepriseEmployeurEmail: a.CompanyEmail,
		OrientationEmetteurType: a.SenderKind, OrientationEmetteurNom: a.SenderLastName,
		OrientationEmetteurPrenom: a.SenderFirstName, OrientationEmetteurEmail: a.SenderEmail,
		OrientationPostesRecherches: []PosteRecherche{}, OrientationCandidatMessage: a.Message,
		ContratDateDebut: dateOrNil(a.HiringStartAt), ContratDateFin: dateOrNil(a.HiringEndAt)}
	if a.CompanyBrand != "" {
		c.EntrepriseNom = a.CompanyBrand
	}
	if org.Source(a.CompanySource) == org.SourceUserCreated && len(c.EntrepriseSiret) > 9 {
		c.EntrepriseSiret = c.EntrepriseSiret[:9]
	}
	switch {
	case a.SenderKind == "prescriber" && a.SenderOrgKind != nil:
		c.OrientationEmetteurSousType, c.OrientationEmetteurOrganisme, c.OrientationEmetteurOrganismeTel = a.SenderOrgKind, a.SenderOrgName, a.SenderOrgPhone
	case a.SenderKind == "employer" && a.SenderCompanyKind != nil:
		c.OrientationEmetteurSousType, c.OrientationEmetteurOrganisme, c.OrientationEmetteurOrganismeTel = a.SenderCompanyKind, a.SenderCompanyName, a.SenderCompanyPhone
	}
	if pass := p.Approval; pass != nil {
		state, number := string(pass.State(p.Today)), pass.Number
		c.CandidatPassIAEStatut, c.CandidatPassIAENumero = &state, &number
		c.CandidatPassIAEDateDebut, c.CandidatPassIAEDateFin = dateOrNil(&pass.StartAt), dateOrNil(&pass.EndAt)
	}
	for _, j := range a.Jobs {
		c.OrientationPostesRecherches = append(c.OrientationPostesRecherches, PosteRecherche{Rome: j.Rome, Titre: j.Title, Ville: j.City})
	}
	if j := a.HiredJob; j != nil {
		c.ContratPosteRetenu = &PosteRecherche{Rome: j.Rome, Titre: j.Title, Ville: j.City}
	}
	if a.ResumeKey != "" {
		c.OrientationCandidatCV = strings.TrimSuffix(base.String(), "/") + "/apply/" + a.PublicID + "/resume"
	}
	return c
}

// Handler answers POST /api/v1/candidatures/recherche/.
func (h *Recherche) Handler(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodOptions {
		w.Header().Set("Allow", "POST, OPTIONS")
		WriteJSON(w, http.StatusOK, map[string]any{"name": "Recherche de candidatures", "renders": []string{"application/json"},
			"parses": []string{"application/json", "application/x-www-form-urlencoded", "multipart/form-data"}})
		return
	}
	page, err := h.search(w, r)
	if err != nil {
		fail(w, r, h.Log, err)
		return
	}
	WriteJSON(w, http.StatusOK, page)
}

func (h *Recherche) search(w http.ResponseWriter, r *http.Request) (Page[Candidature], error) {
	fields, err := readBodyFields(w, r, FieldNIR, FieldNom, FieldPrenom, FieldBirthdate)
	if err != nil {
		return Page[Candidature]{}, err
	}
	q, err := ParsePersonQuery(fields)
	if err != nil {
		return Page[Candidature]{}, err
	}
	p, err := ParsePage(r.URL.Query(), 0)
	if err != nil {
		return Page[Candidature]{}, err
	}
	ctx := r.Context()
	person, err := h.Applications.FindPerson(ctx, q)
	if err != nil {
		return Page[Candidature]{}, err
	}
	count := 0
	if person != nil {
		if count, err = h.Applications.CountPersonApplications(ctx, person.ID); err != nil {
			return Page[Candidature]{}, err
		}
	}
	n, err := p.Resolve(count)
	if err != nil {
		return Page[Candidature]{}, err
	}
	var results []Candidature
	if count > 0 {
		found, err := h.Applications.PersonApplications(ctx, person.ID, p.Offset(n), p.Size)
		if err != nil {
			return Page[Candidature]{}, err
		}
		for _, a := range found {
			results = append(results, NewCandidature(h.BaseURL, person, a))
		}
	}
	return NewPage(h.BaseURL, r, n, p.Size, count, results), nil
}
