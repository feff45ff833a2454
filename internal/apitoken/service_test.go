package apitoken

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"emplois/internal/account"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/db"
	"emplois/internal/platform/db/dbtest"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/mail"
)

var fieldsOf = fault.FieldsOf

type fixture struct {
	t   testing.TB
	d   *db.DB
	svc *Service
	seq int
}

var now = time.Date(2026, 3, 2, 13, 30, 0, 0, time.UTC) // 14:30 in Paris

func newFixture(t testing.TB, d *db.DB) *fixture {
	svc := NewService(d, []byte("the instance's secret"))
	svc.Now = func() time.Time { return now }
	return &fixture{t: t, d: d, svc: svc}
}

func (f *fixture) insertID(query string, args ...any) int64 {
	f.t.Helper()
	var id int64
	if err := f.d.NewRaw(query+" RETURNING id", args...).Scan(context.Background(), &id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f *fixture) user(kind actor.Kind) int64 {
	f.seq++
	return f.insertID(`INSERT INTO users (public_id, email, kind, title, first_name, last_name, date_joined) VALUES (?, ?, ?, '', 'Julie', 'Martin', ?)`,
		uuid.NewString(), fmt.Sprintf("user%d@example.org", f.seq), string(kind), now)
}

func (f *fixture) company() (int64, string) {
	f.seq++
	uid := uuid.NewString()
	return f.insertID(`INSERT INTO company (uid, siret, kind, name, source, created_at, updated_at) VALUES (?, ?, 'GEIQ', ?, 'USER_CREATED', ?, ?)`,
		uid, fmt.Sprintf("123456789%05d", f.seq), fmt.Sprintf("GEIQ %d", f.seq), now, now), uid
}

// admin is a professional acting as admin (or not) of a company.
func (f *fixture) admin(isAdmin bool) actor.Actor {
	id, uid := f.company()
	return actor.Actor{UserID: f.user(actor.Professional), Kind: actor.Professional, ClientIP: "203.0.113.7",
		Organization: &actor.Organization{Type: "company", Kind: "GEIQ", ID: id, UID: uid, IsAdmin: isAdmin}}
}

// staff is a staff member holding the permission api_tokens, or not.
func (f *fixture) staff(allowed bool) actor.Actor {
	id := f.user(actor.Staff)
	if allowed {
		if _, err := f.d.NewRaw("INSERT INTO staff_permission (user_id, permission, created_at) VALUES (?, ?, ?)", id, account.PermAPITokens, now).
			Exec(context.Background()); err != nil {
			f.t.Fatal(err)
		}
	}
	return actor.Actor{UserID: id, Kind: actor.Staff, ClientIP: "192.0.2.1"}
}

func (f *fixture) count(table, where string, args ...any) int {
	f.t.Helper()
	n, err := f.d.NewSelect().Table(table).Where(where, args...).Count(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return int(n)
}

func TestCreateForAdmin_ShowsTheKeyOnceMailsTheOwnerAndKeepsOnlyItsHash(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a := f.admin(true)
		out, err := f.svc.CreateForAdmin(ctx, a, false)
		if err != nil {
			t.Fatal(err)
		}
		if !out.Created || out.Regenerated || len(out.Key) != UserKeyLength {
			t.Fatalf("%+v", out)
		}
		if n := f.count("api_token", "key_hash = ? AND key_suffix = ?", Hash(out.Key), out.Key[37:]); n != 1 {
			t.Errorf("stored hash and suffix: %d rows", n)
		}
		if n := f.count("api_token", "key_hash = ? OR key_seed = ?", out.Key, out.Key); n != 0 {
			t.Error("the key itself is stored")
		}
		mails, _ := mail.ListRecent(ctx, d, 10)
		var body string
		if len(mails) == 1 {
			m, _ := mail.Get(ctx, d, mails[0].ID)
			body = m.Text
		}
		if len(mails) != 1 || mails[0].Subject != NewTokenSubject || !strings.Contains(body, "203.0.113.7") ||
			!strings.Contains(body, "02/03/2026 à 14:30") || !strings.Contains(body, "Bonjour Julie Martin,") {
			t.Errorf("mail: %+v", mails)
		}
		// Again: the same token, no key shown, no second mail.
		again, err := f.svc.CreateForAdmin(ctx, a, false)
		if err != nil || again.Created || again.Key != "" || again.Token.ID != out.Token.ID {
			t.Errorf("second creation: %+v %v", again, err)
		}
		if mails, _ := mail.ListRecent(ctx, d, 10); len(mails) != 1 {
			t.Errorf("%d mails after the second call", len(mails))
		}
		tok, err := f.svc.Authenticate(ctx, out.Key)
		if err != nil || tok.Kind != UserToken || *tok.UserID != a.UserID || !tok.UserActive || tok.UserKind != "professional" {
			t.Errorf("authenticate: %+v %v", tok, err)
		}
		events, _ := audit.List(ctx, d, a.UserID, 10)
		if len(events) != 1 || events[0].Action != ActionCreated || strings.Contains(events[0].Details, out.Key) {
			t.Errorf("audit: %+v", events)
		}
	})
}

