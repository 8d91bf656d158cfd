// Package errdefs holds keyfob's error sentinels and the few helpers that
// both the plugin SDK and the host side need, down to the lean front
// executable. It imports only the standard library, so packages on the
// cache-hit path can use it without linking gRPC; package plugin
// re-exports the sentinels and helpers plugin authors need, and they
// should use those names.
package errdefs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The outcomes callers branch on; see plugin.ErrConfig and friends.
var (
	ErrConfig              = errors.New("configuration error")
	ErrRefused             = errors.New("authorization server refused the request")
	ErrInteractionRequired = errors.New("interaction required")
	ErrUnavailable         = errors.New("authorization server unavailable")
)

// Configf returns an error wrapping ErrConfig with a formatted message.
func Configf(format string, args ...any) error {
	return &kindError{kind: ErrConfig, msg: fmt.Sprintf(format, args...)}
}

// kindError is a message that wraps a sentinel without repeating its text.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// IsReference reports whether v is an "env:" or "file:" reference.
func IsReference(v string) bool {
	return strings.HasPrefix(v, "env:") || strings.HasPrefix(v, "file:")
}

// ExpandHome replaces a leading "~/" with the user's home directory.
func ExpandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[1:])
		}
	}
	return p
}
