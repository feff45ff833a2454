package approval

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"emplois/internal/approval"
	"emplois/internal/platform/localtime"
)

// certificateData is the content of the certificate (§4), as both the page and the PDF show it.
type certificateData struct {
	C                                *approval.Certificate
	Title, Number, Start, PrintedOn  string
	AddressLine1, AddressLine2, City string
	PDFURL, DetailURL                string
	Subject, Note, Help              string
}

func newCertificateData(c *approval.Certificate) certificateData {
	co := c.Company
	d := certificateData{C: c, Title: c.Title(), Number: c.Approval.DisplayNumber(), Start: localtime.Date(c.Approval.StartAt),
		PrintedOn: frenchLongDate(c.PrintedOn), AddressLine1: co.AddressLine1, AddressLine2: co.AddressLine2,
		City: strings.TrimSpace(co.PostCode + " " + co.CityName), PDFURL: CertificatePath(c.Approval.PublicID) + "/pdf",
		DetailURL: approval.DetailsPath(c.Approval.PublicID), Subject: approval.CertificateSubject, Note: approval.RemainderNote, Help: approval.HelpURL}
	if co.PostCode != "" && co.CityName != "" {
		d.City = co.PostCode + " – " + co.CityName
	}
	return d
}

var frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// frenchLongDate is « 2 mars 2026 ».
func frenchLongDate(day time.Time) string {
	return fmt.Sprintf("%d %s %d", day.Day(), frenchMonths[day.Month()-1], day.Year())
}

// certificate is the printable certificate of a PASS (§4), for an employer whose SIAE hired
// with it.
func (h *Handler) certificate(w http.ResponseWriter, r *http.Request) {
	c, err := h.approvals.Certificate(r.Context(), h.kit.ActorOf(r), r.PathValue("public_id"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	d := newCertificateData(c)
	h.tpl.Render(w, r, http.StatusOK, "certificate.html", d.Title, d)
}

// certificatePDF is the same certificate as a PDF file.
func (h *Handler) certificatePDF(w http.ResponseWriter, r *http.Request) {
	c, err := h.approvals.Certificate(r.Context(), h.kit.ActorOf(r), r.PathValue("public_id"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	body, err := certificatePDF(newCertificateData(c))
	if err != nil {
		h.kit.ServerError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="attestation-pass-iae-%s.pdf"`, c.Approval.Number))
	w.Write(body)
}

// certificatePDF lays the certificate out on one A4 page with the standard Helvetica font
// (Windows-1252, which holds every French letter).
func certificatePDF(d certificateData) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle(d.Title, true)
	pdf.SetAuthor("Les emplois de l'inclusion", true)
	pdf.SetMargins(20, 20, 20)
	pdf.AddPage()
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	text := func(style string, size float64, s string) {
		pdf.SetFont("Helvetica", style, size)
		pdf.MultiCell(0, size*0.5, tr(s), "", "L", false)
	}
	gap := func() { pdf.Ln(4) }
	text("B", 11, "République Française")
	text("B", 11, "Les emplois de l'inclusion")
	text("", 9, "Imprimé le "+d.PrintedOn)
	gap()
	text("", 9, "Contact direct : "+d.Help)
	gap()
	text("B", 11, "Votre structure")
	text("", 10, d.C.Company.DisplayName())
	for _, l := range []string{d.AddressLine1, d.AddressLine2, d.City} {
		if l != "" {
			text("", 10, l)
		}
	}
	gap()
	text("B", 11, "Références à rappeler")
	text("", 10, "Numéro de PASS IAE : "+d.Number)
	text("", 10, "PASS IAE délivré par la plateforme de l'inclusion")
	text("", 10, "Date de début : "+d.Start)
	if id := d.C.Holder.FranceTravailID; id != nil && *id != "" {
		text("", 10, "Identifiant France Travail : "+*id)
	}
	gap()
	text("B", 11, "Objet : "+d.Subject)
	gap()
	text("", 10, d.C.Statement())
	gap()
	text("B", 11, "Nombre de jours restants sur le PASS IAE* : "+d.C.Remainder)
	text("I", 8, "* "+d.Note)
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("certificate pdf: %w", err)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("certificate pdf: %w", err)
	}
	return buf.Bytes(), nil
}
