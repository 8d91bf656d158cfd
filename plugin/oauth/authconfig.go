package oauth

import (
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/assertion"
)

// Configuration keys read by AuthFromConfig.
const (
	// KeyClientAuth names the client authentication method.
	KeyClientAuth = "client_auth"
	// KeyClientSecret holds the client secret, a literal or an "env:" /
	// "file:" reference.
	KeyClientSecret = "client_secret"
	// KeyClientCertificate is the PEM or PFX file of private_key_jwt; the
	// other keys of a certificate are read by assertion.FromConfig.
	KeyClientCertificate = assertion.KeyCertificate
	// KeyAssertionAudience chooses the assertion's aud (see Audience).
	KeyAssertionAudience = "client_assertion_audience"
	// KeyAssertionFile is a file holding a ready-made (federated) client
	// assertion, read again for every request.
	KeyAssertionFile = "client_assertion_file"
)

// authMethods maps each client_auth value to its constructor. Adding a
// method is one entry here.
var authMethods = map[string]func(plugin.Config) (ClientAuth, error){
	"none":                noneFromConfig,
	"client_secret_basic": secretFromConfig(func(s plugin.Secret) ClientAuth { return SecretBasic{Secret: s} }),
	"client_secret_post":  secretFromConfig(func(s plugin.Secret) ClientAuth { return SecretPost{Secret: s} }),
	"private_key_jwt":     jwtFromConfig,
}

// AuthFromConfig returns the client authentication a profile asks for. The
// key client_auth is one of none, client_secret_basic, client_secret_post
// and private_key_jwt; when it is empty the method follows from the keys
// present: private_key_jwt with client_certificate (or
// client_assertion_file), else client_secret_basic with client_secret,
// else none. The method is never detected by trying several.
//
// For private_key_jwt with a certificate, the file is loaded and checked
// here — key and certificate belong together, the certificate is valid
// now — so a mistake is reported before any request. Errors wrap
// plugin.ErrConfig.
func AuthFromConfig(cfg plugin.Config) (ClientAuth, error) {
	method := cfg.String(KeyClientAuth)
	if method == "" {
		method = defaultMethod(cfg)
	}
	build, ok := authMethods[method]
	if !ok {
		return nil, plugin.Configf("key %s: unknown method %q (want none, client_secret_basic, client_secret_post or private_key_jwt)", KeyClientAuth, method)
	}
	return build(cfg)
}

// defaultMethod picks the method for a profile without client_auth.
func defaultMethod(cfg plugin.Config) string {
	switch {
	case cfg.Has(KeyClientCertificate), cfg.Has(KeyAssertionFile):
		return "private_key_jwt"
	case cfg.Has(KeyClientSecret):
		return "client_secret_basic"
	}
	return "none"
}

// noneFromConfig refuses a secret that would never be sent: a public
// client that sends one is rejected by Entra (AADSTS700025) anyway.
func noneFromConfig(cfg plugin.Config) (ClientAuth, error) {
	for _, k := range []string{KeyClientSecret, KeyClientCertificate, KeyAssertionFile} {
		if cfg.Has(k) {
			return nil, plugin.Configf("key %s is set but %s is none", k, KeyClientAuth)
		}
	}
	return None{}, nil
}

// secretFromConfig builds a constructor for a method that needs the client
// secret.
func secretFromConfig(wrap func(plugin.Secret) ClientAuth) func(plugin.Config) (ClientAuth, error) {
	return func(cfg plugin.Config) (ClientAuth, error) {
		if err := cfg.Require(KeyClientSecret); err != nil {
			return nil, err
		}
		s, err := cfg.Secret(KeyClientSecret)
		if err != nil {
			return nil, err
		}
		return wrap(s), nil
	}
}

// jwtFromConfig builds private_key_jwt: an assertion signed with the
// client certificate, or a ready-made one read from client_assertion_file.
func jwtFromConfig(cfg plugin.Config) (ClientAuth, error) {
	switch {
	case cfg.Has(KeyClientCertificate) && cfg.Has(KeyAssertionFile):
		return nil, plugin.Configf("keys %s and %s are both set; keep one", KeyClientCertificate, KeyAssertionFile)
	case cfg.Has(KeyAssertionFile):
		return FileAssertion(plugin.ExpandHome(cfg.String(KeyAssertionFile))), nil
	case !cfg.Has(KeyClientCertificate):
		return nil, plugin.Configf("client_auth private_key_jwt needs key %s (or %s)", KeyClientCertificate, KeyAssertionFile)
	}
	aud, err := ParseAudience(cfg.String(KeyAssertionAudience))
	if err != nil {
		return nil, err
	}
	signer, err := assertion.FromConfig(cfg, nil)
	if err != nil {
		return nil, err
	}
	return PrivateKeyJWT{Signer: signer, Audience: aud}, nil
}
