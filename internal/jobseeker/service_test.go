package jobseeker_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/geo"
	"emplois/internal/jobseeker"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
)

// fixture is a database with the demo communes, the job seeker service, and the people and
// organizations of the tests.
type fixture struct {
	t        *testing.T
	d        *db.DB
	accounts *account.Service
	svc      *jobseeker.Service
	orgs     *org.Service
	now      time.Time
}

var serial atomic.Int64

func siret() string {
	return org.WithLuhnKey(org.WithLuhnKey(fmt.Sprintf("%08d", 50000000+serial.Add(1))) + "0001")
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	if err := geo.LoadDemo(ctx, d); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	accounts := account.NewService(d, cfg)
	accounts.Params = account.HashParams{Time: 1, Memory: 8 * 1024, Threads: 1, KeyLen: 32, SaltLen: 16}
	now := time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC)
	accounts.Now = func() time.Time { return now }
	svc := jobseeker.NewService(d, accounts, []byte("test secret key"))
	svc.Now = accounts.Now
	return &fixture{t: t, d: d, accounts: accounts, svc: svc, orgs: org.NewService(d, cfg), now: now}
}

// user stores an active account of kind.
func (f *fixture) user(kind account.Kind, first, last string) *account.User {
	f.t.Helper()
	n := serial.Add(1)
	u := &account.User{PublicID: uuid.NewString(), Email: fmt.Sprintf("%s.%d@example.org", strings.ToLower(first), n), Kind: kind,
		IdentityProvider: account.Django, FirstName: first, LastName: last, IsActive: true, DateJoined: f.now}
	if err := account.InsertUser(context.Background(), f.d, u); err != nil {
		f.t.Fatal(err)
	}
	return u
}

// prescriber creates a prescriber organization (habilitated when validated) and returns the
// actor of a professional acting for it.
func (f *fixture) prescriber(validated bool) (actor.Actor, *org.PrescriberOrganization) {
	f.t.Helper()
	ctx, staff := context.Background(), actor.Actor{Kind: actor.Staff}
	n := serial.Add(1)
	kind := org.PrescriberKind("ML")
	if !validated {
		kind = org.OtherKind
	}
	p, err := f.orgs.CreatePrescriberOrganization(ctx, staff, org.PrescriberInput{SIRET: siret(), Kind: kind,
		Name: fmt.Sprintf("Structure %d", n), Address: org.AddressInput{Line1: "1 rue B", CommuneCode: "59350"}})
	if err != nil {
		f.t.Fatal(err)
	}
	if validated {
		if err := f.orgs.ValidateHabilitation(ctx, staff, p.UID); err != nil {
			f.t.Fatal(err)
		}
	}
	u := f.user(account.Professional, "Paula", "Prescri")
	return actor.Actor{UserID: u.ID, Kind: actor.Professional,
		Organization: &actor.Organization{Type: "prescriber", Kind: string(p.Kind), ID: p.ID, UID: p.UID}}, p
}

// colleague is another professional of the same organization.
func (f *fixture) colleague(of actor.Actor) actor.Actor {
	u := f.user(account.Professional, "Colin", "Collegue")
	of.UserID = u.ID
	return of
}

func (f *fixture) employer() actor.Actor {
	f.t.Helper()
	n := serial.Add(1)
	co, err := f.orgs.CreateCompany(context.Background(), actor.Actor{Kind: actor.Staff}, org.CompanyInput{
		SIRET: siret(), Kind: org.CompanyKind("EI"), Name: fmt.Sprintf("Entreprise %d", n),
		Address: org.AddressInput{Line1: "2 rue C", CommuneCode: "69123"}})
	if err != nil {
		f.t.Fatal(err)
	}
	u := f.user(account.Professional, "Eric", "Employeur")
	return actor.Actor{UserID: u.ID, Kind: actor.Professional, Organization: &actor.Organization{Type: "company", Kind: "EI", ID: co.ID, UID: co.UID}}
}

func (f *fixture) institution() actor.Actor {
	u := f.user(account.Professional, "Ines", "Institution")
	return actor.Actor{UserID: u.ID, Kind: actor.Professional, Organization: &actor.Organization{Type: "institution", Kind: "DDETS IAE", ID: 1}}
}

