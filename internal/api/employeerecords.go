package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"emplois/internal/employeerecord"
	"emplois/internal/org"
	"emplois/internal/platform/fault"
)

// EmployeeRecords serves GET /api/v1/employee-records/ and /api/v1/employee-record-notifications/:
// the fiches salarié and their update notifications that payroll software of the SIAE reads
// (api.md §7).
type EmployeeRecords struct {
	Records *employeerecord.Service
	Orgs    *org.Service
	BaseURL *url.URL
	// FrenchLikeASPFrom is EMPLOIS_API_FRENCH_LIKE_ASP_FROM: from then on salarieLangueFrancaise
	// has the ASP's meaning whatever the header (api.md §10 Q11); zero: only with the header.
	FrenchLikeASPFrom time.Time
	Now               func() time.Time
	Log               *slog.Logger
}

// Parameters of employee-records/ (api.md §7.3) and the header of salarieLangueFrancaise (§7.4).
const (
	ParamStatus              = "status"
	ParamCreated             = "created"
	ParamSince               = "since"
	HeaderFrenchLikeASP      = "X-API-salarieLangueFrancaise-like-asp"
	employeeRecordsPageLimit = 0 // no maximum page size, as the original
)

// EmployeeRecordsParams lists every parameter of employee-records/.
var EmployeeRecordsParams = []string{ParamStatus, ParamCreated, ParamSince, ParamPage, ParamPageSize}

// EmployeeRecordAdmin lets in a user with at least one active admin membership in a company
// active or in its grace period (api.md §7.2).
func EmployeeRecordAdmin(orgs *org.Service) Permission {
	return Permission{Name: "employee-record-admin", Allow: func(ctx context.Context, id Identity) (bool, error) {
		if id.UserID == 0 {
			return false, nil
		}
		ids, err := employeerecord.APICompanies(ctx, orgs, id.UserID)
		return len(ids) > 0, err
	}}
}

// ParseEmployeeRecordsFilter reads status, created and since (api.md §7.3): statuses upper-cased
// (an unknown one matches nothing), dates as local days; a malformed date is a 400 of its
// parameter (api.md §10 Q7).
func ParseEmployeeRecordsFilter(v url.Values) (employeerecord.APIFilter, error) {
	var f employeerecord.APIFilter
	for _, s := range v[ParamStatus] {
		f.Statuses = append(f.Statuses, employeerecord.Status(strings.ToUpper(strings.TrimSpace(s))))
	}
	var errs fault.Fields
	day := func(param string) *time.Time {
		raw := strings.TrimSpace(v.Get(param))
		if raw == "" {
			return nil
		}
		d, err := time.Parse(time.DateOnly, raw)
		if err != nil {
			errs.Add(param, MsgDateFormat)
			return nil
		}
		return &d
	}
	if d := day(ParamCreated); d != nil {
		from, before := employeerecord.LocalDayBounds(*d)
		f.CreatedFrom, f.CreatedBefore = &from, &before
	}
	if d := day(ParamSince); d != nil {
		from, _ := employeerecord.LocalDayBounds(*d)
		if f.CreatedFrom == nil || from.After(*f.CreatedFrom) {
			f.CreatedFrom = &from
		}
	}
	return f, errs.Err()
}

// frenchLikeASP reports whether salarieLangueFrancaise takes the ASP's meaning for this call;
// without the header (before the cut-over) the call is logged, as the original does.
func (e *EmployeeRecords) frenchLikeASP(r *http.Request) bool {
	if _, ok := r.Header[http.CanonicalHeaderKey(HeaderFrenchLikeASP)]; ok {
		return true
	}
	if !e.FrenchLikeASPFrom.IsZero() && !e.Now().Before(e.FrenchLikeASPFrom) {
		return true
	}
	e.Log.Info("User accessed employee record API without X-API-salarieLangueFrancaise-like-asp HTTP header",
		"user_id", IdentityOf(r).UserID)
	return false
}

// companies are the companies whose fiches the caller reads, and the page asked.
func (e *EmployeeRecords) companies(r *http.Request) ([]int64, PageRequest, error) {
	p, err := ParsePage(r.URL.Query(), employeeRecordsPageLimit)
	if err != nil {
		return nil, p, err
	}
	ids, err := employeerecord.APICompanies(r.Context(), e.Orgs, IdentityOf(r).UserID)
	return ids, p, err
}

// RecordsHandler answers GET /api/v1/employee-records/.
func (e *EmployeeRecords) RecordsHandler(w http.ResponseWriter, r *http.Request) {
	f, err := ParseEmployeeRecordsFilter(r.URL.Query())
	if err != nil {
		fail(w, r, e.Log, err)
		return
	}
	ids, p, err := e.companies(r)
	if err != nil {
		fail(w, r, e.Log, err)
		return
	}
	f.CompanyIDs = ids
	ctx, likeASP := r.Context(), e.frenchLikeASP(r)
	WritePage(w, r, e.Log, e.BaseURL, p, func() (int, error) { return e.Records.CountForAPI(ctx, f) },
		func(offset, limit int) ([]employeerecord.APIRecord, error) {
			return e.Records.ForAPI(ctx, f, offset, limit, likeASP)
		})
}

// NotificationsHandler answers GET /api/v1/employee-record-notifications/.
func (e *EmployeeRecords) NotificationsHandler(w http.ResponseWriter, r *http.Request) {
	ids, p, err := e.companies(r)
	if err != nil {
		fail(w, r, e.Log, err)
		return
	}
	ctx, likeASP := r.Context(), e.frenchLikeASP(r)
	WritePage(w, r, e.Log, e.BaseURL, p, func() (int, error) { return e.Records.CountNotificationsForAPI(ctx, ids) },
		func(offset, limit int) ([]employeerecord.APILine, error) {
			return e.Records.NotificationsForAPI(ctx, ids, offset, limit, likeASP)
		})
}
