package assertion

import (
	"crypto/rand"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/keyfob/keyfob/plugin"
)

// DefaultLifetime is how long an assertion is valid. Entra's documentation
// asks for 5 to 10 minutes at most; a short one limits what a captured
// assertion is worth (each is single-use anyway).
const DefaultLifetime = 5 * time.Minute

// MaxLifetime is the longest lifetime Options accepts.
const MaxLifetime = 10 * time.Minute

// Options tune a Signer. The zero value picks the defaults.
type Options struct {
	// Alg is the JWS algorithm: RS256, PS256, ES256, ES384 or ES512. ""
	// means RS256 for an RSA key and the curve's ES alg for an EC key.
	Alg string
	// Header names the certificate; "" means x5t#S256, plus x5t with
	// RS256.
	Header HeaderMode
	// KID, when set, is sent as the kid header.
	KID string
	// X5C sends the certificate chain in the x5c header, for Entra's
	// subject-name/issuer authentication.
	X5C bool
	// Lifetime is exp − iat; 0 means DefaultLifetime.
	Lifetime time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Signer mints client assertions for one credential. It is safe for
// concurrent use.
type Signer struct {
	cred     *Credential
	method   jwt.SigningMethod
	header   map[string]any
	lifetime time.Duration
	now      func() time.Time
}

// NewSigner checks that opts suit cred's key and returns a Signer. It does
// not check the certificate's validity period (see FromConfig).
func NewSigner(cred *Credential, opts Options) (*Signer, error) {
	method, err := signingMethod(cred.Key, opts.Alg, KeyAlg)
	if err != nil {
		return nil, err
	}
	header, err := headerFields(cred, method.Alg(), opts)
	if err != nil {
		return nil, err
	}
	lifetime := opts.Lifetime
	if lifetime == 0 {
		lifetime = DefaultLifetime
	}
	if lifetime < 0 || lifetime > MaxLifetime {
		return nil, fmt.Errorf("assertion lifetime %v out of range (0, %v]", lifetime, MaxLifetime)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Signer{cred: cred, method: method, header: header, lifetime: lifetime, now: now}, nil
}

// Alg is the JWS algorithm the Signer uses.
func (s *Signer) Alg() string { return s.method.Alg() }

// Credential is the certificate and key the Signer uses.
func (s *Signer) Credential() *Credential { return s.cred }

// Sign mints a new assertion: iss = sub = clientID, aud = audience (a
// string for one value, an array for more), a random jti, iat = nbf = now
// and exp = now + the lifetime. Every call returns a different assertion;
// never send one twice. An expired certificate is a configuration error.
func (s *Signer) Sign(clientID string, audience ...string) (plugin.Secret, error) {
	if clientID == "" || len(audience) == 0 {
		return plugin.Secret{}, errors.New("assertion: a client id and an audience are required")
	}
	now := s.now()
	if err := s.cred.CheckValidity(now); err != nil {
		return plugin.Secret{}, plugin.Configf("key %s: %s: %v", KeyCertificate, s.cred.describe(), err)
	}
	jti, err := newJTI()
	if err != nil {
		return plugin.Secret{}, err
	}
	claims := jwt.MapClaims{
		"iss": clientID, "sub": clientID, "aud": audienceClaim(audience), "jti": jti,
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(s.lifetime).Unix(),
	}
	t := jwt.NewWithClaims(s.method, claims)
	maps.Copy(t.Header, s.header)
	signed, err := t.SignedString(s.cred.Key)
	if err != nil {
		return plugin.Secret{}, fmt.Errorf("signing the client assertion: %w", err)
	}
	return plugin.NewSecret(signed), nil
}

// audienceClaim is a single audience as a string (what Entra and MSAL
// send) and several as an array.
func audienceClaim(aud []string) any {
	if len(aud) == 1 {
		return aud[0]
	}
	return aud
}

// newJTI returns a random (version 4) UUID.
func newJTI() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("client assertion jti: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), nil
}
