package employeerecord

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"emplois/internal/account"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/csvexport"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
	"emplois/internal/platform/xlsx"
)

// The staff regularisation of code 3437 (asp.md §5.13): the ASP already knows the employee of
// a structure under another idItou. Staff export the fiches so rejected, the ASP answers with
// the idItou it knows in the column « Commentaires », and the import gives each job seeker that
// id and sends their fiches again.

// CodeKnownUnderAnotherID is the ASP's code for an employee it knows under another idItou.
const CodeKnownUnderAnotherID = "3437"

// Export3437Headers are the columns of the export, in order (asp.md §5.13-1).
var Export3437Headers = []string{"idItou", "nomUsage", "prenom", "dateNaissance", "numeroIDE", "NIR", "NTT", "passIae",
	"siret", "mesure", "horodatage"}

// Export3437FileName is the export's file name at now.
func Export3437FileName(now time.Time) string {
	return "export_fs_3437_" + now.In(localtime.Paris).Format("20060102_150405") + ".csv"
}

// Allow3437 refuses (account.ErrNoPermission) anyone but the active staff holding the
// permission of the regularisation.
func (s *Service) Allow3437(ctx context.Context, a actor.Actor) error {
	return account.RequirePermission(ctx, s.db, a, account.PermEmployeeRecords3437)
}

// Audit actions of the regularisation.
const (
	ActionExported3437 = "employee_record.exported_3437"
	ActionASPIDChanged = "job_seeker.asp_uid_changed"
)

// export3437Row is a fiche of the export with its employee.
type export3437Row struct {
	ASPUID    string     `bun:"asp_uid"`
	LastName  string     `bun:"last_name"`
	FirstName string     `bun:"first_name"`
	Birthdate *time.Time `bun:"birthdate"`
	FTID      string     `bun:"pole_emploi_id"`
	NIR       *string    `bun:"nir"`
	NTT       *string    `bun:"ntt"`
	PASS      string     `bun:"approval_number"`
	SIRET     string     `bun:"siret"`
	Measure   string     `bun:"asp_measure"`
	BatchFile *string    `bun:"asp_batch_file"`
}

