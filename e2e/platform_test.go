package e2e_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyfob/keyfob/e2e/harness"
)

// End-to-end tests of the Azure platform-credential providers through the
// real CLI: workload_identity against an Entra-shaped token endpoint,
// managed_identity against IMDS and App Service fakes, azure_cli with a
// fake az on PATH. Every fake listens on loopback; the IMDS address is
// always overridden.

const (
	wiTenant   = "contoso.onmicrosoft.com"
	wiClientID = "00000000-0000-0000-0000-0000000000e2"
	armScope   = "https://management.azure.com/.default"
	armURL     = "https://management.azure.com/"
	// ghTokenVar and identityHeaderVar hold secrets referenced as env:.
	ghTokenVar        = "E2E_GH_REQUEST_TOKEN"
	identityHeaderVar = "E2E_IDENTITY_HEADER"
)

// fakeEntra is an Entra ID token endpoint at /TENANT/oauth2/v2.0/token
// that accepts client_credentials with one federated assertion and
// records the assertions it was sent.
type fakeEntra struct {
	srv *httptest.Server

	mu         sync.Mutex
	want       string
	assertions []string
}

func startFakeEntra(t *testing.T) *fakeEntra {
	t.Helper()
	e := &fakeEntra{}
	e.srv = httptest.NewServer(http.HandlerFunc(e.serve))
	t.Cleanup(e.srv.Close)
	return e
}

// authority is http://127.0.0.1:PORT/contoso.onmicrosoft.com.
func (e *fakeEntra) authority() string { return e.srv.URL + "/" + wiTenant }

func (e *fakeEntra) accept(jwt string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.want = jwt
}

func (e *fakeEntra) seen() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.assertions...)
}

func (e *fakeEntra) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/"+wiTenant+"/oauth2/v2.0/token" || r.ParseForm() != nil {
		http.NotFound(w, r)
		return
	}
	f := r.PostForm
	e.mu.Lock()
	e.assertions = append(e.assertions, f.Get("client_assertion"))
	n, want := len(e.assertions), e.want
	e.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if f.Get("grant_type") != "client_credentials" || f.Get("client_id") != wiClientID || f.Get("scope") != armScope ||
		f.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" || f.Get("client_assertion") != want {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"invalid_client","error_description":"AADSTS70021: No matching federated identity record found for presented assertion.","error_codes":[70021]}`))
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
		"access_token": "wi-at-" + strconv.Itoa(n)})
}

// tokenJSON is `keyfob token -o json` output.
type tokenJSON struct {
	AccessToken string    `json:"access_token"`
	TokenType   string    `json:"token_type"`
	ExpiresAt   time.Time `json:"expires_at"`
}

func decodeTokenJSON(t *testing.T, stdout string) tokenJSON {
	t.Helper()
	var out tokenJSON
	if err := json.Unmarshal([]byte(stdout), &out); err != nil || out.AccessToken == "" {
		t.Fatalf("stdout is not token JSON (%v): %q", err, stdout)
	}
	return out
}

func TestWorkloadIdentityFile(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	e := startFakeEntra(t)
	home := t.TempDir()
	file := filepath.Join(home, "azure-identity-token")
	args := []string{"token", "--provider", "workload_identity", "--authority", e.authority(),
		"--client-id", wiClientID, "--client-assertion-file", file, "--scope", armScope}
	run := func(jwt string, extra ...string) harness.Result {
		t.Helper()
		res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: append(append([]string(nil), args...), extra...)})
		checkSuccess(t, res, jwt)
		return res
	}

	writeTokenFile(t, file, "k8s-jwt-generation-1\n")
	e.accept("k8s-jwt-generation-1")
	first := rawToken(t, run("k8s-jwt-generation-1").Stdout)
	if first != "wi-at-1" {
		t.Errorf("first token = %q, want wi-at-1", first)
	}
	if second := rawToken(t, run("k8s-jwt-generation-1").Stdout); second != first {
		t.Errorf("second call printed %q; want the cached %q", second, first)
	}

	// Kubernetes rotates the projected token; the next request must carry
	// the new one.
	writeTokenFile(t, file, "k8s-jwt-generation-2\n")
	e.accept("k8s-jwt-generation-2")
	if third := rawToken(t, run("k8s-jwt-generation-2", "--force-refresh").Stdout); third != "wi-at-2" {
		t.Errorf("token after rotation = %q, want wi-at-2", third)
	}
	if diff := cmp.Diff([]string{"k8s-jwt-generation-1", "k8s-jwt-generation-2"}, e.seen()); diff != "" {
		t.Errorf("assertions sent (-want +got):\n%s", diff)
	}
}

