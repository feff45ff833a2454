package application

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"emplois/internal/approval"
	"emplois/internal/eligibility"
	"emplois/internal/jobseeker"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/localtime"
	"emplois/internal/platform/searchtext"
)

// The lists of applications.md §4: the employer's inbox (« Candidatures reçues »), the sent list
// of prescribers and employers (« Candidatures envoyées ») and the job seeker's own. Each page
// costs the same queries whatever its size: the count, the rows with their people and
// organizations in one joined query, the names of their fiches de poste, and the options of
// the filters.

// ListPageSize is the number of candidatures per page (§4).
const ListPageSize = 20

// ListKind is one of the three lists.
type ListKind string

const (
	ListInbox     ListKind = "inbox"
	ListSent      ListKind = "sent"
	ListJobSeeker ListKind = "job_seeker"
)

// Archived is the archive filter of the employer and sent lists (§4).
type Archived string

const (
	ArchivedNo   Archived = ""         // « Actives », the default
	ArchivedOnly Archived = "archived" // « Archivées »
	ArchivedAll  Archived = "all"      // « Toutes »
)

// Sort orders of §4; anything else falls back to the default, newest first.
const (
	SortNewest   = "-created_at"
	SortOldest   = "created_at"
	SortName     = "job_seeker_full_name"
	SortNameDesc = "-job_seeker_full_name"
)

// SortOrders lists the sort orders with their French labels, in the order of the form.
var SortOrders = []struct{ Value, Label string }{
	{SortNewest, "Date de candidature (plus récente d'abord)"},
	{SortOldest, "Date de candidature (plus ancienne d'abord)"},
	{SortName, "Nom du candidat (A → Z)"},
	{SortNameDesc, "Nom du candidat (Z → A)"},
}

// Sender kinds of the filter: the displayed kinds of §1.2, prescribers split by habilitation.
const (
	SenderFilterJobSeeker  = "job_seeker"
	SenderFilterAuthorized = "authorized_prescriber"
	SenderFilterOrienteur  = "orienteur"
	SenderFilterEmployer   = "employer"
)

// SenderFilters lists the sender kinds of the filter with their labels.
var SenderFilters = []struct{ Value, Label string }{
	{SenderFilterJobSeeker, "Le candidat lui-même"},
	{SenderFilterAuthorized, "Prescripteur habilité"},
	{SenderFilterOrienteur, "Orienteur"},
	{SenderFilterEmployer, "Employeur"},
}

// Filters are the criteria of a list (§4). JobSeeker, when set, makes every other criterion
// ignored (scenario 32). Eligibility, PASS IAE and administrative criteria wait for the
// eligibility and approval domains.
type Filters struct {
	States []State
	// From and To are whole days (Europe/Paris) of created_at, both included; zero: open.
	From, To time.Time
	// SenderKinds are SenderFilter* values (OR-ed).
	SenderKinds []string
	// PrescriberOrgs and SenderCompanies (inbox), ToCompanies (sent list) are uids.
	PrescriberOrgs  []string
	SenderCompanies []string
	ToCompanies     []string
	// Jobs are ROME appellation codes of the selected fiches de poste (OR-ed).
	Jobs []string
	// Departments of the job seekers (OR-ed).
	Departments []string
	// Name is the start of the job seeker's first or last name, accents and case aside.
	Name string
	// JobSeeker is a job seeker's public id.
	JobSeeker string
	// Eligibility is EligibilityValidated and/or EligibilityPending (both or none: no filter);
	// PASS are PASS* states of the job seeker's PASS IAE (OR-ed); Criteria are IAE criteria ids
	// that the job seeker's diagnosis holds (AND-ed). Lists of an SIAE or of a sender only.
	Eligibility []string
	PASS        []string
	Criteria    []string
	Archived    Archived
	Sort        string
	Page        int
}

// Active reports how many criteria are set (the counter of the filter button).
func (f Filters) Active() int {
	if f.JobSeeker != "" {
		return 1
	}
	n := len(f.States) + len(f.SenderKinds) + len(f.PrescriberOrgs) + len(f.SenderCompanies) + len(f.ToCompanies) +
		len(f.Jobs) + len(f.Departments) + len(f.Eligibility) + len(f.PASS) + len(f.Criteria)
	for _, set := range []bool{!f.From.IsZero(), !f.To.IsZero(), f.Name != "", f.Archived != ArchivedNo} {
		if set {
			n++
		}
	}
	return n
}

// Query is the filters as URL query values (the list's links keep them); the page is left out.
func (f Filters) Query() url.Values {
	v := url.Values{}
	for _, s := range f.States {
		v.Add("states", string(s))
	}
	if !f.From.IsZero() {
		v.Set("start_date", f.From.Format(time.DateOnly))
	}
	if !f.To.IsZero() {
		v.Set("end_date", f.To.Format(time.DateOnly))
	}
	for name, vals := range map[string][]string{"sender_kinds": f.SenderKinds, "prescriber_organizations": f.PrescriberOrgs,
		"sender_companies": f.SenderCompanies, "to_companies": f.ToCompanies, "jobs": f.Jobs, "departments": f.Departments,
		"eligibility": f.Eligibility, "pass_iae": f.PASS, "criteria": f.Criteria} {
		for _, x := range vals {
			v.Add(name, x)
		}
	}
	for name, x := range map[string]string{"name": f.Name, "job_seeker": f.JobSeeker, "archived": string(f.Archived)} {
		if x != "" {
			v.Set(name, x)
		}
	}
	if f.Sort != "" && f.Sort != SortNewest {
		v.Set("order", f.Sort)
	}
	return v
}

