package convention

import (
	"archive/zip"
	"bytes"
	"compress/gzip"

	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

func TestImport_FirstRunCreatesTheActiveStructuresTheirConventionsAnnexesAndActivationMails(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sum, out, err := f.importFixtures(fixtureNow)
		if err != nil {
			t.Fatal(err)
		}
		// 112 ACI, 768 AI, 2855 ACI, 4001 ETTI; 1780 has only ended annexes, 3000 has no auth e-mail.
		if sum.CompaniesCreated != 4 || sum.ConventionsCreated != 4 || sum.AnnexesCreated != 8 {
			t.Fatalf("summary %+v\n%s", sum, out)
		}
		if n := f.count(`SELECT count(*) FROM mail_outbox WHERE subject LIKE 'Activez le compte de votre % sur les emplois de l''inclusion'
			AND text_body LIKE '%https://emplois.example.org/signup/employer/select%'`); n != 4 {
			t.Errorf("%d activation mails with the signup link, want 4", n)
		}
		if n := f.count(`SELECT count(*) FROM mail_outbox WHERE subject = ?`, `Activez le compte de votre AI AI "LE RELAIS sur les emplois de l'inclusion`); n != 1 {
			t.Errorf("the name with a lone quote was not kept whole")
		}
		var c org.Company
		if err := d.NewSelect().Model(&c).Relation("Convention").Where("co.siret = '34950857200055'").Scan(f.ctx); err != nil {
			t.Fatal(err)
		}
		if c.Phone != "" || c.Kind != org.AI || c.Source != org.SourceASP || c.AddressLine1 != "BAT A" || c.Department != "13" ||
			c.Convention.ASPID != 768 || c.Convention.SiretSignature != "34950857200048" || !c.Convention.IsActive {
			t.Errorf("company 768: %+v, convention %+v", c, c.Convention)
		}
		if err := d.NewSelect().Model(&c).Where("co.siret = '21540323900019'").Scan(f.ctx); err != nil {
			t.Fatal(err)
		}
		if c.AddressLine1 != "17 RUE LAMARTINE" || c.AddressLine2 != "BP 8" || c.Phone != "0387864321" || c.AuthEmail != "contact-112@example.org" || c.Email != "" {
			t.Errorf("company 112: %+v", c)
		}
		for _, want := range []string{
			"Selected file fluxIAE_Structure_07102022_085817.csv for Vue Structure.",
			"Loading 6 rows for fluxIAE_Structure ...",
			"1 rows without structure_adresse_mail_corresp_technique ignored (lines 7)",
			"--- beginning of CSV output of all creatable_siaes ---\nsiret;kind;department;name;address\n21540323900019;ACI;57;ATELIER DU SAULNOIS;17 RUE LAMARTINE, BP 8, 57340 MORHANGE\n",
			"4 structures have been created\n3 structures will have geolocation\nwill create 4 conventions\nwill delete 0 conventions\nwill create 8 financial annexes\nwill delete 0 financial annexes\n",
			"All done!\n",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("report lacks %q:\n%s", want, out)
			}
		}
	})
}

func TestImport_SecondRunOfTheSameFilesChangesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, _, err := f.importFixtures(fixtureNow); err != nil {
			t.Fatal(err)
		}
		sum, out, err := f.importFixtures(fixtureNow.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if sum != (Summary{}) {
			t.Errorf("second run did %+v\n%s", sum, out)
		}
		if n := f.count(`SELECT count(*) FROM siae_financial_annex WHERE updated_at <> created_at`); n != 0 {
			t.Errorf("%d unchanged annexes were saved again", n)
		}
	})
}

func TestImport_WithoutWetRunReportsEverythingAndWritesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sum, out, err := f.importFiles(structuresFixture, annexesFixture, fixtureNow, false)
		if !errors.Is(err, ErrDryRun) {
			t.Fatalf("err = %v, want the dry run error", err)
		}
		if sum.CompaniesCreated != 4 || !strings.Contains(out, "4 structures have been created") || strings.Contains(out, "All done!") {
			t.Errorf("summary %+v, report:\n%s", sum, out)
		}
		if n := f.count(`SELECT (SELECT count(*) FROM company) + (SELECT count(*) FROM siae_convention) + (SELECT count(*) FROM mail_outbox)`); n != 0 {
			t.Errorf("a dry run wrote %d rows", n)
		}
	})
}

