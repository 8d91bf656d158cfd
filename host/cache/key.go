package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
)

// Key prefixes: a version and a kind, so access and state keys never meet
// and a future key format does not read old entries.
const (
	accessKeyPrefix = "keyfob.access.v1:"
	stateKeyPrefix  = "keyfob.state.v1:"
)

// KeyParts identify an access token: everything that changes which token
// the authorization server would issue. AccessKey turns them into a
// canonical key.
//
// KeyParts must never hold a secret value (a client secret, password,
// assertion, refresh token or a secret reference's resolved value), nor
// an unsalted hash of one: keys are stored in cleartext inside entries.
// The credential enters as Credential, a keyed Fingerprint.
type KeyParts struct {
	// Plugin names the plugin executable ("" for the built-in one).
	Plugin string `json:"plugin,omitempty"`
	// Provider is the grant provider, e.g. "device_code".
	Provider string `json:"provider,omitempty"`
	// Authority, TokenURL and Tenant name the issuer.
	Authority string `json:"authority,omitempty"`
	TokenURL  string `json:"token_url,omitempty"`
	Tenant    string `json:"tenant,omitempty"`
	// ClientID is the OAuth client.
	ClientID string `json:"client_id,omitempty"`
	// User is the user or account the token is for, when known.
	User string `json:"user,omitempty"`
	// Scopes are the scopes asked for, in any order.
	Scopes []string `json:"scopes,omitempty"`
	// Claims is a claims challenge's JSON, if one was sent.
	Claims string `json:"claims,omitempty"`
	// Extra holds other non-secret values that change the token, e.g.
	// "resource".
	Extra map[string]string `json:"extra,omitempty"`
	// Credential is the Fingerprint of the credential presented (secret
	// values, certificate and key), so a token is served only to the
	// credentials that earned it; "" when none is presented.
	Credential string `json:"credential,omitempty"`
}

// AccessKey returns the canonical cache key for an access token: scopes
// sorted with duplicates and empty ones dropped, trailing slashes trimmed
// from Authority and TokenURL, Extra in key order. Equal parts give equal
// keys; the order in which scopes were asked for does not matter.
func AccessKey(parts KeyParts) string {
	parts.Authority = strings.TrimRight(parts.Authority, "/")
	parts.TokenURL = strings.TrimRight(parts.TokenURL, "/")
	parts.Scopes = normalizeScopes(parts.Scopes)
	if len(parts.Extra) == 0 {
		parts.Extra = nil
	}
	return accessKeyPrefix + mustJSON(parts)
}

// StateKeyParts identify a plugin's stored state (refresh tokens among
// it): who issued it to which client for which account. Like KeyParts they
// must never hold a secret value.
type StateKeyParts struct {
	Plugin string `json:"plugin,omitempty"`
	// Authority, or TokenURL when there is no authority, names the issuer.
	Authority string `json:"authority,omitempty"`
	TokenURL  string `json:"token_url,omitempty"`
	Tenant    string `json:"tenant,omitempty"`
	ClientID  string `json:"client_id,omitempty"`
	// Account is the signed-in account when known; Profile separates
	// profiles whose account is not known.
	Account string `json:"account,omitempty"`
	Profile string `json:"profile,omitempty"`
	// UserCredential is the Fingerprint of the user's own credential (a
	// password, a configured refresh token), so a stored refresh token
	// is redeemed only for the user who earned it; "" when there is none.
	// Client credentials stay out: the server checks them on every
	// refresh.
	UserCredential string `json:"user_credential,omitempty"`
}

// StateKey returns the canonical key for plugin state. The issuer is the
// Authority when set, else the TokenURL, trailing slashes trimmed.
func StateKey(parts StateKeyParts) string {
	parts.Authority = strings.TrimRight(parts.Authority, "/")
	parts.TokenURL = strings.TrimRight(parts.TokenURL, "/")
	if parts.Authority != "" {
		parts.TokenURL = ""
	}
	return stateKeyPrefix + mustJSON(parts)
}

// normalizeScopes returns the sorted, de-duplicated, non-empty scopes.
func normalizeScopes(scopes []string) []string {
	out := make([]string, 0, len(scopes))
	for _, s := range scopes {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) == 0 {
		return nil
	}
	return out
}

// mustJSON encodes v, which is always encodable here.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("cache: encode key: " + err.Error())
	}
	return string(b)
}

// parseAccessKey recovers the parts of an AccessKey, for List.
func parseAccessKey(key string) (KeyParts, bool) {
	var p KeyParts
	s, ok := strings.CutPrefix(key, accessKeyPrefix)
	return p, ok && json.Unmarshal([]byte(s), &p) == nil
}

// parseStateKey recovers the parts of a StateKey, for List and ClearProfile.
func parseStateKey(key string) (StateKeyParts, bool) {
	var p StateKeyParts
	s, ok := strings.CutPrefix(key, stateKeyPrefix)
	return p, ok && json.Unmarshal([]byte(s), &p) == nil
}

// keyHash is the hex SHA-256 of key: the only form of a key in file names.
func keyHash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}
