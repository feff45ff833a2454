package api

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/apitoken"
	"emplois/internal/nexus"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/logtest"
)

// nexusFixture serves the real route table over a database, with a service token of Dora, the
// Marché and data·inclusion, and the log lines written.
type nexusFixture struct {
	t                                    *testing.T
	d                                    *db.DB
	mux                                  *http.ServeMux
	tokens                               *apitoken.Service
	doraKey, marcheKey, dataInclusionKey string
	nexus                                *nexus.Service
	now                                  time.Time
	log                                  *logtest.Buffer
}

func newNexusFixture(t *testing.T, d *db.DB) *nexusFixture {
	t.Helper()
	f := &nexusFixture{t: t, d: d, mux: http.NewServeMux(), tokens: apitoken.NewService(d, []byte("secret")),
		now: time.Date(2026, 8, 21, 14, 3, 11, 512345000, time.UTC), log: &logtest.Buffer{}}
	service := func(p apitoken.Partner) string {
		out, err := f.tokens.CreateFamily(context.Background(), actor.Actor{}, apitoken.FamilyInput{Kind: apitoken.ServiceToken, Service: p})
		if err != nil {
			t.Fatal(err)
		}
		return out.Key
	}
	f.doraKey, f.marcheKey, f.dataInclusionKey = service(apitoken.Dora), service(apitoken.LeMarche), service(apitoken.DataInclusion)
	cfg, err := config.Load(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	f.nexus = nexus.NewService(d, account.NewService(d, cfg))
	f.nexus.Now = func() time.Time { return f.now }
	throttles := NewThrottles(d)
	throttles.Now = func() time.Time { return gateNow }
	base, _ := url.Parse("https://emplois.example.org")
	for _, rt := range Routes(Config{Nexus: f.nexus, Tokens: f.tokens, Throttles: throttles, BaseURL: base,
		Session:  func(r *http.Request) (int64, actor.Kind) { return 0, "" },
		ClientIP: func(*http.Request) string { return "203.0.113.7" }, Log: slog.New(slog.NewTextHandler(f.log, nil))}) {
		f.mux.Handle(rt.Pattern, rt.Handler)
	}
	return f
}

// call sends body (JSON, none when "") to path with method and the key (none when "").
func (f *nexusFixture) call(method, path, key, body string) (int, string) {
	f.t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		r.Header.Set("Authorization", "Token "+key)
	}
	rec := httptest.NewRecorder()
	f.mux.ServeHTTP(rec, r)
	return rec.Code, strings.TrimSuffix(rec.Body.String(), "\n")
}

// want calls and checks the status and the body (where `\u00a0` stands for a non-breaking space,
// which the answers do not escape).
func (f *nexusFixture) want(method, path, key, body string, status int, answer string) {
	f.t.Helper()
	answer = strings.ReplaceAll(answer, `\u00a0`, "\u00a0")
	if got, b := f.call(method, path, key, body); got != status || b != answer {
		f.t.Errorf("%s %s %s: %d %s, want %d %s", method, path, body, got, b, status, answer)
	}
}

// ids are the stored ids of a nexus table, sorted.
func (f *nexusFixture) ids(table string) []string {
	f.t.Helper()
	var ids []string
	if err := f.d.NewRaw("SELECT id FROM "+table+" ORDER BY id").Scan(context.Background(), &ids); err != nil {
		f.t.Fatal(err)
	}
	return ids
}

var nexusRoutes = []string{NexusUsersPath, NexusStructuresPath, NexusMembershipsPath, NexusSyncStartPath, NexusSyncCompletedPath, NexusDropdownStatusPath}

const (
	notProvided = `{"detail":"Informations d'authentification non fournies."}`
	denied      = `{"detail":"Vous n'avez pas la permission d'effectuer cette action."}`
)