// proxyInput is a complete creation wizard for Jean Dupont, born in Lyon in May 1985.
func proxyInput(email string) jobseeker.ProxyInput {
	return jobseeker.ProxyInput{Email: email,
		Identity: jobseeker.IdentityInput{Title: account.Monsieur, FirstName: "Jean", LastName: "Dupont", Birthdate: "1985-05-20",
			BirthCountry: jobseeker.France, BirthPlace: "69123", NIR: "185057800608491"},
		Contact:   jobseeker.ContactInput{Phone: "06 12 34 56 78", AddressLine1: "3 place Bellecour", PostCode: "69002", City: "Lyon (69)", CityCode: "69123"},
		Situation: jobseeker.SituationInput{PoleEmploiID: "1234567A", EducationLevel: "40", HasRSAAllocation: jobseeker.RSANotIncreased, RSAAllocationSince: "02"},
	}
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	if !fault.FieldsOf(err).Has(field) {
		t.Fatalf("want a refusal on %s, got %v", field, err)
	}
}

func count(t *testing.T, d *db.DB, table string) int {
	t.Helper()
	n, err := d.NewSelect().Table(table).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestCreateByProxy_CreatesTheAccountProfileAssignmentMailAndAudit(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		pro, po := f.prescriber(true)
		j, err := f.svc.CreateByProxy(ctx, pro, proxyInput("Jean.Dupont@Example.org"), false)
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.ByPublicID(ctx, pro, j.PublicID())
		if err != nil {
			t.Fatal(err)
		}
		u, p := got.User, got.Profile
		if u.Email != "jean.dupont@example.org" || u.CreatedByID == nil || *u.CreatedByID != pro.UserID || u.EmailVerified() {
			t.Errorf("account: %+v", u)
		}
		if u.City != "Lyon" || u.Department != "69" || u.InseeCode == nil || *u.InseeCode != "69123" || u.Phone != "0612345678" {
			t.Errorf("address: %q %q %v %q", u.City, u.Department, u.InseeCode, u.Phone)
		}
		if p.NIRValue() != "185057800608491" || p.Birthdate == nil || p.Birthdate.Format("2006-01-02") != "1985-05-20" ||
			len(p.ASPUID) != 30 || p.CreatedByPrescriberOrganizationID == nil || *p.CreatedByPrescriberOrganizationID != po.ID ||
			p.HasRSAAllocation != jobseeker.RSANotIncreased || p.PoleEmploiID != "1234567A" {
			t.Errorf("profile: %+v", p)
		}
		var mails []struct {
			To      string `bun:"to_addr"`
			Subject string `bun:"subject"`
		}
		if err := d.NewSelect().Table("mail_outbox").Column("to_addr", "subject").Scan(ctx, &mails); err != nil {
			t.Fatal(err)
		}
		if len(mails) != 1 || mails[0].To != "jean.dupont@example.org" {
			t.Fatalf("mails: %+v", mails)
		}
		page, err := f.svc.MyCandidates(ctx, pro, jobseeker.ScopeMine, 1)
		if err != nil || page.Total != 1 || page.Rows[0].LastAction != jobseeker.AssignCreate || page.Rows[0].Name() != "Jean DUPONT" {
			t.Fatalf("mes candidats: %+v %v", page, err)
		}
		var actions []string
		if err := d.NewSelect().Table("audit_event").Column("action").Scan(ctx, &actions); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(actions, " "), jobseeker.ActionCreatedByProxy) {
			t.Errorf("audit: %v", actions)
		}
	})
}

func TestCreateByProxy_TheSetPasswordLinkVerifiesTheEmail(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		pro, _ := f.prescriber(false)
		j, err := f.svc.CreateByProxy(ctx, pro, proxyInput("jean@example.org"), false)
		if err != nil {
			t.Fatal(err)
		}
		var text string
		if err := d.NewSelect().Table("mail_outbox").Column("text_body").Limit(1).Scan(ctx, &text); err != nil {
			t.Fatal(err)
		}
		i := strings.Index(text, "/accounts/password/reset/")
		if i < 0 {
			t.Fatalf("no link in %q", text)
		}
		token := strings.Fields(text[i+len("/accounts/password/reset/"):])[0]
		u, err := f.accounts.ResetPassword(ctx, token, "Jardin-Potager-Lyon-2026", "Jardin-Potager-Lyon-2026", "")
		if err != nil {
			t.Fatal(err)
		}
		if u.ID != j.User.ID || !u.EmailVerified() {
			t.Fatalf("after the first password: %+v", u)
		}
	})
}

