// Package bearer checks what a server returned before keyfob presents it
// as an RFC 6750 bearer token: the token must be a b64token and the
// token type one keyfob can present. A token with CR, LF, spaces or escape
// sequences would otherwise put a second header into `keyfob token -o
// header | curl -H @-` or control sequences on a terminal. The package
// imports only the standard library: the token client checks at receipt
// and the lean front checks again when it reads a cache entry.
package bearer

import (
	"errors"
	"fmt"
	"strings"
)

// Type is the one token type keyfob presents, in RFC 6750's spelling.
const Type = "Bearer"

// ErrToken reports an access token outside RFC 6750's b64token syntax.
var ErrToken = errors.New("the access token has characters a bearer token may not have")

// CheckToken returns ErrToken unless token is a non-empty b64token:
// 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
func CheckToken(token string) error {
	body := strings.TrimRight(token, "=")
	if body == "" {
		return ErrToken
	}
	for i := 0; i < len(body); i++ {
		if !tokenChar(body[i]) {
			return ErrToken
		}
	}
	return nil
}

// tokenChar reports whether c may appear in a b64token before its padding.
func tokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~+/", c) >= 0
}

// TypeError reports a token type keyfob cannot present.
type TypeError struct {
	// Type is the token_type as the server sent it.
	Type string
}

// Error names the type, clipped and with control characters escaped.
func (e *TypeError) Error() string {
	return fmt.Sprintf("token type %q is not supported: keyfob presents bearer tokens only", clip(e.Type))
}

// CheckType returns the canonical form of a server's token_type: "Bearer"
// for "bearer" in any case, and for an empty type (servers that omit it
// mean bearer). Any other type is a *TypeError, since keyfob cannot
// present it.
func CheckType(tokenType string) (string, error) {
	if tokenType == "" || strings.EqualFold(tokenType, Type) {
		return Type, nil
	}
	return "", &TypeError{Type: tokenType}
}

// clip bounds a server-chosen string quoted in an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
