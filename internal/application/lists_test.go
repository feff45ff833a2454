package application

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
)

// set changes columns of a candidature directly (states reached by other tests' transitions).
func (f *fixture) set(app *Application, set string, args ...any) {
	f.t.Helper()
	_, err := f.d.NewUpdate().Table("job_application").Set(set, args...).Where("id = ?", app.ID).Exec(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
}

// named stores a job seeker with these names, living in this department.
func (f *fixture) named(first, last, department string) (*account.User, actor.Actor) {
	f.t.Helper()
	u, a := f.jobSeeker()
	_, err := f.d.NewUpdate().Table("users").Set("first_name = ?, last_name = ?, department = ?, city = ?", first, last, department, "Ville "+department).
		Where("id = ?", u.ID).Exec(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	u.FirstName, u.LastName = first, last
	return u, a
}

func (f *fixture) list(a actor.Actor, kind ListKind, query string) *ListPage {
	f.t.Helper()
	v, err := url.ParseQuery(query)
	if err != nil {
		f.t.Fatal(err)
	}
	filters, err := ParseFilters(v)
	if err != nil {
		f.t.Fatalf("filters %q: %v", query, err)
	}
	p, err := f.svc.List(context.Background(), a, kind, filters)
	if err != nil {
		f.t.Fatal(err)
	}
	n, err := f.svc.Count(context.Background(), a, kind, filters)
	if err != nil {
		f.t.Fatal(err)
	}
	if n != p.Total {
		f.t.Errorf("%s %q: Count %d, List total %d", kind, query, n, p.Total)
	}
	return p
}

// names are the job seekers' names of the rows, in order.
func listNames(p *ListPage) string {
	var out []string
	for _, r := range p.Rows {
		out = append(out, r.JobSeekerName)
	}
	return strings.Join(out, ", ")
}

func TestInbox_ScopeR31ArchivesAndTitleFilters(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co, emp := f.openEmployer(org.ACI)
		other, otherEmp := f.openEmployer(org.EI)
		submit := func(first string) *Application {
			js, jsa := f.named(first, "Durand", "69")
			return f.submit(jsa, js, co)
		}
		old, oldAccepted, archived, fresh := submit("Ancien"), submit("Embauché"), submit("Archivé"), submit("Récent")
		js, jsa := f.named("Ailleurs", "Durand", "69")
		f.submit(jsa, js, other)
		past := f.clk.Now().AddDate(-2, 0, -1)
		f.set(old, "created_at = ?", past)
		f.set(oldAccepted, "created_at = ?, state = ?, processed_at = ?", past, Accepted, past)
		f.set(archived, "state = ?, processed_at = ?, archived_at = ?", Refused, f.clk.Now(), f.clk.Now())
		f.clk.Advance(time.Hour)

		// Scenario 31: older than 2 years hidden unless accepted; archived hidden by default.
		if got := listNames(f.list(emp, ListInbox, "")); got != "Récent DURAND, Embauché DURAND" {
			t.Errorf("inbox: %s", got)
		}
		if got := listNames(f.list(emp, ListInbox, "archived=archived")); got != "Archivé DURAND" {
			t.Errorf("archived: %s", got)
		}
		if p := f.list(emp, ListInbox, "archived=all"); p.Total != 3 {
			t.Errorf("all: %d rows", p.Total)
		}
		_ = fresh
		// Not an employer, or another company: nothing of this inbox.
		if _, err := f.svc.List(context.Background(), jsa, ListInbox, Filters{}); err == nil {
			t.Error("a job seeker listed an inbox")
		}
		if p := f.list(otherEmp, ListInbox, ""); p.Total != 1 {
			t.Errorf("other company: %d rows", p.Total)
		}
	})
}

