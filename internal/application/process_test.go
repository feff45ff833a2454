package application

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
)

func today(f *fixture) *time.Time { d := Day(f.clk.Now()); return &d }

func TestScenario10_AcceptingMakesTheOtherPendingCandidaturesObsoleteAndLeavesThePoolOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		js, jsa := f.jobSeeker()
		f.eligible(js)
		var apps []*Application
		var emps []actor.Actor
		for range 5 {
			co := f.company(org.ACI, spontaneousOpen())
			emps = append(emps, f.employer(co))
			apps = append(apps, f.submit(jsa, js, co))
		}
		ctx := context.Background()
		if _, err := f.svc.Process(ctx, emps[1], apps[1].PublicID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Postpone(ctx, emps[2], apps[2].PublicID, "Nous revenons vers vous."); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AddToPool(ctx, emps[3], apps[3].PublicID, ""); err != nil {
			t.Fatal(err)
		}
		f.clearMails()
		acc, err := f.svc.Accept(ctx, emps[4], apps[4].PublicID, AcceptInput{HiringStartAt: today(f)})
		if err != nil {
			t.Fatal(err)
		}
		if acc.State != Accepted || acc.ApprovalDeliveryMode != DeliveryAutomatic || acc.ProcessedAt == nil {
			t.Errorf("accepted %+v", acc)
		}
		for i, want := range []State{Obsolete, Obsolete, Obsolete, Pool} {
			if got := f.reload(apps[i].PublicID).State; got != want {
				t.Errorf("candidature %d: %s, want %s", i, got, want)
			}
		}
		// Only the acceptance mails: the job seeker (no proxy here), and the PASS IAE to the employer.
		if m := f.mailSubjects(); len(m) != 2 || !contains(m, "Candidature acceptée") || !contains(m, "PASS IAE pour Julie Martin") {
			t.Errorf("mails %v", m)
		}
	})
}

func TestAccept_TwoMembersAcceptingAtOnceGiveExactlyOneAcceptance(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(org.GEIQ, spontaneousOpen())
		a, b := f.employer(co), f.employer(co)
		js, jsa := f.jobSeeker()
		app := f.submit(jsa, js, co)
		job := f.fiche(co, true)
		in := AcceptInput{HiringStartAt: today(f), HiredJobUID: job.UID, GEIQ: GEIQContract{ContractType: ContractApprenticeship,
			NbHoursPerWeek: ptr(35), QualificationType: QualificationCQP, QualificationLevel: Level3, PlannedTrainingHours: ptr(10)}}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, who := range []actor.Actor{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.svc.Accept(context.Background(), who, app.PublicID, in)
			}()
		}
		wg.Wait()
		ok, conflicts := 0, 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if k, _ := fault.KindOf(err); k == fault.KindConflict {
				conflicts++
			} else if strings.Contains(err.Error(), "database is locked") || strings.Contains(err.Error(), "SQLITE_BUSY") {
				conflicts++ // SQLite's single writer refused the second transaction: nothing written either
			} else {
				t.Errorf("unexpected error: %v", err)
			}
		}
		n, _ := f.d.NewSelect().Table("job_application_transition_log").Where("transition = 'accept'").Count(context.Background())
		if ok != 1 || conflicts != 1 || n != 1 {
			t.Errorf("%d acceptances, %d conflicts, %d logs", ok, conflicts, n)
		}
		got := f.reload(app.PublicID)
		if got.ApprovalDeliveryMode != DeliveryNone || got.ContractType != ContractApprenticeship {
			t.Errorf("GEIQ acceptance %+v", got) // R17: no PASS for a GEIQ
		}
	})
}

