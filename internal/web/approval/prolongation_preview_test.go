package approval_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"emplois/internal/approval"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/localtime"
	"emplois/internal/platform/xlsx/xlsxtest"
	"emplois/internal/web/webtest"
)

// draftReport is the report file key of the only prolongation draft kept, "" when none is.
func draftReport(t *testing.T, site *webtest.Site) string {
	t.Helper()
	var data []string
	if err := site.DB.NewSelect().Table("wizard_session").Column("data").Where("kind = 'prolongation'").Scan(context.Background(), &data); err != nil {
		t.Fatal(err)
	}
	if len(data) > 1 {
		t.Fatalf("%d drafts kept", len(data))
	}
	if len(data) == 0 {
		return ""
	}
	var d approval.ProlongationDraft
	if err := json.Unmarshal([]byte(data[0]), &d); err != nil {
		t.Fatal(err)
	}
	return d.Input.ReportFileKey
}

// wantRows fails the test unless table holds want rows.
func wantRows(t *testing.T, site *webtest.Site, table string, want int) {
	t.Helper()
	if n := count(t, site, table); n != want {
		t.Fatalf("%d rows in %s, want %d", n, table, want)
	}
}

func stored(t *testing.T, site *webtest.Site, key string) bool {
	t.Helper()
	ok, err := site.Services.Approvals.Files.Exists(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestDeclarePreview_RecallsTheRequestThenSavesItOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		h := passFrom(t, site, org.AI, endingIn(60))
		prescriber, porg := habilitated(t, site, "Mission locale de Lyon")
		b := site.LoginAs(h.Employer)
		end := h.Pass.EndAt.AddDate(0, 0, 200)
		form := requestForm(approval.Senior, end, prescriber.Email)
		form.Set("require_phone_interview", "on")
		form.Set("contact_email", "contact@example.org")
		form.Set("contact_phone", "0601020304")
		preview := previewed(t, b, h.Pass, form, map[string][]byte{"report_file": xlsxtest.Workbook()})
		wantRows(t, site, "prolongation_request", 0) // the preview saves nothing
		report := draftReport(t, site)
		if report == "" || !stored(t, site, report) {
			t.Fatalf("the report file %q is not kept for the save", report)
		}

		res := b.Get(preview)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "<h1>Vérifier la prolongation</h1>", h.Pass.DisplayNumber(), "Lina Titulaire", "50 ans et plus",
			"du "+localtime.Date(h.Pass.EndAt)+" au "+localtime.Date(end), "Paula Prescriptrice ("+prescriber.Email+")", porg.Name,
			"Entretien téléphonique souhaité", "contact@example.org ; 0601020304", "report_file.pdf", `id="prolongation-confirm"`)

		// « Modifier »: the form comes back filled; sent again without a file, it keeps the draft's.
		draft := strings.TrimPrefix(preview, declarePath(h.Pass)+"/preview/")
		res = b.Get(declarePath(h.Pass) + "?draft=" + draft)
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, `value="SENIOR" checked`, `value="`+iso(end)+`"`, `value="`+prescriber.Email+`"`,
			`id="id_require_phone_interview" name="require_phone_interview" value="on" checked`, "Fichier bilan joint : report_file.pdf")
		form.Set("draft", draft)
		end = end.AddDate(0, 0, -10)
		form.Set("end_at", iso(end))
		if again := previewed(t, b, h.Pass, form, nil); again != preview {
			t.Errorf("the changed form leads to %s, not to its draft's preview %s", again, preview)
		}
		if got := draftReport(t, site); got != report {
			t.Errorf("the draft's report file became %q", got)
		}
		webtest.WantBody(t, b.Get(preview), "au "+localtime.Date(end))

		webtest.WantRedirect(t, b.Post(preview, nil), "/approvals/details/"+h.Pass.PublicID)
		got := reload(t, site, h.Pass)
		if req := got.PendingRequest(); req == nil || !req.EndAt.Equal(end) || req.ReportFileKey != report || !req.RequirePhoneInterview {
			t.Fatalf("saved request %+v", req)
		}
		if draftReport(t, site) != "" || !stored(t, site, report) {
			t.Error("the draft outlives its save, or the request lost its report file")
		}
		// Validated twice (a second tab, a double click): the draft is gone, nothing more is saved.
		webtest.WantStatus(t, b.Post(preview, nil), http.StatusNotFound)
		wantRows(t, site, "prolongation_request", 1)
	})
}

