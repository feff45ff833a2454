package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/apitoken"
	"emplois/internal/application"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
)

// geiqFixture adds to candidatsFixture the GEIQ, their hires and the company tokens of api.md §6.
type geiqFixture struct {
	*candidatsFixture
}

func newGEIQFixture(t *testing.T, d *db.DB) *geiqFixture {
	return &geiqFixture{candidatsFixture: newCandidatsFixture(t, d)}
}

// geiq stores a company of this kind, SIRET and source; it returns its id and uid.
func (f *geiqFixture) geiq(kind, siret, source string) (int64, string) {
	f.t.Helper()
	f.seq++
	uid := uuid.NewString()
	return f.scanID(`INSERT INTO company (uid, siret, kind, name, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		uid, siret, kind, "GEIQ "+strconv.Itoa(f.seq), source, f.now, f.now), uid
}

// companyToken makes a company token of these companies and returns its key.
func (f *geiqFixture) companyToken(uids ...string) string {
	f.t.Helper()
	return f.issueCompanyToken(uids...).Key
}

func (f *geiqFixture) issueCompanyToken(uids ...string) apitoken.Issued {
	f.t.Helper()
	f.seq++
	out, err := f.tokens.CreateFamily(context.Background(), actor.Actor{}, apitoken.FamilyInput{Kind: apitoken.CompanyToken,
		Label: "Label GEIQ " + strconv.Itoa(f.seq), Companies: uids})
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

// do calls path with the method and the authorization (or session headers).
func (f *geiqFixture) do(method, path, authorization string, header ...string) *httptest.ResponseRecorder {
	f.t.Helper()
	r := httptest.NewRequest(method, path, nil)
	if authorization != "" {
		r.Header.Set("Authorization", authorization)
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	f.mux.ServeHTTP(rec, r)
	return rec
}

// hireInput is a candidature to a GEIQ; zero fields get plain values.
type hireInput struct {
	publicID, jobSeekerPublicID string
	company                     int64
	state                       string
	title, first, last          string
	noProfile                   bool
	sender                      string // "" is a job seeker; a prescriber organization kind otherwise
}

// hire stores a job seeker (with a profile unless noProfile) and their candidature; it returns
// the candidature's id and the job seeker's.
func (f *geiqFixture) hire(in hireInput) (appID, jobSeeker int64) {
	f.t.Helper()
	f.seq++
	n := strconv.Itoa(f.seq)
	if in.publicID == "" {
		in.publicID = uuid.NewString()
	}
	if in.jobSeekerPublicID == "" {
		in.jobSeekerPublicID = uuid.NewString()
	}
	if in.state == "" {
		in.state = "accepted"
	}
	if in.first == "" {
		in.first = "Prénom" + n
	}
	if in.last == "" {
		in.last = "Nom"
	}
	jobSeeker = f.scanID(`INSERT INTO users (public_id, email, kind, title, first_name, last_name, date_joined)
		VALUES (?, ?, 'job_seeker', ?, ?, ?, ?) RETURNING id`, in.jobSeekerPublicID, "js"+n+"@example.org", in.title, in.first, in.last, f.now)
	if !in.noProfile {
		f.exec(`INSERT INTO job_seeker_profile (user_id, asp_uid, updated_at) VALUES (?, ?, ?)`, jobSeeker, "aspuid-"+strconv.Itoa(100000000+f.seq)+"-0000000000000", f.now)
	}
	senderKind, senderID, org := "job_seeker", any(jobSeeker), any(nil)
	if in.sender != "" {
		senderKind = "prescriber"
		senderID = f.scanID(`INSERT INTO users (public_id, email, kind, first_name, last_name, date_joined) VALUES (?, ?, 'professional', 'Pre', 'Scripteur', ?) RETURNING id`,
			uuid.NewString(), "pro"+n+"@example.org", f.now)
		org = f.scanID(`INSERT INTO prescriber_organization (uid, siret, kind, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			uuid.NewString(), strconv.Itoa(13000548100000+f.seq), in.sender, "Organisation "+n, f.now, f.now)
	}
	var processed any
	switch in.state {
	case "accepted", "refused", "cancelled", "obsolete":
		processed = f.now
	}
	appID = f.scanID(`INSERT INTO job_application (public_id, job_seeker_id, to_company_id, sender_id, sender_kind, sender_prescriber_organization_id,
		state, processed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		in.publicID, jobSeeker, in.company, senderID, senderKind, org, in.state, processed, f.now, f.now)
	return appID, jobSeeker
}

// diagnose gives the candidature a GEIQ diagnosis by a prescriber with these criteria (ids of
// geiq_administrative_criteria).
func (f *geiqFixture) diagnose(appID, jobSeeker int64, criteria ...int) {
	f.t.Helper()
	diag := f.scanID(`INSERT INTO geiq_eligibility_diagnosis (job_seeker_id, author_kind, expires_at, created_at, updated_at)
		VALUES (?, 'prescriber', ?, ?, ?) RETURNING id`, jobSeeker, f.now.AddDate(0, 6, 0), f.now, f.now)
	for _, c := range criteria {
		f.exec(`INSERT INTO geiq_selected_administrative_criteria (eligibility_diagnosis_id, administrative_criteria_id, created_at) VALUES (?, ?, ?)`,
			diag, c, f.now)
	}
	f.exec(`UPDATE job_application SET geiq_eligibility_diagnosis_id = ? WHERE id = ?`, diag, appID)
}

// superuser is a staff account holding the permission superuser (or not).
func (f *geiqFixture) superuser(holds bool) int64 {
	f.t.Helper()
	f.seq++
	id := f.scanID(`INSERT INTO users (public_id, email, kind, first_name, last_name, date_joined) VALUES (?, ?, 'itou_staff', 'Su', 'Per', ?) RETURNING id`,
		uuid.NewString(), "staff"+strconv.Itoa(f.seq)+"@example.org", f.now)
	if holds {
		f.exec(`INSERT INTO staff_permission (user_id, permission, created_at) VALUES (?, 'superuser', ?)`, id, f.now)
	}
	return id
}

// call calls embauches-geiq/ with the query and the authorization (or session headers).
func (f *geiqFixture) call(query, authorization string, header ...string) (int, []byte) {
	f.t.Helper()
	rec := f.do(http.MethodGet, "/api/v1/embauches-geiq/?"+query, authorization, header...)
	return rec.Code, bytes.TrimSpace(rec.Body.Bytes())
}

// sirets are the siret_employeur of a 200's results, in order.
func (f *geiqFixture) sirets(query, authorization string, header ...string) []string {
	f.t.Helper()
	p := f.hires(query, authorization, header...)
	out := []string{}
	for _, e := range p.Results {
		out = append(out, e.SiretEmployeur)
	}
	return out
}

func (f *geiqFixture) hires(query, authorization string, header ...string) Page[EmbaucheGEIQ] {
	f.t.Helper()
	status, body := f.call(query, authorization, header...)
	if status != http.StatusOK {
		f.t.Fatalf("%s: %d %s", query, status, body)
	}
	var p Page[EmbaucheGEIQ]
	if err := json.Unmarshal(body, &p); err != nil {
		f.t.Fatal(err)
	}
	return p
}

func session(userID int64, kind actor.Kind) []string {
	return []string{"X-Session-User", strconv.FormatInt(userID, 10), "X-Session-Kind", string(kind)}
}

// api.md §6's example, built from the same facts: the body is the example's.
func TestEmbauchesGEIQ_AnswersTheExampleOfTheSpec_Golden(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newGEIQFixture(t, d)
		co, uid := f.geiq("GEIQ", "11832575900001", "GEIQ")
		app, js := f.hire(hireInput{publicID: "bf657b69-3245-430c-b461-09c6792b9504", jobSeekerPublicID: "7614fc4b-aef9-4694-ab17-12324300180a",
			company: co, title: "MME", first: "Léa", last: "Moreau", sender: "ML"})
		f.exec(`UPDATE users SET address_line_1 = '12 rue Georges Bizet', post_code = '35000', city = 'Rennes' WHERE id = ?`, js)
		f.exec(`UPDATE job_seeker_profile SET birthdate = ?, education_level = '50' WHERE user_id = ?`, time.Date(1999, 4, 2, 0, 0, 0, 0, time.UTC), js)
		f.diagnose(app, js, 7, 15) // JEUNE "-26", QPV "QPV|QPV/ZRR"
		for _, a := range []struct {
			action     string
			start, end time.Time
		}{
			{"AFPR", time.Date(2026, 1, 19, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 27, 0, 0, 0, 0, time.UTC)},
			{"PMSMP", time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 16, 0, 0, 0, 0, time.UTC)},
		} {
			f.exec(`INSERT INTO job_application_prior_action (public_id, job_application_id, action, start_at, end_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				uuid.NewString(), app, a.action, a.start, a.end, f.now)
		}
		f.exec(`INSERT INTO rome_code (code, label) VALUES ('N1101', 'Conduite d''engins de déplacement des charges')`)
		f.exec(`INSERT INTO rome_appellation (code, label, search_text, rome_code) VALUES ('11111', 'Cariste', 'cariste', 'N1101')`)
		job := f.scanID(`INSERT INTO job_description (uid, company_id, appellation_code, contract_type, created_at, updated_at, last_employer_update_at)
			VALUES (?, ?, '11111', 'PROFESSIONAL_TRAINING', ?, ?, ?) RETURNING id`, uuid.NewString(), co, f.now, f.now, f.now)
		f.exec(`UPDATE job_application SET hired_job_id = ?, contract_type = 'PROFESSIONAL_TRAINING', nb_hours_per_week = 35,
			hiring_start_at = ?, hiring_end_at = ?, qualification_type = 'CQP', qualification_level = 'NOT_RELEVANT',
			planned_training_hours = 420, inverted_vae_contract = FALSE WHERE id = ?`,
			job, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), app)
		status, body := f.call("", "Token "+f.companyToken(uid))
		if status != http.StatusOK {
			t.Fatalf("%d %s", status, body)
		}
		golden(t, d, "testdata/embauches_geiq.golden.json", string(body))
	})
}

