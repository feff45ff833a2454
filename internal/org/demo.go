package org

import (
	"context"
	"errors"
	"fmt"
	"time"

	"emplois/internal/account"
	"emplois/internal/platform/actor"
)

// DemoLogin is a professional of the demo data set, printed by `emplois serve --demo` as
// `demo login: ROLE EMAIL PASSWORD`.
type DemoLogin struct {
	Role     string // employer, prescriber, orienteur, france_travail, institution
	Email    string
	Password string
	Org      string
}

// demoPeople have known passwords on purpose: they exist only in demo databases.
var demoPeople = []struct {
	key, role, email, password, first, last string
}{
	{"aci", "employer", "employeur.aci@demo.emplois.test", "Tournesol-Atelier-Bleu-2026", "Karim", "Benali"},
	{"aci2", "employer", "collegue.aci@demo.emplois.test", "Cerise-Bicyclette-Verte-2026", "Julie", "Moreau"},
	{"ei", "employer", "employeur.ei@demo.emplois.test", "Calanque-Soleil-Recycle-2026", "Sophie", "Garnier"},
	{"geiq", "employer", "employeur.geiq@demo.emplois.test", "Grue-Chantier-Apprenti-2026", "Marc", "Lefebvre"},
	{"ml", "prescriber", "prescripteur@demo.emplois.test", "Boussole-Jeunesse-Avenir-2026", "Nadia", "Roux"},
	{"other", "orienteur", "orienteur@demo.emplois.test", "Lanterne-Accueil-Solide-2026", "Paul", "Fontaine"},
	{"ft", "france_travail", "conseiller.ft@demo.emplois.test", "Agence-Nord-Conseil-Emploi-2026", "Claire", "Dubois"},
	{"ddets", "institution", "institution@demo.emplois.test", "Prefecture-Rhone-Controle-2026", "Luc", "Bernard"},
}

// demoSIRET builds a valid SIRET from a SIREN stem (8 digits) and an establishment number (4 digits).
func demoSIRET(sirenStem string, nic string) string {
	return WithLuhnKey(WithLuhnKey(sirenStem) + nic)
}

// SeedDemo creates the demo organizations (an employer of each kind around Lyon, Lille and
// Marseille, with conventions for the SIAE; a habilitated mission locale, an orienteur
// association, a France Travail agency and the DDETS IAE of the Rhône) and their professionals,
// whose logins it returns. Run twice, it creates nothing new and returns the same logins.
func (s *Service) SeedDemo(ctx context.Context, accounts *account.Service) ([]DemoLogin, error) {
	users := map[string]int64{}
	var logins []DemoLogin
	for _, p := range demoPeople {
		u, err := accounts.ByEmail(ctx, p.email)
		if errors.Is(err, account.ErrNotFound) {
			u, err = accounts.CreateProfessional(ctx, account.ProfessionalInput{Email: p.email, FirstName: p.first,
				LastName: p.last, Password: p.password}, "demo", "")
		}
		if err != nil {
			return nil, fmt.Errorf("org: demo professional %s: %w", p.email, err)
		}
		users[p.key] = u.ID
		logins = append(logins, DemoLogin{Role: p.role, Email: p.email, Password: p.password})
	}
	seeded, err := companyWithSIRETExists(ctx, s.db, demoSIRET("41234560", "0001"))
	if err != nil {
		return nil, fmt.Errorf("org: demo: %w", err)
	}
	if !seeded {
		if err := s.seedDemoOrganizations(ctx, users); err != nil {
			return nil, fmt.Errorf("org: demo organizations: %w", err)
		}
	}
	return logins, nil
}

