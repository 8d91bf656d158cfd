package assertion

import (
	"crypto/rsa"
	"strconv"
	"strings"
	"time"

	"github.com/keyfob/keyfob/plugin"
)

// Configuration keys read by FromConfig.
const (
	// KeyCertificate is the PEM or PFX file (a leading "~/" is the home
	// directory).
	KeyCertificate = "client_certificate"
	// KeyPassword is the PFX password, a secret-valued key.
	KeyPassword = "client_certificate_password"
	// KeyAlg is the signing algorithm.
	KeyAlg = "client_assertion_alg"
	// KeyHeader is the HeaderMode.
	KeyHeader = "client_assertion_header"
	// KeyKID is an explicit kid header.
	KeyKID = "client_assertion_kid"
	// KeyX5C ("true" or "false") sends the chain in x5c.
	KeyX5C = "client_assertion_x5c"
	// keyAuthority marks an Entra profile, whose default alg is PS256.
	keyAuthority = "authority"
)

// FromConfig loads the profile's client certificate and returns a Signer
// for it, checking before any request that the key belongs to the
// certificate, that the options suit the key, and that the certificate is
// valid at now() (nil means time.Now). The default alg is PS256 for an RSA
// key when the profile has an authority (Entra), RS256 otherwise, and the
// curve's ES alg for an EC key. Errors wrap plugin.ErrConfig.
func FromConfig(cfg plugin.Config, now func() time.Time) (*Signer, error) {
	if now == nil {
		now = time.Now
	}
	if err := cfg.Require(KeyCertificate); err != nil {
		return nil, err
	}
	password, err := cfg.Secret(KeyPassword)
	if err != nil {
		return nil, err
	}
	cred, err := Load(plugin.ExpandHome(cfg.String(KeyCertificate)), password)
	if err != nil {
		return nil, err
	}
	if err := cred.CheckValidity(now()); err != nil {
		return nil, plugin.Configf("key %s: %s: %v", KeyCertificate, cred.Path, err)
	}
	opts, err := optionsFromConfig(cfg, cred)
	if err != nil {
		return nil, err
	}
	opts.Now = now
	s, err := NewSigner(cred, opts)
	if err != nil {
		return nil, plugin.Configf("key %s: %s: %v", KeyCertificate, cred.Path, err)
	}
	return s, nil
}

// optionsFromConfig reads the assertion options.
func optionsFromConfig(cfg plugin.Config, cred *Credential) (Options, error) {
	opts := Options{
		Alg:    strings.ToUpper(strings.TrimSpace(cfg.String(KeyAlg))),
		Header: headerMode(cfg.String(KeyHeader)),
		KID:    cfg.String(KeyKID),
	}
	if _, isRSA := cred.Key.(*rsa.PrivateKey); isRSA && opts.Alg == "" && cfg.Has(keyAuthority) {
		opts.Alg = "PS256"
	}
	if v := strings.TrimSpace(cfg.String(KeyX5C)); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return Options{}, plugin.Configf("key %s: %q is not true or false", KeyX5C, v)
		}
		opts.X5C = b
	}
	return opts, nil
}

// headerMode reads client_assertion_header case-insensitively.
func headerMode(v string) HeaderMode {
	v = strings.ToLower(strings.TrimSpace(v))
	if v == strings.ToLower(string(HeaderX5TS256)) {
		return HeaderX5TS256
	}
	return HeaderMode(v)
}