func TestTransitions_AWrongStateIsAFrenchConflictAndChangesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co, emp := f.openEmployer(org.ACI)
		js, jsa := f.jobSeeker()
		app := f.submit(jsa, js, co)
		ctx := context.Background()
		if _, err := f.svc.Accept(ctx, emp, app.PublicID, AcceptInput{HiringStartAt: today(f)}); err != nil {
			t.Fatal(err)
		}
		before := f.count("job_application_transition_log")
		// Scenario 20.
		_, err := f.svc.Refuse(ctx, emp, app.PublicID, RefuseInput{Reason: ReasonOther, Answer: "Non"})
		wantFault(t, err, fault.Conflict("La candidature ne peut pas être refusée car elle est au statut « Candidature acceptée »."))
		for _, try := range []func() error{
			func() error { _, err := f.svc.Process(ctx, emp, app.PublicID); return err },
			func() error { _, err := f.svc.Postpone(ctx, emp, app.PublicID, "x"); return err },
			func() error { _, err := f.svc.AddToPool(ctx, emp, app.PublicID, ""); return err },
		} {
			if k, _ := fault.KindOf(try()); k != fault.KindConflict {
				t.Error("not a conflict")
			}
		}
		if _, err := f.svc.Archive(ctx, emp, app.PublicID); err != ErrNotFound {
			t.Errorf("archiving an accepted candidature: %v", err) // R28
		}
		if f.count("job_application_transition_log") != before || f.reload(app.PublicID).State != Accepted {
			t.Error("something changed")
		}
	})
}

func TestTransitions_PermissionsPerRole(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co, emp := f.openEmployer(org.ACI)
		js, jsa := f.jobSeeker()
		orienteur, authorized := f.prescriber(false), f.prescriber(true)
		app := f.submit(orienteur, js, co)
		staffUser := f.user(actor.Staff, "Sam")
		staff := actor.Actor{UserID: staffUser.ID, Kind: actor.Staff}
		institution := actor.Actor{UserID: f.user(actor.Professional, "Ines").ID, Kind: actor.Professional,
			Organization: &actor.Organization{Type: "institution", ID: 1}}
		ctx := context.Background()
		for _, tc := range []struct {
			name string
			a    actor.Actor
			want error
		}{
			{"job seeker", jsa, ErrNotFound},
			{"orienteur sender", orienteur, ErrNotFound},
			{"authorized prescriber", authorized, ErrNotFound},
			{"member of another company", f.employer(f.company(org.EI)), ErrNotFound},
			{"institution member", institution, ErrNotFound},
			{"staff may not postpone", staff, ErrForbidden},
		} {
			if _, err := f.svc.Postpone(ctx, tc.a, app.PublicID, "Plus tard"); err != tc.want {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
		if _, err := f.svc.Postpone(ctx, emp, app.PublicID, "Plus tard"); err != nil {
			t.Errorf("employer member: %v", err)
		}
		// Accepting is for the company acted for: a member acting for another company is refused.
		other := f.company(org.EI)
		f.join("company_membership", emp.UserID, other.ID, false)
		elsewhere := emp
		elsewhere.Organization = &actor.Organization{Type: "company", ID: other.ID}
		if _, err := f.svc.Accept(ctx, elsewhere, app.PublicID, AcceptInput{HiringStartAt: today(f)}); err != ErrForbidden {
			t.Errorf("accept for another company: %v", err)
		}
		if _, err := f.svc.Accept(ctx, staff, app.PublicID, AcceptInput{HiringStartAt: today(f)}); err != nil {
			t.Errorf("staff admin accept: %v", err)
		}
	})
}

func TestScenario24_PostponingWithoutAnswerIsAFieldErrorAndNothingChanges(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co, emp := f.openEmployer(org.ACI)
		js, jsa := f.jobSeeker()
		app := f.submit(jsa, js, co)
		_, err := f.svc.Postpone(context.Background(), emp, app.PublicID, " ")
		if fault.FieldsOf(err).On("answer") != "Ce champ est obligatoire." || f.reload(app.PublicID).State != New {
			t.Errorf("R21: %v", err)
		}
	})
}