// G1, G4: a token reads its GEIQ and the user-created antennas of their SIREN, by SIRET; siren
// keeps one SIREN, and a siren that is not 9 digits is refused.
func TestEmbauchesGEIQ_ListsTheTokensGEIQAndTheirAntennas(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newGEIQFixture(t, d)
		main, uid := f.geiq("GEIQ", "11832575900001", "GEIQ")
		antenna, _ := f.geiq("GEIQ", "11832575900037", "USER_CREATED")
		staffMade, _ := f.geiq("GEIQ", "11832575900045", "STAFF_CREATED") // not user-created: not the token's
		aci, _ := f.geiq("ACI", "11832575900052", "USER_CREATED")         // not a GEIQ
		other, otherUID := f.geiq("GEIQ", "22222222200001", "GEIQ")
		f.hire(hireInput{company: antenna, last: "Antenne"})
		f.hire(hireInput{company: main, last: "Siege"})
		f.hire(hireInput{company: staffMade})
		f.hire(hireInput{company: aci})
		f.hire(hireInput{company: other})
		key := f.companyToken(uid)
		if got, want := f.sirets("", "Token "+key), []string{"11832575900001", "11832575900037"}; !reflect.DeepEqual(got, want) {
			t.Errorf("G1: %v, want %v", got, want)
		}
		if got := f.sirets("siren=118325759", "Token "+key); !reflect.DeepEqual(got, []string{"11832575900001", "11832575900037"}) {
			t.Errorf("G4 siren of the token: %v", got)
		}
		if got := f.sirets("siren=222222222", "Token "+key); len(got) != 0 {
			t.Errorf("G4 siren of another GEIQ: %v", got)
		}
		if got := f.sirets("", "Token "+f.companyToken(uid, otherUID)); !reflect.DeepEqual(got, []string{"11832575900001", "11832575900037", "22222222200001"}) {
			t.Errorf("token of two GEIQ: %v", got)
		}
		for _, siren := range []string{"foobar", "", "11832575", "1183257590", "11832575a", "%C2%B9%C2%B9832575" + "9"} {
			status, body := f.call("siren="+siren, "Token "+key)
			if status != http.StatusBadRequest {
				t.Errorf("siren=%s: %d %s", siren, status, body)
				continue
			}
			sameJSON(t, body, `{"detail": "Invalid SIREN."}`)
		}
		// Refused before any query of the hires: no more statements than the gate's.
		counted, counter := dbtest.CountStatements(d)
		g := &geiqFixture{candidatsFixture: newCandidatsFixture(t, counted)}
		counter.Reset()
		if status, _ := g.call("siren=foobar", "Token "+key); status != http.StatusBadRequest {
			t.Fatalf("siren=foobar: %d", status)
		}
		gate := counter.Count()
		counter.Reset()
		g.call("", "Token "+key)
		if all := counter.Count(); all <= gate {
			t.Errorf("a refused siren ran %d statements, a listing %d", gate, all)
		}
	})
}

