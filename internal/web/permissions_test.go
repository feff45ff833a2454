package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/apitoken"
	"emplois/internal/application"
	"emplois/internal/application/resumetest"
	"emplois/internal/approval"
	"emplois/internal/eligibility"
	"emplois/internal/invitation"
	"emplois/internal/jobdesc"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/mail"
	"emplois/internal/reference"
	"emplois/internal/web/webtest"
)

// The permission matrix: every route of the site, tried by every kind of visitor of issue 3, with
// the outcome each must get. A route missing from the matrix fails the test, so a new route
// cannot ship without stating who may reach it.

type role string

const (
	anonymous      role = "anonyme"
	jobSeeker      role = "candidat"
	employerMember role = "employeur"
	employerAdmin  role = "employeur admin"
	otherEmployer  role = "employeur d'une autre structure"
	prescriber     role = "prescripteur habilité"
	orienteur      role = "orienteur"
	institution    role = "institutionnel"
	supportStaff   role = "support"
)

var allRoles = []role{anonymous, jobSeeker, employerMember, employerAdmin, otherEmployer, prescriber, orienteur, institution, supportStaff}

// outcome is what a visitor gets from a route.
type outcome string

const (
	allowed outcome = "allowed" // the page or action is served (2xx, a redirect elsewhere, or a form error)
	denied  outcome = "denied"  // 403, 404 on an object they may not see, or sent to the login page
	absent  outcome = "absent"  // 404 for everyone: unknown token or feature off (ProConnect unset)
)

// matrixFixtures are the objects the matrix URLs point at: company A's objects, which its
// members may manage and nobody else but staff.
type matrixFixtures struct {
	companyA, companyB *org.Company
	memberA            *account.User
	apiToken           string // a service token's id (staff pages)
	ficheA             string
	prescriberUID      string // the habilitated Mission locale (staff pages)
	invitationA        string // a pending invitation to company A
	savedSearch        string // a search the job seeker saved
	mailID             int64
	jobSeekerPublicID  string // the job seeker role's account
	applicationA       string // a candidature of the job seeker to company A, sent by the prescriber with a CV
	commentA           string // a comment of the employer member on it
	hiredA, refusedA   string // candidatures of company A: hired (contract to start), refused
	hireable           string // a job seeker without any candidature (the direct hire's POST)
	diagnosis          string // an IAE diagnosis of the job seeker by the habilitated prescriber
	passA              string // the PASS IAE of company A's hire
}

// access builds an expectation: the given roles are allowed, every other role denied.
func access(roles ...role) map[role]outcome {
	m := map[role]outcome{}
	for _, r := range allRoles {
		m[r] = denied
	}
	for _, r := range roles {
		m[r] = allowed
	}
	return m
}

func everyone(o outcome) map[role]outcome {
	m := map[role]outcome{}
	for _, r := range allRoles {
		m[r] = o
	}
	return m
}

var (
	public        = everyone(allowed)
	loggedIn      = access(jobSeeker, employerMember, employerAdmin, otherEmployer, prescriber, orienteur, institution, supportStaff)
	professionals = access(employerMember, employerAdmin, otherEmployer, prescriber, orienteur, institution)
	employersOfA  = access(employerMember, employerAdmin)
	companyAStaff = access(employerMember, employerAdmin, supportStaff)
	adminsOfA     = access(employerAdmin, supportStaff)
)

type matrixRow struct {
	path   func(f *matrixFixtures) string
	expect map[role]outcome
	// form is the body of a POST: a valid one, so that what decides is the permission check,
	// not the validation of the input.
	form url.Values
}

func fixed(p string) func(*matrixFixtures) string { return func(*matrixFixtures) string { return p } }

// hireablePath is a step of the direct hire of the hireable job seeker.
func hireablePath(p string) func(*matrixFixtures) string {
	return func(f *matrixFixtures) string { return p + "?job_seeker_public_id=" + f.hireable }
}

