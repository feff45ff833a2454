package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"emplois/internal/jobseeker"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/fault"
)

// Candidats serves GET /api/v1/candidats/: the job seekers who applied to the caller's companies
// (api.md §2), for the employers' recruitment software.
type Candidats struct {
	Orgs       *org.Service
	JobSeekers *jobseeker.Service
	BaseURL    *url.URL
	Log        *slog.Logger
}

// Query parameters of GET /api/v1/candidats/.
const (
	ParamMultiCompanies = "mode_multi_structures"
	ParamCompanyUIDs    = "uid_structures"
)

// adminCompanies is the set S of api.md §2.2: the caller's active memberships in companies that
// are active or in their grace period, in the order the memberships were made. The France
// Travail holder (RESERVED) is not an employer's company and is left out.
func (c *Candidats) adminCompanies(ctx context.Context, userID int64) ([]org.Affiliation, error) {
	oc, err := c.Orgs.ContextFor(ctx, userID, "")
	if err != nil {
		return nil, err
	}
	companies := slices.DeleteFunc(slices.Clone(oc.Affiliations), func(a org.Affiliation) bool {
		return a.Type != org.TypeCompany || org.CompanyKind(a.Kind) == org.Reserved
	})
	slices.SortStableFunc(companies, func(a, b org.Affiliation) int { return a.JoinedAt.Compare(b.JoinedAt) })
	return companies, nil
}

// AllAdmins reports whether the memberships let their user call candidats/: some, all admin.
func AllAdmins(companies []org.Affiliation) bool {
	return len(companies) > 0 && !slices.ContainsFunc(companies, func(a org.Affiliation) bool { return !a.IsAdmin })
}

// Permission is candidats/'s (api.md §2.2): a professional admin of every company of S.
func (c *Candidats) Permission() Permission {
	return Permission{Name: "companies-admin", Allow: func(ctx context.Context, id Identity) (bool, error) {
		if id.UserID == 0 || id.UserKind != actor.Professional {
			return false, nil
		}
		companies, err := c.adminCompanies(ctx, id.UserID)
		return AllAdmins(companies), err
	}}
}

// SelectCompanies picks the companies whose applicants are listed (api.md §2.3), from S in
// membership order: those whose uid is listed when uids were given (possibly none), all of them
// in multi mode, else the first.
func SelectCompanies(s []org.Affiliation, uids []string, multi bool) []org.Affiliation {
	switch {
	case uids != nil:
		return slices.DeleteFunc(slices.Clone(s), func(a org.Affiliation) bool { return !slices.Contains(uids, a.UID) })
	case multi:
		return s
	case len(s) > 0:
		return s[:1]
	}
	return nil
}

// ParseCandidatsQuery reads mode_multi_structures (a boolean as the framework reads one: any
// other value is a 400 « Saisie invalide. ») and the first uid_structures (nil when absent or
// without a uid).
func ParseCandidatsQuery(v url.Values) (uids []string, multi bool, err error) {
	multi, err = ParseBool(v.Get(ParamMultiCompanies))
	if err != nil {
		return nil, false, err
	}
	for _, uid := range strings.Split(v.Get(ParamCompanyUIDs), ",") {
		if uid != "" {
			uids = append(uids, uid)
		}
	}
	return uids, multi, nil
}

// ParseBool reads a boolean parameter as the framework's filters do: "" is false (absent).
func ParseBool(raw string) (bool, error) {
	switch strings.ToLower(raw) {
	case "", "0", "false", "f", "no", "n", "off":
		return false, nil
	case "1", "true", "t", "yes", "y", "on":
		return true, nil
	}
	return false, fault.Invalid(MsgInvalidInput)
}

// Candidat is a job seeker as the original serializes them (api.md §2.5).
type Candidat struct {
	Civilite          string   `json:"civilite"`
	Nom               string   `json:"nom"`
	Prenom            string   `json:"prenom"`
	Courriel          *string  `json:"courriel"`
	Telephone         string   `json:"telephone"`
	Adresse           string   `json:"adresse"`
	ComplementAdresse string   `json:"complement_adresse"`
	CodePostal        string   `json:"code_postal"`
	Ville             string   `json:"ville"`
	DateNaissance     *string  `json:"date_naissance"`
	LieuNaissance     *string  `json:"lieu_naissance"`
	PaysNaissance     *string  `json:"pays_naissance"`
	LienCV            *string  `json:"lien_cv"` // deprecated: always null
	UIDStructures     []string `json:"uid_structures"`
}

// MsgNoTitle is the civilité of a person who gave none.
const MsgNoTitle = "Non fournie"

// NewCandidat serializes an applicant.
func NewCandidat(a jobseeker.Applicant) Candidat {
	c := Candidat{Civilite: a.Title, Nom: a.LastName, Prenom: a.FirstName, Courriel: a.Email, Telephone: a.Phone,
		Adresse: a.AddressLine1, ComplementAdresse: a.AddressLine2, CodePostal: a.PostCode, Ville: a.City,
		LieuNaissance: a.BirthPlace, PaysNaissance: a.BirthCountry, UIDStructures: a.CompanyUIDs}
	if c.Civilite == "" {
		c.Civilite = MsgNoTitle
	}
	if a.Birthdate != nil {
		d := a.Birthdate.Format("2006-01-02")
		c.DateNaissance = &d
	}
	if c.UIDStructures == nil {
		c.UIDStructures = []string{}
	}
	return c
}

// ListHandler answers GET /api/v1/candidats/.
func (c *Candidats) ListHandler(w http.ResponseWriter, r *http.Request) {
	page, err := c.list(r)
	if err != nil {
		fail(w, r, c.Log, err)
		return
	}
	WriteJSON(w, http.StatusOK, page)
}

func (c *Candidats) list(r *http.Request) (Page[Candidat], error) {
	ctx := r.Context()
	uids, multi, err := ParseCandidatsQuery(r.URL.Query())
	if err != nil {
		return Page[Candidat]{}, err
	}
	p, err := ParsePage(r.URL.Query(), 0)
	if err != nil {
		return Page[Candidat]{}, err
	}
	s, err := c.adminCompanies(ctx, IdentityOf(r).UserID)
	if err != nil {
		return Page[Candidat]{}, err
	}
	selected := SelectCompanies(s, uids, multi)
	ids := make([]int64, len(selected))
	for i, a := range selected {
		ids[i] = a.ID
	}
	count, err := c.JobSeekers.CountApplicants(ctx, ids)
	if err != nil {
		return Page[Candidat]{}, err
	}
	n, err := p.Resolve(count)
	if err != nil {
		return Page[Candidat]{}, err
	}
	applicants, err := c.JobSeekers.Applicants(ctx, ids, p.Offset(n), p.Size)
	if err != nil {
		return Page[Candidat]{}, err
	}
	results := make([]Candidat, len(applicants))
	for i, a := range applicants {
		results[i] = NewCandidat(a)
	}
	return NewPage(c.BaseURL, r, n, p.Size, count, results), nil
}
