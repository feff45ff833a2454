package employeerecord

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"emplois/internal/jobseeker"
	"emplois/internal/org"
)

func day(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

// claire is the person of the example line of asp.md §5.5, hired by an ACI on a France
// Travail agency's candidature.
func claire() LineInput {
	birth, place, nir := day("1988-03-14"), "86194", "288038619412378"
	return LineInput{
		Record: &Record{SIRET: "12345678900017", ASPMeasure: "ACI_DC", ApprovalNumber: "999990000123"},
		Kind:   org.ACI, Title: "MME", First: "Claire", Last: "Martin",
		Profile: &jobseeker.Profile{ASPUID: "3f2a9c1e7b5d4a60c8e2f1b9d7a3c5", Birthdate: &birth, BirthPlaceCode: &place, NIR: &nir,
			HexaLaneNumber: "12", HexaLaneType: "RUE", HexaLaneName: "des Lilas", HexaCommuneCode: "37261", HexaPostCode: "37000",
			EducationLevel: "50", UnemployedSince: "03", PoleEmploiID: "12345678901", PoleEmploiSince: "03",
			HasRSAAllocation: "OUI-NM", RSAAllocationSince: "02", IsolatedParent: true},
		PASSStart: day("2025-09-02"), PASSEnd: day("2027-09-01"),
		Orienteur: "03", EmployerType: "04", BirthCountry: "100", CountryGroup: "1",
	}
}

func render(t *testing.T, lines ...Line) []byte {
	t.Helper()
	out, err := File{LignesTelechargement: lines}.Render()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// golden compares a rendered file with a pretty-printed expectation, key for key and in order.
func golden(t *testing.T, got []byte, want []byte) {
	t.Helper()
	var w bytes.Buffer
	if err := json.Compact(&w, want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, w.Bytes()) {
		t.Errorf("got\n%s\nwant\n%s", got, w.Bytes())
	}
}

func TestCreationLine_TheExampleOfTheSpecKeyForKey(t *testing.T) {
	line, err := CreationLine(claire(), 1)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/creation_aci.json")
	if err != nil {
		t.Fatal(err)
	}
	got := render(t, line)
	golden(t, got, want)
	if bytes.HasSuffix(got, []byte("\n")) || bytes.Contains(got, []byte(": ")) {
		t.Error("the file must be one compact line")
	}
}

// variant is the example file with some values replaced (old → new, in order).
func variant(t *testing.T, replacements ...string) []byte {
	t.Helper()
	want, err := os.ReadFile("testdata/creation_aci.json")
	if err != nil {
		t.Fatal(err)
	}
	s := string(want)
	for i := 0; i < len(replacements); i += 2 {
		if !strings.Contains(s, replacements[i]) {
			t.Fatalf("the example has no %q", replacements[i])
		}
		s = strings.Replace(s, replacements[i], replacements[i+1], 1)
	}
	return []byte(s)
}

func TestCreationLine_EITIFillsItsSevenFieldsAndNeverOETH(t *testing.T) {
	in := claire()
	in.Kind, in.Record.ASPMeasure = org.EITI, "EITI_DC"
	p := in.Profile
	income := int64(1234567)
	p.OETHEmployee, p.AREAllocationSince, p.ActorMetForBusinessCreation, p.MeanMonthlyIncomeCents, p.EITIContributions =
		true, "01", "Actor Étude", &income, "03"
	line, err := CreationLine(in, 1)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, render(t, line), variant(t,
		`"mesure": "ACI_DC"`, `"mesure": "EITI_DC"`,
		`"salarieBenefARE": null, "salarieBenefAREDepuis": null`, `"salarieBenefARE": true, "salarieBenefAREDepuis": "01"`,
		`"salarieBenefPrimeActivite": null`, `"salarieBenefPrimeActivite": false`,
		`"salarieBenefCAPE": null, "salarieBenefCESA": null, "nomActeurCreationEntr": null`,
		`"salarieBenefCAPE": false, "salarieBenefCESA": false, "nomActeurCreationEntr": "ACTOR ETUDE"`,
		`"revenuMensuelMoyenTI": null, "cotisationsTI": null`, `"revenuMensuelMoyenTI": "12345,67", "cotisationsTI": "03"`))
}

func TestCreationLine_BirthAbroadAndInAnOverseasCommune(t *testing.T) {
	abroad := claire()
	abroad.Profile.BirthPlaceCode, abroad.BirthCountry, abroad.CountryGroup = nil, "352", "3"
	line, err := CreationLine(abroad, 1)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, render(t, line), variant(t,
		`{"codeComInsee": "86194", "codeDpt": "086"}`, `{"codeComInsee": null, "codeDpt": "099"}`,
		`"codeInseePays": "100", "codeGroupePays": "1"`, `"codeInseePays": "352", "codeGroupePays": "3"`))

	reunion := claire()
	place := "97411"
	reunion.Profile.BirthPlaceCode = &place
	line, err = CreationLine(reunion, 1)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, render(t, line), variant(t, `{"codeComInsee": "86194", "codeDpt": "086"}`, `{"codeComInsee": "97411", "codeDpt": "974"}`))

	boraBora := claire()
	place = "98714"
	boraBora.Profile.BirthPlaceCode, boraBora.CommuneAsCountry = &place, "714"
	line, err = CreationLine(boraBora, 1)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, render(t, line), variant(t,
		`{"codeComInsee": "86194", "codeDpt": "086"}`, `{"codeComInsee": null, "codeDpt": "099"}`,
		`"codeInseePays": "100"`, `"codeInseePays": "714"`))

	noCountry := claire()
	noCountry.CountryGroup = ""
	if _, err := CreationLine(noCountry, 1); err != ErrNoBirthCountry {
		t.Errorf("no birth country: %v", err)
	}
}

