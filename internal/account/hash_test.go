package account

import (
	"regexp"
	"strings"
	"testing"
)

func TestHashPassword_WritesAPHCStringThatVerifies(t *testing.T) {
	hash, err := HashPassword("Velo-Rouge-Sous-La-Pluie-42", DefaultHashParams)
	if err != nil {
		t.Fatal(err)
	}
	phc := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !phc.MatchString(hash) {
		t.Fatalf("hash %q is not a PHC argon2id string with the default parameters", hash)
	}
	if ok, err := VerifyPassword("Velo-Rouge-Sous-La-Pluie-42", hash); err != nil || !ok {
		t.Errorf("the right password does not verify: %v %v", ok, err)
	}
	if ok, _ := VerifyPassword("Velo-Rouge-Sous-La-Pluie-43", hash); ok {
		t.Error("a wrong password verifies")
	}
	again, _ := HashPassword("Velo-Rouge-Sous-La-Pluie-42", DefaultHashParams)
	if again == hash {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

func TestVerifyPassword_RefusesMalformedHashes(t *testing.T) {
	good, _ := HashPassword("x", fastParams)
	parts := strings.Split(good, "$")
	for name, hash := range map[string]string{
		"empty":           "",
		"other algorithm": "$argon2i$" + strings.Join(parts[2:], "$"),
		"other version":   strings.Replace(good, "v=19", "v=16", 1),
		"zero memory":     "$argon2id$v=19$m=0,t=1,p=1$" + parts[4] + "$" + parts[5],
		"bad salt":        "$argon2id$v=19$" + parts[3] + "$***$" + parts[5],
		"missing key":     "$argon2id$v=19$" + parts[3] + "$" + parts[4] + "$",
		"django pbkdf2":   "pbkdf2_sha256$600000$salt$hash",
	} {
		if ok, err := VerifyPassword("x", hash); ok || err == nil {
			t.Errorf("%s: VerifyPassword = %v, %v; want false and an error", name, ok, err)
		}
	}
}

func TestNeedsRehash_WhenParametersChange(t *testing.T) {
	hash, _ := HashPassword("x", fastParams)
	if needsRehash(hash, fastParams) {
		t.Error("a hash made with the current parameters needs a rehash")
	}
	stronger := fastParams
	stronger.Time++
	if !needsRehash(hash, stronger) {
		t.Error("a hash made with weaker parameters does not need a rehash")
	}
}

func TestNewToken_Is43URLSafeCharactersAndUnique(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		tok, err := NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`).MatchString(tok) {
			t.Fatalf("token %q is not 43 base64url characters", tok)
		}
		if seen[tok] {
			t.Fatal("token repeated")
		}
		seen[tok] = true
		if hashToken(tok) == tok || len(hashToken(tok)) != 64 {
			t.Fatal("hashToken does not return a hex SHA-256")
		}
	}
}
