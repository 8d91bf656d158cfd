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
// The value sits behind a pointer: fmt cannot call Format on a Secret held
// in an unexported struct field and prints such a field by reflection, which
// then shows only an address. Compare secrets with Reveal, not ==.
//
// The zero value is the empty secret.
type Secret struct{ p *string }

// NewSecret wraps s.
func NewSecret(s string) Secret {
	if s == "" {
		return Secret{}
	}
	return Secret{p: &s}
}

// Reveal returns the secret value.
func (s Secret) Reveal() string {
	if s.p == nil {
		return ""
	}
	return *s.p
}

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.Reveal() == "" }

// Fingerprint returns the first 6 hex characters of the value's SHA-256, a
// safe way to tell tokens apart in logs. It returns "" for an empty secret.
func (s Secret) Fingerprint() string {
	v := s.Reveal()
	if v == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(v))
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
