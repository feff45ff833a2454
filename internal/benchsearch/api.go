package benchsearch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/apitoken"
	"emplois/internal/app"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/secretkey"
)

// Budget of issue 12 (`make bench-api`) for candidatures/recherche/; the listings keep MaxP95.
const MaxRechercheP95 = 30 * time.Millisecond

// Routes of the partner API measured by `make bench-api`.
const (
	SiaesRoute         = "GET /api/v1/siaes/{$}"
	CandidatsRoute     = "GET /api/v1/candidats/{$}"
	DataInclusionRoute = "GET /api/v1/data-inclusion/{$}"
	MarcheRoute        = "GET /api/v1/marche/{$}"
	RecordsRoute       = "GET /api/v1/employee-records/{$}"
	NotificationsRoute = "GET /api/v1/employee-record-notifications/{$}"
	RechercheRoute     = "POST /api/v1/candidatures/recherche/{$}"
	// GEIQRoute is the GEIQ hires of the label (api.md §6): measured once the route exists,
	// "skipped: no route" before.
	GEIQRoute = "GET /api/v1/embauches-geiq/{$}"
)

// benchLabel marks what the bench makes (tokens' mémos, fiches' batch files).
const benchLabel = "banc d'essai"

// APIFixture is what the API targets need from the data set: the keys of one token of each
// family, made by PrepareAPI through internal/apitoken, and the people the search looks for.
type APIFixture struct {
	// DepartmentKey is a département token (Rhône) for siaes/ and candidatures/recherche/;
	// DataInclusionKey and MarcheKey service tokens of these partners; GEIQKey a company token
	// of the GEIQ with the most hires.
	DepartmentKey, DataInclusionKey, MarcheKey, GEIQKey string
	// CandidatsKey is the user token of an admin of all their companies, one of which is the
	// company with the most candidatures (candidats/); RecordsKey that of an admin of the
	// company with the most fiches salarié (employee-records/ and their notifications).
	CandidatsKey, RecordsKey string
	CandidatsCompany         string // uid
	RecordsCompanyID         int64
	// Records and Notifications are the fiches salarié (PROCESSED) and update notifications of
	// the data set after PrepareAPI, Added those it added (the seed makes none).
	Records, Notifications, Added int
	// Hits are people of the data set who applied lately (NIR, birth date and names as
	// stored); Misses the same with a birth date that is not theirs, and unknown NIRs.
	Hits, Misses []Person
	// tokens are the family tokens made, revoked by Close.
	tokens  []int64
	service *apitoken.Service
}

// Person is the body of candidatures/recherche/.
type Person struct {
	NIR       string `json:"nir"`
	LastName  string `json:"nom"`
	FirstName string `json:"prenom"`
	Birthdate string `json:"date_naissance"`
}

// searched is how many people the search looks for, in turn.
const searched = 50