// The eligibility and PASS IAE filters (§4).
const (
	EligibilityValidated = "validated"
	EligibilityPending   = "pending"
	PASSActive           = "active"
	PASSSuspended        = "suspended"
	PASSExpired          = "expired"
)

// PASSFilters are the PASS IAE filter's values, in the form's order.
var PASSFilters = []string{PASSActive, PASSSuspended, PASSExpired}

// Messages of the filter form.
const (
	MsgBadDate      = "Saisissez une date valide (jj/mm/aaaa)."
	MsgDatesReverse = "La date de fin doit être postérieure à la date de début."
	MsgBadState     = "Sélectionnez des statuts de la liste."
)

// ParseFilters reads the filters of a list from its query. An invalid form gives the French
// errors per field and no filter at all (§4: « an invalid filter form applies no filter »), the
// sort and page kept. An unknown sort falls back to the default.
func ParseFilters(v url.Values) (Filters, error) {
	f := Filters{Sort: v.Get("order")}
	if !slices.ContainsFunc(SortOrders, func(o struct{ Value, Label string }) bool { return o.Value == f.Sort }) {
		f.Sort = SortNewest
	}
	f.Page, _ = strconv.Atoi(v.Get("page"))
	var errs fault.Fields
	for _, s := range v["states"] {
		if !State(s).Valid() {
			errs.Add("states", MsgBadState)
			break
		}
		f.States = append(f.States, State(s))
	}
	day := func(field string) time.Time {
		s := strings.TrimSpace(v.Get(field))
		if s == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation(time.DateOnly, s, localtime.Paris)
		if err != nil {
			if t, err = time.ParseInLocation("02/01/2006", s, localtime.Paris); err != nil {
				errs.Add(field, MsgBadDate)
				return time.Time{}
			}
		}
		return t
	}
	f.From, f.To = day("start_date"), day("end_date")
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		errs.Add("end_date", MsgDatesReverse)
	}
	clean := func(vals []string, ok func(string) bool) []string {
		var out []string
		for _, x := range vals {
			if x = strings.TrimSpace(x); x != "" && ok(x) && !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
		return out
	}
	isUUID := func(s string) bool { _, err := uuid.Parse(s); return err == nil }
	anyValue := func(string) bool { return true }
	f.SenderKinds = clean(v["sender_kinds"], func(s string) bool {
		return slices.ContainsFunc(SenderFilters, func(o struct{ Value, Label string }) bool { return o.Value == s })
	})
	f.PrescriberOrgs, f.SenderCompanies, f.ToCompanies = clean(v["prescriber_organizations"], isUUID),
		clean(v["sender_companies"], isUUID), clean(v["to_companies"], isUUID)
	f.Jobs, f.Departments = clean(v["jobs"], anyValue), clean(v["departments"], anyValue)
	f.Eligibility = clean(v["eligibility"], func(s string) bool { return s == EligibilityValidated || s == EligibilityPending })
	f.PASS = clean(v["pass_iae"], func(s string) bool { return slices.Contains(PASSFilters, s) })
	f.Criteria = clean(v["criteria"], func(s string) bool { _, err := strconv.Atoi(s); return err == nil })
	f.Name = strings.TrimSpace(v.Get("name"))
	if len([]rune(f.Name)) > 100 {
		errs.Add("name", "Saisissez au plus 100 caractères.")
	}
	if js := strings.TrimSpace(v.Get("job_seeker")); js != "" {
		if !isUUID(js) {
			errs.Add("job_seeker", "Ce candidat n'existe pas.")
		}
		f.JobSeeker = js
	}
	switch a := Archived(v.Get("archived")); a {
	case ArchivedNo, ArchivedOnly, ArchivedAll:
		f.Archived = a
	}
	if err := errs.Err(); err != nil {
		return Filters{Sort: f.Sort, Page: f.Page}, err
	}
	return f, nil
}

// ListRow is a candidature as a list shows it.
type ListRow struct {
	PublicID  string
	State     State
	Archived  bool
	CreatedAt time.Time
	// JobSeekerName is masked (initials) for orienteurs who did not create the account (R35).
	JobSeekerName     string
	JobSeekerPublicID string
	JobSeekerPlace    string // « 69 - Lyon »
	// Jobs are the names of the selected fiches de poste; none: « Candidature spontanée ».
	Jobs []string
	// Sender is the « Émetteur » column; SenderKind the displayed kind (§1.2).
	Sender     string
	SenderKind string
	// Company is the receiving company (sent and job seeker lists).
	Company    string
	CompanyUID string
	// Eligibility is the job seeker's eligibility columns (an SIAE's inbox, a sent list), nil
	// elsewhere.
	Eligibility *eligibility.Column
}

