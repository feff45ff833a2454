package approval_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"emplois/internal/approval"
	"emplois/internal/org"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/web/webtest"
)

func TestCertificate_ShowsEveryItemToTheHiringSIAEOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		site := webtest.New(t, d).WithDemoCommunes()
		w := newWorld(t, site)
		// The diagnosis was made by a named prescriber of a named organization (§4-6).
		afpa := site.Prescriber(org.AFPA, "AFPA de Lyon", true)
		author := site.Member(org.TypePrescriber, afpa.ID, "conseil@afpa.example", "Claire", "Conseil")
		if _, err := site.DB.NewRaw(`UPDATE eligibility_diagnosis SET author_id = ?, author_prescriber_organization_id = ? WHERE id = ?`,
			author.ID, afpa.ID, *w.pass.EligibilityDiagnosisID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		path := "/approvals/display/" + w.pass.PublicID
		b := site.LoginAs(w.employer)
		res := b.Get(path)
		webtest.WantStatus(t, res, http.StatusOK)
		if got := res.Title(t); !strings.HasPrefix(got, "Attestation de délivrance d&#39;agrément pour Léa Durand") {
			t.Errorf("title %q", got)
		}
		start := w.pass.StartAt.Format("02/01/2006")
		wantText(t, res, "Imprimé le ", approval.HelpURL, "Votre structure", "La Recyclerie", "1 rue A", "Références à rappeler",
			w.pass.DisplayNumber(), "PASS IAE délivré par la plateforme de l'inclusion", "Date de début : <span id=\"certificate-start\">"+start,
			"Identifiant France Travail : <span id=\"certificate-ft\">12345678901", approval.CertificateSubject,
			"diagnostic individuel réalisé par Claire Conseil (AFPA de Lyon) de la situation de DURAND Léa",
			"Nombre de jours restants sur le PASS IAE", "jours (Environ", "Imprimer ce PASS IAE", `data-print hidden`)

		pdf := b.Get(path + "/pdf")
		webtest.WantStatus(t, pdf, http.StatusOK)
		if ct := pdf.Header.Get("Content-Type"); ct != "application/pdf" {
			t.Fatalf("content type %q", ct)
		}
		text := pdfText(t, pdf.Body)
		for _, want := range []string{w.pass.DisplayNumber(), "Votre structure", "La Recyclerie", "Date de d\xe9but : " + start,
			"Identifiant France Travail : 12345678901", "de la situation de DURAND", "Nombre de jours restants"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q:\n%s", want, text)
			}
		}

		// Another SIAE, a GEIQ that received a candidature, an SIAE whose candidature was not
		// accepted, the holder and staff: none gets it (§7: upstream did not check the link).
		other := site.EmployerOf(site.Company(org.EI, "Autre SIAE"), "rh@autre.example")
		geiq := site.Company(org.GEIQ, "Le GEIQ")
		site.Candidature(w.js, geiq, "new", nil)
		pending := site.Company(org.AI, "SIAE en attente")
		site.Candidature(w.js, pending, "new", nil)
		webtest.WantStatus(t, site.LoginAs(other).Get(path), http.StatusNotFound)
		webtest.WantStatus(t, site.LoginAs(other).Get(path+"/pdf"), http.StatusNotFound)
		webtest.WantStatus(t, site.LoginAs(site.EmployerOf(geiq, "rh@geiq.example")).Get(path), http.StatusForbidden)
		webtest.WantStatus(t, site.LoginAs(site.EmployerOf(pending, "rh@pending.example")).Get(path), http.StatusNotFound)
		webtest.WantStatus(t, site.LoginAs(w.js).Get(path), http.StatusForbidden)
	})
}

// wantText is webtest.WantBody on the page as a reader sees it (entities decoded).
func wantText(t *testing.T, res *webtest.Response, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(res.Text(), p) {
			t.Errorf("the page lacks %q", p)
		}
	}
}

var pdfStream = regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)
var pdfString = regexp.MustCompile(`\(((?:\\.|[^\\)])*)\)\s*Tj`)

// pdfText checks the header and the page count of a PDF and returns the text of its content
// streams (Windows-1252 bytes, as the standard fonts take them).
func pdfText(t *testing.T, body string) string {
	t.Helper()
	if !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("not a PDF: %q", body[:min(len(body), 20)])
	}
	if n := strings.Count(body, "/Type /Page\n"); n != 1 {
		t.Fatalf("%d pages", n)
	}
	var text strings.Builder
	for _, m := range pdfStream.FindAllStringSubmatch(body, -1) {
		r, err := zlib.NewReader(bytes.NewReader([]byte(m[1])))
		if err != nil {
			continue // not a deflated stream (fonts are not embedded; nothing else to read)
		}
		raw, _ := io.ReadAll(r)
		for _, s := range pdfString.FindAllSubmatch(raw, -1) {
			text.WriteString(strings.NewReplacer(`\(`, "(", `\)`, ")", `\\`, `\`).Replace(string(s[1])) + "\n")
		}
	}
	return text.String()
}