// G3 and Q8: only accepted candidatures, whatever their contract's end.
func TestEmbauchesGEIQ_ListsOnlyAcceptedCandidatures(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newGEIQFixture(t, d)
		co, uid := f.geiq("GEIQ", "11832575900001", "GEIQ")
		for _, state := range []string{"new", "processing", "postponed", "prior_to_hire", "refused", "cancelled", "obsolete"} {
			f.hire(hireInput{company: co, state: state})
		}
		key := f.companyToken(uid)
		if p := f.hires("", "Token "+key); p.Count != 0 {
			t.Errorf("G3: count %d", p.Count)
		}
		ended, _ := f.hire(hireInput{company: co})
		f.exec(`UPDATE job_application SET hiring_start_at = '2020-01-06', hiring_end_at = '2021-01-05' WHERE id = ?`, ended)
		if p := f.hires("", "Token "+key); p.Count != 1 || *p.Results[0].DateFinContrat != "2021-01-05" {
			t.Errorf("Q8: an ended contract is listed: %+v", p)
		}
	})
}

// G5, G6 and the other mappings of §6 on stored hires; a hire without profile, sender
// organization or diagnosis.
func TestEmbauchesGEIQ_MapsCriteriaTitlesAndSenders(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newGEIQFixture(t, d)
		co, uid := f.geiq("GEIQ", "11832575900001", "GEIQ")
		onlyFT, js1 := f.hire(hireInput{company: co, first: "A", title: "M", sender: "HUDA"})
		f.diagnose(onlyFT, js1, 27) // « Personne inscrite à France Travail »: no code
		withRSA, js2 := f.hire(hireInput{company: co, first: "B", title: "MME", sender: "ODC"})
		f.diagnose(withRSA, js2, 27, 1)
		withZRR, js3 := f.hire(hireInput{company: co, first: "C", sender: "CCAS"})
		f.diagnose(withZRR, js3, 27, 1, 14, 15) // ZRR|QPV/ZRR and QPV|QPV/ZRR share a code
		f.hire(hireInput{company: co, first: "D", noProfile: true})
		p := f.hires("", "Token "+f.companyToken(uid))
		if p.Count != 4 {
			t.Fatalf("count %d", p.Count)
		}
		str := func(s *string) string {
			if s == nil {
				return "null"
			}
			return *s
		}
		for i, want := range []struct {
			criteria                 []string
			title, origin, precision string
			author                   string
		}{
			{[]string{}, "H", "AUTRE", "HUDA - Hébergement d'urgence pour demandeurs d'asile", "PRESCRIPTEUR"},
			{[]string{"RSA"}, "F", "CT", "Organisation délégataire d'un Conseil Départemental (Orientation et suivi des BRSA)", "PRESCRIPTEUR"},
			{[]string{"QPV", "QPV/ZRR", "RSA", "ZRR"}, "null", "AUTRE", "CCAS - Centre communal d'action sociale ou centre intercommunal d'action sociale", "PRESCRIPTEUR"},
			{[]string{}, "null", "AUTRE", "Demandeur d'emploi", "null"},
		} {
			e := p.Results[i]
			if !reflect.DeepEqual(e.CriteresEligibilite, want.criteria) || str(e.Civilite) != want.title || e.PrescripteurOrigine != want.origin ||
				e.PrecisionPrescripteur != want.precision || str(e.AuteurDiagnostic) != want.author {
				t.Errorf("hire %s: %v %s %s %q %s", e.Prenom, e.CriteresEligibilite, str(e.Civilite), e.PrescripteurOrigine, e.PrecisionPrescripteur, str(e.AuteurDiagnostic))
			}
		}
		_, body := f.call("page_size=1&page=4", "Token "+f.companyToken(uid))
		sameJSON(t, body, `{"count": 4, "next": null, "previous": "https://emplois.example.org/api/v1/embauches-geiq/?page=3&page_size=1", "results": [{
			"id_embauche": "`+p.Results[3].IDEmbauche+`", "id_utilisateur": "`+p.Results[3].IDUtilisateur+`", "siret_employeur": "11832575900001",
			"nom": "Nom", "prenom": "D", "date_naissance": null, "civilite": null,
			"adresse_ligne_1": "", "adresse_ligne_2": "", "adresse_code_postal": "", "adresse_ville": "",
			"prescripteur_origine": "AUTRE", "precision_prescripteur": "Demandeur d'emploi", "criteres_eligibilite": [],
			"auteur_diagnostic": null, "niveau_formation": null, "mises_en_situation_pro": [], "prequalifications": [],
			"type_contrat": null, "poste_occupe": null, "duree_hebdo": null, "date_debut_contrat": null, "date_fin_contrat": null,
			"type_qualification": null, "niveau_qualification": null, "nb_heures_formation": null, "est_vae_inversee": null}]}`)
	})
}