// X1: no token (or a key that is no service token) → 401 on every route and method; the
// methods a route does not serve → 405 once authenticated; no route with a trailing slash.
func TestNexus_EveryRouteWantsAServiceTokenAndItsMethods(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newNexusFixture(t, d)
		for _, path := range nexusRoutes {
			for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodDelete, http.MethodPut} {
				f.want(m, path, "", "", 401, notProvided)
				f.want(m, path, "unknown-key", "", 401, notProvided)
			}
		}
		for _, path := range []string{NexusSyncStartPath, NexusSyncCompletedPath, NexusDropdownStatusPath} {
			f.want(http.MethodGet, path, f.doraKey, "", 405, `{"detail":"Méthode « GET » non autorisée."}`)
			f.want(http.MethodDelete, path, f.doraKey, "", 405, `{"detail":"Méthode « DELETE » non autorisée."}`)
		}
		for _, path := range []string{NexusUsersPath, NexusStructuresPath, NexusMembershipsPath} {
			f.want(http.MethodGet, path, f.doraKey, "", 405, `{"detail":"Méthode « GET » non autorisée."}`)
			f.want(http.MethodPut, path, f.marcheKey, "[]", 405, `{"detail":"Méthode « PUT » non autorisée."}`)
		}
		if status, _ := f.call(http.MethodPost, NexusSyncStartPath+"/", f.doraKey, ""); status != http.StatusNotFound {
			t.Errorf("sync-start/: %d", status)
		}
	})
}

// §10 Q5: only Dora and the Marché push, delete and sync; any service may ask dropdown-status.
func TestNexus_OnlyDoraAndTheMarchePushButAnyServiceReadsTheStatus(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newNexusFixture(t, d)
		for _, path := range nexusRoutes[:5] {
			f.want(http.MethodPost, path, f.dataInclusionKey, "[]", 403, denied)
		}
		for _, path := range nexusRoutes[:3] {
			f.want(http.MethodDelete, path, f.dataInclusionKey, "[]", 403, denied)
			f.want(http.MethodPost, path, f.doraKey, "[]", 200, `{}`)
			f.want(http.MethodPost, path, f.marcheKey, "[]", 200, `{}`)
		}
		f.want(http.MethodPost, NexusDropdownStatusPath, f.dataInclusionKey, `{"email": "nobody@example.org"}`, 200,
			`{"proconnect":false,"activated_services":[]}`)
	})
}

func doraUser(id, kind, auth, email string) string {
	return `{"id": "` + id + `", "kind": "` + kind + `", "first_name": "Jeanne", "last_name": "Martin", "email": "` + email +
		`", "phone": "0612345678", "last_login": "2026-08-20T09:00:00+02:00", "auth": "` + auth + `"}`
}

