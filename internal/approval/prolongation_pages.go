package approval

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/xlsx"
)

// What the prolongation pages read: the declaration form's choices, the report file, and the
// habilitated prescriber's list and page of requests.

// ReasonOption is a prolongation reason as the declaration form offers it: disabled, with why,
// when the PASS's prolongations use up its cap (scenario 21); MaxEnd is its latest end.
type ReasonOption struct {
	Reason   ProlongationReason
	Disabled bool
	MaxEnd   time.Time
}

// Label is the reason's French name.
func (o ReasonOption) Label() string { return o.Reason.Label() }

// NeedsPrescriber: the reason makes a request.
func (o ReasonOption) NeedsPrescriber() bool { return o.Reason.NeedsPrescriber() }

// ProlongationChoices is what the declaration form of a PASS shows its employer.
type ProlongationChoices struct {
	Approval *Approval
	Kind     org.CompanyKind
	// Start is the prolongation's fixed start: the PASS's end.
	Start time.Time
	// Used is the days the PASS's prolongations add up to.
	Used    int
	Reasons []ReasonOption
	// Refusal is why the PASS may not be prolonged now (too early, request pending, expired...),
	// nil when it may; Pending is the request waiting for a prescriber.
	Refusal error
	Pending *ProlongationRequest
}

// ProlongationChoices returns the declaration form's choices to an SIAE that hired with the PASS
// (others get not found, §2.11).
func (s *Service) ProlongationChoices(ctx context.Context, a actor.Actor, publicID string) (*ProlongationChoices, error) {
	ap, err := load(ctx, s.db, "public_id = ?", publicID)
	if err != nil {
		return nil, err
	}
	_, kind, err := prolonger(ctx, s.db, a, ap)
	if err != nil {
		return nil, err
	}
	c := &ProlongationChoices{Approval: ap, Kind: kind, Start: ap.EndAt, Used: ap.prolongedDays(), Pending: ap.PendingRequest()}
	c.Refusal = openToProlongation(ctx, s.db, ap, s.today())
	if c.Refusal != nil {
		if _, ok := fault.As(c.Refusal); !ok {
			return nil, c.Refusal
		}
	}
	for _, rc := range ProlongationReasonsFor(kind, c.Used) {
		c.Reasons = append(c.Reasons, ReasonOption{Reason: rc.Reason, Disabled: rc.Disabled, MaxEnd: ProlongationMaxEnd(rc.Reason, c.Start, c.Used)})
	}
	return c, nil
}

// The report file of a request (« fichier bilan », §2.11): an Excel workbook of at most 1 MB,
// read by its content.
const (
	MaxReportBytes     = 1 << 20
	msgReportNotXLSX   = "Le fichier bilan doit être un fichier Excel (.xlsx)."
	msgReportTooLarge  = "Le fichier bilan ne doit pas dépasser 1 Mo."
	reportFolder       = "prolongation-report/"
	reportContentType  = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	fieldReportFile    = "report_file"
	reportDownloadName = "fichier_bilan_prolongation.xlsx"
)

// ErrReportTooLarge: a report file over MaxReportBytes (the page also tells it of a form body
// too large to read).
var ErrReportTooLarge = fault.InvalidField(fieldReportFile, msgReportTooLarge)

// CheckReport tells whether data is a genuine workbook of at most 1 MB.
func CheckReport(data []byte) error {
	if len(data) > MaxReportBytes {
		return ErrReportTooLarge
	}
	if !xlsx.Valid(data) {
		return fault.InvalidField(fieldReportFile, msgReportNotXLSX)
	}
	return nil
}