func TestCreateByProxy_RefusesDuplicatesByNIRThenEmailThenAsksToConfirmSameNameAndBirth(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		pro := f.employer()
		if _, err := f.svc.CreateByProxy(ctx, pro, proxyInput("jean@example.org"), false); err != nil {
			t.Fatal(err)
		}
		before := count(t, d, "users")

		_, err := f.svc.CreateByProxy(ctx, pro, proxyInput("autre@example.org"), false)
		wantField(t, err, "nir")
		if !strings.Contains(err.Error(), "j*****n@example.org") {
			t.Errorf("the NIR refusal names the redacted e-mail: %v", err)
		}

		in := proxyInput("JEAN@example.org")
		in.Identity.NIR, in.Identity.LackOfNIRReason = "", jobseeker.NoNIR
		_, err = f.svc.CreateByProxy(ctx, pro, in, false)
		wantField(t, err, "email")

		in = proxyInput("jean2@example.org")
		in.Identity.NIR, in.Identity.LackOfNIRReason = "", jobseeker.NoNIR
		in.Identity.FirstName, in.Identity.LastName = "JÉAN", "dupont"
		_, err = f.svc.CreateByProxy(ctx, pro, in, false)
		var dup *jobseeker.DuplicateError
		if !errors.As(err, &dup) || dup.RedactedEmail != "j*****n@example.org" {
			t.Fatalf("want a DuplicateError, got %v", err)
		}
		if k, _ := fault.KindOf(err); k != fault.KindConflict {
			t.Errorf("a duplicate is a conflict for the pages, got %v", k)
		}
		if n := count(t, d, "users"); n != before {
			t.Fatalf("a refused creation wrote %d accounts", n-before)
		}
		if _, err := f.svc.CreateByProxy(ctx, pro, in, true); err != nil {
			t.Fatalf("confirmed: %v", err)
		}
	})
}

func TestCreateByProxy_BadInputIsRefusedOnItsFieldAndWritesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		pro, _ := f.prescriber(true)
		for _, tc := range []struct {
			field  string
			change func(*jobseeker.ProxyInput)
		}{
			{"birthdate", func(in *jobseeker.ProxyInput) { in.Identity.Birthdate = "2014-01-01" }},
			{"birthdate", func(in *jobseeker.ProxyInput) { in.Identity.Birthdate = "1896-01-01" }},
			{"nir", func(in *jobseeker.ProxyInput) { in.Identity.NIR = "185057800608492" }},
			{"birth_place", func(in *jobseeker.ProxyInput) { in.Identity.BirthPlace = "99999" }},
			{"email", func(in *jobseeker.ProxyInput) { in.Email = "agent@francetravail.fr" }},
			{"post_code", func(in *jobseeker.ProxyInput) { in.Contact.PostCode = "690" }},
			{"city", func(in *jobseeker.ProxyInput) { in.Contact.City, in.Contact.CityCode = "Atlantis", "" }},
			{"pole_emploi_id", func(in *jobseeker.ProxyInput) { in.Situation.PoleEmploiID = "" }},
		} {
			in := proxyInput("jean@example.org")
			tc.change(&in)
			_, err := f.svc.CreateByProxy(ctx, pro, in, false)
			wantField(t, err, tc.field)
		}
		if n := count(t, d, "job_seeker_profile"); n != 0 {
			t.Fatalf("%d profiles written", n)
		}
	})
}

func TestCreateByProxy_OnlyProfessionalsWhoMayApplyForSomeone(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		seeker := f.user(account.JobSeeker, "Alice", "Martin")
		for name, a := range map[string]actor.Actor{
			"job seeker":  {UserID: seeker.ID, Kind: actor.JobSeeker},
			"institution": f.institution(),
			"anonymous":   {},
		} {
			if _, err := f.svc.CreateByProxy(ctx, a, proxyInput("x@example.org"), false); !errors.Is(err, jobseeker.ErrForbidden) {
				t.Errorf("%s: %v", name, err)
			}
			if _, err := f.svc.FindByNIR(ctx, a, "185057800608491"); !errors.Is(err, jobseeker.ErrForbidden) {
				t.Errorf("%s searches: %v", name, err)
			}
		}
	})
}

