package nexus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"emplois/internal/account"
	"emplois/internal/apitoken"
	"emplois/internal/platform/config"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
)

func TestStoredID_PrefixesTheSourceIDWithTheServicesPrefix(t *testing.T) {
	for _, c := range []struct {
		source Source
		want   string
	}{
		{apitoken.Dora, "dora--my-id"},
		{apitoken.LeMarche, "le-marché--my-id"},
		{apitoken.LesEmplois, "emplois-de-linclusion--my-id"},
		{apitoken.DataInclusion, "data-inclusion--my-id"},
		{apitoken.Pilotage, "pilotage--my-id"},
		{apitoken.MonRecap, "mon-recap--my-id"},
	} {
		if got := StoredID(c.source, "my-id"); got != c.want {
			t.Errorf("%s: %q, want %q", c.source, got, c.want)
		}
	}
}

func TestUserKindOf_MapsDoraAndTheMarchesKinds(t *testing.T) {
	for _, c := range []struct {
		source Source
		kind   string
		want   UserKind
		known  bool
	}{
		{apitoken.Dora, "accompagnateur", Guide, true},
		{apitoken.Dora, "offreur", FacilityManager, true},
		{apitoken.Dora, "accompagnateur_offreur", FacilityManager, true},
		{apitoken.Dora, "autre", NoKind, true},
		{apitoken.Dora, "", NoKind, true},
		{apitoken.Dora, "employeur", NoKind, false},
		{apitoken.Dora, "SIAE", NoKind, false},
		{apitoken.LeMarche, "SIAE", FacilityManager, true},
		{apitoken.LeMarche, "", NoKind, false},
		{apitoken.DataInclusion, "", NoKind, false},
	} {
		got, known := UserKindOf(c.source, c.kind)
		if got != c.want || known != c.known {
			t.Errorf("%s %q: %q %v, want %q %v", c.source, c.kind, got, known, c.want, c.known)
		}
	}
}

func TestStructureKindOf_MapsToTheCommonTypology(t *testing.T) {
	for _, c := range []struct {
		source     Source
		kind, want string
		known      bool
	}{
		{apitoken.Dora, "ACI", "ACI", true},
		{apitoken.Dora, "ACIPHC", "ACI", true},
		{apitoken.Dora, "CIAS", "CCAS", true},
		{apitoken.Dora, "PREVENTION", "CSAPA", true},
		{apitoken.Dora, "Autre", "", true},
		{apitoken.Dora, "Mairie", "", false},
		{apitoken.LeMarche, "ESAT", "ESAT", true},
		{apitoken.LeMarche, "CCAS", "", false},
		{apitoken.Pilotage, "ACI", "", false},
	} {
		got, known := StructureKindOf(c.source, c.kind)
		if got != c.want || known != c.known {
			t.Errorf("%s %q: %q %v, want %q %v", c.source, c.kind, got, known, c.want, c.known)
		}
	}
}

func TestValidURL_AcceptsWebAddressesAsDjangoDoes(t *testing.T) {
	for s, want := range map[string]bool{
		"https://dora.inclusion.beta.gouv.fr/structures/x": true,
		"http://localhost:8000/":                           true,
		"http://192.168.0.1/a":                             true,
		"ftp://files.example.org":                          true,
		"https://mairie-évry.fr":                           true,
		"dora.inclusion.beta.gouv.fr":                      false,
		"javascript:alert(1)":                              false,
		"https://example":                                  false,
		"https://exa mple.org":                             false,
		"mailto:a@example.org":                             false,
	} {
		if got := ValidURL(s); got != want {
			t.Errorf("%q: %v, want %v", s, got, want)
		}
	}
}