// StoreReport checks a report file and stores it under a new private key, to be given to
// Prolong as ProlongationInput.ReportFileKey.
func (s *Service) StoreReport(ctx context.Context, data []byte) (string, error) {
	if err := CheckReport(data); err != nil {
		return "", err
	}
	if s.Files == nil {
		return "", fmt.Errorf("approval: no file storage configured")
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	key := reportFolder + hex.EncodeToString(b) + ".xlsx"
	if err := s.Files.Put(ctx, key, reportContentType, data); err != nil {
		return "", err
	}
	return key, nil
}

// DropReport deletes a report file stored for a declaration that was then refused.
func (s *Service) DropReport(ctx context.Context, key string) {
	if key != "" && s.Files != nil {
		s.Files.Delete(context.WithoutCancel(ctx), key)
	}
}

// habilitatedMember: the actor acts for a habilitated prescriber organization they are an
// active member of (§2.11, §7: checked at every request, not only on the list).
func habilitatedMember(ctx context.Context, idb bun.IDB, a actor.Actor) (bool, error) {
	if a.Kind != actor.Professional || a.Organization == nil || a.Organization.Type != string(org.TypePrescriber) {
		return false, nil
	}
	ok, err := idb.NewSelect().TableExpr("prescriber_membership AS m").
		Join("JOIN prescriber_organization AS o ON o.id = m.organization_id").
		Where("m.user_id = ? AND m.organization_id = ? AND m.is_active AND o.authorization_status = 'VALIDATED'", a.UserID, a.Organization.ID).
		Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("approval: habilitation of %d: %w", a.Organization.ID, err)
	}
	return ok, nil
}

// RequestRow is a line of the requests list.
type RequestRow struct {
	ID        int64              `bun:"id"`
	Status    RequestStatus      `bun:"status"`
	Reason    ProlongationReason `bun:"reason"`
	StartAt   time.Time          `bun:"start_at,type:date"`
	EndAt     time.Time          `bun:"end_at,type:date"`
	CreatedAt time.Time          `bun:"created_at"`
	Number    string             `bun:"number"`
	FirstName string             `bun:"first_name"`
	LastName  string             `bun:"last_name"`
	Company   string             `bun:"company"`
}

// DisplayNumber is the PASS number spaced 5-2-5.
func (r RequestRow) DisplayNumber() string { return FormatNumber(r.Number) }

// RequestsPerPage is the length of a page of the requests list.
const RequestsPerPage = 20

// Requests lists the prolongation requests of the actor's habilitated prescriber organization,
// newest first, of one status or all (""), a page at a time; anyone else gets not found
// (scenario 23). It costs two queries whatever the page.
func (s *Service) Requests(ctx context.Context, a actor.Actor, status RequestStatus, page int) ([]RequestRow, int, error) {
	ok, err := habilitatedMember(ctx, s.db, a)
	if err != nil {
		return nil, 0, err
	}
	if !ok {
		return nil, 0, ErrRequestNotFound
	}
	filter := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("r.prescriber_organization_id = ?", a.Organization.ID)
		if status != "" {
			q = q.Where("r.status = ?", status)
		}
		return q
	}
	total, err := filter(s.db.NewSelect().TableExpr("prolongation_request AS r")).Count(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("approval: count requests: %w", err)
	}
	var rows []RequestRow
	err = filter(s.db.NewSelect().TableExpr("prolongation_request AS r").
		ColumnExpr("r.id, r.status, r.reason, r.start_at, r.end_at, r.created_at, ap.number, u.first_name, u.last_name").
		ColumnExpr("COALESCE(c.name, '') AS company").
		Join("JOIN approval AS ap ON ap.id = r.approval_id").
		Join("JOIN users AS u ON u.id = ap.user_id").
		Join("LEFT JOIN company AS c ON c.id = r.declared_by_company_id")).
		OrderExpr("r.created_at DESC, r.id DESC").Limit(RequestsPerPage).Offset(int64(max(page-1, 0)*RequestsPerPage)).Scan(ctx, &rows)
	if err != nil {
		return nil, 0, fmt.Errorf("approval: list requests: %w", err)
	}
	return rows, int(total), nil
}

// RequestDetails is a request as its prescriber organization reads it.
type RequestDetails struct {
	Request  *ProlongationRequest
	Approval *Approval
	// JobSeeker, Company, Declarer (e-mail), Assignee (e-mail), Organization: names shown.
	JobSeeker, Company, Declarer, Assignee, Organization string
	// Deny is the refusal of a DENIED request.
	Deny *DenyInput
}