func TestImport_RefusesABadFileWholeWithItsLineAndWritesNothing(t *testing.T) {
	cases := []struct {
		name, file, old, new, want string
	}{
		{"a SIRET of 13 digits", structuresFixture, "|34950857200055|", "|3495085720005|",
			"ligne 4, champ structure_siret_actualise : SIRET « 3495085720005 » : 14 chiffres sont attendus"},
		{"two SIREN", structuresFixture, "|34950857200048|", "|34950857300048|", "ligne 4, champ structure_siret_signature"},
		{"a bad NAF", structuresFixture, "|7830Z|", "|783Z|", "ligne 4, champ structure_code_naf"},
		{"a bad date", annexesFixture, "01/01/2022|31/03/2023", "01/01/2022|31/13/2023",
			"ligne 6, champ af_date_fin_effet : date « 31/13/2023 » : le format jj/mm/aaaa est attendu"},
		{"a bad annex number", annexesFixture, "|AI013180004|", "|AI01318004|", "ligne 6, champ af_numero_annexe_financiere"},
		{"an unknown state", annexesFixture, "|PROVISOIRE|", "|PROVISORE|", "ligne 6, champ af_etat_annexe_financiere_code"},
		{"a missing FIN line", annexesFixture, "FIN16|||||||||\n", "", "la dernière ligne (ligne 18) doit être le pied « FIN<nombre de lignes> »"},
		{"a FIN count that is wrong", structuresFixture, "FIN6|", "FIN7|", "annonce « 7 » lignes mais le fichier en contient 6"},
		{"no DEB line", structuresFixture, "DEBStructure07102022_085817|||||||||||||||||\n", "", "la ligne 1 doit être l'en-tête « DEB… »"},
		{"a missing column", annexesFixture, "|af_etat_annexe_financiere_code|", "|af_etat|", "la colonne « af_etat_annexe_financiere_code » est absente"},
		{"two active lines of one number", annexesFixture, "SAISI|01/01/2022|30/06/2022", "VALIDE|01/02/2022|31/12/2022",
			"l'annexe ACI972220001A0M0 est active sur deux lignes différentes (lignes 12 et 13)"},
	}
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for _, tc := range cases {
			structures, annexes := structuresFixture, annexesFixture
			p := writeFile(t, filepath.Base(tc.file), fixtureWith(t, tc.file, tc.old, tc.new))
			if tc.file == structuresFixture {
				structures = p
			} else {
				annexes = p
			}
			_, _, err := f.importFiles(structures, annexes, fixtureNow, true)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
			}
			if n := f.count(`SELECT count(*) FROM company`); n != 0 {
				t.Fatalf("%s: %d companies written", tc.name, n)
			}
		}
	})
}

func TestImport_ReadsGzipAZipNamedGzAndRefusesRiae(t *testing.T) {
	raw, err := os.ReadFile(structuresFixture)
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(raw)
	w.Close()
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	e, _ := zw.Create("fluxIAE_Structure_07102022_085817.csv")
	e.Write(raw)
	zw.Close()
	for name, content := range map[string][]byte{"fluxIAE_Structure_07102022_085817.csv.gz": gz.Bytes(), "fluxIAE_Structure_x.csv.gz": zb.Bytes()} {
		tab, err := readTable(writeFile(t, name, string(content)), StructureColumns)
		if err != nil || len(tab.rows) != 6 || tab.rows[0].line != 3 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := readTable(writeFile(t, "fluxIAE_Structure_x.csv.riae", "PK"), StructureColumns); err == nil ||
		!strings.Contains(err.Error(), ".riae ne sont pas prises en charge") {
		t.Errorf("riae: %v", err)
	}
}

// asp.md §1.11 statements 1–3: conventions created for ASP companies without one.
func TestCreateConventions_FollowsTheKeyStateOfTheStructure(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.company("21540323900019", org.ACI, org.SourceASP, 0, "")
		f.company("34950857200055", org.AI, org.SourceASP, 0, "")
		f.company("41294123900011", org.ACI, org.SourceASP, 0, "")
		if _, err := f.step(fixtureNow, (*run).createConventions); err != nil {
			t.Fatal(err)
		}
		c := f.conventionOf("21540323900019", org.ACI)
		if c.ASPID != 112 || c.SiretSignature != "21540323900019" || !c.IsActive || c.DeactivatedAt != nil {
			t.Errorf("112: %+v", c)
		}
		if c := f.conventionOf("34950857200055", org.AI); c.ASPID != 768 || c.SiretSignature != "34950857200048" || !c.IsActive {
			t.Errorf("768: %+v", c)
		}
		c = f.conventionOf("41294123900011", org.ACI)
		if c.ASPID != 1780 || c.IsActive || c.DeactivatedAt == nil || !c.DeactivatedAt.Equal(time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("1780: %+v", c)
		}
	})
}

