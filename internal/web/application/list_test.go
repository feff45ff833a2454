package application_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"emplois/internal/account"
	"emplois/internal/application"
	"emplois/internal/eligibility"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

// inbox is a company open to spontaneous candidatures with one member.
type inbox struct {
	site    *webtest.Site
	company *org.Company
	member  *account.User
	seq     int
}

func newInbox(t *testing.T, site *webtest.Site, kind org.CompanyKind) *inbox {
	t.Helper()
	open := site.Clock.Now().AddDate(0, 0, -1)
	co := site.StoredCompany(kind, func(c *org.Company) { c.SpontaneousApplicationsOpenSince = &open })
	return &inbox{site: site, company: co, member: site.EmployerOf(co, fmt.Sprintf("employeur-%s@example.org", co.UID[:8]))}
}

func (in *inbox) employer() actor.Actor { return webtest.EmployerActor(in.member, in.company) }

// apply sends a spontaneous candidature of a new job seeker named last to the company.
func (in *inbox) apply(t *testing.T, last string) *application.Application {
	t.Helper()
	in.seq++
	js := in.site.CreateUser(account.JobSeeker, fmt.Sprintf("%s-%d-%s@example.org", strings.ToLower(last), in.seq, in.company.UID[:8]), "Jeanne", last)
	app := in.site.ApplySpontaneously(webtest.JobSeekerActor(js), in.company, js)
	in.site.Clock.Advance(time.Minute)
	return app
}

// prescribed sends a spontaneous candidature of a new job seeker from a member of a new
// habilitated mission locale named orgName.
func (in *inbox) prescribed(t *testing.T, orgName, first, last string) (*account.User, *account.User, *org.PrescriberOrganization) {
	t.Helper()
	ml := in.site.Prescriber(org.ML, orgName, true)
	pro := in.site.Member(org.TypePrescriber, ml.ID, "ml-"+ml.UID[:8]+"@example.org", "Paula", "Prescriptrice")
	js := in.site.CreateUser(account.JobSeeker, strings.ToLower(last)+"-"+ml.UID[:8]+"@example.org", first, last)
	in.site.ApplySpontaneously(webtest.PrescriberActor(pro, ml), in.company, js)
	return pro, js, ml
}

func (in *inbox) set(t *testing.T, app *application.Application, set string, args ...any) {
	t.Helper()
	if _, err := in.site.DB.NewUpdate().Table("job_application").Set(set, args...).Where("id = ?", app.ID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// wantText reports each part the page, as a reader sees it, lacks.
func wantText(t *testing.T, res *webtest.Response, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(res.Text(), p) {
			t.Errorf("%s %s: page lacks %q", res.Request.Method, res.Request.URL.Path, p)
		}
	}
}

func TestInboxPage_FiltersPagesAndRefusesABadFormWithoutFiltering(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		in := newInbox(t, site, org.ACI)
		first := in.apply(t, "Bernard")
		for range 21 {
			in.apply(t, "Zola")
		}
		if _, err := site.Services.Applications.Process(context.Background(), in.employer(), first.PublicID); err != nil {
			t.Fatal(err)
		}
		b := site.LoginAs(in.member)

		res := b.Get(application.InboxPath)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Candidatures reçues (actives)", "22 candidatures", "Jeanne ZOLA", "Page suivante",
			"Candidature spontanée", "Le candidat lui-même", `id="batch-bar"`)
		webtest.WantNoBody(t, res, "Jeanne BERNARD") // page 2, oldest

		res = b.Get(application.InboxPath + "?page=2")
		webtest.WantBody(t, res, "Jeanne BERNARD", application.DetailsPath(first.PublicID))
		wantText(t, res, application.Processing.Label())

		res = b.Get(application.InboxPath + "?states=processing")
		webtest.WantBody(t, res, "1 candidature", "Jeanne BERNARD")
		webtest.WantNoBody(t, res, "Jeanne ZOLA")

		res = b.Get(application.InboxPath + "?states=processing&start_date=hier")
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, application.MsgBadDate, "22 candidatures")
		if !strings.HasPrefix(res.Title(t), "Erreur") {
			t.Errorf("title %q", res.Title(t))
		}

		// htmx swaps the filters and results only, with the title.
		res = b.GetHTMX(application.InboxPath + "?states=processing")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "<title>Candidatures reçues (actives)", `id="applications-list"`, "Jeanne BERNARD", "/apply/siae/list?job_seeker=")
		webtest.WantNoBody(t, res, "<header", "Jeanne ZOLA")

		res = b.Get(application.InboxPath + "?states=refused")
		webtest.WantBody(t, res, "Aucune candidature ne correspond à vos filtres.")
		res = b.Get(application.InboxPath + "?archived=all")
		webtest.WantBody(t, res, "Candidatures reçues (toutes)")

		// Another company's member sees none of them.
		other := newInbox(t, site, org.EI)
		res = site.LoginAs(other.member).Get(application.InboxPath)
		webtest.WantBody(t, res, "Aucune candidature reçue pour le moment.")
		webtest.WantNoBody(t, res, "ZOLA")
	})
}