func TestInbox_EveryFilterAndTheJobSeekerOverridesThem(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co, emp := f.openEmployer(org.ACI)
		fiche := f.fiche(co, true)
		authorized, orienteur := f.prescriber(true), f.prescriber(false)
		sender := f.company(org.EI)
		senderEmp := f.employer(sender)

		alice, alicea := f.named("Alice", "Bernard", "69")
		byAlice := f.submit(alicea, alice, co, fiche) // job seeker, fiche, day 0
		f.clk.Advance(48 * time.Hour)
		bob, _ := f.named("Bob", "Zola", "01")
		byAuthorized := f.submit(authorized, bob, co) // authorized prescriber, spontaneous, day 2
		f.clk.Advance(48 * time.Hour)
		chloe, _ := f.named("Chloé", "Martin", "69")
		byOrienteur := f.submit(orienteur, chloe, co) // orienteur, day 4
		f.clk.Advance(48 * time.Hour)
		dan, _ := f.named("Dan", "Arnaud", "38")
		byEmployer := f.submit(senderEmp, dan, co, fiche) // employer orienteur, day 6
		f.clk.Advance(time.Hour)
		if _, err := f.svc.Process(ctx, emp, byAuthorized.PublicID); err != nil {
			t.Fatal(err)
		}
		_, _, _ = byAlice, byOrienteur, byEmployer

		day := func(days int) string {
			return f.clk.Now().AddDate(0, 0, days).In(time.UTC).Format(time.DateOnly)
		}
		for _, c := range []struct{ query, want string }{
			{"", "Dan ARNAUD, Chloé MARTIN, Bob ZOLA, Alice BERNARD"},
			{"order=created_at", "Alice BERNARD, Bob ZOLA, Chloé MARTIN, Dan ARNAUD"},
			{"order=job_seeker_full_name", "Dan ARNAUD, Alice BERNARD, Chloé MARTIN, Bob ZOLA"},
			{"order=-job_seeker_full_name", "Bob ZOLA, Chloé MARTIN, Alice BERNARD, Dan ARNAUD"},
			{"order=nonsense", "Dan ARNAUD, Chloé MARTIN, Bob ZOLA, Alice BERNARD"},
			{"states=processing", "Bob ZOLA"},
			{"states=new&states=processing", "Dan ARNAUD, Chloé MARTIN, Bob ZOLA, Alice BERNARD"},
			{"start_date=" + day(-3) + "&end_date=" + day(-2), "Chloé MARTIN"},
			{"end_date=" + day(-4), "Bob ZOLA, Alice BERNARD"},
			{"sender_kinds=job_seeker", "Alice BERNARD"},
			{"sender_kinds=authorized_prescriber", "Bob ZOLA"},
			{"sender_kinds=orienteur&sender_kinds=employer", "Dan ARNAUD, Chloé MARTIN"},
			{"prescriber_organizations=" + orienteur.Organization.UID, "Chloé MARTIN"},
			{"sender_companies=" + sender.UID, "Dan ARNAUD"},
			{"jobs=" + agentPropreteLocaux, "Dan ARNAUD, Alice BERNARD"},
			{"departments=69", "Chloé MARTIN, Alice BERNARD"},
			{"departments=01&departments=38", "Dan ARNAUD, Bob ZOLA"},
			{"name=mar", "Chloé MARTIN"},
			{"name=CHLOE", "Chloé MARTIN"},
			{"name=chlo%C3%A9+", "Chloé MARTIN"},
			{"name=BO", "Bob ZOLA"},
			// Scenario 32: the job seeker filter ignores the others.
			{"states=new&departments=38&job_seeker=" + bob.PublicID, "Bob ZOLA"},
		} {
			if got := listNames(f.list(emp, ListInbox, c.query)); got != c.want {
				t.Errorf("%q: %s, want %s", c.query, got, c.want)
			}
		}

		p := f.list(emp, ListInbox, "")
		if r := p.Rows[3]; r.Sender != "Le candidat lui-même" || r.JobsLabel() == "Candidature spontanée" || r.JobSeekerPlace != "69 - Ville 69" {
			t.Errorf("job seeker's row: %+v", r)
		}
		if r := p.Rows[2]; r.JobsLabel() != "Candidature spontanée" || r.State != Processing || r.SenderKind != "Prescripteur habilité" {
			t.Errorf("authorized prescriber's row: %+v", r)
		}
		if r := p.Rows[0]; r.Sender != sender.Name || r.SenderKind != "Employeur" {
			t.Errorf("employer's row: %+v", r)
		}
		if slices.Contains(p.States, PriorToHire) || len(p.Jobs) != 1 || len(p.PrescriberOrgs) != 0 || len(p.SenderCompanies) != 0 {
			t.Errorf("options: states %v jobs %v orgs %v companies %v", p.States, p.Jobs, p.PrescriberOrgs, p.SenderCompanies)
		}
		// The searchable filters show only the chosen organizations, with their names.
		chosen := f.list(emp, ListInbox, "prescriber_organizations="+orienteur.Organization.UID+"&sender_companies="+sender.UID)
		var orgName string
		if err := d.NewSelect().Table("prescriber_organization").Column("name").Where("id = ?", orienteur.Organization.ID).Scan(ctx, &orgName); err != nil {
			t.Fatal(err)
		}
		if want := []Option{{orienteur.Organization.UID, orgName}}; !slices.Equal(chosen.PrescriberOrgs, want) ||
			!slices.Equal(chosen.SenderCompanies, []Option{{sender.UID, sender.Name}}) {
			t.Errorf("chosen: orgs %v companies %v", chosen.PrescriberOrgs, chosen.SenderCompanies)
		}

		// An invalid form is refused with French field errors and no filter.
		_, err := ParseFilters(url.Values{"start_date": {"demain"}, "states": {"new"}})
		if e, ok := fault.As(err); !ok || len(e.Fields) != 1 || e.Fields[0].Message != MsgBadDate {
			t.Errorf("bad date: %v", err)
		}
		_, err = ParseFilters(url.Values{"start_date": {day(0)}, "end_date": {day(-1)}})
		if e, ok := fault.As(err); !ok || e.Fields[0].Message != MsgDatesReverse {
			t.Errorf("reversed dates: %v", err)
		}
		if got := f.list(emp, ListInbox, "states=refused"); got.Empty != "filtered" {
			t.Errorf("empty state with a filter: %q", got.Empty)
		}
	})
}

