package apitoken

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/account"
	"emplois/internal/geo"
	"emplois/internal/org"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/audit"
	"emplois/internal/platform/db"
	"emplois/internal/platform/fault"
	"emplois/internal/platform/mail"
)

// Audit actions (object type "api_token", object id: the token's id; details name the family and
// the token as LogName does, never the key).
const (
	ActionCreated     = "api_token_created"
	ActionRegenerated = "api_token_regenerated"
	ActionRevoked     = "api_token_revoked"
)

// Refusals.
var (
	// ErrUnknown: no token has this key (a revoked one included).
	ErrUnknown = fault.NotFound("Token non valide.")
	// ErrNotCompanyAdmin: only the admin of the current company has « Accès aux API » (api.md §1.2).
	ErrNotCompanyAdmin = fault.Forbidden("Seul un administrateur de la structure peut gérer son token d’API.")
	// ErrStaffOnly: département, company and service tokens are made by staff.
	ErrStaffOnly = fault.Forbidden("Seule l’équipe des emplois de l’inclusion gère ces jetons d’API.")
	// ErrNotFound: no such family token.
	ErrNotFound = fault.NotFound("Ce jeton d’API n’existe pas.")
	// ErrAlreadyRevoked: the token was revoked before.
	ErrAlreadyRevoked = fault.Conflict("Ce jeton d’API est déjà révoqué : sa clé ne donne plus accès à l’API.")
)

// Service creates, lists, revokes and checks API tokens.
type Service struct {
	db     *db.DB
	secret []byte
	// Now is the clock (tests set it).
	Now func() time.Time
}

// NewService returns the token service; secret is the instance's secret key (user keys derive
// from it, see UserKey).
func NewService(d *db.DB, secret []byte) *Service {
	return &Service{db: d, secret: secret, Now: time.Now}
}

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// Issued is the outcome of a creation: the token and, only when it was made now, its key, to be
// shown once.
type Issued struct {
	Token *Token
	Key   string
	// Created is set when the token was made by this call; Regenerated when it replaced another.
	Created, Regenerated bool
}

// Authenticate returns the token of key, with its user's state for a user token (UserActive,
// UserKind), or ErrUnknown. It is one indexed read, and a second for a company token's companies.
func (s *Service) Authenticate(ctx context.Context, key string) (*Token, error) {
	if key == "" {
		return nil, ErrUnknown
	}
	t := new(Token)
	err := s.db.NewSelect().Model(t).ColumnExpr("t.*").
		ColumnExpr("u.is_active AS user_active, u.kind AS user_kind").
		Join("LEFT JOIN users AS u ON u.id = t.user_id").
		Where("t.key_hash = ? AND t.revoked_at IS NULL", Hash(key)).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrUnknown
	}
	if err != nil {
		return nil, fmt.Errorf("apitoken: authenticate: %w", err)
	}
	if t.Kind == CompanyToken {
		if err := s.db.NewSelect().Table("api_token_company").Column("company_id").Where("token_id = ?", t.ID).
			Order("company_id").Scan(ctx, &t.CompanyIDs); err != nil {
			return nil, fmt.Errorf("apitoken: companies of %s: %w", t.LogName(), err)
		}
	}
	return t, nil
}

// OfUser returns the user's token, or nil when they have none.
func (s *Service) OfUser(ctx context.Context, userID int64) (*Token, error) {
	return userToken(ctx, s.db, userID)
}

func userToken(ctx context.Context, idb bun.IDB, userID int64) (*Token, error) {
	t := new(Token)
	err := idb.NewSelect().Model(t).Where("t.kind = ? AND t.user_id = ?", UserToken, userID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("apitoken: token of user %d: %w", userID, err)
	}
	return t, nil
}

// AccessPath is the page « Accès aux APIs » (api.md §1.2), the original's address.
const AccessPath = "/dashboard/token_api"

// mayOwn: the admin of the current company (api.md §1.2).
func mayOwn(a actor.Actor) bool {
	return a.UserID != 0 && a.Organization != nil && a.Organization.Type == string(org.TypeCompany) && a.Organization.IsAdmin
}