func TestDeclarePreview_AnotherKeyOrUserIsNotFound(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		h := passFrom(t, site, org.ACI, endingIn(60))
		b := site.LoginAs(h.Employer)
		form := url.Values{"reason": {"COMPLETE_TRAINING"}, "end_at": {iso(h.Pass.EndAt.AddDate(0, 0, 30))}}
		preview := previewed(t, b, h.Pass, form, nil)
		key := strings.TrimPrefix(preview, declarePath(h.Pass)+"/preview/")

		last := "A"
		if strings.HasSuffix(key, last) {
			last = "B"
		}
		tampered := declarePath(h.Pass) + "/preview/" + key[:len(key)-1] + last
		webtest.WantStatus(t, b.Get(tampered), http.StatusNotFound)
		webtest.WantStatus(t, b.Post(tampered, nil), http.StatusNotFound)
		webtest.WantStatus(t, b.Get(declarePath(h.Pass)+"?draft=nope"), http.StatusNotFound)
		swapped := url.Values{"draft": {"nope"}}
		for k, v := range form {
			swapped[k] = v
		}
		webtest.WantStatus(t, b.Post(declarePath(h.Pass), swapped), http.StatusNotFound)

		// The draft is its author's, for its PASS: a colleague of the same SIAE, or the same key
		// under another PASS, find nothing.
		colleague := site.LoginAs(site.EmployerOf(h.Company, "collegue@example.org"))
		webtest.WantStatus(t, colleague.Get(preview), http.StatusNotFound)
		webtest.WantStatus(t, colleague.Post(preview, nil), http.StatusNotFound)
		other := passFrom(t, site, org.ACI, endingIn(60))
		hire(t, site, other.JobSeeker, h.Company, other.Pass.StartAt, other.Pass.StartAt, other.Pass.ID)
		webtest.WantStatus(t, b.Post(declarePath(other.Pass)+"/preview/"+key, nil), http.StatusNotFound)
		wantRows(t, site, "prolongation", 0)
		webtest.WantRedirect(t, b.Post(preview, nil), "/approvals/details/"+h.Pass.PublicID)
		wantRows(t, site, "prolongation", 1)
	})
}

func TestDeclarePreview_ARefusalAtTheSaveChangesNothingAndDropsTheFile(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		h := passFrom(t, site, org.AI, endingIn(60))
		prescriber, porg := habilitated(t, site, "Cap Emploi du Rhône")
		b := site.LoginAs(h.Employer)
		end := h.Pass.EndAt.AddDate(0, 0, 100)
		preview := previewed(t, b, h.Pass, requestForm(approval.RQTH, end, prescriber.Email), map[string][]byte{"report_file": xlsxtest.Workbook()})
		report := draftReport(t, site)
		// Between the preview and the save, the organization loses its habilitation.
		if _, err := site.DB.NewRaw(`UPDATE prescriber_organization SET authorization_status = 'REFUSED' WHERE id = ?`, porg.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		mails := len(site.Mails())
		res := b.Post(preview, nil)
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Cette adresse e-mail n&#39;est pas celle d&#39;un prescripteur habilité.", `value="RQTH" checked`, `value="`+iso(end)+`"`)
		webtest.WantNoBody(t, res, "Fichier bilan joint", `name="draft"`)
		if n := count(t, site, "prolongation_request"); n != 0 || !reload(t, site, h.Pass).EndAt.Equal(h.Pass.EndAt) || len(site.Mails()) != mails {
			t.Errorf("the refused save wrote %d requests or moved the PASS or sent mails", n)
		}
		if draftReport(t, site) != "" || stored(t, site, report) {
			t.Error("the refused draft or its report file is kept")
		}
		webtest.WantStatus(t, b.Get(preview), http.StatusNotFound)
	})
}

func TestDeclarePage_ABodyOverTheBoundSaysTheOneMegabyteLimit(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		h := passFrom(t, site, org.AI, endingIn(60))
		big := make([]byte, approval.MaxReportBytes+512<<10)
		res := site.LoginAs(h.Employer).PostMultipart(declarePath(h.Pass), url.Values{"reason": {"COMPLETE_TRAINING"}}, map[string][]byte{"report_file": big})
		webtest.WantStatus(t, res, http.StatusUnprocessableEntity)
		webtest.WantBody(t, res, "Le fichier bilan ne doit pas dépasser 1 Mo.")
		if draftReport(t, site) != "" {
			t.Error("a draft was kept")
		}
	})
}