// permissionMatrix maps each route pattern of the route table to the URL tried and the outcomes.
var permissionMatrix = map[string]matrixRow{
	"GET /{$}":  {fixed("/"), public, nil},
	"/":         {fixed("/cette-page-n-existe-pas"), everyone(absent), nil},
	"GET /aide": {fixed("/aide"), public, nil},

	// The public verification of a PASS IAE (web/approval), throttled per address for everyone.
	"GET /pass-iae/verify":  {fixed("/pass-iae/verify"), public, nil},
	"POST /pass-iae/verify": {fixed("/pass-iae/verify"), public, url.Values{"number": {"XXXXX2600001"}, "birthdate": {"1990-05-17"}}},
	// The pages that change a PASS IAE (web/approval: suspension.go, prolongation*.go). The matrix
	// holds no PASS: employers meet 404 on an unknown one, the others are refused by the policy;
	// the room's tests try every role on real PASS and requests.
	"GET /approvals/suspend/{public_id}":                             {fixed("/approvals/suspend/00000000-0000-0000-0000-000000000000"), access(), nil},
	"POST /approvals/suspend/{public_id}":                            {fixed("/approvals/suspend/00000000-0000-0000-0000-000000000000"), access(), url.Values{"start_at": {"2026-01-02"}, "end_at": {"2026-01-12"}, "reason": {"CONTRACT_SUSPENDED"}}},
	"GET /approvals/suspension/{id}/edit":                            {fixed("/approvals/suspension/999999/edit"), access(), nil},
	"POST /approvals/suspension/{id}/edit":                           {fixed("/approvals/suspension/999999/edit"), access(), url.Values{"start_at": {"2026-01-02"}, "end_at": {"2026-01-12"}, "reason": {"CONTRACT_SUSPENDED"}}},
	"GET /approvals/suspension/{id}/action":                          {fixed("/approvals/suspension/999999/action"), access(), nil},
	"POST /approvals/suspension/{id}/action":                         {fixed("/approvals/suspension/999999/action"), access(), url.Values{"action": {"delete"}}},
	"GET /approvals/declare_prolongation/{public_id}":                {fixed("/approvals/declare_prolongation/00000000-0000-0000-0000-000000000000"), access(), nil},
	"POST /approvals/declare_prolongation/{public_id}":               {fixed("/approvals/declare_prolongation/00000000-0000-0000-0000-000000000000"), access(), url.Values{"reason": {"COMPLETE_TRAINING"}, "end_at": {"2027-01-02"}}},
	"GET /approvals/declare_prolongation/{public_id}/preview/{key}":  {fixed("/approvals/declare_prolongation/00000000-0000-0000-0000-000000000000/preview/unknown"), access(), nil},
	"POST /approvals/declare_prolongation/{public_id}/preview/{key}": {fixed("/approvals/declare_prolongation/00000000-0000-0000-0000-000000000000/preview/unknown"), access(), nil},
	// The fiches salarié (web/employeerecord): the admins of an SIAE, each of their own company
	// (company B's member is its admin); the matrix holds no fiche, so the actions meet 404 (the
	// room's tests try them on real fiches of another company).
	"GET /employee_record/list":                        {fixed("/employee_record/list?status=NEW"), access(employerAdmin, otherEmployer), nil},
	"GET /employee_record/add":                         {fixed("/employee_record/add"), access(employerAdmin, otherEmployer), nil},
	"POST /employee_record/create":                     {fixed("/employee_record/create"), access(), url.Values{"application": {"00000000-0000-0000-0000-000000000000"}}},
	"GET /employee_record/create/{key}/etat-civil":     {fixed("/employee_record/create/unknown/etat-civil"), access(), nil},
	"POST /employee_record/create/{key}/etat-civil":    {fixed("/employee_record/create/unknown/etat-civil"), access(), nil},
	"GET /employee_record/create/{key}/domiciliation":  {fixed("/employee_record/create/unknown/domiciliation"), access(), nil},
	"POST /employee_record/create/{key}/domiciliation": {fixed("/employee_record/create/unknown/domiciliation"), access(), nil},
	"GET /employee_record/create/{key}/situation":      {fixed("/employee_record/create/unknown/situation"), access(), nil},
	"POST /employee_record/create/{key}/situation":     {fixed("/employee_record/create/unknown/situation"), access(), nil},
	"GET /employee_record/create/{key}/annexe":         {fixed("/employee_record/create/unknown/annexe"), access(), nil},
	"POST /employee_record/create/{key}/annexe":        {fixed("/employee_record/create/unknown/annexe"), access(), nil},
	"GET /employee_record/create/{key}/validation":     {fixed("/employee_record/create/unknown/validation"), access(), nil},
	"POST /employee_record/create/{key}/validation":    {fixed("/employee_record/create/unknown/validation"), access(), nil},
	"POST /employee_record/{public_id}/disable":        {fixed("/employee_record/00000000-0000-0000-0000-000000000000/disable"), access(), nil},
	"POST /employee_record/{public_id}/enable":         {fixed("/employee_record/00000000-0000-0000-0000-000000000000/enable"), access(), nil},
	"GET /approvals/prolongation/requests":             {fixed("/approvals/prolongation/requests"), access(prescriber), nil},
	"GET /approvals/prolongation/request/{id}":         {fixed("/approvals/prolongation/request/999999"), access(), nil},
	"GET /approvals/prolongation/request/{id}/report":  {fixed("/approvals/prolongation/request/999999/report"), access(), nil},
	"POST /approvals/prolongation/request/{id}/grant":  {fixed("/approvals/prolongation/request/999999/grant"), access(), nil},
	"GET /approvals/prolongation/request/{id}/deny":    {fixed("/approvals/prolongation/request/999999/deny"), access(), nil},
	"POST /approvals/prolongation/request/{id}/deny":   {fixed("/approvals/prolongation/request/999999/deny"), access(), url.Values{"reason": {"DURATION"}, "reason_explanation": {"Trop long."}}},
	"GET /mentions-legales":                            {fixed("/mentions-legales"), public, nil},
	"GET /accessibilite":                               {fixed("/accessibilite"), public, nil},
	"GET /donnees-personnelles":                        {fixed("/donnees-personnelles"), public, nil},
	"GET /cgu":                                         {fixed("/cgu"), public, nil},
	"GET /healthz":                                     {fixed("/healthz"), public, nil},
	"GET /metrics":                                     {fixed("/metrics"), public, nil},
	// Reference page of the search benchmark: registered with EMPLOIS_BENCH_ROUTES only, which
	// this test turns on (withBenchRoutes); never on in production.
	"GET /bench/reference": {fixed("/bench/reference"), public, nil},

	"GET /autocomplete/cities":        {fixed("/autocomplete/cities?q=lyon"), public, nil},
	"GET /autocomplete/jobs":          {fixed("/autocomplete/jobs?q=agent"), public, nil},
	"GET /api/v1/autocomplete/cities": {fixed("/api/v1/autocomplete/cities?q=lyon"), public, nil},
	"GET /api/v1/autocomplete/jobs":   {fixed("/api/v1/autocomplete/jobs?q=agent"), public, nil},

	// Public API of partners and its documentation (api.go).
	"GET /api/{$}":          {fixed("/api/"), public, nil},
	"GET /api/v1/siaes/{$}": {fixed("/api/v1/siaes/?departement=69"), public, nil},
	// The bare paths of the API answer the other methods (405, after authentication).
	"/api/v1/siaes/{$}":           {fixed("/api/v1/siaes/?departement=69"), public, nil},
	"POST /api/v1/token-auth/{$}": {fixed("/api/v1/token-auth/"), public, nil},
	"/api/v1/token-auth/{$}":      {fixed("/api/v1/token-auth/"), public, nil},
	"GET /api/v1/oas3/{$}":        {fixed("/api/v1/oas3/"), public, nil},
	// Partner endpoints of service tokens: a session is no credential there (401 for every role,
	// which the matrix counts as served); their token matrices are internal/api's tests.
	"GET /api/v1/data-inclusion/{$}": {fixed("/api/v1/data-inclusion/?type=siae"), public, nil},
	"/api/v1/data-inclusion/{$}":     {fixed("/api/v1/data-inclusion/?type=siae"), public, nil},
	"GET /api/v1/marche/{$}":         {fixed("/api/v1/marche/"), public, nil},
	"/api/v1/marche/{$}":             {fixed("/api/v1/marche/"), public, nil},
	// Fiches salarié for SIAE software: admins of an active company (their session here); an
	// anonymous call gets the API's 401, which is no login redirect, so it reads as served.
	"GET /api/v1/employee-records/{$}":              {fixed("/api/v1/employee-records/"), access(anonymous, employerAdmin, otherEmployer), nil},
	"/api/v1/employee-records/{$}":                  {fixed("/api/v1/employee-records/"), access(anonymous, employerAdmin, otherEmployer), nil},
	"GET /api/v1/employee-record-notifications/{$}": {fixed("/api/v1/employee-record-notifications/"), access(anonymous, employerAdmin, otherEmployer), nil},
	"/api/v1/employee-record-notifications/{$}":     {fixed("/api/v1/employee-record-notifications/"), access(anonymous, employerAdmin, otherEmployer), nil},
	"GET /api/v1/redoc/{$}":                         {fixed("/api/v1/redoc/"), public, nil},
	// The router root: any logged-in user; anonymously the original's 403.
	"GET /api/v1/{$}": {fixed("/api/v1/"), loggedIn, nil},
	"/api/v1/{$}":     {fixed("/api/v1/"), loggedIn, nil},
	// candidats/: admins of all their companies; nobody recognised gets 401 (not a refusal).
	"GET /api/v1/candidats/{$}": {fixed("/api/v1/candidats/"), access(anonymous, employerAdmin, otherEmployer), nil},
	"/api/v1/candidats/{$}":     {fixed("/api/v1/candidats/"), access(anonymous, employerAdmin, otherEmployer), nil},
	// embauches-geiq/: company tokens, or a superuser's session (a staff permission none of the
	// roles holds): every session is refused, nobody recognised gets 401 (not a refusal).
	"GET /api/v1/embauches-geiq/{$}": {fixed("/api/v1/embauches-geiq/"), access(anonymous), nil},
	"/api/v1/embauches-geiq/{$}":     {fixed("/api/v1/embauches-geiq/"), access(anonymous), nil},
	// candidatures/recherche/: département tokens only, so a session gets 401 (not a refusal).
	"POST /api/v1/candidatures/recherche/{$}":    {fixed("/api/v1/candidatures/recherche/"), public, nil},
	"OPTIONS /api/v1/candidatures/recherche/{$}": {fixed("/api/v1/candidatures/recherche/"), public, nil},
	"/api/v1/candidatures/recherche/{$}":         {fixed("/api/v1/candidatures/recherche/"), public, nil},
	// nexus (api.md §8): service tokens only, so a session gets 401 (not a refusal); their token
	// matrix is internal/api's nexus_test.go.
	"POST /api/v1/nexus/users":           {fixed("/api/v1/nexus/users"), public, nil},
	"DELETE /api/v1/nexus/users":         {fixed("/api/v1/nexus/users"), public, nil},
	"/api/v1/nexus/users":                {fixed("/api/v1/nexus/users"), public, nil},
	"POST /api/v1/nexus/structures":      {fixed("/api/v1/nexus/structures"), public, nil},
	"DELETE /api/v1/nexus/structures":    {fixed("/api/v1/nexus/structures"), public, nil},
	"/api/v1/nexus/structures":           {fixed("/api/v1/nexus/structures"), public, nil},
	"POST /api/v1/nexus/memberships":     {fixed("/api/v1/nexus/memberships"), public, nil},
	"DELETE /api/v1/nexus/memberships":   {fixed("/api/v1/nexus/memberships"), public, nil},
	"/api/v1/nexus/memberships":          {fixed("/api/v1/nexus/memberships"), public, nil},
	"POST /api/v1/nexus/sync-start":      {fixed("/api/v1/nexus/sync-start"), public, nil},
	"/api/v1/nexus/sync-start":           {fixed("/api/v1/nexus/sync-start"), public, nil},
	"POST /api/v1/nexus/sync-completed":  {fixed("/api/v1/nexus/sync-completed"), public, nil},
	"/api/v1/nexus/sync-completed":       {fixed("/api/v1/nexus/sync-completed"), public, nil},
	"POST /api/v1/nexus/dropdown-status": {fixed("/api/v1/nexus/dropdown-status"), public, nil},
	"/api/v1/nexus/dropdown-status":      {fixed("/api/v1/nexus/dropdown-status"), public, nil},

	"GET /signup/{$}":             {fixed("/signup/"), public, nil},
	"GET /signup/job_seeker":      {fixed("/signup/job_seeker"), public, nil},
	"POST /signup/job_seeker":     {fixed("/signup/job_seeker"), public, nil},
	"GET /signup/job_seeker/sent": {fixed("/signup/job_seeker/sent"), public, nil},
	// The self-signup steps (web/jobseeker): public; a logged-in visitor is sent to the dashboard.
	"GET /signup/job_seeker/start":          {fixed("/signup/job_seeker/start"), public, nil},
	"GET /signup/job_seeker/situation":      {fixed("/signup/job_seeker/situation"), public, nil},
	"POST /signup/job_seeker/situation":     {fixed("/signup/job_seeker/situation"), public, url.Values{"rsa": {"on"}}},
	"GET /signup/job_seeker/criteria":       {fixed("/signup/job_seeker/criteria"), public, nil},
	"GET /signup/job_seeker/credentials":    {fixed("/signup/job_seeker/credentials"), public, nil},
	"POST /signup/job_seeker/credentials":   {fixed("/signup/job_seeker/credentials"), public, nil},
	"GET /signup/professional":              {fixed("/signup/professional"), public, nil},
	"GET /signup/professional/kind":         {fixed("/signup/professional/kind"), professionals, nil},
	"GET /accounts/verify/{token}":          {fixed("/accounts/verify/jeton-inconnu"), everyone(absent), nil},
	"POST /accounts/verify/resend":          {fixed("/accounts/verify/resend"), public, nil},
	"GET /accounts/login":                   {fixed("/accounts/login"), public, nil},
	"POST /accounts/login":                  {fixed("/accounts/login"), public, nil},
	"POST /accounts/logout":                 {fixed("/accounts/logout"), public, nil},
	"GET /accounts/password/reset":          {fixed("/accounts/password/reset"), public, nil},
	"POST /accounts/password/reset":         {fixed("/accounts/password/reset"), public, nil},
	"GET /accounts/password/reset/{token}":  {fixed("/accounts/password/reset/jeton-inconnu"), everyone(absent), nil},
	"POST /accounts/password/reset/{token}": {fixed("/accounts/password/reset/jeton-inconnu"), everyone(absent), nil},
	"GET /accounts/password/change":         {fixed("/accounts/password/change"), loggedIn, nil},
	"POST /accounts/password/change":        {fixed("/accounts/password/change"), loggedIn, nil},
	"GET /dashboard":                        {fixed("/dashboard"), loggedIn, nil},
	// Switching to company A: only its members may.
	"POST /dashboard/switch-organization": {fixed("/dashboard/switch-organization"), employersOfA, nil},
	"GET /logout/warning/{kind}":          {fixed("/logout/warning/no_organization"), loggedIn, nil},
	"GET /proconnect/authorize":           {fixed("/proconnect/authorize"), everyone(absent), nil},
	"GET /proconnect/callback":            {fixed("/proconnect/callback"), everyone(absent), nil},
	"GET /franceconnect/authorize":        {fixed("/franceconnect/authorize"), everyone(absent), nil},
	"GET /franceconnect/callback":         {fixed("/franceconnect/callback"), everyone(absent), nil},

	// Development mail outbox: the test site runs in dev mode (no SMTP), where it is open.
	"GET /dev/mails":           {fixed("/dev/mails"), public, nil},
	"GET /dev/mails/{id}":      {func(f *matrixFixtures) string { return fmt.Sprintf("/dev/mails/%d", f.mailID) }, public, nil},
	"GET /dev/mails/{id}/html": {func(f *matrixFixtures) string { return fmt.Sprintf("/dev/mails/%d/html", f.mailID) }, public, nil},

	// Organization pages of company A.
	"GET /organizations/{uid}":               {orgPath(""), companyAStaff, nil},
	"POST /organizations/{uid}/applications": {orgPath("/applications"), companyAStaff, url.Values{"action": {"unblock"}}},
	"GET /organizations/{uid}/edit":          {orgPath("/edit"), adminsOfA, nil},
	"POST /organizations/{uid}/edit":         {orgPath("/edit"), adminsOfA, nil},
	"GET /organizations/{uid}/colleagues":    {orgPath("/colleagues"), companyAStaff, nil},
	"GET /organizations/{uid}/antennas/new":  {orgPath("/antennas/new"), adminsOfA, nil},
	"POST /organizations/{uid}/antennas/new": {orgPath("/antennas/new"), adminsOfA, nil},
	"GET /organizations/{uid}/colleagues/{user}/{action}": {func(f *matrixFixtures) string {
		return "/organizations/" + f.companyA.UID + "/colleagues/" + f.memberA.PublicID + "/revoke-admin"
	}, adminsOfA, nil},
	"POST /organizations/{uid}/colleagues/{user}/{action}": {func(f *matrixFixtures) string {
		return "/organizations/" + f.companyA.UID + "/colleagues/" + f.memberA.PublicID + "/revoke-admin"
	}, adminsOfA, nil},

	// Fiches de poste: managed by the members acting for company A; public cards for all.
	"GET /company/job_description_list":           {fixed("/company/job_description_list"), access(employerMember, employerAdmin, otherEmployer), nil},
	"GET /company/job_description/new":            {fixed("/company/job_description/new"), access(employerMember, employerAdmin, otherEmployer), nil},
	"POST /company/job_description/new":           {fixed("/company/job_description/new"), access(employerMember, employerAdmin, otherEmployer), nil},
	"GET /company/job_description/{uid}/edit":     {fichePath("/edit"), employersOfA, nil},
	"POST /company/job_description/{uid}/edit":    {fichePath("/edit"), employersOfA, nil},
	"POST /company/job_description/{uid}/status":  {fichePath("/status"), employersOfA, nil},
	"POST /company/job_description/{uid}/refresh": {fichePath("/refresh"), employersOfA, nil},
	"POST /company/job_description/{uid}/move":    {fichePath("/move"), employersOfA, url.Values{"direction": {"up"}}},
	"POST /company/spontaneous_applications":      {fixed("/company/spontaneous_applications"), access(employerMember, employerAdmin, otherEmployer), nil},
	"GET /company/{uid}/card":                     {func(f *matrixFixtures) string { return "/company/" + f.companyA.UID + "/card" }, public, nil},
	"GET /company/job_description/{uid}/card":     {fichePath("/card"), public, nil},

	// Searches around a city and the public card of a habilitated prescriber (search.go).
	"GET /search/employers":        {fixed("/search/employers?city=69123&distance=50&kinds=ACI"), public, nil},
	"GET /search/job-descriptions": {fixed("/search/job-descriptions?city=69123&domains=K"), public, nil},
	"GET /search/prescribers":      {fixed("/search/prescribers?city=59350"), public, nil},
	"GET /prescribers/{uid}/card":  {func(f *matrixFixtures) string { return "/prescribers/" + f.prescriberUID + "/card" }, public, nil},
	// Saved searches (search_saved.go): any logged-in user saves; only its owner (the job seeker)
	// deletes one.
	"POST /search/saved": {fixed("/search/saved"), loggedIn,
		url.Values{"from": {"/search/employers?city=69123&distance=25"}, "name": {"Autour de Lyon"}}},
	"POST /search/saved/{uid}/delete": {func(f *matrixFixtures) string { return "/search/saved/" + f.savedSearch + "/delete" }, access(jobSeeker), nil},

	// Staff back office (staff.go): the POSTs change nothing (reactivate an active account,
	// validate an already validated organization, keep its kind, an empty company form).
	"GET /staff/{$}":                                        {fixed("/staff/?q=a"), staffOnly, nil},
	"GET /staff/users/{public_id}":                          {staffUser(""), staffOnly, nil},
	"GET /staff/users/{public_id}/{action}":                 {staffUser("/deactivate"), staffOnly, nil},
	"POST /staff/users/{public_id}/{action}":                {staffUser("/reactivate"), staffOnly, nil},
	"GET /staff/organizations/{uid}":                        {staffPrescriber(""), staffOnly, nil},
	"GET /staff/organizations/{uid}/habilitation/{action}":  {staffPrescriber("/habilitation/refuse"), staffOnly, nil},
	"POST /staff/organizations/{uid}/habilitation/{action}": {staffPrescriber("/habilitation/validate"), staffOnly, nil},
	"POST /staff/organizations/{uid}/kind":                  {staffPrescriber("/kind"), staffOnly, url.Values{"kind": {"ML"}}},
	"GET /staff/companies/new":                              {fixed("/staff/companies/new"), staffOnly, nil},
	"POST /staff/companies/new":                             {fixed("/staff/companies/new"), staffOnly, nil},

	// Invitations (invitation.go): company A's members invite and cancel (staff cancel too); the
	// link of an unknown invitation is a 404 for all.
	"GET /organizations/{uid}/invitations/new": {orgPath("/invitations/new"), employersOfA, nil},
	"POST /organizations/{uid}/invitations/new": {orgPath("/invitations/new"), employersOfA,
		url.Values{"rows": {"1"}, "email_0": {"invitee@example.org"}, "first_name_0": {"Iris"}, "last_name_0": {"Invitée"}}},
	"POST /organizations/{uid}/invitations/{invitation}/cancel": {func(f *matrixFixtures) string {
		return "/organizations/" + f.companyA.UID + "/invitations/" + f.invitationA + "/cancel"
	}, companyAStaff, nil},
	"GET /invitations/{invitation}/join":  {fixed("/invitations/00000000-0000-0000-0000-000000000000/join"), everyone(absent), nil},
	"POST /invitations/{invitation}/join": {fixed("/invitations/00000000-0000-0000-0000-000000000000/join"), everyone(absent), nil},

	// Professional signup (signup_*.go): the first step of each journey is open to professionals;
	// a later step reached without the earlier ones is refused (403) to all; the France Travail
	// journey is refused to addresses that are not France Travail ones (none here); a forged
	// employer link is gone (410) for all.
	"GET /signup/professional/password":            {fixed("/signup/professional/password"), public, nil},
	"POST /signup/professional/password":           {fixed("/signup/professional/password"), public, nil},
	"GET /signup/professional/password/sent":       {fixed("/signup/professional/password/sent"), public, nil},
	"GET /signup/prescriber":                       {fixed("/signup/prescriber"), professionals, nil},
	"POST /signup/prescriber":                      {fixed("/signup/prescriber"), professionals, nil},
	"GET /signup/prescriber/existing":              {fixed("/signup/prescriber/existing"), access(), nil},
	"POST /signup/prescriber/request-invitation":   {fixed("/signup/prescriber/request-invitation"), access(), nil},
	"GET /signup/prescriber/kind":                  {fixed("/signup/prescriber/kind"), access(), nil},
	"POST /signup/prescriber/kind":                 {fixed("/signup/prescriber/kind"), access(), nil},
	"GET /signup/prescriber/authorization":         {fixed("/signup/prescriber/authorization"), access(), nil},
	"POST /signup/prescriber/authorization":        {fixed("/signup/prescriber/authorization"), access(), nil},
	"GET /signup/prescriber/organization":          {fixed("/signup/prescriber/organization"), access(), nil},
	"POST /signup/prescriber/organization":         {fixed("/signup/prescriber/organization"), access(), nil},
	"GET /signup/france-travail":                   {fixed("/signup/france-travail"), access(), nil},
	"POST /signup/france-travail":                  {fixed("/signup/france-travail"), access(), nil},
	"GET /signup/france-travail/confirm":           {fixed("/signup/france-travail/confirm"), access(), nil},
	"POST /signup/france-travail/confirm":          {fixed("/signup/france-travail/confirm"), access(), nil},
	"GET /signup/employer":                         {fixed("/signup/employer"), professionals, nil},
	"POST /signup/employer":                        {fixed("/signup/employer"), professionals, nil},
	"GET /signup/employer/select":                  {fixed("/signup/employer/select"), access(), nil},
	"POST /signup/employer/select":                 {fixed("/signup/employer/select"), access(), nil},
	"POST /signup/employer/request-invitation":     {fixed("/signup/employer/request-invitation"), access(), nil},
	"GET /signup/employer/sent":                    {fixed("/signup/employer/sent"), access(), nil},
	"GET /signup/employer/join/{company}/{token}":  {employerLink, everyone(absent), nil},
	"POST /signup/employer/join/{company}/{token}": {employerLink, access(), nil},

	// Job seekers (web/jobseeker): the identity search and creation by proxy for employers and
	// prescribers; the wizard's pages need a wizard of one's own (an unknown key is a 404); a job
	// seeker's page for those who may see them (the orienteur did not create this one).
	"GET /job-seekers/search":               {fixed("/job-seekers/search?next=/dashboard"), orienters, nil},
	"POST /job-seekers/search":              {fixed("/job-seekers/search"), orienters, url.Values{"nir": {"185057800608491"}}},
	"GET /job-seekers/search/email":         {fixed("/job-seekers/search/email?key=inconnue"), access(), nil},
	"POST /job-seekers/search/email":        {fixed("/job-seekers/search/email"), access(), url.Values{"key": {"inconnue"}, "email": {"x@example.org"}}},
	"POST /job-seekers/search/email/attach": {fixed("/job-seekers/search/email/attach"), access(), url.Values{"key": {"inconnue"}, "public_id": {"inconnu"}}},
	"GET /job-seekers/create/{key}/{step}":  {fixed("/job-seekers/create/inconnue/identity"), access(), nil},
	"POST /job-seekers/create/{key}/{step}": {fixed("/job-seekers/create/inconnue/identity"), access(), nil},
	"GET /job-seekers/list":                 {fixed("/job-seekers/list"), orienters, nil},
	"GET /job-seekers/details/{public_id}":  {func(f *matrixFixtures) string { return "/job-seekers/details/" + f.jobSeekerPublicID }, access(employerMember, employerAdmin, otherEmployer, prescriber), nil},
	// Submission tunnels (web/apply): the start is open to all (an anonymous visitor is asked to
	// log in), then refused to institutions and staff (§3.0-1); the steps of an unknown tunnel
	// are a 404 for those who may apply.
	"GET /apply/{company}/start": {func(f *matrixFixtures) string { return "/apply/" + f.companyA.UID + "/start" },
		access(anonymous, jobSeeker, employerMember, employerAdmin, otherEmployer, prescriber, orienteur), nil},
	"GET /apply/{key}/tunnel/{step}":  {fixed("/apply/inconnue/tunnel/check"), access(), nil},
	"POST /apply/{key}/tunnel/{step}": {fixed("/apply/inconnue/tunnel/check"), access(), nil},
	"GET /dashboard/edit_user_info":   {fixed("/dashboard/edit_user_info"), access(jobSeeker), nil},
	"POST /dashboard/edit_user_info":  {fixed("/dashboard/edit_user_info"), access(jobSeeker), nil},

	// The candidature page and the employer's processing (web/application, process.go): the
	// employer's page for company A's members and staff (staff fire only the staff transitions),
	// the sender's page for the sender and the job seeker, the CV for both sides; the actions
	// come back to the page whatever the state (a state the table does not leave is a message).
	// Company A is an ACI: GEIQ prior actions are refused to all. The refusal wizard reports a
	// candidature another company did not receive and goes back to next, so the other employer
	// reaches it without learning anything.
	"GET /apply/{id}/siae/details":          {appPath("/siae/details"), companyAStaff, nil},
	"GET /apply/{id}/prescriber/details":    {appPath("/prescriber/details"), access(jobSeeker, prescriber), nil},
	"GET /apply/{id}/resume":                {appPath("/resume"), access(jobSeeker, employerMember, employerAdmin, prescriber), nil},
	"POST /apply/{id}/siae/{action}":        {appPath("/siae/process"), companyAStaff, nil},
	"GET /apply/{id}/siae/answer/{action}":  {appPath("/siae/answer/postpone"), employersOfA, nil},
	"POST /apply/{id}/siae/answer/{action}": {appPath("/siae/answer/postpone"), employersOfA, url.Values{"answer": {"Nous revenons vers vous."}}},
	"POST /apply/{id}/siae/comments":        {appPath("/siae/comments"), employersOfA, url.Values{"message": {"Appelée ce matin."}}},
	"POST /apply/{id}/siae/comments/{comment}/delete": {func(f *matrixFixtures) string {
		return "/apply/" + f.applicationA + "/siae/comments/" + f.commentA + "/delete"
	}, access(employerMember), nil},
	"POST /apply/{id}/siae/prior-actions": {appPath("/siae/prior-actions"), access(),
		url.Values{"action": {"PMSMP"}, "start_at": {"2026-03-01"}, "end_at": {"2026-03-10"}}},
	"POST /apply/{id}/siae/prior-actions/{action}/delete": {appPath("/siae/prior-actions/00000000-0000-0000-0000-000000000000/delete"), access(), nil},
	"GET /apply/refuse": {func(f *matrixFixtures) string { return "/apply/refuse?ids=" + f.applicationA + "&next=/dashboard" },
		access(employerMember, employerAdmin, otherEmployer), nil},
	"POST /apply/refuse":      {fixed("/apply/refuse"), access(employerMember, employerAdmin, otherEmployer), nil},
	"GET /apply/{id}/accept":  {appPath("/accept"), companyAStaff, nil},
	"POST /apply/{id}/accept": {appPath("/accept"), companyAStaff, nil},
	// The information step of a hire: the POST types a bad NIR, a form error, nothing written.
	"GET /apply/{id}/accept/info":  {appPath("/accept/info"), companyAStaff, nil},
	"POST /apply/{id}/accept/info": {appPath("/accept/info"), companyAStaff, url.Values{"nir": {"123"}}},

	// The eligibility pages (web/eligibility). The POSTs tick incompatible criteria: a form
	// error for whoever may, nothing written. The employer's steps of company A; a GEIQ's step
	// is nobody's on company A (an ACI).
	"GET /eligibility/job-seekers/{job_seeker}/iae": {jobSeekerPath("/iae"), access(prescriber), nil},
	"POST /eligibility/job-seekers/{job_seeker}/iae": {jobSeekerPath("/iae"), access(prescriber),
		url.Values{"reveal": {"1"}, "level_2_6": {"1"}, "level_2_7": {"1"}}},
	"GET /eligibility/diagnoses/{id}": {func(f *matrixFixtures) string { return "/eligibility/diagnoses/" + f.diagnosis },
		access(jobSeeker, employerMember, employerAdmin, otherEmployer, prescriber, supportStaff), nil},
	"GET /eligibility/job-seekers/{job_seeker}/geiq":  {jobSeekerPath("/geiq"), access(prescriber), nil},
	"POST /eligibility/job-seekers/{job_seeker}/geiq": {jobSeekerPath("/geiq"), access(prescriber), url.Values{"resident-qpv": {"1"}, "resident-zrr": {"1"}}},
	"GET /eligibility/geiq-diagnoses/{id}":            {fixed("/eligibility/geiq-diagnoses/0"), access(), nil},
	"GET /eligibility/geiq-diagnoses/{id}/update":     {fixed("/eligibility/geiq-diagnoses/0/update"), access(), nil},
	"POST /eligibility/geiq-diagnoses/{id}/update":    {fixed("/eligibility/geiq-diagnoses/0/update"), access(), nil},
	"GET /apply/{id}/siae/eligibility":                {appPath("/siae/eligibility"), employersOfA, nil},
	"POST /apply/{id}/siae/eligibility":               {appPath("/siae/eligibility"), employersOfA, url.Values{"level_2_6": {"1"}, "level_2_7": {"1"}}},
	"GET /apply/hire/eligibility": {func(f *matrixFixtures) string { return "/apply/hire/eligibility?job_seeker_public_id=" + f.hireable },
		employers, nil},
	"POST /apply/hire/eligibility": {func(f *matrixFixtures) string { return "/apply/hire/eligibility?job_seeker_public_id=" + f.hireable },
		employers, url.Values{"level_2_6": {"1"}, "level_2_7": {"1"}}},
	"GET /apply/hire/geiq-eligibility":  {hireablePath("/apply/hire/geiq-eligibility"), access(), nil},
	"POST /apply/hire/geiq-eligibility": {hireablePath("/apply/hire/geiq-eligibility"), access(), nil},
	// The GEIQ form's live allowance: whoever may author a GEIQ diagnosis (company A is no GEIQ).
	"POST /eligibility/geiq-allowance":       {fixed("/eligibility/geiq-allowance"), access(prescriber), url.Values{}},
	"GET /apply/{id}/siae/geiq-eligibility":  {appPath("/siae/geiq-eligibility"), access(), nil},
	"POST /apply/{id}/siae/geiq-eligibility": {appPath("/siae/geiq-eligibility"), access(), nil},

	// Lists of candidatures (web/application/list.go): the inbox, its batch bar and exports for
	// the members of the current company; the sent list for employers and prescribers; the job
	// seeker's own list.
	"GET /apply/siae/list":                               {fixed("/apply/siae/list"), employers, nil},
	"GET /apply/prescriptions/list":                      {fixed("/apply/prescriptions/list"), orienters, nil},
	"GET /apply/job_seeker/list":                         {fixed("/apply/job_seeker/list"), access(jobSeeker), nil},
	"GET /apply/siae/list/suggestions/{filter}":          {fixed("/apply/siae/list/suggestions/prescriber_organizations?q=orga"), employers, nil},
	"GET /apply/prescriptions/list/suggestions/{filter}": {fixed("/apply/prescriptions/list/suggestions/to_companies?q=orga"), orienters, nil},
	"POST /apply/siae/list/batch/process":                {fixed("/apply/siae/list/batch/process"), employers, url.Values{"next": {"/apply/siae/list"}}},
	"POST /apply/siae/list/batch/pool":                   {fixed("/apply/siae/list/batch/pool"), employers, url.Values{"next": {"/apply/siae/list"}}},
	"POST /apply/siae/list/batch/postpone":               {fixed("/apply/siae/list/batch/postpone"), employers, url.Values{"next": {"/apply/siae/list"}}},
	"POST /apply/siae/list/batch/archive":                {fixed("/apply/siae/list/batch/archive"), employers, url.Values{"next": {"/apply/siae/list"}}},
	"POST /apply/siae/list/batch/unarchive":              {fixed("/apply/siae/list/batch/unarchive"), employers, url.Values{"next": {"/apply/siae/list"}}},
	"GET /apply/siae/exports":                            {fixed("/apply/siae/exports"), employers, nil},
	"GET /apply/siae/exports/download":                   {fixed("/apply/siae/exports/download"), employers, nil},
	"GET /apply/siae/exports/csv":                        {fixed("/apply/siae/exports/csv"), employers, nil},

	// Direct hire, contract dates, external transfer (web/application/more.go): SIAE and GEIQ
	// employers hire for the company they act for (the POST, a check of the contract, is given
	// a job seeker without candidature below); a candidature's pages are its company's; the
	// notification settings are every professional's but institutions'. The transfer's POST is
	// a form error (no message), so that each role tries it.
	"GET /apply/hire":  {fixed("/apply/hire"), access(employerMember, employerAdmin, otherEmployer), nil},
	"POST /apply/hire": {fixed("/apply/hire"), access(employerMember, employerAdmin, otherEmployer), nil},
	"GET /apply/hire/info": {func(f *matrixFixtures) string { return "/apply/hire/info?job_seeker_public_id=" + f.hireable },
		access(employerMember, employerAdmin, otherEmployer), nil},
	"POST /apply/hire/info": {func(f *matrixFixtures) string { return "/apply/hire/info?job_seeker_public_id=" + f.hireable },
		access(employerMember, employerAdmin, otherEmployer), url.Values{"nir": {"123"}}},
	"GET /apply/{public_id}/siae/hired":          {hiredPath("/hired"), employersOfA, nil},
	"GET /apply/{public_id}/siae/contract-dates": {hiredPath("/contract-dates"), employersOfA, nil},
	"POST /apply/{public_id}/siae/contract-dates": {hiredPath("/contract-dates"), employersOfA,
		url.Values{"hiring_start_at": {time.Now().AddDate(0, 0, 3).Format(time.DateOnly)}}},
	"GET /apply/{public_id}/siae/external-transfer":                {refusedPath(""), employersOfA, nil},
	"GET /apply/{public_id}/siae/external-transfer/{company_uid}":  {refusedPath("/B"), employersOfA, nil},
	"POST /apply/{public_id}/siae/external-transfer/{company_uid}": {refusedPath("/B"), employersOfA, url.Values{"resume_choice": {"drop"}}},
	// The PASS IAE (web/approval): its page to whoever may see it (company A hired with it),
	// its certificate to company A's employers, each SIAE's list, the staff queue of manual
	// deliveries (a candidature not waiting for one: a conflict, explained).
	"GET /approvals/details/{public_id}":     {passPath("/approvals/details/", ""), companyAStaff, nil},
	"GET /approvals/display/{public_id}":     {passPath("/approvals/display/", ""), employersOfA, nil},
	"GET /approvals/display/{public_id}/pdf": {passPath("/approvals/display/", "/pdf"), employersOfA, nil},
	"GET /approvals/list":                    {fixed("/approvals/list?state=VALID"), employers, nil},
	// « Mes annexes financières » (web/convention): the admins of an SIAE with a convention (A and
	// B are ASP companies); only antennas may switch convention, so the POST is refused to all.
	"GET /company/financial-annexes":  {fixed("/company/financial-annexes"), access(employerAdmin, otherEmployer), nil},
	"POST /company/financial-annexes": {fixed("/company/financial-annexes"), access(), nil},
	// « Accès aux APIs »: the admins of the current company (otherEmployer is B's first member).
	"GET /dashboard/token_api":                         {fixed("/dashboard/token_api"), access(employerAdmin, otherEmployer), nil},
	"POST /dashboard/token_api":                        {fixed("/dashboard/token_api"), access(employerAdmin, otherEmployer), nil},
	"GET /staff/approvals/manual":                      {fixed("/staff/approvals/manual"), staffOnly, nil},
	"POST /staff/approvals/manual/{public_id}/deliver": {manualPath("/deliver"), staffOnly, nil},
	"POST /staff/approvals/manual/{public_id}/refuse":  {manualPath("/refuse"), staffOnly, nil},
	// The fiches salarié in error 3437 (web/staff/fs3437.go): the support account holds the
	// permission (staff without it are refused: internal/web/staff's tests); the POST without a
	// file is a form error.
	"GET /staff/fiches-salarie/3437":        {fixed("/staff/fiches-salarie/3437"), staffOnly, nil},
	"GET /staff/fiches-salarie/3437/export": {fixed("/staff/fiches-salarie/3437/export"), staffOnly, nil},
	"POST /staff/fiches-salarie/3437":       {fixed("/staff/fiches-salarie/3437"), staffOnly, nil},
	// The partner API's tokens (web/staff/apitokens.go): the support account holds the permission
	// api_tokens (staff without it are refused: internal/web/staff's tests); the empty creation
	// form is a form error, the revocation revokes the fixture's service token.
	"GET /staff/api-tokens":              {fixed("/staff/api-tokens"), staffOnly, nil},
	"GET /staff/api-tokens/{kind}/new":   {fixed("/staff/api-tokens/service/new"), staffOnly, nil},
	"POST /staff/api-tokens/{kind}/new":  {fixed("/staff/api-tokens/service/new"), staffOnly, nil},
	"GET /staff/api-tokens/{id}/revoke":  {apiTokenPath, staffOnly, nil},
	"POST /staff/api-tokens/{id}/revoke": {apiTokenPath, staffOnly, nil},
	"GET /dashboard/notifications":       {fixed("/dashboard/notifications"), access(employerMember, employerAdmin, otherEmployer, prescriber, orienteur), nil},
	"POST /dashboard/notifications":      {fixed("/dashboard/notifications"), access(employerMember, employerAdmin, otherEmployer, prescriber, orienteur), url.Values{"accepted": {"off"}}},
}