func TestInbox_PagesOfTwenty(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co, emp := f.openEmployer(org.GEIQ)
		for range ListPageSize + 3 {
			js, jsa := f.jobSeeker()
			f.submit(jsa, js, co)
			f.clk.Advance(time.Minute)
		}
		first, last := f.list(emp, ListInbox, ""), f.list(emp, ListInbox, "page=2")
		if first.Total != 23 || first.Pages != 2 || len(first.Rows) != 20 || len(last.Rows) != 3 || last.Page != 2 {
			t.Fatalf("pages: %d/%d rows %d then %d", first.Total, first.Pages, len(first.Rows), len(last.Rows))
		}
		if far := f.list(emp, ListInbox, "page=99"); far.Page != 2 {
			t.Errorf("page 99 shows page %d", far.Page)
		}
		if !slices.Contains(first.States, PriorToHire) {
			t.Error("a GEIQ's state filter lacks prior_to_hire")
		}
	})
}

func TestSentAndJobSeekerLists_ScopesAndMaskedNames(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(org.ACI, spontaneousOpen())
		orienteur := f.prescriber(false)
		f.employer(co) // a company takes candidatures once it has a member
		// A colleague in the same orienteur organization.
		mate := f.user(actor.Professional, "Marie")
		f.join("prescriber_membership", mate.ID, orienteur.Organization.ID, false)
		mateA := actor.Actor{UserID: mate.ID, Kind: actor.Professional, Organization: orienteur.Organization}

		created, _ := f.named("Créé", "Parmoi", "69")
		if _, err := f.d.NewUpdate().Table("users").Set("created_by_id = ?", orienteur.UserID).Where("id = ?", created.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		stranger, _ := f.named("Inconnu", "Autre", "69")
		f.submit(orienteur, created, co)
		f.clk.Advance(time.Minute)
		f.submit(mateA, stranger, co)

		p := f.list(orienteur, ListSent, "")
		if got := listNames(p); got != "I… A…, Créé PARMOI" {
			t.Errorf("orienteur's sent list: %s", got)
		}
		if p.Rows[1].Sender != "Vous" || p.Rows[0].Company != co.Name || p.Rows[0].JobSeekerPlace != "" {
			t.Errorf("rows: %+v", p.Rows)
		}
		if len(p.ToCompanies) != 0 {
			t.Errorf("target companies without a filter: %v", p.ToCompanies)
		}

		// An employer's sent list leaves auto-prescriptions out (R34).
		emp := f.employer(co)
		other := f.company(org.EI, spontaneousOpen())
		f.employer(other)
		js1, _ := f.named("Auto", "Prescrite", "69")
		js2, _ := f.named("Vers", "Ailleurs", "69")
		f.submit(emp, js1, co)
		f.submit(emp, js2, other)
		if got := listNames(f.list(emp, ListSent, "")); got != "Vers AILLEURS" {
			t.Errorf("employer's sent list: %s", got)
		}

		// The job seeker's list: all their own, archived included, with the company.
		js, jsa := f.named("Jeanne", "Seule", "69")
		app := f.submit(jsa, js, co)
		f.set(app, "state = ?, processed_at = ?, archived_at = ?", Refused, f.clk.Now(), f.clk.Now())
		f.submit(jsa, js, other)
		jp := f.list(jsa, ListJobSeeker, "")
		if jp.Total != 2 || jp.Rows[1].Company != co.Name || !jp.Rows[1].Archived || jp.Rows[1].Sender != "Vous" {
			t.Errorf("job seeker's list: %+v", jp.Rows)
		}
		if _, err := f.svc.List(context.Background(), jsa, ListSent, Filters{}); err == nil {
			t.Error("a job seeker listed sent candidatures")
		}
	})
}