func TestParseDateTime_ReadsISO8601AndNaiveTimesAsParis(t *testing.T) {
	utc := func(h, m, s, us int) time.Time { return time.Date(2026, 8, 21, h, m, s, us*1000, time.UTC) }
	for s, want := range map[string]time.Time{
		"2026-08-21T14:03:11.512345+00:00": utc(14, 3, 11, 512345),
		"2026-08-21T14:03:11Z":             utc(14, 3, 11, 0),
		"2026-08-21T16:03+02:00":           utc(14, 3, 0, 0),
		"2026-08-21T16:03:11.5":            utc(14, 3, 11, 500000), // summer: Paris is UTC+2
		"2026-08-21 16:03:11+02:00":        utc(14, 3, 11, 0),
	} {
		got, err := ParseDateTime(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("%q: %v %v, want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "demain", "2026-08-21", "21/08/2026 14:03"} {
		if _, err := ParseDateTime(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestFormatDateTime_WritesMicrosecondsOnlyWhenNotZero(t *testing.T) {
	paris := time.FixedZone("", 2*3600)
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 8, 21, 16, 3, 11, 512345000, paris), "2026-08-21T14:03:11.512345+00:00"},
		{time.Date(2026, 8, 21, 14, 3, 11, 0, time.UTC), "2026-08-21T14:03:11+00:00"},
		{time.Date(2026, 8, 21, 14, 3, 11, 120000, time.UTC), "2026-08-21T14:03:11.000120+00:00"},
	} {
		if got := FormatDateTime(c.t); got != c.want {
			t.Errorf("%v: %q, want %q", c.t, got, c.want)
		}
	}
}

func TestSplitList_RefusesWhatIsNotAList(t *testing.T) {
	for body, want := range map[string]string{
		`{"id": 1}`: `Attendait une liste d'éléments mais a reçu "dict".`,
		`"x"`:       `Attendait une liste d'éléments mais a reçu "str".`,
		`3.5`:       `Attendait une liste d'éléments mais a reçu "float".`,
		`null`:      ``, // null is an empty list for encoding/json
	} {
		_, err := SplitList([]byte(body))
		var list *ListError
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: %v", body, err)
		case want != "" && (!errors.As(err, &list) || list.Fields.On("") != want):
			t.Errorf("%s: %v", body, err)
		}
	}
	if _, err := SplitList([]byte(`[{`)); err == nil {
		t.Error("a body that is not JSON was read")
	}
}

func raw(items ...string) []json.RawMessage {
	out := make([]json.RawMessage, len(items))
	for i, s := range items {
		out[i] = json.RawMessage(s)
	}
	return out
}

func TestReadUsers_TakesNumbersAsTextAndTrimsSpaces(t *testing.T) {
	now := time.Date(2026, 8, 21, 14, 0, 0, 0, time.UTC)
	users, errs := readUsers(apitoken.Dora, raw(`{"id": 42, "kind": " offreur ", "first_name": " Jeanne ", "last_name": "Martin",
		"email": "jeanne@example.org", "phone": "", "auth": "INCLUSION_CONNECT"}`), now)
	if len(errs) != 0 || len(users) != 1 {
		t.Fatalf("%+v %+v", users, errs)
	}
	u := users[0]
	if u.ID != "dora--42" || u.SourceID != "42" || u.Kind != FacilityManager || u.FirstName != "Jeanne" || u.LastLogin != nil || !u.UpdatedAt.Equal(now) {
		t.Errorf("%+v", u)
	}
	_, errs = readUsers(apitoken.Dora, raw(`{"id": true, "kind": [], "first_name": {}, "last_name": "M", "email": "a@example.org", "phone": "", "auth": "DJANGO"}`), now)
	want := fault.Fields{{Field: "id", Message: MsgNotString}, {Field: "kind", Message: MsgNotString}, {Field: "first_name", Message: MsgNotString}}
	if len(errs) != 1 || errs[0].Key != "#0" || fmt.Sprint(errs[0].Fields) != fmt.Sprint(want) {
		t.Errorf("%+v", errs)
	}
}

func newService(t *testing.T, d *db.DB) *Service {
	t.Helper()
	cfg, err := config.Load(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	return NewService(d, account.NewService(d, cfg))
}

func user(id, email string) string {
	return fmt.Sprintf(`{"id": %q, "kind": "", "first_name": "A", "last_name": "B", "email": %q, "phone": "", "auth": "DJANGO"}`, id, email)
}

// Pushes larger than one statement's batch are written whole; the last item of an id wins.
func TestPush_WritesLargePushesAndKeepsTheLastItemOfAnID(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		ctx := context.Background()
		var items []string
		for i := range 1201 {
			items = append(items, user(fmt.Sprintf("u%d", i), fmt.Sprintf("u%d@example.org", i)))
		}
		items = append(items, user("u7", "seven@example.org"))
		errs, err := s.Push(ctx, apitoken.Dora, Users, raw(items...))
		if err != nil || len(errs) != 0 {
			t.Fatalf("%v %+v", err, errs)
		}
		var n int
		var email string
		if err := d.NewRaw("SELECT count(*) FROM nexus_user").Scan(ctx, &n); err != nil || n != 1201 {
			t.Errorf("%d users, %v", n, err)
		}
		if err := d.NewRaw("SELECT email FROM nexus_user WHERE id = 'dora--u7'").Scan(ctx, &email); err != nil || email != "seven@example.org" {
			t.Errorf("u7: %q %v", email, err)
		}
		var memberships []string
		for i := range 1201 {
			memberships = append(memberships, fmt.Sprintf(`{"id": "m%d", "user_id": "u%d", "structure_id": "s", "role": "COLLABORATOR"}`, i, i))
		}
		if errs, err := s.Push(ctx, apitoken.Dora, Structures, raw(`{"id": "s", "kind": "ACI", "siret": null, "name": "S", "phone": "", "email": "",
			"address_line_1": "", "address_line_2": "", "post_code": "", "city": "", "department": "", "website": "", "opening_hours": "",
			"accessibility": "", "description": "", "source_link": ""}`)); err != nil || len(errs) != 0 {
			t.Fatalf("%v %+v", err, errs)
		}
		if errs, err := s.Push(ctx, apitoken.Dora, Memberships, raw(memberships...)); err != nil || len(errs) != 0 {
			t.Fatalf("%v %+v", err, errs)
		}
		if err := d.NewRaw("SELECT count(*) FROM nexus_membership").Scan(ctx, &n); err != nil || n != 1201 {
			t.Errorf("%d memberships, %v", n, err)
		}
		// Deleting the structure deletes its memberships.
		if err := s.Delete(ctx, apitoken.Dora, Structures, raw(`{"id": "s"}`)); err != nil {
			t.Fatal(err)
		}
		if err := d.NewRaw("SELECT count(*) FROM nexus_membership").Scan(ctx, &n); err != nil || n != 0 {
			t.Errorf("%d memberships, %v", n, err)
		}
	})
}

