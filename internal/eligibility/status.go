package eligibility

import (
	"context"
	"fmt"
	"time"

	"emplois/internal/approval"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/localtime"
)

// StatusKind is the IAE eligibility of a job seeker as a viewer sees it (§2.1, §2.4).
type StatusKind int

const (
	// StatusToValidate: no valid PASS IAE and no diagnosis considered valid for the viewer.
	StatusToValidate StatusKind = iota
	// StatusValid: a diagnosis considered valid for the viewer.
	StatusValid
	// StatusPASS: a valid PASS IAE, which establishes the eligibility by itself (§2.1).
	StatusPASS
)

// Label is the French name of the status, as the badges say it.
func (k StatusKind) Label() string {
	switch k {
	case StatusValid:
		return "Éligibilité IAE validée"
	case StatusPASS:
		return "PASS IAE valide"
	}
	return "Éligibilité IAE à valider"
}

// Tone is the DSFR tone of the status's badge.
func (k StatusKind) Tone() string {
	if k == StatusToValidate {
		return "warning"
	}
	return "success"
}

// BadgeClass is the DSFR badge modifier of the status.
func (k StatusKind) BadgeClass() string { return "fr-badge--" + k.Tone() }

// Status is the IAE eligibility of one job seeker seen from a viewer, with the diagnosis that
// counts (nil when none does).
type Status struct {
	Kind      StatusKind
	Diagnosis *Diagnosis
	// Author is who wrote Diagnosis.
	Author Author
}

// Author names who wrote a diagnosis and for which organization.
type Author struct {
	Name         string
	Organization string
}

// viewerCompany is the company a diagnosis is seen from (§2.4): the SIAE the actor acts for, 0
// for anyone else.
func viewerCompany(a actor.Actor) int64 {
	if o := a.Organization; o != nil && org.Type(o.Type) == org.TypeCompany {
		return o.ID
	}
	return 0
}

// StatusOf is the IAE eligibility of the job seeker seen from the actor (§2.4): an SIAE sees the
// prescribers' diagnoses and its own, never another SIAE's. The caller has checked that the
// actor may see the job seeker (their candidature's page).
func (s *Service) StatusOf(ctx context.Context, a actor.Actor, jobSeekerID int64) (Status, error) {
	var st Status
	pass, err := approval.HasValid(ctx, s.db, jobSeekerID, s.today())
	if err != nil {
		return st, err
	}
	if st.Diagnosis, err = s.LastConsideredValid(ctx, s.db, jobSeekerID, viewerCompany(a)); err != nil {
		return st, err
	}
	st.Kind = statusKind(pass, st.Diagnosis != nil)
	if st.Diagnosis != nil {
		if st.Author, err = s.AuthorOf(ctx, &st.Diagnosis.DiagnosisBase, st.Diagnosis.AuthorCompanyID); err != nil {
			return st, err
		}
	}
	return st, nil
}

// Statuses are the IAE eligibility statuses of these job seekers seen from no company (the
// prescribers' diagnoses and the PASS IAE, §2.4), in two queries whatever their number.
func (s *Service) Statuses(ctx context.Context, jobSeekerIDs []int64) (map[int64]StatusKind, error) {
	seen := make([]Seen, len(jobSeekerIDs))
	for i, id := range jobSeekerIDs {
		seen[i] = Seen{JobSeekerID: id, Requirement: IAEEligibility}
	}
	c, err := s.countedFor(ctx, seen, false)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]StatusKind, len(seen))
	for _, v := range seen {
		out[v.JobSeekerID] = statusKind(c.passes[v.JobSeekerID].valid, c.iae[v] != nil)
	}
	return out, nil
}

// AuthorOf names the author of a diagnosis: the person, and the prescriber organization or the
// company they wrote it for (companyID: the author company of an employer's or GEIQ's one).
func (s *Service) AuthorOf(ctx context.Context, d *DiagnosisBase, companyID *int64) (Author, error) {
	var row struct {
		First string `bun:"first_name"`
		Last  string `bun:"last_name"`
		Org   string `bun:"org"`
	}
	q := s.db.NewSelect().TableExpr("(SELECT 1 AS one) AS x").
		ColumnExpr("COALESCE(u.first_name, '') AS first_name, COALESCE(u.last_name, '') AS last_name").
		Join("LEFT JOIN users AS u ON u.id = ?", ptrOr(d.AuthorID)).
		Join("LEFT JOIN prescriber_organization AS po ON po.id = ?", ptrOr(d.AuthorPrescriberOrganizationID)).
		Join("LEFT JOIN company AS co ON co.id = ?", ptrOr(companyID)).
		ColumnExpr("COALESCE(po.name, co.name, '') AS org")
	if err := q.Scan(ctx, &row); err != nil {
		return Author{}, fmt.Errorf("eligibility: author of diagnosis %d: %w", d.ID, err)
	}
	name := row.First
	if row.Last != "" {
		name += " " + row.Last
	}
	return Author{Name: name, Organization: row.Org}, nil
}

