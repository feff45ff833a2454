package jobseeker

import (
	"context"
	"errors"
	"time"

	"emplois/internal/platform/actor"
	"emplois/internal/platform/wizard"
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

// StartProxyWizard opens a wizard for the actor after a NIR search found nobody.
func (s *Service) StartProxyWizard(ctx context.Context, a actor.Actor, next, nir string) (*ProxyWizard, error) {
	if _, err := s.searchActor(ctx, a); err != nil {
		return nil, err
	}
	w := &ProxyWizard{Next: next, NIR: NormalizeNIR(nir)}
	w.Input.Identity.NIR = w.NIR
	key, err := wizard.Start(ctx, s.db, a.UserID, proxyWizardKind, w, s.now(), ProxyWizardTTL)
	if err != nil {
		return nil, err
	}
	w.Key = key
	return w, nil
}

// ProxyWizardOf returns the actor's open wizard of this key; an unknown, expired or someone
// else's key is ErrWizardNotFound (a 404).
func (s *Service) ProxyWizardOf(ctx context.Context, a actor.Actor, key string) (*ProxyWizard, error) {
	w := &ProxyWizard{}
	err := wizard.Load(ctx, s.db, a.UserID, proxyWizardKind, key, s.now(), w)
	if errors.Is(err, wizard.ErrNotFound) {
		return nil, ErrWizardNotFound
	}
	if err != nil {
		return nil, err
	}
	w.Key = key
	return w, nil
}

// SaveProxyWizard writes the wizard's state back.
func (s *Service) SaveProxyWizard(ctx context.Context, a actor.Actor, w *ProxyWizard) error {
	return wizard.Save(ctx, s.db, a.UserID, w.Key, w)
}

// FinishProxyWizard creates the job seeker of a complete wizard (CreateByProxy) and closes the
// wizard in the same step: a second submission finds no wizard (404) and creates nothing.
func (s *Service) FinishProxyWizard(ctx context.Context, a actor.Actor, w *ProxyWizard, confirmedDuplicate bool) (*JobSeeker, error) {
	j, err := s.CreateByProxy(ctx, a, w.Input, confirmedDuplicate)
	if err != nil {
		return nil, err
	}
	if err := wizard.Delete(ctx, s.db, w.Key); err != nil {
		return nil, err
	}
	return j, nil
}