func hiredPath(suffix string) func(*matrixFixtures) string {
	return func(f *matrixFixtures) string { return "/apply/" + f.hiredA + "/siae" + suffix }
}

func apiTokenPath(f *matrixFixtures) string { return "/staff/api-tokens/" + f.apiToken + "/revoke" }

func manualPath(suffix string) func(*matrixFixtures) string {
	return func(f *matrixFixtures) string { return "/staff/approvals/manual/" + f.hiredA + suffix }
}

func passPath(prefix, suffix string) func(*matrixFixtures) string {
	return func(f *matrixFixtures) string { return prefix + f.passA + suffix }
}

// refusedPath is the external transfer of company A's refused candidature; "/B" chooses company B.
func refusedPath(suffix string) func(*matrixFixtures) string {
	return func(f *matrixFixtures) string {
		rest := suffix
		if rest == "/B" {
			rest = "/" + f.companyB.UID
		}
		return "/apply/" + f.refusedA + "/siae/external-transfer" + rest
	}
}

func appPath(suffix string) func(*matrixFixtures) string {
	return func(f *matrixFixtures) string { return "/apply/" + f.applicationA + suffix }
}

// employers act for a company: each sees their current company's inbox.
var employers = access(employerMember, employerAdmin, otherEmployer)

// orienters apply for someone else: employers and prescribers, authorized or not.
var orienters = access(employerMember, employerAdmin, otherEmployer, prescriber, orienteur)