func TestWorkloadIdentityRefused(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	e := startFakeEntra(t)
	e.accept("the-registered-subject")
	home := t.TempDir()
	file := filepath.Join(home, "token")
	writeTokenFile(t, file, "an-unknown-subject")
	res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "--provider", "workload_identity",
		"--authority", e.authority(), "--client-id", wiClientID, "--client-assertion-file", file, "--scope", armScope}})
	if res.ExitCode != 3 || !strings.Contains(res.Stderr, "invalid_client") {
		t.Errorf("want exit 3 naming invalid_client:\n%s", res)
	}
	checkNoLeaks(t, res, "an-unknown-subject")
}

// TestWorkloadIdentityGitHub gets the assertion from a GitHub Actions
// OIDC endpoint fake; its request token is an env: reference the host
// resolves.
func TestWorkloadIdentityGitHub(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	e := startFakeEntra(t)
	e.accept("gh-oidc-jwt")
	const requestToken = "gh-request-token-e2e"
	var gotAudience, gotAuth string
	gh := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAudience, gotAuth = r.URL.Query().Get("audience"), r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"count":1,"value":"gh-oidc-jwt"}`))
	}))
	t.Cleanup(gh.Close)
	res := harness.Run(t, bin, harness.RunOpts{
		Args: []string{"token", "--provider", "workload_identity", "--authority", e.authority(), "--client-id", wiClientID,
			"--scope", armScope, "--oidc-request-url", gh.URL + "/_apis/token?api-version=2.0", "--oidc-request-token", "env:" + ghTokenVar},
		Env: env(ghTokenVar, requestToken),
	})
	checkSuccess(t, res, requestToken, "gh-oidc-jwt")
	if got := rawToken(t, res.Stdout); got != "wi-at-1" {
		t.Errorf("token = %q, want wi-at-1", got)
	}
	if gotAudience != "api://AzureADTokenExchange" || gotAuth != "bearer "+requestToken {
		t.Errorf("GitHub request: audience %q, Authorization %q", gotAudience, gotAuth)
	}
}

// fakeIMDS is an IMDS token endpoint answering in the documented format:
// every number a string.
func fakeIMDS(t *testing.T, check func(r *http.Request) string) (*httptest.Server, *[]url.Values) {
	t.Helper()
	var mu sync.Mutex
	var queries []url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		queries = append(queries, r.URL.Query())
		n := len(queries)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if msg := check(r); msg != "" {
			w.WriteHeader(http.StatusBadRequest)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_request", "error_description": msg})
			return
		}
		now := time.Now().Unix()
		_ = json.NewEncoder(w).Encode(map[string]string{
			"access_token": "mi-at-" + strconv.Itoa(n), "refresh_token": "", "expires_in": "3599",
			"expires_on": strconv.FormatInt(now+3599, 10), "not_before": strconv.FormatInt(now, 10),
			"resource": r.URL.Query().Get("resource"), "token_type": "Bearer",
		})
	}))
	t.Cleanup(srv.Close)
	return srv, &queries
}

func TestManagedIdentityIMDS(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	imds, queries := fakeIMDS(t, func(r *http.Request) string {
		if r.Method != http.MethodGet || r.URL.Path != "/metadata/identity/oauth2/token" || r.Header.Get("Metadata") != "true" {
			return "Required metadata header not specified"
		}
		return ""
	})
	start := time.Now()
	res := harness.Run(t, bin, harness.RunOpts{Args: []string{"token", "-o", "json", "--provider", "managed_identity",
		"--imds-endpoint", imds.URL + "/metadata/identity/oauth2/token", "--resource", armURL, "--client-id", "uami-client-id"}})
	checkSuccess(t, res)
	out := decodeTokenJSON(t, res.Stdout)
	if out.AccessToken != "mi-at-1" || out.TokenType != "Bearer" {
		t.Errorf("token = %+v", out)
	}
	// expires_on (a string) less keyfob's margin of at most 5 minutes.
	if exp := start.Add(3599 * time.Second); out.ExpiresAt.After(exp.Add(2*time.Second)) || out.ExpiresAt.Before(exp.Add(-5*time.Minute-2*time.Second)) {
		t.Errorf("expires_at = %v, want within 5 minutes before %v", out.ExpiresAt, exp)
	}
	want := []url.Values{{"api-version": {"2018-02-01"}, "resource": {armURL}, "client_id": {"uami-client-id"}}}
	if diff := cmp.Diff(want, *queries); diff != "" {
		t.Errorf("IMDS requests (-want +got):\n%s", diff)
	}
}

// TestManagedIdentityAppService checks App Service's endpoint over plain
// http on loopback, with the identity header an env: reference the host
// resolves.
func TestManagedIdentityAppService(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	const header = "identity-header-e2e"
	srv, queries := fakeIMDS(t, func(r *http.Request) string {
		if r.Header.Get("X-IDENTITY-HEADER") != header {
			return "bad identity header"
		}
		return ""
	})
	res := harness.Run(t, bin, harness.RunOpts{
		Args: []string{"token", "--provider", "managed_identity", "--identity-endpoint", srv.URL + "/msi/token",
			"--identity-secret", "env:" + identityHeaderVar, "--scope", armScope},
		Env: env(identityHeaderVar, header),
	})
	checkSuccess(t, res, header)
	if got := rawToken(t, res.Stdout); got != "mi-at-1" {
		t.Errorf("token = %q, want mi-at-1", got)
	}
	want := []url.Values{{"api-version": {"2019-08-01"}, "resource": {"https://management.azure.com"}}}
	if diff := cmp.Diff(want, *queries); diff != "" {
		t.Errorf("App Service requests (-want +got):\n%s", diff)
	}
}

// TestManagedIdentityRefusesRemoteHTTP checks CONTRACT §7: http:// is
// allowed for the managed-identity endpoints only, not for any host.
func TestManagedIdentityRefusesRemoteHTTP(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	res := harness.Run(t, bin, harness.RunOpts{Args: []string{"token", "--provider", "managed_identity",
		"--identity-endpoint", "http://192.0.2.1/msi/token", "--identity-secret", "env:" + identityHeaderVar, "--resource", armURL},
		Env: env(identityHeaderVar, "h")})
	if res.ExitCode != 2 || !strings.Contains(res.Stderr, "http") {
		t.Errorf("want exit 2 refusing the http URL:\n%s", res)
	}
}

// writeFakeAz puts an "az" script in a new directory that counts its runs
// (in DIR/count), records its arguments (DIR/args) and runs body; $n is
// the run number. It returns the directory, for PATH.
func writeFakeAz(t *testing.T, body string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake az is a shell script")
	}
	dir := t.TempDir()
	script := fmt.Sprintf(`#!/bin/sh
d='%s'
n=$(cat "$d/count" 2>/dev/null || echo 0); n=$((n+1)); echo "$n" > "$d/count"
printf '%%s\n' "$@" > "$d/args"
%s
`, dir, body)
	if err := os.WriteFile(filepath.Join(dir, "az"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// pathWith is a PATH entry with dir first.
func pathWith(dir string) string {
	return "PATH=" + dir + string(os.PathListSeparator) + os.Getenv("PATH")
}

func TestAzureCLI(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	dir := writeFakeAz(t, `printf '{"accessToken":"cli-at-%s","expiresOn":"2030-01-02 03:04:05.000000","expires_on":%s,"tenant":"t","tokenType":"Bearer"}\n' "$n" "$(( $(date +%s) + 3600 ))"`)
	home := t.TempDir()
	run := func() string {
		t.Helper()
		res := harness.Run(t, bin, harness.RunOpts{Home: home, Env: []string{pathWith(dir)},
			Args: []string{"token", "--provider", "azure_cli", "--scope", armScope, "--tenant-id", wiTenant}})
		checkSuccess(t, res)
		return rawToken(t, res.Stdout)
	}
	if first := run(); first != "cli-at-1" {
		t.Errorf("first token = %q, want cli-at-1", first)
	}
	// The token belongs to az's session: keyfob must ask az again rather
	// than serve it from its own cache (az logout must take effect).
	if second := run(); second != "cli-at-2" {
		t.Errorf("second token = %q, want cli-at-2 from a second az run", second)
	}
	args, _ := os.ReadFile(filepath.Join(dir, "args"))
	want := "account\nget-access-token\n--output\njson\n--scope\n" + armScope + "\n--tenant\n" + wiTenant + "\n"
	if string(args) != want {
		t.Errorf("az arguments = %q, want %q", args, want)
	}
}

func TestAzureCLINotSignedIn(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	dir := writeFakeAz(t, `echo "ERROR: Please run 'az login' to setup account." >&2; exit 1`)
	res := harness.Run(t, bin, harness.RunOpts{Env: []string{pathWith(dir)},
		Args: []string{"token", "--provider", "azure_cli", "--scope", armScope}})
	if res.ExitCode != 4 || !strings.Contains(res.Stderr, "az login") {
		t.Errorf("want exit 4 with the hint to run az login:\n%s", res)
	}
	checkNoLeaks(t, res)
}

// writeTokenFile replaces the federated token file atomically, as the
// kubelet's symlink swap does.
func writeTokenFile(t *testing.T, path, content string) {
	t.Helper()
	tmp := path + ".new"
	if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}
