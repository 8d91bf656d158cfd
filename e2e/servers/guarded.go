package servers

import (
	"context"
	"net/http"
	"strings"
	"sync"
)

// VerifyFunc checks a bearer token a resource server received, e.g. with
// [Zitadel.VerifyAccessToken]; a nil error accepts it.
type VerifyFunc func(ctx context.Context, token string) error

// GuardedRequest is one request a token-guarded test server received.
type GuardedRequest struct {
	// Path is the request's URL path.
	Path string
	// Authorized reports that it carried a bearer token verify accepted.
	Authorized bool
}

// guard answers 401 with challenge to requests without an accepted bearer
// token, and records every request.
type guard struct {
	verify    VerifyFunc
	challenge string

	mu   sync.Mutex
	reqs []GuardedRequest
}

func (g *guard) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		ok = ok && token != "" && g.verify(r.Context(), token) == nil
		g.mu.Lock()
		g.reqs = append(g.reqs, GuardedRequest{Path: r.URL.Path, Authorized: ok})
		g.mu.Unlock()
		if !ok {
			w.Header().Set("WWW-Authenticate", g.challenge)
			http.Error(w, "a bearer token is required", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (g *guard) requests() []GuardedRequest {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]GuardedRequest(nil), g.reqs...)
}
