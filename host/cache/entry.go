package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/keyfob/keyfob/plugin/bearer"
)

// Entry is a cached access token with what is needed to decide whether to
// serve it. It holds secrets (AccessToken, IDToken): its String and
// GoString methods redact them, but never write its fields to a log.
type Entry struct {
	// AccessToken is the token; an entry without one is never stored.
	AccessToken string `json:"access_token"`
	// TokenType is the server's token_type, e.g. "Bearer".
	TokenType string `json:"token_type,omitempty"`
	// ExpiresAt is the absolute expiry E. A zero ExpiresAt means the server
	// gave none; such a token is not cacheable (Put refuses it).
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// IssuedAt is when the token was obtained; with ExpiresAt it gives the
	// lifetime L. Zero means unknown.
	IssuedAt time.Time `json:"issued_at,omitzero"`
	// RefreshAt is a soft deadline for refreshing early (Entra refresh_in);
	// zero means none.
	RefreshAt time.Time `json:"refresh_at,omitzero"`
	// Scope is the granted scope string the server returned.
	Scope string `json:"scope,omitempty"`
	// IDToken is the OpenID Connect ID token, if any.
	IDToken string `json:"id_token,omitempty"`
	// Account names the signed-in account, if known.
	Account string `json:"account,omitempty"`
	// Profile is the profile that stored the entry.
	Profile string `json:"profile,omitempty"`
	// Scopes are the scopes that were asked for.
	Scopes []string `json:"scopes,omitempty"`
}

// String describes the entry without its secrets: profile, token
// fingerprint and expiry.
func (e Entry) String() string {
	return fmt.Sprintf("cache.Entry{profile %q, token sha256:%s, expires %s}",
		e.Profile, fingerprint(e.AccessToken), e.ExpiresAt.Format(time.RFC3339))
}

// GoString is String, so %#v redacts too.
func (e Entry) GoString() string { return e.String() }

// fingerprint is the first 6 hex characters of the SHA-256 of s.
func fingerprint(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:3])
}

// Get returns the entry stored under key, whether or not it is still
// valid (see Valid). Every problem is a miss; use GetChecked to learn of
// unsafe permissions.
func (c *Cache) Get(key string) (*Entry, bool) {
	e, ok, _ := c.GetChecked(key)
	return e, ok
}

// GetChecked is Get that also returns errors worth showing: a
// *PermissionError (matching ErrInsecure) for a file another user owns or
// could read, or an I/O error. A missing, empty, truncated or otherwise
// corrupt entry is a miss with a nil error, and so is one stored under
// another key (copied or renamed) or whose token or token type keyfob
// could not present (see usable); the next Put replaces it.
func (c *Cache) GetChecked(key string) (*Entry, bool, error) {
	b, err := readFile(c.path(prefixAccess, key, extAccess))
	if err != nil {
		return nil, false, missOrError(err)
	}
	var f accessFile
	if json.Unmarshal(b, &f) != nil || f.Key != key || !usable(&f.Entry) {
		return nil, false, nil
	}
	return &f.Entry, true, nil
}

// accessFile is an Entry as stored: bound to its key, so an entry copied
// to another key's file name is not served there.
type accessFile struct {
	Key string `json:"key"`
	Entry
}

// usable reports whether e holds a token keyfob can present as it is: a
// b64token (RFC 6750) of a type keyfob presents, and an ID token of the
// same syntax if any. A tampered entry could otherwise put a second
// header line or terminal escapes on a host tool's input.
func usable(e *Entry) bool {
	if bearer.CheckToken(e.AccessToken) != nil {
		return false
	}
	if _, err := bearer.CheckType(e.TokenType); err != nil && !otherTypes[e.TokenType] {
		return false
	}
	return e.IDToken == "" || bearer.CheckToken(e.IDToken) == nil
}

// otherTypes are the token types besides bearer that keyfob itself
// stores: docker's Azure Container Registry refresh token, handed to
// docker as an identity token and never presented as a header.
var otherTypes = map[string]bool{"acr_refresh_token": true}

// missOrError turns the errors that mean "no usable entry" into nil.
func missOrError(err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, errCorrupt) {
		return nil
	}
	return err
}

// Put stores e under key atomically (see the package doc), replacing any
// entry there, corrupt or not. It returns an error wrapping
// ErrNotCacheable for an entry without an access token or expiry, or one
// Get would not serve (see usable).
func (c *Cache) Put(key string, e *Entry) error {
	if e == nil || e.AccessToken == "" {
		return fmt.Errorf("put: no access token: %w", ErrNotCacheable)
	}
	if e.ExpiresAt.IsZero() {
		return fmt.Errorf("put: no expiry: %w", ErrNotCacheable)
	}
	if !usable(e) {
		return fmt.Errorf("put: not a bearer token: %w", ErrNotCacheable)
	}
	b, err := json.Marshal(accessFile{Key: key, Entry: *e})
	if err != nil {
		return fmt.Errorf("put: %w", err)
	}
	return c.writeFile(c.path(prefixAccess, key, extAccess), b)
}

// Delete removes the entry stored under key; a missing entry is not an
// error.
func (c *Cache) Delete(key string) error {
	return removeFile(c.path(prefixAccess, key, extAccess))
}