// Ordered by SIRET, then the job seeker's last name, first name, then the candidature.
func TestEmbauchesGEIQ_OrdersBySIRETThenName(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newGEIQFixture(t, d)
		b, _ := f.geiq("GEIQ", "11832575900037", "USER_CREATED")
		a, uid := f.geiq("GEIQ", "11832575900001", "GEIQ")
		f.hire(hireInput{company: b, last: "Aubert", first: "Zoé"})
		f.hire(hireInput{company: a, last: "Martin", first: "Paul"})
		f.hire(hireInput{company: a, last: "Durand", first: "Zoé"})
		f.hire(hireInput{company: a, last: "Durand", first: "Anne"})
		f.hire(hireInput{company: a, last: "Durand", first: "Anne"})
		var got []string
		for _, e := range f.hires("", "Token "+f.companyToken(uid)).Results {
			got = append(got, e.SiretEmployeur[9:]+" "+e.Nom+" "+e.Prenom)
		}
		want := []string{"00001 Durand Anne", "00001 Durand Anne", "00001 Durand Zoé", "00001 Martin Paul", "00037 Aubert Zoé"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("order %v, want %v", got, want)
		}
	})
}

// api.md §6 and §1.4–1.5 (G2), per credential: any company token reads its GEIQ, a superuser's
// session every GEIQ; any other session (staff included) gets 403; an unknown key the English
// 401; other token families are not company tokens.
func TestEmbauchesGEIQ_AccessMatrix(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newGEIQFixture(t, d)
		ctx := context.Background()
		co, uid := f.geiq("GEIQ", "11832575900001", "GEIQ")
		other, _ := f.geiq("GEIQ", "22222222200001", "GEIQ")
		f.hire(hireInput{company: co})
		f.hire(hireInput{company: other})
		issued := f.issueCompanyToken(uid)
		key := issued.Key
		employer := f.user(person{kind: "professional"})
		f.member("company_membership", employer, co, true, 1)
		userKey := f.userKey(employer)
		dept, err := f.tokens.CreateFamily(ctx, actor.Actor{}, apitoken.FamilyInput{Kind: apitoken.DepartmentToken, Department: "33", Label: "CD 33"})
		if err != nil {
			t.Fatal(err)
		}
		service, err := f.tokens.CreateFamily(ctx, actor.Actor{}, apitoken.FamilyInput{Kind: apitoken.ServiceToken, Service: apitoken.LeMarche})
		if err != nil {
			t.Fatal(err)
		}
		revoked := f.issueCompanyToken(uid)
		if err := f.tokens.Revoke(ctx, actor.Actor{}, revoked.Token.ID); err != nil {
			t.Fatal(err)
		}
		revokedKey := revoked.Key
		invalid := `{"detail": "Invalid token."}`
		forbidden := `{"detail": "Vous n'avez pas la permission d'effectuer cette action."}`
		for _, tc := range []struct {
			name, authorization string
			header              []string
			status              int
			body                string
			count               int
		}{
			{"company token", "Token " + key, nil, 200, "", 1},
			{"company token, lower-case keyword", "token " + key, nil, 200, "", 1},
			{"superuser session", "", session(f.superuser(true), actor.Staff), 200, "", 2},
			{"staff session", "", session(f.superuser(false), actor.Staff), 403, forbidden, 0},
			{"employer session", "", session(employer, actor.Professional), 403, forbidden, 0},
			{"job seeker session", "", session(f.user(person{}), actor.JobSeeker), 403, forbidden, 0},
			{"no credentials", "", nil, 401, `{"detail": "Informations d'authentification non fournies."}`, 0},
			{"G2 invalid", "Token invalid", nil, 401, invalid, 0},
			{"G2 unknown uuid", "Token " + uuid.NewString(), nil, 401, invalid, 0},
			{"revoked company token", "Token " + revokedKey, nil, 401, invalid, 0},
			{"user token", "Token " + userKey, nil, 401, invalid, 0},
			{"département token", "Token " + dept.Key, nil, 401, invalid, 0},
			{"service token", "Token " + service.Key, nil, 401, invalid, 0},
			{"bad token with a superuser session", "Token nope", session(f.superuser(true), actor.Staff), 401, invalid, 0},
		} {
			status, body := f.call("", tc.authorization, tc.header...)
			if status != tc.status {
				t.Errorf("%s: %d %s, want %d", tc.name, status, body, tc.status)
				continue
			}
			if tc.body != "" {
				sameJSON(t, body, tc.body)
				continue
			}
			var p Page[EmbaucheGEIQ]
			if err := json.Unmarshal(body, &p); err != nil || p.Count != tc.count {
				t.Errorf("%s: %s, want %d hires", tc.name, body, tc.count)
			}
		}
		// A9: the log line of a company-token call names the token, never its key.
		if want := `"token":"CompanyToken-` + strconv.FormatInt(issued.Token.ID, 10) + `"`; !strings.Contains(f.logs.String(), want) ||
			strings.Contains(f.logs.String(), key) {
			t.Errorf("logs lack %s or hold the key:\n%s", want, f.logs)
		}
		// Other methods: 405 once the caller is let in.
		rec := f.do(http.MethodPost, "/api/v1/embauches-geiq/", "Token "+key)
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("POST: %d", rec.Code)
		}
	})
}

