package approval

import (
	"context"
	"fmt"
	"strings"
	"time"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/fault"
)

// ErrSIAEOnly: the certificate is for SIAE employers (§4).
var ErrSIAEOnly = fault.Forbidden("L'attestation de délivrance est réservée aux structures d'insertion par l'activité économique.")

// Certificate is the « Attestation de délivrance d'agrément » of a PASS (§4).
type Certificate struct {
	Approval *Approval
	Holder   Holder
	Company  *org.Company
	// DiagnosisAuthor and DiagnosisOrganization name who made the diagnosis the PASS was
	// issued on; both empty when it has none (imported PASS).
	DiagnosisAuthor       string
	DiagnosisOrganization string
	PrintedOn             time.Time
	Remainder             string
}

// Certificate returns the certificate of a PASS to an employer whose SIAE accepted a
// candidature with it (§2.14, §4; upstream did not check the link, §7): an actor acting for
// anything else than an SIAE is forbidden, an SIAE that did not hire with this PASS gets not
// found.
func (s *Service) Certificate(ctx context.Context, a actor.Actor, publicID string) (*Certificate, error) {
	if !isSIAE(a) {
		return nil, ErrSIAEOnly
	}
	ap, err := load(ctx, s.db, "public_id = ?", publicID)
	if err != nil {
		return nil, err
	}
	company, _ := companyOf(a)
	hired, err := hiredWith(ctx, s.db, ap.ID, company)
	if err != nil {
		return nil, fmt.Errorf("approval: certificate of %s: %w", publicID, err)
	}
	if !hired {
		return nil, ErrNotFound
	}
	today := s.today()
	c := &Certificate{Approval: ap, PrintedOn: today, Remainder: RemainderDisplay(ap.Remainder(today))}
	if c.Holder, err = holderOf(ctx, s, ap.UserID); err != nil {
		return nil, err
	}
	if c.Company, err = loadCompany(ctx, s.db, company); err != nil {
		return nil, err
	}
	if ap.EligibilityDiagnosisID == nil {
		return c, nil
	}
	var author struct {
		FirstName  *string `bun:"first_name"`
		LastName   *string `bun:"last_name"`
		Prescriber *string `bun:"prescriber"`
		Company    *string `bun:"company"`
	}
	err = s.db.NewSelect().TableExpr("eligibility_diagnosis AS d").
		ColumnExpr("u.first_name, u.last_name, po.name AS prescriber").
		ColumnExpr("CASE WHEN co.brand <> '' THEN co.brand ELSE co.name END AS company").
		Join("LEFT JOIN users AS u ON u.id = d.author_id").
		Join("LEFT JOIN prescriber_organization AS po ON po.id = d.author_prescriber_organization_id").
		Join("LEFT JOIN company AS co ON co.id = d.author_company_id").
		Where("d.id = ?", *ap.EligibilityDiagnosisID).Scan(ctx, &author)
	if err != nil {
		return nil, fmt.Errorf("approval: diagnosis of %s: %w", publicID, err)
	}
	if author.FirstName != nil {
		c.DiagnosisAuthor = *author.FirstName + " " + *author.LastName
	}
	c.DiagnosisOrganization = deref(author.Prescriber)
	if c.DiagnosisOrganization == "" {
		c.DiagnosisOrganization = deref(author.Company)
	}
	return c, nil
}

// Title is the certificate's title (§4).
func (c *Certificate) Title() string {
	return "Attestation de délivrance d'agrément pour " + c.Holder.FullName()
}

// Subject is the certificate's subject line (§4-5).
const CertificateSubject = "Décision d'agrément pour un parcours d'insertion par l'activité économique"

// Statement is the certificate's body (§4-6), in our wording.
func (c *Certificate) Statement() string {
	s := "Sur la base "
	if c.DiagnosisAuthor != "" || c.DiagnosisOrganization != "" {
		s += "du diagnostic individuel réalisé par " + c.DiagnosisAuthor
		if c.DiagnosisOrganization != "" {
			s += " (" + c.DiagnosisOrganization + ")"
		}
		s += " "
	}
	s += "de la situation de " + strings.ToUpper(c.Holder.LastName) + " " + c.Holder.FirstName +
		" et de la promesse d'embauche de l'employeur, la plateforme de l'inclusion délivre un PASS IAE " +
		"au titre des articles L 5132-1 à L 5132-17 du Code du travail."
	return s
}

// RemainderNote is the footnote of the remainder (§4-7).
const RemainderNote = "Le nombre de jours restants est exprimé en jours calendaires : il diminue chaque jour, week-ends et jours fériés compris, sauf lorsque le PASS IAE est suspendu."