func TestCreateForAdmin_RegeneratingRevokesTheOldKey(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a := f.admin(true)
		first, _ := f.svc.CreateForAdmin(ctx, a, false)
		second, err := f.svc.CreateForAdmin(ctx, a, true)
		if err != nil || !second.Created || !second.Regenerated || second.Key == first.Key {
			t.Fatalf("%+v %v", second, err)
		}
		if _, err := f.svc.Authenticate(ctx, first.Key); !errors.Is(err, ErrUnknown) {
			t.Errorf("old key: %v", err)
		}
		if _, err := f.svc.Authenticate(ctx, second.Key); err != nil {
			t.Errorf("new key: %v", err)
		}
		if n := f.count("mail_outbox", "subject = ?", NewTokenSubject); n != 2 {
			t.Errorf("%d mails", n)
		}
		if err := f.svc.RevokeOwn(ctx, a); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Authenticate(ctx, second.Key); !errors.Is(err, ErrUnknown) {
			t.Errorf("revoked key: %v", err)
		}
	})
}

func TestCreateForAdmin_RefusesWhoIsNotAdminOfTheCurrentCompany(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		prescriber := f.admin(true)
		prescriber.Organization.Type = "prescriber"
		for name, a := range map[string]actor.Actor{
			"non-admin member": f.admin(false), "prescriber admin": prescriber,
			"job seeker": {UserID: f.user(actor.JobSeeker), Kind: actor.JobSeeker}, "anonymous": {},
		} {
			if _, err := f.svc.CreateForAdmin(context.Background(), a, false); !errors.Is(err, ErrNotCompanyAdmin) {
				t.Errorf("%s: %v", name, err)
			}
		}
		if n := f.count("api_token", "TRUE"); n != 0 {
			t.Errorf("%d tokens", n)
		}
	})
}

func TestKeyForLogin_AnswersTheSameKeyAtEveryCallWithoutMail(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		a := f.admin(true)
		created, _ := f.svc.CreateForAdmin(ctx, a, false)
		key, err := f.svc.KeyForLogin(ctx, a.UserID, "203.0.113.7")
		if err != nil || key != created.Key {
			t.Fatalf("%q %v, want the dashboard's key", key, err)
		}
		other := f.user(actor.JobSeeker)
		k1, _ := f.svc.KeyForLogin(ctx, other, "")
		k2, _ := f.svc.KeyForLogin(ctx, other, "")
		if k1 == "" || k1 != k2 || f.count("api_token", "user_id = ?", other) != 1 {
			t.Errorf("get or create: %q %q", k1, k2)
		}
		if n := f.count("mail_outbox", "TRUE"); n != 1 {
			t.Errorf("%d mails (only the dashboard's)", n)
		}
		// The instance's secret key changed: the stored token no longer matches its seed, so a
		// new one is made (and the old key is refused).
		rotated := NewService(d, []byte("a new secret"))
		k3, err := rotated.KeyForLogin(ctx, other, "")
		if err != nil || k3 == k1 {
			t.Fatalf("after the secret changed: %q %v", k3, err)
		}
		if _, err := rotated.Authenticate(ctx, k1); !errors.Is(err, ErrUnknown) {
			t.Errorf("old key: %v", err)
		}
	})
}

