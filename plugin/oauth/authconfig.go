package oauth

import (
	"github.com/keyfob/keyfob/plugin"
)

// Configuration keys read by AuthFromConfig.
const (
	// KeyClientAuth names the client authentication method.
	KeyClientAuth = "client_auth"
	// KeyClientSecret holds the client secret, a literal or an "env:" /
	// "file:" reference.
	KeyClientSecret = "client_secret"
)

// authMethods maps each client_auth value to its constructor. Adding a
// method is one entry here.
var authMethods = map[string]func(plugin.Config) (ClientAuth, error){
	"none":                noneFromConfig,
	"client_secret_basic": secretFromConfig(func(s plugin.Secret) ClientAuth { return SecretBasic{Secret: s} }),
	"client_secret_post":  secretFromConfig(func(s plugin.Secret) ClientAuth { return SecretPost{Secret: s} }),
	"private_key_jwt":     notYet("private_key_jwt"),
}

// AuthFromConfig returns the client authentication a profile asks for. The
// key client_auth is one of none, client_secret_basic and
// client_secret_post; when it is empty the method is client_secret_basic if
// client_secret is set and none otherwise. The method is never detected by
// trying several. Errors wrap plugin.ErrConfig.
func AuthFromConfig(cfg plugin.Config) (ClientAuth, error) {
	method := cfg.String(KeyClientAuth)
	if method == "" {
		method = defaultMethod(cfg)
	}
	build, ok := authMethods[method]
	if !ok {
		return nil, plugin.Configf("key %s: unknown method %q (want none, client_secret_basic or client_secret_post)", KeyClientAuth, method)
	}
	return build(cfg)
}

// defaultMethod picks the method for a profile without client_auth.
func defaultMethod(cfg plugin.Config) string {
	if cfg.Has(KeyClientSecret) {
		return "client_secret_basic"
	}
	return "none"
}

// noneFromConfig refuses a secret that would never be sent: a public
// client that sends one is rejected by Entra (AADSTS700025) anyway.
func noneFromConfig(cfg plugin.Config) (ClientAuth, error) {
	if cfg.Has(KeyClientSecret) {
		return nil, plugin.Configf("key %s is set but %s is none", KeyClientSecret, KeyClientAuth)
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

// notYet is the constructor of a method keyfob knows but does not
// implement yet.
func notYet(method string) func(plugin.Config) (ClientAuth, error) {
	return func(plugin.Config) (ClientAuth, error) {
		return nil, plugin.Configf("key %s: %s is not available yet", KeyClientAuth, method)
	}
}
