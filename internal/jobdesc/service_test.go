package jobdesc

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
)

const day = 24 * time.Hour

func TestCreate_StoresAnOpenFicheRefreshedNowAtTheEndOfTheList(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(org.ACI)
		a := f.employer(co)
		first := f.create(a, co, input(FixedTermI))
		in := input(Other)
		in.Appellation, in.OtherContractType, in.HoursPerWeek, in.OpenPositions = auxiliaireDeVie, "Contrat de chantier", "26", "3"
		in.Location = villeurbanne
		second := f.create(a, co, in)

		if !second.IsActive || !second.LastEmployerUpdateAt.Equal(f.clk.Now()) || second.CreationSource != Manually {
			t.Fatalf("created fiche: active %v, refreshed %v, source %s", second.IsActive, second.LastEmployerUpdateAt, second.CreationSource)
		}
		if second.DisplayName() != "Auxiliaire de vie" || second.ContractLabel() != "Contrat de chantier" ||
			*second.HoursPerWeek != 26 || second.OpenPositions != 3 || LocationLabel(second, co) != "Villeurbanne (69)" {
			t.Fatalf("stored values: %q %q %v %d %q", second.DisplayName(), second.ContractLabel(), second.HoursPerWeek, second.OpenPositions, LocationLabel(second, co))
		}
		if LocationLabel(first, co) != "Lyon (69)" {
			t.Errorf("a fiche without commune is at the company's: got %q", LocationLabel(first, co))
		}
		o, err := f.svc.Overview(context.Background(), a, co.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(o.Fiches) != 2 || o.Fiches[0].UID != first.UID || o.Fiches[1].UID != second.UID {
			t.Fatalf("list order: %v", uids(o.Fiches))
		}
		history, err := statusHistory(context.Background(), d, second.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(history) != 1 || !history[0].IsActive || history[0].Reason != ReasonCreated || *history[0].ChangedByUserID != a.UserID {
			t.Fatalf("history = %+v", history)
		}
	})
}

func TestCreate_RefusesAContractTheKindDoesNotOfferAndWritesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(org.GEIQ)
		a := f.employer(co)
		auditBefore := f.count("audit_event")

		_, err := f.svc.Create(context.Background(), a, co.ID, input(FixedTermI))
		if msg := fault.FieldsOf(err).On("contract_type"); msg != "Ce type de contrat n'est pas proposé aux structures de ce type." {
			t.Fatalf("error = %v", err)
		}
		if n := f.count("job_description"); n != 0 {
			t.Fatalf("%d fiches written", n)
		}
		if f.count("job_description_status_change") != 0 || f.count("audit_event") != auditBefore {
			t.Fatal("history or audit written for a refused fiche")
		}
	})
}

func TestCreate_OPCSMustDescribeTheMarketContext(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(org.OPCS)
		a := f.employer(co)
		in := input(Permanent)
		_, err := f.svc.Create(context.Background(), a, co.ID, in)
		if !strings.Contains(fault.FieldsOf(err).On("market_context_description"), "contexte du marché") {
			t.Fatalf("error = %v", err)
		}
		in.MarketContextDescription, in.IsQPVMandatory = "Rénovation des écoles de la ville", true
		jd := f.create(a, co, in)
		if !jd.IsQPVMandatory || jd.MarketContextDescription == "" {
			t.Fatalf("OPCS fields not stored: %+v", jd)
		}
	})
}

