package eligibility

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"
)

// The eligibility columns of the candidature lists, « Critères administratifs » and « Statut
// éligibilité » (applications.md §4), read for a whole page in a constant number of queries.

// Seen is a job seeker as a list's row looks at them: for a candidature to a company of that
// requirement, from the SIAE whose own diagnoses count besides the prescribers' (0: the
// prescribers' only, §2.4). A GEIQ's row counts the prescribers' GEIQ diagnoses only (§4).
type Seen struct {
	JobSeekerID int64
	CompanyID   int64
	Requirement Requirement
}

// Column is the eligibility of a row in ready French values.
type Column struct {
	// OutsideIAE: the company hires without eligibility; both columns say so (§4).
	OutsideIAE bool
	Text, Tone string // the badge: its text and DSFR tone
	// PASSSuspended: the valid PASS IAE is suspended today (a tooltip of the badge).
	PASSSuspended bool
	// By says who validated the diagnosis that counts, or that one must be made; "" when a
	// PASS IAE stands without one, or a GEIQ hires without one (§2.6).
	By string
	// Criteria are the labels shown of the diagnosis's criteria and MoreCriteria the count of
	// the others (CriteriaShown).
	Criteria     []string
	MoreCriteria string
}

// Who validated the diagnosis that counts, as the « Statut éligibilité » column says it (§4).
const (
	ByOwnCompany  = "par votre entreprise"
	ByEmployer    = "par un employeur"
	ByPrescriber  = "par un prescripteur habilité"
	ByNone        = "Un diagnostic doit être réalisé"
	OutsideIAE    = "Candidature hors IAE"
	shownCriteria = 3 // with « + n autres critères » when more than shownCriteria+1
)

// GEIQ badges of a job seeker, in the lists and on a candidature's page.
const (
	geiqValidLabel = "Diagnostic d'éligibilité GEIQ valide"
	geiqNoneLabel  = "Aucun diagnostic d'éligibilité GEIQ valide"
)

// CriteriaShown is the « Critères administratifs » column (§4): every label up to four, else
// the first three and « + n autres critères ».
func CriteriaShown(labels []string) (shown []string, more string) {
	if len(labels) <= shownCriteria+1 {
		return labels, ""
	}
	return labels[:shownCriteria], "+ " + strconv.Itoa(len(labels)-shownCriteria) + " autres critères"
}

// byWhom says who wrote a diagnosis seen from the viewer's company (0: not a company).
func byWhom(kind AuthorKind, authorCompanyID *int64, viewerCompanyID int64) string {
	switch {
	case kind == AuthorPrescriber:
		return ByPrescriber
	case authorCompanyID != nil && viewerCompanyID != 0 && *authorCompanyID == viewerCompanyID:
		return ByOwnCompany
	}
	return ByEmployer
}

// passOf is what the lists tell of a job seeker's PASS IAE.
type passOf struct{ valid, suspended bool }

// counted is, for a page of rows, the valid PASS IAE of their job seekers and the diagnoses
// that count for each row.
type counted struct {
	passes map[int64]passOf
	iae    map[Seen]*Diagnosis
	geiq   map[Seen]*GEIQDiagnosis
}