// PrepareAPI makes the fixture: the fiches salarié the data set lacks (idempotently), fresh
// tokens of each family (keys are never stored, so a run cannot reuse the last one's; Close
// revokes the family tokens) and the people to search. cfg must be the configuration the site
// is served with: user keys derive from its secret key.
func PrepareAPI(ctx context.Context, d *db.DB, cfg config.Config) (*APIFixture, error) {
	secret, err := secretkey.Load(ctx, d, cfg)
	if err != nil {
		return nil, err
	}
	f := &APIFixture{service: apitoken.NewService(d, secret)}
	if f.Added, err = addEmployeeRecords(ctx, d); err != nil {
		return nil, err
	}
	if err := d.NewSelect().TableExpr("employee_record").ColumnExpr("count(*)").Where("status = 'PROCESSED'").Scan(ctx, &f.Records); err != nil {
		return nil, err
	}
	if err := d.NewSelect().TableExpr("employee_record_update_notification").ColumnExpr("count(*)").Scan(ctx, &f.Notifications); err != nil {
		return nil, err
	}
	// candidats/: the company with the most candidatures that has an admin who is admin of all
	// their companies.
	var candidats []struct {
		UID    string `bun:"uid"`
		UserID int64  `bun:"user_id"`
	}
	err = d.NewSelect().TableExpr("job_application AS ja").ColumnExpr("co.uid, min(m.user_id) AS user_id").
		Join("JOIN company AS co ON co.id = ja.to_company_id").
		Join("JOIN company_membership AS m ON m.organization_id = co.id AND m.is_active AND m.is_admin").
		Join("JOIN users AS u ON u.id = m.user_id AND u.is_active AND u.kind = ?", actor.Professional).
		Where("NOT EXISTS (SELECT 1 FROM company_membership AS o WHERE o.user_id = m.user_id AND o.is_active AND NOT o.is_admin)").
		GroupExpr("co.id, co.uid").OrderExpr("count(*) DESC, co.id").Limit(1).Scan(ctx, &candidats)
	if err != nil {
		return nil, fmt.Errorf("benchsearch: admin for candidats/: %w", err)
	}
	if len(candidats) == 0 {
		return nil, errors.New("benchsearch: no company admin for candidats/ in the data set")
	}
	f.CandidatsCompany = candidats[0].UID
	// employee-records/: an admin of the company with the most fiches.
	var records []struct {
		CompanyID int64 `bun:"to_company_id"`
		UserID    int64 `bun:"user_id"`
	}
	err = d.NewSelect().TableExpr("employee_record AS er").ColumnExpr("ja.to_company_id, min(m.user_id) AS user_id").
		Join("JOIN job_application AS ja ON ja.id = er.job_application_id").
		Join("JOIN company_membership AS m ON m.organization_id = ja.to_company_id AND m.is_active AND m.is_admin").
		Join("JOIN users AS u ON u.id = m.user_id AND u.is_active").
		Where("er.status = 'PROCESSED'").GroupExpr("ja.to_company_id").OrderExpr("count(*) DESC, ja.to_company_id").Limit(1).Scan(ctx, &records)
	if err != nil {
		return nil, fmt.Errorf("benchsearch: admin for employee-records/: %w", err)
	}
	if len(records) == 0 {
		return nil, errors.New("benchsearch: no fiche salarié with a company admin in the data set")
	}
	f.RecordsCompanyID = records[0].CompanyID
	if f.CandidatsKey, err = f.service.KeyForLogin(ctx, candidats[0].UserID, ""); err != nil {
		return nil, err
	}
	if f.RecordsKey, err = f.service.KeyForLogin(ctx, records[0].UserID, ""); err != nil {
		return nil, err
	}
	if err := f.familyTokens(ctx, d); err != nil {
		f.Close(ctx)
		return nil, err
	}
	if err := f.people(ctx, d, cfg); err != nil {
		f.Close(ctx)
		return nil, err
	}
	return f, nil
}

// familyTokens makes the département, service and company tokens, as the command line does.
func (f *APIFixture) familyTokens(ctx context.Context, d *db.DB) error {
	label := fmt.Sprintf("%s %s", benchLabel, time.Now().UTC().Format("20060102T150405.000000"))
	var geiq []string
	err := d.NewSelect().TableExpr("job_application AS ja").ColumnExpr("co.uid").
		Join("JOIN company AS co ON co.id = ja.to_company_id").Where("co.kind = ?", org.GEIQ).Where("ja.state = 'accepted'").
		GroupExpr("co.id, co.uid").OrderExpr("count(*) DESC, co.id").Limit(1).Scan(ctx, &geiq)
	if err != nil {
		return fmt.Errorf("benchsearch: GEIQ with hires: %w", err)
	}
	if len(geiq) == 0 {
		return errors.New("benchsearch: no GEIQ with hires in the data set")
	}
	for _, t := range []struct {
		in  apitoken.FamilyInput
		key *string
	}{
		{apitoken.FamilyInput{Kind: apitoken.DepartmentToken, Department: "69", Label: label}, &f.DepartmentKey},
		{apitoken.FamilyInput{Kind: apitoken.ServiceToken, Service: apitoken.DataInclusion, Label: label}, &f.DataInclusionKey},
		{apitoken.FamilyInput{Kind: apitoken.ServiceToken, Service: apitoken.LeMarche, Label: label}, &f.MarcheKey},
		{apitoken.FamilyInput{Kind: apitoken.CompanyToken, Companies: geiq, Label: label}, &f.GEIQKey},
	} {
		issued, err := f.service.CreateFamily(ctx, actor.Actor{}, t.in)
		if err != nil {
			return fmt.Errorf("benchsearch: %s token: %w", t.in.Kind, err)
		}
		*t.key = issued.Key
		f.tokens = append(f.tokens, issued.Token.ID)
	}
	return nil
}