func TestView_OrienteursSeeMaskedNamesUnlessTheyCreatedTheAccount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		creator, _ := f.prescriber(false)
		colleague := f.colleague(creator)
		j, err := f.svc.CreateByProxy(ctx, creator, proxyInput("jean@example.org"), false)
		if err != nil {
			t.Fatal(err)
		}
		self := actor.Actor{UserID: j.User.ID, Kind: actor.JobSeeker}
		otherOrienteur, _ := f.prescriber(false)
		habilitated, _ := f.prescriber(true)
		otherSeeker := f.user(account.JobSeeker, "Bob", "Bernard")
		for _, tc := range []struct {
			name     string
			a        actor.Actor
			view     bool
			personal bool
		}{
			{"the creator", creator, true, true},
			{"a colleague of the creator's organization (followed by it)", colleague, true, false},
			{"an orienteur of another organization", otherOrienteur, false, false},
			{"an authorized prescriber", habilitated, true, true},
			{"an employer", f.employer(), true, true},
			{"the person", self, true, true},
			{"another job seeker", actor.Actor{UserID: otherSeeker.ID, Kind: actor.JobSeeker}, false, false},
			{"an institution member", f.institution(), false, false},
			{"staff", actor.Actor{Kind: actor.Staff}, true, true},
		} {
			got, err := f.svc.ByPublicID(ctx, tc.a, j.PublicID())
			if !tc.view {
				if !errors.Is(err, jobseeker.ErrNotFound) {
					t.Errorf("%s: want not found, got %v", tc.name, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			wantName := "Jean DUPONT"
			if !tc.personal {
				wantName = "J… D…"
			}
			if got.PersonalData != tc.personal || got.Name() != wantName {
				t.Errorf("%s: personal %v name %q", tc.name, got.PersonalData, got.Name())
			}
		}
		found, err := f.svc.FindByNIR(ctx, otherOrienteur, "1 85 05 78 006 084 91")
		if err != nil || found == nil || found.Name() != "J… D…" {
			t.Fatalf("an orienteur's NIR search shows the masked card: %+v %v", found, err)
		}
	})
}

func TestUpdateProfile_ACertifiedIdentityStaysAsCertifiedForEveryone(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		u := f.user(account.JobSeeker, "Alice", "Martin")
		self := actor.Actor{UserID: u.ID, Kind: actor.JobSeeker}
		in := jobseeker.ProfileInput{
			Identity: jobseeker.IdentityInput{Title: account.Madame, FirstName: "Alice", LastName: "Martin", Birthdate: "1990-01-10",
				BirthCountry: "99109", LackOfNIRReason: jobseeker.NoNIR},
			Contact:   jobseeker.ContactInput{AddressLine1: "5 rue de la Paix", PostCode: "69003", City: "Lyon", CityCode: "69123"},
			Situation: jobseeker.SituationInput{LackOfPoleEmploiIDReason: jobseeker.FTNotRegistered},
		}
		if _, err := f.svc.UpdateProfile(ctx, self, u.PublicID, in); err != nil {
			t.Fatal(err)
		}
		if ok, err := jobseeker.IdentityCertified(ctx, d, u.ID); err != nil || ok {
			t.Fatalf("certified before any answer: %v %v", ok, err)
		}
		if err := jobseeker.RecordCertification(ctx, d, u.ID, jobseeker.CertifierAPIParticulier, f.now); err != nil {
			t.Fatal(err)
		}
		// A second answer moves the date, it does not add a row.
		if err := jobseeker.RecordCertification(ctx, d, u.ID, jobseeker.CertifierAPIParticulier, f.now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		var rows int
		if err := d.NewRaw("SELECT count(*) FROM identity_certification WHERE job_seeker_id = ?", u.ID).Scan(ctx, &rows); err != nil || rows != 1 {
			t.Fatalf("rows = %d, %v", rows, err)
		}
		in.Identity.FirstName, in.Identity.LastName, in.Identity.Birthdate, in.Identity.BirthCountry = "Alicia", "Dupont", "1991-02-11", "99134"
		in.Contact.AddressLine1 = "7 rue de la Paix"
		j, err := f.svc.UpdateProfile(ctx, self, u.PublicID, in)
		if err != nil {
			t.Fatal(err)
		}
		if j.User.FirstName != "Alice" || j.User.LastName != "Martin" || j.Profile.Birthdate.Format(time.DateOnly) != "1990-01-10" ||
			*j.Profile.BirthCountryCode != "99109" || j.User.AddressLine1 != "7 rue de la Paix" {
			t.Errorf("the certified identity changed, or the address did not: %+v %+v", j.User, j.Profile)
		}
		if got := jobseeker.LockedFields(j.User, false, true); len(got) != len(jobseeker.SSOLockedFields) {
			t.Errorf("locked for a professional = %v; want every identity field", got)
		}
	})
}