// JobsLabel is the « Poste » column.
func (r ListRow) JobsLabel() string {
	if len(r.Jobs) == 0 {
		return "Candidature spontanée"
	}
	return strings.Join(r.Jobs, ", ")
}

// Option is a choice of a filter.
type Option struct {
	Value string `bun:"value"`
	Label string `bun:"label"`
}

// ListPage is one page of a list with the options of its filters.
type ListPage struct {
	Kind    ListKind
	Filters Filters
	Rows    []ListRow
	Total   int
	Page    int
	Pages   int
	// Options of the filters that depend on the scope.
	States          []State
	Jobs            []Option
	Departments     []Option
	PrescriberOrgs  []Option
	SenderCompanies []Option
	ToCompanies     []Option
	// IAE: the eligibility, PASS IAE and criteria filters are offered, Criteria their choices.
	IAE      bool
	Criteria []Option
	// Empty says which empty state to show: no candidature at all in the scope (« none ») or
	// none matching the filters (« filtered »); "" when there are rows.
	Empty string
}

// listScope is who lists what: the WHERE clause of a list.
type listScope struct {
	kind      ListKind
	companyID int64 // inbox: the receiving company; sent: the sending company
	orgID     int64 // sent: the prescriber organization
	userID    int64
	orienteur bool // the viewer acts for a prescriber organization that is not authorized
	isGEIQ    bool
	since     time.Time // inbox: R31
	// iae: the eligibility, PASS IAE and criteria filters apply (an SIAE's inbox, a sent list);
	// today is the day they are read on.
	iae   bool
	today time.Time
}

// scopeOf checks who may see a list and returns its scope: the inbox for a professional acting
// for a company, the sent list for one acting for a company or a prescriber organization, the
// job seeker's list for a job seeker.
// The habilitation of a prescriber organization is read only when names may be masked (rows).
func (s *Service) scopeOf(ctx context.Context, a actor.Actor, kind ListKind, rows bool) (*listScope, error) {
	sc := &listScope{kind: kind, userID: a.UserID, since: VisibleSince(s.now()), today: approval.Today(s.Now())}
	switch kind {
	case ListInbox:
		if a.Kind != actor.Professional || companyOf(a) == 0 {
			return nil, ErrForbidden
		}
		sc.companyID, sc.isGEIQ = companyOf(a), a.Organization.Kind == string(org.GEIQ)
		sc.iae = org.CompanyKind(a.Organization.Kind).IsSIAE()
	case ListSent:
		if a.Kind != actor.Professional {
			return nil, ErrForbidden
		}
		sc.companyID, sc.orgID = companyOf(a), prescriberOf(a)
		if sc.companyID == 0 && sc.orgID == 0 {
			return nil, ErrForbidden
		}
		sc.iae = true
		if sc.orgID != 0 && rows {
			po, err := prescriberByID(ctx, s.db, sc.orgID)
			if err != nil {
				return nil, err
			}
			sc.orienteur = !po.IsAuthorized()
		}
	case ListJobSeeker:
		if a.Kind != actor.JobSeeker || a.UserID == 0 {
			return nil, ErrForbidden
		}
	default:
		return nil, ErrForbidden
	}
	return sc, nil
}

// where restricts q (over job_application AS ja) to the scope (§4 table, R31, R34).
func (sc *listScope) where(q *bun.SelectQuery) *bun.SelectQuery {
	switch sc.kind {
	case ListInbox:
		return q.Where("ja.to_company_id = ?", sc.companyID).
			Where("(ja.created_at > ? OR ja.state = ?)", sc.since, Accepted)
	case ListSent:
		if sc.orgID != 0 {
			return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
				return q.Where("ja.sender_prescriber_organization_id = ?", sc.orgID).
					WhereOr("ja.sender_id = ? AND ja.sender_kind = ? AND ja.sender_prescriber_organization_id IS NULL",
						sc.userID, SenderPrescriber)
			})
		}
		return q.Where("ja.sender_company_id = ?", sc.companyID).Where("ja.to_company_id <> ?", sc.companyID)
	default:
		return q.Where("ja.job_seeker_id = ?", sc.userID)
	}
}

