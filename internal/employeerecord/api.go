package employeerecord

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/localtime"
)

// The fiches salarié as payroll software of the SIAE reads them through the partner API
// (api.md §7): the companies a user may read them for, the fiches and notifications of a page in
// a constant number of queries, and their JSON, close to the ASP lines but not the same (§7.5).

// APICompanies are the companies whose fiches the user reads through the API (api.md §7.2): those
// of their active admin memberships, in companies active or in their grace period.
func APICompanies(ctx context.Context, orgs *org.Service, userID int64) ([]int64, error) {
	c, err := orgs.ContextFor(ctx, userID, "")
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, a := range c.Affiliations {
		if a.FromEmployer() && a.IsAdmin && a.Active {
			ids = append(ids, a.ID)
		}
	}
	return ids, nil
}

// APIFilter selects the fiches of the API's employee-records/ (api.md §7.3).
type APIFilter struct {
	CompanyIDs []int64
	// Statuses: PROCESSED when none.
	Statuses []Status
	// CreatedFrom and CreatedBefore bound the creation time (nil: no bound).
	CreatedFrom, CreatedBefore *time.Time
}

// LocalDayBounds are the instants a Paris calendar day starts and ends.
func LocalDayBounds(day time.Time) (from, before time.Time) {
	from = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, localtime.Paris)
	return from, from.AddDate(0, 0, 1)
}

func (f APIFilter) apply(q *bun.SelectQuery) *bun.SelectQuery {
	statuses := f.Statuses
	if len(statuses) == 0 {
		statuses = []Status{StatusProcessed}
	}
	q = fromCompanies(q, f.CompanyIDs).Where("er.status IN (?)", bun.List(statuses))
	if f.CreatedFrom != nil {
		q = q.Where("er.created_at >= ?", f.CreatedFrom.UTC())
	}
	if f.CreatedBefore != nil {
		q = q.Where("er.created_at < ?", f.CreatedBefore.UTC())
	}
	return q
}

// CountForAPI is the number of fiches the filter selects.
func (s *Service) CountForAPI(ctx context.Context, f APIFilter) (int, error) {
	if len(f.CompanyIDs) == 0 {
		return 0, nil
	}
	n, err := f.apply(s.db.NewSelect().Model((*Record)(nil))).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("employeerecord: API count: %w", err)
	}
	return int(n), nil
}

// ForAPI is a page of the fiches the filter selects, newest first (api.md §7.3), in four
// queries whatever the page's size.
func (s *Service) ForAPI(ctx context.Context, f APIFilter, offset, limit int, frenchLikeASP bool) ([]APIRecord, error) {
	if len(f.CompanyIDs) == 0 {
		return nil, nil
	}
	var ids []int64
	err := f.apply(s.db.NewSelect().Model((*Record)(nil)).Column("er.id")).
		OrderExpr("er.created_at DESC, er.updated_at DESC, er.id DESC").Limit(int64(limit)).Offset(int64(offset)).Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("employeerecord: API page: %w", err)
	}
	ins, err := s.apiInputs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]APIRecord, len(ins))
	for i, in := range ins {
		out[i] = APIRecord{APILine: NewAPILine(in, MovementCreation, frenchLikeASP), NumeroAnnexe: in.AnnexNumber}
		r := in.Record
		out[i].NumLigne, out[i].CodeTraitement, out[i].LibelleTraitement = r.ASPBatchLineNumber, nonEmpty(r.ASPProcessingCode), nonEmpty(r.ASPProcessingLabel)
	}
	return out, nil
}

// apiInputs are the line inputs of these fiches, in order; a fiche that has lost what a line
// needs (no employee, no PASS) is an error: the database keeps them together.
func (s *Service) apiInputs(ctx context.Context, recordIDs []int64) ([]LineInput, error) {
	if len(recordIDs) == 0 {
		return nil, nil
	}
	ins, errs, err := lineInputs(ctx, s.db, s.ref, recordIDs)
	if err != nil {
		return nil, err
	}
	for _, e := range errs {
		if e != nil {
			return nil, e
		}
	}
	return ins, nil
}

