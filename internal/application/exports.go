package application

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"emplois/internal/approval"
	"emplois/internal/eligibility"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/csvexport"
	"emplois/internal/platform/localtime"
	"emplois/internal/platform/searchtext"
)

// The exports of the employer's inbox (applications.md §4 « Exports »): one row per candidature
// of the list under its current filters, newest first, as XLSX (real date cells) or CSV. Rows are
// read in chunks by keyset, so that memory stays flat whatever the size of the inbox.
// The eligibility and PASS IAE columns read the job seeker's latest PASS and valid prescriber
// diagnoses for a whole chunk at once.

// exportChunk is the number of rows read per query.
const exportChunk = 1000

// ExportHeaders are the columns of the exports, in French (§4).
var ExportHeaders = []string{
	"Civilité candidat", "Nom candidat", "Prénom candidat", "Email candidat", "Téléphone candidat",
	"Date de naissance candidat", "Ville candidat", "Département candidat", "Nom structure employeur",
	"Type employeur", "Métiers", "Source de la candidature", "Nom organisation prescripteur",
	"Nom utilisateur prescripteur", "Date de la candidature", "Statut de la candidature",
	"Dates de début d’embauche", "Dates de fin d’embauche", "Motifs de refus", "Éligibilité IAE validée",
	"Eligible au contrôle", "Numéro PASS IAE", "Début PASS IAE", "Fin PASS IAE", "Statut PASS IAE",
}

// ExportRow is one line of an export.
type ExportRow struct {
	Title, LastName, FirstName, Email, Phone string
	Birthdate                                *time.Time
	City, PostCode                           string
	Company, CompanyKind                     string
	Jobs, Source                             string
	PrescriberOrg, PrescriberUser            string
	CreatedAt                                time.Time
	State                                    string
	HiringStart, HiringEnd                   *time.Time
	RefusalReason                            string
	// Eligible: a valid prescriber diagnosis or a valid PASS IAE (an SIAE's own diagnosis does not
	// count); Controllable: the hire may be drawn by the contrôle a posteriori (actors.md §16-3);
	// both "oui" or "non".
	Eligible, Controllable string
	// The job seeker's latest PASS IAE ("" and nil: none).
	PASSNumber         string
	PASSStart, PASSEnd *time.Time
	PASSState          string
}

// yesNo is a boolean as the exports write it.
func yesNo(b bool) string {
	if b {
		return "oui"
	}
	return "non"
}

// exportScan is what the export query reads beyond a list row.
type exportScan struct {
	listRowScan
	JSTitle       string        `bun:"js_title"`
	JSEmail       *string       `bun:"js_email"`
	JSPhone       string        `bun:"js_phone"`
	JSPostCode    string        `bun:"js_post_code"`
	JSBirthdate   *time.Time    `bun:"js_birthdate"`
	JSNIR         *string       `bun:"js_nir"`
	CompanyKind   string        `bun:"co_kind"`
	HiringStartAt *time.Time    `bun:"hiring_start_at"`
	HiringEndAt   *time.Time    `bun:"hiring_end_at"`
	RefusalReason RefusalReason `bun:"refusal_reason"`
	JobSeekerID   int64         `bun:"job_seeker_id"`
	Controllable  bool          `bun:"controllable"`
}

// controllable is the SQL of Controllable: an accepted candidature to an AI, EI, ACI or ETTI
// whose hire issued its PASS IAE (ours, starting on the hiring day) on the SIAE's own diagnosis.
const controllable = `(ja.state = 'accepted' AND co.kind IN ('AI', 'EI', 'ACI', 'ETTI')
	AND ap.origin = 'default' AND ap.start_at = ja.hiring_start_at
	AND ed.author_kind = 'employer' AND ed.author_company_id = ja.to_company_id) AS controllable`

// exportRow turns a scanned row into an export line, with the job seeker's latest PASS IAE
// and whether a prescriber's diagnosis or a PASS makes them eligible.
func exportRow(r *exportScan, jobs []string, pass *approval.Approval, eligible bool, today time.Time) ExportRow {
	out := ExportRow{Title: r.JSTitle, LastName: r.JSLast, FirstName: r.JSFirst, Email: deref(r.JSEmail), Phone: r.JSPhone,
		Birthdate: r.JSBirthdate, City: r.JSCity, PostCode: r.JSPostCode, Company: r.CompanyName, CompanyKind: r.CompanyKind,
		Jobs: "Candidature spontanée", CreatedAt: r.CreatedAt, State: r.State.Label(),
		HiringStart: r.HiringStartAt, HiringEnd: r.HiringEndAt}
	if r.CompanyBrand != "" {
		out.Company = r.CompanyBrand
	}
	if out.Title == "" && r.JSNIR != nil && *r.JSNIR != "" { // civilité derived from the NIR (§4)
		switch (*r.JSNIR)[0] {
		case '1':
			out.Title = "M"
		case '2':
			out.Title = "MME"
		}
	}
	if len(jobs) > 0 {
		out.Jobs = strings.Join(jobs, ", ")
	}
	authorized := r.SenderOrgStatus != nil && *r.SenderOrgStatus == string(org.AuthorizationValidated)
	switch r.SenderKind {
	case SenderJobSeeker:
		out.Source = "Candidature spontanée"
	case SenderEmployer:
		out.Source = "Employeur"
		if r.SenderCompanyID != nil && *r.SenderCompanyID == r.ToCompanyID {
			out.Source = "Ma structure"
		}
	case SenderPrescriber:
		out.Source = DisplayedSenderKind(SenderPrescriber, authorized)
		out.PrescriberOrg = deref(r.SenderOrgName)
		if r.SenderFirst != nil {
			out.PrescriberUser = joinName(*r.SenderFirst, deref(r.SenderLast))
		}
	}
	if r.RefusalReason != "" {
		out.RefusalReason = r.RefusalReason.Label()
	}
	out.Eligible, out.Controllable = yesNo(eligible), yesNo(r.Controllable)
	if pass != nil {
		out.PASSNumber, out.PASSStart, out.PASSEnd = pass.Number, &pass.StartAt, &pass.EndAt
		out.PASSState = pass.State(today).Label()
	}
	return out
}