func TestScenario17_AnUnsharedRefusalHidesTheReasonFromTheJobSeekerAndTellsTheProxy(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co, emp := f.openEmployer(org.ACI)
		js, _ := f.jobSeeker()
		app := f.submit(f.prescriber(true), js, co)
		ctx := context.Background()
		_, err := f.svc.Refuse(ctx, emp, app.PublicID, RefuseInput{Reason: ReasonLackingSkills, Answer: "Désolé"})
		if fault.FieldsOf(err).On("answer_to_prescriber") == "" {
			t.Fatalf("R22: %v", err)
		}
		f.clearMails()
		if _, err := f.svc.Refuse(ctx, emp, app.PublicID, RefuseInput{Reason: ReasonLackingSkills, Answer: "Désolé",
			AnswerToPrescriber: "Manque d'expérience en cuisine"}); err != nil {
			t.Fatal(err)
		}
		m := f.mails()
		if len(m) != 2 {
			t.Fatalf("%d mails", len(m))
		}
		if strings.Contains(m[0].Text, "Motif") || strings.Contains(m[0].Text, "cuisine") || !strings.Contains(m[0].Text, "Désolé") {
			t.Errorf("job seeker mail: %s", m[0].Text)
		}
		if !strings.Contains(m[1].Text, "non transmis au candidat") || !strings.Contains(m[1].Text, "cuisine") {
			t.Errorf("proxy mail: %s", m[1].Text)
		}
	})
}

func TestScenario19_AGEIQCannotRefuseForNonEligibility(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co, emp := f.openEmployer(org.GEIQ)
		js, jsa := f.jobSeeker()
		app := f.submit(jsa, js, co)
		_, err := f.svc.Refuse(context.Background(), emp, app.PublicID, RefuseInput{Reason: ReasonNonEligible, Answer: "Non"})
		if !fault.FieldsOf(err).Has("reason") {
			t.Errorf("R25: %v", err)
		}
	})
}

func TestScenario15And16_GEIQAcceptanceNeedsItsContractFieldsAndMayBeBackdated(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		geiq := f.company(org.GEIQ, spontaneousOpen())
		siae := f.company(org.EI, spontaneousOpen())
		ge, se := f.employer(geiq), f.employer(siae)
		js, jsa := f.jobSeeker()
		ga, sa := f.submit(jsa, js, geiq), f.submit(jsa, js, siae)
		ctx := context.Background()
		yesterday := Day(f.clk.Now()).AddDate(0, 0, -1)
		_, err := f.svc.Accept(ctx, se, sa.PublicID, AcceptInput{HiringStartAt: &yesterday})
		if fault.FieldsOf(err).On("hiring_start_at") != msgBackdated {
			t.Errorf("SIAE backdated: %v", err)
		}
		in := AcceptInput{HiringStartAt: &yesterday, NewJobAppellation: agentPropreteLocaux,
			GEIQ: GEIQContract{ContractType: ContractOther, NbHoursPerWeek: ptr(20), QualificationType: QualificationCCN,
				QualificationLevel: Level5, PlannedTrainingHours: ptr(0)}}
		_, err = f.svc.Accept(ctx, ge, ga.PublicID, in)
		if !fault.FieldsOf(err).Has("contract_type_details") {
			t.Errorf("« Autre » without details: %v", err)
		}
		in.GEIQ.ContractTypeDetails = "CDD tremplin"
		got, err := f.svc.Accept(ctx, ge, ga.PublicID, in)
		if err != nil {
			t.Fatal(err)
		}
		var jd struct {
			IsActive bool   `bun:"is_active"`
			Source   string `bun:"creation_source"`
		}
		if err := f.d.NewSelect().Table("job_description").Column("is_active", "creation_source").Where("id = ?", *got.HiredJobID).Scan(ctx, &jd); err != nil {
			t.Fatal(err)
		}
		if jd.IsActive || jd.Source != "HIRING" || got.ApprovalDeliveryMode != DeliveryNone {
			t.Errorf("hired job %+v, mode %q", jd, got.ApprovalDeliveryMode)
		}
	})
}

