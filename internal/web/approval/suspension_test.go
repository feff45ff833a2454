package approval_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/approval"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

// The fixtures of the pages that change a PASS: a job seeker hired by an SIAE with a PASS
// issued through the domain service (the acceptance wiring is the lead's).

var serial atomic.Int64

func seq() int64 { return serial.Add(1) }

// today is the day the services see (the approval service reads the real clock).
func today() time.Time { return approval.Today(time.Now()) }

func iso(t time.Time) string { return t.Format(time.DateOnly) }

// hiredPass is a PASS IAE, its holder, and the SIAE that hired them with it.
type hiredPass struct {
	Pass      *approval.Approval
	JobSeeker *account.User
	Company   *org.Company
	Employer  *account.User
}

// passFrom gives a new job seeker a PASS from start and has an SIAE of kind hire them with it
// (from start).
func passFrom(t *testing.T, site *webtest.Site, kind org.CompanyKind, start time.Time) hiredPass {
	t.Helper()
	n := seq()
	js := site.CreateUser(account.JobSeeker, fmt.Sprintf("candidat%d@example.org", n), "Lina", "Titulaire")
	pass := issuePASSFrom(t, site, js, start, kind)
	co := site.Company(kind, fmt.Sprintf("Structure %d", n))
	employer := site.EmployerOf(co, fmt.Sprintf("employeur%d@example.org", n))
	hire(t, site, js, co, start, time.Now().UTC().Add(-time.Hour), pass.ID)
	return hiredPass{Pass: pass, JobSeeker: js, Company: co, Employer: employer}
}

// hire stores a candidature of js accepted by co at processed, from start, linked to the PASS
// when passID is not 0.
func hire(t *testing.T, site *webtest.Site, js *account.User, co *org.Company, start, processed time.Time, passID int64) {
	t.Helper()
	var pass *int64
	if passID != 0 {
		pass = &passID
	}
	if _, err := site.DB.NewRaw(`INSERT INTO job_application (public_id, job_seeker_id, to_company_id, sender_id, sender_kind, state,
		hiring_start_at, processed_at, approval_id, approval_delivery_mode, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'job_seeker', 'accepted', ?, ?, ?, 'automatic', ?, ?)`,
		uuid.NewString(), js.ID, co.ID, js.ID, start, processed, pass, processed, processed).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// reload reads the PASS again with its suspensions, prolongations and requests.
func reload(t *testing.T, site *webtest.Site, p *approval.Approval) *approval.Approval {
	t.Helper()
	got, err := site.Services.Approvals.Get(context.Background(), p.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func count(t *testing.T, site *webtest.Site, table string) int {
	t.Helper()
	n, err := site.DB.NewSelect().Table(table).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func suspensionForm(start, end time.Time, reason approval.SuspensionReason) url.Values {
	return url.Values{"start_at": {iso(start)}, "end_at": {iso(end)}, "reason": {string(reason)}}
}

func TestSuspendPage_Scenario10AndEdgeCase38_TheLastHirerSuspendsFromToday(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		h := passFrom(t, site, org.ACI, today().AddDate(0, 0, -30))
		b := site.LoginAs(h.Employer)
		path := "/approvals/suspend/" + h.Pass.PublicID

		res := b.Get(path)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "<h1>Suspendre un PASS IAE</h1>", h.Pass.DisplayNumber(), `value="`+iso(today())+`"`,
			"Contrat de travail suspendu depuis plus de 15 jours", "Bascule dans l&#39;expérimentation contrat passerelle", `name="end_unknown"`)

		res = b.Post(path, suspensionForm(today(), today().AddDate(0, 0, 10), approval.ContractSuspended))
		webtest.WantRedirect(t, res, "/approvals/details/"+h.Pass.PublicID)
		got := reload(t, site, h.Pass)
		if !got.EndAt.Equal(h.Pass.EndAt.AddDate(0, 0, 10)) || got.State(today()) != approval.StateSuspended || len(got.Suspensions) != 1 {
			t.Errorf("end %s, state %s", got.EndAt, got.State(today()))
		}
		if !strings.Contains(site.AuditActions(), approval.ActionSuspended) {
			t.Errorf("audit: %s", site.AuditActions())
		}
		// Already suspended: the page says so.
		res = b.Get(path)
		webtest.WantStatus(t, res, http.StatusConflict)
		webtest.WantBody(t, res, "Ce PASS IAE est déjà suspendu.")

		// An AI sees four reasons, without the contrat passerelle (38).
		ai := passFrom(t, site, org.AI, today().AddDate(0, 0, -30))
		res = site.LoginAs(ai.Employer).Get("/approvals/suspend/" + ai.Pass.PublicID)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantNoBody(t, res, "contrat passerelle")
	})
}

func TestSuspendPage_RefusedInputLeavesThePASSAsItWas(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		// Hired 400 days ago, with the PASS.
		h := passFrom(t, site, org.EI, today().AddDate(0, 0, -400))
		b := site.LoginAs(h.Employer)
		path := "/approvals/suspend/" + h.Pass.PublicID
		for _, c := range []struct {
			name string
			form url.Values
			want string
		}{
			{"before the PASS", suspensionForm(h.Pass.StartAt.AddDate(0, 0, -1), today(), approval.ContractSuspended),
				"La suspension doit commencer pendant la durée de validité du PASS IAE."},
			{"366 days back (scenario 14)", suspensionForm(today().AddDate(0, 0, -366), today(), approval.ContractSuspended),
				"La date de début de la suspension ne peut pas être antérieure au " + today().AddDate(0, 0, -365).Format("02/01/2006") + "."},
			{"in the future (32)", suspensionForm(today().AddDate(0, 0, 1), today().AddDate(0, 0, 5), approval.ContractSuspended),
				"La date de début de la suspension ne peut pas être dans le futur."},
			{"end before start (32)", suspensionForm(today(), today().AddDate(0, 0, -1), approval.ContractSuspended),
				"La date de fin de la suspension doit être postérieure ou égale à sa date de début."},
			{"beyond 36 months", suspensionForm(today(), today().AddDate(3, 0, 0), approval.ContractSuspended),
				"La suspension ne peut pas dépasser 36 mois"},
			{"a reason the EI may not choose", suspensionForm(today(), today(), approval.Sickness), "Choisissez un motif de suspension proposé."},
			{"an unreadable date", url.Values{"start_at": {"31/02/2026"}, "end_at": {iso(today())}, "reason": {"CONTRACT_BROKEN"}}, "Saisissez une date valide au format JJ/MM/AAAA."},
			{"no end", url.Values{"start_at": {iso(today())}, "reason": {"CONTRACT_BROKEN"}}, "Ce champ est obligatoire."},
		} {
			res := b.Post(path, c.form)
			webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
			if !strings.Contains(res.Text(), c.want) || !strings.HasPrefix(res.Title(t), "Erreur") {
				t.Errorf("%s: want %q in the refused form (title %q)", c.name, c.want, res.Title(t))
			}
		}
		if n := count(t, site, "suspension"); n != 0 || !reload(t, site, h.Pass).EndAt.Equal(h.Pass.EndAt) {
			t.Errorf("%d suspensions written", n)
		}
		// « Je ne connais pas la date de fin »: the longest suspension.
		form := url.Values{"start_at": {iso(today())}, "end_unknown": {"on"}, "reason": {"CONTRACT_BROKEN"}}
		webtest.WantRedirect(t, b.Post(path, form), "/approvals/details/"+h.Pass.PublicID)
		if s := reload(t, site, h.Pass).Suspensions; len(s) != 1 || !s[0].EndAt.Equal(approval.SuspensionMaxEnd(today())) {
			t.Errorf("suspensions %+v", s)
		}
	})
}