func (s *Service) seedDemoOrganizations(ctx context.Context, users map[string]int64) error {
	now := s.now()
	staff := actor.Actor{Kind: actor.Staff}
	join := func(t Type, orgID int64, key string) error {
		_, err := s.AddMember(ctx, actor.Actor{UserID: users[key], Kind: actor.Professional}, t, orgID, users[key], false)
		return err
	}
	companies := []struct {
		key, stem, name, brand, commune, email string
		kind                                   CompanyKind
		aspID                                  int64
	}{
		{"aci", "41234560", "Association Les Jardins de la Croix-Rousse", "Les Jardins de la Croix-Rousse", "69384", "contact@jardins-croix-rousse.demo", ACI, 69001},
		{"ai", "42234560", "Lille Services Proximité", "", "59350", "contact@lille-services.demo", AI, 59001},
		{"ei", "43234560", "Marseille Recyclage Solidaire", "", "13055", "contact@marseille-recyclage.demo", EI, 13001},
		{"eiti", "44234560", "Villeurbanne Indépendants Solidaires", "", "69266", "contact@vis.demo", EITI, 69002},
		{"etti", "45234560", "Roubaix Intérim Insertion", "", "59512", "contact@roubaix-interim.demo", ETTI, 59002},
		{"geiq", "46234560", "GEIQ BTP Rhône", "", "69123", "contact@geiq-btp-rhone.demo", GEIQ, 0},
		{"opcs", "47234560", "Facilitateur des clauses sociales de la Métropole de Lille", "", "59350", "clauses@mel.demo", OPCS, 0},
	}
	for _, c := range companies {
		in := CompanyInput{SIRET: demoSIRET(c.stem, "0001"), Kind: c.kind, Name: c.name, Brand: c.brand, AuthEmail: c.email,
			Contact: Contact{Email: c.email, Phone: "0400000000", Description: "Structure de démonstration : " + c.kind.Label() + "."},
			Address: AddressInput{Line1: "1 rue de la Démonstration", CommuneCode: c.commune}}
		var convID *int64
		source := SourceGEIQ
		if c.kind.IsSIAE() {
			conv, err := s.CreateConvention(ctx, ConventionInput{Kind: c.kind, SiretSignature: in.SIRET, ASPID: c.aspID,
				Annexes: []AnnexInput{{Number: fmt.Sprintf("%s%02d%s%06dA0M0", c.kind, c.aspID/1000, "A", c.aspID), State: AnnexValid,
					StartAt: time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.UTC), EndAt: time.Date(now.Year()+1, 12, 31, 0, 0, 0, 0, time.UTC)}}})
			if err != nil {
				return err
			}
			convID, source = &conv.ID, SourceASP
		}
		if c.kind == OPCS {
			source = SourceStaffCreated
		}
		co, err := s.ImportCompany(ctx, in, source, convID)
		if err != nil {
			return err
		}
		if _, ok := users[c.key]; ok {
			if err := join(TypeCompany, co.ID, c.key); err != nil {
				return err
			}
		}
		if c.key == "aci" {
			if err := join(TypeCompany, co.ID, "aci2"); err != nil {
				return err
			}
		}
	}

	ml, err := s.CreatePrescriberOrganization(ctx, staff, PrescriberInput{SIRET: demoSIRET("51234560", "0001"), Kind: ML,
		Name: "Mission locale de Lyon", Contact: Contact{Email: "contact@ml-lyon.demo", Phone: "0400000001"},
		Address: AddressInput{Line1: "10 quai de la Démonstration", CommuneCode: "69383"}})
	if err != nil {
		return err
	}
	if err := s.ValidateHabilitation(ctx, staff, ml.UID); err != nil {
		return err
	}
	other, err := s.CreatePrescriberOrganization(ctx, staff, PrescriberInput{SIRET: demoSIRET("52234560", "0001"), Kind: OtherKind,
		Name: "Association Accueil Solidaire", Contact: Contact{Email: "contact@accueil-solidaire.demo"},
		Address: AddressInput{Line1: "5 boulevard de la Démonstration", CommuneCode: "13055"}})
	if err != nil {
		return err
	}
	// A CCAS waiting for staff validation, so that the back office's pending list is not empty.
	if _, err := s.CreatePrescriberOrganization(ctx, staff, PrescriberInput{SIRET: demoSIRET("53234560", "0001"), Kind: CCAS,
		Name: "CCAS de Villeurbanne", Contact: Contact{Email: "contact@ccas-villeurbanne.demo"},
		Address: AddressInput{Line1: "3 place de la Démonstration", CommuneCode: "69266"}}); err != nil {
		return err
	}
	ft, err := s.CreatePrescriberOrganization(ctx, staff, PrescriberInput{SIRET: demoSIRET("13000548", "1234"), Kind: FT,
		Name: "France Travail Lille Centre", CodeSAFIR: "59113",
		Address: AddressInput{Line1: "20 rue de la Démonstration", CommuneCode: "59350"}})
	if err != nil {
		return err
	}
	ddets, err := s.CreateInstitution(ctx, staff, InstitutionInput{Kind: DDETSIAE, Name: "DDETS du Rhône", Department: "69",
		Address: AddressInput{Line1: "8 rue de la Démonstration", CommuneCode: "69383"}})
	if err != nil {
		return err
	}
	for _, m := range []struct {
		t   Type
		id  int64
		key string
	}{{TypePrescriber, ml.ID, "ml"}, {TypePrescriber, other.ID, "other"}, {TypePrescriber, ft.ID, "ft"}, {TypeInstitution, ddets.ID, "ddets"}} {
		if err := join(m.t, m.id, m.key); err != nil {
			return err
		}
	}
	return nil
}