func TestUpdateProfile_SelfEditsButFranceConnectFieldsStayAndOneNIRPerPerson(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		pro := f.employer()
		first, err := f.svc.CreateByProxy(ctx, pro, proxyInput("jean@example.org"), false)
		if err != nil {
			t.Fatal(err)
		}
		u := f.user(account.JobSeeker, "Alice", "Martin")
		// FranceConnect gave the names, not the birth data: those stay editable.
		u.IdentityProvider, u.Username = account.FranceConnect, "fc-sub-1"
		u.RecordFieldSources(account.FranceConnect, f.now, "email", "first_name", "last_name", "birthdate")
		if err := account.UpdateColumns(ctx, d, u, "identity_provider", "username", "external_data_source_history"); err != nil {
			t.Fatal(err)
		}
		self := actor.Actor{UserID: u.ID, Kind: actor.JobSeeker}
		in := jobseeker.ProfileInput{
			Identity: jobseeker.IdentityInput{Title: account.Madame, FirstName: "Alicia", LastName: "Martin", Birthdate: "1990-01-10",
				BirthCountry: "99109", LackOfNIRReason: jobseeker.NoNIR},
			Contact:   jobseeker.ContactInput{AddressLine1: "5 rue de la Paix", PostCode: "69003", City: "Lyon", CityCode: "69123"},
			Situation: jobseeker.SituationInput{LackOfPoleEmploiIDReason: jobseeker.FTNotRegistered},
		}
		j, err := f.svc.UpdateProfile(ctx, self, u.PublicID, in)
		if err != nil {
			t.Fatal(err)
		}
		if j.User.FirstName != "Alice" || j.Profile.Birthdate == nil || j.User.AddressLine1 != "5 rue de la Paix" || j.User.Department != "69" {
			t.Errorf("FranceConnect fields given must stay, those missing and the address may change: %+v %+v", j.User, j.Profile)
		}
		in.Identity.NIR, in.Identity.LackOfNIRReason = "185057800608491", ""
		in.Identity.Title, in.Identity.Birthdate = account.Monsieur, "1985-05-20"
		u.IdentityProvider, u.ExternalDataSourceHistory = account.Django, nil
		if err := account.UpdateColumns(ctx, d, u, "identity_provider", "external_data_source_history"); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.UpdateProfile(ctx, self, u.PublicID, in)
		wantField(t, err, "nir")
		if !strings.Contains(err.Error(), "j*****n@example.org") {
			t.Errorf("the refusal names %s's redacted e-mail: %v", first.User.Email, err)
		}
		other := f.user(account.JobSeeker, "Bob", "Bernard")
		if _, err := f.svc.UpdateProfile(ctx, actor.Actor{UserID: other.ID, Kind: actor.JobSeeker}, u.PublicID, in); !errors.Is(err, jobseeker.ErrNotFound) {
			t.Errorf("another job seeker edits: %v", err)
		}
		orienteur, _ := f.prescriber(false)
		if _, err := f.svc.UpdateProfile(ctx, orienteur, first.PublicID(), in); !errors.Is(err, jobseeker.ErrNotFound) {
			t.Errorf("an orienteur who did not create the account edits: %v", err)
		}
	})
}