func TestCreate_ReadsAppellationAndCommuneTypedWithoutJavaScript(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(org.EI)
		a := f.employer(co)
		tests := []struct {
			name, appellation, location, wantCode, wantCommune string
		}{
			{"codes", "11453", "69266", auxiliaireDeVie, villeurbanne},
			{"exact labels, case and accents aside", "auxiliaire de VIE", "villeurbanne", auxiliaireDeVie, villeurbanne},
			{"labels as the autocomplete shows them", "Auxiliaire de vie (K1302)", "Villeurbanne (69)", auxiliaireDeVie, villeurbanne},
			{"no commune", "Agent / Agente d'entretien/propreté de locaux", "", agentPropreteLocaux, ""},
		}
		for _, tt := range tests {
			in := input(FixedTermI)
			in.Appellation, in.Location = tt.appellation, tt.location
			jd := f.create(a, co, in)
			if jd.AppellationCode != tt.wantCode || jd.LocationCode != tt.wantCommune {
				t.Errorf("%s: got %s / %q, want %s / %q", tt.name, jd.AppellationCode, jd.LocationCode, tt.wantCode, tt.wantCommune)
			}
		}
		// A picked code wins when the input still shows its label; a new text replaces it.
		in := input(FixedTermI)
		in.Appellation, in.AppellationCode = "Auxiliaire de vie (K1302)", auxiliaireDeVie
		if jd := f.create(a, co, in); jd.AppellationCode != auxiliaireDeVie {
			t.Errorf("picked code ignored: %s", jd.AppellationCode)
		}
		in.Appellation = "Agent / Agente de propreté de locaux"
		if jd := f.create(a, co, in); jd.AppellationCode != "10571" {
			t.Errorf("typed label after a pick: got %s, want 10571", jd.AppellationCode)
		}

		before := f.count("job_description")
		in = input(FixedTermI)
		in.Appellation, in.Location = "Astronaute", "Atlantide"
		_, err := f.svc.Create(context.Background(), a, co.ID, in)
		if !strings.Contains(fault.FieldsOf(err).On("appellation"), "n'existe pas dans le répertoire ROME") ||
			!strings.Contains(fault.FieldsOf(err).On("location"), "Cette commune est inconnue") {
			t.Fatalf("error = %v", err)
		}
		if in.Appellation = "999999"; true {
			_, err = f.svc.Create(context.Background(), a, co.ID, in)
			if fault.FieldsOf(err).On("appellation") == "" {
				t.Fatalf("unknown code accepted: %v", err)
			}
		}
		if f.count("job_description") != before {
			t.Fatal("a refused fiche was written")
		}
	})
}

func TestPermissions_OnlyActiveMembersActingForTheCompanyAndStaffManageItsFiches(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		co, other := f.company(org.ACI), f.company(org.EI)
		owner := f.employer(co)
		jd := f.create(owner, co, input(FixedTermI))

		outsider := f.employer(other)
		former := f.member(f.user("ancien@example.org", false), co, false)
		elsewhere := f.employer(co)
		elsewhere.Organization.ID = other.ID // a member of co currently acting for another company
		stranger := actingFor(f.user("inconnu@example.org", false).ID, co.ID)
		for name, a := range map[string]actor.Actor{"member of another company": outsider, "deactivated member": former,
			"member acting for another company": elsewhere, "non-member claiming the company": stranger, "anonymous": {}} {
			if _, err := f.svc.Update(ctx, a, jd.UID, input(FixedTermUsage)); !errors.Is(err, ErrForbidden) {
				t.Errorf("%s: update: %v", name, err)
			}
			if _, err := f.svc.SetOpen(ctx, a, jd.UID, false); !errors.Is(err, ErrForbidden) {
				t.Errorf("%s: close: %v", name, err)
			}
			if _, err := f.svc.Create(ctx, a, co.ID, input(FixedTermI)); !errors.Is(err, ErrForbidden) {
				t.Errorf("%s: create: %v", name, err)
			}
			if err := f.svc.SetSpontaneous(ctx, a, co.ID, true); !errors.Is(err, ErrForbidden) {
				t.Errorf("%s: spontaneous: %v", name, err)
			}
		}
		if got := f.reload(jd.UID); !got.IsActive || got.ContractType != FixedTermI {
			t.Fatal("a refused actor changed the fiche")
		}

		staff := actor.Actor{UserID: f.user("staff@example.org", true).ID, Kind: actor.Staff}
		if _, err := f.svc.SetOpen(ctx, staff, jd.UID, false); err != nil {
			t.Fatalf("staff: %v", err)
		}
		if _, err := f.svc.Update(ctx, owner, "no-such-uid", input(FixedTermI)); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown fiche: %v", err)
		}

		ea := f.company(org.EA)
		if _, err := f.svc.Create(ctx, f.employer(ea), ea.ID, input(Other)); !errors.Is(err, ErrForbidden) && !errors.Is(err, ErrCannotPublish) {
			t.Errorf("EA: %v", err)
		}
	})
}