// X2: the valid users are stored, the others answered with their errors.
func TestNexus_PushOfUsersStoresTheValidOnesAndNamesTheErrorsOfTheOthers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newNexusFixture(t, d)
		f.want(http.MethodPost, NexusUsersPath, f.doraKey,
			`[`+doraUser("ok", "accompagnateur", "PRO_CONNECT", "jeanne@example.org")+`,`+doraUser("nok", "employeur", "MAGIC LINK", "nok@example.org")+`]`, 200,
			`{"errors":{"nok":{"kind":["«\u00a0employeur\u00a0» n'est pas un choix valide."],"auth":["«\u00a0MAGIC LINK\u00a0» n'est pas un choix valide."]}}}`)
		if got := f.ids("nexus_user"); len(got) != 1 || got[0] != "dora--ok" {
			t.Fatalf("stored %v", got)
		}
		var u nexus.User
		if err := d.NewSelect().Model(&u).Where("id = 'dora--ok'").Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if u.Kind != nexus.Guide || u.Source != apitoken.Dora || u.SourceID != "ok" || u.LastLogin == nil ||
			!u.LastLogin.Equal(time.Date(2026, 8, 20, 7, 0, 0, 0, time.UTC)) || !u.UpdatedAt.Equal(f.now) {
			t.Errorf("stored %+v", u)
		}

		// Every other refusal of a user's fields, and the items without an id keyed by position.
		f.want(http.MethodPost, NexusUsersPath, f.doraKey,
			`[{"id": "a", "kind": "", "first_name": "", "last_name": null, "email": "pas-une-adresse", "phone": "012345678901234567890", "last_login": "hier", "auth": "DJANGO"},
			  "texte", {"kind": "autre"}]`, 200,
			`{"errors":{"a":{"first_name":["Ce champ ne peut être vide."],"last_name":["Ce champ ne peut être nul."],"email":["Saisissez une adresse e-mail valide."],"last_login":["La date + heure n'a pas le bon format. Utilisez un des formats suivants : YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."],"phone":["Assurez-vous que ce champ comporte au plus 20 caractères."]},`+
				`"#1":{"non_field_errors":["Donnée non valide. Attendait un dictionnaire, a reçu str."]},`+
				`"#2":{"id":["Ce champ est obligatoire."],"first_name":["Ce champ est obligatoire."],"last_name":["Ce champ est obligatoire."],"email":["Ce champ est obligatoire."],"phone":["Ce champ est obligatoire."],"auth":["Ce champ est obligatoire."]}}}`)

		// The Marché's SIAE users are facility managers; Dora's kinds mean nothing to the Marché.
		f.want(http.MethodPost, NexusUsersPath, f.marcheKey,
			`[`+doraUser("m1", "SIAE", "DJANGO", "m1@example.org")+`,`+doraUser("m2", "accompagnateur", "DJANGO", "m2@example.org")+`]`, 200,
			`{"errors":{"m2":{"kind":["«\u00a0accompagnateur\u00a0» n'est pas un choix valide."]}}}`)
		var kind string
		if err := d.NewRaw("SELECT kind FROM nexus_user WHERE id = ?", "le-marché--m1").Scan(context.Background(), &kind); err != nil || kind != "FACILITY_MANAGER" {
			t.Errorf("Marché SIAE user: %q %v", kind, err)
		}

		// A body that is not a list, or not JSON, is refused whole.
		f.want(http.MethodPost, NexusUsersPath, f.doraKey, `{"id": "x"}`, 400, `{"non_field_errors":["Attendait une liste d'éléments mais a reçu \"dict\"."]}`)
		if status, body := f.call(http.MethodPost, NexusUsersPath, f.doraKey, `[{`); status != 400 || !strings.HasPrefix(body, `{"detail":"Erreur d'analyse JSON - `) {
			t.Errorf("not JSON: %d %s", status, body)
		}
	})
}

func structure(id, kind, siret, website string) string {
	return `{"id": "` + id + `", "kind": "` + kind + `", "siret": ` + siret + `, "name": "Recyclerie du Val", "phone": "0145000000",
		"email": "contact@recyclerie.example", "address_line_1": "3 rue de la Gare", "address_line_2": "", "post_code": "94000",
		"city": "Créteil", "department": "94", "website": "` + website + `", "opening_hours": "Mo-Fr 09:00-17:00",
		"accessibility": "", "description": "", "source_link": "https://dora.example/structures/` + id + `"}`
}