// Statement 4.
func TestCreateConventions_AbortsWhenTheKeyAlreadyHasAConvention(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		conv := f.convention(112, org.ACI, "21540323900019", nil)
		f.company("21540323900099", org.ACI, org.SourceUserCreated, conv, "")
		f.company("21540323900019", org.ACI, org.SourceASP, 0, "")
		if _, err := f.step(fixtureNow, (*run).createConventions); err == nil || !strings.Contains(err.Error(), "existe déjà") {
			t.Fatalf("err = %v", err)
		}
	})
}

// Statement 5.
func TestSyncAnnexes_DeletesCreatesAndLeavesIdenticalAnnexesUnsaved(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		conv := f.convention(2855, org.ACI, "44229377500031", nil)
		f.company("44229377500031", org.ACI, org.SourceASP, conv, "")
		f.annex(conv, "ACI972990001A0M0", org.AnnexValid, day("2022-01-01"), day("2022-12-31")) // not in the file
		f.annex(conv, "ACI972180023A0M0", org.AnnexArchived, day("2018-07-01"), day("2018-12-31"))
		out, err := f.step(fixtureNow, (*run).syncAnnexes)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "will create 3 financial annexes\nwill delete 1 financial annexes") {
			t.Errorf("report:\n%s", out)
		}
		if n := f.count(`SELECT count(*) FROM siae_financial_annex WHERE number = 'ACI972180023A0M0' AND updated_at = created_at`); n != 1 {
			t.Error("the identical annex was saved again")
		}
		if n := f.count(`SELECT count(*) FROM siae_financial_annex WHERE number IN ('ACI972180023A0M1', 'ACI972220001A0M0')
			OR (number = 'ACI972190115A2M3' AND state = 'VALIDE')`); n != 3 {
			t.Errorf("%d of the 3 annexes created", n)
		}
	})
}

// Statement 7.
func TestImport_MovesAnASPCompanyToItsNewSIRETAndRecordsItInTheHistory(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		conv := f.convention(112, org.ACI, "21540323900019", nil)
		f.company("21540323900000", org.ACI, org.SourceASP, conv, "old@example.org")
		sum, out, err := f.importFixtures(fixtureNow)
		if err != nil {
			t.Fatal(err)
		}
		if sum.SIRETsChanged != 1 || !strings.Contains(out, "has changed siret from 21540323900000 to 21540323900019 (will be updated)") {
			t.Errorf("summary %+v\n%s", sum, out)
		}
		if n := f.count(`SELECT count(*) FROM company WHERE siret = '21540323900019' AND kind = 'ACI' AND auth_email = 'contact-112@example.org'`); n != 1 {
			t.Error("the company did not move")
		}
		var details string
		if err := d.NewRaw(`SELECT details FROM audit_event WHERE action = ?`, ActionSIRETChanged).Scan(f.ctx, &details); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(details, `"before":{"siret":"21540323900000"}`) || !strings.Contains(details, `"after":{"siret":"21540323900019"}`) {
			t.Errorf("history %s", details)
		}
	})
}

// Statement 8.
func TestCreateCompanies_AbortsOnASIRETMismatchLeftBeforeTheSync(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		conv := f.convention(112, org.ACI, "21540323900019", nil)
		id := f.company("21540323900000", org.ACI, org.SourceASP, conv, "")
		_, err := f.step(fixtureNow, (*run).createCompanies)
		if err == nil || !strings.Contains(err.Error(), "SIRET mismatch on siae "+strconv.FormatInt(id, 10)) {
			t.Fatalf("err = %v", err)
		}
	})
}