func TestSetOpen_ClosingThenReopeningRefreshesAndKeepsTheHistory(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		co := f.company(org.ETTI)
		a := f.employer(co)
		jd := f.create(a, co, input(Temporary))
		created := jd.LastEmployerUpdateAt

		f.clk.Advance(10 * day)
		closed, err := f.svc.SetOpen(ctx, a, jd.UID, false)
		if err != nil {
			t.Fatal(err)
		}
		if closed.IsActive || !closed.LastEmployerUpdateAt.Equal(created) {
			t.Fatalf("closing: active %v, refreshed %v", closed.IsActive, closed.LastEmployerUpdateAt)
		}
		f.clk.Advance(10 * day)
		reopened, err := f.svc.SetOpen(ctx, a, jd.UID, true)
		if err != nil {
			t.Fatal(err)
		}
		if !reopened.IsActive || !reopened.LastEmployerUpdateAt.Equal(f.clk.Now()) {
			t.Fatalf("reopening: active %v, refreshed %v", reopened.IsActive, reopened.LastEmployerUpdateAt)
		}
		if _, err := f.svc.SetOpen(ctx, a, jd.UID, true); err != nil { // no change: no history line
			t.Fatal(err)
		}
		history, _ := statusHistory(ctx, d, jd.ID)
		var got []string
		for _, h := range history {
			got = append(got, map[bool]string{true: "ouverte", false: "fermée"}[h.IsActive]+"/"+h.Reason)
		}
		if strings.Join(got, " ") != "ouverte/created fermée/employer ouverte/employer" {
			t.Fatalf("history = %v", got)
		}

		f.clk.Advance(30 * day)
		refreshed, err := f.svc.Refresh(ctx, a, jd.UID)
		if err != nil || !refreshed.LastEmployerUpdateAt.Equal(f.clk.Now()) {
			t.Fatalf("refresh: %v, %v", err, refreshed)
		}
		f.clk.Advance(day)
		in := InputOf(refreshed)
		in.CustomName = "Agent d'entretien (équipe du matin)"
		edited, err := f.svc.Update(ctx, a, jd.UID, in)
		if err != nil {
			t.Fatal(err)
		}
		if edited.DisplayName() != in.CustomName || !edited.LastEmployerUpdateAt.Equal(f.clk.Now()) || !edited.IsActive {
			t.Fatalf("edit: %q refreshed %v active %v", edited.DisplayName(), edited.LastEmployerUpdateAt, edited.IsActive)
		}
	})
}

func TestMove_ReordersTheListAndStopsAtItsEnds(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		co := f.company(org.AI)
		a := f.employer(co)
		x, y, z := f.create(a, co, input(FixedTermI)), f.create(a, co, input(FixedTermI)), f.create(a, co, input(FixedTermI))
		order := func() string {
			o, err := f.svc.Overview(ctx, a, co.ID)
			if err != nil {
				t.Fatal(err)
			}
			names := map[string]string{x.UID: "x", y.UID: "y", z.UID: "z"}
			var s string
			for _, f := range o.Fiches {
				s += names[f.UID]
			}
			return s
		}
		steps := []struct {
			uid   string
			delta int
			want  string
		}{
			{z.UID, -1, "xzy"}, {z.UID, -1, "zxy"}, {z.UID, -1, "zxy"}, {y.UID, 1, "zxy"}, {z.UID, 1, "xzy"},
		}
		for _, s := range steps {
			if err := f.svc.Move(ctx, a, s.uid, s.delta); err != nil {
				t.Fatal(err)
			}
			if got := order(); got != s.want {
				t.Fatalf("after moving: %s, want %s", got, s.want)
			}
		}
		if err := f.svc.SetOrder(ctx, a, co.ID, []string{y.UID, z.UID, x.UID}); err != nil {
			t.Fatal(err)
		}
		if got := order(); got != "yzx" {
			t.Fatalf("SetOrder: %s", got)
		}
		if err := f.svc.SetOrder(ctx, a, co.ID, []string{y.UID, y.UID, x.UID}); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a uid twice: %v", err)
		}
		if got := order(); got != "yzx" {
			t.Fatalf("a refused order changed the list: %s", got)
		}
	})
}

