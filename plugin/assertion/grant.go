package assertion

import (
	"crypto"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/keyfob/keyfob/plugin"
)

// ParseKey reads the one private key of PEM text: PKCS#8 ("PRIVATE
// KEY"), PKCS#1 ("RSA PRIVATE KEY") or SEC 1 ("EC PRIVATE KEY"), RSA or
// EC on P-256, P-384 or P-521. Certificates and other blocks beside it
// are ignored, so a client certificate's PEM file works too. Encrypted
// keys are refused. Its errors are plain one-line descriptions that never
// quote the key.
func ParseKey(data []byte) (crypto.Signer, error) {
	var key any
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if !strings.HasSuffix(block.Type, "PRIVATE KEY") {
			continue
		}
		if key != nil {
			return nil, errors.New("more than one private key in the PEM text")
		}
		k, err := parsePEMKey(block)
		if err != nil {
			return nil, err
		}
		key = k
	}
	if key == nil {
		return nil, errors.New("no PEM private key (want PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)")
	}
	return checkKey(key)
}

// LoadKey reads a PEM private key file (see ParseKey) of at most 1 MiB.
// Errors wrap plugin.ErrConfig and name key, the configuration key that
// gave path, and the file.
func LoadKey(key, path string) (crypto.Signer, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, plugin.Configf("key %s: %v", key, err)
	}
	k, err := ParseKey(data)
	if err != nil {
		return nil, plugin.Configf("key %s: %s: %v", key, path, err)
	}
	return k, nil
}

// GrantOptions tune a GrantSigner. The zero value picks the defaults.
type GrantOptions struct {
	// Alg is the JWS algorithm: RS256, PS256, ES256, ES384 or ES512. ""
	// means RS256 for an RSA key and the curve's ES alg for an EC key.
	Alg string
	// KID, when set, is sent as the kid header: the id under which the
	// server knows the public key (zitadel's key id, a JWKS kid).
	KID string
	// Lifetime is exp − iat; 0 means DefaultLifetime. At most MaxLifetime.
	Lifetime time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// GrantClaims name the parties of a JWT authorization grant (RFC 7523
// §3): who issued it, whom it is about, and the authorization server it
// is meant for.
type GrantClaims struct {
	// Issuer is iss; required.
	Issuer string
	// Subject is sub; "" means the Issuer (a self-issued grant, as a
	// service account's).
	Subject string
	// Audience is aud, one value or more; required.
	Audience []string
}

// GrantSigner signs JWT authorization grants — the assertion of the
// jwt-bearer grant type (RFC 7523 §2.1) — with a bare private key, no
// certificate needed. It is safe for concurrent use.
type GrantSigner struct {
	key      crypto.Signer
	method   jwt.SigningMethod
	kid      string
	lifetime time.Duration
	now      func() time.Time
}

// NewGrantSigner checks that opts suit key and returns a GrantSigner.
func NewGrantSigner(key crypto.Signer, opts GrantOptions) (*GrantSigner, error) {
	method, err := signingMethod(key, opts.Alg, "alg")
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
	return &GrantSigner{key: key, method: method, kid: opts.KID, lifetime: lifetime, now: now}, nil
}

// Alg is the JWS algorithm the GrantSigner uses.
func (s *GrantSigner) Alg() string { return s.method.Alg() }

// Sign mints a new grant: iss, sub and aud from c (aud a string for one
// value, an array for more), a random jti, iat = nbf = now and exp = now +
// the lifetime. Every call returns a different assertion; servers accept
// each jti once, so never send one twice.
func (s *GrantSigner) Sign(c GrantClaims) (plugin.Secret, error) {
	if c.Issuer == "" || len(c.Audience) == 0 {
		return plugin.Secret{}, errors.New("assertion: an issuer and an audience are required")
	}
	if c.Subject == "" {
		c.Subject = c.Issuer
	}
	jti, err := newJTI()
	if err != nil {
		return plugin.Secret{}, err
	}
	now := s.now()
	claims := jwt.MapClaims{
		"iss": c.Issuer, "sub": c.Subject, "aud": audienceClaim(c.Audience), "jti": jti,
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(s.lifetime).Unix(),
	}
	t := jwt.NewWithClaims(s.method, claims)
	if s.kid != "" {
		t.Header["kid"] = s.kid
	}
	signed, err := t.SignedString(s.key)
	if err != nil {
		return plugin.Secret{}, fmt.Errorf("signing the assertion: %w", err)
	}
	return plugin.NewSecret(signed), nil
}
