package employeerecord

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"emplois/internal/account"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/xlsx/xlsxtest"
)

// workbook is a real .xlsx of one sheet with these rows (a float64 cell is a date cell's day
// number).
func workbook(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	ourID = "0123456789abcdef0123456789abcd"
	aspID = "fedcba9876543210fedcba98765432"
)

func TestRead3437_KeepsTheRowsWithAnIdItouAndANewIdOf30LowercaseHexCharacters(t *testing.T) {
	data := workbook(t,
		[]any{"idItou", "nomUsage", "dateNaissance", " Commentaires "},
		[]any{ourID, "MARTIN", 33010.0, aspID},
		[]any{"", "SANS ID", "", aspID},
		[]any{ourID, "", "", strings.ToUpper(aspID)},
		[]any{ourID, "", "", aspID[:29]},
		[]any{ourID, "", "", "Salarié inconnu"},
		[]any{"x", "DUPONT", "17/05/1990", ourID},
	)
	rows, err := Read3437(data)
	if err != nil || len(rows) != 2 {
		t.Fatalf("rows %+v %v", rows, err)
	}
	if r := rows[0]; r.Line != 2 || r.IDItou != ourID || r.NewID != aspID || r.Facts.LastName != "MARTIN" || r.Facts.Birthdate != "17/05/1990" {
		t.Errorf("first row %+v", r)
	}
	if r := rows[1]; r.Line != 7 || r.IDItou != "x" || r.Facts.Birthdate != "17/05/1990" {
		t.Errorf("last row %+v", r)
	}
}