func TestNIRUniqueness_HoldsUnderConcurrentSaves(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		staff := actor.Actor{Kind: actor.Staff}
		var seekers []*account.User
		for i := 0; i < 4; i++ {
			seekers = append(seekers, f.user(account.JobSeeker, "Jean", fmt.Sprintf("Dupont%d", i)))
		}
		in := jobseeker.ProfileInput{
			Identity: jobseeker.IdentityInput{Title: account.Monsieur, FirstName: "Jean", LastName: "Dupont", Birthdate: "1985-05-20",
				BirthCountry: "99109", NIR: "185057800608491"},
			Contact:   jobseeker.ContactInput{AddressLine1: "5 rue de la Paix", PostCode: "69003", CityCode: "69123"},
			Situation: jobseeker.SituationInput{LackOfPoleEmploiIDReason: jobseeker.FTNotRegistered},
		}
		var wg sync.WaitGroup
		errs := make([]error, len(seekers))
		for i, u := range seekers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.svc.UpdateProfile(ctx, staff, u.PublicID, in)
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case fault.FieldsOf(err).Has("nir"):
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		var held int
		if err := d.NewSelect().Table("job_seeker_profile").ColumnExpr("COUNT(*)").Where("nir = ?", "185057800608491").Scan(ctx, &held); err != nil {
			t.Fatal(err)
		}
		if ok != 1 || held != 1 {
			t.Fatalf("%d saves succeeded, %d profiles hold the NIR; want 1 and 1", ok, held)
		}
	})
}

func TestFindByEmail_RefusesFranceTravailProfessionalAndDeactivatedAddresses(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		pro, _ := f.prescriber(true)
		seeker := f.user(account.JobSeeker, "Alice", "Martin")
		gone := f.user(account.JobSeeker, "Gaston", "Parti")
		if _, err := f.accounts.Deactivate(ctx, gone.Email); err != nil {
			t.Fatal(err)
		}
		colleague := f.user(account.Professional, "Paul", "Pro")
		for email, field := range map[string]string{"x@pole-emploi.fr": "email", "X@FranceTravail.fr": "email",
			colleague.Email: "email", gone.Email: "email", "pas une adresse": "email"} {
			_, err := f.svc.FindByEmail(ctx, pro, email)
			wantField(t, err, field)
		}
		j, err := f.svc.FindByEmail(ctx, pro, strings.ToUpper(seeker.Email))
		if err != nil || j == nil || j.User.ID != seeker.ID {
			t.Fatalf("found %+v %v", j, err)
		}
		if j, err := f.svc.FindByEmail(ctx, pro, "personne@example.org"); err != nil || j != nil {
			t.Fatalf("nobody: %+v %v", j, err)
		}
	})
}

func TestAssign_UpsertsOneRowPerJobSeekerProfessionalAndOrganization(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		pro, po := f.prescriber(true)
		seeker := f.user(account.JobSeeker, "Alice", "Martin")
		at := f.now
		for _, kind := range []jobseeker.AssignmentKind{jobseeker.AssignApply, jobseeker.AssignAccept} {
			at = at.Add(time.Hour)
			if err := jobseeker.Assign(ctx, d, seeker.ID, pro.UserID, &po.ID, nil, kind, false, at); err != nil {
				t.Fatal(err)
			}
		}
		if err := jobseeker.Assign(ctx, d, seeker.ID, pro.UserID, nil, nil, jobseeker.AssignSelf, true, at); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, "job_seeker_assignment"); n != 2 {
			t.Fatalf("%d rows, want 2 (with and without organization)", n)
		}
		page, err := f.svc.MyCandidates(ctx, pro, jobseeker.ScopeOrganization, 1)
		if err != nil || page.Total != 1 || page.Rows[0].LastAction != jobseeker.AssignAccept {
			t.Fatalf("%+v %v", page, err)
		}
		if err := jobseeker.Assign(ctx, d, seeker.ID, pro.UserID, &po.ID, new(int64), jobseeker.AssignApply, false, at); err == nil {
			t.Error("an assignment to a prescriber organization and a company is refused")
		}
	})
}

