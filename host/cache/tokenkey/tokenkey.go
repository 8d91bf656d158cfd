// Package tokenkey derives the cache keys of a profile's tokens, next to
// the cache (package cache) that stores them under those keys. The lean
// front executable and the engine both use it, so it must stay free of
// gRPC and go-plugin imports: a cache hit must not pay for their package
// initialisation.
package tokenkey

import (
	"encoding/json"
	"strings"

	"github.com/keyfob/keyfob/host/cache"
)

// Request is what identifies a token request: the profile's wire-form
// values (references unresolved) and the caller's overrides.
type Request struct {
	// Values are the profile's keys in wire form.
	Values map[string]string
	// Scopes given on the command line; empty means the profile's.
	Scopes []string
	// Claims is a claims-request JSON.
	Claims string
	// Account is the account a sign-in bound the profile to (keyfob
	// login), used when the profile names none (username, login_hint);
	// "" when unbound.
	Account string
	// Credential is the keyed fingerprint of the credential the profile
	// presents, and UserCredential that of the user's own credential (see
	// Keyed, which sets both); "" when there is none.
	Credential     string
	UserCredential string
}

// notIdentity lists keys that do not change which token is issued: they
// are for the host, or they are secrets (never part of a key).
var notIdentity = map[string]bool{
	"hosts": true, "git_username": true, "docker_username": true, "timeout": true,
	"plugin_sha256": true, "ca_file": true, "domain_hint": true, "prompt": true,
	"no_browser": true, "revocation_url": true,
	// These are in KeyParts' own fields.
	"plugin": true, "provider": true, "authority": true, "token_url": true, "issuer": true,
	"tenant_id": true, "client_id": true, "username": true, "login_hint": true, "scopes": true,
}

// Access returns the key of the request's access token. Every non-secret
// key that may change the token is part of it; secret-valued keys
// (isSecret tells them apart) enter only through r.Credential, a keyed
// fingerprint (see Keyed).
func Access(r Request, isSecret func(string) bool) string {
	v := r.Values
	parts := cache.KeyParts{
		Plugin: v["plugin"], Provider: v["provider"], Authority: v["authority"],
		TokenURL: firstOf(v["token_url"], v["issuer"]), Tenant: v["tenant_id"], ClientID: v["client_id"],
		User: r.account(), Scopes: Scopes(r), Claims: r.Claims, Extra: map[string]string{},
		Credential: r.Credential,
	}
	for k, val := range v {
		if isSecret(k) || notIdentity[k] || val == "" {
			continue
		}
		parts.Extra[k] = val
	}
	return cache.AccessKey(parts)
}

// State returns the key of the refresh state: one per issuer, client,
// account and user credential (r.UserCredential), so one sign-in serves
// every resource the server allows, and a stored refresh token is
// redeemed only for the user who earned it.
func State(r Request) string {
	v := r.Values
	return cache.StateKey(cache.StateKeyParts{
		Plugin: v["plugin"], Authority: v["authority"], TokenURL: firstOf(v["token_url"], v["issuer"]),
		Tenant: v["tenant_id"], ClientID: v["client_id"], Account: r.account(),
		UserCredential: r.UserCredential,
	})
}

// Scopes returns the effective scopes: the command line's, else the
// profile's list.
func Scopes(r Request) []string {
	if len(r.Scopes) > 0 {
		return r.Scopes
	}
	raw := strings.TrimSpace(r.Values["scopes"])
	if raw == "" {
		return nil
	}
	var list []string
	if json.Unmarshal([]byte(raw), &list) == nil {
		return list
	}
	return strings.Fields(raw)
}

// account is the user a profile signs in as: the one it names, else the
// one it is bound to.
func (r Request) account() string {
	return firstOf(r.Values["username"], r.Values["login_hint"], r.Account)
}

func firstOf(vals ...string) string {
	for _, s := range vals {
		if s != "" {
			return s
		}
	}
	return ""
}