// §10 Q5: the services whose kinds are not mapped never write.
func TestService_RefusesTheServicesThatDoNotPush(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		ctx := context.Background()
		for _, source := range []Source{apitoken.DataInclusion, apitoken.LesEmplois, apitoken.Pilotage, apitoken.MonRecap} {
			if _, err := s.Push(ctx, source, Users, raw(user("x", "x@example.org"))); !errors.Is(err, ErrNotPusher) {
				t.Errorf("%s push: %v", source, err)
			}
			if err := s.Delete(ctx, source, Users, raw(`{"id": "x"}`)); !errors.Is(err, ErrNotPusher) {
				t.Errorf("%s delete: %v", source, err)
			}
			if _, err := s.StartSync(ctx, source); !errors.Is(err, ErrNotPusher) {
				t.Errorf("%s sync: %v", source, err)
			}
		}
	})
}

// A sync completes once, with its exact start; a newer start replaces an unfinished one.
func TestCompleteSync_NeedsTheStartOfTheSyncInProgress(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		ctx := context.Background()
		now := time.Date(2026, 8, 21, 14, 3, 11, 512345678, time.UTC)
		s.Now = func() time.Time { return now }
		if err := s.CompleteSync(ctx, apitoken.Dora, now); !errors.Is(err, ErrNotStarted) {
			t.Errorf("no sync started: %v", err)
		}
		first, err := s.StartSync(ctx, apitoken.Dora)
		if err != nil || !first.Equal(now.Truncate(time.Microsecond)) {
			t.Fatalf("%v %v", first, err)
		}
		now = now.Add(time.Minute)
		second, err := s.StartSync(ctx, apitoken.Dora)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CompleteSync(ctx, apitoken.Dora, first); !errors.Is(err, ErrNotStarted) {
			t.Errorf("the replaced sync: %v", err)
		}
		if err := s.CompleteSync(ctx, apitoken.LeMarche, second); !errors.Is(err, ErrNotStarted) {
			t.Errorf("another source: %v", err)
		}
		if err := s.CompleteSync(ctx, apitoken.Dora, second.In(time.FixedZone("", 7200))); err != nil {
			t.Errorf("the sync in progress: %v", err)
		}
		if err := s.CompleteSync(ctx, apitoken.Dora, second); !errors.Is(err, ErrNotStarted) {
			t.Errorf("completed twice: %v", err)
		}
	})
}