// employerLink is a forged employer signup link of company A.
func employerLink(f *matrixFixtures) string {
	return "/signup/employer/join/" + f.companyA.UID + "/0-forged"
}

var staffOnly = access(supportStaff)

func staffUser(suffix string) func(*matrixFixtures) string {
	return func(f *matrixFixtures) string { return "/staff/users/" + f.memberA.PublicID + suffix }
}

func staffPrescriber(suffix string) func(*matrixFixtures) string {
	return func(f *matrixFixtures) string { return "/staff/organizations/" + f.prescriberUID + suffix }
}

func jobSeekerPath(suffix string) func(*matrixFixtures) string {
	return func(f *matrixFixtures) string { return "/eligibility/job-seekers/" + f.jobSeekerPublicID + suffix }
}

func orgPath(suffix string) func(*matrixFixtures) string {
	return func(f *matrixFixtures) string { return "/organizations/" + f.companyA.UID + suffix }
}

func fichePath(suffix string) func(*matrixFixtures) string {
	return func(f *matrixFixtures) string { return "/company/job_description/" + f.ficheA + suffix }
}

func TestPermissionMatrix_EveryRouteIsDeclaredForEveryRole(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		if err := reference.LoadDemo(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		site := webtest.New(t, d, func(c *config.Config) { c.BenchRoutes = true })

		// Every route has a policy and a row; a row without a route is stale.
		seen := map[string]bool{}
		for _, r := range site.Server.Routes() {
			if r.Policy.Name == "" || r.Policy.Allow == nil {
				t.Errorf("route %q has no policy", r.Pattern)
			}
			if _, ok := permissionMatrix[r.Pattern]; !ok {
				t.Errorf("route %q (policy %s) has no row in permissionMatrix (permissions_test.go): add one", r.Pattern, r.Policy.Name)
			}
			seen[r.Pattern] = true
		}
		for pattern := range permissionMatrix {
			if !seen[pattern] {
				t.Errorf("permissionMatrix row %q matches no route", pattern)
			}
		}
		if t.Failed() {
			return
		}

		f := &matrixFixtures{companyA: site.Company(org.ACI, "Jardins de Lyon"), companyB: site.Company(org.EI, "Bâtir Ensemble")}
		users := map[role]*account.User{
			jobSeeker:     site.CreateJobSeeker("candidate@example.org"),
			employerAdmin: site.Member(org.TypeCompany, f.companyA.ID, "admin.a@example.org", "Agnès", "Admin"),
			supportStaff:  site.CreateUser(account.Staff, "support@example.org", "Sam", "Support"),
		}
		f.jobSeekerPublicID = users[jobSeeker].PublicID
		for _, p := range []account.Permission{account.PermEmployeeRecords3437, account.PermAPITokens} {
			if _, err := site.Services.Accounts.GrantPermission(t.Context(), "support@example.org", p); err != nil {
				t.Fatal(err)
			}
		}
		tok, err := site.Services.Tokens.CreateFamily(t.Context(), actor.Actor{}, apitoken.FamilyInput{Kind: apitoken.ServiceToken, Service: apitoken.Dora})
		if err != nil {
			t.Fatalf("fixture API token: %v", err)
		}
		f.apiToken = fmt.Sprint(tok.Token.ID)
		users[employerMember] = site.Member(org.TypeCompany, f.companyA.ID, "member.a@example.org", "Marc", "Membre")
		f.memberA = users[employerMember]
		users[otherEmployer] = site.Member(org.TypeCompany, f.companyB.ID, "member.b@example.org", "Bruno", "Autre")
		p := site.Prescriber(org.ML, "Mission locale de Lille", true)
		f.prescriberUID = p.UID
		users[prescriber] = site.Member(org.TypePrescriber, p.ID, "ml@example.org", "Paula", "Prescriptrice")
		o := site.Prescriber(org.OtherKind, "Association du quartier", false)
		users[orienteur] = site.Member(org.TypePrescriber, o.ID, "asso@example.org", "Omar", "Orienteur")
		i := site.Institution()
		users[institution] = site.Member(org.TypeInstitution, i.ID, "ddets@example.org", "Inès", "Inspectrice")

		fiche, err := site.Services.Jobdescs.Create(t.Context(), actor.Actor{UserID: users[supportStaff].ID, Kind: actor.Staff},
			f.companyA.ID, jobdesc.Input{Appellation: "Auxiliaire de vie", ContractType: "FIXED_TERM_I", OpenPositions: "2"})
		if err != nil {
			t.Fatalf("fixture fiche: %v", err)
		}
		f.ficheA = fiche.UID
		asPrescriber := actor.Actor{UserID: users[prescriber].ID, Kind: actor.Professional,
			Organization: &actor.Organization{Type: string(org.TypePrescriber), Kind: string(p.Kind), ID: p.ID, UID: p.UID}}
		app, err := site.Services.Applications.Submit(t.Context(), asPrescriber, application.SubmitInput{CompanyUID: f.companyA.UID,
			JobSeekerPublicID: users[jobSeeker].PublicID, JobUIDs: []string{fiche.UID}, Message: "Motivée.", Resume: resumetest.PDF()})
		if err != nil {
			t.Fatalf("fixture candidature: %v", err)
		}
		f.applicationA = app.PublicID
		asMember := actor.Actor{UserID: users[employerMember].ID, Kind: actor.Professional,
			Organization: &actor.Organization{Type: string(org.TypeCompany), Kind: string(f.companyA.Kind), ID: f.companyA.ID, UID: f.companyA.UID}}
		comment, err := site.Services.Applications.AddComment(t.Context(), asMember, app.PublicID, "À rappeler.")
		if err != nil {
			t.Fatalf("fixture comment: %v", err)
		}
		f.commentA = comment.PublicID
		sent, err := site.Services.Invitations.Send(t.Context(), actor.Actor{UserID: users[employerAdmin].ID}, f.companyA.UID,
			[]invitation.Invitee{{Email: "pending@example.org", FirstName: "Paul", LastName: "Pending"}})
		if err != nil {
			t.Fatalf("fixture invitation: %v", err)
		}
		f.invitationA = sent[0].UID
		f.hiredA, f.refusedA = matrixCandidatures(t, site, f, users)
		f.hireable = site.CreateJobSeeker("hireable@example.org").PublicID
		diag, err := site.Services.Eligibility.CreateIAE(t.Context(), asPrescriber, users[jobSeeker].PublicID, nil, eligibility.CreateOptions{})
		if err != nil {
			t.Fatalf("fixture diagnosis: %v", err)
		}
		f.diagnosis = fmt.Sprint(diag.ID)
		f.passA = matrixPASS(t, site, f.hiredA)
		saved, err := site.Services.Saved.Save(t.Context(), users[jobSeeker].ID, "Lyon", "/search/employers", "city=69123&distance=25")
		if err != nil {
			t.Fatalf("fixture saved search: %v", err)
		}
		f.savedSearch = saved.UID
		if err := mail.Enqueue(t.Context(), d, mail.Message{To: "x@example.org", Subject: "Test", Text: "Bonjour", HTML: "<p>Bonjour</p>"}); err != nil {
			t.Fatal(err)
		}
		if err := d.NewRaw("SELECT MAX(id) FROM mail_outbox").Scan(t.Context(), &f.mailID); err != nil || f.mailID == 0 {
			t.Fatalf("fixture mail: %d, %v", f.mailID, err)
		}

		patterns := make([]string, 0, len(permissionMatrix))
		for p := range permissionMatrix {
			patterns = append(patterns, p)
		}
		sort.Strings(patterns)
		for _, pattern := range patterns {
			row := permissionMatrix[pattern]
			method := http.MethodGet
			if m, _, ok := strings.Cut(pattern, " "); ok && m == http.MethodPost {
				method = m
			}
			path := row.path(f)
			for _, r := range allRoles {
				// A fresh session per try: a POST may log the visitor out or switch organization.
				b := site.Browser()
				if u := users[r]; u != nil {
					b = site.LoginAs(u)
				}
				var res *webtest.Response
				if method == http.MethodPost {
					form := row.form
					if pattern == "POST /dashboard/switch-organization" {
						form = url.Values{"organization": {string(org.TypeCompany) + "-" + f.companyA.UID}}
					}
					if pattern == "POST /apply/hire" {
						form = url.Values{"job_seeker_public_id": {f.hireable}, "hiring_start_at": {time.Now().Format(time.DateOnly)}}
					}
					res = b.Post(path, form)
				} else {
					res = b.Get(path)
				}
				// Object-level hiding (404) is one way of refusing.
				if got := classify(res); got != row.expect[r] && (got != absent || row.expect[r] != denied) {
					t.Errorf("%s %s as %s: %s (HTTP %d %s), want %s", method, path, r, got, res.StatusCode, res.Header.Get("Location"), row.expect[r])
				}
			}
		}
	})
}