func TestCreateFamily_MakesDepartmentCompanyAndServiceTokensForStaffOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		staff := f.staff(true)
		system := actor.Actor{}
		if _, err := f.svc.CreateFamily(ctx, f.admin(true), FamilyInput{Kind: ServiceToken, Service: Dora}); !errors.Is(err, ErrStaffOnly) {
			t.Errorf("employer: %v", err)
		}
		if _, err := f.svc.CreateFamily(ctx, f.staff(false), FamilyInput{Kind: ServiceToken, Service: Dora}); !errors.Is(err, account.ErrNoPermission) {
			t.Errorf("staff without the permission: %v", err)
		}
		dept, err := f.svc.CreateFamily(ctx, staff, FamilyInput{Kind: DepartmentToken, Department: "2a", Label: " CD Corse-du-Sud "})
		if err != nil || len(dept.Key) != FamilyKeyLength || dept.Token.Department != "2A" || dept.Token.Label != "CD Corse-du-Sud" {
			t.Fatalf("%+v %v", dept, err)
		}
		if _, err := f.svc.CreateFamily(ctx, system, FamilyInput{Kind: DepartmentToken, Department: "33", Label: "CD Corse-du-Sud"}); !fieldsOf(err).Has("label") {
			t.Errorf("same mémo: %v", err)
		}
		c1, uid1 := f.company()
		c2, uid2 := f.company()
		if _, err := f.svc.CreateFamily(ctx, system, FamilyInput{Kind: CompanyToken, Label: "Label GEIQ", Companies: []string{uid1, "nope"}}); !fieldsOf(err).Has("companies") {
			t.Errorf("unknown company: %v", err)
		}
		co, err := f.svc.CreateFamily(ctx, system, FamilyInput{Kind: CompanyToken, Label: "Label GEIQ", Companies: []string{uid2, uid1}})
		if err != nil {
			t.Fatal(err)
		}
		svc, err := f.svc.CreateFamily(ctx, system, FamilyInput{Kind: ServiceToken, Service: DataInclusion, Label: "export quotidien"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.Authenticate(ctx, co.Key)
		if err != nil || got.Kind != CompanyToken || len(got.CompanyIDs) != 2 || got.CompanyIDs[0] != min(c1, c2) {
			t.Errorf("company token: %+v %v", got, err)
		}
		if got, err := f.svc.Authenticate(ctx, svc.Key); err != nil || got.Service != DataInclusion || got.UserActive {
			t.Errorf("service token: %+v %v", got, err)
		}
		list, err := f.svc.List(ctx, staff, "")
		if err != nil || len(list) != 3 || list[1].LogName() != co.Token.LogName() || len(list[1].CompanyIDs) != 2 {
			t.Errorf("list: %+v %v", list, err)
		}
		if only, _ := f.svc.List(ctx, system, ServiceToken); len(only) != 1 || only[0].ID != svc.Token.ID {
			t.Errorf("service tokens: %+v", only)
		}
		if err := f.svc.Revoke(ctx, staff, dept.Token.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Authenticate(ctx, dept.Key); !errors.Is(err, ErrUnknown) {
			t.Errorf("revoked: %v", err)
		}
		if err := f.svc.Revoke(ctx, staff, dept.Token.ID); !errors.Is(err, ErrAlreadyRevoked) {
			t.Errorf("revoked twice: %v", err)
		}
		if err := f.svc.Revoke(ctx, staff, 9999); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown token: %v", err)
		}
		got, err = f.svc.Get(ctx, staff, dept.Token.ID)
		if err != nil || !got.Revoked() || got.RevokedBy != "Julie Martin" || got.CreatedBy != "Julie Martin" || !got.RevokedAt.Equal(now) {
			t.Errorf("revoked token: %+v %v", got, err)
		}
		if _, err := f.svc.CreateFamily(ctx, system, FamilyInput{Kind: DepartmentToken, Department: "2A", Label: "CD Corse-du-Sud"}); err != nil {
			t.Errorf("the mémo of a revoked token is free again: %v", err)
		}
		if n := f.count("audit_event", "object_type = 'api_token' AND action = ?", ActionRevoked); n != 1 {
			t.Errorf("%d revocations audited", n)
		}
	})
}