func TestRead3437_RefusesAFileThatIsNotTheASPsAnswer(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"not a workbook", []byte("idItou;Commentaires\n"), "classeur Excel (.xlsx)"},
		{"too large", make([]byte, Max3437Bytes+1), "1 Mo"},
		{"no Commentaires", workbook(t, []any{"idItou", "nomUsage"}, []any{ourID, "MARTIN"}), "« Commentaires » manque"},
		{"another workbook", xlsxtest.Workbook(), "« idItou » manque"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read3437(tt.data)
			if fes := fault.FieldsOf(err); len(fes) != 1 || fes[0].Field != Field3437File || !strings.Contains(fes[0].Message, tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestDifferences_NamesWithoutCaseAndOnlyWhatAFileGives(t *testing.T) {
	ours := PersonFacts{LastName: "Martin", FirstName: "Julie", Birthdate: "17/05/1990", NIR: "290057512300001", FTID: "1234567A"}
	tests := []struct {
		name   string
		theirs PersonFacts
		given  bool
		want   string
	}{
		{"same person", PersonFacts{LastName: "MARTIN", FirstName: "julie", Birthdate: "17/05/1990", NIR: "290057512300001", FTID: "1234567A"}, false, ""},
		{"a file's empty cells say nothing", PersonFacts{LastName: "MARTIN"}, true, ""},
		{"another profile's empty facts differ", PersonFacts{LastName: "MARTIN", FirstName: "Julie", Birthdate: "17/05/1990"}, false, "NIR,Identifiant France Travail"},
		{"born another day", PersonFacts{Birthdate: "18/05/1990"}, true, "Date de naissance"},
		{"another name", PersonFacts{LastName: "Durand", FirstName: "Julia"}, true, "Nom,Prénom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fields []string
			for _, d := range Differences(ours, tt.theirs, tt.given) {
				fields = append(fields, d.Field)
			}
			if got := strings.Join(fields, ","); got != tt.want {
				t.Errorf("differences %q, want %q", got, tt.want)
			}
		})
	}
}

// staffMember is an active staff account, holding the 3437 permission when allowed.
func (f *fixture) staffMember(allowed bool) actor.Actor {
	id := f.user(actor.Staff, "")
	if allowed {
		f.exec("INSERT INTO staff_permission (user_id, permission, created_at) VALUES (?, ?, ?)", id, account.PermEmployeeRecords3437, f.today)
	}
	return actor.Actor{UserID: id, Kind: actor.Staff, ClientIP: "192.0.2.9"}
}

// rejected3437 is a fiche of a new employee that the ASP rejected with 3437, and the employee.
func (f *exchangeFixture) rejected3437(number string) (*Record, int64) {
	f.t.Helper()
	r := f.ready(number)
	f.exec("UPDATE employee_record SET status = 'REJECTED', asp_processing_code = '3437', asp_batch_file = 'RIAE_FS_20260301090000.json', asp_batch_line_number = ?, updated_at = ? WHERE id = ?",
		r.ID, f.today.Add(time.Duration(f.next())*time.Minute), r.ID)
	var jobSeeker int64
	if err := f.d.NewRaw("SELECT job_seeker_id FROM job_application WHERE id = ?", r.JobApplicationID).Scan(context.Background(), &jobSeeker); err != nil {
		f.t.Fatal(err)
	}
	return r, jobSeeker
}

func (f *fixture) aspUID(jobSeeker int64) string {
	f.t.Helper()
	var uid string
	if err := f.d.NewRaw("SELECT asp_uid FROM job_seeker_profile WHERE user_id = ?", jobSeeker).Scan(context.Background(), &uid); err != nil {
		f.t.Fatal(err)
	}
	return uid
}

func TestRegularisation3437_ExportThenImportGivesTheASPsIdAndSendsTheFichesAgain(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f, ctx := newExchangeFixture(t, d), context.Background()
		staff := f.staffMember(true)
		older, olderPerson := f.rejected3437("999990000001")
		fiche, person := f.rejected3437("999990000002")
		f.ready("999990000003") // READY: not in the export
		holder := f.employee()
		var csv bytes.Buffer
		if err := f.svc.Export3437(ctx, staff, &csv); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(csv.String(), "\n"), "\n")
		if len(lines) != 3 || lines[0] != "\ufeffidItou;nomUsage;prenom;dateNaissance;numeroIDE;NIR;NTT;passIae;siret;mesure;horodatage" {
			t.Fatalf("export:\n%s", csv.String())
		}
		var last string
		if err := d.NewRaw("SELECT last_name FROM users WHERE id = ?", person).Scan(ctx, &last); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("%s;%s;Julie;17/05/1990;;2900575123%05d;;999990000002;%s;AI_DC;RIAE_FS_20260301090000.json", f.aspUID(person), last, person, motherSIRET)
		if lines[1] != want || !strings.Contains(lines[2], ";999990000001;") {
			t.Errorf("export rows, newest change first:\n%s\nwant first\n%s", csv.String(), want)
		}
		if name := Export3437FileName(time.Date(2026, 3, 2, 9, 0, 5, 0, time.UTC)); name != "export_fs_3437_20260302_100005.csv" {
			t.Errorf("file name %s", name)
		}
		ours := f.aspUID(person)
		rows := []Row3437{
			{Line: 2, IDItou: ours, NewID: aspID, Facts: PersonFacts{LastName: "DURAND"}},
			{Line: 3, IDItou: "ffffffffffffffffffffffffffffff", NewID: aspID},
			{Line: 4, IDItou: f.aspUID(holder), NewID: f.aspUID(holder)},
			{Line: 5, IDItou: f.aspUID(olderPerson), NewID: f.aspUID(holder)},
		}
		check := func(wet bool, first string) {
			t.Helper()
			got, err := f.svc.Regularise3437(ctx, staff, rows, wet)
			if err != nil || len(got) != 4 {
				t.Fatalf("wet=%v: %+v %v", wet, got, err)
			}
			if got[0].Outcome != first || len(got[0].Fiches) != 1 || got[0].Fiches[0] != fiche.PublicID ||
				len(got[0].Differences) != 1 || got[0].Differences[0] != (Difference{"Nom", last, "DURAND"}) {
				t.Errorf("free new id: %+v", got[0])
			}
			if got[1].Outcome != Outcome3437NotFound || got[2].Outcome != Outcome3437Unchanged {
				t.Errorf("unknown, unchanged: %+v %+v", got[1], got[2])
			}
			if got[3].Outcome != Outcome3437Held || got[3].Holder == "" || len(got[3].Fiches) != 1 ||
				len(got[3].HolderDifferences) != 2 || got[3].HolderDifferences[0].Field != "Nom" {
				t.Errorf("held new id: %+v", got[3])
			}
		}
		check(false, Outcome3437ToChange)
		if f.aspUID(person) != ours || f.get(fiche).Status != StatusRejected {
			t.Fatal("the dry run changed something")
		}
		check(true, Outcome3437Changed)
		// Once applied, the old id is not found any more.
		if again, err := f.svc.Regularise3437(ctx, staff, rows[:1], true); err != nil || again[0].Outcome != Outcome3437NotFound {
			t.Errorf("again: %+v %v", again, err)
		}
		if f.aspUID(person) != aspID || f.get(fiche).Status != StatusReady || f.get(older).Status != StatusRejected {
			t.Errorf("after the run: id %s, fiches %s %s", f.aspUID(person), f.get(fiche).Status, f.get(older).Status)
		}
		if n := f.count("employee_record_transition_log", "employee_record_id = ? AND transition = 'ready' AND from_status = 'REJECTED' AND user_id = ?", fiche.ID, staff.UserID); n != 1 {
			t.Errorf("%d ready logs", n)
		}
		for action, want := range map[string]int{ActionASPIDChanged: 1, ActionReady: 4, ActionExported3437: 1} {
			if n := f.count("audit_event", "action = ?", action); n != want {
				t.Errorf("%d %s audited, want %d", n, action, want)
			}
		}
	})
}

func TestRegularisation3437_OnlyStaffWithThePermission(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f, ctx := newFixture(t, d), context.Background()
		for name, a := range map[string]actor.Actor{"system": {}, "employer": f.admin, "staff without the permission": f.staffMember(false)} {
			var out bytes.Buffer
			if err := f.svc.Export3437(ctx, a, &out); !errors.Is(err, account.ErrNoPermission) || out.Len() != 0 {
				t.Errorf("%s exports: %v", name, err)
			}
			if _, err := f.svc.Regularise3437(ctx, a, []Row3437{{IDItou: ourID, NewID: aspID}}, true); !errors.Is(err, account.ErrNoPermission) {
				t.Errorf("%s imports: %v", name, err)
			}
		}
	})
}