// HasReport: a report file was joined.
func (d *RequestDetails) HasReport() bool { return d.Request.ReportFileKey != "" }

// Request returns a request to a member of its habilitated prescriber organization; anyone
// else gets not found.
func (s *Service) Request(ctx context.Context, a actor.Actor, id int64) (*RequestDetails, error) {
	ok, err := habilitatedMember(ctx, s.db, a)
	if err != nil {
		return nil, err
	}
	req := new(ProlongationRequest)
	err = s.db.NewSelect().Model(req).Where("id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (!ok || req.PrescriberOrganizationID == nil || *req.PrescriberOrganizationID != a.Organization.ID)) {
		return nil, ErrRequestNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("approval: request %d: %w", id, err)
	}
	ap, err := load(ctx, s.db, "id = ?", req.ApprovalID)
	if err != nil {
		return nil, err
	}
	p, err := loadPeople(ctx, s.db, ap, &req.prolongationFields, req.AssignedToID)
	if err != nil {
		return nil, err
	}
	d := &RequestDetails{Request: req, Approval: ap, JobSeeker: p.jobSeeker(), Company: p.CompanyName,
		Declarer: p.DeclarerEmail, Assignee: p.AssigneeEmail, Organization: p.OrgName}
	if req.Status == RequestDenied {
		var info denyInformation
		if err := s.db.NewSelect().Model(&info).Where("request_id = ?", req.ID).Scan(ctx); err != nil {
			return nil, fmt.Errorf("approval: refusal of request %d: %w", id, err)
		}
		d.Deny = &DenyInput{Reason: info.Reason, ReasonExplanation: info.ReasonExplanation, ProposedActionsExplanation: info.ProposedActionsExplanation}
		if info.ProposedActions != nil {
			if err := json.Unmarshal([]byte(*info.ProposedActions), &d.Deny.ProposedActions); err != nil {
				return nil, fmt.Errorf("approval: refusal of request %d: %w", id, err)
			}
		}
	}
	return d, nil
}

// Report is a report file to download.
type Report struct {
	io.ReadCloser
	Filename, ContentType string
}

// OpenReport opens the report file of a request for a member of its habilitated prescriber
// organization; anyone else, or a request without file, gets not found.
func (s *Service) OpenReport(ctx context.Context, a actor.Actor, id int64) (*Report, error) {
	d, err := s.Request(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !d.HasReport() || s.Files == nil {
		return nil, ErrRequestNotFound
	}
	r, err := s.Files.Open(ctx, d.Request.ReportFileKey)
	if err != nil {
		return nil, fmt.Errorf("approval: report of request %d: %w", id, err)
	}
	return &Report{ReadCloser: r, Filename: reportDownloadName, ContentType: reportContentType}, nil
}

// OrganizationChoice is a habilitated organization a prescriber may be asked for.
type OrganizationChoice struct {
	ID   int64  `bun:"id"`
	Name string `bun:"name"`
}

// HabilitatedOrganizationsOf are the habilitated organizations the prescriber of email is an
// active member of, by name: the choice the declaration form asks for when there are several.
func (s *Service) HabilitatedOrganizationsOf(ctx context.Context, email string) ([]OrganizationChoice, error) {
	var out []OrganizationChoice
	err := s.db.NewSelect().TableExpr("users AS u").ColumnExpr("o.id, o.name").
		Join("JOIN prescriber_membership AS m ON m.user_id = u.id AND m.is_active").
		Join("JOIN prescriber_organization AS o ON o.id = m.organization_id AND o.authorization_status = 'VALIDATED'").
		Where("u.email = ? AND u.is_active AND u.kind = 'professional'", strings.ToLower(strings.TrimSpace(email))).
		OrderExpr("o.name, o.id").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("approval: organizations of a prescriber: %w", err)
	}
	return out, nil
}