// Statement 10.
func TestCheckSignup_CountsTheCompaniesNobodyCanJoin(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.company("90000000000011", org.GEIQ, org.SourceGEIQ, 0, "")                  // no member: 1
		f.member(f.company("90000000000012", org.GEIQ, org.SourceGEIQ, 0, ""), true)  // active member: 0
		f.member(f.company("90000000000013", org.GEIQ, org.SourceGEIQ, 0, ""), false) // inactive member: 1
		f.company("90000000000014", org.GEIQ, org.SourceGEIQ, 0, "geiq@example.org")  // auth e-mail: 0
		out, err := f.step(fixtureNow, (*run).checkSignup)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(out, "ERROR: signup is impossible"); n != 2 {
			t.Errorf("%d errors:\n%s", n, out)
		}
	})
}

// Statement 11.
func TestCleanGracePeriod_DeletesOrHidesWhatIsPastItsGrace(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		gone := fixtureNow.AddDate(0, 0, -31)
		empty := f.company("60000000000011", org.ACI, org.SourceASP, f.convention(9001, org.ACI, "60000000000011", &gone), "")
		busy := f.company("60000000000012", org.ACI, org.SourceASP, f.convention(9002, org.ACI, "60000000000012", &gone), "")
		f.application(busy)
		hidden := f.company("60000000000013", org.ACI, org.SourceASP, f.convention(9003, org.ACI, "60000000000013", &gone), "")
		f.application(hidden)
		f.exec(`UPDATE company SET is_searchable = FALSE WHERE id = ?`, hidden)
		recent := fixtureNow.AddDate(0, 0, -29)
		f.company("60000000000014", org.ACI, org.SourceASP, f.convention(9004, org.ACI, "60000000000014", &recent), "")
		out, err := f.step(fixtureNow, (*run).cleanGracePeriod)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "1 siaes past their grace period have been deleted\n1 siaes past their grace period cannot be deleted but have been removed from the search results") {
			t.Errorf("report:\n%s", out)
		}
		if f.count(`SELECT count(*) FROM company WHERE id = ?`, empty) != 0 || f.count(`SELECT count(*) FROM company WHERE id = ? AND NOT is_searchable`, busy) != 1 ||
			f.count(`SELECT count(*) FROM company`) != 3 {
			t.Error("wrong companies deleted or hidden")
		}
	})
}

// Statement 14, through a whole run: a structure still in the file whose annexes all ended.
func TestImport_KeepsAConventionStaffReactivatedLessThan90DaysAgo(t *testing.T) {
	for _, tc := range []struct {
		daysAgo int
		active  bool
	}{{89, true}, {91, false}} {
		dbtest.Run(t, func(t *testing.T, d *db.DB) {
			f := newFixture(t, d)
			conv := f.convention(1780, org.ACI, "41294123900011", nil)
			f.exec(`UPDATE siae_convention SET reactivated_at = ? WHERE id = ?`, fixtureNow.AddDate(0, 0, -tc.daysAgo), conv)
			id := f.company("41294123900011", org.ACI, org.SourceASP, conv, "")
			f.application(id)
			if _, out, err := f.importFixtures(fixtureNow); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if c := f.conventionOf("41294123900011", org.ACI); c.IsActive != tc.active {
				t.Errorf("reactivated %d days ago: active = %v", tc.daysAgo, c.IsActive)
			}
		})
	}
}

func TestImport_DeletesMemberlessAntennasAndConvertsAnAntennaTheFileNames(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		conv := f.convention(9999, org.ETTI, "51111111100037", nil)
		antenna := f.company("51111111100011", org.ETTI, org.SourceUserCreated, conv, "")
		f.member(antenna, true)
		f.company("51111111100029", org.ETTI, org.SourceUserCreated, conv, "")
		_, out, err := f.importFixtures(fixtureNow)
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if !strings.Contains(out, "is user created and has no member thus will be deleted") || f.count(`SELECT count(*) FROM company WHERE siret = '51111111100029'`) != 0 {
			t.Errorf("the memberless antenna stays:\n%s", out)
		}
		if !strings.Contains(out, "already exists with wrong source=USER_CREATED (source will be fixed to ASP)") ||
			f.count(`SELECT count(*) FROM company WHERE id = ? AND source = 'ASP' AND convention_id IS NOT NULL`, antenna) != 1 {
			t.Errorf("the antenna was not converted:\n%s", out)
		}
	})
}
