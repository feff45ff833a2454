package jobdesc

import (
	"context"
	"time"

	"emplois/internal/org"
)

// CardVisible reports whether a company's public card (and the cards of its fiches) may be shown
// (actors.md §4.1, §4.6): never for EA/EATT (history) nor the RESERVED holder, never when staff
// made it unsearchable, and only while the company is active or in its grace period.
func CardVisible(kind org.CompanyKind, searchable bool, a org.Activity) bool {
	return kind.Offered() && searchable && a.Active
}

// CompanyCard is the public card of a company: what it does, how to reach it, its open fiches de
// poste, and whether it receives applications.
type CompanyCard struct {
	Company *org.Company
	// Fiches are the open fiches de poste, in the employer's order.
	Fiches []*JobDescription
	// Blocked: the employer refuses every new application ("bloquer les candidatures"); its
	// fiches are then shown as not open (actors.md §22, scenario 29).
	Blocked         bool
	SpontaneousOpen bool
	Hiring          bool
}

// CompanyCard returns the public card of the company with this uid, or ErrNotFound when there is
// none to show.
func (s *Service) CompanyCard(ctx context.Context, uid string) (*CompanyCard, error) {
	co, err := companyByUID(ctx, s.db, uid)
	if err != nil {
		return nil, err
	}
	if !CardVisible(co.Kind, co.IsSearchable, co.ActivityAt(s.now())) {
		return nil, ErrNotFound
	}
	fiches, err := listByCompany(ctx, s.db, co.ID, true)
	if err != nil {
		return nil, err
	}
	return &CompanyCard{Company: co, Fiches: fiches, Blocked: co.BlockJobApplications,
		SpontaneousOpen: co.SpontaneousApplicationsOpen(),
		Hiring:          org.IsHiring(co.BlockJobApplications, len(fiches), co.SpontaneousApplicationsOpenSince)}, nil
}

// FicheCard is the public page of a fiche de poste.
type FicheCard struct {
	Fiche   *JobDescription
	Company *org.Company
	// Open: the fiche is open and its company receives applications.
	Open    bool
	Blocked bool
	// UpdatedAt is the last time the employer confirmed the fiche.
	UpdatedAt time.Time
}

// FicheCard returns the public page of the fiche with this uid, or ErrNotFound when its company's
// card is not shown.
func (s *Service) FicheCard(ctx context.Context, uid string) (*FicheCard, error) {
	f, err := byUID(ctx, s.db, uid)
	if err != nil {
		return nil, err
	}
	co, err := companyByID(ctx, s.db, f.CompanyID)
	if err != nil {
		return nil, err
	}
	if !CardVisible(co.Kind, co.IsSearchable, co.ActivityAt(s.now())) {
		return nil, ErrNotFound
	}
	return &FicheCard{Fiche: f, Company: co, Open: f.IsActive && !co.BlockJobApplications,
		Blocked: co.BlockJobApplications, UpdatedAt: f.LastEmployerUpdateAt}, nil
}
