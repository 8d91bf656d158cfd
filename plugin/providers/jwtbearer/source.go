package jwtbearer

import (
	"context"
	"crypto"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/assertion"
	"github.com/keyfob/keyfob/plugin/grant"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// source is where a request's assertion comes from: ready (a JWT from the
// profile) or signer (a key that signs one per attempt).
type source struct {
	ready    plugin.Secret
	signer   *assertion.GrantSigner
	issuer   string
	subject  string
	audience string
}

// newSource reads and checks the assertion settings, loading the key.
func newSource(cfg plugin.Config, now func() time.Time) (*source, error) {
	switch {
	case cfg.Has(KeyAssertion) && cfg.Has(KeyKey):
		return nil, plugin.Configf("keys %s and %s are both set; keep one", KeyAssertion, KeyKey)
	case cfg.Has(KeyAssertion):
		a, err := cfg.Secret(KeyAssertion)
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(a.Reveal()) == "" {
			return nil, plugin.Configf("key %s is empty", KeyAssertion)
		}
		return &source{ready: a}, nil
	case !cfg.Has(KeyKey):
		return nil, plugin.Configf("jwt_bearer needs key %s (a ready JWT) or %s (a private key to sign one)", KeyAssertion, KeyKey)
	}
	return signedSource(cfg, now)
}

// signedSource builds the signer and the claims of signed assertions.
func signedSource(cfg plugin.Config, now func() time.Time) (*source, error) {
	issuer := cfg.String(KeyIssuer)
	if issuer == "" {
		issuer = cfg.String("client_id")
	}
	if issuer == "" {
		return nil, plugin.Configf("key %s is required to sign an assertion (it defaults to client_id, which is not set either)", KeyIssuer)
	}
	key, err := loadKey(cfg)
	if err != nil {
		return nil, err
	}
	alg := strings.ToUpper(strings.TrimSpace(cfg.String(KeyAlg)))
	signer, err := assertion.NewGrantSigner(key, assertion.GrantOptions{Alg: alg, KID: cfg.String(KeyKID), Now: now})
	if err != nil {
		// Only the algorithm can be wrong: the key itself was accepted.
		return nil, plugin.Configf("key %s: %v", KeyAlg, err)
	}
	return &source{signer: signer, issuer: issuer, subject: cfg.String(KeySubject), audience: cfg.String(KeyAudience)}, nil
}

// loadKey reads assertion_key: PEM text (the host resolved an env: or
// file: reference), a reference to resolve here, or a file path.
func loadKey(cfg plugin.Config) (crypto.Signer, error) {
	v := strings.TrimSpace(cfg.String(KeyKey))
	if plugin.IsReference(v) {
		s, err := cfg.Secret(KeyKey)
		if err != nil {
			return nil, err
		}
		v = s.Reveal()
	}
	if !strings.Contains(v, "-----BEGIN ") {
		return loadKeyFile(plugin.ExpandHome(v))
	}
	key, err := assertion.ParseKey([]byte(v))
	if err != nil {
		return nil, plugin.Configf("key %s: %v", KeyKey, err)
	}
	return key, nil
}

// loadKeyFile loads the key file at path. The value is quoted in errors
// only once it is known to name a file: a resolved reference that holds
// neither PEM text nor a path might be key material.
func loadKeyFile(path string) (crypto.Signer, error) {
	if _, err := os.Stat(path); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, plugin.Configf("key %s: the value is neither PEM text nor the path of a readable file (%v)", KeyKey, err)
	}
	return assertion.LoadKey(KeyKey, path)
}

// attach puts the assertion into the grant: a ready one into form, a
// signer in front of the client authentication, so that every attempt —
// retries included — carries a new assertion with a fresh jti.
func (src *source) attach(s *grant.Setup, form url.Values) {
	if src.signer == nil {
		form.Set("assertion", strings.TrimSpace(src.ready.Reveal()))
		return
	}
	s.Client.Auth = perAttempt{src: src, next: s.Client.Auth}
}

// account names the principal of signed assertions, for the cache
// listing; "" for a ready assertion.
func (src *source) account() string {
	if src.signer == nil {
		return ""
	}
	if src.subject != "" {
		return src.subject
	}
	return src.issuer
}

// sign mints the assertion of one attempt to tokenURL.
func (src *source) sign(tokenURL, issuer string) (plugin.Secret, error) {
	aud, err := audience(src.audience, tokenURL, issuer)
	if err != nil {
		return plugin.Secret{}, err
	}
	return src.signer.Sign(assertion.GrantClaims{Issuer: src.issuer, Subject: src.subject, Audience: aud})
}

// audience returns the aud values for assertion_audience: "" is the
// authorization server's issuer when known, else the token endpoint;
// token_endpoint, issuer and both name them; anything else is the value
// itself.
func audience(setting, tokenURL, issuer string) ([]string, error) {
	switch strings.ToLower(strings.TrimSpace(setting)) {
	case "":
		if issuer != "" {
			return []string{issuer}, nil
		}
		return []string{tokenURL}, nil
	case "token_endpoint":
		return []string{tokenURL}, nil
	case "issuer", "both":
		if issuer == "" {
			return nil, plugin.Configf("key %s is %s, but the issuer is unknown (set issuer or authority instead of token_url)", KeyAudience, setting)
		}
		if strings.EqualFold(strings.TrimSpace(setting), "both") {
			return []string{tokenURL, issuer}, nil
		}
		return []string{issuer}, nil
	}
	return []string{strings.TrimSpace(setting)}, nil
}

// perAttempt is a client authentication that first sets a newly signed
// assertion in the attempt's form, then applies the client's own
// authentication (next; nil is none). oauth.Client calls Apply once per
// attempt, so no assertion — and no jti — is ever sent twice.
type perAttempt struct {
	src  *source
	next oauth.ClientAuth
}

// Apply implements oauth.ClientAuth.
func (a perAttempt) Apply(ctx context.Context, req *oauth.AuthRequest) error {
	s, err := a.src.sign(req.TokenURL, req.Issuer)
	if err != nil {
		return err
	}
	req.Form.Set("assertion", s.Reveal())
	if a.next == nil {
		return nil
	}
	return a.next.Apply(ctx, req)
}