// Export3437 writes the CSV of the fiches rejected with code 3437, newest change first (UTF-8
// with a byte order mark and semicolons, as the project's other CSV exports; dates dd/mm/yyyy),
// for staff holding the permission; the export is audited.
func (s *Service) Export3437(ctx context.Context, a actor.Actor, w io.Writer) error {
	if err := s.Allow3437(ctx, a); err != nil {
		return err
	}
	var rows []export3437Row
	err := s.db.NewSelect().TableExpr("employee_record AS er").
		Join("JOIN job_application AS ja ON ja.id = er.job_application_id").
		Join("JOIN users AS u ON u.id = ja.job_seeker_id").
		Join("JOIN job_seeker_profile AS p ON p.user_id = u.id").
		ColumnExpr("er.ntt, er.approval_number, er.siret, er.asp_measure, er.asp_batch_file").
		ColumnExpr("p.asp_uid, u.last_name, u.first_name, p.birthdate, p.pole_emploi_id, p.nir").
		Where("er.status = ? AND er.asp_processing_code = ?", StatusRejected, CodeKnownUnderAnotherID).
		OrderExpr("er.updated_at DESC, er.id DESC").Scan(ctx, &rows)
	if err != nil {
		return fmt.Errorf("employeerecord: fiches 3437: %w", err)
	}
	if err := audit.Record(ctx, s.db, a, ActionExported3437, audit.Object{Type: "employee_record"}, map[string]any{"count": len(rows)}); err != nil {
		return err
	}
	cw, err := csvexport.NewWriter(w)
	if err != nil {
		return err
	}
	if err := cw.Write(Export3437Headers); err != nil {
		return err
	}
	for _, r := range rows {
		birth := ""
		if r.Birthdate != nil {
			birth = localtime.Date(*r.Birthdate)
		}
		if err := cw.Write([]string{r.ASPUID, r.LastName, r.FirstName, birth, r.FTID, deref(r.NIR), deref(r.NTT), r.PASS,
			r.SIRET, r.Measure, deref(r.BatchFile)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Limits and messages of the ASP's answer file (asp.md §5.13-2).
const (
	Max3437Bytes      = 1 << 20
	Field3437File     = "file"
	msg3437NotXLSX    = "Le fichier doit être un classeur Excel (.xlsx)."
	msg3437TooLarge   = "Le fichier ne doit pas dépasser 1 Mo."
	msg3437Unreadable = "Le classeur ne peut pas être lu : sa première feuille est vide ou illisible."
)

// newASPID is what the ASP writes in « Commentaires »: an idItou, 30 lowercase hex characters.
var newASPID = regexp.MustCompile(`^[0-9a-f]{30}$`)

// Row3437 is a kept row of the ASP's answer: our idItou, the one the ASP knows, and the
// employee's facts when the file carries their columns (the export's).
type Row3437 struct {
	Line          int
	IDItou, NewID string
	Facts         PersonFacts
}

// PersonFacts are what staff compare of two job seekers (asp.md §5.13-3), as shown.
type PersonFacts struct {
	LastName, FirstName, Birthdate, NIR, FTID string
}

// Read3437 reads the ASP's answer: an .xlsx of at most 1 MB (checked by its content) whose first
// sheet has the columns idItou and Commentaires. Rows without idItou are dropped, and so are
// those whose Commentaires is not 30 lowercase hex characters (asp.md §5.13-2).
func Read3437(data []byte) ([]Row3437, error) {
	if len(data) > Max3437Bytes {
		return nil, fault.InvalidField(Field3437File, msg3437TooLarge)
	}
	if !xlsx.Valid(data) {
		return nil, fault.InvalidField(Field3437File, msg3437NotXLSX)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, fault.InvalidField(Field3437File, msg3437NotXLSX)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fault.InvalidField(Field3437File, msg3437Unreadable)
	}
	rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil || len(rows) == 0 {
		return nil, fault.InvalidField(Field3437File, msg3437Unreadable)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(h)] = i
	}
	for _, h := range []string{"idItou", "Commentaires"} {
		if _, ok := col[h]; !ok {
			return nil, fault.InvalidField(Field3437File, "La colonne « "+h+" » manque.")
		}
	}
	cell := func(r []string, h string) string {
		if i, ok := col[h]; ok && i < len(r) {
			return strings.TrimSpace(r[i])
		}
		return ""
	}
	var out []Row3437
	for i, r := range rows[1:] {
		row := Row3437{Line: i + 2, IDItou: cell(r, "idItou"), NewID: cell(r, "Commentaires"),
			Facts: PersonFacts{LastName: cell(r, "nomUsage"), FirstName: cell(r, "prenom"), Birthdate: excelDay(cell(r, "dateNaissance")),
				NIR: cell(r, "NIR"), FTID: cell(r, "numeroIDE")}}
		if row.IDItou == "" || !newASPID.MatchString(row.NewID) {
			continue
		}
		out = append(out, row)
	}
	return out, nil
}

// excelDay reads a date cell: a spreadsheet's day number as dd/mm/yyyy, any text as it is.
func excelDay(v string) string {
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || n < 1 {
		return v
	}
	t, err := excelize.ExcelDateToTime(n, false)
	if err != nil {
		return v
	}
	return t.Format("02/01/2006")
}

// Difference is a fact that differs between two job seekers.
type Difference struct {
	Field, Ours, Theirs string
}

// Differences compares the facts of two job seekers (names without regard to case); with
// given, only the facts theirs gives (a file's empty cell says nothing).
func Differences(ours, theirs PersonFacts, given bool) []Difference {
	var out []Difference
	for _, f := range []struct {
		name     string
		our, the string
	}{
		{"Nom", ours.LastName, theirs.LastName},
		{"Prénom", ours.FirstName, theirs.FirstName},
		{"Date de naissance", ours.Birthdate, theirs.Birthdate},
		{"NIR", ours.NIR, theirs.NIR},
		{"Identifiant France Travail", ours.FTID, theirs.FTID},
	} {
		if given && f.the == "" || strings.EqualFold(strings.TrimSpace(f.our), strings.TrimSpace(f.the)) {
			continue
		}
		out = append(out, Difference{Field: f.name, Ours: f.our, Theirs: f.the})
	}
	return out
}

// Outcomes of a row (asp.md §5.13-3).
const (
	Outcome3437NotFound  = "Candidat non trouvé"
	Outcome3437Unchanged = "identifiant inchangé"
	Outcome3437Held      = "Identifiant déjà attribué à un autre candidat : rien n'est modifié"
	Outcome3437ToChange  = "Identifiant à remplacer"
	Outcome3437Changed   = "Identifiant remplacé"
)

// Regularisation is what the import did (or would do) with a row.
type Regularisation struct {
	Row3437
	Outcome string
	// JobSeeker is the public id of the job seeker of idItou ("" when not found), Holder the one
	// already holding the new id ("" when it is free).
	JobSeeker, Holder string
	// Differences compare the job seeker with the file's row, HolderDifferences with the holder.
	Differences, HolderDifferences []Difference
	// Fiches are the public ids of the job seeker's fiches rejected with 3437: sent again
	// (READY) in a real run.
	Fiches []string
}

// errDryRun3437 rolls back an import run without the box ticked.
var errDryRun3437 = errors.New("employeerecord: 3437 dry run")

// Regularise3437 applies the rows of the ASP's answer in one transaction, rolled back unless
// wet (asp.md §5.13-3): when the new id is free, the job seeker takes it and their fiches
// rejected with 3437 become READY; every change is audited.
func (s *Service) Regularise3437(ctx context.Context, a actor.Actor, rows []Row3437, wet bool) ([]Regularisation, error) {
	if err := s.Allow3437(ctx, a); err != nil {
		return nil, err
	}
	var out []Regularisation
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		out = make([]Regularisation, len(rows))
		now := s.now()
		for i, row := range rows {
			out[i] = Regularisation{Row3437: row}
			if err := s.regularise(ctx, tx, a, &out[i], wet, now); err != nil {
				return err
			}
		}
		if !wet {
			return errDryRun3437
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDryRun3437) {
		return nil, err
	}
	return out, nil
}

// profileFacts is a job seeker as the regularisation reads it.
type profileFacts struct {
	UserID    int64      `bun:"user_id"`
	PublicID  string     `bun:"public_id"`
	LastName  string     `bun:"last_name"`
	FirstName string     `bun:"first_name"`
	Birthdate *time.Time `bun:"birthdate"`
	NIR       *string    `bun:"nir"`
	FTID      string     `bun:"pole_emploi_id"`
}

func (p profileFacts) facts() PersonFacts {
	f := PersonFacts{LastName: p.LastName, FirstName: p.FirstName, NIR: deref(p.NIR), FTID: p.FTID}
	if p.Birthdate != nil {
		f.Birthdate = localtime.Date(*p.Birthdate)
	}
	return f
}

// profileByASPID returns the job seeker holding the ASP id, nil when none does.
func profileByASPID(ctx context.Context, tx bun.Tx, aspUID string) (*profileFacts, error) {
	var ps []profileFacts
	err := tx.NewSelect().TableExpr("job_seeker_profile AS p").Join("JOIN users AS u ON u.id = p.user_id").
		ColumnExpr("p.user_id, u.public_id, u.last_name, u.first_name, p.birthdate, p.nir, p.pole_emploi_id").
		Where("p.asp_uid = ?", aspUID).Scan(ctx, &ps)
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	return &ps[0], nil
}

func (s *Service) regularise(ctx context.Context, tx bun.Tx, a actor.Actor, r *Regularisation, wet bool, now time.Time) error {
	p, err := profileByASPID(ctx, tx, r.IDItou)
	if err != nil {
		return fmt.Errorf("employeerecord: job seeker of line %d: %w", r.Line, err)
	}
	if p == nil {
		r.Outcome = Outcome3437NotFound
		return nil
	}
	r.JobSeeker, r.Differences = p.PublicID, Differences(p.facts(), r.Facts, true)
	if r.NewID == r.IDItou {
		r.Outcome = Outcome3437Unchanged
		return nil
	}
	var fiches []Record
	err = tx.NewSelect().Model(&fiches).Join("JOIN job_application AS ja ON ja.id = er.job_application_id").
		Where("ja.job_seeker_id = ? AND er.status = ? AND er.asp_processing_code = ?", p.UserID, StatusRejected, CodeKnownUnderAnotherID).
		OrderExpr("er.id").Scan(ctx)
	if err != nil {
		return fmt.Errorf("employeerecord: fiches 3437 of line %d: %w", r.Line, err)
	}
	for _, f := range fiches {
		r.Fiches = append(r.Fiches, f.PublicID)
	}
	holder, err := profileByASPID(ctx, tx, r.NewID)
	if err != nil {
		return fmt.Errorf("employeerecord: holder of line %d: %w", r.Line, err)
	}
	if holder != nil {
		r.Outcome, r.Holder, r.HolderDifferences = Outcome3437Held, holder.PublicID, Differences(p.facts(), holder.facts(), false)
		return nil
	}
	r.Outcome = Outcome3437ToChange
	if wet {
		r.Outcome = Outcome3437Changed
	}
	if _, err := tx.NewUpdate().Table("job_seeker_profile").Set("asp_uid = ?", r.NewID).Where("user_id = ?", p.UserID).Exec(ctx); err != nil {
		return fmt.Errorf("employeerecord: new ASP id of line %d: %w", r.Line, err)
	}
	err = audit.Record(ctx, tx, a, ActionASPIDChanged, audit.Object{Type: "user", ID: p.PublicID},
		map[string]any{"from": r.IDItou, "to": r.NewID, "via": "fs_3437", "fiches": r.Fiches})
	if err != nil {
		return err
	}
	userID := a.UserID
	for i := range fiches {
		f := &fiches[i]
		f.Status, f.UpdatedAt = StatusReady, now
		if _, err := tx.NewUpdate().Model(f).Column("status", "updated_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("employeerecord: ready %s: %w", f.PublicID, err)
		}
		log := &TransitionLog{EmployeeRecordID: f.ID, Transition: TReady, FromStatus: StatusRejected, ToStatus: StatusReady, UserID: &userID, CreatedAt: now}
		if _, err := tx.NewInsert().Model(log).Exec(ctx); err != nil {
			return fmt.Errorf("employeerecord: log ready of %s: %w", f.PublicID, err)
		}
		if err := audit.Record(ctx, tx, a, ActionReady, object(f), map[string]any{"from": string(StatusRejected), "via": "fs_3437"}); err != nil {
			return err
		}
	}
	return nil
}