func TestInboxPage_CostsTheSameQueriesForOneRowOrAFullPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		counter := &webtest.QueryCounter{}
		site := webtest.New(t, &db.DB{DB: d.DB.WithQueryHook(counter), Engine: d.Engine}).WithDemoCommunes()
		in := newInbox(t, site, org.ACI)
		b := site.LoginAs(in.member)
		queries := func(path string) int64 {
			before := counter.Count()
			webtest.WantStatus(t, b.Get(path), http.StatusOK)
			return counter.Count() - before
		}
		queries(application.InboxPath) // the criteria catalog is read once per process
		// Rows with a prescriber's diagnosis (and their criteria) and rows without any.
		_, js, _ := in.prescribed(t, "Mission locale", "Zoé", "Seule")
		site.Diagnose(js)
		one := queries(application.InboxPath)
		for i := range application.ListPageSize {
			if i%2 == 0 {
				in.apply(t, "Nombreux")
				continue
			}
			_, js, _ := in.prescribed(t, fmt.Sprintf("Mission locale %d", i), "Zoé", fmt.Sprintf("Nombreux%d", i))
			site.Diagnose(js)
		}
		full := queries(application.InboxPath)
		if one != full {
			t.Fatalf("%d queries for one row, %d for a full page", one, full)
		}
		filtered := queries(application.InboxPath + "?states=new&departments=69&sender_kinds=authorized_prescriber&order=job_seeker_full_name")
		if filtered != full {
			t.Errorf("%d queries filtered, %d unfiltered", filtered, full)
		}
	})
}

func TestSentAndJobSeekerLists_CostTheSameQueriesForAFewRowsOrMany(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		counter := &webtest.QueryCounter{}
		site := webtest.New(t, &db.DB{DB: d.DB.WithQueryHook(counter), Engine: d.Engine}).WithDemoCommunes()
		ml := site.Prescriber(org.ML, "Mission locale", false)
		pro := site.Member(org.TypePrescriber, ml.ID, "ml@example.org", "Paula", "Prescriptrice")
		js := site.CreateUser(account.JobSeeker, "zoe@example.org", "Zoé", "Candidate")
		prescriber, jobSeeker := site.LoginAs(pro), site.LoginAs(js)
		queries := func(b *webtest.Browser, path string) int64 {
			before := counter.Count()
			webtest.WantStatus(t, b.Get(path), http.StatusOK)
			return counter.Count() - before
		}
		// Each round sends to an SIAE, a GEIQ and an EA (each kind has its own eligibility
		// columns), of job seekers with a prescriber's diagnosis.
		add := func(n int) {
			for i := range n {
				co := newInbox(t, site, []org.CompanyKind{org.ACI, org.GEIQ, org.EA}[i%3])
				other := site.CreateUser(account.JobSeeker, fmt.Sprintf("c-%s@example.org", co.company.UID[:8]), "Camille", "Candidate")
				site.Diagnose(other)
				site.ApplySpontaneously(webtest.PrescriberActor(pro, ml), co.company, other)
				site.ApplySpontaneously(webtest.JobSeekerActor(js), co.company, js)
			}
		}
		queries(prescriber, application.SentListPath) // the criteria catalog is read once per process
		var counts [2][2]int64
		for i, n := range []int{3, 15} {
			add(n)
			counts[i] = [2]int64{queries(prescriber, application.SentListPath), queries(jobSeeker, application.JobSeekerListPath)}
		}
		if counts[0] != counts[1] {
			t.Fatalf("queries (sent, job seeker's) for three rows: %v, for eighteen: %v", counts[0], counts[1])
		}
	})
}