// filter restricts q (over job_application AS ja) to the scope and the criteria of f (the job
// seeker alone when set, scenario 32).
func (sc *listScope) filter(q *bun.SelectQuery, f Filters) *bun.SelectQuery {
	q = sc.where(q)
	if sc.kind != ListJobSeeker {
		switch f.Archived {
		case ArchivedNo:
			if f.JobSeeker == "" {
				q = q.Where("ja.archived_at IS NULL")
			}
		case ArchivedOnly:
			if f.JobSeeker == "" {
				q = q.Where("ja.archived_at IS NOT NULL")
			}
		}
	}
	if f.JobSeeker != "" {
		return q.Where("ja.job_seeker_id = (SELECT id FROM users WHERE public_id = ?)", f.JobSeeker)
	}
	if len(f.States) > 0 {
		q = q.Where("ja.state IN (?)", bun.List(f.States))
	}
	if !f.From.IsZero() {
		q = q.Where("ja.created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("ja.created_at < ?", f.To.AddDate(0, 0, 1).UTC())
	}
	if len(f.SenderKinds) > 0 {
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			authorized := "EXISTS (SELECT 1 FROM prescriber_organization AS fpo WHERE fpo.id = ja.sender_prescriber_organization_id AND fpo.authorization_status = ?)"
			for _, k := range f.SenderKinds {
				switch k {
				case SenderFilterJobSeeker:
					q = q.WhereOr("ja.sender_kind = ?", SenderJobSeeker)
				case SenderFilterEmployer:
					q = q.WhereOr("ja.sender_kind = ?", SenderEmployer)
				case SenderFilterAuthorized:
					q = q.WhereOr("ja.sender_kind = ? AND "+authorized, SenderPrescriber, org.AuthorizationValidated)
				case SenderFilterOrienteur:
					q = q.WhereOr("ja.sender_kind = ? AND NOT "+authorized, SenderPrescriber, org.AuthorizationValidated)
				}
			}
			return q
		})
	}
	if len(f.PrescriberOrgs) > 0 {
		q = q.Where("ja.sender_prescriber_organization_id IN (SELECT id FROM prescriber_organization WHERE uid IN (?))", bun.List(f.PrescriberOrgs))
	}
	if len(f.SenderCompanies) > 0 {
		q = q.Where("ja.sender_company_id IN (SELECT id FROM company WHERE uid IN (?))", bun.List(f.SenderCompanies))
	}
	if len(f.ToCompanies) > 0 {
		q = q.Where("ja.to_company_id IN (SELECT id FROM company WHERE uid IN (?))", bun.List(f.ToCompanies))
	}
	if len(f.Jobs) > 0 {
		q = q.Where(`EXISTS (SELECT 1 FROM job_application_selected_job AS fsj
			JOIN job_description AS fjd ON fjd.id = fsj.job_description_id
			WHERE fsj.job_application_id = ja.id AND fjd.appellation_code IN (?))`, bun.List(f.Jobs))
	}
	if len(f.Departments) > 0 {
		q = q.Where("ja.job_seeker_id IN (SELECT id FROM users WHERE department IN (?))", bun.List(f.Departments))
	}
	if sc.iae {
		q = sc.eligibilityFilters(q, f)
	}
	if name := searchtext.Normalize(f.Name); name != "" {
		p := name + "%"
		q = q.Where("EXISTS (SELECT 1 FROM users AS nu WHERE nu.id = ja.job_seeker_id AND ("+
			db.FoldFunction+"(nu.last_name) LIKE ? OR "+db.FoldFunction+"(nu.first_name) LIKE ?))", p, p)
	}
	return q
}

// eligibilityFilters are the filters on the job seeker's eligibility, PASS IAE and criteria
// (§4), seen as the columns are (listScope.seen): an SIAE sees the prescribers' diagnoses and its
// own, a prescriber's sent list those and the target company's, an employer's sent list the
// prescribers' only (approvals.md §2.4).
func (sc *listScope) eligibilityFilters(q *bun.SelectQuery, f Filters) *bun.SelectQuery {
	visible, args := "fed.author_kind = 'prescriber'", []any{}
	switch {
	case sc.kind == ListInbox:
		visible, args = "(fed.author_kind = 'prescriber' OR fed.author_company_id = ?)", []any{sc.companyID}
	case sc.orgID != 0:
		visible = "(fed.author_kind = 'prescriber' OR fed.author_company_id = ja.to_company_id)"
	}
	const validPASS = "EXISTS (SELECT 1 FROM approval AS fa WHERE fa.user_id = ja.job_seeker_id AND fa.end_at >= ?"
	const suspended = "EXISTS (SELECT 1 FROM suspension AS fs WHERE fs.approval_id = fa.id AND fs.start_at <= ? AND fs.end_at >= ?)"
	if len(f.Eligibility) == 1 {
		validated := "(" + validPASS + ") OR EXISTS (SELECT 1 FROM eligibility_diagnosis AS fed WHERE fed.job_seeker_id = ja.job_seeker_id AND fed.expires_at > ? AND " + visible + "))"
		vargs := append([]any{sc.today, sc.today}, args...)
		if f.Eligibility[0] == EligibilityPending {
			validated = "NOT " + validated
		}
		q = q.Where(validated, vargs...)
	}
	if len(f.PASS) > 0 {
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			for _, p := range f.PASS {
				switch p {
				case PASSActive:
					q = q.WhereOr(validPASS+" AND NOT "+suspended+")", sc.today, sc.today, sc.today)
				case PASSSuspended:
					q = q.WhereOr(validPASS+" AND "+suspended+")", sc.today, sc.today, sc.today)
				case PASSExpired:
					q = q.WhereOr("NOT "+validPASS+") AND EXISTS (SELECT 1 FROM approval AS fe WHERE fe.user_id = ja.job_seeker_id)", sc.today)
				}
			}
			return q
		})
	}
	for _, c := range f.Criteria {
		q = q.Where(`EXISTS (SELECT 1 FROM eligibility_diagnosis AS fed
			JOIN selected_administrative_criteria AS fsc ON fsc.eligibility_diagnosis_id = fed.id
			WHERE fed.job_seeker_id = ja.job_seeker_id AND fsc.administrative_criteria_id = ? AND `+visible+")",
			append([]any{c}, args...)...)
	}
	return q
}