// notificationsQuery reads the notifications of the companies' fiches: from their candidatures
// to their fiches, then to each fiche's notifications (index of migration 00039).
func notificationsQuery(q *bun.SelectQuery, companyIDs []int64) *bun.SelectQuery {
	return fromCompanies(q, companyIDs, "employee_record_update_notification AS ern").Where("ern.employee_record_id = er.id")
}

// fromCompanies makes q, a query of fiches (alias er), start from the candidatures of the
// companies: SQLite, without statistics on these tables, would otherwise walk every fiche of
// the status (its index) and keep those of the companies, nearly all of them at national scale.
// CROSS JOIN fixes SQLite's join order (PostgreSQL plans it as an inner join).
// Further tables (the notifications) follow in that order.
func fromCompanies(q *bun.SelectQuery, companyIDs []int64, then ...string) *bun.SelectQuery {
	from := "job_application AS ja CROSS JOIN employee_record AS er"
	for _, t := range then {
		from += " CROSS JOIN " + t
	}
	return q.ModelTableExpr(from).
		Where("ja.to_company_id IN (?)", bun.List(companyIDs)).Where("er.job_application_id = ja.id")
}

// CountNotificationsForAPI is the number of notifications of the fiches of these companies.
func (s *Service) CountNotificationsForAPI(ctx context.Context, companyIDs []int64) (int, error) {
	if len(companyIDs) == 0 {
		return 0, nil
	}
	n, err := notificationsQuery(s.db.NewSelect().Model((*Notification)(nil)), companyIDs).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("employeerecord: API notifications count: %w", err)
	}
	return int(n), nil
}

// NotificationsForAPI is a page of the notifications of the fiches of these companies, every
// status, newest first (api.md §7.3), in four queries whatever the page's size.
func (s *Service) NotificationsForAPI(ctx context.Context, companyIDs []int64, offset, limit int, frenchLikeASP bool) ([]APILine, error) {
	if len(companyIDs) == 0 {
		return nil, nil
	}
	var notifications []Notification
	err := notificationsQuery(s.db.NewSelect().Model(&notifications), companyIDs).
		OrderExpr("ern.created_at DESC, ern.updated_at DESC, ern.id DESC").Limit(int64(limit)).Offset(int64(offset)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("employeerecord: API notifications page: %w", err)
	}
	recordIDs := make([]int64, len(notifications))
	for i, n := range notifications {
		recordIDs[i] = n.EmployeeRecordID
	}
	ins, err := s.apiInputs(ctx, recordIDs)
	if err != nil {
		return nil, err
	}
	out := make([]APILine, len(ins))
	for i, in := range ins {
		n := notifications[i]
		out[i] = NewAPILine(in, MovementUpdate, frenchLikeASP)
		out[i].NumLigne, out[i].CodeTraitement, out[i].LibelleTraitement = n.ASPBatchLineNumber, nonEmpty(n.ASPProcessingCode), nonEmpty(n.ASPProcessingLabel)
	}
	return out, nil
}

// APILine is a fiche or a notification as the API shows it (api.md §7.4), keys in its order.
type APILine struct {
	NumLigne          *int         `json:"numLigne"`
	TypeMouvement     string       `json:"typeMouvement"`
	SIRET             string       `json:"siret"`
	Mesure            string       `json:"mesure"`
	PersonnePhysique  APIPerson    `json:"personnePhysique"`
	Adresse           APIAddress   `json:"adresse"`
	SituationSalarie  APISituation `json:"situationSalarie"`
	CodeTraitement    *string      `json:"codeTraitement"`
	LibelleTraitement *string      `json:"libelleTraitement"`
}