func TestAuthenticate_TellsAnInactiveOwner(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		u := f.user(actor.Professional)
		key, _ := f.svc.KeyForLogin(ctx, u, "")
		if _, err := d.NewRaw("UPDATE users SET is_active = FALSE WHERE id = ?", u).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if tok, err := f.svc.Authenticate(ctx, key); err != nil || tok.UserActive {
			t.Errorf("%+v %v", tok, err)
		}
		if _, err := f.svc.Authenticate(ctx, ""); !errors.Is(err, ErrUnknown) {
			t.Errorf("empty key: %v", err)
		}
	})
}

func TestCreateFamily_CompaniesByUIDOrSIRETMustExistAndBeOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		staff := f.staff(true)
		c1, uid1 := f.company()
		c2, uid2 := f.company()
		var siret1, siret2 string
		if err := d.NewRaw("SELECT siret FROM company WHERE id = ?", c1).Scan(ctx, &siret1); err != nil {
			t.Fatal(err)
		}
		if err := d.NewRaw("SELECT siret FROM company WHERE id = ?", c2).Scan(ctx, &siret2); err != nil {
			t.Fatal(err)
		}
		// A second company with the SIRET of c2 (an ACI and a GEIQ may share one).
		_, uid3 := f.company()
		if _, err := d.NewRaw("UPDATE company SET siret = ?, kind = 'ACI' WHERE uid = ?", siret2, uid3).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		in := FamilyInput{Kind: CompanyToken, Label: "GEIQ du Nord", Companies: []string{siret2, "00000000000000"}}
		_, err := f.svc.CreateFamily(ctx, staff, in)
		msg := fieldsOf(err).On("companies")
		for _, want := range []string{"Aucune entreprise n’a ce SIRET ou cet identifiant : 00000000000000.", "Plusieurs entreprises ont ce SIRET", uid2, uid3} {
			if !strings.Contains(msg, want) {
				t.Errorf("ambiguous and unknown: %q lacks %q", msg, want)
			}
		}
		if n := f.count("api_token", "1 = 1"); n != 0 {
			t.Fatalf("a refused creation left %d tokens", n)
		}
		// By SIRET (spaces allowed) and by uid, the same company twice counting once.
		spaced := siret1[:3] + " " + siret1[3:6] + " " + siret1[6:9] + " " + siret1[9:]
		out, err := f.svc.CreateFamily(ctx, staff, FamilyInput{Kind: CompanyToken, Label: "GEIQ du Nord", Companies: []string{spaced, uid2, uid1}})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Token.CompanyIDs) != 2 || out.Token.CompanyIDs[0] != c1 || out.Token.CompanyIDs[1] != c2 {
			t.Errorf("companies: %v", out.Token.CompanyIDs)
		}
		list, err := f.svc.List(ctx, staff, CompanyToken)
		if err != nil || len(list) != 1 || len(list[0].Companies) != 2 {
			t.Fatalf("list: %+v %v", list, err)
		}
		if c := list[0].Companies[0]; c.UID != uid1 || c.SIRET != siret1 || c.Name == "" {
			t.Errorf("first company: %+v", c)
		}
	})
}