// matrixCandidatures are company A's candidatures of the matrix: one hired (by direct hire, its
// contract starting in 5 days), one sent by the prescriber and refused.
func matrixCandidatures(t *testing.T, site *webtest.Site, f *matrixFixtures, users map[role]*account.User) (hired, refused string) {
	t.Helper()
	ctx := t.Context()
	emp := actor.Actor{UserID: users[employerAdmin].ID, Kind: actor.Professional,
		Organization: &actor.Organization{Type: string(org.TypeCompany), Kind: string(f.companyA.Kind), ID: f.companyA.ID, UID: f.companyA.UID}}
	start := application.Day(time.Now()).AddDate(0, 0, 5)
	h, err := site.Services.Applications.DirectHire(ctx, emp, application.DirectHireInput{
		JobSeekerPublicID: site.CreateJobSeeker("hired@example.org").PublicID,
		AcceptInput:       application.AcceptInput{HiringStartAt: &start}}, false)
	if err != nil {
		t.Fatalf("fixture hire: %v", err)
	}
	var po org.PrescriberOrganization
	if err := site.DB.NewSelect().Model(&po).Where("po.uid = ?", f.prescriberUID).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	pro := actor.Actor{UserID: users[prescriber].ID, Kind: actor.Professional,
		Organization: &actor.Organization{Type: string(org.TypePrescriber), ID: po.ID, UID: po.UID}}
	r, err := site.Services.Applications.Submit(ctx, pro, application.SubmitInput{CompanyUID: f.companyA.UID,
		JobSeekerPublicID: site.CreateJobSeeker("refused@example.org").PublicID, JobUIDs: []string{f.ficheA}, Message: "Motivée."})
	if err != nil {
		t.Fatalf("fixture candidature: %v", err)
	}
	if _, err := site.Services.Applications.Refuse(ctx, emp, r.PublicID, application.RefuseInput{Reason: "no_position",
		Answer: "Pas de poste.", AnswerToPrescriber: "Désolés."}); err != nil {
		t.Fatalf("fixture refusal: %v", err)
	}
	return h.PublicID, r.PublicID
}