func TestCloseStale_ClosesFichesNotRefreshedFor90DaysAndMailsActiveMembersOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		co, quiet := f.company(org.ACI), f.company(org.GEIQ)
		a := f.employer(co)
		colleague := f.employer(co)
		f.member(f.user("parti@example.org", false), co, false) // deactivated: not told
		old := f.create(a, co, input(FixedTermI))
		closedByHand := f.create(a, co, input(FixedTermI))
		if _, err := f.svc.SetOpen(ctx, a, closedByHand.UID, false); err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(day)
		young := f.create(a, co, input(FixedTermI))
		geiq := f.create(f.employer(quiet), quiet, input(Apprenticeship))
		mailsBefore := len(f.mails())

		f.clk.Advance(89 * day) // old: 90 days; young and geiq: 89 days
		res, err := f.svc.CloseStale(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.Fiches != 1 || res.Mails != 2 || res.Spontaneous != 0 {
			t.Fatalf("result = %+v", res)
		}
		if f.reload(old.UID).IsActive || !f.reload(young.UID).IsActive || !f.reload(geiq.UID).IsActive {
			t.Fatal("wrong fiches closed")
		}
		mails := f.mails()[mailsBefore:]
		var to []string
		for _, m := range mails {
			to = append(to, m.To)
			if !strings.Contains(m.Text, "a été dépubliée automatiquement") || !strings.Contains(m.Text, old.DisplayName()) ||
				!strings.Contains(m.Text, "/company/job_description_list") {
				t.Errorf("mail text:\n%s", m.Text)
			}
		}
		if len(mails) != 2 || !strings.Contains(strings.Join(to, " "), email(t, f, colleague)) {
			t.Fatalf("mails to %v", to)
		}
		history, _ := statusHistory(ctx, d, old.ID)
		if last := history[len(history)-1]; last.IsActive || last.Reason != ReasonAutoClose || last.ChangedByUserID != nil {
			t.Fatalf("history = %+v", last)
		}

		res, err = f.svc.CloseStale(ctx)
		if err != nil || res != (ClosingResult{}) {
			t.Fatalf("second run: %+v, %v", res, err)
		}
		f.clk.Advance(day)
		res, _ = f.svc.CloseStale(ctx)
		if res.Fiches != 2 || res.Mails != 3 { // young (2 members of co) and geiq (1 member), on day 90
			t.Fatalf("next day: %+v", res)
		}
	})
}

func email(t *testing.T, f *fixture, a actor.Actor) string {
	var email string
	if err := f.d.NewRaw("SELECT email FROM users WHERE id = ?", a.UserID).Scan(context.Background(), &email); err != nil {
		t.Fatal(err)
	}
	return email
}

func TestCloseStale_ClosesEveryStaleFicheInBatchesOf200(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		co := f.company(org.EI)
		f.employer(co)
		now := f.clk.Now()
		var fiches []JobDescription
		for i := range CloseBatchSize + 5 {
			fiches = append(fiches, JobDescription{UID: "bulk-" + string(rune('a'+i/26)) + string(rune('a'+i%26)),
				CompanyID: co.ID, AppellationCode: agentPropreteLocaux, ContractType: FixedTermI, OpenPositions: 1,
				IsActive: true, UIRank: i, CreatedAt: now, UpdatedAt: now, LastEmployerUpdateAt: now, CreationSource: Manually})
		}
		external := JobDescription{UID: "ft-offer", CompanyID: co.ID, AppellationCode: agentPropreteLocaux,
			ContractType: FixedTermI, OpenPositions: 1, IsActive: true, CreatedAt: now, UpdatedAt: now,
			LastEmployerUpdateAt: now, CreationSource: Manually, SourceKind: "PE_API", SourceID: "123ABC"}
		fiches = append(fiches, external)
		if _, err := d.NewInsert().Model(&fiches).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(120 * day)
		res, err := f.svc.CloseStale(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.Fiches != CloseBatchSize+5 || res.Mails != 2 { // one mail per batch for the single member
			t.Fatalf("result = %+v", res)
		}
		open, err := d.NewSelect().Model((*JobDescription)(nil)).Where("is_active").Count(ctx)
		if err != nil || open != 1 {
			t.Fatalf("%d open fiches left (want the external offer only), %v", open, err)
		}
	})
}