// ForAdmin returns the token of the admin of the current company (nil when none) for
// « Accès aux API ».
func (s *Service) ForAdmin(ctx context.Context, a actor.Actor) (*Token, error) {
	if !mayOwn(a) {
		return nil, ErrNotCompanyAdmin
	}
	return userToken(ctx, s.db, a.UserID)
}

// CreateForAdmin is « Créer un token d’API » and « Regénérer » of « Accès aux API » (api.md §1.2):
// the admin of the current company gets their token — the existing one unchanged, unless
// regenerate, which replaces it. A token made now is audited and mailed to its owner (the
// security mail, with the client address).
func (s *Service) CreateForAdmin(ctx context.Context, a actor.Actor, regenerate bool) (Issued, error) {
	if !mayOwn(a) {
		return Issued{}, ErrNotCompanyAdmin
	}
	var out Issued
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if out, err = s.issueUserToken(ctx, tx, a, a.UserID, regenerate, "dashboard"); err != nil || !out.Created {
			return err
		}
		owner, err := ownerOf(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		return mail.Enqueue(ctx, tx, newTokenMail(owner, out.Token.CreatedAt, a.ClientIP))
	})
	return out, err
}

// KeyForLogin is token-auth's answer to a right password (api.md §1.3): the key of the user's
// token, created if they have none (no mail: the original sends none). The same key comes back
// at every call; should the instance's secret key have changed since, the token no longer
// matches its seed and is replaced.
func (s *Service) KeyForLogin(ctx context.Context, userID int64, clientIP string) (string, error) {
	var key string
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		t, err := userToken(ctx, tx, userID)
		if err != nil {
			return err
		}
		if t != nil {
			if key = UserKey(s.secret, *t.KeySeed); Hash(key) == t.KeyHash {
				return nil
			}
		}
		out, err := s.issueUserToken(ctx, tx, actor.Actor{UserID: userID, ClientIP: clientIP}, userID, t != nil, "token-auth")
		key = out.Key
		return err
	})
	return key, err
}

// issueUserToken gives the user a token: the existing one unless regenerate, else a new one.
func (s *Service) issueUserToken(ctx context.Context, tx bun.IDB, a actor.Actor, userID int64, regenerate bool, via string) (Issued, error) {
	old, err := userToken(ctx, tx, userID)
	if err != nil {
		return Issued{}, err
	}
	if old != nil && !regenerate {
		return Issued{Token: old}, nil
	}
	if old != nil {
		if _, err := tx.NewDelete().Model(old).WherePK().Exec(ctx); err != nil {
			return Issued{}, fmt.Errorf("apitoken: delete token of user %d: %w", userID, err)
		}
	}
	seed := newSeed()
	key := UserKey(s.secret, seed)
	t := &Token{Kind: UserToken, KeyHash: Hash(key), KeySuffix: suffix(key), KeySeed: &seed, UserID: &userID,
		CreatedAt: s.now(), CreatedByID: createdBy(a)}
	if err := insert(ctx, tx, t); err != nil {
		return Issued{}, err
	}
	action := ActionCreated
	if old != nil {
		action = ActionRegenerated
	}
	if err := record(ctx, tx, a, action, t, map[string]any{"via": via}); err != nil {
		return Issued{}, err
	}
	return Issued{Token: t, Key: key, Created: true, Regenerated: old != nil}, nil
}

// FamilyInput is a département, company or service token to create (api.md §1.1).
type FamilyInput struct {
	Kind       Kind
	Department string   // département tokens: a département code ("33", "2A", "974")
	Service    Partner  // service tokens
	Label      string   // mémo of département and company tokens, purpose of service tokens
	Companies  []string // company tokens: the companies, each by its uid or by its SIRET
}

// MaxLabelLength is the original's limit of a mémo.
const MaxLabelLength = 60

