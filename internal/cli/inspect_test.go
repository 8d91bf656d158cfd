package cli

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/internal/golden"
	"github.com/spf13/pflag"
)

// inspectProfile is the configuration of the inspect tests.
const inspectProfile = `[profiles.graph]
provider = "client_credentials"
token_url = "https://idp.invalid/token"
client_id = "app"
scopes = ["https://graph.microsoft.com/.default"]
`

// makeJWT builds a compact JWS with claims and a made-up signature; it is
// never verified.
func makeJWT(t *testing.T, claims map[string]any) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(map[string]string{"alg": "RS256", "typ": "JWT", "kid": "k1"}) + "." + enc(claims) + ".c2lnbmF0dXJlLW5ldmVyLXNob3du"
}

// graphClaims are an Entra-like access token's claims at fixedNow.
func graphClaims() map[string]any {
	return map[string]any{
		"aud": "https://graph.microsoft.com", "iss": "https://sts.windows.net/11111111-2222-3333-4444-555555555555/",
		"sub": "subject-id", "scp": "User.Read Mail.Read", "roles": []string{"Reader", "Writer"},
		"tid": "11111111-2222-3333-4444-555555555555", "oid": "66666666-7777-8888-9999-000000000000",
		"upn": "alice@contoso.com", "appid": "00000000-0000-0000-0000-000000000001",
		"iat": fixedNow.Add(-5 * time.Minute).Unix(), "nbf": fixedNow.Add(-5 * time.Minute).Unix(),
		"exp": fixedNow.Add(55 * time.Minute).Unix(), "nonce": "not shown", "xms_st": map[string]string{"sub": "not shown"},
	}
}

// cacheToken stores token in the cache under the key keyfob token -p
// profile computes, valid for an hour from fixedNow.
func cacheToken(t *testing.T, vars map[string]string, profile, token string) {
	t.Helper()
	var c commonFlags
	fs := pflag.NewFlagSet("inspect", pflag.ContinueOnError)
	c.register(fs)
	if err := fs.Parse([]string{"-p", profile}); err != nil {
		t.Fatal(err)
	}
	e := &Env{Getenv: func(k string) string { return vars[k] }, Now: func() time.Time { return fixedNow }, Stderr: io.Discard}
	p, err := e.selectProfile(&c, fs)
	if err != nil {
		t.Fatal(err)
	}
	cc, err := cache.Open(vars["KEYFOB_CACHE_DIR"], cache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	req, err := e.keyedRequest(cc, tokenkey.Request{Values: p.Values})
	if err != nil {
		t.Fatal(err)
	}
	err = cc.Put(tokenkey.Access(req, config.IsSecret), &cache.Entry{AccessToken: token, TokenType: "Bearer", ExpiresAt: fixedNow.Add(time.Hour),
		IssuedAt: fixedNow, Profile: p.Name, Scope: "User.Read Mail.Read"})
	if err != nil {
		t.Fatal(err)
	}
}

// inspectVars writes the configuration and returns the environment of a
// run with its own cache.
func inspectVars(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	return map[string]string{"KEYFOB_CONFIG": writeFileMode(t, filepath.Join(dir, "config.toml"), inspectProfile, 0o600),
		"KEYFOB_CACHE_DIR": filepath.Join(dir, "cache"), "KEYFOB_KEYRING": "off"}
}

// TestInspectGolden: the cached token's selected claims, as text and
// JSON; never the token or its signature.
func TestInspectGolden(t *testing.T) {
	t.Parallel()
	for name, args := range map[string][]string{"inspect-text": nil, "inspect-json": {"-o", "json"}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			vars := inspectVars(t)
			token := makeJWT(t, graphClaims())
			cacheToken(t, vars, "graph", token)
			stdout, stderr, code := runAt(t, fixedNow, vars, append([]string{"inspect", "-p", "graph"}, args...)...)
			if code != ExitOK || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			golden.Check(t, name, []byte(stdout))
			parts := strings.Split(token, ".")
			for what, s := range map[string]string{"token": token, "payload": parts[1], "signature": parts[2], "nonce": "not shown"} {
				if strings.Contains(stdout, s) {
					t.Errorf("the output shows the %s", what)
				}
			}
		})
	}
}