func TestCounts_DashboardCardsMatchTheListsAndStalledJobSeekers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co, emp := f.openEmployer(org.ACI)
		pres := f.prescriber(true)
		var apps []*Application
		for range 4 {
			js, _ := f.jobSeeker()
			apps = append(apps, f.submit(pres, js, co))
		}
		if _, err := f.svc.Postpone(ctx, emp, apps[0].PublicID, "Plus tard."); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AddToPool(ctx, emp, apps[1].PublicID, ""); err != nil {
			t.Fatal(err)
		}
		states := func(set ...State) Filters { return Filters{States: set} }
		for _, c := range []struct {
			f    Filters
			want int
		}{{states(ToProcessStates(string(co.Kind))...), 2}, {states(Postponed), 1}, {states(Pool), 1}} {
			n, err := f.svc.Count(ctx, emp, ListInbox, c.f)
			if err != nil || n != c.want {
				t.Errorf("%v: %d %v, want %d", c.f.States, n, err, c.want)
			}
		}
		if n, err := f.svc.Count(ctx, pres, ListSent, Filters{}); err != nil || n != 4 {
			t.Errorf("sent: %d %v", n, err)
		}

		// Stalled: first candidature more than 30 days ago, a recent one, none accepted.
		stalled := func() int {
			n, err := f.svc.StalledCount(ctx, pres)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := stalled(); n != 0 {
			t.Errorf("stalled right after applying: %d", n)
		}
		f.clk.Advance(31 * 24 * time.Hour)
		if n := stalled(); n != 4 {
			t.Errorf("stalled after 31 days: %d", n)
		}
		f.set(apps[2], "state = ?, processed_at = ?", Accepted, f.clk.Now())
		// An authorized prescriber said this one is not stalled anymore.
		if _, err := f.d.NewRaw("INSERT INTO job_seeker_profile (user_id, asp_uid, is_not_stalled_anymore, updated_at) VALUES (?, ?, TRUE, ?)",
			apps[3].JobSeekerID, fmt.Sprintf("%030d", apps[3].JobSeekerID), f.clk.Now()).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if n := stalled(); n != 2 {
			t.Errorf("stalled with one accepted: %d", n)
		}
		f.clk.Advance(7 * 30 * 24 * time.Hour)
		if n := stalled(); n != 0 {
			t.Errorf("stalled after 7 months without applying: %d", n)
		}
	})
}