func TestInboxBatch_Scenario27ArchivesTheArchivableAndReportsEachItem(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		in := newInbox(t, site, org.ACI)
		refused, fresh, archived := in.apply(t, "Refusée"), in.apply(t, "Nouvelle"), in.apply(t, "Archivée")
		now := site.Clock.Now()
		in.set(t, refused, "state = ?, processed_at = ?", application.Refused, now)
		in.set(t, archived, "state = ?, processed_at = ?, archived_at = ?", application.Refused, now, now)
		b := site.LoginAs(in.member)
		next := application.InboxPath + "?states=refused&states=new"

		res := b.Post(application.InboxPath+"/batch/archive", url.Values{"next": {next},
			"ids": {refused.PublicID, fresh.PublicID, archived.PublicID}})
		webtest.WantRedirect(t, res, next)
		page := b.Follow(res)
		webtest.WantBody(t, page, "1 candidature a été archivée.", "Candidature de Jeanne NOUVELLE", "Candidature de Jeanne ARCHIVÉE")
		var n int
		if err := d.NewSelect().TableExpr("job_application").ColumnExpr("COUNT(*)").Where("archived_at IS NOT NULL").Scan(context.Background(), &n); err != nil || n != 2 {
			t.Fatalf("archived: %d %v", n, err)
		}

		// Postponing needs the message; without it nothing changes.
		res = b.Post(application.InboxPath+"/batch/postpone", url.Values{"next": {next}, "ids": {fresh.PublicID}})
		wantText(t, b.Follow(res), "rien n'a été modifié")
		res = b.Post(application.InboxPath+"/batch/postpone", url.Values{"next": {next}, "ids": {fresh.PublicID}, "answer": {"Nous revenons vers vous."}})
		webtest.WantBody(t, b.Follow(res), "1 candidature a été mise en attente.")
		var state string
		if err := d.NewSelect().TableExpr("job_application").Column("state").Where("id = ?", fresh.ID).Scan(context.Background(), &state); err != nil || state != string(application.Postponed) {
			t.Errorf("state %q %v", state, err)
		}

		// Process, then add to the pool (the message is optional there).
		res = b.Post(application.InboxPath+"/batch/process", url.Values{"next": {next}, "ids": {fresh.PublicID, refused.PublicID}})
		wantText(t, b.Follow(res), "Aucune candidature n'a été mise à l'étude.", "Candidature de Jeanne NOUVELLE", "Candidature de Jeanne REFUSÉE")
		res = b.Post(application.InboxPath+"/batch/pool", url.Values{"next": {next}, "ids": {fresh.PublicID}})
		wantText(t, b.Follow(res), "1 candidature a été ajoutée au vivier.")

		// Unarchive; another company's candidature is reported as gone; next must be the inbox.
		other := newInbox(t, site, org.EI)
		elsewhere := other.apply(t, "Ailleurs")
		res = b.Post(application.InboxPath+"/batch/unarchive", url.Values{"next": {application.InboxPath}, "ids": {archived.PublicID, elsewhere.PublicID}})
		webtest.WantBody(t, b.Follow(res), "1 candidature a été désarchivée.", "n’existe plus ou a été transférée")
		webtest.WantStatus(t, b.Post(application.InboxPath+"/batch/archive", url.Values{"next": {"https://evil.example.org/"}, "ids": {refused.PublicID}}), http.StatusNotFound)
	})
}