// listRowScan is what the rows query reads.
type listRowScan struct {
	ID                  int64      `bun:"id"`
	PublicID            string     `bun:"public_id"`
	State               State      `bun:"state"`
	ArchivedAt          *time.Time `bun:"archived_at"`
	CreatedAt           time.Time  `bun:"created_at"`
	SenderKind          SenderKind `bun:"sender_kind"`
	SenderID            *int64     `bun:"sender_id"`
	SenderCompanyID     *int64     `bun:"sender_company_id"`
	ToCompanyID         int64      `bun:"to_company_id"`
	JobSeekerID         int64      `bun:"job_seeker_id"`
	CompanyKind         string     `bun:"co_kind"`
	JSPublicID          string     `bun:"js_public_id"`
	JSFirst             string     `bun:"js_first_name"`
	JSLast              string     `bun:"js_last_name"`
	JSCity              string     `bun:"js_city"`
	JSDepartment        string     `bun:"js_department"`
	JSCreatedBy         *int64     `bun:"js_created_by_id"`
	CompanyName         string     `bun:"co_name"`
	CompanyBrand        string     `bun:"co_brand"`
	CompanyUID          string     `bun:"co_uid"`
	SenderCompanyName   *string    `bun:"sco_name"`
	SenderCompanyBrand  *string    `bun:"sco_brand"`
	SenderOrgName       *string    `bun:"po_name"`
	SenderOrgStatus     *string    `bun:"po_status"`
	SenderFirst         *string    `bun:"su_first_name"`
	SenderLast          *string    `bun:"su_last_name"`
	SenderPrescriberOrg *int64     `bun:"sender_prescriber_organization_id"`
}

// rowsQuery selects the rows of a list with everything their columns show, in one query.
func (s *Service) rowsQuery(idb bun.IDB) *bun.SelectQuery {
	return idb.NewSelect().TableExpr("job_application AS ja").
		ColumnExpr("ja.id, ja.public_id, ja.state, ja.archived_at, ja.created_at, ja.sender_kind, ja.sender_id").
		ColumnExpr("ja.sender_company_id, ja.sender_prescriber_organization_id, ja.to_company_id, ja.job_seeker_id").
		ColumnExpr("u.public_id AS js_public_id, u.first_name AS js_first_name, u.last_name AS js_last_name").
		ColumnExpr("u.city AS js_city, u.department AS js_department, u.created_by_id AS js_created_by_id").
		ColumnExpr("co.name AS co_name, co.brand AS co_brand, co.uid AS co_uid, co.kind AS co_kind").
		ColumnExpr("sco.name AS sco_name, sco.brand AS sco_brand, po.name AS po_name, po.authorization_status AS po_status").
		ColumnExpr("su.first_name AS su_first_name, su.last_name AS su_last_name").
		Join("JOIN users AS u ON u.id = ja.job_seeker_id").
		Join("JOIN company AS co ON co.id = ja.to_company_id").
		Join("LEFT JOIN company AS sco ON sco.id = ja.sender_company_id").
		Join("LEFT JOIN prescriber_organization AS po ON po.id = ja.sender_prescriber_organization_id").
		Join("LEFT JOIN users AS su ON su.id = ja.sender_id")
}

// pageIDs selects the ids of the candidatures of the list in its order, from job_application
// alone (and the job seekers' names for that sort), so that the database walks an index in
// order and stops at the page instead of sorting every joined row; rowsQuery then reads the
// page's rows.
func (sc *listScope) pageIDs(idb bun.IDB, f Filters) *bun.SelectQuery {
	q := idb.NewSelect().TableExpr("job_application AS ja").Column("ja.id")
	if f.Sort == SortName || f.Sort == SortNameDesc {
		q = q.Join("JOIN users AS u ON u.id = ja.job_seeker_id")
	}
	return order(sc.filter(q, f), f.Sort)
}

// order sorts a list (§4: newest first by default, then id).
func order(q *bun.SelectQuery, sort string) *bun.SelectQuery {
	switch sort {
	case SortOldest:
		return q.OrderExpr("ja.created_at ASC, ja.id ASC")
	case SortName:
		return q.OrderExpr("lower(u.last_name || ' ' || u.first_name) ASC, ja.id ASC")
	case SortNameDesc:
		return q.OrderExpr("lower(u.last_name || ' ' || u.first_name) DESC, ja.id DESC")
	}
	return q.OrderExpr("ja.created_at DESC, ja.id DESC")
}