func TestCloseStale_ClosesSpontaneousApplicationsOpenFor90Days(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		start := f.clk.Now()
		stale := f.company(org.ACI, spontaneousSince(start.Add(-90*day)))
		fresh := f.company(org.ACI, spontaneousSince(start.Add(-89*day)))
		closed := f.company(org.ACI)
		f.employer(stale)
		f.employer(fresh)
		f.employer(closed)

		res, err := f.svc.CloseStale(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.Spontaneous != 1 || res.Mails != 1 {
			t.Fatalf("result = %+v", res)
		}
		for co, wantOpen := range map[*org.Company]bool{stale: false, fresh: true, closed: false} {
			got, err := companyByID(ctx, d, co.ID)
			if err != nil {
				t.Fatal(err)
			}
			if (got.SpontaneousApplicationsOpenSince != nil) != wantOpen {
				t.Errorf("%s: open since %v, want open %v", co.Name, got.SpontaneousApplicationsOpenSince, wantOpen)
			}
		}
		if m := f.mails(); !strings.Contains(m[len(m)-1].Text, "candidatures spontanées") {
			t.Errorf("mail:\n%s", m[len(m)-1].Text)
		}
		if res, _ := f.svc.CloseStale(ctx); res != (ClosingResult{}) {
			t.Fatalf("second run: %+v", res)
		}
	})
}

func TestSetSpontaneous_OpensRefreshesAndCloses(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		co := f.company(org.GEIQ)
		a := f.employer(co)
		state := func() *time.Time {
			got, err := companyByID(ctx, d, co.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.SpontaneousApplicationsOpenSince
		}
		if err := f.svc.SetSpontaneous(ctx, a, co.ID, true); err != nil {
			t.Fatal(err)
		}
		if s := state(); s == nil || !s.Equal(f.clk.Now()) {
			t.Fatalf("opened: %v", s)
		}
		f.clk.Advance(70 * day)
		o, _ := f.svc.Overview(ctx, a, co.ID)
		if !o.Reminder || !o.SpontaneousReminder {
			t.Fatal("no reminder after 70 days")
		}
		if err := f.svc.SetSpontaneous(ctx, a, co.ID, true); err != nil {
			t.Fatal(err)
		}
		if s := state(); !s.Equal(f.clk.Now()) {
			t.Fatalf("refreshed: %v", s)
		}
		if err := f.svc.SetSpontaneous(ctx, a, co.ID, false); err != nil || state() != nil {
			t.Fatalf("closed: %v %v", err, state())
		}
	})
}

func TestOverview_ShowsTheReminderFromDay60(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		co := f.company(org.EITI)
		a := f.employer(co)
		jd := f.create(a, co, input(BusinessCreation))
		f.clk.Advance(59 * day)
		if o, _ := f.svc.Overview(ctx, a, co.ID); o.Reminder {
			t.Fatal("reminder on day 59")
		}
		f.clk.Advance(day)
		if o, _ := f.svc.Overview(ctx, a, co.ID); !o.Reminder || o.SpontaneousReminder {
			t.Fatal("no fiche reminder on day 60")
		}
		if _, err := f.svc.Refresh(ctx, a, jd.UID); err != nil {
			t.Fatal(err)
		}
		if o, _ := f.svc.Overview(ctx, a, co.ID); o.Reminder {
			t.Fatal("reminder right after Actualiser")
		}
	})
}

