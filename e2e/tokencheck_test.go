package e2e_test

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/keyfob/keyfob/e2e/harness"
)

// Issue 12 item 2 end to end: an authorization server that answers with a
// token or token type that would smuggle a header into `keyfob token -o
// header | curl -H @-` (or an already expired token, item 4) is refused at
// receipt. No real server sends such answers on demand, so the server is
// a hand-written httptest fake. keyfob must exit 5 with one line naming
// the server, print nothing on stdout, cache nothing, and ask the server
// again on the next call.

// unusableAnswers are token responses keyfob must refuse, with what the
// one stderr line must say.
var unusableAnswers = map[string]struct {
	body string
	want string
}{
	"CRLF in the access token": {
		body: `{"access_token":"abc\r\nX-Injected: evil","token_type":"Bearer","expires_in":3600}`,
		want: "access_token has characters a bearer token may not have",
	},
	"CRLF in the token type": {
		body: `{"access_token":"abc","token_type":"Bearer\r\nX-Evil: 1","expires_in":3600}`,
		want: `token type "Bearer\r\nX-Evil: 1" is not supported`,
	},
	"OSC escape in the access token": {
		body: `{"access_token":"\u001b]0;pwned\u0007","token_type":"Bearer","expires_in":3600}`,
		want: "access_token has characters",
	},
	"mac token type": {
		body: `{"access_token":"abc","token_type":"mac","expires_in":3600}`,
		want: `token type "mac" is not supported`,
	},
	"expires_on in the past": {
		body: `{"access_token":"abc","token_type":"Bearer","expires_on":1700000000}`,
		want: "expired at 2023-11-14T22:13:20Z, before it was received",
	},
}

func TestUnusableTokenRefusedAndNotCached(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	for name, tc := range unusableAnswers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var requests atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				requests.Add(1)
				writeStatus(w, http.StatusOK, "application/json", tc.body)
			}))
			t.Cleanup(srv.Close)
			home := t.TempDir()
			args := []string{"token", "-o", "header", "--provider", "client_credentials", "--token-url", srv.URL + "/token",
				"--client-id", "app", "--client-secret", "env:" + clientSecretVar, "--scope", "api"}
			for call := int64(1); call <= 2; call++ {
				res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: args, Env: env(clientSecretVar, faultSecret)})
				checkRefusedAnswer(t, res, strings.TrimPrefix(srv.URL, "http://"), tc.want)
				if got := requests.Load(); got != call {
					t.Errorf("after call %d the server saw %d requests, want %d: the refused token was cached", call, got, call)
				}
			}
			if at, _ := filepath.Glob(filepath.Join(home, ".cache", "keyfob", "at-*")); len(at) != 0 {
				t.Errorf("cache holds access entries %v after a refused answer", at)
			}
		})
	}
}

// checkRefusedAnswer: exit 5, nothing on stdout, one stderr line naming
// host and the condition, no control characters.
func checkRefusedAnswer(t *testing.T, res harness.Result, host, want string) {
	t.Helper()
	if res.ExitCode != 5 || res.Stdout != "" {
		t.Errorf("exit %d, stdout %q; want exit 5 and nothing on stdout", res.ExitCode, res.Stdout)
	}
	if strings.ContainsAny(res.Stderr, "\r\x1b\a") || strings.Contains(res.Stderr, "\nX-") {
		t.Errorf("stderr holds the smuggled header or a control character: %q", res.Stderr)
	}
	if lines := strings.Split(strings.TrimSuffix(res.Stderr, "\n"), "\n"); len(lines) != 1 {
		t.Errorf("stderr has %d lines, want one:\n%s", len(lines), res.Stderr)
	}
	checkOneErrorLine(t, res.Stderr, host, want)
}