// countedFor reads what counts for these rows in up to five queries whatever their number:
// the valid PASS IAE, the IAE candidates, the GEIQ ones, and, withCriteria, their criteria.
func (s *Service) countedFor(ctx context.Context, seen []Seen, withCriteria bool) (*counted, error) {
	out := &counted{passes: map[int64]passOf{}, iae: map[Seen]*Diagnosis{}, geiq: map[Seen]*GEIQDiagnosis{}}
	today := s.today()
	var iaeSeekers, geiqSeekers, iaeCompanies []int64
	for _, v := range seen {
		switch v.Requirement {
		case IAEEligibility:
			iaeSeekers = append(iaeSeekers, v.JobSeekerID)
			if v.CompanyID != 0 {
				iaeCompanies = append(iaeCompanies, v.CompanyID)
			}
		case GEIQEligibility:
			geiqSeekers = append(geiqSeekers, v.JobSeekerID)
		}
	}
	if len(iaeSeekers) > 0 {
		if err := s.iaeCounted(ctx, out, seen, iaeSeekers, iaeCompanies, today, withCriteria); err != nil {
			return nil, err
		}
	}
	if len(geiqSeekers) > 0 {
		if err := s.geiqCounted(ctx, out, seen, geiqSeekers, today, withCriteria); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// iaeCounted: the valid PASS IAE (suspended today or not), then the candidates of §2.4 that may
// count (valid, or any when a PASS is valid), prescribers' first then newest, the first
// candidate of each row winning.
func (s *Service) iaeCounted(ctx context.Context, out *counted, seen []Seen, seekers, companies []int64, today time.Time, withCriteria bool) error {
	var passes []struct {
		UserID    int64 `bun:"user_id"`
		Suspended bool  `bun:"suspended"`
	}
	err := s.db.NewSelect().TableExpr("approval AS ap").ColumnExpr("ap.user_id").
		ColumnExpr("EXISTS (SELECT 1 FROM suspension AS su WHERE su.approval_id = ap.id AND su.start_at <= ? AND su.end_at >= ?) AS suspended", today, today).
		Where("ap.user_id IN (?)", bun.List(seekers)).Where("ap.end_at >= ?", today).Scan(ctx, &passes)
	if err != nil {
		return fmt.Errorf("eligibility: valid PASS of %d job seekers: %w", len(seekers), err)
	}
	for _, p := range passes {
		out.passes[p.UserID] = passOf{valid: true, suspended: out.passes[p.UserID].suspended || p.Suspended}
	}
	var ds []*Diagnosis
	q := s.db.NewSelect().Model(&ds).Where("ed.job_seeker_id IN (?)", bun.List(seekers)).
		Where("(ed.expires_at > ? OR EXISTS (SELECT 1 FROM approval AS ap WHERE ap.user_id = ed.job_seeker_id AND ap.end_at >= ?))", today, today)
	if len(companies) > 0 {
		q = q.Where("(ed.author_kind = ? OR (ed.author_kind = ? AND ed.author_company_id IN (?)))", AuthorPrescriber, AuthorEmployer, bun.List(companies))
	} else {
		q = q.Where("ed.author_kind = ?", AuthorPrescriber)
	}
	err = q.OrderExpr("CASE WHEN ed.author_kind = ? THEN 0 ELSE 1 END, ed.created_at DESC, ed.id DESC", AuthorPrescriber).Scan(ctx)
	if err != nil {
		return fmt.Errorf("eligibility: diagnoses of %d job seekers: %w", len(seekers), err)
	}
	firstFor(seen, IAEEligibility, ds, out.iae, func(v Seen, d *Diagnosis) bool {
		return v.sees(&d.DiagnosisBase, d.AuthorCompanyID) && (out.passes[v.JobSeekerID].valid || d.IsValid(today))
	})
	if chosen := distinct(out.iae); withCriteria && len(chosen) > 0 {
		return s.withIAECriteria(ctx, s.db, chosen)
	}
	return nil
}

// geiqCounted: the newest valid prescriber's GEIQ diagnosis of each row (§2.4 « GEIQ choice »
// viewed by a prescriber, applications.md §4).
func (s *Service) geiqCounted(ctx context.Context, out *counted, seen []Seen, seekers []int64, today time.Time, withCriteria bool) error {
	var ds []*GEIQDiagnosis
	err := s.db.NewSelect().Model(&ds).Where("ged.job_seeker_id IN (?)", bun.List(seekers)).Where("ged.expires_at > ?", today).
		Where("ged.author_kind = ?", AuthorPrescriber).OrderExpr("ged.created_at DESC, ged.id DESC").Scan(ctx)
	if err != nil {
		return fmt.Errorf("eligibility: GEIQ diagnoses of %d job seekers: %w", len(seekers), err)
	}
	firstFor(seen, GEIQEligibility, ds, out.geiq, func(v Seen, d *GEIQDiagnosis) bool { return v.sees(&d.DiagnosisBase, nil) })
	if chosen := distinct(out.geiq); withCriteria && len(chosen) > 0 {
		return s.withGEIQCriteria(ctx, s.db, chosen)
	}
	return nil
}

// sees tells whether the row's job seeker and company make the diagnosis a candidate: the
// prescribers' and the company's own (§2.4).
func (v Seen) sees(d *DiagnosisBase, authorCompanyID *int64) bool {
	return d.JobSeekerID == v.JobSeekerID && (d.AuthorKind == AuthorPrescriber ||
		(authorCompanyID != nil && v.CompanyID != 0 && *authorCompanyID == v.CompanyID))
}

// firstFor gives each row of the requirement the first of ds, in their order, that counts.
func firstFor[D any](seen []Seen, req Requirement, ds []D, into map[Seen]D, counts func(Seen, D) bool) {
	for _, v := range seen {
		if v.Requirement != req {
			continue
		}
		for _, d := range ds {
			if counts(v, d) {
				into[v] = d
				break
			}
		}
	}
}

// distinct are the diagnoses of the rows, each once (several rows may share one).
func distinct[D comparable](byRow map[Seen]D) []D {
	var out []D
	in := make(map[D]bool, len(byRow))
	for _, d := range byRow {
		if !in[d] {
			in[d] = true
			out = append(out, d)
		}
	}
	return out
}

// Columns are the eligibility columns of a page of candidatures, seen by a member of the
// company viewerCompanyID (0: a prescriber), one per Seen (applications.md §4, approvals.md
// §2.4): the caller chooses which company's own diagnoses each row may show (never another
// SIAE's for an employer).
func (s *Service) Columns(ctx context.Context, viewerCompanyID int64, seen []Seen) (map[Seen]Column, error) {
	c, err := s.countedFor(ctx, seen, true)
	if err != nil {
		return nil, err
	}
	out := make(map[Seen]Column, len(seen))
	for _, v := range seen {
		var col Column
		switch v.Requirement {
		case IAEEligibility:
			col = c.iaeColumn(v, viewerCompanyID)
		case GEIQEligibility:
			col = Column{Text: geiqNoneLabel, Tone: "info"}
			if d := c.geiq[v]; d != nil {
				col.Text, col.Tone, col.By = geiqValidLabel, "success", ByPrescriber
				col.Criteria, col.MoreCriteria = CriteriaShown(d.CriteriaNames())
			}
		default:
			col = Column{OutsideIAE: true}
		}
		out[v] = col
	}
	return out, nil
}

func (c *counted) iaeColumn(v Seen, viewerCompanyID int64) Column {
	p, d := c.passes[v.JobSeekerID], c.iae[v]
	kind := statusKind(p.valid, d != nil)
	col := Column{Text: kind.Label(), Tone: kind.Tone(), PASSSuspended: p.suspended}
	switch {
	case d != nil:
		col.By = byWhom(d.AuthorKind, d.AuthorCompanyID, viewerCompanyID)
		col.Criteria, col.MoreCriteria = CriteriaShown(d.CriteriaNames())
	case kind == StatusToValidate:
		col.By = ByNone
	}
	return col
}

// statusKind: a valid PASS IAE establishes the eligibility by itself, else the diagnosis that
// counts (§2.1, §2.4).
func statusKind(pass, diagnosis bool) StatusKind {
	switch {
	case pass:
		return StatusPASS
	case diagnosis:
		return StatusValid
	}
	return StatusToValidate
}
