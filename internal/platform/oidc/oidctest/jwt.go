package oidctest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
)

// userinfo answers like ProConnect: zitadel checks the access token and builds the claims, then
// the JSON is signed with the provider's key and sent as application/jwt (unless the
// misbehaviour says plain JSON, or another key).
func (p *Provider) userinfo(w http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	p.op.ServeHTTP(rec, r)
	m := p.misbehaviour()
	if rec.Code != http.StatusOK || m.UserinfoPlainJSON {
		copyResponse(w, rec)
		return
	}
	signing, foreign := signingKeys()
	key := any(signing)
	if m.UserinfoForeignKey {
		key = foreign
	}
	jwt, err := sign(key, rec.Body.Bytes())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/jwt")
	w.Write([]byte(jwt))
}

// sign makes a compact JWS of payload with the key, under the provider's key id.
func sign(key any, payload []byte) (string, error) {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: keyID}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// token passes the token request to zitadel and, when asked, changes the ID token of its
// answer: re-signed with the provider's key for another audience, or with one byte of its
// signature altered.
func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	p.op.ServeHTTP(rec, r)
	m := p.misbehaviour()
	if rec.Code != http.StatusOK || (!m.TamperIDTokenSignature && m.Audience == "") {
		copyResponse(w, rec)
		return
	}
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	idToken, _ := body["id_token"].(string)
	if m.Audience != "" {
		var err error
		if idToken, err = resign(idToken, map[string]any{"aud": m.Audience, "azp": m.Audience}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
	if m.TamperIDTokenSignature {
		idToken = tamperSignature(idToken)
	}
	body["id_token"] = idToken
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(body)
}

// resign returns the claims of a compact JWS issued by this provider, changed by set, signed
// again with the provider's key.
func resign(jws string, set map[string]any) (string, error) {
	parsed, err := jose.ParseSignedCompact(jws, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return "", err
	}
	signing, _ := signingKeys()
	payload, err := parsed.Verify(&signing.PublicKey)
	if err != nil {
		return "", err
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		return "", err
	}
	for k, v := range set {
		claims[k] = v
	}
	if payload, err = json.Marshal(claims); err != nil {
		return "", err
	}
	return sign(signing, payload)
}

// tamperSignature flips the lowest bit of the first byte of a compact JWS's signature.
func tamperSignature(jws string) string {
	parts := strings.Split(jws, ".")
	if len(parts) != 3 {
		return jws
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) == 0 {
		return jws
	}
	sig[0] ^= 1
	parts[2] = base64.RawURLEncoding.EncodeToString(sig)
	return strings.Join(parts, ".")
}

func copyResponse(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}