// matrixPASS issues a PASS IAE for company A's hire through the domain service and attaches it.
func matrixPASS(t *testing.T, site *webtest.Site, hired string) string {
	t.Helper()
	ctx := t.Context()
	var h struct {
		JobSeekerID int64     `bun:"job_seeker_id"`
		Start       time.Time `bun:"hiring_start_at"`
	}
	if err := site.DB.NewSelect().Table("job_application").Column("job_seeker_id", "hiring_start_at").Where("public_id = ?", hired).Scan(ctx, &h); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	var diagnosis int64
	if err := site.DB.NewRaw(`INSERT INTO eligibility_diagnosis (job_seeker_id, author_kind, expires_at, created_at, updated_at)
		VALUES (?, 'prescriber', ?, ?, ?) RETURNING id`, h.JobSeekerID, now.AddDate(0, 6, 0), now, now).Scan(ctx, &diagnosis); err != nil {
		t.Fatal(err)
	}
	var pass *approval.Approval
	err := site.DB.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if pass, err = site.Services.Approvals.Issue(ctx, tx, approval.IssueInput{UserID: h.JobSeekerID, StartAt: h.Start, EligibilityDiagnosisID: diagnosis}); err != nil {
			return err
		}
		_, err = tx.NewUpdate().Table("job_application").Set("approval_id = ?", pass.ID).Where("public_id = ?", hired).Exec(ctx)
		return err
	})
	if err != nil {
		t.Fatalf("fixture PASS: %v", err)
	}
	return pass.PublicID
}

// classify reads a response as allowed, denied or absent. A server error fails whatever the row.
func classify(res *webtest.Response) outcome {
	switch {
	case res.StatusCode >= 500:
		return outcome(fmt.Sprintf("server error %d", res.StatusCode))
	case res.StatusCode == http.StatusForbidden:
		return denied
	case res.StatusCode == http.StatusNotFound || res.StatusCode == http.StatusGone:
		return absent
	case res.StatusCode >= 300 && res.StatusCode < 400:
		loc := res.Header.Get("Location")
		if strings.HasPrefix(loc, "/accounts/login") || strings.HasPrefix(loc, "/logout/warning/") {
			return denied
		}
	}
	return allowed
}