// ValidateFamily checks a family token to create; company uids are checked against the database
// by CreateFamily.
func ValidateFamily(in FamilyInput) error {
	var errs fault.Fields
	switch in.Kind {
	case DepartmentToken:
		if !geo.ValidDepartmentCode(in.Department) {
			errs.Add("department", "Indiquez un code de département existant (par exemple 33, 2A ou 974).")
		}
	case CompanyToken:
		if len(in.Companies) == 0 {
			errs.Add("companies", "Indiquez au moins une entreprise.")
		}
	case ServiceToken:
		if !slices.Contains(Partners, in.Service) {
			errs.Add("service", "Choisissez un service parmi : "+strings.Join(PartnerCodes(), ", ")+".")
		}
	default:
		errs.Add("kind", "Choisissez une famille de jeton : department, company ou service.")
	}
	if in.Kind != ServiceToken {
		switch label := strings.TrimSpace(in.Label); {
		case label == "":
			errs.Add("label", "Indiquez un mémo permettant d’identifier l’usage du jeton.")
		case len([]rune(label)) > MaxLabelLength:
			errs.Add("label", fmt.Sprintf("Le mémo doit faire au plus %d caractères.", MaxLabelLength))
		}
	}
	return errs.Err()
}

// PartnerCodes are the codes of the services, in order.
func PartnerCodes() []string {
	codes := make([]string, len(Partners))
	for i, s := range Partners {
		codes[i] = string(s)
	}
	return codes
}

// CreateFamily makes a département, company or service token (staff, or the command line). The
// key is in the answer only: it is never stored.
func (s *Service) CreateFamily(ctx context.Context, a actor.Actor, in FamilyInput) (Issued, error) {
	if err := s.allow(ctx, a); err != nil {
		return Issued{}, err
	}
	in.Label, in.Department = strings.TrimSpace(in.Label), strings.ToUpper(strings.TrimSpace(in.Department))
	if err := ValidateFamily(in); err != nil {
		return Issued{}, err
	}
	key := newFamilyKey()
	t := &Token{Kind: in.Kind, KeyHash: Hash(key), KeySuffix: suffix(key), Label: in.Label, CreatedAt: s.now(), CreatedByID: createdBy(a)}
	switch in.Kind {
	case DepartmentToken:
		t.Department = in.Department
	case ServiceToken:
		t.Service = in.Service
	}
	err := s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var ids []int64
		if in.Kind == CompanyToken {
			var err error
			if ids, err = companyIDs(ctx, tx, in.Companies); err != nil {
				return err
			}
		}
		if err := insert(ctx, tx, t); err != nil {
			if db.IsUniqueViolation(err) {
				return fault.InvalidField("label", "Un "+in.Kind.Label()+" porte déjà ce mémo.")
			}
			return err
		}
		for _, id := range ids {
			if _, err := tx.NewRaw("INSERT INTO api_token_company (token_id, company_id) VALUES (?, ?)", t.ID, id).Exec(ctx); err != nil {
				return fmt.Errorf("apitoken: companies of %s: %w", t.LogName(), err)
			}
		}
		t.CompanyIDs = ids
		details := map[string]any{}
		if len(ids) > 0 {
			details["companies"] = in.Companies
		}
		return record(ctx, tx, a, ActionCreated, t, details)
	})
	if err != nil {
		return Issued{}, err
	}
	return Issued{Token: t, Key: key, Created: true}, nil
}