// Stale rows of one source do not hide another source's rows.
func TestDropdownStatus_IgnoresOnlyTheStaleRowsOfTheSyncedSource(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		ctx := context.Background()
		now := time.Date(2026, 8, 21, 14, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return now }
		for source, kind := range map[Source]string{apitoken.Dora: "", apitoken.LeMarche: "SIAE"} {
			item := strings.NewReplacer("DJANGO", "PRO_CONNECT", `"kind": ""`, `"kind": "`+kind+`"`).Replace(user("a", "a@example.org"))
			if errs, err := s.Push(ctx, source, Users, raw(item)); err != nil || len(errs) != 0 {
				t.Fatalf("%s: %v %+v", source, err, errs)
			}
		}
		now = now.Add(time.Second)
		started, err := s.StartSync(ctx, apitoken.LeMarche)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CompleteSync(ctx, apitoken.LeMarche, started); err != nil {
			t.Fatal(err)
		}
		st, err := s.DropdownStatus(ctx, "A@example.org")
		if err != nil || !st.ProConnect || fmt.Sprint(st.Services) != "[dora]" {
			t.Errorf("%+v %v", st, err)
		}
	})
}

// A push costs the same statements for 1 item as for a batch's worth: one upsert per batch, and
// for memberships one lookup of users and one of structures per batch.
func TestPush_CostsOneStatementPerBatchWhateverItsSize(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, raw0 *db.DB) {
		d, counter := dbtest.CountStatements(raw0)
		s := newService(t, d)
		ctx := context.Background()
		count := func(r Resource, items []string) int64 {
			t.Helper()
			counter.Reset()
			if errs, err := s.Push(ctx, apitoken.Dora, r, raw(items...)); err != nil || len(errs) != 0 {
				t.Fatalf("%v %+v", err, errs)
			}
			return counter.Count()
		}
		users := func(n int) []string {
			var items []string
			for i := range n {
				items = append(items, user(fmt.Sprintf("u%d", i), "u@example.org"))
			}
			return items
		}
		memberships := func(n int) []string {
			var items []string
			for i := range n {
				items = append(items, fmt.Sprintf(`{"id": "m%d", "user_id": "u%d", "structure_id": "s%d", "role": "ADMINISTRATOR"}`, i, i, i))
			}
			return items
		}
		if one, many := count(Users, users(1)), count(Users, users(batch)); one != many {
			t.Errorf("users: %d statements for 1, %d for %d", one, many, batch)
		}
		if twice := count(Users, users(2*batch)); twice <= count(Users, users(batch)) {
			t.Errorf("users: %d statements for two batches", twice)
		}
		var structures []string
		for i := range batch {
			structures = append(structures, fmt.Sprintf(`{"id": "s%d", "kind": "ACI", "siret": null, "name": "S", "phone": "", "email": "",
				"address_line_1": "", "address_line_2": "", "post_code": "", "city": "", "department": "", "website": "",
				"opening_hours": "", "accessibility": "", "description": "", "source_link": ""}`, i))
		}
		count(Structures, structures)
		if one, many := count(Memberships, memberships(1)), count(Memberships, memberships(batch)); one != many {
			t.Errorf("memberships: %d statements for 1, %d for %d", one, many, batch)
		}
		var n int
		if err := d.NewRaw("SELECT count(*) FROM nexus_membership").Scan(ctx, &n); err != nil || n != batch {
			t.Errorf("%d memberships, %v", n, err)
		}
	})
}
