package azurecli

import (
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/plugin"
)

// fakeAz is a fake Azure CLI: an "az" shell script in a directory of its
// own that records each run's arguments (one per line), stdin and
// AZURE_CONFIG_DIR in files next to it, counts its runs, then runs body
// ($n is the run number).
type fakeAz struct {
	dir, path string
}

func newFakeAz(t *testing.T, body string) *fakeAz {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake az is a shell script")
	}
	dir := t.TempDir()
	script := `#!/bin/sh
d='` + dir + `'
n=$(cat "$d/count" 2>/dev/null || echo 0); n=$((n+1)); echo "$n" > "$d/count"
printf '%s\n' "$@" > "$d/args"
cat > "$d/stdin"
printf '%s' "$AZURE_CONFIG_DIR" > "$d/configdir"
` + body + "\n"
	path := filepath.Join(dir, "az")
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return &fakeAz{dir: dir, path: path}
}

// read returns a file the script wrote, "" if absent.
func (f *fakeAz) read(name string) string {
	b, _ := os.ReadFile(filepath.Join(f.dir, name))
	return string(b)
}

// runs is how many times the fake ran.
func (f *fakeAz) runs() int {
	n, _ := strconv.Atoi(strings.TrimSpace(f.read("count")))
	return n
}

// args is the last run's argument list.
func (f *fakeAz) args() []string {
	return strings.Split(strings.TrimSuffix(f.read("args"), "\n"), "\n")
}

// Bodies of the fake.
const (
	tokenBody = `printf '{"accessToken":"cli-at-%s","expiresOn":"2030-01-02 03:04:05.000000","expires_on":1893553445,` +
		`"subscription":"00000000-0000-0000-0000-0000000000s1","tenant":"00000000-0000-0000-0000-0000000000t1","tokenType":"Bearer"}\n' "$n"`
	oldCLIBody   = `echo '{"accessToken":"old-cli-at","expiresOn":"2030-01-02 03:04:05.123456","tokenType":"Bearer"}'`
	loginBody    = `echo "ERROR: Please run 'az login' to setup account." >&2; exit 1`
	expiredBody  = `printf 'ERROR: AADSTS700082: The refresh token has expired due to inactivity.\nInteractive authentication is needed. Please run:\naz login --scope https://management.core.windows.net//.default\n' >&2; exit 1`
	aadstsBody   = `echo "ERROR: AADSTS70011: The provided value for the input parameter 'scope' is not valid." >&2; exit 1`
	brokenBody   = `echo "Traceback (most recent call last):" >&2; echo "ModuleNotFoundError: No module named 'azure'" >&2; exit 2`
	garbageBody  = `echo "this is not JSON"`
	noTokenBody  = `echo '{"expires_on":1893553445}'`
	sleepingBody = `sleep 30; echo '{}'`
)

func newRequest(cfg plugin.Config, scopes ...string) *plugin.Request {
	return &plugin.Request{Config: cfg, Scopes: scopes, Interaction: plugin.NoInteraction{}, Logger: hclog.NewNullLogger()}
}

func TestToken(t *testing.T) {
	t.Parallel()
	az := newFakeAz(t, tokenBody)
	tok, err := Provider{}.GetToken(context.Background(), newRequest(plugin.Config{KeyAzPath: az.path, "scopes": `["https://management.azure.com/.default"]`}))
	if err != nil {
		t.Fatal(err)
	}
	want := time.Unix(1893553445, 0).UTC()
	if tok.AccessToken.Reveal() != "cli-at-1" || tok.TokenType != "Bearer" || !tok.ExpiresAt.Equal(want) {
		t.Errorf("token = %s %s %v, want cli-at-1 Bearer %v", tok.AccessToken.Reveal(), tok.TokenType, tok.ExpiresAt, want)
	}
	if !tok.NoCache {
		t.Errorf("NoCache = false; an az token must not outlive az's session")
	}
	if tok.State != nil {
		t.Errorf("state = %q, want none", tok.State)
	}
	if got := az.read("stdin"); got != "" {
		t.Errorf("az read %q from stdin, want nothing (stdin not attached)", got)
	}
}