// row turns a scanned row into what the list shows to the viewer of the scope.
func (sc *listScope) row(r *listRowScan) ListRow {
	out := ListRow{PublicID: r.PublicID, State: r.State, Archived: r.ArchivedAt != nil, CreatedAt: r.CreatedAt,
		JobSeekerPublicID: r.JSPublicID, JobSeekerName: joinName(r.JSFirst, r.JSLast),
		CompanyUID: r.CompanyUID, Company: r.CompanyName}
	if r.CompanyBrand != "" {
		out.Company = r.CompanyBrand
	}
	if sc.orienteur && (r.JSCreatedBy == nil || *r.JSCreatedBy != sc.userID) {
		out.JobSeekerName = jobseeker.MaskedName(r.JSFirst, r.JSLast)
	} else if r.JSDepartment != "" || r.JSCity != "" {
		out.JobSeekerPlace = strings.Trim(r.JSDepartment+" - "+r.JSCity, " -")
	}
	authorized := r.SenderOrgStatus != nil && *r.SenderOrgStatus == string(org.AuthorizationValidated)
	out.SenderKind = DisplayedSenderKind(r.SenderKind, authorized)
	switch {
	case r.SenderID != nil && *r.SenderID == sc.userID && sc.kind != ListJobSeeker:
		out.Sender = "Vous"
	case r.SenderKind == SenderJobSeeker:
		out.Sender = "Le candidat lui-même"
		if sc.kind == ListJobSeeker {
			out.Sender = "Vous"
		}
	case r.SenderCompanyID != nil && r.SenderCompanyName != nil:
		out.Sender = deref(r.SenderCompanyName)
		if b := deref(r.SenderCompanyBrand); b != "" {
			out.Sender = b
		}
	case r.SenderOrgName != nil:
		out.Sender = *r.SenderOrgName
	case r.SenderFirst != nil:
		out.Sender = joinName(*r.SenderFirst, deref(r.SenderLast))
	default:
		out.Sender = out.SenderKind
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// List returns a page of one of the lists of §4 for the actor, filtered by f.
func (s *Service) List(ctx context.Context, a actor.Actor, kind ListKind, f Filters) (*ListPage, error) {
	sc, err := s.scopeOf(ctx, a, kind, true)
	if err != nil {
		return nil, err
	}
	active := f.Active()
	if kind == ListJobSeeker { // all of one's own, archived included (§4)
		f.Archived = ArchivedAll
	}
	out := &ListPage{Kind: kind, Filters: f, States: s.filterStates(sc)}
	count, err := sc.filter(s.db.NewSelect().TableExpr("job_application AS ja"), f).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("application: count %s: %w", kind, err)
	}
	out.Total = int(count)
	out.Pages = max(1, (out.Total+ListPageSize-1)/ListPageSize)
	out.Page = min(max(f.Page, 1), out.Pages)
	var scans []listRowScan
	ids := sc.pageIDs(s.db, f).Limit(ListPageSize).Offset(int64((out.Page - 1) * ListPageSize))
	if err := order(s.rowsQuery(s.db).Where("ja.id IN (?)", ids), f.Sort).Scan(ctx, &scans); err != nil {
		return nil, fmt.Errorf("application: list %s: %w", kind, err)
	}
	appIDs := make([]int64, len(scans))
	for i := range scans {
		appIDs[i] = scans[i].ID
	}
	names, err := selectedJobNames(ctx, s.db, appIDs)
	if err != nil {
		return nil, err
	}
	columns, err := s.eligibilityColumns(ctx, sc, scans)
	if err != nil {
		return nil, err
	}
	for i := range scans {
		r := sc.row(&scans[i])
		r.Jobs = names[scans[i].ID]
		if col, ok := columns[sc.seen(&scans[i])]; ok {
			r.Eligibility = &col
		}
		out.Rows = append(out.Rows, r)
	}
	if err := s.filterOptions(ctx, sc, f, out); err != nil {
		return nil, err
	}
	if count == 0 {
		out.Empty = "filtered"
		if active == 0 {
			out.Empty = "none"
		}
	}
	return out, nil
}

// seen is how a row looks at its job seeker's eligibility (applications.md §4): an SIAE's
// inbox from that SIAE; a sent list from the target company's requirement, with its own
// diagnoses shown to prescribers but never to another company (approvals.md §2.4), and of a
// GEIQ only the prescribers' (§2.6). The zero Seen: no columns.
func (sc *listScope) seen(r *listRowScan) eligibility.Seen {
	switch sc.kind {
	case ListInbox:
		if sc.iae {
			return eligibility.Seen{JobSeekerID: r.JobSeekerID, CompanyID: sc.companyID, Requirement: eligibility.IAEEligibility}
		}
	case ListSent:
		v := eligibility.Seen{JobSeekerID: r.JobSeekerID, Requirement: eligibility.RequirementOf(org.CompanyKind(r.CompanyKind))}
		if v.Requirement == eligibility.IAEEligibility && sc.orgID != 0 {
			v.CompanyID = r.ToCompanyID
		}
		return v
	}
	return eligibility.Seen{}
}

// eligibilityColumns reads the eligibility columns of a page's rows in a constant number of
// queries (eligibility.Columns), seen by the viewer's company (0: a prescriber organization).
func (s *Service) eligibilityColumns(ctx context.Context, sc *listScope, scans []listRowScan) (map[eligibility.Seen]eligibility.Column, error) {
	var seen []eligibility.Seen
	for i := range scans {
		if v := sc.seen(&scans[i]); v != (eligibility.Seen{}) {
			seen = append(seen, v)
		}
	}
	if len(seen) == 0 {
		return nil, nil
	}
	return s.Eligibility.Columns(ctx, sc.companyID, seen)
}

// filterStates are the states offered by the filter: prior_to_hire only for a GEIQ's inbox (§4).
func (s *Service) filterStates(sc *listScope) []State {
	if sc.kind == ListInbox && !sc.isGEIQ {
		return slices.DeleteFunc(slices.Clone(States), func(st State) bool { return st == PriorToHire })
	}
	return States
}

// filterOptions loads the choices of the filters that depend on the scope, one query each; of
// the searchable filters, only the chosen organizations, when there are.
func (s *Service) filterOptions(ctx context.Context, sc *listScope, f Filters, out *ListPage) error {
	if sc.kind == ListJobSeeker {
		return nil
	}
	if out.IAE = sc.iae; sc.iae {
		cat, err := s.Eligibility.Catalog(ctx)
		if err != nil {
			return err
		}
		for _, c := range cat.IAE {
			out.Criteria = append(out.Criteria, Option{Value: strconv.Itoa(int(c.ID)), Label: c.Name})
		}
	}
	scan := func(what string, q *bun.SelectQuery, dst *[]Option) error {
		if err := q.Scan(ctx, dst); err != nil {
			return fmt.Errorf("application: %s options: %w", what, err)
		}
		return nil
	}
	if err := scan("department", s.db.NewSelect().TableExpr("department").
		ColumnExpr("code AS value, code || ' - ' || name AS label").OrderExpr("name"), &out.Departments); err != nil {
		return err
	}
	// Fiches: the company's own for the inbox; those the scope's candidatures selected otherwise.
	jobs := s.db.NewSelect().TableExpr("job_description AS jd").
		ColumnExpr("DISTINCT jd.appellation_code AS value, ra.label AS label").
		Join("JOIN rome_appellation AS ra ON ra.code = jd.appellation_code").OrderExpr("ra.label")
	if sc.kind == ListInbox {
		jobs = jobs.Where("jd.company_id = ?", sc.companyID)
	} else {
		jobs = jobs.Where("jd.id IN (?)", sc.where(s.db.NewSelect().TableExpr("job_application_selected_job AS sj").
			Column("sj.job_description_id").Join("JOIN job_application AS ja ON ja.id = sj.job_application_id")))
	}
	if err := scan("job", jobs, &out.Jobs); err != nil {
		return err
	}
	for _, sf := range searchableFilters[sc.kind] {
		if chosen := sf.chosen(&f); len(*chosen) > 0 {
			q := s.senderOptions(sc, sf).Where(sf.alias+".uid IN (?)", bun.List(*chosen))
			if err := scan(sf.name, q, sf.options(out)); err != nil {
				return err
			}
		}
	}
	return nil
}

// searchableFilter is a filter among the organizations of a scope's candidatures, which may be
// thousands (a big employer's prescribers): the list shows only the chosen ones and
// Suggestions finds the others by name.
type searchableFilter struct {
	name    string // the query parameter
	table   string // the organizations
	alias   string
	column  string // the candidature's column pointing to them
	label   string // their displayed name
	chosen  func(*Filters) *[]string
	options func(*ListPage) *[]Option
}

const companyLabel = "CASE WHEN co.brand <> '' THEN co.brand ELSE co.name END"

// searchableFilters are the searchable filters of each list.
var searchableFilters = map[ListKind][]searchableFilter{
	ListInbox: {
		{"prescriber_organizations", "prescriber_organization", "po", "ja.sender_prescriber_organization_id", "po.name",
			func(f *Filters) *[]string { return &f.PrescriberOrgs }, func(p *ListPage) *[]Option { return &p.PrescriberOrgs }},
		{"sender_companies", "company", "co", "ja.sender_company_id", companyLabel,
			func(f *Filters) *[]string { return &f.SenderCompanies }, func(p *ListPage) *[]Option { return &p.SenderCompanies }},
	},
	ListSent: {
		{"to_companies", "company", "co", "ja.to_company_id", companyLabel,
			func(f *Filters) *[]string { return &f.ToCompanies }, func(p *ListPage) *[]Option { return &p.ToCompanies }},
	},
}

// senderOptions selects the organizations of sf found in the scope's candidatures, by name; an
// inbox leaves out its own company (its direct hires).
func (s *Service) senderOptions(sc *listScope, sf searchableFilter) *bun.SelectQuery {
	ids := sc.where(s.db.NewSelect().TableExpr("job_application AS ja").ColumnExpr("DISTINCT " + sf.column)).
		Where(sf.column + " IS NOT NULL")
	q := s.db.NewSelect().TableExpr(sf.table+" AS "+sf.alias).
		ColumnExpr(sf.alias+".uid AS value, "+sf.label+" AS label").Where(sf.alias+".id IN (?)", ids).OrderExpr("label")
	if sc.kind == ListInbox && sf.table == "company" {
		q = q.Where(sf.alias+".id <> ?", sc.companyID)
	}
	return q
}

// MaxSuggestions bounds the organizations Suggestions returns.
const MaxSuggestions = 20

// Suggestions are the organizations of a searchable filter of the list (prescriber_organizations
// and sender_companies of the inbox, to_companies of the sent list)
// whose name contains every word of q, accents and case aside; nil under 2 characters. It reads
// the scope's senders, a few thousand at most, and matches them here, as SQLite's lower() knows
// no accents.
func (s *Service) Suggestions(ctx context.Context, a actor.Actor, kind ListKind, filter, q string) ([]Option, error) {
	sc, err := s.scopeOf(ctx, a, kind, false)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(searchableFilters[kind], func(sf searchableFilter) bool { return sf.name == filter })
	if i < 0 {
		return nil, ErrNotFound
	}
	words := strings.Fields(searchtext.Normalize(q))
	if len(strings.Join(words, "")) < 2 {
		return nil, nil
	}
	var rows []Option
	if err := s.senderOptions(sc, searchableFilters[kind][i]).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("application: %s suggestions: %w", filter, err)
	}
	type match struct {
		Option
		key string
	}
	var found []match
	for _, o := range rows {
		key := searchtext.Normalize(o.Label)
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(key, w) }) {
			found = append(found, match{o, key})
		}
	}
	// By name, accents and case aside, the same on both engines.
	slices.SortFunc(found, func(a, b match) int { return strings.Compare(a.key, b.key) })
	out := make([]Option, 0, min(len(found), MaxSuggestions))
	for _, m := range found[:min(len(found), MaxSuggestions)] {
		out = append(out, m.Option)
	}
	return out, nil
}