// APIRecord is a fiche: a line and its financial annex.
type APIRecord struct {
	APILine
	NumeroAnnexe *string `json:"numeroAnnexe"`
}

// APIPerson is « personnePhysique » of the API: the NIR and NTT besides the ASP's fields.
type APIPerson struct {
	NIR            string          `json:"NIR"`
	NTT            *string         `json:"NTT"`
	PassIae        string          `json:"passIae"`
	SufPassIae     *string         `json:"sufPassIae"`
	IDItou         string          `json:"idItou"`
	Civilite       string          `json:"civilite"`
	NomUsage       string          `json:"nomUsage"`
	NomNaissance   *string         `json:"nomNaissance"`
	Prenom         string          `json:"prenom"`
	DateNaissance  string          `json:"dateNaissance"`
	CodeInseePays  *string         `json:"codeInseePays"`
	CodeGroupePays *string         `json:"codeGroupePays"`
	CodeComInsee   BirthPlaceCodes `json:"codeComInsee"`
	PassDateDeb    string          `json:"passDateDeb"`
	PassDateFin    string          `json:"passDateFin"`
	SalarieNIR     string          `json:"salarieNIR"`
}

// APIAddress is « adresse » of the API: the employee's phone and e-mail are given.
type APIAddress struct {
	AdrTelephone        *string `json:"adrTelephone"`
	AdrMail             *string `json:"adrMail"`
	AdrNumeroVoie       string  `json:"adrNumeroVoie"`
	CodeExtensionVoie   *string `json:"codeextensionvoie"`
	CodeTypeVoie        string  `json:"codetypevoie"`
	AdrLibelleVoie      *string `json:"adrLibelleVoie"`
	AdrCpltDistribution *string `json:"adrCpltDistribution"`
	CodeInseeCom        *string `json:"codeinseecom"`
	CodePostalCedex     string  `json:"codepostalcedex"`
}

// APISituation is « situationSalarie » of the API: no EITI block, the real OETH, and ATA as the
// string "False" (api.md §10 Q6).
type APISituation struct {
	NiveauFormation         string  `json:"niveauFormation"`
	SalarieEnEmploi         bool    `json:"salarieEnEmploi"`
	SalarieSansEmploiDepuis *string `json:"salarieSansEmploiDepuis"`
	SalarieSansRessource    bool    `json:"salarieSansRessource"`
	InscritPoleEmploi       bool    `json:"inscritPoleEmploi"`
	InscritPoleEmploiDepuis *string `json:"inscritPoleEmploiDepuis"`
	NumeroIDE               string  `json:"numeroIDE"`
	SalarieRQTH             bool    `json:"salarieRQTH"`
	SalarieOETH             bool    `json:"salarieOETH"`
	SalarieAideSociale      bool    `json:"salarieAideSociale"`
	SalarieBenefRSA         string  `json:"salarieBenefRSA"`
	SalarieBenefRSADepuis   *string `json:"salarieBenefRSADepuis"`
	SalarieBenefASS         bool    `json:"salarieBenefASS"`
	SalarieBenefASSDepuis   *string `json:"salarieBenefASSDepuis"`
	SalarieBenefAAH         bool    `json:"salarieBenefAAH"`
	SalarieBenefAAHDepuis   *string `json:"salarieBenefAAHDepuis"`
	SalarieBenefATA         string  `json:"salarieBenefATA"`
	SalarieBenefATADepuis   *string `json:"salarieBenefATADepuis"`
	SalarieTypeEmployeur    *string `json:"salarieTypeEmployeur"`
	Orienteur               string  `json:"orienteur"`
	SalarieSortantASE       bool    `json:"salarieSortantASE"`
	SalarieParentIsole      bool    `json:"salarieParentIsole"`
	SalarieHebergement      bool    `json:"salarieHebergement"`
	SalarieRefugie          bool    `json:"salarieRefugie"`
	SalarieSortantDetention bool    `json:"salarieSortantDetention"`
	SalarieLangueFrancaise  bool    `json:"salarieLangueFrancaise"`
	SalarieMobilite         bool    `json:"salarieMobilite"`
}