func TestInboxExports_XLSXAndCSVOfTheCurrentFilters(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d)
		in := newInbox(t, site, org.ACI)
		in.apply(t, "Bernard")
		kept := in.apply(t, "Zola")
		in.set(t, kept, "state = ?", application.Processing)
		b := site.LoginAs(in.member)

		res := b.Get("/apply/siae/exports/download?states=processing")
		webtest.WantStatus(t, res, http.StatusOK)
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, ".xlsx") || !strings.Contains(cd, "candidatures-les-jardins") {
			t.Errorf("Content-Disposition %q", cd)
		}
		book, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := book.GetRows("Candidatures")
		if err != nil || len(rows) != 2 || rows[1][1] != "Zola" {
			t.Fatalf("rows %q %v", rows, err)
		}
		// The exports page: the months with their counts, each downloadable (archived included).
		lastMonth, _ := application.MonthBounds(site.Clock.Now().AddDate(0, -1, 0))
		old := in.apply(t, "Ancienne")
		in.set(t, old, "created_at = ?, state = ?, processed_at = ?, archived_at = ?", lastMonth.Add(36*time.Hour),
			application.Refused, site.Clock.Now(), site.Clock.Now())
		res = b.Get("/apply/siae/exports")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "2 candidatures", "1 candidature", "?month="+lastMonth.Format("2006-01"))
		res = b.Get("/apply/siae/exports/csv?month=" + lastMonth.Format("2006-01"))
		webtest.WantStatus(t, res, http.StatusOK)
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "-"+lastMonth.Format("2006-01")+".csv") ||
			strings.Count(res.Body, "\n") != 2 || !strings.Contains(res.Body, "Ancienne") {
			t.Errorf("one month: %q %q", cd, res.Body)
		}
		webtest.WantStatus(t, b.Get("/apply/siae/exports/csv?month=mars"), http.StatusNotFound)

		res = b.Get("/apply/siae/exports/csv?archived=active")
		webtest.WantStatus(t, res, http.StatusOK)
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || strings.Count(res.Body, "\n") != 3 ||
			!strings.Contains(res.Body, "Civilité candidat;Nom candidat") {
			t.Errorf("csv %q", res.Body)
		}
	})
}

func TestSentAndJobSeekerPages_ShowTheirOwn(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		in := newInbox(t, site, org.ACI)
		pro, js, _ := in.prescribed(t, "Mission locale", "Zoé", "Candidate")
		res := site.LoginAs(pro).Get(application.SentListPath)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Candidatures envoyées", "Zoé CANDIDATE", in.company.Name, "Vous", "/prescriber/details")
		webtest.WantNoBody(t, res, `id="batch-bar"`, `id="batch-form"`, "Exporter")

		res = site.LoginAs(js).Get(application.JobSeekerListPath)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Mes candidatures", "1 candidature", in.company.Name, "Mission locale", "Date de candidature (plus ancienne d")
		webtest.WantNoBody(t, res, "Nom du candidat") // no sorting of one's own name

		other := site.CreateUser(account.JobSeeker, "other@example.org", "Autre", "Personne")
		wantText(t, site.LoginAs(other).Get(application.JobSeekerListPath), "Vous n'avez pas encore postulé.")
	})
}

func TestInboxPage_SearchableSenderFiltersSuggestAndKeepTheChosen(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		in := newInbox(t, site, org.ACI)
		_, _, po := in.prescribed(t, "Mission locale de Lille-Sud", "Jeanne", "Suivie")
		b := site.LoginAs(in.member)

		// The page carries the combobox, not the list of every sender.
		res := b.Get(application.InboxPath)
		webtest.WantBody(t, res, `data-combobox-add="prescriber_organizations-chosen"`, `hx-get="/apply/siae/list/suggestions/prescriber_organizations"`)
		webtest.WantNoBody(t, res, `value="`+po.UID+`"`)

		res = b.GetHTMX(application.InboxPath + "/suggestions/prescriber_organizations?q=" + url.QueryEscape("lille sud"))
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, `role="listbox"`, `data-value="`+po.UID+`"`, `data-label="`+po.Name+`"`)
		res = b.GetHTMX(application.InboxPath + "/suggestions/prescriber_organizations?q=zzzz")
		webtest.WantBody(t, res, "Aucun résultat pour « zzzz ».")
		webtest.WantStatus(t, b.GetHTMX(application.InboxPath+"/suggestions/jobs?q=agent"), http.StatusNotFound)

		// A chosen organization stays as a checked box, with its name.
		res = b.Get(application.InboxPath + "?prescriber_organizations=" + po.UID)
		webtest.WantBody(t, res, "1 candidature", `name="prescriber_organizations" id="prescriber_organizations-`+po.UID+`" value="`+po.UID+`" checked`, po.Name)

		// Another company's member finds none of this inbox's senders.
		other := newInbox(t, site, org.EI)
		res = site.LoginAs(other.member).GetHTMX(application.InboxPath + "/suggestions/prescriber_organizations?q=" + url.QueryEscape("lille sud"))
		webtest.WantNoBody(t, res, po.UID)
	})
}

