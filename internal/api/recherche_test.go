package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/apitoken"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// rechercheNow is the fixture's clock: api.md §3.4's example is a month old then.
var rechercheNow = time.Date(2026, 7, 20, 10, 0, 0, 0, time.UTC)

func (f *candidatsFixture) deptKey(dept string) string {
	f.t.Helper()
	out, err := f.tokens.CreateFamily(context.Background(), actor.Actor{}, apitoken.FamilyInput{Kind: apitoken.DepartmentToken, Department: dept, Label: "CD " + dept + " " + uuid.NewString()[:8]})
	if err != nil {
		f.t.Fatal(err)
	}
	return out.Key
}

func (f *candidatsFixture) post(method, query, authorization, body string) (int, []byte) {
	f.t.Helper()
	r := httptest.NewRequest(method, "/api/v1/candidatures/recherche/?"+query, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if authorization != "" {
		r.Header.Set("Authorization", authorization)
	}
	rec := httptest.NewRecorder()
	f.mux.ServeHTTP(rec, r)
	return rec.Code, bytes.TrimSpace(rec.Body.Bytes())
}

// inès makes api.md §3.4's person and application; it returns the person's id and the
// application's.
func (f *candidatsFixture) inès() (int64, int64) {
	at := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			f.t.Fatal(err)
		}
		return t
	}
	co := f.scanID(`INSERT INTO company (uid, siret, kind, name, source, address_line_1, post_code, city_name, email, created_at, updated_at)
		VALUES (?, '41234567800021', 'GEIQ', 'Jardins du Nord', 'GEIQ', '8 chemin des Prés', '59650', 'Villeneuve-d''Ascq', 'rh@jardins-du-nord.example', ?, ?) RETURNING id`,
		uuid.NewString(), f.now, f.now)
	f.exec(`UPDATE company SET kind = 'ACI', source = 'ASP' WHERE id = ?`, co)
	ines := f.user(person{first: "Inès", last: "Lefèvre", email: "ines.lefevre@example.org", phone: "0611223344"})
	f.exec(`INSERT INTO job_seeker_profile (user_id, birthdate, nir, asp_uid, updated_at) VALUES (?, ?, '290017512345628', ?, ?)`,
		ines, time.Date(1990, 1, 17, 0, 0, 0, 0, time.UTC), uuid.NewString()[:30], f.now)
	paul := f.user(person{kind: "professional", first: "Paul", last: "Roux", email: "paul.roux@departement59.example"})
	po := f.scanID(`INSERT INTO prescriber_organization (uid, siret, kind, name, phone, created_at, updated_at) VALUES (?, '22590001700011', 'DEPT', 'Département du Nord - UTPAS Lille', '0320000000', ?, ?) RETURNING id`,
		uuid.NewString(), f.now, f.now)
	f.exec(`INSERT INTO rome_code (code, label) VALUES ('A1203', 'Aménagement et entretien des espaces verts')`)
	f.exec(`INSERT INTO rome_appellation (code, label, search_text, rome_code) VALUES ('11222', 'Jardinier / Jardinière', 'jardinier', 'A1203')`)
	jd := f.scanID(`INSERT INTO job_description (uid, company_id, appellation_code, contract_type, created_at, updated_at, last_employer_update_at)
		VALUES (?, ?, '11222', 'FIXED_TERM_I', ?, ?, ?) RETURNING id`, uuid.NewString(), co, f.now, f.now, f.now)
	app := f.scanID(`INSERT INTO job_application (public_id, job_seeker_id, to_company_id, sender_id, sender_kind, sender_prescriber_organization_id,
		state, message, hiring_start_at, hiring_end_at, hired_job_id, processed_at, created_at, updated_at)
		VALUES ('0b7e9a3c-5d41-4e2f-8a6b-1c2d3e4f5a6b', ?, ?, ?, 'prescriber', ?, 'accepted', ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		ines, co, paul, po, "Bonjour,\nJe suis disponible immédiatement.", time.Date(2026, 6, 20, 0, 0, 0, 0, time.UTC),
		time.Date(2027, 6, 19, 0, 0, 0, 0, time.UTC), jd, at("2026-06-20T11:40:00+02:00"), at("2026-06-02T09:12:44.208311+02:00"), at("2026-07-15T18:03:10+02:00"))
	f.exec(`INSERT INTO job_application_selected_job (job_application_id, job_description_id) VALUES (?, ?)`, app, jd)
	f.exec(`INSERT INTO job_application_transition_log (job_application_id, transition, from_state, to_state, created_at) VALUES (?, 'accept', 'new', 'accepted', ?)`,
		app, at("2026-06-20T11:40:00+02:00"))
	f.exec(`INSERT INTO approval (public_id, number, start_at, end_at, user_id, origin, created_at, updated_at) VALUES (?, '999992600123', ?, ?, ?, 'ai_stock', ?, ?)`,
		uuid.NewString(), time.Date(2026, 6, 20, 0, 0, 0, 0, time.UTC), time.Date(2028, 6, 19, 0, 0, 0, 0, time.UTC), ines, f.now, f.now)
	return ines, app
}

const inèsQuery = `{"nir": " 290017512345628 ", "nom": "LEFEVRE", "prenom": "inès", "date_naissance": "1990-01-17"}`

func TestRecherche_AnswersTheExampleOfTheSpec_Golden(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newCandidatsFixture(t, d)
		f.apps.Now = func() time.Time { return rechercheNow }
		f.inès()
		key := "Token " + f.deptKey("75") // R1: another département's person
		status, body := f.post("POST", "", key, inèsQuery)
		if status != http.StatusOK {
			t.Fatalf("%d %s", status, body)
		}
		sameJSON(t, body, `{
  "count": 1, "next": null, "previous": null,
  "results": [{
    "identifiant_unique": "0b7e9a3c-5d41-4e2f-8a6b-1c2d3e4f5a6b",
    "cree_le": "2026-06-02T09:12:44.208311+02:00", "mis_a_jour_le": "2026-07-15T18:03:10+02:00",
    "dernier_changement_le": "2026-06-20T11:40:00+02:00", "statut": "accepted",
    "candidat_nir": "290017512345628", "candidat_nom": "Lefèvre", "candidat_prenom": "Inès",
    "candidat_date_naissance": "1990-01-17", "candidat_email": "ines.lefevre@example.org", "candidat_telephone": "0611223344",
    "candidat_pass_iae_statut": "VALID", "candidat_pass_iae_numero": "999992600123",
    "candidat_pass_iae_date_debut": "2026-06-20", "candidat_pass_iae_date_fin": "2028-06-19",
    "entreprise_type": "ACI", "entreprise_nom": "Jardins du Nord", "entreprise_siret": "41234567800021",
    "entreprise_adresse": "8 chemin des Prés, 59650 Villeneuve-d'Ascq", "entreprise_employeur_email": "rh@jardins-du-nord.example",
    "orientation_emetteur_type": "prescriber", "orientation_emetteur_sous_type": "DEPT",
    "orientation_emetteur_nom": "Roux", "orientation_emetteur_prenom": "Paul", "orientation_emetteur_email": "paul.roux@departement59.example",
    "orientation_emetteur_organisme": "Département du Nord - UTPAS Lille", "orientation_emetteur_organisme_telephone": "0320000000",
    "orientation_postes_recherches": [{"rome": "A1203", "titre": "Aménagement et entretien des espaces verts", "ville": "Villeneuve-d'Ascq"}],
    "orientation_candidat_message": "Bonjour,\nJe suis disponible immédiatement.",
    "orientation_candidat_cv": "",
    "contrat_date_debut": "2026-06-20", "contrat_date_fin": "2027-06-19",
    "contrat_poste_retenu": {"rome": "A1203", "titre": "Aménagement et entretien des espaces verts", "ville": "Villeneuve-d'Ascq"}
  }]
}`)
		for _, tc := range []struct{ name, body, want string }{
			{"R8 missing fields", `{"nir": "290017512345628"}`, `{"nom": ["Ce champ est obligatoire."], "prenom": ["Ce champ est obligatoire."], "date_naissance": ["Ce champ est obligatoire."]}`},
			{"blank and bad date", `{"nir": " ", "nom": "a", "prenom": "b", "date_naissance": "17/01/1990"}`, `{"nir": ["Ce champ ne peut être vide."], "date_naissance": ["La date n'a pas le bon format. Utilisez un des formats suivants : YYYY-MM-DD."]}`},
			{"another birth date", strings.Replace(inèsQuery, "1990-01-17", "1990-01-71", 1), `{"date_naissance": ["La date n'a pas le bon format. Utilisez un des formats suivants : YYYY-MM-DD."]}`},
			{"other names", strings.Replace(inèsQuery, "LEFEVRE", "Martin", 1), `{"count": 0, "next": null, "previous": null, "results": []}`},
		} {
			_, body := f.post("POST", "", key, tc.body)
			t.Run(tc.name, func(t *testing.T) { sameJSON(t, body, tc.want) })
		}
	})
}

// Who may call (api.md §3.1, R6, R7) and the département's shared bucket (R9).
func TestRecherche_OnlyDepartmentTokensSearch(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newCandidatsFixture(t, d)
		f.apps.Now = func() time.Time { return rechercheNow }
		f.inès()
		employer := f.user(person{kind: "professional"})
		dora, err := f.tokens.CreateFamily(context.Background(), actor.Actor{}, apitoken.FamilyInput{Kind: apitoken.ServiceToken, Service: apitoken.Dora})
		if err != nil {
			t.Fatal(err)
		}
		notProvided := `{"detail": "Informations d'authentification non fournies."}`
		for _, tc := range []struct{ name, auth, want string }{
			{"user token", "Token " + f.userKey(employer), notProvided},
			{"service token", "Token " + dora.Key, notProvided},
			{"unknown token", "Token 0123456789abcdef0123456789abcdef01234567", notProvided},
			{"nothing", "", notProvided},
		} {
			if status, body := f.post("POST", "", tc.auth, inèsQuery); status != http.StatusUnauthorized {
				t.Errorf("%s: %d %s", tc.name, status, body)
			} else {
				sameJSON(t, body, tc.want)
			}
		}
		key := "Token " + f.deptKey("01")
		for _, m := range []string{"GET", "PUT", "PATCH", "DELETE", "HEAD"} {
			if status, _ := f.post(m, "", key, ""); status != http.StatusMethodNotAllowed {
				t.Errorf("%s: %d, want 405", m, status)
			}
		}
		if status, _ := f.post("OPTIONS", "", key, ""); status != http.StatusOK {
			t.Errorf("OPTIONS: %d", status)
		}
		// R9: the tokens of département 01 share their 120 calls; 02 is still served.
		other01 := "Token " + f.deptKey("01")
		for i := 6; i < RatePerDepartment; i++ { // the 6 calls above counted
			if status, body := f.post("POST", "", other01, inèsQuery); status != http.StatusOK {
				t.Fatalf("call %d: %d %s", i+1, status, body)
			}
		}
		if status, _ := f.post("POST", "", key, inèsQuery); status != http.StatusTooManyRequests {
			t.Errorf("call 121 of département 01: %d, want 429", status)
		}
		if status, _ := f.post("POST", "", "Token "+f.deptKey("02"), inèsQuery); status != http.StatusOK {
			t.Errorf("département 02: %d", status)
		}
	})
}

// R4, R5: the window of 3 months on the last state change, the last changed first; and the
// statements of a page do not grow with its size.
func TestRecherche_ListsTheApplicationsChangedInThreeMonths(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		counted, counter := dbtest.CountStatements(d)
		f := newCandidatsFixture(t, counted)
		f.apps.Now = func() time.Time { return rechercheNow }
		ines, _ := f.inès()
		co := f.company("", 0)
		limit := rechercheNow.AddDate(0, -3, 0)
		var ids []string
		for i, changed := range []time.Time{limit.Add(time.Hour), limit.Add(-24 * time.Hour), rechercheNow.Add(-time.Hour), limit.Add(2 * time.Hour)} {
			id := uuid.NewString()
			ids = append(ids, id)
			app := f.scanID(`INSERT INTO job_application (public_id, job_seeker_id, to_company_id, sender_id, sender_kind, created_at, updated_at)
				VALUES (?, ?, ?, ?, 'job_seeker', ?, ?) RETURNING id`, id, ines, co, ines, limit.AddDate(0, -1, 0), changed)
			if i == 1 { // updated now, but its last transition is 3 months and a day old
				f.exec(`UPDATE job_application SET updated_at = ? WHERE id = ?`, rechercheNow, app)
				f.exec(`INSERT INTO job_application_transition_log (job_application_id, transition, from_state, to_state, created_at) VALUES (?, 'process', 'new', 'processing', ?)`,
					app, changed)
			}
		}
		key := "Token " + f.deptKey("59")
		order := func(size int) []string {
			counter.Reset()
			status, body := f.post("POST", "page_size="+strconv.Itoa(size), key, inèsQuery)
			if status != http.StatusOK {
				t.Fatalf("%d %s", status, body)
			}
			var page Page[Candidature]
			json.Unmarshal(body, &page)
			var got []string
			for _, c := range page.Results {
				got = append(got, c.IdentifiantUnique)
			}
			return got
		}
		want := []string{ids[2], "0b7e9a3c-5d41-4e2f-8a6b-1c2d3e4f5a6b", ids[3], ids[0]}
		if got := order(10); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("order %v, want %v", got, want)
		}
		many := counter.Count()
		if got := order(1); len(got) != 1 || got[0] != ids[2] {
			t.Errorf("page of 1: %v", got)
		}
		if one := counter.Count(); one != many {
			t.Errorf("%d statements for a page of 1, %d for a page of 10", one, many)
		}
	})
}
