package francetravail

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/db"
)

// The partner realm's token (asp.md §6.1), and the agent realm's (§7.2), exchanged the same way.
const (
	TokenPath    = "/connexion/oauth2/access_token"
	PartnerRealm = "/partenaire"
	// PartnerScopes follow "application_<client id>" in the scope field.
	PartnerScopes = "api_maj-pass-iaev1 api_offresdemploiv2 api_rechercheindividucertifiev1 api_rome-metiersv1 " +
		"nomenclatureRome o2dsoffre passIAE rechercherIndividuCertifie api_referentielagencesv1 organisationpe"
	AgentRealm = "/agent"
	// AgentScopes follow "application_<client id>" in the scope field of the agent realm.
	AgentScopes = "api_rechercher-usagerv2 rechercheusager profil_accedant api_donnees-rqthv1 h2a"
)

// tokenMargin: a token is used until this long before France Travail says it expires.
const tokenMargin = 10 * time.Second

// cachedToken is a row of partner_token: one per client and realm, shared by every instance.
type cachedToken struct {
	bun.BaseModel `bun:"table:partner_token"`

	Key       string    `bun:"key,pk"`
	Header    string    `bun:"header,notnull"`
	ExpiresAt time.Time `bun:"expires_at,notnull"`
}

// tokens gets the Authorization header of a realm, from the database while it is valid.
type tokens struct {
	db            *db.DB
	cfg           Config
	http          *http.Client
	now           func() time.Time
	realm, scopes string
}

// key names the client's token of the realm in partner_token.
func (t *tokens) key() string { return "francetravail" + t.realm + ":" + t.cfg.ClientID }

// get returns "<token_type> <access_token>", fetching a token when none is cached or it expired.
// Two instances fetching at once both store theirs; the last one written is used next.
func (t *tokens) get(ctx context.Context) (string, error) {
	var row cachedToken
	err := t.db.NewSelect().Model(&row).Where("key = ?", t.key()).Where("expires_at > ?", t.now().UTC()).Scan(ctx)
	if err == nil {
		return row.Header, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("francetravail: read token: %w", err)
	}
	header, expiresIn, err := t.fetch(ctx)
	if err != nil {
		return "", err
	}
	if expiresIn <= tokenMargin {
		return header, nil // too short-lived to share
	}
	row = cachedToken{Key: t.key(), Header: header, ExpiresAt: t.now().UTC().Add(expiresIn - tokenMargin)}
	_, err = t.db.NewInsert().Model(&row).On("CONFLICT (key) DO UPDATE").
		Set("header = EXCLUDED.header").Set("expires_at = EXCLUDED.expires_at").Exec(ctx)
	if err != nil {
		return "", fmt.Errorf("francetravail: store token: %w", err)
	}
	return header, nil
}

// drop forgets the cached token (France Travail refused it).
func (t *tokens) drop(ctx context.Context) error {
	if _, err := t.db.NewDelete().Model((*cachedToken)(nil)).Where("key = ?", t.key()).Exec(ctx); err != nil {
		return fmt.Errorf("francetravail: drop token: %w", err)
	}
	return nil
}

// tokenAnswer is the token endpoint's JSON.
type tokenAnswer struct {
	TokenType   string `json:"token_type"`
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
}

// fetch exchanges the client credentials for a token (asp.md §6.1). Any failure, an HTTP
// error status included, is a retryable *Error (§8: upstream crashed there).
func (t *tokens) fetch(ctx context.Context) (header string, expiresIn time.Duration, err error) {
	form := url.Values{
		"client_id":     {t.cfg.ClientID},
		"client_secret": {t.cfg.ClientSecret.Reveal()},
		"grant_type":    {"client_credentials"},
		"scope":         {"application_" + t.cfg.ClientID + " " + t.scopes},
	}
	u := t.cfg.AuthBaseURL + TokenPath + "?" + url.Values{"realm": {t.realm}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, fmt.Errorf("francetravail: token: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	res, err := t.http.Do(req)
	if err != nil {
		return "", 0, &Error{Kind: Network, Path: TokenPath, Err: err}
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return "", 0, &Error{Kind: HTTPStatus, Path: TokenPath, Status: res.StatusCode, Body: readBody(res.Body)}
	}
	var a tokenAnswer
	if err := json.NewDecoder(res.Body).Decode(&a); err != nil {
		return "", 0, &Error{Kind: BadAnswer, Path: TokenPath, Status: res.StatusCode, Err: err}
	}
	if a.TokenType == "" || a.AccessToken == "" {
		return "", 0, &Error{Kind: BadAnswer, Path: TokenPath, Status: res.StatusCode, Err: errors.New("no token_type or access_token")}
	}
	return a.TokenType + " " + a.AccessToken, time.Duration(a.ExpiresIn) * time.Second, nil
}