// Count is the number of candidatures of a list under f, as List counts them: one query. The
// dashboard cards show it (actors.md §14).
func (s *Service) Count(ctx context.Context, a actor.Actor, kind ListKind, f Filters) (int, error) {
	sc, err := s.scopeOf(ctx, a, kind, false)
	if err != nil {
		return 0, err
	}
	if kind == ListJobSeeker {
		f.Archived = ArchivedAll
	}
	n, err := sc.filter(s.db.NewSelect().TableExpr("job_application AS ja"), f).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("application: count %s: %w", kind, err)
	}
	return int(n), nil
}

// ToProcessStates are the states of the employer's « À traiter » card and link (actors.md §14):
// new and processing, and prior_to_hire for a GEIQ.
func ToProcessStates(companyKind string) []State {
	if companyKind == string(org.GEIQ) {
		return []State{New, Processing, PriorToHire}
	}
	return []State{New, Processing}
}

// Stalled job seekers (« candidats sans solution », actors.md §2.2): applied within the last 6
// months, first candidature more than 30 days ago, none accepted, not overridden by an authorized
// prescriber.
const (
	StalledRecentMonths = 6
	StalledAfterDays    = 30
)

// StalledCount is the number of « candidats sans solution » among the job seekers the actor's
// organization sent candidatures for (the prescriber's dashboard card): one query.
func (s *Service) StalledCount(ctx context.Context, a actor.Actor) (int, error) {
	sc, err := s.scopeOf(ctx, a, ListSent, false)
	if err != nil {
		return 0, err
	}
	now := s.now()
	seekers := sc.where(s.db.NewSelect().TableExpr("job_application AS ja").Column("ja.job_seeker_id"))
	stalled := s.db.NewSelect().TableExpr("job_application AS sja").Column("sja.job_seeker_id").
		Where("sja.job_seeker_id IN (?)", seekers).GroupExpr("sja.job_seeker_id").
		Having("MAX(sja.created_at) > ?", now.AddDate(0, -StalledRecentMonths, 0)).
		Having("MIN(sja.created_at) < ?", now.AddDate(0, 0, -StalledAfterDays)).
		Having("SUM(CASE WHEN sja.state = ? THEN 1 ELSE 0 END) = 0", Accepted)
	var n int
	err = s.db.NewSelect().TableExpr("(?) AS st", stalled).ColumnExpr("COUNT(*)").
		Where("NOT EXISTS (SELECT 1 FROM job_seeker_profile AS p WHERE p.user_id = st.job_seeker_id AND p.is_not_stalled_anymore)").
		Scan(ctx, &n)
	if err != nil {
		return 0, fmt.Errorf("application: stalled job seekers: %w", err)
	}
	return n, nil
}

// BatchLabels names the selected candidatures of the actor's inbox for the report of a batch
// action: « Candidature de Prénom NOM » by public id (those of other companies are left out).
func (s *Service) BatchLabels(ctx context.Context, a actor.Actor, publicIDs []string) (map[string]string, error) {
	out := map[string]string{}
	if companyOf(a) == 0 || len(publicIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		PublicID string `bun:"public_id"`
		First    string `bun:"first_name"`
		Last     string `bun:"last_name"`
	}
	err := s.db.NewSelect().TableExpr("job_application AS ja").ColumnExpr("ja.public_id, u.first_name, u.last_name").
		Join("JOIN users AS u ON u.id = ja.job_seeker_id").Where("ja.to_company_id = ?", companyOf(a)).
		Where("ja.public_id IN (?)", bun.List(publicIDs)).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("application: batch labels: %w", err)
	}
	for _, r := range rows {
		out[r.PublicID] = "Candidature de " + joinName(r.First, r.Last)
	}
	return out, nil
}