// companyIDs are the ids of the companies named by uid or SIRET (14 digits, spaces ignored),
// or a field error naming the unknown references and the SIRETs several companies share (a
// SIAE and a GEIQ may have the same SIRET: the uid then tells them apart).
func companyIDs(ctx context.Context, idb bun.IDB, refs []string) ([]int64, error) {
	refs = slices.Clone(refs)
	var uids, sirets []string
	for i, ref := range refs {
		ref = strings.TrimSpace(ref)
		if siret := strings.Join(strings.Fields(ref), ""); siretRe.MatchString(siret) {
			ref = siret
			sirets = append(sirets, siret)
		} else {
			uids = append(uids, ref)
		}
		refs[i] = ref
	}
	var rows []struct {
		ID    int64  `bun:"id"`
		UID   string `bun:"uid"`
		SIRET string `bun:"siret"`
		Name  string `bun:"name"`
	}
	q := idb.NewSelect().Table("company").Column("id", "uid", "siret", "name").Order("id")
	q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		if len(uids) > 0 {
			q = q.WhereOr("uid IN (?)", bun.List(uids))
		}
		if len(sirets) > 0 {
			q = q.WhereOr("siret IN (?)", bun.List(sirets))
		}
		return q
	})
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("apitoken: companies: %w", err)
	}
	var unknown, ambiguous []string
	seen := map[int64]bool{}
	ids := make([]int64, 0, len(refs))
	for _, ref := range refs {
		var match []int64
		var names []string
		for _, r := range rows {
			if r.UID == ref || r.SIRET == ref {
				match = append(match, r.ID)
				names = append(names, r.Name+" ("+r.UID+")")
			}
		}
		switch {
		case len(match) == 0:
			unknown = append(unknown, ref)
		case len(match) > 1:
			ambiguous = append(ambiguous, ref+" : "+strings.Join(names, ", "))
		case !seen[match[0]]:
			seen[match[0]] = true
			ids = append(ids, match[0])
		}
	}
	var msgs []string
	if len(unknown) > 0 {
		msgs = append(msgs, "Aucune entreprise n’a ce SIRET ou cet identifiant : "+strings.Join(unknown, ", ")+".")
	}
	if len(ambiguous) > 0 {
		msgs = append(msgs, "Plusieurs entreprises ont ce SIRET, indiquez plutôt l’identifiant de la bonne : "+strings.Join(ambiguous, " ; ")+".")
	}
	if len(msgs) > 0 {
		return nil, fault.InvalidField("companies", strings.Join(msgs, " "))
	}
	slices.Sort(ids)
	return ids, nil
}

var siretRe = regexp.MustCompile(`^\d{14}$`)

// List returns the département, company and service tokens (all families when kind is empty),
// revoked ones included, oldest first, with the names of who created and revoked them and the
// companies of company tokens: two queries whatever the number of tokens.
func (s *Service) List(ctx context.Context, a actor.Actor, kind Kind) ([]*Token, error) {
	if err := s.allow(ctx, a); err != nil {
		return nil, err
	}
	var list []*Token
	q := s.selectFamily(&list).Where("t.kind <> ?", UserToken).Order("t.id")
	if kind != "" {
		q = q.Where("t.kind = ?", kind)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("apitoken: list: %w", err)
	}
	if err := s.loadCompanies(ctx, list); err != nil {
		return nil, err
	}
	return list, nil
}

// Get returns one département, company or service token (revoked or not), as List does.
func (s *Service) Get(ctx context.Context, a actor.Actor, id int64) (*Token, error) {
	if err := s.allow(ctx, a); err != nil {
		return nil, err
	}
	t := new(Token)
	err := s.selectFamily(t).Where("t.id = ? AND t.kind <> ?", id, UserToken).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("apitoken: token %d: %w", id, err)
	}
	if err := s.loadCompanies(ctx, []*Token{t}); err != nil {
		return nil, err
	}
	return t, nil
}

// selectFamily reads tokens with the names of who created and revoked them.
func (s *Service) selectFamily(model any) *bun.SelectQuery {
	name := func(alias string) string {
		return "COALESCE(TRIM(" + alias + ".first_name || ' ' || " + alias + ".last_name), '')"
	}
	return s.db.NewSelect().Model(model).ColumnExpr("t.*").
		ColumnExpr(name("cu") + " AS created_by").ColumnExpr(name("ru") + " AS revoked_by").
		Join("LEFT JOIN users AS cu ON cu.id = t.created_by_id").
		Join("LEFT JOIN users AS ru ON ru.id = t.revoked_by_id")
}