// G7 and §10 Q3: 12 calls a minute per company token; the 13th is refused, another token goes
// on, and a superuser has 120.
func TestEmbauchesGEIQ_ThrottlesEachCompanyTokenAt12CallsAMinute(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newGEIQFixture(t, d)
		_, uid := f.geiq("GEIQ", "11832575900001", "GEIQ")
		key, otherKey := f.companyToken(uid), f.companyToken(uid)
		for i := 0; i < RateCompanyToken; i++ {
			if status, body := f.call("", "Token "+key); status != http.StatusOK {
				t.Fatalf("call %d: %d %s", i+1, status, body)
			}
		}
		rec := f.do(http.MethodGet, "/api/v1/embauches-geiq/", "Token "+key)
		if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" ||
			!regexp.MustCompile(`^\{"detail":"Requête ralentie\. Disponible à nouveau dans \d+ secondes?\."\}$`).MatchString(strings.TrimSpace(rec.Body.String())) {
			t.Fatalf("call 13: %d %s %v", rec.Code, rec.Body, rec.Header())
		}
		if status, _ := f.call("", "Token "+otherKey); status != http.StatusOK {
			t.Errorf("another token: %d", status)
		}
		su := session(f.superuser(true), actor.Staff)
		for i := 0; i < RateCompanyToken+1; i++ {
			if status, _ := f.call("", "", su...); status != http.StatusOK {
				t.Fatalf("superuser call %d: %d", i+1, status)
			}
		}
	})
}