// Structures: the kind mapped to the common typology, the SIRET 14 digits or null, web addresses.
func TestNexus_PushOfStructuresChecksKindSiretAndAddresses(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newNexusFixture(t, d)
		f.want(http.MethodPost, NexusStructuresPath, f.doraKey, `[`+
			structure("s1", "CIAS", `"12345678900012"`, "https://recyclerie.example")+`,`+
			structure("s2", "Autre", `null`, "")+`,`+
			structure("s3", "Mairie", `"123"`, "recyclerie.example")+`]`, 200,
			`{"errors":{"s3":{"kind":["«\u00a0Mairie\u00a0» n'est pas un choix valide."],"siret":["Le SIRET doit être composé de 14 chiffres."],"website":["Saisissez une URL valide."]}}}`)
		var rows []nexus.Structure
		if err := d.NewSelect().Model(&rows).Order("id").Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0].ID != "dora--s1" || rows[0].Kind != "CCAS" || rows[0].SIRET == nil || *rows[0].SIRET != "12345678900012" ||
			rows[1].Kind != "" || rows[1].SIRET != nil || rows[1].City != "Créteil" {
			t.Errorf("stored %+v", rows)
		}
		// The Marché knows only inclusive employers' kinds.
		f.want(http.MethodPost, NexusStructuresPath, f.marcheKey, `[`+structure("m1", "ESAT", `null`, "")+`,`+structure("m2", "CIAS", `null`, "")+`]`, 200,
			`{"errors":{"m2":{"kind":["«\u00a0CIAS\u00a0» n'est pas un choix valide."]}}}`)
		// An upsert replaces the fields.
		f.now = f.now.Add(time.Hour)
		f.want(http.MethodPost, NexusStructuresPath, f.doraKey, `[`+strings.Replace(structure("s1", "CCAS", `null`, ""), "Créteil", "Vitry", 1)+`]`, 200, `{}`)
		var s nexus.Structure
		if err := d.NewSelect().Model(&s).Where("id = 'dora--s1'").Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if s.City != "Vitry" || s.SIRET != nil || s.Website != "" || !s.UpdatedAt.Equal(f.now) {
			t.Errorf("after the upsert: %+v", s)
		}
	})
}

// Memberships: the role checked; the ones whose user or structure is unknown silently skipped.
func TestNexus_PushOfMembershipsSkipsUnknownUsersAndStructures(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newNexusFixture(t, d)
		f.want(http.MethodPost, NexusUsersPath, f.doraKey, `[`+doraUser("u1", "offreur", "DJANGO", "u1@example.org")+`]`, 200, `{}`)
		f.want(http.MethodPost, NexusStructuresPath, f.doraKey, `[`+structure("s1", "ACI", `null`, "")+`]`, 200, `{}`)
		f.want(http.MethodPost, NexusMembershipsPath, f.doraKey, `[
			{"id": "m1", "user_id": "u1", "structure_id": "s1", "role": "ADMINISTRATOR"},
			{"id": "m2", "user_id": "u2", "structure_id": "s1", "role": "COLLABORATOR"},
			{"id": "m3", "user_id": "u1", "structure_id": "s2", "role": "COLLABORATOR"},
			{"id": "m4", "user_id": "u1", "structure_id": "s1", "role": "OWNER"}]`, 200,
			`{"errors":{"m4":{"role":["«\u00a0OWNER\u00a0» n'est pas un choix valide."]}}}`)
		if got := f.ids("nexus_membership"); len(got) != 1 || got[0] != "dora--m1" {
			t.Errorf("memberships %v", got)
		}
		// The Marché cannot attach its members to Dora's rows: its ids are its own.
		f.want(http.MethodPost, NexusMembershipsPath, f.marcheKey, `[{"id": "m9", "user_id": "u1", "structure_id": "s1", "role": "ADMINISTRATOR"}]`, 200, `{}`)
		if got := f.ids("nexus_membership"); len(got) != 1 {
			t.Errorf("memberships %v", got)
		}
	})
}

