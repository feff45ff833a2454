package jobseeker_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"emplois/internal/account"
	"emplois/internal/jobseeker"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

// wizardKey reads the key of the wizard the search redirected to.
func wizardKey(t *testing.T, res *webtest.Response) string {
	t.Helper()
	webtest.WantStatus(t, res, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	_, key, ok := strings.Cut(loc, "/job-seekers/search/email?key=")
	if !ok {
		t.Fatalf("redirected to %q", loc)
	}
	return key
}

func identityForm() url.Values {
	return url.Values{"email": {"jean.dupont@example.org"}, "title": {"M"}, "first_name": {"Jean"}, "last_name": {"Dupont"},
		"birthdate": {"1985-05-20"}, "birth_country": {"99100"}, "birth_place": {"Lyon (69)"}, "birth_place_code": {"69123"},
		"nir": {"185057800608491"}}
}

func TestCreateByProxy_APrescriberSearchesThenCreatesAndGoesBackToNext(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		p := site.Prescriber(org.ML, "Mission locale de Lyon", true)
		pro := site.Member(org.TypePrescriber, p.ID, "ml@example.org", "Paula", "Prescriptrice")
		b := site.LoginAs(pro)

		res := b.Get("/job-seekers/search?next=/apply/abc/start")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantNoBody(t, res, "Continuer sans numéro")
		res = b.Post("/job-seekers/search", url.Values{"nir": {"123"}, "next": {"/apply/abc/start"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, jobseeker.MsgNIRLength, "Continuer sans numéro")

		key := wizardKey(t, b.Post("/job-seekers/search", url.Values{"nir": {"1 85 05 78 006 084 91"}, "next": {"/apply/abc/start"}}))
		// The wizard is this tab's: another professional gets a 404.
		other := site.LoginAs(site.Member(org.TypePrescriber, p.ID, "ml2@example.org", "Olga", "Autre"))
		webtest.WantStatus(t, other.Get("/job-seekers/search/email?key="+key), http.StatusNotFound)

		res = b.Post("/job-seekers/search/email", url.Values{"key": {key}, "email": {"agent@francetravail.fr"}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "réservées aux agents")
		res = b.Post("/job-seekers/search/email", url.Values{"key": {key}, "email": {"jean.dupont@example.org"}})
		webtest.WantRedirect(t, res, "/job-seekers/create/"+key+"/identity")

		// Steps cannot be skipped.
		webtest.WantRedirect(t, b.Get("/job-seekers/create/"+key+"/situation"), "/job-seekers/create/"+key+"/identity")
		res = b.Get("/job-seekers/create/" + key + "/identity")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "jean.dupont@example.org", "185057800608491")

		bad := identityForm()
		bad.Set("birthdate", "2014-01-01")
		res = b.Post("/job-seekers/create/"+key+"/identity", bad)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, jobseeker.MsgTooYoung)
		if !strings.HasPrefix(res.Title(t), "Erreur") {
			t.Errorf("a refused step's title starts with Erreur: %q", res.Title(t))
		}

		webtest.WantRedirect(t, b.Post("/job-seekers/create/"+key+"/identity", identityForm()), "/job-seekers/create/"+key+"/contact")
		webtest.WantRedirect(t, b.Post("/job-seekers/create/"+key+"/contact", url.Values{"address_line_1": {"3 place Bellecour"},
			"post_code": {"69002"}, "city": {"Lyon (69)"}, "city_code": {"69123"}}), "/job-seekers/create/"+key+"/situation")
		webtest.WantRedirect(t, b.Post("/job-seekers/create/"+key+"/situation", url.Values{"lack_of_pole_emploi_id_reason": {"NOT_REGISTERED"},
			"has_rsa_allocation": {"NON"}, "refugee": {"on"}}), "/job-seekers/create/"+key+"/summary")
		res = b.Get("/job-seekers/create/" + key + "/summary")
		webtest.WantBody(t, res, "Jean", "Dupont", "Non inscrit auprès de France Travail")

		res = b.Post("/job-seekers/create/"+key+"/summary", nil)
		webtest.WantStatus(t, res, http.StatusSeeOther)
		loc := res.Header.Get("Location")
		if !strings.HasPrefix(loc, "/apply/abc/start?job_seeker_public_id=") {
			t.Fatalf("went to %q", loc)
		}
		// A second submission creates nothing.
		webtest.WantStatus(t, b.Post("/job-seekers/create/"+key+"/summary", nil), http.StatusNotFound)
		if mails := site.Mails(); len(mails) != 1 || mails[0].To != "jean.dupont@example.org" {
			t.Fatalf("mails: %+v", mails)
		}
		publicID := strings.TrimPrefix(loc, "/apply/abc/start?job_seeker_public_id=")
		res = b.Get("/job-seekers/details/" + publicID)
		webtest.WantBody(t, res, "Jean DUPONT", "185057800608491")

		// A NIR search now finds the person, with a card that continues to next.
		res = b.Post("/job-seekers/search", url.Values{"nir": {"185057800608491"}, "next": {"/apply/abc/start?x=1"}})
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Jean DUPONT", "/apply/abc/start?x=1&amp;job_seeker_public_id="+publicID)
		res = b.Get("/job-seekers/list")
		webtest.WantBody(t, res, "Jean DUPONT", "création du compte candidat")
	})
}

