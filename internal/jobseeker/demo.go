package jobseeker

import (
	"context"
	"errors"
	"fmt"

	"emplois/internal/account"
	"emplois/internal/platform/actor"
)

// Demo data set: the demo job seeker (account package) gets a full profile, and the demo
// prescriber creates a second job seeker by proxy, who is in their « Mes candidats ».
const (
	demoJobSeekerEmail  = "candidat@demo.emplois.test"
	demoPrescriberEmail = "prescripteur@demo.emplois.test"
	demoProxyEmail      = "jean.dupont@demo.emplois.test"
)

// DemoProxyJobSeekers are the job seekers the demo prescriber creates by proxy (Jean Dupont
// first); the demo candidatures are sent for them.
var DemoProxyJobSeekers = []struct{ Email, Title, First, Last, Birthdate string }{
	{demoProxyEmail, string(account.Monsieur), "Jean", "Dupont", "1985-05-20"},
	{"fatou.diallo@demo.emplois.test", string(account.Madame), "Fatou", "Diallo", "1994-11-02"},
	{"kevin.leroy@demo.emplois.test", string(account.Monsieur), "Kévin", "Leroy", "2001-07-15"},
	{"ines.haddad@demo.emplois.test", string(account.Madame), "Inès", "Haddad", "1979-01-28"},
	{"thomas.petit@demo.emplois.test", string(account.Monsieur), "Thomas", "Petit", "1968-09-09"},
	{"lea.girard@demo.emplois.test", string(account.Madame), "Léa", "Girard", "1998-04-03"},
	{"yannick.morel@demo.emplois.test", string(account.Monsieur), "Yannick", "Morel", "1988-12-24"},
}

// DemoEmployees are job seekers the demo prescriber placed at the demo ACI and EI in the past:
// the approval demo gives them a PASS IAE in each state (approval.DemoStates, same order).
var DemoEmployees = []struct{ Email, Title, First, Last, Birthdate string }{
	{"amandine.roche@demo.emplois.test", string(account.Madame), "Amandine", "Roche", "1983-02-14"},
	{"mehdi.benaissa@demo.emplois.test", string(account.Monsieur), "Mehdi", "Benaïssa", "1991-06-30"},
	{"sylvie.marchand@demo.emplois.test", string(account.Madame), "Sylvie", "Marchand", "1966-10-05"},
	{"bastien.colin@demo.emplois.test", string(account.Monsieur), "Bastien", "Colin", "1995-03-21"},
	{"aicha.traore@demo.emplois.test", string(account.Madame), "Aïcha", "Traoré", "1999-08-11"},
}

// SeedDemo completes the demo job seeker's profile and creates the job seeker of the demo
// prescriber, skipping what exists. It runs after the accounts and organizations demo.
func (s *Service) SeedDemo(ctx context.Context) error {
	staff := actor.Actor{Kind: actor.Staff}
	if u, err := account.UserByEmail(ctx, s.db, demoJobSeekerEmail); err == nil {
		if p, err := profileOf(ctx, s.db, u.ID); err != nil {
			return err
		} else if p.NIR == nil {
			_, err := s.UpdateProfile(ctx, staff, u.PublicID, ProfileInput{
				Identity: IdentityInput{Title: account.Madame, FirstName: u.FirstName, LastName: u.LastName, Birthdate: "1990-03-12",
					BirthCountry: France, BirthPlace: "69123", NIR: "290036912300172"},
				Contact:   ContactInput{Phone: "0612345678", AddressLine1: "8 rue de la Charité", PostCode: "69002", CityCode: "69123"},
				Situation: SituationInput{PoleEmploiID: "1234567A", EducationLevel: "41", UnemployedSince: "03"},
			})
			if err != nil {
				return fmt.Errorf("jobseeker: demo profile: %w", err)
			}
		}
	} else if !errors.Is(err, account.ErrNotFound) {
		return err
	}
	pro, err := account.UserByEmail(ctx, s.db, demoPrescriberEmail)
	if errors.Is(err, account.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	var orgs []struct {
		ID  int64  `bun:"id"`
		UID string `bun:"uid"`
	}
	err = s.db.NewSelect().Table("prescriber_organization").Column("id", "uid").
		Where("id IN (SELECT organization_id FROM prescriber_membership WHERE user_id = ? AND is_active)", pro.ID).Limit(1).Scan(ctx, &orgs)
	if err != nil || len(orgs) == 0 {
		return err
	}
	a := actor.Actor{UserID: pro.ID, Kind: actor.Professional, Organization: &actor.Organization{Type: "prescriber", ID: orgs[0].ID, UID: orgs[0].UID}}
	for _, p := range append(DemoProxyJobSeekers[:len(DemoProxyJobSeekers):len(DemoProxyJobSeekers)], DemoEmployees...) {
		if _, err := account.UserByEmail(ctx, s.db, p.Email); err == nil {
			continue
		} else if !errors.Is(err, account.ErrNotFound) {
			return err
		}
		_, err = s.CreateByProxy(ctx, a, ProxyInput{Email: p.Email,
			Identity: IdentityInput{Title: account.Title(p.Title), FirstName: p.First, LastName: p.Last, Birthdate: p.Birthdate,
				BirthCountry: "99350", LackOfNIRReason: NoNIR},
			Contact:   ContactInput{AddressLine1: "14 rue Nationale", PostCode: "59000", CityCode: "59350"},
			Situation: SituationInput{LackOfPoleEmploiIDReason: FTNotRegistered, HasRSAAllocation: RSANotIncreased, RSAAllocationSince: "02"},
		}, true)
		if err != nil {
			return fmt.Errorf("jobseeker: demo job seeker by proxy: %w", err)
		}
	}
	return nil
}
