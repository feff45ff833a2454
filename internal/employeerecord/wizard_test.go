package employeerecord

import (
	"context"
	"errors"
	"strings"
	"testing"

	"emplois/internal/asp"
	"emplois/internal/jobseeker"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func TestSuggestAddress_ReadsNumberExtensionLaneTypeAndName(t *testing.T) {
	for line, want := range map[string]Address{
		"14 bis rue Nationale":   {LaneNumber: "14", StdExtension: "B", LaneType: "RUE", LaneName: "NATIONALE"},
		"3 AV DE BLIDA":          {LaneNumber: "3", LaneType: "AV", LaneName: "DE BLIDA"},
		"12, boulevard Voltaire": {LaneNumber: "12", LaneType: "BD", LaneName: "VOLTAIRE"},
		"Les Granges":            {LaneName: "LES GRANGES"},
	} {
		want.PostCode, want.CommuneCode = "59000", "59350"
		if got := SuggestAddress(line, "59000", "59350"); got != want {
			t.Errorf("%q: %+v, want %+v", line, got, want)
		}
	}
}

func TestCents_EurosWithAtMostTwoDecimals(t *testing.T) {
	for in, want := range map[string]int64{"1500": 150000, "1500,5": 150050, "12345,67": 1234567, "0.07": 7} {
		if got, ok := cents(in); !ok || got != want {
			t.Errorf("%q: %d %v", in, got, ok)
		}
	}
	for _, bad := range []string{"", "12,345", "-3", "abc", "123456"} {
		if _, ok := cents(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestWizard_TheFiveStepsMakeAReadyFiche(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f, ctx := newExchangeFixture(t, d), context.Background()
		if _, err := asp.NewStore(d).ImportCommunes(ctx, strings.NewReader("insee_code,name\n75056,Paris\n59350,Lille\n")); err != nil {
			t.Fatal(err)
		}
		annex := f.insertID(`INSERT INTO siae_financial_annex (number, state, start_at, end_at, convention_id, created_at, updated_at)
			SELECT 'ACI075190001A1M0', 'VALIDE', ?, ?, convention_id, ?, ? FROM company WHERE id = ?`,
			f.today.AddDate(-1, 0, 0), f.today.AddDate(1, 0, 0), f.today, f.today, f.antenna)
		js := f.employee()
		f.exec(`UPDATE job_seeker_profile SET nir = NULL, lack_of_nir_reason = 'NO_NIR', education_level = '', birth_country_code = NULL,
			birth_place_code = NULL, hexa_lane_number = '', hexa_lane_type = '', hexa_lane_name = '', hexa_post_code = '', hexa_commune_code = ''
			WHERE user_id = ?`, js)
		f.exec(`UPDATE users SET title = '', address_line_1 = '14 bis rue Nationale', post_code = '59000' WHERE id = ?`, js)
		hire := f.hired(js, f.antenna, "999990000001", f.today.AddDate(0, -1, 0))

		key, err := f.svc.StartWizard(ctx, f.admin, hire)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.WizardOf(ctx, f.member(f.antenna, true), key); !errors.Is(err, ErrNotFound) {
			t.Errorf("another admin's key: %v", err)
		}
		w, err := f.svc.WizardOf(ctx, f.admin, key)
		if err != nil || !w.NeedsNTT() || w.Suggested.LaneType != "RUE" || w.Suggested.StdExtension != "B" {
			t.Fatalf("wizard %+v %v", w, err)
		}

		// 1 « État civil »: refused whole, then saved.
		err = f.svc.SaveCivil(ctx, f.admin, key, CivilInput{BirthCountry: "99100"})
		for _, field := range []string{"title", "birth_place", "ntt"} {
			wantField(t, err, field)
		}
		if n := f.count("users", "id = ? AND title = ''", js); n != 1 {
			t.Error("a refused step changed the profile")
		}
		if err := f.svc.SaveCivil(ctx, f.admin, key, CivilInput{Title: "MME", BirthCountry: "99100", BirthPlace: "75056", NTT: "1234567890ab"}); err != nil {
			t.Fatal(err)
		}
		// 2 « Domiciliation »: all or nothing.
		wantField(t, f.svc.SaveAddress(ctx, f.admin, key, Address{LaneType: "RUE", LaneName: "Nationale"}), "hexa_post_code")
		wantField(t, f.svc.SaveAddress(ctx, f.admin, key, Address{LaneType: "XYZ", LaneName: "Nationale", PostCode: "59000", CommuneCode: "59350"}), "hexa_lane_type")
		address := w.Suggested
		address.CommuneCode = "59350" // the postal address had no commune: the employer picks it
		if err := f.svc.SaveAddress(ctx, f.admin, key, address); err != nil {
			t.Fatal(err)
		}
		// 3 « Situation »: creates the fiche with the NTT of step 1.
		situation := jobseeker.SituationInput{LackOfPoleEmploiIDReason: jobseeker.FTNotRegistered, HasRSAAllocation: jobseeker.RSANo}
		wantField(t, f.svc.SaveSituation(ctx, f.admin, key, situation, EITIInput{}), "education_level")
		if n := f.count("employee_record", "TRUE"); n != 0 {
			t.Fatal("a refused situation created the fiche")
		}
		situation.EducationLevel = "40"
		if err := f.svc.SaveSituation(ctx, f.admin, key, situation, EITIInput{}); err != nil {
			t.Fatal(err)
		}
		if w, err = f.svc.WizardOf(ctx, f.admin, key); err != nil || w.Record == nil || deref(w.Record.NTT) != "1234567890AB" {
			t.Fatalf("after step 3: %+v %v", w, err)
		}
		// 4 « Annexe financière »: one of the convention's in force.
		if err := f.svc.SaveAnnex(ctx, f.admin, key, annex+1000); !errors.Is(err, ErrNoAnnex) {
			t.Errorf("a foreign annex: %v", err)
		}
		if err := f.svc.SaveAnnex(ctx, f.admin, key, annex); err != nil {
			t.Fatal(err)
		}
		// 5 « Validation ».
		r, err := f.svc.FinishWizard(ctx, f.admin, key)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != StatusReady || r.FinancialAnnexID == nil || *r.FinancialAnnexID != annex {
			t.Errorf("finished %+v", r)
		}
		if _, err := f.svc.WizardOf(ctx, f.admin, key); !errors.Is(err, ErrNotFound) {
			t.Errorf("the journey is still open: %v", err)
		}
		// A READY fiche is not opened again (§2.15).
		if _, err := f.svc.StartWizard(ctx, f.admin, hire); !isConflict(err) {
			t.Errorf("wizard on a READY fiche: %v", err)
		}
		// Its line goes to the ASP as the wizard filled it.
		if rep, err := f.x.UploadRecords(ctx); err != nil || rep.Sent != 1 {
			t.Fatalf("upload %+v %v", rep, err)
		}
		got := f.get(r)
		for _, want := range []string{`"salarieNIR":"1234567890AB"`, `"codeComInsee":{"codeComInsee":"75056","codeDpt":"075"}`,
			`"adrNumeroVoie":"14","codeextensionvoie":"B","codetypevoie":"RUE","adrLibelleVoie":"NATIONALE"`, `"niveauFormation":"40"`} {
			if !strings.Contains(*got.ArchivedJSON, want) {
				t.Errorf("line lacks %s:\n%s", want, *got.ArchivedJSON)
			}
		}
	})
}
