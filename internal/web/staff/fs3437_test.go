package staff_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"emplois/internal/account"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/xlsx/xlsxtest"
	"emplois/internal/web/webtest"
)

const (
	fs3437Path = "/staff/fiches-salarie/3437"
	ourASPID   = "0123456789abcdef0123456789abcd"
	newASPID   = "fedcba9876543210fedcba98765432"
)

// answer3437 is the ASP's answer: a real workbook with the columns idItou and Commentaires.
func answer3437(t *testing.T, rows ...[2]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	_ = f.SetSheetRow("Sheet1", "A1", &[]any{"idItou", "Commentaires"})
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		_ = f.SetSheetRow("Sheet1", cell, &[]any{r[0], r[1]})
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// allowed3437 is a staff account holding the permission of the regularisation.
func (ss *staffSite) allowed3437() *account.User {
	ss.T.Helper()
	u := ss.CreateUser(account.Staff, "fs3437@inclusion.example", "Régis", "Ularisation")
	if _, err := ss.Services.Accounts.GrantPermission(context.Background(), u.Email, account.PermEmployeeRecords3437); err != nil {
		ss.T.Fatal(err)
	}
	return u
}

func (ss *staffSite) aspUID(userID int64) string {
	ss.T.Helper()
	var uid string
	if err := ss.DB.NewRaw("SELECT asp_uid FROM job_seeker_profile WHERE user_id = ?", userID).Scan(context.Background(), &uid); err != nil {
		ss.T.Fatal(err)
	}
	return uid
}

func TestFS3437Pages_OnlyStaffWithThePermission(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		c := site.Company(org.EI, "Recyclerie")
		employer := site.Member(org.TypeCompany, c.ID, "pro@example.org", "Pat", "Pro")
		p := site.Prescriber(org.ML, "Mission locale", true)
		prescriber := site.Member(org.TypePrescriber, p.ID, "ml@example.org", "Mia", "Ml")
		allowed := site.LoginAs(site.allowed3437())
		webtest.WantBody(t, allowed.Get(fs3437Path), "<h1>Fiches salarié en erreur 3437</h1>", `id="fs3437-export-link"`, `id="id_wet_run"`)
		webtest.WantStatus(t, allowed.Get(fs3437Path+"/export"), http.StatusOK)
		webtest.WantBody(t, allowed.Get("/staff/"), `href="/staff/fiches-salarie/3437"`)

		anonymous := site.Browser()
		for _, path := range []string{fs3437Path, fs3437Path + "/export"} {
			webtest.WantRedirect(t, anonymous.Get(path), "/accounts/login?next="+url.QueryEscape(path))
		}
		refused := map[string]*webtest.Browser{"employer": site.LoginAs(employer), "prescriber": site.LoginAs(prescriber),
			"staff without the permission": site.LoginAs(site.staff)}
		data := answer3437(t, [2]string{ourASPID, newASPID})
		for who, b := range refused {
			for _, path := range []string{fs3437Path, fs3437Path + "/export"} {
				if res := b.Get(path); res.StatusCode != http.StatusForbidden || strings.Contains(res.Body, "idItou") {
					t.Errorf("%s GET %s: %d, want 403", who, path, res.StatusCode)
				}
			}
			if res := b.PostMultipart(fs3437Path, url.Values{"wet_run": {"on"}}, map[string][]byte{"file": data}); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s POST: %d, want 403", who, res.StatusCode)
			}
		}
		if res := anonymous.PostMultipart(fs3437Path, url.Values{"wet_run": {"on"}}, map[string][]byte{"file": data}); res.StatusCode != http.StatusForbidden {
			t.Errorf("anonymous POST: %d", res.StatusCode)
		}
		if n, _ := d.NewSelect().TableExpr("audit_event").Where("action = 'job_seeker.asp_uid_changed'").Count(context.Background()); n != 0 {
			t.Errorf("a refused import changed %d ids", n)
		}
	})
}

func TestFS3437Import_ASimulationThenTheRealRunGiveTheJobSeekerTheASPsId(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		ctx := context.Background()
		seeker := site.CreateJobSeeker("seeker@example.org")
		if _, err := d.NewRaw("INSERT INTO job_seeker_profile (user_id, asp_uid, updated_at) VALUES (?, ?, ?)", seeker.ID, ourASPID, time.Now()).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		b := site.LoginAs(site.allowed3437())

		res := b.Get(fs3437Path + "/export")
		if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="export_fs_3437_`) || !strings.HasSuffix(cd, `.csv"`) ||
			res.Body != "\ufeffidItou;nomUsage;prenom;dateNaissance;numeroIDE;NIR;NTT;passIae;siret;mesure;horodatage\n" {
			t.Errorf("export %q:\n%q", cd, res.Body)
		}

		data := answer3437(t, [2]string{ourASPID, newASPID}, [2]string{"ffffffffffffffffffffffffffffff", newASPID}, [2]string{ourASPID, "Salarié inconnu"})
		res = b.PostMultipart(fs3437Path, nil, map[string][]byte{"file": data})
		webtest.WantStatus(t, res, http.StatusOK)
		webtest.WantBody(t, res, "Résultat de la simulation", "Identifiant à remplacer", "Candidat non trouvé", `href="/staff/users/`+seeker.PublicID+`"`)
		if strings.Count(res.Body, "<tr>") != 3 { // the head and the two kept rows
			t.Errorf("%d table rows:\n%s", strings.Count(res.Body, "<tr>"), res.Body)
		}
		if site.aspUID(seeker.ID) != ourASPID {
			t.Fatal("the simulation changed the id")
		}
		res = b.PostMultipart(fs3437Path, url.Values{"wet_run": {"on"}}, map[string][]byte{"file": data})
		webtest.WantBody(t, res, "Résultat de l'import", "Identifiant remplacé", "1 identifiant(s) remplacé(s)")
		if site.aspUID(seeker.ID) != newASPID {
			t.Errorf("id after the import: %s", site.aspUID(seeker.ID))
		}
	})
}

func TestFS3437Import_RefusesWhatIsNotTheASPsWorkbook(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := newStaffSite(t, d)
		b := site.LoginAs(site.allowed3437())
		for name, tt := range map[string]struct {
			files map[string][]byte
			want  string
		}{
			"no file":          {nil, "Choisissez le fichier de retour de l&#39;ASP."},
			"a PDF":            {map[string][]byte{"file": []byte("%PDF-1.4\n")}, "Le fichier doit être un classeur Excel (.xlsx)."},
			"too large":        {map[string][]byte{"file": make([]byte, 1<<20+1)}, "Le fichier ne doit pas dépasser 1 Mo."},
			"another workbook": {map[string][]byte{"file": xlsxtest.Workbook()}, "La colonne « idItou » manque."},
		} {
			res := b.PostMultipart(fs3437Path, url.Values{"wet_run": {"on"}}, tt.files)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tt.want) || !strings.Contains(res.Body, `aria-invalid="true"`) {
				t.Errorf("%s: %d, want 422 with %q", name, res.StatusCode, tt.want)
			}
		}
	})
}
