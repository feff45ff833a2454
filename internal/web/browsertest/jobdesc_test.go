package browsertest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/reference"
)

// TestJourney_EmployerCreatesClosesAndReopensAFicheDePoste: an employer logs in with e-mail and
// password (allowed in dev), writes a fiche de poste with the two autocompletes, closes it and
// opens it again; axe checks the list, the form (also with its errors) and the public card.
func TestJourney_EmployerCreatesClosesAndReopensAFicheDePoste(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := reference.LoadDemo(ctx, d); err != nil {
			t.Fatal(err)
		}
		const email, password = "karim.benali@example.org", "Tournesol-Atelier-Bleu-2026"
		co := seedEmployer(t, d, email, password)
		e := StartWith(t, d, nil)

		e.Navigate(t, "/accounts/login")
		e.login(t, email, password)
		e.WaitForPath(t, "/dashboard")

		e.Click(t, "#dashboard-jobs-link")
		e.WaitForPath(t, "/company/job_description_list")
		e.CheckPageAccessibility(t)
		e.Click(t, "#jobdesc-new")
		e.WaitForPath(t, "/company/job_description/new")
		e.CheckPageAccessibility(t)

		// A first try with a job the ROME does not know: the server refuses it (422) and says why.
		e.Fill(t, "id_appellation", "Astronaute")
		e.Select(t, "id_contract_type", "FIXED_TERM_I")
		e.ExpectConsoleError("status of 422")
		e.Click(t, "#jobdesc-submit")
		e.WaitForText(t, "n'existe pas dans le répertoire ROME")
		e.CheckPageAccessibility(t)

		e.Fill(t, "id_appellation", "auxiliaire de v")
		e.Click(t, "#appellation-11453")
		e.Select(t, "id_contract_type", "FIXED_TERM_I")
		e.Fill(t, "id_location", "villeurb")
		e.Click(t, "#commune-69266")
		e.Fill(t, "id_hours_per_week", "26")
		e.Click(t, "#jobdesc-submit")
		e.WaitForText(t, "La fiche de poste « Auxiliaire de vie » est publiée.")
		e.WaitForText(t, "Villeurbanne (69)")

		var uid, location string
		if err := d.NewRaw("SELECT uid, location_code FROM job_description WHERE company_id = ?", co.ID).Scan(ctx, &uid, &location); err != nil {
			t.Fatal(err)
		}
		if location != "69266" {
			t.Fatalf("commune picked in the list not stored: %q", location)
		}
		row := "#fiche-" + uid + ` form[action$="/status"] button`
		e.Click(t, row)
		e.WaitForText(t, "La fiche de poste « Auxiliaire de vie » est fermée")
		e.Click(t, row)
		e.WaitForText(t, "La fiche de poste « Auxiliaire de vie » est ouverte")
		var active bool
		if err := d.NewRaw("SELECT is_active FROM job_description WHERE uid = ?", uid).Scan(ctx, &active); err != nil || !active {
			t.Fatalf("fiche not open again: %v, %v", active, err)
		}
		e.CheckPageAccessibility(t)

		e.Navigate(t, "/company/job_description/"+uid+"/card")
		e.WaitForText(t, "Les missions")
		e.CheckPageAccessibility(t)
		e.Navigate(t, "/company/"+co.UID+"/card")
		e.WaitForText(t, "Recrutements en cours")
		e.CheckPageAccessibility(t)
		e.CheckConsole(t)
	})
}

// seedUser stores u, active and verified, with this password (cheap hashing, for tests only).
func seedUser(t *testing.T, d *db.DB, u *account.User, password string) *account.User {
	t.Helper()
	hash, err := account.HashPassword(password, account.HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	u.PublicID, u.IdentityProvider, u.PasswordHash, u.IsActive, u.EmailVerifiedAt, u.DateJoined = uuid.NewString(), account.Django, hash, true, &now, now
	if _, err := d.NewInsert().Model(u).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	return u
}

// seedEmployer stores an active ACI with one member, a professional with this password.
func seedEmployer(t *testing.T, d *db.DB, email, password string) *org.Company {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	u := seedUser(t, d, &account.User{Email: email, Kind: account.Professional, FirstName: "Karim", LastName: "Benali"}, password)
	conv := &org.Convention{Kind: org.ACI, SiretSignature: "41234560000012", IsActive: true, ASPID: 4242, CreatedAt: now, UpdatedAt: now}
	if _, err := d.NewInsert().Model(conv).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	co := &org.Company{UID: uuid.NewString(), SIRET: "41234560000012", Kind: org.ACI, Name: "Les Jardins de la Croix-Rousse",
		Source: org.SourceASP, IsSearchable: true, Department: "69", ConventionID: &conv.ID, CreatedAt: now, UpdatedAt: now,
		Description: "Maraîchage biologique et vente de paniers.",
		Address:     org.Address{AddressLine1: "3 rue des Jardins", PostCode: "69004", CityName: "Lyon", CommuneCode: "69123"}}
	if _, err := d.NewInsert().Model(co).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	seedMember(t, d, co, u)
	return co
}

// seedMember makes u an active admin of the company.
func seedMember(t *testing.T, d *db.DB, co *org.Company, u *account.User) {
	t.Helper()
	now := time.Now().UTC()
	_, err := d.NewRaw(`INSERT INTO company_membership (user_id, organization_id, joined_at, is_admin, is_active, created_at, updated_at)
		VALUES (?, ?, ?, TRUE, TRUE, ?, ?)`, u.ID, co.ID, now, now, now).Exec(context.Background())
	if err != nil {
		t.Fatal(err)
	}
}

// seedFiche publishes a fiche de poste of the company through the service, written by its
// member u.
func seedFiche(t *testing.T, d *db.DB, cfg config.Config, u *account.User, co *org.Company, in jobdesc.Input) *jobdesc.JobDescription {
	t.Helper()
	fiche, err := jobdesc.NewService(d, cfg).Create(context.Background(), actor.Actor{UserID: u.ID, Kind: actor.Professional,
		Organization: &actor.Organization{Type: string(org.TypeCompany), ID: co.ID, UID: co.UID}}, co.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return fiche
}
