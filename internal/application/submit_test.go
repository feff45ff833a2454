package application

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/application/resumetest"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
)

func TestScenario01_AJobSeekerApplyingAloneCreatesANewCandidatureAndMailsTheMembersAndThemself(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(org.ACI)
		f.employer(co)
		f.employer(co)
		job := f.fiche(co, true)
		js, jsa := f.jobSeeker()
		app := f.submit(jsa, js, co, job)
		got := f.reload(app.PublicID)
		if got.State != New || got.SenderKind != SenderJobSeeker || got.ProcessedAt != nil || got.ApprovalDeliveryMode != "" {
			t.Errorf("candidature %+v", got) // R1
		}
		if f.count("job_application_selected_job") != 1 || f.count("audit_event") != 1 {
			t.Error("selected job or audit missing")
		}
		var subjects []string
		for _, m := range f.mails() {
			subjects = append(subjects, m.To+": "+m.Subject)
		}
		if len(subjects) != 3 || !strings.Contains(subjects[0], js.Email+": Candidature chez Structure") ||
			!strings.HasSuffix(subjects[1], ": Nouvelle candidature") || !strings.HasSuffix(subjects[2], ": Nouvelle candidature") {
			t.Errorf("mails %v", subjects)
		}
	})
}

func TestScenario02_A24HourOldCandidatureBlocksAPrescriberButNotAnAutoPrescription(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co, emp := f.openEmployer(org.EI)
		js, jsa := f.jobSeeker()
		f.submit(jsa, js, co)
		f.clk.Advance(2 * time.Hour)
		_, err := f.svc.Submit(context.Background(), f.prescriber(true), SubmitInput{CompanyUID: co.UID,
			JobSeekerPublicID: js.PublicID, Spontaneous: true, Message: "Bonjour"})
		wantFault(t, err, ErrRecentProxy)
		if k, _ := fault.KindOf(err); k != fault.KindForbidden {
			t.Errorf("kind %v", k)
		}
		_, err = f.svc.Submit(context.Background(), jsa, SubmitInput{CompanyUID: co.UID, Spontaneous: true, Message: "Encore"})
		wantFault(t, err, ErrRecentSelf)
		if f.count("job_application") != 1 {
			t.Fatal("a candidature was created")
		}
		auto := f.submit(emp, js, co)
		if !auto.IsAutoPrescription() || auto.SenderKind != SenderEmployer {
			t.Errorf("auto-prescription %+v", auto)
		}
	})
}

func TestScenario03_TwoDaysLaterTheSameJobSeekerMayApplyAgain(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(org.EI, spontaneousOpen())
		f.employer(co)
		js, jsa := f.jobSeeker()
		f.submit(jsa, js, co)
		f.clk.Advance(48 * time.Hour)
		f.submit(f.prescriber(false), js, co)
		if f.count("job_application") != 2 {
			t.Error("no second candidature")
		}
	})
}

func TestScenario04And05_ABlockedCompanyRefusesOrienteursButTakesItsMembersCandidatures(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(org.ACI, blockedCompany())
		emp := f.employer(co)
		js, _ := f.jobSeeker()
		_, err := f.svc.Submit(context.Background(), f.prescriber(false), SubmitInput{CompanyUID: co.UID,
			JobSeekerPublicID: js.PublicID, Spontaneous: true, Message: "Bonjour"})
		wantFault(t, err, ErrBlocked)
		if err.Error() != "Cet employeur ne souhaite pas recevoir de candidatures pour le moment." || f.count("job_application") != 0 {
			t.Fatal("created or wrong words")
		}
		f.submit(emp, js, co) // R4: members are not blocked (spontaneous closed is no matter to them)
		if f.count("job_application") != 1 {
			t.Error("the member's candidature was not created")
		}
	})
}

func TestScenario06_ClosedSpontaneousApplicationsAreAFieldErrorOnTheJobs(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(org.ACI)
		f.employer(co)
		js, jsa := f.jobSeeker()
		_, err := f.svc.Submit(context.Background(), jsa, SubmitInput{CompanyUID: co.UID, Spontaneous: true, Message: "Bonjour"})
		if fault.FieldsOf(err).On("jobs") != "Cet employeur ne souhaite pas recevoir de candidatures spontanées pour le moment." {
			t.Errorf("error %v", err)
		}
		_ = js
		if f.count("job_application") != 0 {
			t.Error("created")
		}
	})
}