// ExportInbox calls each with every candidature of the actor's inbox under f (the page and
// sort left out: newest first), reading exportChunk rows per query.
func (s *Service) ExportInbox(ctx context.Context, a actor.Actor, f Filters, each func(ExportRow) error) error {
	sc, err := s.scopeOf(ctx, a, ListInbox, false)
	if err != nil {
		return err
	}
	f.Sort = SortNewest // the keyset below follows this order
	today := approval.Today(s.Now())
	var after *exportScan
	for {
		chunk := sc.pageIDs(s.db, f).Limit(exportChunk)
		if after != nil {
			chunk = chunk.Where("(ja.created_at < ? OR (ja.created_at = ? AND ja.id < ?))", after.CreatedAt, after.CreatedAt, after.ID)
		}
		q := s.rowsQuery(s.db).Where("ja.id IN (?)", chunk).
			ColumnExpr("u.title AS js_title, u.email AS js_email, u.phone AS js_phone, u.post_code AS js_post_code").
			ColumnExpr("p.birthdate AS js_birthdate, p.nir AS js_nir, co.kind AS co_kind").
			ColumnExpr("ja.hiring_start_at, ja.hiring_end_at, ja.refusal_reason").
			ColumnExpr("ja.job_seeker_id").ColumnExpr(controllable).
			Join("LEFT JOIN job_seeker_profile AS p ON p.user_id = ja.job_seeker_id").
			Join("LEFT JOIN approval AS ap ON ap.id = ja.approval_id").
			Join("LEFT JOIN eligibility_diagnosis AS ed ON ed.id = ja.eligibility_diagnosis_id").
			OrderExpr("ja.created_at DESC, ja.id DESC")
		var rows []exportScan
		if err := q.Scan(ctx, &rows); err != nil {
			return fmt.Errorf("application: export: %w", err)
		}
		if len(rows) == 0 {
			return nil
		}
		ids, seekers := make([]int64, len(rows)), make([]int64, len(rows))
		for i := range rows {
			ids[i], seekers[i] = rows[i].ID, rows[i].JobSeekerID
		}
		names, err := selectedJobNames(ctx, s.db, ids)
		if err != nil {
			return err
		}
		passes, err := approval.LatestOfUsers(ctx, s.db, seekers, today)
		if err != nil {
			return err
		}
		// Seen from no company: only the prescribers' diagnoses count, or a valid PASS.
		statuses, err := s.Eligibility.Statuses(ctx, seekers)
		if err != nil {
			return err
		}
		for i := range rows {
			eligible := statuses[rows[i].JobSeekerID] != eligibility.StatusToValidate
			if err := each(exportRow(&rows[i], names[rows[i].ID], passes[rows[i].JobSeekerID], eligible, today)); err != nil {
				return err
			}
		}
		if len(rows) < exportChunk {
			return nil
		}
		after = &rows[len(rows)-1]
	}
}

// ExportFileName is the name of an export of the company's inbox:
// candidatures[-<company slug>][-YYYY-MM].<ext> (§4); month is "" for all months.
func ExportFileName(companyName, month, ext string) string {
	name := "candidatures"
	if slug := strings.ReplaceAll(searchtext.Normalize(companyName), " ", "-"); slug != "" {
		name += "-" + slug
	}
	if month != "" {
		name += "-" + month
	}
	return name + "." + ext
}

// CompanyName is the display name of the company the actor acts for ("" for none).
func (s *Service) CompanyName(ctx context.Context, a actor.Actor) (string, error) {
	if companyOf(a) == 0 {
		return "", ErrForbidden
	}
	co, err := companyByID(ctx, s.db, companyOf(a))
	if err != nil {
		return "", err
	}
	return co.DisplayName(), nil
}

// excelDay is a time as Excel shows it: the wall clock of Paris, without a zone.
func excelDay(t time.Time) time.Time {
	p := t.In(localtime.Paris)
	return time.Date(p.Year(), p.Month(), p.Day(), p.Hour(), p.Minute(), p.Second(), 0, time.UTC)
}

