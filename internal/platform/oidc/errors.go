package oidc

import "errors"

// Kind sorts the refusals by what the person can do about them.
type Kind int

const (
	// KindState: the callback does not belong to a pending login of this browser (unknown,
	// already used, expired, or started in another browser). Starting again fixes it.
	KindState Kind = iota + 1
	// KindProvider: the provider refused or was cancelled (error in the callback, code not
	// exchanged: replayed code, wrong PKCE verifier, bad client credentials).
	KindProvider
	// KindToken: what the provider sent failed verification (signature, issuer, audience,
	// expiry, nonce, userinfo). Never the person's fault; worth a look in the logs.
	KindToken
	// KindUnavailable: the provider could not be reached or its discovery document is unusable.
	KindUnavailable
)

// Error is a refused login. Reason and Err say what failed, for the logs; they hold no personal
// data and no token.
type Error struct {
	Kind   Kind
	Reason string
	Err    error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return "oidc: " + e.Reason + ": " + e.Err.Error()
	}
	return "oidc: " + e.Reason
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of a refusal, 0 for any other error (an internal failure).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}
