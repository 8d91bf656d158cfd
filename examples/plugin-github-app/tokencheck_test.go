package main

import (
	"strings"
	"testing"

	"github.com/keyfob/keyfob/plugin"
)

// TestTokenWithCRLFIsRefused: an answer whose token would put a second
// header into `keyfob token -o header` is refused, naming the server.
func TestTokenWithCRLFIsRefused(t *testing.T) {
	t.Parallel()
	body := []byte(`{"token":"ghs_x\r\nX-Injected: evil","expires_at":"2030-01-01T00:00:00Z"}`)
	tok, err := (&exchange{}).token("api.github.test", body)
	if tok != nil || plugin.KindOf(err) != plugin.KindUnavailable || !strings.HasPrefix(err.Error(), "api.github.test: the token has characters") {
		t.Fatalf("token() = %v, %v; want an unavailable error naming the server", tok, err)
	}
}