// X3: deleting a Marché user deletes its memberships, not its structure; malformed items refuse
// the whole list.
func TestNexus_DeleteOfAUserTakesItsMembershipsNotItsStructure(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newNexusFixture(t, d)
		f.want(http.MethodPost, NexusUsersPath, f.marcheKey, `[`+doraUser("u1", "SIAE", "DJANGO", "u1@example.org")+`,`+doraUser("u2", "SIAE", "DJANGO", "u2@example.org")+`]`, 200, `{}`)
		f.want(http.MethodPost, NexusStructuresPath, f.marcheKey, `[`+structure("s1", "EI", `null`, "")+`]`, 200, `{}`)
		f.want(http.MethodPost, NexusMembershipsPath, f.marcheKey, `[{"id": "m1", "user_id": "u1", "structure_id": "s1", "role": "ADMINISTRATOR"},
			{"id": "m2", "user_id": "u2", "structure_id": "s1", "role": "COLLABORATOR"}]`, 200, `{}`)

		f.want(http.MethodDelete, NexusUsersPath, f.marcheKey, `[{"id": "u1"}, {}, "u2"]`, 400,
			`[{},{"id":["Ce champ est obligatoire."]},{"non_field_errors":["Donnée non valide. Attendait un dictionnaire, a reçu str."]}]`)
		f.want(http.MethodDelete, NexusUsersPath, f.marcheKey, `{"id": "u1"}`, 400, `{"non_field_errors":["Attendait une liste d'éléments mais a reçu \"dict\"."]}`)
		if got := f.ids("nexus_user"); len(got) != 2 {
			t.Fatalf("a refused delete deleted: %v", got)
		}
		// Dora's token deletes only Dora's rows.
		f.want(http.MethodDelete, NexusUsersPath, f.doraKey, `[{"id": "u1"}]`, 200, `{}`)
		f.want(http.MethodDelete, NexusUsersPath, f.marcheKey, `[{"id": "u1"}, {"id": "unknown"}]`, 200, `{}`)
		if got := f.ids("nexus_user"); len(got) != 1 || got[0] != "le-marché--u2" {
			t.Errorf("users %v", got)
		}
		if got := f.ids("nexus_membership"); len(got) != 1 || got[0] != "le-marché--m2" {
			t.Errorf("memberships %v", got)
		}
		if got := f.ids("nexus_structure"); len(got) != 1 {
			t.Errorf("structures %v", got)
		}
		f.want(http.MethodDelete, NexusMembershipsPath, f.marcheKey, `[{"id": "m2"}]`, 200, `{}`)
		f.want(http.MethodDelete, NexusStructuresPath, f.marcheKey, `[{"id": "s1"}]`, 200, `{}`)
		if n := len(f.ids("nexus_membership")) + len(f.ids("nexus_structure")); n != 0 {
			t.Errorf("%d rows left", n)
		}
	})
}

// X5: a Dora push never touches the Marché's rows, even with the same source id.
func TestNexus_APushNeverTouchesAnotherServicesRows(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newNexusFixture(t, d)
		f.want(http.MethodPost, NexusUsersPath, f.marcheKey, `[`+doraUser("same", "SIAE", "DJANGO", "marche@example.org")+`]`, 200, `{}`)
		f.want(http.MethodPost, NexusUsersPath, f.doraKey, `[`+doraUser("same", "autre", "PRO_CONNECT", "dora@example.org")+`]`, 200, `{}`)
		if got := f.ids("nexus_user"); len(got) != 2 || got[0] != "dora--same" || got[1] != "le-marché--same" {
			t.Fatalf("users %v", got)
		}
		var email string
		if err := d.NewRaw("SELECT email FROM nexus_user WHERE id = ?", "le-marché--same").Scan(context.Background(), &email); err != nil || email != "marche@example.org" {
			t.Errorf("the Marché's user: %q %v", email, err)
		}
	})
}

