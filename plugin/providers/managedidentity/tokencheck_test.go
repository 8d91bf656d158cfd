package managedidentity

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/plugin"
)

// TestUnusableTokensAreRefused: the managed-identity answer goes through
// the token client's parser, so a token that could inject a header, a
// type keyfob cannot present and an expired token are refused at once
// (no retries), exit 5, naming the endpoint.
func TestUnusableTokensAreRefused(t *testing.T) {
	t.Parallel()
	past := strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)
	future := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	tests := map[string]struct {
		body map[string]string
		want string
	}{
		"CRLF in the token": {map[string]string{"access_token": "at\r\nX-Injected: evil", "expires_on": future, "token_type": "Bearer"}, "access_token has characters"},
		"CRLF in the type":  {map[string]string{"access_token": "at", "expires_on": future, "token_type": "Bearer\r\nX-Evil: 1"}, `token type "Bearer\r\nX-Evil: 1"`},
		"expired":           {map[string]string{"access_token": "at", "expires_on": past, "token_type": "Bearer"}, "before it was received"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			imds := newIMDS(t)
			imds.ok = func(w http.ResponseWriter, _ *http.Request, _ int) { writeJSON(w, http.StatusOK, tc.body) }
			tok, _, err := getToken(t, fastProvider, plugin.Config{"resource": arm, KeyIMDSEndpoint: imds.url()})
			host := strings.TrimPrefix(imds.srv.URL, "http://")
			if tok != nil || plugin.KindOf(err) != plugin.KindUnavailable || !strings.Contains(err.Error(), host) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("GetToken = %v, %v (kind %v); want exit 5 naming %s and %q", tok, err, plugin.KindOf(err), host, tc.want)
			}
			if n := len(imds.requests()); n != 1 {
				t.Errorf("%d requests, want 1: an unusable answer is not retried", n)
			}
		})
	}
}
