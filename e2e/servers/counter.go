package servers

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
)

// maxCountedBody bounds how much of a token request body the counter reads
// to find its grant_type; token requests are far smaller.
const maxCountedBody = 1 << 20

// tokenCounter counts POST requests to one token endpoint, in total and by
// grant_type. It is safe for concurrent use.
type tokenCounter struct {
	path   string
	total  atomic.Int64
	mu     sync.Mutex
	grants map[string]int64
}

func newTokenCounter(path string) *tokenCounter {
	return &tokenCounter{path: path, grants: map[string]int64{}}
}

// wrap returns next with counting in front of it. The request body is read
// and put back unchanged, so the server sees exactly what the client sent.
func (c *tokenCounter) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == c.path {
			c.count(r)
		}
		next.ServeHTTP(w, r)
	})
}

func (c *tokenCounter) count(r *http.Request) {
	c.total.Add(1)
	body, err := io.ReadAll(io.LimitReader(r.Body, maxCountedBody))
	r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
	grant := ""
	if err == nil {
		if form, perr := url.ParseQuery(string(body)); perr == nil {
			grant = form.Get("grant_type")
		}
	}
	c.mu.Lock()
	c.grants[grant]++
	c.mu.Unlock()
}

func (c *tokenCounter) totalRequests() int64 { return c.total.Load() }

func (c *tokenCounter) grantRequests(grantType string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.grants[grantType]
}