// TestNotCachedByProvider checks that every call asks az again.
func TestNotCachedByProvider(t *testing.T) {
	t.Parallel()
	az := newFakeAz(t, tokenBody)
	p := Provider{}
	req := newRequest(plugin.Config{KeyAzPath: az.path, "resource": "https://management.core.windows.net/"})
	for i := 1; i <= 2; i++ {
		tok, err := p.GetToken(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if want := "cli-at-" + strconv.Itoa(i); tok.AccessToken.Reveal() != want {
			t.Errorf("call %d: token %s, want %s", i, tok.AccessToken.Reveal(), want)
		}
	}
	if az.runs() != 2 {
		t.Errorf("az ran %d times, want 2", az.runs())
	}
}

func TestArguments(t *testing.T) {
	t.Parallel()
	base := []string{"account", "get-access-token", "--output", "json"}
	tests := map[string]struct {
		cfg    plugin.Config
		scopes []string
		want   []string
	}{
		"scope":           {cfg: plugin.Config{"scopes": `["https://graph.microsoft.com/.default"]`}, want: []string{"--scope", "https://graph.microsoft.com/.default"}},
		"several scopes":  {cfg: plugin.Config{"scopes": `["api://app/read","api://app/write"]`}, want: []string{"--scope", "api://app/read", "api://app/write"}},
		"request wins":    {cfg: plugin.Config{"scopes": `["a/.default"]`, "resource": "r"}, scopes: []string{"b/.default"}, want: []string{"--scope", "b/.default"}},
		"resource as is":  {cfg: plugin.Config{"resource": "https://management.core.windows.net/"}, want: []string{"--resource", "https://management.core.windows.net/"}},
		"tenant":          {cfg: plugin.Config{"resource": "r", "tenant_id": "contoso.onmicrosoft.com"}, want: []string{"--resource", "r", "--tenant", "contoso.onmicrosoft.com"}},
		"subscription":    {cfg: plugin.Config{"resource": "r", KeySubscription: "My Subscription_1"}, want: []string{"--resource", "r", "--subscription", "My Subscription_1"}},
		"config dir sent": {cfg: plugin.Config{"resource": "r", KeyConfigDir: "/tmp/azcfg"}, want: []string{"--resource", "r"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			az := newFakeAz(t, tokenBody)
			tc.cfg[KeyAzPath] = az.path
			if _, err := (Provider{}).GetToken(context.Background(), newRequest(tc.cfg, tc.scopes...)); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(append(base, tc.want...), az.args()); diff != "" {
				t.Errorf("az arguments (-want +got):\n%s", diff)
			}
			if got, want := az.read("configdir"), tc.cfg[KeyConfigDir]; got != want {
				t.Errorf("AZURE_CONFIG_DIR = %q, want %q", got, want)
			}
		})
	}
}

func TestArgumentValidation(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		cfg    plugin.Config
		scopes []string
		want   string
	}{
		"no scope":                   {cfg: plugin.Config{}, want: "scopes"},
		"scope looks like an option": {scopes: []string{"--debug"}, want: "scope"},
		"scope with a space":         {scopes: []string{"https://x/.default --query accessToken"}, want: "scope"},
		"scope with shell syntax":    {scopes: []string{"https://x/.default;rm"}, want: "scope"},
		"scope with a quote":         {scopes: []string{`a"b`}, want: "scope"},
		"scope with a newline":       {scopes: []string{"a\nb"}, want: "scope"},
		"resource with %":            {cfg: plugin.Config{"resource": "https://x/%PATH%"}, want: "resource"},
		"tenant as an option":        {cfg: plugin.Config{"resource": "r", "tenant_id": "-t"}, want: "tenant_id"},
		"tenant with a slash":        {cfg: plugin.Config{"resource": "r", "tenant_id": "a/b"}, want: "tenant_id"},
		"subscription as an option":  {cfg: plugin.Config{"resource": "r", KeySubscription: "--all"}, want: KeySubscription},
		"subscription with &":        {cfg: plugin.Config{"resource": "r", KeySubscription: "a&calc"}, want: KeySubscription},
		"tenant and subscription":    {cfg: plugin.Config{"resource": "r", "tenant_id": "t", KeySubscription: "s"}, want: "together"},
		"bad scopes list":            {cfg: plugin.Config{"scopes": `["unterminated`}, want: "scopes"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			az := newFakeAz(t, tokenBody)
			if tc.cfg == nil {
				tc.cfg = plugin.Config{}
			}
			tc.cfg[KeyAzPath] = az.path
			_, err := Provider{}.GetToken(context.Background(), newRequest(tc.cfg, tc.scopes...))
			if plugin.KindOf(err) != plugin.KindConfig || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want a configuration error mentioning %q", err, tc.want)
			}
			if az.runs() != 0 {
				t.Errorf("az ran with an invalid argument")
			}
		})
	}
}