func TestInspectFormats(t *testing.T) {
	t.Parallel()
	evil := graphClaims()
	evil["upn"] = "eve\x1b[2J\x1b]0;pwned\x07@contoso.com"
	tests := map[string]struct {
		token      string
		want       []string
		wantAbsent []string
	}{
		"opaque": {token: "opaque-token-value",
			want: []string{"format              opaque: not a JWT", "expires             2026-11-21T13:00:00Z (in 1h0m0s)", "granted scope       User.Read Mail.Read"}},
		"encrypted": {token: "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d",
			want: []string{"encrypted JWT (JWE)"}, wantAbsent: []string{"aud "}},
		"three parts, not JSON": {token: "not.a.jwt", want: []string{"opaque"}},
		"control characters in claims": {token: makeJWT(t, evil),
			want: []string{"upn                 eve[2J]0;pwned@contoso.com"}, wantAbsent: []string{"\x1b", "\x07"}},
		"times relative to now": {token: makeJWT(t, graphClaims()),
			want: []string{"exp                 2026-11-21T12:55:00Z (in 55m0s)", "iat                 2026-11-21T11:55:00Z (5m0s ago)"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			vars := inspectVars(t)
			cacheToken(t, vars, "graph", tc.token)
			stdout, stderr, code := runAt(t, fixedNow, vars, "inspect", "-p", "graph")
			if code != ExitOK {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("output lacks %q:\n%s", w, stdout)
				}
			}
			for _, w := range append(tc.wantAbsent, tc.token) {
				if strings.Contains(stdout, w) {
					t.Errorf("output shows %q:\n%s", w, stdout)
				}
			}
		})
	}
}

func TestInspectSelectClaims(t *testing.T) {
	t.Parallel()
	in := inspectEntry("p", &cache.Entry{AccessToken: makeJWT(t, map[string]any{
		"aud": []string{"api://one", "api://two"}, "azp": "client", "exp": 1.7e9, "big": 123456789012345, "nbf": "soon"})})
	want := map[string]any{"aud": []any{"api://one", "api://two"}, "azp": "client", "exp": "2023-11-14T22:13:20Z", "nbf": "soon"}
	if diff := cmp.Diff(want, in.Claims); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
	if in.Format != formatJWT || in.Alg != "RS256" {
		t.Errorf("format %q alg %q, want jwt RS256", in.Format, in.Alg)
	}
}

func TestInspectErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		args     []string
		wantCode int
		want     string
	}{
		"unknown profile": {args: []string{"inspect", "-p", "nope"}, wantCode: ExitUsage, want: `"nope"`},
		"bad output":      {args: []string{"inspect", "-p", "graph", "-o", "yaml"}, wantCode: ExitUsage, want: "yaml"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := runAt(t, fixedNow, inspectVars(t), tc.args...)
			if code != tc.wantCode || stdout != "" || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, nothing, and %q", code, stdout, stderr, tc.wantCode, tc.want)
			}
		})
	}
}

// FuzzInspectEntry feeds keyfob inspect arbitrary tokens, as a server may
// issue them. It never panics, reports a JWT only for three decodable
// segments, and prints no control character but newlines: claims come
// from outside and must not drive the terminal.
func FuzzInspectEntry(f *testing.F) {
	f.Add("opaque-token")
	f.Add("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIiwiZXhwIjoxNzAwMDAwMDAwfQ.c2ln")
	f.Add("eyJhbGciOiJSUzI1NiJ9.eyJ1cG4iOiJcdTAwMWJbMkoifQ.c2ln")
	f.Add("a.b.c.d.e")
	f.Add("..")
	f.Fuzz(func(t *testing.T, token string) {
		in := inspectEntry("p", &cache.Entry{AccessToken: token, ExpiresAt: fixedNow})
		if in.Format == formatJWT && len(strings.Split(token, ".")) != 3 {
			t.Fatalf("a token of %d segments called a JWT", len(strings.Split(token, ".")))
		}
		if _, err := json.Marshal(in); err != nil {
			t.Fatalf("the inspection does not encode: %v", err)
		}
		var b strings.Builder
		if err := writeInspection(&b, in, fixedNow); err != nil {
			t.Fatal(err)
		}
		for _, r := range b.String() {
			if r != '\n' && (r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0)) {
				t.Fatalf("the output holds control character %U:\n%q", r, b.String())
			}
		}
	})
}