func TestExports_XLSXWithDateCellsAndCSVColumns(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co, emp := f.openEmployer(org.ACI)
		fiche := f.fiche(co, true)
		pres := f.prescriber(true)
		js, jsa := f.named("Alice", "Bernard", "69")
		f.submit(jsa, js, co, fiche)
		f.clk.Advance(time.Hour)
		js2, _ := f.named("Bob", "Zola", "01")
		refused := f.submit(pres, js2, co)
		f.set(refused, "state = ?, processed_at = ?, refusal_reason = ?", Refused, f.clk.Now(), ReasonOther)
		f.submit(emp, js, co) // auto-prescription (no 24-hour rule)

		var buf bytes.Buffer
		if err := f.svc.WriteInboxXLSX(ctx, emp, Filters{}, &buf); err != nil {
			t.Fatal(err)
		}
		book, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := book.GetRows("Candidatures")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 4 || rows[0][0] != "Civilité candidat" || rows[0][14] != "Date de la candidature" {
			t.Fatalf("rows: %q", rows)
		}
		// Newest first: the auto-prescription, the prescriber's, the job seeker's.
		if rows[1][11] != "Ma structure" || rows[2][11] != "Prescripteur habilité" || rows[3][11] != "Candidature spontanée" {
			t.Errorf("sources: %q %q %q", rows[1][11], rows[2][11], rows[3][11])
		}
		if rows[2][1] != "Zola" || rows[2][18] != ReasonOther.Label() || rows[3][10] == "Candidature spontanée" {
			t.Errorf("rows: %q", rows[2:])
		}
		created := "O4"
		if v, _ := book.GetCellValue("Candidatures", created); v != f.clk.Now().Add(-time.Hour).In(localtime.Paris).Format("02/01/2006 15:04") {
			t.Errorf("the candidature's date shows %q", v)
		}
		raw, _ := book.GetCellValue("Candidatures", created, excelize.Options{RawCellValue: true})
		if typ, _ := book.GetCellType("Candidatures", created); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString || !strings.HasPrefix(raw, "46") {
			t.Errorf("the candidature's date is not a date cell: type %v, raw %q", typ, raw)
		}

		// Filters apply to the export.
		buf.Reset()
		if err := f.svc.WriteInboxCSV(ctx, emp, Filters{States: []State{Refused}}, &buf); err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff")))
		r.Comma = ';'
		lines, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) != 2 || len(lines[0]) != len(ExportHeaders) || lines[1][1] != "Zola" || lines[1][15] != Refused.Label() {
			t.Errorf("csv: %q", lines)
		}
		if err := f.svc.WriteInboxCSV(ctx, pres, Filters{}, &bytes.Buffer{}); err == nil {
			t.Error("a prescriber exported an inbox")
		}
	})
}

func TestSuggestions_FindTheListsOrganizationsByName(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		co, emp := f.openEmployer(org.ACI)
		lyon, villeurbanne, unrelated := f.prescriber(true), f.prescriber(false), f.prescriber(true)
		for p, name := range map[int64]string{lyon.Organization.ID: "Mission locale de Lyon", villeurbanne.Organization.ID: "Mission Locale Villeurbanne",
			unrelated.Organization.ID: "Mission locale d'Oyonnax"} {
			if _, err := d.NewUpdate().Table("prescriber_organization").Set("name = ?", name).Where("id = ?", p).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range []actor.Actor{lyon, villeurbanne} {
			js, _ := f.jobSeeker()
			f.submit(p, js, co)
		}
		other := f.company(org.EI, spontaneousOpen())
		f.employer(other)
		js, _ := f.jobSeeker()
		f.submit(unrelated, js, other) // not in co's inbox

		labels := func(opts []Option) string {
			var out []string
			for _, o := range opts {
				out = append(out, o.Label)
			}
			return strings.Join(out, ", ")
		}
		for _, c := range []struct{ q, want string }{
			{"mission", "Mission locale de Lyon, Mission Locale Villeurbanne"},
			{"de", "Mission locale de Lyon"},
			{"MISSION  lôcale lyon", "Mission locale de Lyon"},
			{"villeur", "Mission Locale Villeurbanne"},
			{"oyonnax", ""}, // another company's sender
			{"m", ""},       // too short
		} {
			got, err := f.svc.Suggestions(ctx, emp, ListInbox, "prescriber_organizations", c.q)
			if err != nil || labels(got) != c.want {
				t.Errorf("%q: %q, %v; want %q", c.q, labels(got), err, c.want)
			}
		}
		if _, err := f.svc.Suggestions(ctx, emp, ListInbox, "to_companies", "structure"); !errors.Is(err, ErrNotFound) {
			t.Errorf("a filter of another list: %v", err)
		}
		if _, err := f.svc.Suggestions(ctx, lyon, ListInbox, "prescriber_organizations", "mission"); !errors.Is(err, ErrForbidden) {
			t.Errorf("a prescriber's inbox: %v", err)
		}
		got, err := f.svc.Suggestions(ctx, lyon, ListSent, "to_companies", co.Name)
		if err != nil || len(got) != 1 || got[0].Value != co.UID {
			t.Errorf("sent list's companies: %v, %v", got, err)
		}
	})
}