func ptrOr(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// Own is what a job seeker sees of their eligibility on their dashboard (§2.4 « job seeker's
// own view », §2.9 last bullet).
type Own struct {
	Diagnosis *Diagnosis
	Author    Author
	Valid     bool // the diagnosis is considered valid
	// Waiting: their latest PASS IAE is in its waiting period, which ends on WaitingEnd;
	// PrescriberValid: a valid prescriber diagnosis lets them work in an SIAE again all the same.
	Waiting         bool
	WaitingEnd      time.Time
	PrescriberValid bool
}

// OwnStatus is the job seeker's own eligibility (ErrNotFound for anyone else).
func (s *Service) OwnStatus(ctx context.Context, a actor.Actor) (*Own, error) {
	d, err := s.OwnDiagnosis(ctx, a)
	if err != nil {
		return nil, err
	}
	o := &Own{Diagnosis: d}
	today := s.today()
	if d != nil {
		if o.Valid, err = s.IsConsideredValid(ctx, s.db, d); err != nil {
			return nil, err
		}
		if o.Author, err = s.AuthorOf(ctx, &d.DiagnosisBase, d.AuthorCompanyID); err != nil {
			return nil, err
		}
	}
	var passes []*approval.Approval
	if err := s.db.NewSelect().Model(&passes).Where("user_id = ?", a.UserID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("eligibility: PASS IAE of %d: %w", a.UserID, err)
	}
	if latest := approval.Latest(passes, today); latest != nil && approval.InWaitingPeriod(latest.EndAt, today) {
		o.Waiting, o.WaitingEnd = true, approval.WaitingPeriodEnd(latest.EndAt)
		p, err := lastIAE(ctx, s.db, a.UserID, 0, &today)
		if err != nil {
			return nil, err
		}
		o.PrescriberValid = p != nil
	}
	return o, nil
}

// MayAuthorIAE tells whether the actor may author an IAE diagnosis of the job seeker now, with
// the refusal of CreateIAE otherwise (ErrValidPASS for a prescriber when a PASS is valid,
// ErrAlreadyEligible for an SIAE whose hire needs none): the pages ask before showing the form.
// Whoever may never author one is refused before the job seeker is looked up.
func (s *Service) MayAuthorIAE(ctx context.Context, a actor.Actor, jobSeekerPublicID string, opts CreateOptions) error {
	w, err := whoIs(ctx, s.db, a)
	if err != nil {
		return err
	}
	if w.role != roleAuthorizedPrescriber && w.role != roleEmployer {
		return ErrNotIAEAuthor
	}
	jsID, err := jobSeekerID(ctx, s.db, jobSeekerPublicID)
	if err != nil {
		return err
	}
	_, err = s.iaeAuthorKind(ctx, s.db, w, jsID, s.today(), opts)
	return err
}

// MayAuthorGEIQ tells whether the actor may create a GEIQ diagnosis of the job seeker now
// (ErrNotGEIQAuthor, or ErrGEIQExists while a valid one is visible to them, §2.6).
func (s *Service) MayAuthorGEIQ(ctx context.Context, a actor.Actor, jobSeekerPublicID string) error {
	w, err := whoIs(ctx, s.db, a)
	if err != nil {
		return err
	}
	if _, err := geiqAuthorKind(w); err != nil {
		return err
	}
	jsID, err := jobSeekerID(ctx, s.db, jobSeekerPublicID)
	if err != nil {
		return err
	}
	exists, err := visibleGEIQ(s.db.NewSelect().Model((*GEIQDiagnosis)(nil)), jsID, w.companyID).
		Where("ged.expires_at > ?", s.today()).Exists(ctx)
	if err != nil {
		return fmt.Errorf("eligibility: valid GEIQ diagnoses of %d: %w", jsID, err)
	}
	if exists {
		return ErrGEIQExists
	}
	return nil
}

// LastValidGEIQFor is the newest valid GEIQ diagnosis of the job seeker seen from the actor (a
// GEIQ: the prescribers' and its own; anyone else: the prescribers'), or nil.
func (s *Service) LastValidGEIQFor(ctx context.Context, a actor.Actor, jobSeekerID int64) (*GEIQDiagnosis, error) {
	return s.LastValidGEIQ(ctx, s.db, jobSeekerID, viewerCompany(a))
}

// Today is the service's day in France (pages compare expiries with it).
func (s *Service) Today() time.Time { return s.today() }

// Box is the IAE eligibility of a candidature's job seeker as its page shows it (§2.4), in
// ready French values: the status badge, the diagnosis that counts (author, dates, criteria)
// and, for an authorized prescriber, the link to validate or renew it.
type Box struct {
	Title                string // « Éligibilité IAE », « Éligibilité GEIQ »
	Label, BadgeClass    string
	Allowance            string // GEIQ: the State allowance of the diagnosis
	Author, Organization string
	CreatedOn, ExpiresOn string
	Criteria             []string
	DiagnosisURL         string
	// ActionURL and ActionLabel: « Valider / Mettre à jour l'éligibilité IAE » ("" when the
	// viewer may not, or a PASS IAE is valid).
	ActionURL, ActionLabel string
}

// BoxFor is the Box of the job seeker for a candidature to a company of this kind, seen from
// the actor; nil when the company hires without eligibility (§2.1). next is where the
// prescriber's pages come back to; geiqStep, when not empty, is the GEIQ's step of this
// candidature's acceptance, offered to its members when no GEIQ diagnosis is valid.
func (s *Service) BoxFor(ctx context.Context, a actor.Actor, jobSeekerID int64, jobSeekerPublicID string, kind org.CompanyKind, next, geiqStep string) (*Box, error) {
	switch RequirementOf(kind) {
	case IAEEligibility:
		return s.iaeBox(ctx, a, jobSeekerID, jobSeekerPublicID, next)
	case GEIQEligibility:
		return s.geiqBox(ctx, a, jobSeekerID, jobSeekerPublicID, next, geiqStep)
	}
	return nil, nil
}

func (s *Service) iaeBox(ctx context.Context, a actor.Actor, jobSeekerID int64, jobSeekerPublicID, next string) (*Box, error) {
	st, err := s.StatusOf(ctx, a, jobSeekerID)
	if err != nil {
		return nil, err
	}
	b := &Box{Title: "Éligibilité IAE", Label: st.Kind.Label(), BadgeClass: st.Kind.BadgeClass()}
	if d := st.Diagnosis; d != nil {
		b.describe(&d.DiagnosisBase, st.Author, DiagnosisPath(d.ID))
		b.Criteria = d.CriteriaNames()
	}
	w, err := whoIs(ctx, s.db, a)
	if err != nil {
		return nil, err
	}
	if w.role == roleAuthorizedPrescriber && st.Kind != StatusPASS {
		b.ActionURL, b.ActionLabel = IAEPath(jobSeekerPublicID, next), "Valider l'éligibilité IAE"
		if st.Diagnosis != nil {
			b.ActionLabel = "Mettre à jour l'éligibilité IAE"
		}
	}
	return b, nil
}

// geiqBox: the valid GEIQ diagnosis seen from the actor (a GEIQ: the prescribers' and its own),
// with its allowance, or the offer to make one (§2.2, §2.6).
func (s *Service) geiqBox(ctx context.Context, a actor.Actor, jobSeekerID int64, jobSeekerPublicID, next, geiqStep string) (*Box, error) {
	w, err := whoIs(ctx, s.db, a)
	if err != nil {
		return nil, err
	}
	d, err := s.LastValidGEIQ(ctx, s.db, jobSeekerID, w.companyID)
	if err != nil {
		return nil, err
	}
	b := &Box{Title: "Éligibilité GEIQ", Label: geiqNoneLabel, BadgeClass: "fr-badge--info"}
	if d != nil {
		author, err := s.AuthorOf(ctx, &d.DiagnosisBase, d.AuthorGEIQID)
		if err != nil {
			return nil, err
		}
		b.Label, b.BadgeClass = geiqValidLabel, "fr-badge--success"
		b.describe(&d.DiagnosisBase, author, GEIQDiagnosisPath(d.ID))
		b.Allowance = AllowanceLabel(d.Allowance())
		b.Criteria = d.CriteriaNames()
		return b, nil
	}
	switch {
	case w.role == roleAuthorizedPrescriber:
		b.ActionURL = GEIQPath(jobSeekerPublicID, next)
	case w.role == roleEmployer && w.companyKind == org.GEIQ:
		b.ActionURL = geiqStep
	}
	if b.ActionURL != "" {
		b.ActionLabel = "Réaliser le diagnostic d'éligibilité GEIQ"
	}
	return b, nil
}

// describe fills the author and dates of the diagnosis shown.
func (b *Box) describe(d *DiagnosisBase, author Author, url string) {
	b.Author, b.Organization = author.Name, author.Organization
	b.CreatedOn, b.ExpiresOn = localtime.Date(d.CreatedAt), localtime.Date(d.ExpiresAt.AddDate(0, 0, -1))
	b.DiagnosisURL = url
}

// AllowanceLabel is the State allowance of a GEIQ diagnosis in French (§2.6).
func AllowanceLabel(euros int) string {
	switch euros {
	case AllowanceFull:
		return "1 400 €"
	case AllowanceAnnex1:
		return "814 €"
	}
	return "0 € (aucune aide de l'État)"
}

// OwnBox is the job seeker's own eligibility as their dashboard shows it, in ready French
// values (§2.4 « job seeker's own view », §2.9 last bullet).
type OwnBox struct {
	// Diagnosis: "" when they have none to see.
	Diagnosis            string // « Éligibilité IAE validée » / « Diagnostic d'éligibilité expiré »
	Valid                bool
	Author, Organization string
	CreatedOn, ExpiresOn string
	Criteria             []string
	// Waiting explains the waiting period of their latest PASS IAE ("" when none).
	Waiting string
}

// OwnBoxOf is the job seeker's OwnBox (ErrNotFound for anyone else).
func (s *Service) OwnBoxOf(ctx context.Context, a actor.Actor) (*OwnBox, error) {
	o, err := s.OwnStatus(ctx, a)
	if err != nil {
		return nil, err
	}
	b := &OwnBox{Valid: o.Valid}
	if d := o.Diagnosis; d != nil {
		b.Diagnosis = "Diagnostic d'éligibilité IAE expiré"
		if o.Valid {
			b.Diagnosis = "Éligibilité IAE validée"
		}
		b.Author, b.Organization = o.Author.Name, o.Author.Organization
		b.CreatedOn, b.ExpiresOn = localtime.Date(d.CreatedAt), localtime.Date(d.ExpiresAt.AddDate(0, 0, -1))
		b.Criteria = d.CriteriaNames()
	}
	if o.Waiting {
		b.Waiting = "Votre dernier PASS IAE a pris fin il y a moins de deux ans : un délai de carence s'applique jusqu'au " +
			localtime.Date(o.WaitingEnd) + ". Pendant ce délai, seul un prescripteur habilité (France Travail, Mission locale, Cap emploi…) peut valider à nouveau votre éligibilité à l'insertion par l'activité économique."
		if o.PrescriberValid {
			b.Waiting = "Votre dernier PASS IAE a pris fin il y a moins de deux ans, mais un prescripteur habilité a validé votre éligibilité : vous pouvez de nouveau travailler dans une structure de l'insertion par l'activité économique."
		}
	}
	if b.Diagnosis == "" && b.Waiting == "" {
		return nil, nil
	}
	return b, nil
}

// TunnelStep is the eligibility page an authorized prescriber must go through before sending a
// candidature of the job seeker to a company of this kind (applications.md §3.2-6, R10), or ""
// when none is needed: an SIAE needs a valid PASS IAE or a valid prescriber diagnosis, a GEIQ a
// valid prescriber GEIQ diagnosis. Orienteurs, job seekers and employers have no such step. The
// page comes back to back.
func (s *Service) TunnelStep(ctx context.Context, a actor.Actor, jobSeekerPublicID string, kind org.CompanyKind, back string) (string, error) {
	w, err := whoIs(ctx, s.db, a)
	if err != nil || w.role != roleAuthorizedPrescriber {
		return "", err
	}
	jsID, err := jobSeekerID(ctx, s.db, jobSeekerPublicID)
	if err != nil {
		return "", err
	}
	switch RequirementOf(kind) {
	case IAEEligibility:
		ok, err := s.hasValidDiagnosis(ctx, s.db, jsID, 0, s.today())
		if err != nil || ok {
			return "", err
		}
		return IAEPath(jobSeekerPublicID, back), nil
	case GEIQEligibility:
		d, err := s.LastValidGEIQ(ctx, s.db, jsID, 0)
		if err != nil || d != nil {
			return "", err
		}
		return GEIQPath(jobSeekerPublicID, back), nil
	}
	return "", nil
}
