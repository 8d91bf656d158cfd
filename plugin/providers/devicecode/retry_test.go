package devicecode

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/plugin"
)

// TestDeviceAuthorizationIsRetried: the device authorization POST is
// retried like a token request — server failures and 429 with a short
// Retry-After until it succeeds, OAuth 4xx never.
func TestDeviceAuthorizationIsRetried(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		fail         func(w http.ResponseWriter, n int64) bool // true: answered with a failure
		wantRequests int64
		wantKind     plugin.Kind // KindInternal: success
	}{
		"503 twice, then the code": {fail: func(w http.ResponseWriter, n int64) bool {
			if n <= 2 {
				w.WriteHeader(http.StatusServiceUnavailable)
			}
			return n <= 2
		}, wantRequests: 3},
		"429 with Retry-After 1, then the code": {fail: func(w http.ResponseWriter, n int64) bool {
			if n == 1 {
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(http.StatusTooManyRequests)
			}
			return n == 1
		}, wantRequests: 2},
		"temporarily_unavailable always": {fail: func(w http.ResponseWriter, _ int64) bool {
			writeError(w, http.StatusBadRequest, "temporarily_unavailable")
			return true
		}, wantRequests: 3, wantKind: plugin.KindUnavailable},
		"invalid_client at once": {fail: func(w http.ResponseWriter, _ int64) bool {
			writeError(w, http.StatusUnauthorized, "invalid_client")
			return true
		}, wantRequests: 1, wantKind: plugin.KindRefused},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var device atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if strings.HasSuffix(r.URL.Path, "/device") {
					if !tc.fail(w, device.Add(1)) {
						_ = json.NewEncoder(w).Encode(entraDeviceCode().body)
					}
					return
				}
				_ = json.NewEncoder(w).Encode(tokens("at", "rt", "u").body)
			}))
			t.Cleanup(srv.Close)
			cfg := plugin.Config{"token_url": srv.URL + "/token", "device_authorization_url": srv.URL + "/device", "client_id": "app"}
			p, _ := provider()
			_, err := p.GetToken(context.Background(), &plugin.Request{Config: cfg, Interaction: &fakeInteraction{}, Logger: hclog.NewNullLogger()})
			if got := device.Load(); got != tc.wantRequests {
				t.Errorf("%d device authorization requests, want %d", got, tc.wantRequests)
			}
			if tc.wantKind == plugin.KindInternal && err != nil {
				t.Fatalf("GetToken: %v", err)
			}
			if tc.wantKind != plugin.KindInternal && plugin.KindOf(err) != tc.wantKind {
				t.Errorf("error %v (kind %v), want kind %v", err, plugin.KindOf(err), tc.wantKind)
			}
		})
	}
}

func writeError(w http.ResponseWriter, status int, code string) {
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}