func TestSubmit_RefusesBothJobsAndSpontaneousNothingAClosedFicheOrAnotherCompanysFiche(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(org.ACI, spontaneousOpen())
		other := f.company(org.ACI)
		f.employer(co)
		open, closed, foreign := f.fiche(co, true), f.fiche(co, false), f.fiche(other, true)
		_, jsa := f.jobSeeker()
		for _, tc := range []struct {
			name string
			in   SubmitInput
			msg  string
		}{
			{"both (R6)", SubmitInput{JobUIDs: []string{open.UID}, Spontaneous: true}, msgJobAndSpontaneous},
			{"nothing (R6)", SubmitInput{}, msgNoJob},
			{"closed meanwhile (R7)", SubmitInput{JobUIDs: []string{open.UID, closed.UID}}, msgJobClosed},
			{"another company's", SubmitInput{JobUIDs: []string{foreign.UID}}, msgUnknownJob},
		} {
			tc.in.CompanyUID, tc.in.Message = co.UID, "Bonjour"
			_, err := f.svc.Submit(context.Background(), jsa, tc.in)
			if fault.FieldsOf(err).On("jobs") != tc.msg {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
		if f.count("job_application") != 0 {
			t.Error("created")
		}
	})
}

func TestSubmit_RequiresAMessageExceptInAutoPrescription(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co, emp := f.openEmployer(org.GEIQ)
		js, jsa := f.jobSeeker()
		_, err := f.svc.Submit(context.Background(), jsa, SubmitInput{CompanyUID: co.UID, Spontaneous: true, Message: "  "})
		if fault.FieldsOf(err).On("message") != "Ce champ est obligatoire." {
			t.Errorf("R8: %v", err)
		}
		if _, err := f.svc.Submit(context.Background(), emp, SubmitInput{CompanyUID: co.UID, JobSeekerPublicID: js.PublicID, Spontaneous: true}); err != nil {
			t.Errorf("auto-prescription without message: %v", err)
		}
	})
}

func TestSubmit_WhoMayApply(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(org.ACI, spontaneousOpen())
		f.employer(co)
		empty := f.company(org.ACI, spontaneousOpen()) // no member
		ea, eaEmp := f.openEmployer(org.EA)
		js, _ := f.jobSeeker()
		staff := f.user(actor.Staff, "Sam")
		unaffiliated := f.user(actor.Professional, "Ugo")
		otherJS, _ := f.jobSeeker()
		in := func(c *org.Company, jsID string) SubmitInput {
			return SubmitInput{CompanyUID: c.UID, JobSeekerPublicID: jsID, Spontaneous: true, Message: "Bonjour"}
		}
		for _, tc := range []struct {
			name string
			a    actor.Actor
			in   SubmitInput
			want error
		}{
			{"staff", actor.Actor{UserID: staff.ID, Kind: actor.Staff}, in(co, js.PublicID), ErrCannotApply},
			{"professional without organization", actor.Actor{UserID: unaffiliated.ID, Kind: actor.Professional}, in(co, js.PublicID), ErrCannotApply},
			{"institution member", actor.Actor{UserID: unaffiliated.ID, Kind: actor.Professional,
				Organization: &actor.Organization{Type: "institution", ID: 1}}, in(co, js.PublicID), ErrCannotApply},
			{"not a member of the organization acted for", actor.Actor{UserID: unaffiliated.ID, Kind: actor.Professional,
				Organization: &actor.Organization{Type: "company", ID: co.ID}}, in(co, js.PublicID), ErrCannotApply},
			{"company without member", f.prescriber(false), in(empty, js.PublicID), ErrNotRegistered},
			{"auto-prescription in an EA", eaEmp, in(ea, js.PublicID), ErrNoAutoPrescription},
			{"a professional as job seeker", f.prescriber(true), in(co, staff.PublicID), ErrJobSeekerNotFound},
		} {
			_, err := f.svc.Submit(context.Background(), tc.a, tc.in)
			if err == nil || err.Error() != tc.want.Error() {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
		_ = otherJS
		if f.count("job_application") != 0 {
			t.Error("created")
		}
	})
}

