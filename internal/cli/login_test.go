package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/plugin/grant"
)

// revocationServer is an RFC 7009 endpoint on loopback that records what
// it was sent; /.well-known/openid-configuration advertises it.
type revocationServer struct {
	*httptest.Server
	statuses []int // answered in order, the last one repeated
	mu       sync.Mutex
	forms    []url.Values
	users    []string
}

func startRevocationServer(t *testing.T, statuses ...int) *revocationServer {
	t.Helper()
	s := &revocationServer{statuses: statuses}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /revoke", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		user, pass, _ := r.BasicAuth()
		s.mu.Lock()
		s.forms = append(s.forms, r.PostForm)
		s.users = append(s.users, user+":"+pass)
		status := s.statuses[min(len(s.forms), len(s.statuses))-1]
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if status != http.StatusOK {
			_, _ = w.Write([]byte(`{"error":"invalid_client","error_description":"bad secret"}`))
		}
	})
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": s.URL, "token_endpoint": s.URL + "/token",
			"revocation_endpoint": s.URL + "/revoke"})
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// seedSignedIn stores what a sign-in leaves for profile dc: refresh state,
// an access token, and a sign-in cooldown.
func seedSignedIn(t *testing.T, c *cache.Cache, values map[string]string) (stateKey, accessKey string) {
	t.Helper()
	req := tokenkey.Request{Values: values}
	stateKey, accessKey = tokenkey.State(req), tokenkey.Access(req, config.IsSecret)
	state, err := grant.State{RefreshToken: "rt-1"}.Encode()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	errs := []error{
		c.PutState(stateKey, state),
		c.Put(accessKey, &cache.Entry{AccessToken: "at-1", TokenType: "Bearer", IssuedAt: now, ExpiresAt: now.Add(time.Hour), Profile: "dc"}),
		c.PutNegative(stateKey, cache.Negative{Until: now.Add(time.Hour), Kind: cache.NegativeSigninDeclined}),
	}
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return stateKey, accessKey
}

func TestLogout(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		status  int
		keys    func(srv string) string
		revoked bool
		note    string
	}{
		"revocation_url key": {status: http.StatusOK, revoked: true, note: "has been revoked",
			keys: func(srv string) string { return "revocation_url = \"" + srv + "/revoke\"\n" }},
		"discovered revocation_endpoint": {status: http.StatusOK, revoked: true, note: "has been revoked",
			keys: func(srv string) string { return "issuer = \"" + srv + "\"\n" }},
		"no revocation offered": {note: "offers no token revocation",
			keys: func(string) string { return "" }},
		"revocation refused": {status: http.StatusUnauthorized, revoked: true, note: "could not be revoked: 127.0.0.1",
			keys: func(srv string) string { return "revocation_url = \"" + srv + "/revoke\"\n" }},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := startRevocationServer(t, tc.status)
			env, values := deviceCodeProfile(t, "client_secret = \"env:DC_SECRET\"\n"+tc.keys(srv.URL))
			env["DC_SECRET"] = "s3cret"
			c := openTestCache(t, env)
			stateKey, accessKey := seedSignedIn(t, c, values)

			stdout, stderr, code := run(t, env, "logout", "-p", "dc")
			if code != ExitOK || stdout != "" || !strings.Contains(stderr, `signed out of profile "dc"`) || !strings.Contains(stderr, tc.note) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want success noting %q", code, stdout, stderr, tc.note)
			}
			if strings.Contains(stderr, "s3cret") || strings.Contains(stderr, "rt-1") {
				t.Errorf("stderr shows a secret: %q", stderr)
			}
			checkRevocation(t, srv, tc.revoked, "cli:s3cret")
			if _, ok, _ := c.GetState(stateKey); ok {
				t.Error("refresh state left behind")
			}
			if _, ok := c.Get(accessKey); ok {
				t.Error("access token left behind")
			}
			if _, ok := c.GetNegative(stateKey, time.Now()); ok {
				t.Error("sign-in cooldown left behind")
			}
		})
	}
}

// checkRevocation checks the one request an RFC 7009 endpoint should get,
// with basic authentication "user:password".
func checkRevocation(t *testing.T, srv *revocationServer, revoked bool, basic string) {
	t.Helper()
	attempts := 0
	if revoked {
		attempts = 1
	}
	checkRevocations(t, srv, attempts, basic)
}

// checkRevocations checks that an RFC 7009 endpoint got attempts
// identical requests, with basic authentication "user:password".
func checkRevocations(t *testing.T, srv *revocationServer, attempts int, basic string) {
	t.Helper()
	srv.mu.Lock()
	defer srv.mu.Unlock()
	var wantForms []url.Values
	var wantUsers []string
	for range attempts {
		wantForms = append(wantForms, url.Values{"token": {"rt-1"}, "token_type_hint": {"refresh_token"}, "client_id": {"cli"}})
		wantUsers = append(wantUsers, basic)
	}
	if diff := cmp.Diff(wantForms, srv.forms); diff != "" {
		t.Errorf("revocation requests (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantUsers, srv.users); diff != "" {
		t.Errorf("client authentication (-want +got):\n%s", diff)
	}
}

// A revocation endpoint that is briefly down is tried again, as the
// token endpoint is: logout goes through the one token client.
func TestLogoutRetriesRevocation(t *testing.T) {
	t.Parallel()
	srv := startRevocationServer(t, http.StatusServiceUnavailable, http.StatusOK)
	env, values := deviceCodeProfile(t, "client_secret = \"env:DC_SECRET\"\nrevocation_url = \""+srv.URL+"/revoke\"\n")
	env["DC_SECRET"] = "s3cret"
	seedSignedIn(t, openTestCache(t, env), values)
	stdout, stderr, code := run(t, env, "logout", "-p", "dc")
	if code != ExitOK || stdout != "" || !strings.Contains(stderr, "has been revoked") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want the token revoked on the second attempt", code, stdout, stderr)
	}
	checkRevocations(t, srv, 2, "cli:s3cret")
}

func TestLogoutAll(t *testing.T) {
	t.Parallel()
	srv := startRevocationServer(t, http.StatusOK)
	env, values := deviceCodeProfile(t, "revocation_url = \""+srv.URL+"/revoke\"\n")
	c := openTestCache(t, env)
	seedSignedIn(t, c, values)
	if _, _, code := run(t, env, "logout", "--all", "-p", "dc"); code != ExitUsage {
		t.Errorf("--all with -p: exit %d, want %d", code, ExitUsage)
	}
	stdout, stderr, code := run(t, env, "logout", "--all")
	if code != ExitOK || stdout != "" || !strings.Contains(stderr, "cache cleared") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	checkRevocation(t, srv, true, ":") // a public client: client_id only
	list, err := c.List()
	if err != nil || len(list) != 0 {
		t.Errorf("cache after logout --all: %v, %v", list, err)
	}
}