func TestCards_ShowOnlyOpenFichesOfVisibleCompanies(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		co := f.company(org.ACI)
		a := f.employer(co)
		open := f.create(a, co, input(FixedTermI))
		closed := f.create(a, co, input(FixedTermI))
		if _, err := f.svc.SetOpen(ctx, a, closed.UID, false); err != nil {
			t.Fatal(err)
		}
		card, err := f.svc.CompanyCard(ctx, co.UID)
		if err != nil {
			t.Fatal(err)
		}
		if len(card.Fiches) != 1 || card.Fiches[0].UID != open.UID || !card.Hiring || card.Blocked {
			t.Fatalf("card: %v hiring %v blocked %v", uids(card.Fiches), card.Hiring, card.Blocked)
		}
		fc, err := f.svc.FicheCard(ctx, closed.UID)
		if err != nil || fc.Open {
			t.Fatalf("closed fiche card: %+v, %v", fc, err)
		}

		blockedCo := f.company(org.EI, blocked())
		bf := f.create(f.employer(blockedCo), blockedCo, input(FixedTermI))
		if fc, err := f.svc.FicheCard(ctx, bf.UID); err != nil || fc.Open || !fc.Blocked {
			t.Fatalf("blocked company's fiche: %+v, %v", fc, err)
		}
		if c, err := f.svc.CompanyCard(ctx, blockedCo.UID); err != nil || !c.Blocked || c.Hiring {
			t.Fatalf("blocked company card: %+v, %v", c, err)
		}

		hidden := f.company(org.GEIQ, searchable(false))
		hf := f.create(f.employer(hidden), hidden, input(Apprenticeship))
		for name, uid := range map[string]string{"unsearchable": hidden.UID, "EA": f.company(org.EA).UID,
			"reserved": f.company(org.Reserved).UID, "unknown": "nope"} {
			if _, err := f.svc.CompanyCard(ctx, uid); !errors.Is(err, ErrNotFound) {
				t.Errorf("%s company card: %v", name, err)
			}
		}
		if _, err := f.svc.FicheCard(ctx, hf.UID); !errors.Is(err, ErrNotFound) {
			t.Errorf("fiche of an unsearchable company: %v", err)
		}
		inactive := f.company(org.AI)
		inf := f.create(f.employer(inactive), inactive, input(FixedTermI))
		if _, err := d.NewRaw("UPDATE siae_convention SET is_active = FALSE, deactivated_at = ? WHERE id = ?",
			f.clk.Now().Add(-31*day), *inactive.ConventionID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.FicheCard(ctx, inf.UID); !errors.Is(err, ErrNotFound) {
			t.Errorf("fiche of a company past its grace period: %v", err)
		}
	})
}

func uids(list []*JobDescription) []string {
	out := make([]string, len(list))
	for i, f := range list {
		out[i] = f.UID
	}
	return out
}

func TestUpdate_EmptyingTheCommuneFallsBackToTheCompanysEvenWithAnOldPick(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(org.ACI)
		a := f.employer(co)
		in := input(FixedTermI)
		in.Location = villeurbanne
		jd := f.create(a, co, in)
		edit := InputOf(jd) // as the edit form shows it: label in the input, code in the hidden field
		if edit.Location != "Villeurbanne (69)" || edit.LocationCode != villeurbanne {
			t.Fatalf("edit input: %q / %q", edit.Location, edit.LocationCode)
		}
		edit.Location = "" // emptied without JavaScript: the hidden code stays
		got, err := f.svc.Update(context.Background(), a, jd.UID, edit)
		if err != nil || got.LocationCode != "" || LocationLabel(got, co) != "Lyon (69)" {
			t.Fatalf("update: %v, commune %q", err, got.LocationCode)
		}
	})
}

func TestCloseStale_TellsEachMemberOnceAboutAllTheCompanysClosedFiches(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		co := f.company(org.AI)
		a := f.employer(co)
		f.employer(co)
		for _, code := range []string{agentPropreteLocaux, auxiliaireDeVie, "10675"} {
			in := input(FixedTermI)
			in.Appellation = code
			f.create(a, co, in)
		}
		before := len(f.mails())
		f.clk.Advance(90 * day)
		res, err := f.svc.CloseStale(ctx)
		if err != nil || res.Fiches != 3 || res.Mails != 2 {
			t.Fatalf("result %+v, %v", res, err)
		}
		for _, m := range f.mails()[before:] {
			if m.Subject != "3 fiches de poste ont été dépubliées" || !strings.Contains(m.Text, "Auxiliaire de vie") ||
				!strings.Contains(m.Text, "Agent / Agente d'entretien des parcs et jardins à Lyon (69)") {
				t.Errorf("mail %q:\n%s", m.Subject, m.Text)
			}
		}
	})
}