// people picks the searched job seekers among those of the latest candidatures, with
// candidatures the search shows.
func (f *APIFixture) people(ctx context.Context, d *db.DB, cfg config.Config) error {
	var rows []struct {
		ID        int64     `bun:"id"`
		NIR       string    `bun:"nir"`
		Birthdate time.Time `bun:"birthdate"`
		First     string    `bun:"first_name"`
		Last      string    `bun:"last_name"`
	}
	err := d.NewSelect().TableExpr("users AS u").ColumnExpr("u.id, p.nir, p.birthdate, u.first_name, u.last_name").
		Join("JOIN job_seeker_profile AS p ON p.user_id = u.id").
		Where("p.nir IS NOT NULL AND p.birthdate IS NOT NULL").
		Where("u.id IN (SELECT ja.job_seeker_id FROM job_application AS ja ORDER BY ja.created_at DESC LIMIT ?)", 4*searched).
		OrderExpr("u.id").Scan(ctx, &rows)
	if err != nil {
		return fmt.Errorf("benchsearch: people to search: %w", err)
	}
	svc, err := app.New(ctx, cfg, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	for _, r := range rows {
		if len(f.Hits) == searched {
			break
		}
		// The search answers the candidatures changed in the last 3 months: found with some.
		if n, err := svc.Applications.CountPersonApplications(ctx, r.ID); err != nil {
			return err
		} else if n == 0 {
			continue
		}
		i := len(f.Hits)
		p := Person{NIR: r.NIR, LastName: r.Last, FirstName: r.First, Birthdate: r.Birthdate.Format(time.DateOnly)}
		f.Hits = append(f.Hits, p)
		miss := p
		if i%2 == 0 {
			miss.Birthdate = r.Birthdate.AddDate(0, 0, 1).Format(time.DateOnly) // the NIR is found, not the person
		} else {
			miss.NIR = unknownNIR(i)
		}
		f.Misses = append(f.Misses, miss)
	}
	if len(f.Hits) == 0 {
		return errors.New("benchsearch: no job seeker with a NIR, a birth date and recent candidatures in the data set")
	}
	return nil
}

// unknownNIR is a well-formed NIR of nobody: the seed's NIRs never have 99 as their month.
func unknownNIR(i int) string { return fmt.Sprintf("1999999%06d%02d", i, 97-i%97) }

// Close revokes the family tokens the fixture made (the user tokens stay, as token-auth leaves
// them).
func (f *APIFixture) Close(ctx context.Context) error {
	var errs []error
	for _, id := range f.tokens {
		errs = append(errs, f.service.Revoke(ctx, actor.Actor{}, id))
	}
	f.tokens = nil
	return errors.Join(errs...)
}

// processedLabel is the ASP's answer on the fiches and notifications the bench adds.
const processedLabel = "Données sécurisées (" + benchLabel + ")"

// addEmployeeRecords gives every accepted candidature with a PASS IAE at an SIAE under
// convention a fiche salarié integrated by the ASP (PROCESSED, as the exchange leaves it), and
// one fiche in five an update notification, unless they have one: the national data set has
// none. One statement each, idempotent; it returns how many fiches it added. (NOT IN, not a
// correlated NOT EXISTS: no index leads to a fiche's notifications, SQLite would scan them all
// for each fiche.)
func addEmployeeRecords(ctx context.Context, d *db.DB) (int, error) {
	uuid := "lower(hex(randomblob(16)))"
	if d.Engine == db.Postgres {
		uuid = "gen_random_uuid()::text"
	}
	var siae []string
	for _, k := range org.CompanyKinds {
		if k.IsSIAE() {
			siae = append(siae, string(k))
		}
	}
	var added int64
	err := d.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewRaw(`INSERT INTO employee_record (public_id, status, job_application_id, approval_number, siret,
			asp_measure, asp_id, processed_at, asp_batch_file, asp_batch_line_number, asp_processing_code, asp_processing_label,
			created_at, updated_at)
		SELECT `+uuid+`, 'PROCESSED', ja.id, ap.number, co.siret, co.kind || '_DC', cv.asp_id, ja.updated_at,
			'RIAE_FS_20260101000000.json', ja.id, '0000', ?, ja.updated_at, ja.updated_at
		FROM job_application AS ja
		JOIN approval AS ap ON ap.id = ja.approval_id
		JOIN company AS co ON co.id = ja.to_company_id
		JOIN siae_convention AS cv ON cv.id = co.convention_id
		WHERE ja.state = 'accepted' AND co.kind IN (?) AND length(co.siret) = 14
			AND NOT EXISTS (SELECT 1 FROM employee_record AS er WHERE er.job_application_id = ja.id)
		ON CONFLICT DO NOTHING`, processedLabel, bun.List(siae)).Exec(ctx)
		if err != nil {
			return fmt.Errorf("benchsearch: fiches salarié: %w", err)
		}
		if added, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = tx.NewRaw(`INSERT INTO employee_record_update_notification (employee_record_id, status, asp_batch_file,
			asp_batch_line_number, asp_processing_code, asp_processing_label, created_at, updated_at)
		SELECT er.id, 'PROCESSED', 'RIAE_FS_20260102000000.json', er.id, '0000', ?,
			er.created_at, er.created_at
		FROM employee_record AS er
		WHERE er.status = 'PROCESSED' AND er.id % 5 = 0 AND er.asp_batch_file = 'RIAE_FS_20260101000000.json'
			AND er.id NOT IN (SELECT n.employee_record_id FROM employee_record_update_notification AS n)`, processedLabel).Exec(ctx)
		if err != nil {
			return fmt.Errorf("benchsearch: notifications of fiches salarié: %w", err)
		}
		return nil
	})
	return int(added), err
}