func TestSearch_AnOrienteurSeesAMaskedCardAndAnOffSiteNextIsDropped(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		ctx := context.Background()
		hab := site.Prescriber(org.ML, "Mission locale", true)
		creator := site.Member(org.TypePrescriber, hab.ID, "ml@example.org", "Paula", "Prescriptrice")
		_, err := site.Services.JobSeekers.CreateByProxy(ctx, actor.Actor{UserID: creator.ID, Kind: actor.Professional,
			Organization: &actor.Organization{Type: "prescriber", ID: hab.ID, UID: hab.UID}}, jobseeker.ProxyInput{Email: "jean@example.org",
			Identity: jobseeker.IdentityInput{Title: "M", FirstName: "Jean", LastName: "Dupont", Birthdate: "1985-05-20",
				BirthCountry: "99109", NIR: "185057800608491"},
			Contact:   jobseeker.ContactInput{AddressLine1: "1 rue A", PostCode: "69002", CityCode: "69123"},
			Situation: jobseeker.SituationInput{LackOfPoleEmploiIDReason: jobseeker.FTNotRegistered}}, false)
		if err != nil {
			t.Fatal(err)
		}
		asso := site.Prescriber(org.OtherKind, "Association", false)
		b := site.LoginAs(site.Member(org.TypePrescriber, asso.ID, "asso@example.org", "Omar", "Orienteur"))
		res := b.Post("/job-seekers/search", url.Values{"nir": {"185057800608491"}, "next": {"//evil.example/x"}})
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "J… D…", "/job-seekers/details/")
		webtest.WantNoBody(t, res, "Dupont", "jean@example.org", "evil.example")

		inst := site.Institution()
		ib := site.LoginAs(site.Member(org.TypeInstitution, inst.ID, "ddets@example.org", "Inès", "Inspectrice"))
		webtest.WantStatus(t, ib.Get("/job-seekers/search"), http.StatusForbidden)
	})
}

