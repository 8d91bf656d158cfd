package authcode

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// pkce is one sign-in's secrets: the PKCE code verifier (RFC 7636 §4.1)
// and the state that ties the callback to this sign-in.
type pkce struct {
	verifier string
	state    string
}

// newPKCE draws a 256-bit verifier (43 base64url characters) and a
// 128-bit state.
func newPKCE() pkce {
	return pkce{verifier: random(32), state: random(16)}
}

// challenge is the S256 code challenge: BASE64URL(SHA256(verifier)).
func (p pkce) challenge() string { return challenge(p.verifier) }

func challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// random returns n random bytes, base64url without padding.
func random(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (it panics instead)
	return base64.RawURLEncoding.EncodeToString(b)
}