// APITargets are the listings of the partner API with a page of 20 and the search of
// candidatures (people found and not), each with the credentials of its family, next to the
// reference page.
func APITargets(f *APIFixture) []Target {
	token := func(key string) http.Header { return http.Header{"Authorization": {"Token " + key}} }
	page := "page_size=20"
	bodies := func(people []Person) [][]byte {
		out := make([][]byte, len(people))
		for i, p := range people {
			out[i], _ = json.Marshal(p)
		}
		return out
	}
	return []Target{
		{Name: "(a) reference: one commune by key", Route: ReferenceRoute, Paths: []string{"/bench/reference?code=" + Lyon}, Reference: true},
		{Name: "(k) siaes/ 25 km Lyon, département token", Route: SiaesRoute, Search: true, Header: token(f.DepartmentKey),
			Paths: []string{"/api/v1/siaes/?code_insee=" + Lyon + "&distance_max_km=25&" + page}},
		{Name: "(k) siaes/ 25 km Paris, département token", Route: SiaesRoute, Search: true, Header: token(f.DepartmentKey),
			Paths: []string{"/api/v1/siaes/?code_insee=" + Paris + "&distance_max_km=25&" + page}},
		{Name: "(k) candidats/, user token", Route: CandidatsRoute, Search: true, Header: token(f.CandidatsKey),
			Paths: []string{"/api/v1/candidats/?uid_structures=" + url.QueryEscape(f.CandidatsCompany) + "&" + page}},
		{Name: "(k) data-inclusion/ type=siae", Route: DataInclusionRoute, Search: true, Header: token(f.DataInclusionKey),
			Paths: []string{"/api/v1/data-inclusion/?type=siae&" + page}},
		{Name: "(k) data-inclusion/ type=orga", Route: DataInclusionRoute, Search: true, Header: token(f.DataInclusionKey),
			Paths: []string{"/api/v1/data-inclusion/?type=orga&" + page}},
		{Name: "(k) data-inclusion/ type=siae, last page", Route: DataInclusionRoute, Search: true, Header: token(f.DataInclusionKey),
			Paths: []string{"/api/v1/data-inclusion/?type=siae&page=last&" + page}},
		{Name: "(k) marche/, service token", Route: MarcheRoute, Search: true, Header: token(f.MarcheKey),
			Paths: []string{"/api/v1/marche/?" + page}},
		{Name: "(k) employee-records/, user token", Route: RecordsRoute, Search: true, Header: token(f.RecordsKey),
			Paths: []string{"/api/v1/employee-records/?" + page}},
		{Name: "(k) employee-record-notifications/", Route: NotificationsRoute, Search: true, Header: token(f.RecordsKey),
			Paths: []string{"/api/v1/employee-record-notifications/?" + page}},
		{Name: "(k) embauches-geiq/, company token", Route: GEIQRoute, Search: true, Header: token(f.GEIQKey),
			Paths: []string{"/api/v1/embauches-geiq/?" + page}},
		{Name: "(l) candidatures/recherche/, found", Route: RechercheRoute, Search: true, Budget: MaxRechercheP95,
			Header: token(f.DepartmentKey), Paths: []string{"/api/v1/candidatures/recherche/?" + page}, Bodies: bodies(f.Hits)},
		{Name: "(l) candidatures/recherche/, not found", Route: RechercheRoute, Search: true, Budget: MaxRechercheP95,
			Header: token(f.DepartmentKey), Paths: []string{"/api/v1/candidatures/recherche/?" + page}, Bodies: bodies(f.Misses)},
	}
}

// APISummary is the lines printed under the table: the statements and results of one request
// of each target, and what PrepareAPI added to the data set.
func APISummary(f *APIFixture, results []Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "statements and results of one request:")
	for _, r := range results {
		if r.Target.Reference {
			continue
		}
		if r.Skipped != "" {
			fmt.Fprintf(&b, "\n  %-48s not measured (%s)", r.Target.Name, r.Skipped)
			continue
		}
		fmt.Fprintf(&b, "\n  %-48s %2d statements, %d results", r.Target.Name, len(r.Queries), r.Items)
	}
	fmt.Fprintf(&b, "\ndata set: %d fiches salarié PROCESSED (%d added by this run), %d update notifications; tokens made for the run: département 69, data-inclusion, le-marche, GEIQ company (revoked at the end), user tokens of two employer admins\n",
		f.Records, f.Added, f.Notifications)
	return b.String()
}
