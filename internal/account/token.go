package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// NewToken returns a random one-time token: 32 bytes from crypto/rand, base64url without padding
// (43 characters, safe in a URL path).
func NewToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("account: token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// hashToken is what the database keeps of a token: its SHA-256, hex. A 256-bit random token
// needs no salt nor slow hash.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// signupKey is the throttle key of an e-mail typed in a signup form.
func signupKey(normalizedEmail string) string {
	sum := sha256.Sum256([]byte("signup:" + normalizedEmail))
	return hex.EncodeToString(sum[:])
}

// accountKey is the throttle key of a typed e-mail: its SHA-256, so that unknown addresses are
// not stored in clear.
func accountKey(normalizedEmail string) string {
	sum := sha256.Sum256([]byte("login:" + normalizedEmail))
	return hex.EncodeToString(sum[:])
}