func TestSuspensionPages_PerRole_Scenario11AndEdgeCase40(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		h := passFrom(t, site, org.ACI, today().AddDate(0, 0, -60))
		suspendPath := "/approvals/suspend/" + h.Pass.PublicID
		form := suspensionForm(today(), today().AddDate(0, 0, 3), approval.ContractSuspended)

		// Another SIAE that never hired with this PASS: 404 (40).
		stranger := site.EmployerOf(site.Company(org.EI, "Autre structure"), "autre@example.org")
		sb := site.LoginAs(stranger)
		webtest.WantStatus(t, sb.Get(suspendPath), http.StatusNotFound)
		webtest.WantStatus(t, sb.Post(suspendPath, form), http.StatusNotFound)
		// Job seeker and prescribers are refused by the route's policy; anonymous visitors log in.
		webtest.WantStatus(t, site.LoginAs(h.JobSeeker).Get(suspendPath), http.StatusForbidden)
		p := site.Prescriber(org.ML, "Mission locale", true)
		webtest.WantStatus(t, site.LoginAs(site.Member(org.TypePrescriber, p.ID, "ml@example.org", "Paula", "Prescriptrice")).Get(suspendPath), http.StatusForbidden)
		res := site.Browser().Get(suspendPath)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/accounts/login") {
			t.Errorf("anonymous: %d %s", res.StatusCode, res.Header.Get("Location"))
		}

		// The holder suspended by the first SIAE; a second SIAE hires them since (11).
		b := site.LoginAs(h.Employer)
		webtest.WantRedirect(t, b.Post(suspendPath, form), "/approvals/details/"+h.Pass.PublicID)
		sus := reload(t, site, h.Pass).Suspensions[0]
		actionPath := fmt.Sprintf("/approvals/suspension/%d/action", sus.ID)
		editPath := fmt.Sprintf("/approvals/suspension/%d/edit", sus.ID)
		webtest.WantStatus(t, sb.Get(actionPath), http.StatusNotFound)
		webtest.WantStatus(t, sb.Post(actionPath, url.Values{"action": {"delete"}}), http.StatusNotFound)
		webtest.WantStatus(t, sb.Get(editPath), http.StatusNotFound)

		later := site.Company(org.EI, "Nouvel employeur")
		site.EmployerOf(later, "nouvel@example.org")
		hire(t, site, h.JobSeeker, later, today(), time.Now().UTC(), h.Pass.ID)
		for _, path := range []string{suspendPath, actionPath, editPath} {
			res := b.Get(path)
			webtest.WantStatus(t, res, http.StatusForbidden)
			webtest.WantBody(t, res, "Un autre employeur a embauché ce candidat depuis")
		}
		res = b.Post(actionPath, url.Values{"action": {"delete"}})
		webtest.WantStatus(t, res, http.StatusForbidden)
		if n := count(t, site, "suspension"); n != 1 {
			t.Errorf("%d suspensions after the refusals", n)
		}
	})
}