// WriteInboxXLSX writes the export of the inbox under f as an XLSX workbook of one sheet
// (excelize's stream writer; dates are date cells).
func (s *Service) WriteInboxXLSX(ctx context.Context, a actor.Actor, f Filters, w io.Writer) error {
	book := excelize.NewFile()
	defer book.Close()
	const sheet = "Candidatures"
	if err := book.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := book.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	dateFmt, dayFmt := "dd/mm/yyyy hh:mm", "dd/mm/yyyy"
	dateTime, err := book.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	day, err := book.NewStyle(&excelize.Style{CustomNumFmt: &dayFmt})
	if err != nil {
		return err
	}
	head := make([]any, len(ExportHeaders))
	for i, h := range ExportHeaders {
		head[i] = h
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	date := func(t *time.Time) any {
		if t == nil {
			return nil
		}
		return excelize.Cell{StyleID: day, Value: excelDay(*t)}
	}
	n := 1
	err = s.ExportInbox(ctx, a, f, func(r ExportRow) error {
		n++
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, []any{r.Title, r.LastName, r.FirstName, r.Email, r.Phone, date(r.Birthdate), r.City,
			r.PostCode, r.Company, r.CompanyKind, r.Jobs, r.Source, r.PrescriberOrg, r.PrescriberUser,
			excelize.Cell{StyleID: dateTime, Value: excelDay(r.CreatedAt)}, r.State, date(r.HiringStart), date(r.HiringEnd),
			r.RefusalReason, r.Eligible, r.Controllable, r.PASSNumber, date(r.PASSStart), date(r.PASSEnd), r.PASSState})
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return book.Write(w)
}

// WriteInboxCSV writes the export of the inbox under f as CSV (UTF-8 with a byte order mark and
// semicolons, as French spreadsheets open it; dates as dd/mm/yyyy).
func (s *Service) WriteInboxCSV(ctx context.Context, a actor.Actor, f Filters, w io.Writer) error {
	cw, err := csvexport.NewWriter(w)
	if err != nil {
		return err
	}
	if err := cw.Write(ExportHeaders); err != nil {
		return err
	}
	date := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return localtime.Date(*t)
	}
	err = s.ExportInbox(ctx, a, f, func(r ExportRow) error {
		return cw.Write([]string{r.Title, r.LastName, r.FirstName, r.Email, r.Phone, date(r.Birthdate), r.City, r.PostCode,
			r.Company, r.CompanyKind, r.Jobs, r.Source, r.PrescriberOrg, r.PrescriberUser, localtime.DateTime(r.CreatedAt),
			r.State, date(r.HiringStart), date(r.HiringEnd), r.RefusalReason, r.Eligible, r.Controllable, r.PASSNumber,
			date(r.PASSStart), date(r.PASSEnd), r.PASSState})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// ExportMonths is how many months the exports page lists (§4): the visible candidatures are
// less than 2 years old, accepted ones excepted.
const ExportMonths = 25

// MonthCount is a month of the exports page: its first day (Europe/Paris) and the number of
// candidatures the company received in it.
type MonthCount struct {
	Month time.Time
	Count int
}

// MonthBounds are the first day of the month of t (Europe/Paris) and that of the next month.
func MonthBounds(t time.Time) (time.Time, time.Time) {
	p := t.In(localtime.Paris)
	first := time.Date(p.Year(), p.Month(), 1, 0, 0, 0, 0, localtime.Paris)
	return first, first.AddDate(0, 1, 0)
}

// InboxMonths counts the candidatures of the actor's inbox (archived ones included) per month,
// newest first, over the last ExportMonths months, in one query; months without any are left
// out.
func (s *Service) InboxMonths(ctx context.Context, a actor.Actor) ([]MonthCount, error) {
	sc, err := s.scopeOf(ctx, a, ListInbox, false)
	if err != nil {
		return nil, err
	}
	first, _ := MonthBounds(s.now())
	q := sc.filter(s.db.NewSelect().TableExpr("job_application AS ja"), Filters{Archived: ArchivedAll})
	months := make([]time.Time, ExportMonths)
	for i := range months {
		months[i] = first.AddDate(0, -i, 0)
		end := months[i].AddDate(0, 1, 0)
		q = q.ColumnExpr("COALESCE(SUM(CASE WHEN ja.created_at >= ? AND ja.created_at < ? THEN 1 ELSE 0 END), 0) AS ?",
			months[i].UTC(), end.UTC(), bun.Ident(fmt.Sprintf("m%d", i)))
	}
	rows, err := q.Rows(ctx)
	if err != nil {
		return nil, fmt.Errorf("application: months: %w", err)
	}
	defer rows.Close()
	counts := make([]int64, ExportMonths)
	dest := make([]any, ExportMonths)
	for i := range counts {
		dest[i] = &counts[i]
	}
	if rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("application: months: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("application: months: %w", err)
	}
	var out []MonthCount
	for i, n := range counts {
		if n > 0 {
			out = append(out, MonthCount{Month: months[i], Count: int(n)})
		}
	}
	return out, nil
}