// A page costs as many statements for 20 hires, each with prior actions and criteria, as for one.
func TestEmbauchesGEIQ_RunsAsManyStatementsForTwentyHiresAsForOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		counted, counter := dbtest.CountStatements(d)
		f := &geiqFixture{candidatsFixture: newCandidatsFixture(t, counted)}
		co, uid := f.geiq("GEIQ", "11832575900001", "GEIQ")
		for i := 0; i < 20; i++ {
			app, js := f.hire(hireInput{company: co, sender: "ML"})
			f.diagnose(app, js, 1, 14)
			f.exec(`INSERT INTO job_application_prior_action (public_id, job_application_id, action, start_at, end_at, created_at)
				VALUES (?, ?, 'POE', '2026-01-05', '2026-01-16', ?)`, uuid.NewString(), app, f.now)
		}
		key := f.companyToken(uid)
		statements := func(size int) int64 {
			counter.Reset()
			p := f.hires("page_size="+strconv.Itoa(size), "Token "+key)
			if len(p.Results) != size || len(p.Results[size-1].Prequalifications) != 1 || len(p.Results[size-1].CriteresEligibilite) != 3 {
				t.Fatalf("page of %d: %+v", size, p.Results[size-1])
			}
			return counter.Count()
		}
		one, twenty := statements(1), statements(20)
		if one != twenty {
			t.Errorf("%d statements for a page of 1, %d for a page of 20", one, twenty)
		}
		t.Logf("%d statements per page", twenty)
	})
}