func TestCreationLine_TheTestableStatementsOfTheSpec(t *testing.T) {
	in := claire()
	in.First = "Jean-Philippe René Hippolyte Gilbert Dufaël"
	in.Profile.PoleEmploiID = ""
	in.Profile.HexaLaneName = "de l'Église (Saint-Jean)"
	for _, tc := range []struct {
		additional string
		want       *string
	}{
		{"Bad additional address with %$£", nil},
		{strings.Repeat("a", 33), nil},
		{"Good additional address", ptr("Good additional address")},
		{"", nil},
	} {
		in.Profile.HexaAdditionalAddress = tc.additional
		line, err := CreationLine(in, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got := line.Adresse.AdrCpltDistribution; (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
			t.Errorf("adrCpltDistribution of %q: %v", tc.additional, got)
		}
		if line.PersonnePhysique.Prenom != "JEAN-PHILIPPE RENE HIPPOLYTE" {
			t.Errorf("prenom %q", line.PersonnePhysique.Prenom)
		}
		if s := line.SituationSalarie; s.InscritPoleEmploi || s.NumeroIDE != nil {
			t.Errorf("no France Travail id: %v %v", s.InscritPoleEmploi, s.NumeroIDE)
		}
		if line.Adresse.AdrLibelleVoie != "de l'Eglise Saint-Jean" {
			t.Errorf("adrLibelleVoie %q", line.Adresse.AdrLibelleVoie)
		}
	}
	in.Profile.PoleEmploiID = "1234567A"
	line, _ := CreationLine(in, 1)
	if s := line.SituationSalarie; !s.InscritPoleEmploi || s.NumeroIDE == nil || *s.NumeroIDE != "1234567A" {
		t.Errorf("France Travail id: %v %v", s.InscritPoleEmploi, s.NumeroIDE)
	}
	// A NIA is replaced by the fiche's NTT; the title falls back on the NIR's sex digit.
	nia := "788038619412378"
	in.Profile.NIR, in.Record.NTT, in.Title = &nia, ptr("1234567890AB"), ""
	line, _ = CreationLine(in, 1)
	if p := line.PersonnePhysique; p.SalarieNIR != "1234567890AB" || p.Civilite != nil {
		t.Errorf("NIA: %q %v", p.SalarieNIR, p.Civilite)
	}
}

func TestUpdateLine_StaticBlocksForAnIncompleteProfile(t *testing.T) {
	in := claire()
	in.Record.SIRET = "12345678900025" // the stored value, not refreshed
	in.Profile.NIR, in.Profile.BirthPlaceCode, in.Title = nil, nil, ""
	in.BirthCountry, in.CountryGroup = "", ""
	in.Profile.HexaCommuneCode = ""
	in.Profile.EducationLevel = ""
	in.Profile.ASPUID = "a08dbdb523633cfc59dfdb297307a1"
	line := UpdateLine(in, 3)
	got := string(render(t, line))
	for _, want := range []string{
		`{"numLigne":3,"typeMouvement":"M","mesure":"ACI_DC","siret":"12345678900025",`,
		`"codeComInsee":{"codeComInsee":null,"codeDpt":"099"},"codeInseePays":"102","codeGroupePays":"3"`,
		`"civilite":"M"`, `"salarieNIR":"1130030133a08dbdb523633cfc59dfdb297307a1"`,
		`"adrNumeroVoie":"3","codeextensionvoie":null,"codetypevoie":"AV","adrLibelleVoie":"DE BLIDA","adrCpltDistribution":null,"codeinseecom":"57463","codepostalcedex":"57000"`,
		`"niveauFormation":"00"`, `"inscritPoleEmploi":false,"inscritPoleEmploiDepuis":null,"numeroIDE":null`,
		`"passDateDeb":"02/09/2025","passDateFin":"01/09/2027"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("update line lacks %s\n%s", want, got)
		}
	}
	// The real NIR stays when there is one (asp.md §5.14-10).
	nir := "288038619412378"
	in.Profile.NIR, in.Title = &nir, "MME"
	if p := UpdateLine(in, 1).PersonnePhysique; p.SalarieNIR != nir || *p.CodeInseePays != "102" {
		t.Errorf("static person with a NIR: %+v", p)
	}
	// A complete profile sends its real blocks.
	if got := string(render(t, UpdateLine(claire(), 1))); !strings.Contains(got, `"codeComInsee":{"codeComInsee":"86194","codeDpt":"086"}`) ||
		!strings.Contains(got, `"codeinseecom":"37261"`) || !strings.Contains(got, `"niveauFormation":"50"`) {
		t.Errorf("complete profile: %s", got)
	}
}