func TestFailures(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		body     string
		tenant   string
		wantKind plugin.Kind
		want     string
	}{
		"not signed in":          {body: loginBody, wantKind: plugin.KindInteraction, want: "run az login"},
		"not signed in, tenant":  {body: loginBody, tenant: "contoso.onmicrosoft.com", wantKind: plugin.KindInteraction, want: "run az login --tenant contoso.onmicrosoft.com"},
		"refresh token expired":  {body: expiredBody, wantKind: plugin.KindInteraction, want: "AADSTS700082"},
		"Entra refused":          {body: aadstsBody, wantKind: plugin.KindRefused, want: "AADSTS70011"},
		"az broken":              {body: brokenBody, wantKind: plugin.KindInternal, want: "No module named"},
		"garbage output":         {body: garbageBody, wantKind: plugin.KindInternal, want: "not a JSON object"},
		"no token in the output": {body: noTokenBody, wantKind: plugin.KindInternal, want: "no accessToken"},
		"bad expiry":             {body: `echo '{"accessToken":"x","expiresOn":"soon"}'`, wantKind: plugin.KindInternal, want: "expiresOn"},
		"not executable":         {body: "", wantKind: plugin.KindConfig, want: KeyAzPath},
		"bad interpreter":        {body: "", wantKind: plugin.KindConfig, want: "running az"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			az := newFakeAz(t, tc.body)
			switch name {
			case "not executable":
				if err := os.Chmod(az.path, 0o644); err != nil {
					t.Fatal(err)
				}
			case "bad interpreter":
				if err := os.WriteFile(az.path, []byte("#!/nonexistent/interpreter\n"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			cfg := plugin.Config{KeyAzPath: az.path, "resource": "https://management.azure.com/"}
			if tc.tenant != "" {
				cfg["tenant_id"] = tc.tenant
			}
			_, err := Provider{}.GetToken(context.Background(), newRequest(cfg))
			if got := plugin.KindOf(err); err == nil || got != tc.wantKind {
				t.Fatalf("error = %v (kind %v), want kind %v", err, got, tc.wantKind)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %q, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestGarbageIsNotEchoed(t *testing.T) {
	t.Parallel()
	az := newFakeAz(t, `echo '{"accessToken":"secret-looking-token","expires_on":"tomorrow"}'`)
	_, err := Provider{}.GetToken(context.Background(), newRequest(plugin.Config{KeyAzPath: az.path, "resource": "r"}))
	if err == nil || strings.Contains(err.Error(), "secret-looking-token") || strings.Contains(err.Error(), "tomorrow") {
		t.Fatalf("error = %v; want a parse error that quotes nothing of the output", err)
	}
}

// TestTimeout checks that a hanging az is killed, the processes it
// started included, well before its sleep would end.
func TestTimeout(t *testing.T) {
	t.Parallel()
	az := newFakeAz(t, sleepingBody)
	start := time.Now()
	_, err := Provider{Timeout: 200 * time.Millisecond}.GetToken(context.Background(), newRequest(plugin.Config{KeyAzPath: az.path, "resource": "r"}))
	if plugin.KindOf(err) != plugin.KindUnavailable || !strings.Contains(err.Error(), "did not finish within") {
		t.Fatalf("error = %v, want unavailable: did not finish", err)
	}
	// Killing only the script would leave sleep holding stdout until
	// WaitDelay (2 s) runs out.
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("took %v; the process group should be killed at the timeout", d)
	}
}

func TestCallerDeadline(t *testing.T) {
	t.Parallel()
	az := newFakeAz(t, sleepingBody)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := Provider{}.GetToken(ctx, newRequest(plugin.Config{KeyAzPath: az.path, "resource": "r"}))
	if plugin.KindOf(err) != plugin.KindUnavailable || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want unavailable wrapping the caller's deadline", err)
	}
}

func TestClaimsChallenge(t *testing.T) {
	t.Parallel()
	az := newFakeAz(t, tokenBody)
	claims := `{"access_token":{"acrs":{"essential":true,"value":"c1"}}}`
	req := newRequest(plugin.Config{KeyAzPath: az.path, "tenant_id": "t1"}, "https://graph.microsoft.com/.default")
	req.Claims = claims
	_, err := Provider{}.GetToken(context.Background(), req)
	want := "az login --tenant t1 --claims-challenge " + base64.StdEncoding.EncodeToString([]byte(claims)) + " --scope https://graph.microsoft.com/.default"
	if plugin.KindOf(err) != plugin.KindInteraction || !strings.Contains(err.Error(), want) {
		t.Fatalf("error = %v, want interaction required naming %q", err, want)
	}
	if az.runs() != 0 {
		t.Errorf("az ran; it cannot meet a claims challenge")
	}
}

// TestFindAzOnPath sets PATH, so it is not parallel.
func TestFindAzOnPath(t *testing.T) {
	az := newFakeAz(t, tokenBody)
	t.Setenv("PATH", az.dir)
	tok, err := Provider{}.GetToken(context.Background(), newRequest(plugin.Config{"resource": "r"}))
	if err != nil || tok.AccessToken.Reveal() != "cli-at-1" {
		t.Fatalf("GetToken = %v, %v; want the fake's token", tok, err)
	}

	t.Setenv("PATH", t.TempDir())
	_, err = Provider{}.GetToken(context.Background(), newRequest(plugin.Config{"resource": "r"}))
	if plugin.KindOf(err) != plugin.KindConfig || !strings.Contains(err.Error(), "not on PATH") {
		t.Fatalf("error = %v, want a configuration error: az not on PATH", err)
	}
	_, err = Provider{}.GetToken(context.Background(), newRequest(plugin.Config{"resource": "r", KeyAzPath: filepath.Join(az.dir, "nope")}))
	if plugin.KindOf(err) != plugin.KindConfig || !strings.Contains(err.Error(), KeyAzPath) {
		t.Fatalf("error = %v, want a configuration error naming %s", err, KeyAzPath)
	}
}

// TestChildEnv sets variables, so it is not parallel.
func TestChildEnv(t *testing.T) {
	t.Setenv("KEYFOB_PLUGIN", "cookie")
	t.Setenv("PLUGIN_MIN_PORT", "10000")
	t.Setenv("AZURE_CONFIG_DIR", "/inherited")
	t.Setenv("KEEP_ME", "1")
	env := childEnv("/from/profile")
	joined := "\n" + strings.Join(env, "\n") + "\n"
	for _, bad := range []string{"\nKEYFOB_PLUGIN=", "\nPLUGIN_MIN_PORT=", "AZURE_CONFIG_DIR=/inherited"} {
		if strings.Contains(joined, bad) {
			t.Errorf("az's environment has %q", strings.TrimSpace(bad))
		}
	}
	for _, good := range []string{"\nKEEP_ME=1\n", "\nAZURE_CONFIG_DIR=/from/profile\n"} {
		if !strings.Contains(joined, good) {
			t.Errorf("az's environment lacks %q", strings.TrimSpace(good))
		}
	}
}

// azNow is the clock of the parseOutput tests.
var azNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// TestParseOutputRefusesUnusableTokens: a token that could inject a
// header, a type keyfob cannot present and an expired token are refused
// as unavailable (exit 5), without quoting the output.
func TestParseOutputRefusesUnusableTokens(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ out, want string }{
		"CRLF in the token":   {`{"accessToken":"a\r\nX-Injected: evil","expires_on":1893553445}`, "accessToken has characters a bearer token may not have"},
		"escape in the token": {`{"accessToken":"\u001b]0;t\u0007","expires_on":1893553445}`, "accessToken has characters"},
		"CRLF in the type":    {`{"accessToken":"a","expires_on":1893553445,"tokenType":"Bearer\r\nX-Evil: 1"}`, `token type "Bearer\r\nX-Evil: 1" is not supported`},
		"pop type":            {`{"accessToken":"a","expires_on":1893553445,"tokenType":"pop"}`, `token type "pop" is not supported`},
		"expired":             {`{"accessToken":"a","expires_on":1700000000}`, "expired at 2023-11-14T22:13:20Z"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tok, err := parseOutput([]byte(tc.out), azNow)
			if tok != nil || plugin.KindOf(err) != plugin.KindUnavailable || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("parseOutput = %v, %v (kind %v); want exit 5 with %q", tok, err, plugin.KindOf(err), tc.want)
			}
			if strings.ContainsAny(err.Error(), "\r\n\x1b") || strings.Contains(err.Error(), "X-Injected") {
				t.Errorf("error %q quotes the output or holds a control character", err)
			}
		})
	}
}

func TestParseOutput(t *testing.T) {
	t.Parallel()
	local := time.Date(2030, 1, 2, 3, 4, 5, 123456000, time.Local).UTC()
	tests := map[string]struct {
		out  string
		want time.Time
		tt   string
	}{
		"expires_on wins":         {out: `{"accessToken":"a","expiresOn":"2000-01-01 00:00:00.000000","expires_on":1893553445,"tokenType":"Bearer"}`, want: time.Unix(1893553445, 0).UTC(), tt: "Bearer"},
		"expires_on as a string":  {out: `{"accessToken":"a","expires_on":"1893553445"}`, want: time.Unix(1893553445, 0).UTC(), tt: "Bearer"},
		"expiresOn in local time": {out: `{"accessToken":"a","expiresOn":"2030-01-02 03:04:05.123456","tokenType":"bearer"}`, want: local, tt: "Bearer"},
		"expiresOn, no fraction":  {out: `{"accessToken":"a","expiresOn":"2030-01-02 03:04:05"}`, want: local.Truncate(time.Second), tt: "Bearer"},
		"expiresOn RFC 3339":      {out: `{"accessToken":"a","expiresOn":"2030-01-02T03:04:05Z"}`, want: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), tt: "Bearer"},
		"expires_on null":         {out: `{"accessToken":"a","expires_on":null,"expiresOn":"2030-01-02T03:04:05Z"}`, want: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), tt: "Bearer"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tok, err := parseOutput([]byte(tc.out), azNow)
			if err != nil {
				t.Fatal(err)
			}
			if !tok.ExpiresAt.Equal(tc.want) || tok.TokenType != tc.tt || tok.AccessToken.Reveal() != "a" {
				t.Errorf("token = %s %v, want %s %v", tok.TokenType, tok.ExpiresAt, tc.tt, tc.want)
			}
		})
	}
	for _, bad := range []string{``, `[]`, `{}`, `{"accessToken":""}`, `{"accessToken":"a"}`, `{"accessToken":"a","expires_on":-5}`,
		`{"accessToken":"a","expires_on":1e300}`, `{"accessToken":"a","expires_on":"NaN"}`, `{"accessToken":7}`} {
		if _, err := parseOutput([]byte(bad), azNow); !errors.Is(err, errBadOutput) {
			t.Errorf("parseOutput(%s) error = %v, want errBadOutput", bad, err)
		}
	}
}

func TestInfoKeys(t *testing.T) {
	t.Parallel()
	for _, k := range Info.Keys {
		spec, ok := config.Lookup(k.Name)
		if !ok {
			t.Errorf("key %s is not a configuration key", k.Name)
			continue
		}
		if spec.Secret != k.Secret || spec.List != k.List {
			t.Errorf("key %s: Info says secret=%v list=%v, the key table secret=%v list=%v", k.Name, k.Secret, k.List, spec.Secret, spec.List)
		}
	}
}