func TestLabelCriteria_SplitsDeduplicatesAndSorts(t *testing.T) {
	for _, tc := range []struct {
		stored []string
		want   []string
	}{
		{nil, []string{}},
		{[]string{""}, []string{}},
		{[]string{"", "RSA"}, []string{"RSA"}},
		{[]string{"", "RSA", "ZRR|QPV/ZRR"}, []string{"QPV/ZRR", "RSA", "ZRR"}},
		{[]string{"-26", "QPV|QPV/ZRR", "ZRR|QPV/ZRR"}, []string{"-26", "QPV", "QPV/ZRR", "ZRR"}},
		{[]string{"Refug.|RS/PS/DA", "RS/PS/DA", "Pers. SH|TH"}, []string{"Pers. SH", "RS/PS/DA", "Refug.", "TH"}},
	} {
		if got := LabelCriteria(tc.stored); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: %q, want %q", tc.stored, got, tc.want)
		}
	}
}

func TestLabelCodes_FollowTheTableOfTheSpec(t *testing.T) {
	check := func(name string, f func(string) string, cases map[string]string) {
		t.Helper()
		for in, want := range cases {
			if got := f(in); got != want {
				t.Errorf("%s(%q) = %q, want %q", name, in, got, want)
			}
		}
	}
	check("title", LabelTitle, map[string]string{"M": "H", "MME": "F", "": "", "MLLE": ""})
	check("origin", LabelSenderOrigin, map[string]string{"CAP_EMPLOI": "CAP_EMPLOI", "ML": "ML", "FT": "FT", "PLIE": "PLIE",
		"ODC": "CT", "DEPT": "CT", "ASE": "CT", "HUDA": "AUTRE", "OTHER": "AUTRE", "": "AUTRE"})
	check("author", LabelDiagnosisAuthor, map[string]string{"prescriber": "PRESCRIPTEUR", "employer": "EMPLOYEUR", "geiq": "GEIQ", "": ""})
	check("education", LabelEducationLevel, map[string]string{"00": "SQ", "01": "SQ", "60": "SQ", "70": "SQ", "50": "N3", "51": "N3",
		"40": "N4", "41": "N4", "10": "N5", "20": "N5", "30": "N5", "": ""})
	check("contract", LabelContractType, map[string]string{"FIXED_TERM": "CDD", "PERMANENT": "CDI", "PROFESSIONAL_TRAINING": "CPRO",
		"APPRENTICESHIP": "CAPP", "OTHER": "Autre SF", "TEMPORARY": "", "": ""})
	check("qualification type", func(s string) string { return LabelQualificationType(application.QualificationType(s)) },
		map[string]string{"STATE_DIPLOMA": "RNCP", "CQP": "CQP", "CCN": "CCN", "": ""})
	check("qualification level", func(s string) string { return LabelQualificationLevel(application.QualificationLevel(s)) },
		map[string]string{"LEVEL_3": "N3", "LEVEL_4": "N4", "LEVEL_5": "N5", "NOT_RELEVANT": "SQ", "": ""})
	for kind, want := range map[application.PriorActionKind]string{
		application.ActionPMSMP: "PMSMP situation", application.ActionMRS: "MRS situation", application.ActionStage: "STAGE situation",
		application.ActionOtherSituation: "AUTRE situation", application.ActionRegionalOrSectoral: "LOCAL_PLAN prequalification",
		application.ActionAFPR: "AFPR prequalification", application.ActionPOE: "POE prequalification",
		application.ActionOtherQualification: "AUTRE prequalification",
	} {
		code, situation := LabelPriorAction(kind)
		got := code + " prequalification"
		if situation {
			got = code + " situation"
		}
		if got != want {
			t.Errorf("%s: %s, want %s", kind, got, want)
		}
	}
	check("precision", func(k string) string { return SenderPrecision(application.SenderPrescriber, k) },
		map[string]string{"ML": "Mission locale", "": "Prescripteur"})
	if got := SenderPrecision(application.SenderEmployer, ""); got != "Employeur" {
		t.Errorf("employer: %s", got)
	}
	for s, want := range map[string]bool{"118325759": true, "11832575": false, "1183257590": false, "11832575a": false, "١١٨٣٢٥٧٥٩": false} {
		if ValidSIREN(s) != want {
			t.Errorf("ValidSIREN(%q) != %v", s, want)
		}
	}
}