func TestScenario38_ADoubleSubmitWithinTenSecondsCreatesOneCandidature(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(org.ACI, spontaneousOpen())
		f.employer(co)
		js, jsa := f.jobSeeker()
		first := f.submit(jsa, js, co)
		f.clk.Advance(3 * time.Second)
		second := f.submit(jsa, js, co)
		if second.PublicID != first.PublicID || f.count("job_application") != 1 {
			t.Errorf("R3: %s vs %s, %d rows", first.PublicID, second.PublicID, f.count("job_application"))
		}
	})
}

func TestSubmit_KeepsAGenuinePDFAndRefusesDisguisedOrLargeFiles(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co, emp := f.openEmployer(org.ACI)
		js, jsa := f.jobSeeker()
		big := append(resumetest.PDF(), bytes.Repeat([]byte(" "), MaxResumeBytes)...)
		for _, tc := range []struct {
			name string
			data []byte
			msg  string
		}{
			{"text named .pdf", []byte("Bonjour, voici mon CV"), msgResumeNotPDF},
			{"PDF header without trailer", []byte("%PDF-1.4\n" + strings.Repeat("x", 100)), msgResumeNotPDF},
			{"larger than 5 MB", big, msgResumeTooLarge},
		} {
			_, err := f.svc.Submit(context.Background(), jsa, SubmitInput{CompanyUID: co.UID, Spontaneous: true, Message: "Bonjour", Resume: tc.data})
			if fault.FieldsOf(err).On("resume") != tc.msg {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
		app, err := f.svc.Submit(context.Background(), jsa, SubmitInput{CompanyUID: co.UID, Spontaneous: true, Message: "Bonjour", Resume: resumetest.PDF()})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(app.ResumeKey, "resume-private/") || !strings.HasSuffix(app.ResumeKey, ".pdf") {
			t.Errorf("key %q", app.ResumeKey)
		}
		// §3.7: the job seeker and the company's members download it; others get a 404.
		for _, a := range []actor.Actor{jsa, emp} {
			r, err := f.svc.OpenResume(context.Background(), a, app.PublicID)
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			b, _ := io.ReadAll(r)
			r.Close()
			if !bytes.Equal(b, resumetest.PDF()) || r.Filename != "CV_2026_03_02_10_00.pdf" {
				t.Errorf("read %d bytes as %s", len(b), r.Filename)
			}
		}
		_, other := f.jobSeeker()
		for _, a := range []actor.Actor{other, f.prescriber(true), f.employer(f.company(org.ACI))} {
			if _, err := f.svc.OpenResume(context.Background(), a, app.PublicID); err != ErrNotFound {
				t.Errorf("a stranger opens the CV: %v", err)
			}
		}
		_ = js
	})
}

func TestSubmit_AProxySubmissionAssignsTheJobSeekerToTheAdvisor(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var calls []string
		f.svc.Assign = func(_ context.Context, _ bun.IDB, jsID, proID int64, o *actor.Organization, kind string, unknown bool) error {
			calls = append(calls, kind)
			return nil
		}
		co := f.company(org.ACI, spontaneousOpen())
		f.employer(co)
		js, jsa := f.jobSeeker()
		f.submit(f.prescriber(false), js, co)
		f.clk.Advance(48 * time.Hour)
		f.submit(jsa, js, co)
		if len(calls) != 1 || calls[0] != "APPLY" {
			t.Errorf("assignments %v", calls)
		}
	})
}

func TestSubmit_MasksTheJobSeekerInTheOrienteursMailOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		co := f.company(org.ACI, spontaneousOpen())
		f.employer(co)
		js, _ := f.jobSeeker()
		f.submit(f.prescriber(false), js, co)
		f.clk.Advance(48 * time.Hour)
		f.submit(f.prescriber(true), js, co)
		var subjects []string
		for _, m := range f.mails() {
			if strings.HasPrefix(m.Subject, "Confirmation d'envoi") {
				subjects = append(subjects, m.Subject)
			}
		}
		want := []string{"Confirmation d'envoi de candidature pour J… M…", "Confirmation d'envoi de candidature pour Julie MARTIN"}
		if strings.Join(subjects, "|") != strings.Join(want, "|") {
			t.Errorf("R35: %v", subjects)
		}
	})
}
