package servers

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
)

// TokenCheck decides whether a bearer token opens a protected test server
// (e.g. Zitadel.VerifyAccessToken); nil error means it does.
type TokenCheck func(ctx context.Context, token string) error

// tokenGate guards the protected servers below: it takes the token from
// an Authorization header (Bearer, or Basic with the token as the
// password, the form older gits send), checks it, and counts.
type tokenGate struct {
	check    TokenCheck
	accepted atomic.Int64
	rejected atomic.Int64
	mu       sync.Mutex
	users    []string // Basic user names seen with accepted tokens
}

// allow reports whether r carries a valid token.
func (g *tokenGate) allow(r *http.Request) bool {
	token, user := "", ""
	if u, p, ok := r.BasicAuth(); ok {
		token, user = p, u
	} else if b, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		token = b
	}
	if token == "" {
		return false // no credential yet (git may send a user name alone first)
	}
	if g.check(r.Context(), token) != nil {
		g.rejected.Add(1)
		return false
	}
	g.accepted.Add(1)
	if user != "" {
		g.mu.Lock()
		g.users = append(g.users, user)
		g.mu.Unlock()
	}
	return true
}

// Accepted returns how many requests carried a valid token.
func (g *tokenGate) Accepted() int64 { return g.accepted.Load() }

// Rejected returns how many requests carried a token that is not valid.
func (g *tokenGate) Rejected() int64 { return g.rejected.Load() }

// Users returns the Basic user names sent with accepted tokens.
func (g *tokenGate) Users() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.users...)
}