func TestSuspensionActionPages_Scenario13AndEdgeCase39_EndEditDelete(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		h := passFrom(t, site, org.AI, today().AddDate(0, 0, -90))
		b := site.LoginAs(h.Employer)
		start, end := today().AddDate(0, 0, -5), today().AddDate(0, 0, 10)
		webtest.WantRedirect(t, b.Post("/approvals/suspend/"+h.Pass.PublicID, suspensionForm(start, end, approval.ContractBroken)), "/approvals/details/"+h.Pass.PublicID)
		sus := reload(t, site, h.Pass).Suspensions[0]
		base := fmt.Sprintf("/approvals/suspension/%d", sus.ID)

		// Edit: a later end moves the PASS end by as much.
		res := b.Get(base + "/edit")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "<h1>Modifier la suspension du PASS IAE</h1>", `value="`+iso(end)+`"`)
		webtest.WantRedirect(t, b.Post(base+"/edit", suspensionForm(start, end.AddDate(0, 0, 2), approval.ContractBroken)), "/approvals/details/"+h.Pass.PublicID)
		if got := reload(t, site, h.Pass); !got.EndAt.Equal(h.Pass.EndAt.AddDate(0, 0, 17)) {
			t.Errorf("after the edit, end %s", got.EndAt)
		}

		// End it: the form proposes today; a return on the start is refused (39).
		res = b.Get(base + "/action")
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, `value="`+iso(today())+`"`, "le reliquat du PASS IAE perd 6 jours")
		res = b.Post(base+"/action", url.Values{"action": {"end"}, "first_day_back": {iso(start)}})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "La date de retour doit être postérieure au début de la suspension et antérieure à sa fin.")
		res = b.Post(base+"/action", url.Values{})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Choisissez de mettre fin à la suspension ou de la supprimer.")
		// Back today (13): the suspension ends yesterday.
		webtest.WantRedirect(t, b.Post(base+"/action", url.Values{"action": {"end"}, "first_day_back": {iso(today())}}), "/approvals/details/"+h.Pass.PublicID)
		got := reload(t, site, h.Pass)
		if s := got.Suspensions[0]; !s.EndAt.Equal(today().AddDate(0, 0, -1)) || !got.EndAt.Equal(h.Pass.EndAt.AddDate(0, 0, 4)) {
			t.Errorf("ended: suspension to %s, PASS to %s", s.EndAt, got.EndAt)
		}
		// Over: no longer managed.
		webtest.WantStatus(t, b.Get(base+"/action"), http.StatusConflict)

		// A new one, deleted: the PASS gets its end back.
		other := passFrom(t, site, org.AI, today().AddDate(0, 0, -90))
		ob := site.LoginAs(other.Employer)
		webtest.WantRedirect(t, ob.Post("/approvals/suspend/"+other.Pass.PublicID, suspensionForm(today().AddDate(0, 0, -2), today().AddDate(0, 0, 20), approval.FinishedContract)), "/approvals/details/"+other.Pass.PublicID)
		s := reload(t, site, other.Pass).Suspensions[0]
		webtest.WantRedirect(t, ob.Post(fmt.Sprintf("/approvals/suspension/%d/action", s.ID), url.Values{"action": {"delete"}}), "/approvals/details/"+other.Pass.PublicID)
		if got := reload(t, site, other.Pass); len(got.Suspensions) != 0 || !got.EndAt.Equal(other.Pass.EndAt) {
			t.Errorf("deleted: %d suspensions, end %s", len(got.Suspensions), got.EndAt)
		}
		for _, a := range []string{approval.ActionSuspensionEdited, approval.ActionSuspensionEnded, approval.ActionSuspensionDeleted} {
			if !strings.Contains(site.AuditActions(), a) {
				t.Errorf("audit without %s: %s", a, site.AuditActions())
			}
		}
	})
}