// A full sync: sync-start answers its start in UTC; sync-completed with another instant is
// refused with 403 {} and a warning without personal data; with the right one, the rows not
// pushed since are ignored by dropdown-status.
func TestNexus_FullSyncMakesTheRowsNotPushedSinceStale(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newNexusFixture(t, d)
		f.want(http.MethodPost, NexusUsersPath, f.doraKey, `[`+doraUser("old", "autre", "PRO_CONNECT", "jeanne@example.org")+`]`, 200, `{}`)
		f.want(http.MethodPost, NexusUsersPath, f.marcheKey, `[`+doraUser("m", "SIAE", "DJANGO", "Jeanne@Example.org")+`]`, 200, `{}`)
		f.want(http.MethodPost, NexusDropdownStatusPath, f.doraKey, `{"email": "JEANNE@example.org"}`, 200,
			`{"proconnect":true,"activated_services":["dora","le-marche"]}`)

		f.now = f.now.Add(time.Hour)
		f.want(http.MethodPost, NexusSyncStartPath, f.doraKey, "", 200, `{"started_at":"2026-08-21T15:03:11.512345+00:00"}`)
		f.want(http.MethodPost, NexusSyncCompletedPath, f.doraKey, `{}`, 400, `{"started_at":["Ce champ est obligatoire."]}`)
		f.want(http.MethodPost, NexusSyncCompletedPath, f.doraKey, `{"started_at": "demain"}`, 400,
			`{"started_at":["La date + heure n'a pas le bon format. Utilisez un des formats suivants : YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."]}`)
		f.want(http.MethodPost, NexusSyncCompletedPath, f.doraKey, `{"started_at": "2026-08-21T15:03:11.512344+00:00"}`, 403, `{}`)
		f.want(http.MethodPost, NexusSyncCompletedPath, f.marcheKey, `{"started_at": "2026-08-21T15:03:11.512345+00:00"}`, 403, `{}`)
		logs := f.log.String()
		if !strings.Contains(logs, "Got invalid start_at for source=dora") || !strings.Contains(logs, "Got invalid start_at for source=le-marche") ||
			strings.Contains(logs, "jeanne") || strings.Contains(logs, f.doraKey) {
			t.Errorf("logs:\n%s", logs)
		}
		// Still the old rows while the sync runs.
		f.want(http.MethodPost, NexusDropdownStatusPath, f.doraKey, `{"email": "jeanne@example.org"}`, 200,
			`{"proconnect":true,"activated_services":["dora","le-marche"]}`)

		f.now = f.now.Add(time.Minute)
		f.want(http.MethodPost, NexusUsersPath, f.doraKey, `[`+doraUser("new", "offreur", "DJANGO", "paul@example.org")+`]`, 200, `{}`)
		// The same instant written another way (Paris time) names the sync.
		f.want(http.MethodPost, NexusSyncCompletedPath, f.doraKey, `{"started_at": "2026-08-21T17:03:11.512345+02:00"}`, 200, `{}`)
		f.want(http.MethodPost, NexusDropdownStatusPath, f.doraKey, `{"email": "jeanne@example.org"}`, 200,
			`{"proconnect":false,"activated_services":["le-marche"]}`)
		f.want(http.MethodPost, NexusDropdownStatusPath, f.doraKey, `{"email": "paul@example.org"}`, 200,
			`{"proconnect":false,"activated_services":["dora"]}`)
		// The sync is over: completing it again is refused.
		f.want(http.MethodPost, NexusSyncCompletedPath, f.doraKey, `{"started_at": "2026-08-21T15:03:11.512345+00:00"}`, 403, `{}`)
		// A push refreshes a stale row.
		f.want(http.MethodPost, NexusUsersPath, f.doraKey, `[`+doraUser("old", "autre", "PRO_CONNECT", "jeanne@example.org")+`]`, 200, `{}`)
		f.want(http.MethodPost, NexusDropdownStatusPath, f.doraKey, `{"email": "jeanne@example.org"}`, 200,
			`{"proconnect":true,"activated_services":["dora","le-marche"]}`)
	})
}

