package plugin

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
)

// Secret holds a value that must never be printed: a client secret, a
// password, a refresh or access token. Its String, GoString, Format,
// MarshalJSON, MarshalText and LogValue methods all redact, so passing a
// Secret to a logger or fmt by accident shows "[redacted]". Call Reveal to
// get the value where it is really needed (a form field, a header).
//
// The zero value is the empty secret.
type Secret struct{ v string }

// NewSecret wraps s.
func NewSecret(s string) Secret { return Secret{v: s} }

// Reveal returns the secret value.
func (s Secret) Reveal() string { return s.v }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.v == "" }

// Fingerprint returns the first 6 hex characters of the value's SHA-256, a
// safe way to tell tokens apart in logs. It returns "" for an empty secret.
func (s Secret) Fingerprint() string {
	if s.v == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(s.v))
	return hex.EncodeToString(sum[:3])
}

const redacted = "[redacted]"

// String implements fmt.Stringer and redacts.
func (s Secret) String() string { return redacted }

// GoString implements fmt.GoStringer and redacts.
func (s Secret) GoString() string { return redacted }

// Format implements fmt.Formatter and redacts for every verb.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// MarshalJSON implements json.Marshaler and redacts.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText implements encoding.TextMarshaler and redacts.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// LogValue implements slog.LogValuer and redacts.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }
