package e2e_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyfob/keyfob/e2e/harness"
)

// entraTenant is the only tenant the Entra fake knows.
const entraTenant = "contoso.onmicrosoft.com"

// entraFake is a hand-written fake of Microsoft Entra ID's v2.0 token
// endpoint, POST /{tenant}/oauth2/v2.0/token, for what no real server here
// plays: tenants in the path, AADSTS error bodies in their documented
// format (reference-error-codes.md), on-behalf-of and claims. It knows one
// tenant, entraTenant; each test decides the answers through respond.
type entraFake struct {
	*httptest.Server
	respond func(r entraRequest) (int, map[string]any)

	mu       sync.Mutex
	requests []entraRequest
}

// entraRequest is one token request the fake received.
type entraRequest struct {
	Tenant          string
	Form            url.Values
	ClientID        string
	ClientSecret    string // from Basic or the form; "" for a public client
	AuthenticatedBy string
}

var entraTokenPath = regexp.MustCompile(`^/([^/]+)/oauth2/v2\.0/token$`)

func startEntraFake(t *testing.T, respond func(entraRequest) (int, map[string]any)) *entraFake {
	t.Helper()
	f := &entraFake{respond: respond}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *entraFake) serve(w http.ResponseWriter, r *http.Request) {
	m := entraTokenPath.FindStringSubmatch(r.URL.Path)
	if r.Method != http.MethodPost || m == nil || r.ParseForm() != nil {
		writeJSON(w, http.StatusNotFound, aadstsError("invalid_request", 900561, "The endpoint only accepts POST requests."))
		return
	}
	req := entraRequest{Tenant: m[1], Form: r.PostForm, ClientID: r.PostForm.Get("client_id")}
	if user, pass, ok := r.BasicAuth(); ok {
		req.ClientID, req.ClientSecret, req.AuthenticatedBy = mustUnescape(user), mustUnescape(pass), "basic"
	} else if s := r.PostForm.Get("client_secret"); s != "" {
		req.ClientSecret, req.AuthenticatedBy = s, "post"
	}
	f.mu.Lock()
	f.requests = append(f.requests, req)
	f.mu.Unlock()
	if req.Tenant != entraTenant {
		writeJSON(w, http.StatusBadRequest, aadstsError("invalid_request", 90002, "Tenant '"+req.Tenant+"' not found."))
		return
	}
	status, body := f.respond(req)
	writeJSON(w, status, body)
}

// received returns the requests so far.
func (f *entraFake) received() []entraRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]entraRequest(nil), f.requests...)
}

// authority is the fake's authority for tenant.
func (f *entraFake) authority(tenant string) string { return f.URL + "/" + tenant }

func mustUnescape(s string) string {
	u, err := url.QueryUnescape(s)
	if err != nil {
		return s
	}
	return u
}

func writeJSON(w http.ResponseWriter, status int, body map[string]any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// ccToken is the fake's token for scope: a b64token (keyfob refuses ':'
// and spaces in a bearer token).
func ccToken(scope string) string {
	return "cc-token-for-" + strings.NewReplacer(":", "_", " ", "+").Replace(scope)
}

// entraToken is a v2.0 token response.
func entraToken(token string) (int, map[string]any) {
	return http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": token}
}

// Fixed ids in the fake's error bodies, so tests can look for them.
const (
	fakeTraceID       = "0000aaaa-11bb-cccc-dd33-eeeeee333333"
	fakeCorrelationID = "aaaa0000-bb11-2222-33cc-444444dddddd"
)

// aadstsError is an error body in Entra's documented format.
func aadstsError(code string, n int, text string) map[string]any {
	const ts = "2026-01-09 02:02:12Z"
	return map[string]any{
		"error":             code,
		"error_description": fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s", n, text, fakeTraceID, fakeCorrelationID, ts),
		"error_codes":       []int{n},
		"timestamp":         ts,
		"trace_id":          fakeTraceID,
		"correlation_id":    fakeCorrelationID,
		"error_uri":         fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", n),
	}
}

// clientCredentialsAnswer issues a token to client "app" with secret and
// the expected scope, and answers as Entra does otherwise.
func clientCredentialsAnswer(secret, scope string) func(entraRequest) (int, map[string]any) {
	return func(r entraRequest) (int, map[string]any) {
		switch {
		case r.Form.Get("grant_type") != "client_credentials":
			return http.StatusBadRequest, aadstsError("unsupported_grant_type", 70003, "The app requested an unsupported grant type.")
		case r.ClientID != "app":
			return http.StatusBadRequest, aadstsError("unauthorized_client", 700016, "Application with identifier '"+r.ClientID+"' was not found in the directory.")
		case r.ClientSecret != secret:
			return http.StatusUnauthorized, aadstsError("invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.")
		case r.Form.Get("scope") != scope:
			return http.StatusBadRequest, aadstsError("invalid_scope", 70011, "The provided value for the input parameter 'scope' isn't valid.")
		}
		return entraToken(ccToken(r.Form.Get("scope")))
	}
}

// TestEntraEnvironmentWithoutConfig: with no configuration file at all,
// keyfob token runs the environment provider on the Azure SDKs'
// variables, derives the authority from AZURE_AUTHORITY_HOST and the
// tenant, and caches the token under a stable key.
func TestEntraEnvironmentWithoutConfig(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	const secret = "env-secret-value-123"
	const scope = "https://graph.microsoft.com/.default"
	f := startEntraFake(t, clientCredentialsAnswer(secret, scope))
	home := t.TempDir()
	vars := env("AZURE_TENANT_ID", entraTenant, "AZURE_CLIENT_ID", "app", "AZURE_CLIENT_SECRET", secret,
		"AZURE_AUTHORITY_HOST", f.URL+"/")
	for i := range 2 {
		res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "--scope", scope}, Env: vars})
		checkSuccess(t, res, secret)
		if got := rawToken(t, res.Stdout); got != ccToken(scope) {
			t.Errorf("run %d: token = %q", i+1, got)
		}
	}
	reqs := f.received()
	if len(reqs) != 1 {
		t.Fatalf("the fake saw %d token requests, want 1 (the second run is a cache hit)", len(reqs))
	}
	if reqs[0].Tenant != entraTenant || reqs[0].AuthenticatedBy == "" {
		t.Errorf("request to tenant %q authenticated by %q, want %q with the secret", reqs[0].Tenant, reqs[0].AuthenticatedBy, entraTenant)
	}
}

// TestEntraEnvironmentNothingSet: without a profile or any variable,
// keyfob token says on one line what to set, exit 2.
func TestEntraEnvironmentNothingSet(t *testing.T) {
	t.Parallel()
	res := harness.Run(t, keyfobBin(t), harness.RunOpts{Args: []string{"token"}})
	if res.ExitCode != 2 || !strings.Contains(res.Stderr, "AZURE_TENANT_ID") || strings.Count(strings.TrimSpace(res.Stderr), "\n") != 0 {
		t.Errorf("want exit 2 and one line naming AZURE_TENANT_ID:\n%s", res)
	}
	checkNoLeaks(t, res)
}

// TestEntraPresetFillsScope: preset = "graph" sends Graph's .default
// scope; the fake refuses any other.
func TestEntraPresetFillsScope(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	const secret = "preset-secret-456"
	f := startEntraFake(t, clientCredentialsAnswer(secret, "https://graph.microsoft.com/.default"))
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, fmt.Sprintf(`[profiles.graph]
provider = "client_credentials"
preset = "graph"
authority = %q
client_id = "app"
client_secret = "env:%s"
`, f.authority(entraTenant), clientSecretVar))
	res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "graph"},
		Env: env("KEYFOB_CONFIG", cfg, clientSecretVar, secret)})
	checkSuccess(t, res, secret)
	if got := rawToken(t, res.Stdout); got != ccToken("https://graph.microsoft.com/.default") {
		t.Errorf("token = %q", got)
	}
}

// TestEntraTenantRestrictions: grants Entra refuses on a multi-tenant
// authority fail with exit 2 and the reason, before any request.
func TestEntraTenantRestrictions(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	tests := map[string]struct {
		profile string // with %s for the authority
		tenant  string
		want    string
	}{
		"password on common": {tenant: "common", want: "password grant does not work on the common authority",
			profile: "provider = \"password\"\nusername = \"alice@contoso.com\"\npassword = \"env:" + passwordVar + "\"\n"},
		"password on consumers": {tenant: "consumers", want: "consumers",
			profile: "provider = \"password\"\nusername = \"alice@contoso.com\"\npassword = \"env:" + passwordVar + "\"\n"},
		"client_credentials on organizations": {tenant: "organizations", want: "client_credentials needs a tenant id or domain",
			profile: "provider = \"client_credentials\"\nclient_secret = \"env:" + clientSecretVar + "\"\nscopes = [\"api://x/.default\"]\n"},
		"on_behalf_of on common": {tenant: "common", want: "on_behalf_of needs a tenant id or domain",
			profile: "provider = \"on_behalf_of\"\nclient_secret = \"env:" + clientSecretVar + "\"\nassertion = \"env:E2E_ASSERTION\"\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := startEntraFake(t, func(entraRequest) (int, map[string]any) { return entraToken("should-not-be-issued") })
			home := t.TempDir()
			cfg := harness.WriteConfig(t, home, fmt.Sprintf("[profiles.p]\nauthority = %q\nclient_id = \"app\"\n%s", f.authority(tc.tenant), tc.profile))
			res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "p"},
				Env: env("KEYFOB_CONFIG", cfg, passwordVar, "pw-789", clientSecretVar, "s-789", "E2E_ASSERTION", "incoming")})
			if res.ExitCode != 2 || !strings.Contains(res.Stderr, tc.want) {
				t.Errorf("want exit 2 with %q on stderr:\n%s", tc.want, res)
			}
			if n := len(f.received()); n != 0 {
				t.Errorf("the fake saw %d token requests, want none", n)
			}
			checkNoLeaks(t, res, "pw-789", "s-789")
		})
	}
}

// TestEntraErrorHints: AADSTS error bodies end in the right exit code and
// one stderr line with the server's error, a hint, and both ids.
func TestEntraErrorHints(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	passwordProfile := "provider = \"password\"\nusername = \"alice@contoso.com\"\npassword = \"env:" + passwordVar + "\"\nscopes = [\"User.Read\"]\n"
	ccProfile := "provider = \"client_credentials\"\nclient_secret = \"env:" + clientSecretVar + "\"\nscopes = [\"https://graph.microsoft.com/.default\"]\n"
	tests := map[string]struct {
		profile  string
		answer   func(entraRequest) (int, map[string]any)
		wantExit int
		want     []string
	}{
		"wrong client secret": {
			profile:  ccProfile,
			answer:   clientCredentialsAnswer("the-right-secret", "https://graph.microsoft.com/.default"),
			wantExit: 3,
			want:     []string{"invalid_client", "AADSTS7000215", "hint: the client secret is wrong"},
		},
		"MFA required": {
			profile: passwordProfile,
			answer: func(entraRequest) (int, map[string]any) {
				return http.StatusBadRequest, aadstsError("invalid_grant", 50076,
					"Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.")
			},
			wantExit: 4,
			want:     []string{"invalid_grant", "AADSTS50076", "hint: multifactor authentication is required"},
		},
		"wrong password": {
			profile: passwordProfile,
			answer: func(entraRequest) (int, map[string]any) {
				return http.StatusBadRequest, aadstsError("invalid_grant", 50126, "Error validating credentials due to invalid username or password.")
			},
			wantExit: 3,
			want:     []string{"AADSTS50126", "hint: wrong user name or password"},
		},
		"consent missing": {
			profile: passwordProfile,
			answer: func(entraRequest) (int, map[string]any) {
				return http.StatusBadRequest, aadstsError("invalid_grant", 65001, "The user or administrator has not consented to use the application.")
			},
			wantExit: 4,
			want:     []string{"AADSTS65001", "hint: consent is missing"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := startEntraFake(t, tc.answer)
			home := t.TempDir()
			cfg := harness.WriteConfig(t, home, fmt.Sprintf("[profiles.p]\nauthority = %q\nclient_id = \"app\"\n%s", f.authority(entraTenant), tc.profile))
			res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "p"},
				Env: env("KEYFOB_CONFIG", cfg, passwordVar, "pw-wrong-1", clientSecretVar, "secret-wrong-1")})
			if res.ExitCode != tc.wantExit {
				t.Errorf("exit code %d, want %d:\n%s", res.ExitCode, tc.wantExit, res)
			}
			checkOneErrorLine(t, res.Stderr, append(tc.want, "trace_id "+fakeTraceID, "correlation_id "+fakeCorrelationID)...)
			if res.Stdout != "" {
				t.Errorf("stdout = %q, want nothing", res.Stdout)
			}
			checkNoLeaks(t, res, "pw-wrong-1", "secret-wrong-1")
		})
	}
}

// checkOneErrorLine fails unless one line of stderr holds every string
// of want.
func checkOneErrorLine(t *testing.T, stderr string, want ...string) {
	t.Helper()
	for _, line := range strings.Split(stderr, "\n") {
		if !strings.HasPrefix(line, "keyfob: ") {
			continue
		}
		missing := 0
		for _, w := range want {
			if !strings.Contains(line, w) {
				missing++
			}
		}
		if missing == 0 {
			return
		}
	}
	t.Errorf("no single stderr line holds all of %q:\n%s", want, stderr)
}

// TestEntraOnBehalfOf: the incoming token comes from an env: reference and
// is sent as the jwt-bearer assertion with requested_token_use.
func TestEntraOnBehalfOf(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	const secret, incoming = "obo-secret-1", "eyJ0eXAiOiJKV1QifQ.incoming-user-token.sig"
	f := startEntraFake(t, func(r entraRequest) (int, map[string]any) {
		if r.ClientSecret != secret {
			return http.StatusUnauthorized, aadstsError("invalid_client", 7000215, "Invalid client secret provided.")
		}
		return entraToken("obo-downstream-token")
	})
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, fmt.Sprintf(`[profiles.obo]
provider = "on_behalf_of"
authority = %q
client_id = "middle-tier"
client_secret = "env:%s"
assertion = "env:E2E_ASSERTION"
scopes = ["https://graph.microsoft.com/User.Read"]
`, f.authority(entraTenant), clientSecretVar))
	res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "obo"},
		Env: env("KEYFOB_CONFIG", cfg, clientSecretVar, secret, "E2E_ASSERTION", incoming)})
	checkSuccess(t, res, secret, incoming)
	if got := rawToken(t, res.Stdout); got != "obo-downstream-token" {
		t.Errorf("token = %q", got)
	}
	reqs := f.received()
	if len(reqs) != 1 {
		t.Fatalf("the fake saw %d requests, want 1", len(reqs))
	}
	got := map[string]string{}
	for _, k := range []string{"grant_type", "assertion", "requested_token_use", "scope", "client_id"} {
		got[k] = reqs[0].Form.Get(k)
	}
	want := map[string]string{"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": incoming,
		"requested_token_use": "on_behalf_of", "scope": "https://graph.microsoft.com/User.Read", "client_id": "middle-tier"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("on-behalf-of request (-want +got):\n%s", diff)
	}
}

// TestEntraClaimsChallenge: --claims (here in the base64 form a resource's
// WWW-Authenticate carries) is merged with client_capabilities into the
// claims parameter, and a different challenge is a different cache entry.
func TestEntraClaimsChallenge(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	const secret = "cae-secret-1"
	var mu sync.Mutex
	var claims []string
	f := startEntraFake(t, func(r entraRequest) (int, map[string]any) {
		mu.Lock()
		defer mu.Unlock()
		claims = append(claims, r.Form.Get("claims"))
		return entraToken(fmt.Sprintf("cae-token-%d", len(claims)))
	})
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, fmt.Sprintf(`[profiles.cae]
provider = "client_credentials"
authority = %q
client_id = "app"
client_secret = "env:%s"
preset = "graph"
client_capabilities = ["cp1"]
`, f.authority(entraTenant), clientSecretVar))
	challenge := `{"access_token":{"nbf":{"essential":true,"value":"1767225600"}}}`
	run := func(args ...string) harness.Result {
		res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: append([]string{"token", "-p", "cae"}, args...),
			Env: env("KEYFOB_CONFIG", cfg, clientSecretVar, secret)})
		checkSuccess(t, res, secret)
		return res
	}
	run()
	run("--claims", base64.StdEncoding.EncodeToString([]byte(challenge)))
	mu.Lock()
	defer mu.Unlock()
	want := []any{
		map[string]any{"access_token": map[string]any{"xms_cc": map[string]any{"values": []any{"cp1"}}}},
		map[string]any{"access_token": map[string]any{"xms_cc": map[string]any{"values": []any{"cp1"}},
			"nbf": map[string]any{"essential": true, "value": "1767225600"}}},
	}
	var got []any
	for _, c := range claims {
		var v any
		if err := json.Unmarshal([]byte(c), &v); err != nil {
			t.Fatalf("claims parameter %q is not JSON: %v", c, err)
		}
		got = append(got, v)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("claims parameters (-want +got):\n%s", diff)
	}
}