// loadCompanies reads the companies of the company tokens of list, in one query.
func (s *Service) loadCompanies(ctx context.Context, list []*Token) error {
	byID := map[int64]*Token{}
	for _, t := range list {
		if t.Kind == CompanyToken {
			byID[t.ID] = t
		}
	}
	if len(byID) == 0 {
		return nil
	}
	var links []struct {
		TokenID int64  `bun:"token_id"`
		ID      int64  `bun:"id"`
		UID     string `bun:"uid"`
		Name    string `bun:"name"`
		Brand   string `bun:"brand"`
		SIRET   string `bun:"siret"`
	}
	if err := s.db.NewSelect().TableExpr("api_token_company AS tc").Join("JOIN company AS c ON c.id = tc.company_id").
		ColumnExpr("tc.token_id, c.id, c.uid, c.name, c.brand, c.siret").
		Where("tc.token_id IN (?)", bun.List(slices.Collect(maps.Keys(byID)))).
		Order("tc.token_id", "c.id").Scan(ctx, &links); err != nil {
		return fmt.Errorf("apitoken: companies of tokens: %w", err)
	}
	for _, l := range links {
		t := byID[l.TokenID]
		name := l.Name
		if l.Brand != "" {
			name = l.Brand
		}
		t.CompanyIDs = append(t.CompanyIDs, l.ID)
		t.Companies = append(t.Companies, Company{ID: l.ID, UID: l.UID, Name: name, SIRET: l.SIRET})
	}
	return nil
}

// Revoke revokes a département, company or service token: its key authenticates no more, its
// row stays, marked with the date and who revoked it (ErrAlreadyRevoked the second time).
func (s *Service) Revoke(ctx context.Context, a actor.Actor, id int64) error {
	if err := s.allow(ctx, a); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		t := new(Token)
		err := tx.NewSelect().Model(t).Where("t.id = ? AND t.kind <> ?", id, UserToken).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("apitoken: token %d: %w", id, err)
		}
		if t.Revoked() {
			return ErrAlreadyRevoked
		}
		now := s.now()
		res, err := tx.NewUpdate().Model(t).Set("revoked_at = ?", now).Set("revoked_by_id = ?", createdBy(a)).
			Where("id = ? AND revoked_at IS NULL", t.ID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("apitoken: revoke %s: %w", t.LogName(), err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrAlreadyRevoked
		}
		return record(ctx, tx, a, ActionRevoked, t, nil)
	})
}

// RevokeOwn deletes the token of the admin of the current company (« Accès aux API »); nothing
// happens when they have none.
func (s *Service) RevokeOwn(ctx context.Context, a actor.Actor) error {
	if !mayOwn(a) {
		return ErrNotCompanyAdmin
	}
	return s.db.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		t, err := userToken(ctx, tx, a.UserID)
		if err != nil || t == nil {
			return err
		}
		return deleteToken(ctx, tx, a, t)
	})
}

func deleteToken(ctx context.Context, tx bun.IDB, a actor.Actor, t *Token) error {
	if _, err := tx.NewDelete().Model(t).WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("apitoken: revoke %s: %w", t.LogName(), err)
	}
	return record(ctx, tx, a, ActionRevoked, t, nil)
}

// Allow refuses whoever may not manage the département, company and service tokens: staff
// holding the permission api_tokens, and the system itself (the command line, run by the
// operators).
func (s *Service) Allow(ctx context.Context, a actor.Actor) error { return s.allow(ctx, a) }

func (s *Service) allow(ctx context.Context, a actor.Actor) error {
	switch {
	case a.UserID == 0 && a.Kind == "" && a.ClientIP == "":
		return nil
	case !a.IsStaff():
		return ErrStaffOnly
	}
	return account.RequirePermission(ctx, s.db, a, account.PermAPITokens)
}

func createdBy(a actor.Actor) *int64 {
	if a.UserID == 0 {
		return nil
	}
	id := a.UserID
	return &id
}

func insert(ctx context.Context, tx bun.IDB, t *Token) error {
	if _, err := tx.NewInsert().Model(t).Exec(ctx); err != nil {
		return fmt.Errorf("apitoken: insert %s token: %w", t.Kind, err)
	}
	return nil
}

func record(ctx context.Context, tx bun.IDB, a actor.Actor, action string, t *Token, details map[string]any) error {
	if details == nil {
		details = map[string]any{}
	}
	details["kind"], details["token"] = string(t.Kind), t.LogName()
	return audit.Record(ctx, tx, a, action, audit.Object{Type: "api_token", ID: fmt.Sprint(t.ID)}, details)
}