// NewAPILine is the API's JSON of a fiche (movement "C") or of a notification ("M"), from the
// same facts as the ASP line but with the differences of api.md §7.5: real data, never the
// static placeholders. frenchLikeASP: salarieLangueFrancaise is true when the employee does not
// master French (the ASP's meaning), else the historical negation (api.md §7.4).
func NewAPILine(in LineInput, movement string, frenchLikeASP bool) APILine {
	p := in.Profile
	nir := p.NIRValue()
	asLine := physicalPerson(in)
	person := APIPerson{NIR: nir, NTT: in.Record.NTT, PassIae: in.Record.ApprovalNumber, IDItou: p.ASPUID,
		Civilite: in.Title, NomUsage: asLine.NomUsage, Prenom: upperASCII(in.First), DateNaissance: asLine.DateNaissance,
		CodeInseePays: nonEmpty(deref(asLine.CodeInseePays)), CodeGroupePays: nonEmpty(in.CountryGroup), CodeComInsee: asLine.CodeComInsee,
		PassDateDeb: asLine.PassDateDeb, PassDateFin: asLine.PassDateFin, SalarieNIR: asLine.SalarieNIR}
	a := address(AddressOf(p))
	phone := in.Phone
	adresse := APIAddress{AdrTelephone: &phone, AdrMail: in.Email, AdrNumeroVoie: deref(a.AdrNumeroVoie),
		CodeExtensionVoie: a.CodeExtensionVoie, CodeTypeVoie: a.CodeTypeVoie, AdrLibelleVoie: nonEmpty(a.AdrLibelleVoie),
		AdrCpltDistribution: a.AdrCpltDistribution, CodeInseeCom: nonEmpty(a.CodeInseeCom), CodePostalCedex: a.CodePostalCedex}
	s := situation(in)
	french := p.LowLevelInFrench
	if !frenchLikeASP {
		french = !french
	}
	sit := APISituation{NiveauFormation: deref(s.NiveauFormation), SalarieEnEmploi: s.SalarieEnEmploi,
		SalarieSansEmploiDepuis: s.SalarieSansEmploiDepuis, SalarieSansRessource: s.SalarieSansRessource,
		InscritPoleEmploi: s.InscritPoleEmploi, InscritPoleEmploiDepuis: s.InscritPoleEmploiDepuis, NumeroIDE: deref(s.NumeroIDE),
		SalarieRQTH: s.SalarieRQTH, SalarieOETH: p.OETHEmployee, SalarieAideSociale: s.SalarieAideSociale,
		SalarieBenefRSA: s.SalarieBenefRSA, SalarieBenefRSADepuis: s.SalarieBenefRSADepuis,
		SalarieBenefASS: s.SalarieBenefASS, SalarieBenefASSDepuis: s.SalarieBenefASSDepuis,
		SalarieBenefAAH: s.SalarieBenefAAH, SalarieBenefAAHDepuis: s.SalarieBenefAAHDepuis, SalarieBenefATA: "False",
		SalarieTypeEmployeur: s.SalarieTypeEmployeur, Orienteur: s.Orienteur, SalarieSortantASE: s.SalarieSortantASE,
		SalarieParentIsole: s.SalarieParentIsole, SalarieHebergement: s.SalarieHebergement, SalarieRefugie: s.SalarieRefugie,
		SalarieSortantDetention: s.SalarieSortantDetention, SalarieLangueFrancaise: french, SalarieMobilite: s.SalarieMobilite}
	return APILine{TypeMouvement: movement, SIRET: in.Record.SIRET, Mesure: in.Record.ASPMeasure,
		PersonnePhysique: person, Adresse: adresse, SituationSalarie: sit}
}
