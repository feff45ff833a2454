package francetravail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/francetravail"
)

func TestNormalizeName_TheExamplesOfTheSpecification(t *testing.T) {
	for _, tc := range []struct {
		in        string
		max       int
		hyphenate bool
		want      string
	}{
		{"gh'îkñ Bind-n'qici " + strings.Repeat("b", 50), 25, false, "GH'IKN BIND-N'QICI BBBBBB"},
		{"marié%{-christine}  aéïèêë …", 13, true, "MARIE-CHRISTI"},
		{"Éloïse", 13, true, "ELOISE"},
		{"", 25, false, ""},
	} {
		if got := francetravail.NormalizeName(tc.in, tc.max, tc.hyphenate); got != tc.want {
			t.Errorf("NormalizeName(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestIndividualQuery_BodySendsTheNIRWithoutItsKeyAndEmptyStringsForWhatIsMissing(t *testing.T) {
	birth := time.Date(1985, 5, 20, 0, 0, 0, 0, time.UTC)
	b := francetravail.IndividualQuery{Birthdate: &birth, NIR: "185056912304564", LastName: "Durand", FirstName: "Jean Paul"}.Body()
	if b.NIR != "1850569123045" || b.Birthdate != "1985-05-20" || b.LastName != "DURAND" || b.FirstName != "JEAN-PAUL" {
		t.Errorf("body = %+v", b)
	}
	if e := (francetravail.IndividualQuery{LastName: "Durand", FirstName: "Jean"}).Body(); e.NIR != "" || e.Birthdate != "" {
		t.Errorf("without NIR and birth date: %+v", e)
	}
}

func TestSearchIndividualThenUpdatePASS_AgainstTheInProcessAPI(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, clk := start(t)
		c := francetravail.New(d, s.Config(), clk.now)
		birth := time.Date(1985, 5, 20, 0, 0, 0, 0, time.UTC)
		q := francetravail.IndividualQuery{Birthdate: &birth, NIR: "185056912304564", LastName: "Durand", FirstName: "Jean"}
		if got, err := c.SearchIndividual(ctx, q); err != nil || got.Found() || got.Code != "S000" {
			t.Fatalf("unknown person: %+v, %v", got, err)
		}
		s.Individual("185056912304564", "ft-id-123")
		got, err := c.SearchIndividual(ctx, q)
		if err != nil || !got.Found() || got.ID != "ft-id-123" {
			t.Fatalf("known person: %+v, %v", got, err)
		}
		u := francetravail.PASSUpdate{Start: "2026-12-01", End: "2028-11-30", IDNational: got.ID, Number: "999991234567",
			Status: "A", SIRET: "12345678901234", SIAEType: 836, Origin: "EMPL"}
		answer, err := c.UpdatePASS(ctx, u)
		if err != nil || answer.Code != francetravail.PASSUpdated {
			t.Fatalf("update: %+v, %v", answer, err)
		}
		if _, has := s.Updates()[0]["typologiePrescripteur"]; has {
			t.Error("an empty prescriber typology must be left out of the body")
		}
		s.UpdateCode("999991234567", "S022")
		if answer, err := c.UpdatePASS(ctx, u); err != nil || answer.Code != "S022" {
			t.Fatalf("refused update: %+v, %v", answer, err)
		}
		if p := s.Problems(); len(p) > 0 {
			t.Errorf("the server refused: %v", p)
		}
	})
}