// The GEIQ criteria seeded by migration carry the label's codes of api.md §6, and the three
// criteria without code are the ones §6 names.
func TestEmbauchesGEIQ_CriteriaCarryTheLabelsCodes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		var rows []struct {
			Name string `bun:"name"`
			Code string `bun:"api_code"`
		}
		if err := d.NewRaw("SELECT name, api_code FROM geiq_administrative_criteria ORDER BY id").Scan(context.Background(), &rows); err != nil {
			t.Fatal(err)
		}
		var codes, without []string
		for _, r := range rows {
			if r.Code == "" {
				without = append(without, r.Name)
			} else {
				codes = append(codes, r.Code)
			}
		}
		want := []string{"RSA", "ASS", "AAH", "DELD24+", "NE3I", "+50", "-26", "ASE", "DELD12/24", "Pers. SH|TH", "PI",
			"PSH/PR", "Refug.|RS/PS/DA", "ZRR|QPV/ZRR", "QPV|QPV/ZRR", "Detention/MJ|Prison", "FR non maitrisé", "PM",
			"-26 SQ", "MINSOC", "DELD", "+45", "Reconv.", "SIAE/CUI", "RS/PS/DA"}
		slices.Sort(codes)
		slices.Sort(want)
		if !reflect.DeepEqual(codes, want) {
			t.Errorf("codes %q, want %q", codes, want)
		}
		if w := []string{"Autre minima social", "Personne inscrite à France Travail", "Demandeur d'emploi inscrit depuis moins de 12 mois"}; !reflect.DeepEqual(without, w) {
			t.Errorf("criteria without code %q, want %q", without, w)
		}
	})
}