func TestMyCandidates_MineAndOrganizationTabsPaginatedPerRole(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		pro, po := f.prescriber(false)
		colleague := f.colleague(pro)
		for i := 0; i < jobseeker.CandidatesPageSize+3; i++ {
			who := pro
			if i%2 == 1 {
				who = colleague
			}
			s := f.user(account.JobSeeker, "Zoé", fmt.Sprintf("Candidate%d", i))
			if err := jobseeker.Assign(ctx, d, s.ID, who.UserID, &po.ID, nil, jobseeker.AssignApply, false, f.now.Add(time.Duration(i)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		mine, err := f.svc.MyCandidates(ctx, pro, jobseeker.ScopeMine, 1)
		if err != nil || mine.Total != 12 || len(mine.Rows) != 12 {
			t.Fatalf("mine: %d rows of %d, %v", len(mine.Rows), mine.Total, err)
		}
		all, err := f.svc.MyCandidates(ctx, pro, jobseeker.ScopeOrganization, 2)
		if err != nil || all.Total != 23 || all.Pages != 2 || len(all.Rows) != 3 {
			t.Fatalf("organization page 2: %d rows of %d in %d pages, %v", len(all.Rows), all.Total, all.Pages, err)
		}
		if all.Rows[0].Name() != "Z… C…" {
			t.Errorf("an orienteur sees masked names of job seekers they did not create: %q", all.Rows[0].Name())
		}
		if _, err := f.svc.MyCandidates(ctx, f.employer(), jobseeker.ScopeMine, 1); !errors.Is(err, jobseeker.ErrForbidden) {
			t.Errorf("employers have no « mine » tab: %v", err)
		}
		if _, err := f.svc.MyCandidates(ctx, f.institution(), jobseeker.ScopeOrganization, 1); !errors.Is(err, jobseeker.ErrForbidden) {
			t.Errorf("institutions have no list: %v", err)
		}
	})
}

func TestSignUp_WritesTheProfileWithTheAccountAndRefusesATakenNIR(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		in := jobseeker.SignUpInput{Email: "alice@example.org", Password: "Jardin-Potager-Lyon-2026", PasswordConfirm: "Jardin-Potager-Lyon-2026",
			Identity: jobseeker.IdentityInput{Title: account.Monsieur, FirstName: "Jean", LastName: "Dupont", Birthdate: "1985-05-20",
				BirthCountry: jobseeker.France, BirthPlace: "69123", NIR: "185057800608491"}}
		u, err := f.svc.SignUp(ctx, in, "")
		if err != nil {
			t.Fatal(err)
		}
		j, err := f.svc.Self(ctx, actor.Actor{UserID: u.ID, Kind: actor.JobSeeker})
		if err != nil || j.Profile.NIRValue() != "185057800608491" || j.Profile.BirthPlaceCode == nil || len(j.Profile.ASPUID) != 30 {
			t.Fatalf("profile: %+v %v", j, err)
		}
		in.Email = "bob@example.org"
		_, err = f.svc.SignUp(ctx, in, "")
		wantField(t, err, "nir")
		if _, err := f.accounts.ByEmail(ctx, "bob@example.org"); !errors.Is(err, account.ErrNotFound) {
			t.Errorf("a refused signup created the account: %v", err)
		}
	})
}

func TestSeedDemo_CompletesTheDemoJobSeekerAndCreatesOneByProxyOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		if _, err := f.accounts.SeedDemo(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.orgs.SeedDemo(ctx, f.accounts); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			if err := f.svc.SeedDemo(ctx); err != nil {
				t.Fatal(err)
			}
		}
		u, err := f.accounts.ByEmail(ctx, "candidat@demo.emplois.test")
		if err != nil || !jobseeker.AddressComplete(u) {
			t.Fatalf("demo job seeker: %+v %v", u, err)
		}
		proxy, err := f.accounts.ByEmail(ctx, "jean.dupont@demo.emplois.test")
		if err != nil || proxy.CreatedByID == nil {
			t.Fatalf("demo job seeker by proxy: %+v %v", proxy, err)
		}
	})
}