func TestScenario25_AnInternalTransferResetsTheCandidatureDeletesCommentsAndMailsTheOrigin(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := f.company(org.ACI, spontaneousOpen())
		b := f.company(org.ACI)
		emp := f.employer(a)
		f.join("company_membership", emp.UserID, b.ID, false)
		js, jsa := f.jobSeeker()
		app := f.submit(jsa, js, a)
		ctx := context.Background()
		if _, err := f.svc.Process(ctx, emp, app.PublicID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.d.NewInsert().Model(&Comment{PublicID: "c1", JobApplicationID: app.ID, CompanyID: a.ID,
			CreatedByID: &emp.UserID, Message: "Bon profil", CreatedAt: f.clk.Now()}).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		f.clearMails()
		got, err := f.svc.Transfer(ctx, emp, app.PublicID, b.UID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != New || got.ToCompanyID != b.ID || got.TransferredFromID == nil || *got.TransferredFromID != a.ID {
			t.Errorf("transferred %+v", got)
		}
		if f.count("job_application_comment") != 0 {
			t.Error("comments kept")
		}
		var to []string
		for _, m := range f.mails() {
			to = append(to, m.To)
		}
		if len(to) != 2 || to[0] != js.Email {
			t.Errorf("mails to %v", to)
		}
		if _, err := f.svc.Transfer(ctx, emp, app.PublicID, b.UID); !fault.FieldsOf(err).Has("target") {
			t.Errorf("transfer to the same company: %v", err)
		}
	})
}

func TestScenario27And28_BatchArchiveOnlyArchivesTheRefusedOneAndAcceptingUnarchives(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co, emp := f.openEmployer(org.ACI)
		ctx := context.Background()
		var apps []*Application
		for range 3 {
			js, jsa := f.jobSeeker()
			apps = append(apps, f.submit(jsa, js, co))
		}
		for _, i := range []int{0, 2} {
			if _, err := f.svc.Refuse(ctx, emp, apps[i].PublicID, RefuseInput{Reason: ReasonNoPosition, Answer: "Non"}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.svc.Archive(ctx, emp, apps[2].PublicID); err != nil {
			t.Fatal(err)
		}
		res, err := f.svc.Batch(ctx, emp, []string{apps[0].PublicID, apps[1].PublicID, apps[2].PublicID},
			func(ctx context.Context, id string) error { _, err := f.svc.Archive(ctx, emp, id); return err })
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Err != nil || res[1].Err == nil || res[2].Err == nil {
			t.Errorf("results %+v", res)
		}
		if !f.reload(apps[0].PublicID).IsArchived() || f.reload(apps[1].PublicID).IsArchived() {
			t.Error("wrong archives")
		}
		got, err := f.svc.Accept(ctx, emp, apps[0].PublicID, AcceptInput{HiringStartAt: today(f)})
		if err != nil {
			t.Fatal(err)
		}
		if got.IsArchived() || f.reload(apps[0].PublicID).IsArchived() {
			t.Error("R28: still archived after acceptance")
		}
	})
}

func TestCancel_MailsTheEmployerAndTheProxyButNotTheJobSeeker(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co, emp := f.openEmployer(org.ACI)
		js, _ := f.jobSeeker()
		app := f.submit(f.prescriber(true), js, co)
		ctx := context.Background()
		if _, err := f.svc.Accept(ctx, emp, app.PublicID, AcceptInput{HiringStartAt: today(f)}); err != nil {
			t.Fatal(err)
		}
		f.clearMails()
		got, err := f.svc.Cancel(ctx, emp, app.PublicID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != Cancelled || got.ApprovalDeliveryMode != DeliveryNone {
			t.Errorf("cancelled %+v", got)
		}
		for _, m := range f.mails() {
			if m.To == js.Email || m.Subject != "Embauche annulée" {
				t.Errorf("mail %s %s", m.To, m.Subject)
			}
		}
		if len(f.mails()) != 2 {
			t.Errorf("%d mails", len(f.mails()))
		}
	})
}
