package jobdesc

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/db"
)

// demoFiches are the fiches de poste of the demo companies, on appellations of the demo ROME
// sample (internal/rome/demo): cleaning, catering, green spaces, home care, handling.
var demoFiches = []struct {
	appellation, custom, description, profile string
	hours, positions                          int
}{
	{"10688", "", "Entretien des bureaux et des parties communes d'immeubles, en équipe de trois, le matin de 6 h à 11 h.\nMatériel et produits fournis.",
		"Débutant accepté : une formation aux gestes et aux produits est assurée à l'arrivée.", 25, 3},
	{"12757", "Commis de cuisine en restauration collective", "Préparation des entrées et des desserts, mise en place, plonge, pour 400 couverts par jour.",
		"Goût du travail en équipe. Station debout prolongée.", 35, 2},
	{"10675", "", "Tonte, taille des haies, désherbage manuel et plantations sur les espaces verts de la ville.",
		"Travail en extérieur par tous les temps. Le permis B est un plus.", 26, 4},
	{"11453", "", "Aide aux personnes âgées à domicile : courses, repas, entretien du logement, compagnie.",
		"Patience et discrétion. Déplacements en transports en commun sur le secteur.", 24, 2},
	{"10579", "", "Chargement et déchargement des camions, tri et rangement des colis sur le quai.",
		"Port de charges. Chaussures de sécurité fournies.", 35, 5},
}

// demoContract is the contract the demo uses for a kind: the first one it offers, except that
// ETTI recruit on missions and GEIQ through professionalisation contracts.
func demoContract(kind org.CompanyKind) ContractType {
	switch kind {
	case org.ETTI:
		return Temporary
	case org.GEIQ:
		return ProfessionalTraining
	case org.OPCS:
		return FixedTerm
	}
	if list := AllowedContractTypes(kind, false); len(list) > 0 {
		return list[0]
	}
	return ""
}

// SeedDemo gives each company of companyUIDs that has no fiche de poste yet three fiches: one
// open and fresh, one open but last refreshed 70 days before now (so that the reminder banner
// shows), one closed. It returns how many fiches it wrote; a second run writes none.
func SeedDemo(ctx context.Context, d *db.DB, companyUIDs []string, now time.Time) (int, error) {
	now = now.UTC().Truncate(time.Microsecond)
	written := 0
	for i, uid := range companyUIDs {
		co, err := companyByUID(ctx, d, uid)
		if err != nil {
			return written, fmt.Errorf("jobdesc: demo company %s: %w", uid, err)
		}
		contract := demoContract(co.Kind)
		if contract == "" {
			continue
		}
		existing, err := d.NewSelect().Model((*JobDescription)(nil)).Where("company_id = ?", co.ID).Count(ctx)
		if err != nil {
			return written, err
		}
		if existing > 0 {
			continue
		}
		err = d.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			for j := range 3 {
				t := demoFiches[(i+j)%len(demoFiches)]
				refreshed := now.Add(-time.Duration(j*2) * 24 * time.Hour)
				if j == 1 {
					refreshed = now.Add(-70 * 24 * time.Hour)
				}
				hours := t.hours
				f := &JobDescription{UID: uuid.NewString(), CompanyID: co.ID, AppellationCode: t.appellation,
					CustomName: t.custom, Description: t.description, ProfileDescription: t.profile,
					ContractType: contract, HoursPerWeek: &hours, OpenPositions: t.positions, IsActive: j != 2,
					UIRank: j + 1, CreatedAt: refreshed, UpdatedAt: refreshed, LastEmployerUpdateAt: refreshed,
					CreationSource: Manually}
				if co.Kind == org.OPCS {
					f.MarketContextDescription = "Marché public de rénovation des écoles de la métropole, clause sociale de 5 % des heures travaillées."
				}
				if err := insertFiche(ctx, tx, f); err != nil {
					return err
				}
				if err := recordStatus(ctx, tx, StatusChange{JobDescriptionID: f.ID, IsActive: f.IsActive,
					ChangedAt: refreshed, Reason: ReasonCreated}); err != nil {
					return err
				}
				written++
			}
			return nil
		})
		if err != nil {
			return written, fmt.Errorf("jobdesc: demo fiches of %s: %w", co.Name, err)
		}
	}
	return written, nil
}

// DemoCompanyUIDs lists the companies of the demo data set (package org's demo), recognised by
// their contact e-mail on the reserved ".demo" domain, which no real company can have: seeding
// fiches de poste never touches a real company, even on the wrong database.
func DemoCompanyUIDs(ctx context.Context, d *db.DB) ([]string, error) {
	var uids []string
	err := d.NewSelect().Model((*org.Company)(nil)).Column("uid").Where("email LIKE ?", "%.demo").
		OrderExpr("id").Scan(ctx, &uids)
	if err != nil {
		return nil, fmt.Errorf("jobdesc: demo companies: %w", err)
	}
	return uids, nil
}