func TestAttachNIR_OnlyEmployersAndAuthorizedPrescribersAttachAValidFreeNIR(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		employer := f.employer()
		holder, err := f.svc.CreateByProxy(ctx, employer, proxyInput("jean@example.org"), false)
		if err != nil {
			t.Fatal(err)
		}
		target := f.user(account.JobSeeker, "Bob", "Martin")
		target.Title = account.Monsieur
		if err := account.UpdateColumns(ctx, d, target, "title"); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.AttachNIR(ctx, employer, target.PublicID, holder.Profile.NIRValue())
		wantField(t, err, "nir")
		if !strings.Contains(err.Error(), jobseeker.MsgAttachNIRTaken) {
			t.Errorf("a NIR held by another: %v", err)
		}
		_, err = f.svc.AttachNIR(ctx, employer, target.PublicID, "285059913404538") // a woman's
		wantField(t, err, "nir")
		orienteur, _ := f.prescriber(false)
		if _, err := f.svc.AttachNIR(ctx, orienteur, target.PublicID, "185059913404588"); !errors.Is(err, jobseeker.ErrNotFound) {
			t.Errorf("an orienteur: %v", err)
		}
		self := actor.Actor{UserID: target.ID, Kind: actor.JobSeeker}
		if _, err := f.svc.AttachNIR(ctx, self, target.PublicID, "185059913404588"); !errors.Is(err, jobseeker.ErrForbidden) {
			t.Errorf("the job seeker: %v", err)
		}
		if j, _ := f.svc.Self(ctx, self); j.Profile.NIR != nil {
			t.Fatal("a refused attachment wrote the NIR")
		}
		authorized, _ := f.prescriber(true)
		j, err := f.svc.AttachNIR(ctx, authorized, target.PublicID, "1 85 05 99 134 045 88")
		if err != nil || j.Profile.NIRValue() != "185059913404588" {
			t.Fatalf("attach: %+v %v", j, err)
		}
		_, err = f.svc.AttachNIR(ctx, employer, target.PublicID, "185059913404588")
		wantField(t, err, "nir")
	})
}

func TestLoginWithFranceConnect_WritesTheBirthDataLocksThemAndAppliesOnlyAFreeConsistentNIR(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		holder, err := f.svc.CreateByProxy(ctx, f.employer(), proxyInput("jean@example.org"), false)
		if err != nil {
			t.Fatal(err)
		}
		claims := jobseeker.FranceConnectClaims{
			FranceConnectIdentity: account.FranceConnectIdentity{Subject: "fc-sub-paul", Email: "paul@example.org",
				FirstName: "Paul", LastName: "Durand", Title: account.TitleOfGender("male")},
			Birthdate: "1985-05-20", BirthPlace: "69123", BirthCountry: jobseeker.France,
		}
		// The NIR typed at the signup is someone else's: the login goes on without it.
		out, err := f.svc.LoginWithFranceConnect(ctx, claims, jobseeker.PendingSignup{NIR: holder.Profile.NIRValue()}, "")
		if err != nil || !out.Created || out.Warning != jobseeker.MsgSignupNIRNotApplied {
			t.Fatalf("login: %+v %v", out, err)
		}
		self := actor.Actor{UserID: out.User.ID, Kind: actor.JobSeeker}
		j, err := f.svc.Self(ctx, self)
		if err != nil || j.Profile.NIR != nil || j.Profile.Birthdate == nil || j.Profile.BirthPlaceCode == nil || *j.Profile.BirthPlaceCode != "69123" {
			t.Fatalf("profile: %+v %v", j, err)
		}
		if got := strings.Join(jobseeker.LockedFields(j.User, true, false), ","); got != "title,first_name,last_name,birthdate,birth_country,birth_place" {
			t.Errorf("locked = %q", got)
		}
		if got := jobseeker.LockedFields(j.User, false, false); got != nil {
			t.Errorf("locked for others = %v", got)
		}
		// The next login, with a free NIR consistent with FranceConnect's identity: applied.
		out, err = f.svc.LoginWithFranceConnect(ctx, claims, jobseeker.PendingSignup{NIR: "1 85 05 69 123 045 64"}, "")
		if err != nil || out.Created || out.Warning != "" {
			t.Fatalf("second login: %+v %v", out, err)
		}
		if j, _ := f.svc.Self(ctx, self); j.Profile.NIRValue() != "185056912304564" {
			t.Fatalf("NIR = %q", j.Profile.NIRValue())
		}
	})
}