func TestProfile_TheDashboardSendsAJobSeekerToTheProfileUntilTheAddressIsComplete(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		u := site.CreateJobSeeker("alice@example.org")
		u.AddressLine1 = ""
		if err := account.UpdateColumns(context.Background(), d, u, "address_line_1"); err != nil {
			t.Fatal(err)
		}
		b := site.LoginAs(u)
		webtest.WantRedirect(t, b.Get("/dashboard"), jobseeker.ProfilePath)
		res := b.Get(jobseeker.ProfilePath)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Alice", "Pays de naissance", "Sortant de l&#39;ASE")

		form := url.Values{"title": {"MME"}, "first_name": {"Alice"}, "last_name": {"Martin"}, "birthdate": {"1896-01-01"},
			"birth_country": {"99109"}, "lack_of_nir_reason": {"NO_NIR"}, "address_line_1": {"5 rue de la Paix"},
			"post_code": {"69003"}, "city": {"Lyon (69)"}, "city_code": {"69123"}, "lack_of_pole_emploi_id_reason": {"FORGOTTEN"}}
		res = b.Post(jobseeker.ProfilePath, form)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, jobseeker.MsgTooOld)
		webtest.WantRedirect(t, b.Get("/dashboard"), jobseeker.ProfilePath)

		form.Set("birthdate", "1990-01-10")
		webtest.WantRedirect(t, b.Post(jobseeker.ProfilePath, form), "/dashboard")
		res = b.Get("/dashboard")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Vos informations personnelles sont enregistrées.")
	})
}

func TestList_CostsTheSameQueriesWhateverThePageSize(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		counter := &webtest.QueryCounter{}
		site := webtest.New(t, &db.DB{DB: d.DB.WithQueryHook(counter), Engine: d.Engine}).WithDemoCommunes()
		ctx := context.Background()
		p := site.Prescriber(org.ML, "Mission locale", true)
		pro := site.Member(org.TypePrescriber, p.ID, "ml@example.org", "Paula", "Prescriptrice")
		b := site.LoginAs(pro)
		assign := func(n int) {
			for i := 0; i < n; i++ {
				s := site.CreateUser("job_seeker", fmt.Sprintf("c%d-%d@example.org", n, i), "Zoé", "Candidate")
				if err := jobseeker.Assign(ctx, d, s.ID, pro.ID, &p.ID, nil, jobseeker.AssignApply, false, site.Clock.Now()); err != nil {
					t.Fatal(err)
				}
			}
		}
		queries := func() int64 {
			before := counter.Count()
			webtest.WantStatus(t, b.Get("/job-seekers/list"), http.StatusOK)
			return counter.Count() - before
		}
		assign(1)
		one := queries()
		assign(19)
		twenty := queries()
		if one != twenty {
			t.Fatalf("%d queries for one row, %d for twenty", one, twenty)
		}
		webtest.WantBody(t, b.Get("/job-seekers/list?scope=organization"), "20 candidats")
	})
}

func TestDetails_ListsTheCandidaturesTheViewersOrganizationReceivedOrSent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		open := site.Clock.Now().AddDate(0, 0, -1)
		spontaneous := func(c *org.Company) { c.SpontaneousApplicationsOpenSince = &open }
		mine, theirs := site.StoredCompany(org.ACI, spontaneous), site.StoredCompany(org.EI, spontaneous)
		emp := site.EmployerOf(mine, "employeur@example.org")
		site.EmployerOf(theirs, "autre@example.org")
		ml := site.Prescriber(org.ML, "Mission locale", true)
		pro := site.Member(org.TypePrescriber, ml.ID, "ml@example.org", "Paula", "Prescriptrice")
		js := site.CreateUser("job_seeker", "zoe@example.org", "Zoé", "Candidate")
		for _, co := range []*org.Company{mine, theirs} {
			site.ApplySpontaneously(webtest.PrescriberActor(pro, ml), co, js)
		}
		path := "/job-seekers/details/" + js.PublicID

		res := site.LoginAs(emp).Get(path)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "1 candidature", mine.Name, "/siae/details", "Mission locale")
		webtest.WantNoBody(t, res, theirs.Name)

		res = site.LoginAs(pro).Get(path)
		webtest.WantBody(t, res, "2 candidatures", mine.Name, theirs.Name, "/prescriber/details")

		other := site.StoredCompany(org.EI)
		res = site.LoginAs(site.EmployerOf(other, "tiers@example.org")).Get(path)
		webtest.WantBody(t, res, `id="job-seeker-applications-none"`)
	})
}