// professional stores an account of Les emplois.
func (f *nexusFixture) account(email string, kind actor.Kind, provider account.IdentityProvider, active bool) {
	f.t.Helper()
	var username any
	if provider != account.Django {
		username = uuid.NewString()
	}
	if _, err := f.d.NewRaw(`INSERT INTO users (public_id, email, kind, identity_provider, username, date_joined, is_active) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		uuid.NewString(), email, kind, provider, username, f.now, active).Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

// X4 and the e-mail's refusals: a Dora user with the e-mail of a ProConnect prescriber here.
func TestNexus_DropdownStatusAddsTheActiveProfessionalAccountOfLesEmplois(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newNexusFixture(t, d)
		f.account("claire@example.org", actor.Professional, account.ProConnect, true)
		f.account("paul@example.org", actor.Professional, account.Django, true)
		f.account("inactive@example.org", actor.Professional, account.ProConnect, false)
		f.account("seeker@example.org", actor.JobSeeker, account.Django, true)
		f.want(http.MethodPost, NexusUsersPath, f.doraKey, `[`+doraUser("c", "accompagnateur", "DJANGO", "claire@example.org")+`]`, 200, `{}`)
		for email, want := range map[string]string{
			"claire@example.org":   `{"proconnect":true,"activated_services":["dora","les-emplois"]}`,
			"paul@example.org":     `{"proconnect":false,"activated_services":["les-emplois"]}`,
			"inactive@example.org": `{"proconnect":false,"activated_services":[]}`,
			"seeker@example.org":   `{"proconnect":false,"activated_services":[]}`,
		} {
			f.want(http.MethodPost, NexusDropdownStatusPath, f.marcheKey, `{"email": "`+email+`"}`, 200, want)
		}
		for body, want := range map[string]string{
			`{}`:                       `{"email":["Ce champ est obligatoire."]}`,
			`{"email": null}`:          `{"email":["Ce champ ne peut être nul."]}`,
			`{"email": ""}`:            `{"email":["Ce champ ne peut être vide."]}`,
			`{"email": "pas-valide"}`:  `{"email":["Saisissez une adresse e-mail valide."]}`,
			`{"email": "a@b@example"}`: `{"email":["Saisissez une adresse e-mail valide."]}`,
		} {
			f.want(http.MethodPost, NexusDropdownStatusPath, f.doraKey, body, 400, want)
		}
		// A form body is read too.
		r := httptest.NewRequest(http.MethodPost, NexusDropdownStatusPath, strings.NewReader("email=paul%40example.org"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Authorization", "Token "+f.dataInclusionKey)
		rec := httptest.NewRecorder()
		f.mux.ServeHTTP(rec, r)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `["les-emplois"]`) {
			t.Errorf("form body: %d %s", rec.Code, rec.Body.String())
		}
	})
}

// §10 Q2: 120 calls a minute per token, each token its own bucket.
func TestNexus_ThrottlesEachTokenApart(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newNexusFixture(t, d)
		for i := range RatePerUser {
			if status, body := f.call(http.MethodPost, NexusSyncStartPath, f.doraKey, ""); status != 200 {
				t.Fatalf("call %d: %d %s", i+1, status, body)
			}
		}
		status, body := f.call(http.MethodPost, NexusUsersPath, f.doraKey, "[]")
		if status != http.StatusTooManyRequests || !regexp.MustCompile(`^\{"detail":"Requête ralentie\. Disponible à nouveau dans \d+ secondes?\."\}$`).MatchString(body) {
			t.Errorf("call 121: %d %s", status, body)
		}
		f.want(http.MethodPost, NexusUsersPath, f.marcheKey, "[]", 200, `{}`)
	})
}

// Nexus routes are internal: the OpenAPI document has none (api.md §9 P2), while it documents
// every other route of the API.
func TestOpenAPI_DocumentsEveryRouteButTheNexusOnes(t *testing.T) {
	doc := openAPI(t)
	for path := range doc.Paths {
		if strings.HasPrefix(path, "/nexus") {
			t.Errorf("%s is in the OpenAPI document", path)
		}
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("nexus")) {
		t.Error("the OpenAPI document names nexus")
	}
	for _, rt := range Routes(Config{Throttles: &Throttles{}, BaseURL: &url.URL{Scheme: "https", Host: "emplois.example.org"}, Log: slog.Default()}) {
		path := rt.Pattern[strings.LastIndexByte(rt.Pattern, ' ')+1:]
		if strings.HasPrefix(path, "/api/v1/nexus/") {
			continue // internal machine-to-machine routes, excluded on purpose (api.md §8)
		}
		if path == "/api/v1/{$}" {
			continue // the router root, absent from the original's schema too
		}
		rel := strings.TrimSuffix(strings.TrimPrefix(path, "/api/v1"), "{$}")
		if _, ok := doc.Paths[rel]; !ok {
			t.Errorf("%s is not documented", path)
		}
	}
}
