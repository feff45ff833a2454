package jobseeker

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"emplois/internal/platform/actor"
)

// ProxyWizardTTL is how long a creation wizard stays open without being finished.
const ProxyWizardTTL = 24 * time.Hour

// proxyWizardKind is the wizard_session kind of the identity search and creation by proxy.
const proxyWizardKind = "job_seeker_proxy"

// ProxyWizard is the state of one identity search and creation by proxy, kept on the server
// per browser tab (table wizard_session, reached by a random key in the URL): two tabs keep two
// wizards (applications.md §3.2-2).
type ProxyWizard struct {
	Key string `json:"-"`
	// Next is the local path the wizard ends at, with job_seeker_public_id added.
	Next string `json:"next"`
	// NIR is the number typed at the NIR search (kept for the identity step).
	NIR   string     `json:"nir"`
	Input ProxyInput `json:"input"`
	// Reached is the furthest step validated: "", "identity", "contact", "situation".
	Reached string `json:"reached"`
}

type wizardRow struct {
	bun.BaseModel `bun:"table:wizard_session"`

	Key       string    `bun:"key,pk"`
	UserID    int64     `bun:"user_id"`
	Kind      string    `bun:"kind"`
	Data      string    `bun:"data"`
	CreatedAt time.Time `bun:"created_at"`
	ExpiresAt time.Time `bun:"expires_at"`
}

func newWizardKey() (string, error) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("jobseeker: wizard key: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// StartProxyWizard opens a wizard for the actor after a NIR search found nobody.
func (s *Service) StartProxyWizard(ctx context.Context, a actor.Actor, next, nir string) (*ProxyWizard, error) {
	if _, err := s.searchActor(ctx, a); err != nil {
		return nil, err
	}
	key, err := newWizardKey()
	if err != nil {
		return nil, err
	}
	w := &ProxyWizard{Key: key, Next: next, NIR: NormalizeNIR(nir)}
	w.Input.Identity.NIR = w.NIR
	data, err := json.Marshal(w)
	if err != nil {
		return nil, err
	}
	now := s.now()
	_, err = s.db.NewInsert().Model(&wizardRow{Key: key, UserID: a.UserID, Kind: proxyWizardKind, Data: string(data),
		CreatedAt: now, ExpiresAt: now.Add(ProxyWizardTTL)}).Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("jobseeker: start wizard: %w", err)
	}
	return w, nil
}

// ProxyWizardOf returns the actor's open wizard of this key; an unknown, expired or someone
// else's key is ErrWizardNotFound (a 404).
func (s *Service) ProxyWizardOf(ctx context.Context, a actor.Actor, key string) (*ProxyWizard, error) {
	var row wizardRow
	err := s.db.NewSelect().Model(&row).
		Where("key = ?", key).Where("user_id = ?", a.UserID).Where("kind = ?", proxyWizardKind).
		Where("expires_at > ?", s.now()).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) || a.UserID == 0 {
		return nil, ErrWizardNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("jobseeker: wizard: %w", err)
	}
	w := &ProxyWizard{}
	if err := json.Unmarshal([]byte(row.Data), w); err != nil {
		return nil, fmt.Errorf("jobseeker: wizard data: %w", err)
	}
	w.Key = key
	return w, nil
}

// SaveProxyWizard writes the wizard's state back.
func (s *Service) SaveProxyWizard(ctx context.Context, a actor.Actor, w *ProxyWizard) error {
	data, err := json.Marshal(w)
	if err != nil {
		return err
	}
	_, err = s.db.NewUpdate().Table("wizard_session").Set("data = ?", string(data)).
		Where("key = ?", w.Key).Where("user_id = ?", a.UserID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("jobseeker: save wizard: %w", err)
	}
	return nil
}

// FinishProxyWizard creates the job seeker of a complete wizard (CreateByProxy) and closes the
// wizard in the same step: a second submission finds no wizard (404) and creates nothing.
func (s *Service) FinishProxyWizard(ctx context.Context, a actor.Actor, w *ProxyWizard, confirmedDuplicate bool) (*JobSeeker, error) {
	j, err := s.CreateByProxy(ctx, a, w.Input, confirmedDuplicate)
	if err != nil {
		return nil, err
	}
	if _, err := s.db.NewDelete().Table("wizard_session").Where("key = ?", w.Key).Exec(ctx); err != nil {
		return nil, fmt.Errorf("jobseeker: close wizard: %w", err)
	}
	return j, nil
}