func TestEmailSearch_OffersToAttachTheNIRTypedToAJobSeekerWithoutOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		ctx := context.Background()
		alice := site.CreateJobSeeker("alice@example.org") // Madame, no NIR
		p := site.Prescriber(org.ML, "Mission locale de Lyon", true)
		b := site.LoginAs(site.Member(org.TypePrescriber, p.ID, "ml@example.org", "Paula", "Prescriptrice"))
		profile := func() jobseeker.Profile {
			j, err := site.Services.JobSeekers.Self(ctx, actor.Actor{UserID: alice.ID, Kind: actor.JobSeeker})
			if err != nil {
				t.Fatal(err)
			}
			return j.Profile
		}

		// A man's NIR: offered, then refused on the page, nothing saved.
		taken := wizardKey(t, b.Post("/job-seekers/search", url.Values{"nir": {"1 85 05 78 006 084 91"}, "next": {"/apply/abc/start"}}))
		res := b.Post("/job-seekers/search/email", url.Values{"key": {taken}, "email": {"alice@example.org"}})
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, `id="attach-nir-form"`, "185057800608491")
		res = b.Post("/job-seekers/search/email/attach", url.Values{"key": {taken}, "public_id": {alice.PublicID}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "civilité ne correspond pas", `id="job-seeker-card"`)
		if profile().NIR != nil {
			t.Fatal("an inconsistent NIR was attached")
		}

		// A NIR nobody holds, consistent with Madame: attached, then on to next.
		key := wizardKey(t, b.Post("/job-seekers/search", url.Values{"nir": {"2 85 05 99 134 045 38"}, "next": {"/apply/abc/start"}}))
		res = b.Post("/job-seekers/search/email", url.Values{"key": {key}, "email": {"alice@example.org"}})
		webtest.WantBody(t, res, `id="attach-nir-form"`, "285059913404538")
		res = b.Post("/job-seekers/search/email/attach", url.Values{"key": {key}, "public_id": {alice.PublicID}})
		webtest.WantStatus(t, res, http.StatusSeeOther)
		webtest.WantRedirect(t, res, "/apply/abc/start?job_seeker_public_id="+alice.PublicID)
		if p := profile(); p.NIRValue() != "285059913404538" {
			t.Fatalf("NIR = %q", p.NIRValue())
		}
		// Now she has one: no more offer.
		key = wizardKey(t, b.Post("/job-seekers/search", url.Values{"nir": {"1 85 05 78 006 084 91"}}))
		webtest.WantNoBody(t, b.Post("/job-seekers/search/email", url.Values{"key": {key}, "email": {"alice@example.org"}}), "attach-nir-form")

		// An orienteur is offered nothing and may not attach.
		o := site.Prescriber(org.OtherKind, "Association", false)
		ob := site.LoginAs(site.Member(org.TypePrescriber, o.ID, "asso@example.org", "Omar", "Orienteur"))
		bob := site.CreateUser(account.JobSeeker, "bob@example.org", "Bob", "Martin")
		key = wizardKey(t, ob.Post("/job-seekers/search", url.Values{"nir": {"1 85 05 78 006 084 91"}}))
		webtest.WantNoBody(t, ob.Post("/job-seekers/search/email", url.Values{"key": {key}, "email": {"bob@example.org"}}), "attach-nir-form")
		// (Bob is not theirs to see: a 404, as for any job seeker an orienteur may not see.)
		webtest.WantStatus(t, ob.Post("/job-seekers/search/email/attach", url.Values{"key": {key}, "public_id": {bob.PublicID}}), http.StatusNotFound)
		if j, err := site.Services.JobSeekers.Self(ctx, actor.Actor{UserID: bob.ID, Kind: actor.JobSeeker}); err != nil || j.Profile.NIR != nil {
			t.Fatalf("an orienteur attached a NIR: %+v %v", j, err)
		}
	})
}