// criteriaKeys are the form keys of the first n IAE criteria of the catalog (GEIQ: of its own
// catalog, annex 0 left out), and the names the lists show of them.
func criteriaKeys(t *testing.T, site *webtest.Site, geiq bool, n int) (keys, names []string) {
	t.Helper()
	cat, err := site.Services.Eligibility.Catalog(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if geiq {
		for _, c := range cat.GEIQ {
			if !c.Informational() && len(keys) < n {
				keys, names = append(keys, c.Key()), append(names, c.Name)
			}
		}
		return keys, names
	}
	for _, c := range cat.IAE[:n] {
		keys, names = append(keys, c.Key()), append(names, c.Name)
	}
	return keys, names
}

// wantInTable reports each part the list's table lacks (and, with no, each it holds).
func wantInTable(t *testing.T, res *webtest.Response, no bool, parts ...string) {
	t.Helper()
	text := res.Text()
	i := strings.Index(text, `id="applications-table"`)
	if i < 0 {
		t.Fatalf("%s: no table", res.Request.URL)
	}
	for _, p := range parts {
		if strings.Contains(text[i:], p) == no {
			t.Errorf("%s: table has %q: %v", res.Request.URL, p, !no)
		}
	}
}

// The eligibility columns (applications.md §4): in an SIAE's inbox, the diagnosis that counts
// for it with who validated it, the PASS IAE and its suspension, outside the name's cell; in a
// prescriber's sent list, per target: an SIAE's, a GEIQ's (the prescribers' GEIQ diagnoses
// only), and « hors IAE » for any other company.
func TestListPages_ShowTheEligibilityColumns(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		ctx := context.Background()
		elig := site.Services.Eligibility
		in := newInbox(t, site, org.ACI)
		ml := site.Prescriber(org.ML, "Mission locale", true)
		pro := site.Member(org.TypePrescriber, ml.ID, "ml@example.org", "Paula", "Prescriptrice")
		prescriber := webtest.PrescriberActor(pro, ml)
		seeker := func(last string) *account.User {
			return site.CreateUser(account.JobSeeker, strings.ToLower(last)+"@example.org", "Jeanne", last)
		}

		many := seeker("Nombreux")
		keys, names := criteriaKeys(t, site, false, 5)
		if _, err := elig.CreateIAE(ctx, prescriber, many.PublicID, keys, eligibility.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		site.ApplySpontaneously(prescriber, in.company, many)
		own := seeker("Maison")
		site.ApplySpontaneously(webtest.JobSeekerActor(own), in.company, own)
		rsa, rsaNames := criteriaKeys(t, site, false, 1)
		if _, err := elig.CreateIAE(ctx, in.employer(), own.PublicID, rsa, eligibility.CreateOptions{ForHiring: true}); err != nil {
			t.Fatal(err)
		}
		none := seeker("Personne")
		site.ApplySpontaneously(webtest.JobSeekerActor(none), in.company, none)
		held := seeker("Suspendu")
		site.ApplySpontaneously(webtest.JobSeekerActor(held), in.company, held)
		pass := webtest.SeedPASS(t, d, held.ID, webtest.PASSSeed{Start: site.Clock.Now().AddDate(0, -2, 0)})
		now := site.Clock.Now()
		if _, err := d.NewRaw(`INSERT INTO suspension (approval_id, start_at, end_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			pass.ID, now.AddDate(0, 0, -5), now.AddDate(0, 1, 0), now, now).Exec(ctx); err != nil {
			t.Fatal(err)
		}

		res := site.LoginAs(in.member).Get(application.InboxPath)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, `<th scope="col">Critères administratifs</th><th scope="col">Statut éligibilité</th>`)
		wantInTable(t, res, false, names[0], names[2], "+ 2 autres critères", eligibility.ByPrescriber, rsaNames[0], eligibility.ByOwnCompany,
			eligibility.ByNone, "PASS IAE valide", "PASS IAE suspendu", "Éligibilité IAE validée", "Éligibilité IAE à valider")
		wantInTable(t, res, true, names[3], eligibility.OutsideIAE)
		if i := strings.Index(res.Body, "Éligibilité IAE à valider"); i < strings.Index(res.Body, `id="select-`) ||
			strings.Count(res.Body[:i], "<td") < 6 {
			t.Errorf("the eligibility badge is not in its own column")
		}

		// Another SIAE never sees the first one's diagnosis.
		other := newInbox(t, site, org.EI)
		site.ApplySpontaneously(webtest.JobSeekerActor(own), other.company, own)
		res = site.LoginAs(other.member).Get(application.InboxPath)
		wantInTable(t, res, false, "Éligibilité IAE à valider", eligibility.ByNone)
		wantInTable(t, res, true, rsaNames[0], eligibility.ByOwnCompany, "Éligibilité IAE validée")

		// A target SIAE's own diagnosis: shown to a prescriber as an employer's, never to
		// another SIAE that sent the candidature (approvals.md §2.4).
		sentByACI, sentByPro := seeker("Envoyee"), seeker("Prescrite")
		for _, js := range []*account.User{sentByACI, sentByPro} {
			if _, err := elig.CreateIAE(ctx, other.employer(), js.PublicID, rsa, eligibility.CreateOptions{ForHiring: true}); err != nil {
				t.Fatal(err)
			}
		}
		site.ApplySpontaneously(in.employer(), other.company, sentByACI)
		res = site.LoginAs(in.member).Get(application.SentListPath)
		wantInTable(t, res, false, "Jeanne ENVOYEE", "Éligibilité IAE à valider", eligibility.ByNone)
		wantInTable(t, res, true, eligibility.ByEmployer, rsaNames[0])
		site.ApplySpontaneously(prescriber, other.company, sentByPro)
		res = site.LoginAs(pro).Get(application.SentListPath)
		wantInTable(t, res, false, "Jeanne PRESCRITE", eligibility.ByEmployer, rsaNames[0])
		res = site.LoginAs(pro).Get(application.SentListPath + "?eligibility=validated")
		wantInTable(t, res, false, "Jeanne PRESCRITE")
		res = site.LoginAs(pro).Get(application.SentListPath + "?eligibility=pending")
		webtest.WantNoBody(t, res, "Jeanne PRESCRITE")

		// The prescriber's sent list: the ACI's candidature as above; a GEIQ's own GEIQ
		// diagnosis is not shown, an EA hires outside the IAE.
		geiq := newInbox(t, site, org.GEIQ)
		gkeys, _ := criteriaKeys(t, site, true, 1)
		if _, err := elig.CreateGEIQ(ctx, geiq.employer(), many.PublicID, gkeys); err != nil {
			t.Fatal(err)
		}
		site.ApplySpontaneously(prescriber, geiq.company, many)
		res = site.LoginAs(pro).Get(application.SentListPath)
		webtest.WantBody(t, res, `<th scope="col">Employeur</th>`, `<th scope="col">Statut éligibilité</th>`)
		wantInTable(t, res, false, names[0], "+ 2 autres critères", eligibility.ByPrescriber, "Aucun diagnostic d'éligibilité GEIQ valide")
		wantInTable(t, res, true, eligibility.OutsideIAE)
		ea := newInbox(t, site, org.EA)
		site.ApplySpontaneously(prescriber, ea.company, seeker("Adaptee"))
		res = site.LoginAs(pro).Get(application.SentListPath)
		if n := strings.Count(res.Text(), "<td>"+eligibility.OutsideIAE+"</td>"); n != 2 {
			t.Errorf("« %s » %d times for the EA's candidature", eligibility.OutsideIAE, n)
		}

		// The job seeker's own list has no such columns.
		res = site.LoginAs(many).Get(application.JobSeekerListPath)
		webtest.WantNoBody(t, res, "Statut éligibilité", "Critères administratifs</th>")
	})
}
