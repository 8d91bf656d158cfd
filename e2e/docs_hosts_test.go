//go:build linux

package e2e_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google/externalaccount"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// The tests of docs/hosts.md's sections for the go command, cargo, pnpm
// and Google's auth libraries. Each reads its blocks from the file at
// test time and uses their text as a user would: the keyfob profile
// verbatim as ~/.config/keyfob/config.toml, cargo's lines as
// ~/.cargo/config.toml, shell lines through bash -c, the credential JSON
// through Google's library. Only the placeholder /usr/local/bin/ is filled
// in (with where the test's keyfob is). The tools run behind the
// intercepting HTTPS proxy of readme_test.go, which answers for the
// document's hosts (idp.example.com, goproxy.example.com,
// crates.example.com, sts.googleapis.com) on loopback and refuses every
// other host, so the documented lines run unchanged and nothing leaves
// the machine. A block that changes or goes away fails its test: the
// document and the tests cannot drift apart.

// The blocks, by how their first line starts.
const (
	docsProfileBlock = "# ~/.config/keyfob/config.toml [profiles.ci]"
	docsGoauthBlock  = "export GOAUTH='keyfob goauth'"
	docsCargoBlock   = "# ~/.cargo/config.toml"
	docsNpmrcBlock   = "; ~/.npmrc"
	docsPnpmScript   = "#!/bin/sh # /usr/local/bin/keyfob-pnpm-ci"
	docsGoogleJSON   = `{ "type": "external_account",`
	docsGoogleEnv    = "export GOOGLE_APPLICATION_CREDENTIALS="
)

// docsBlock returns the text of the one fenced block of docs/hosts.md
// whose first lines, whitespace collapsed, start with first.
func docsBlock(t *testing.T, first string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(harness.RepoRoot(t), "docs", "hosts.md"))
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for i, part := range strings.Split(string(data), "```") {
		if i%2 == 0 {
			continue // prose between fences
		}
		_, body, _ := strings.Cut(part, "\n") // drop the language
		if strings.HasPrefix(strings.Join(strings.Fields(body), " "), first) {
			found = append(found, body)
		}
	}
	if len(found) != 1 {
		t.Fatalf("docs/hosts.md has %d blocks starting %q, want 1: update docs_hosts_test.go with the document", len(found), first)
	}
	return found[0]
}

// docsWorld is one user's machine for the document's examples: keyfob in
// ~/go/bin, the profile block as the configuration, the fake
// authorization server and the tools' servers behind the proxy.
type docsWorld struct {
	t      *testing.T
	bin    string // ~/go/bin/keyfob
	home   string
	tmp    string
	secret string // CI_SECRET
	idp    *fakeIdP
	proxy  *mitmProxy
}

func newDocsWorld(t *testing.T, hosts map[string]http.Handler) *docsWorld {
	t.Helper()
	// go-plugin's sockets go under TMPDIR, whose path must stay short.
	tmp, err := os.MkdirTemp("", "kf-docs-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	w := &docsWorld{t: t, home: t.TempDir(), tmp: tmp, secret: "ci-secret-" + randomHex()}
	w.idp = newFakeIdP(map[string]string{"CI_SECRET": w.secret})
	all := map[string]http.Handler{"idp.example.com": w.idp}
	for h, handler := range hosts {
		all[h] = handler
	}
	w.proxy = startMITMProxy(t, all)
	built := keyfobBin(t)
	binDir := filepath.Join(w.home, "go", "bin")
	if err := os.MkdirAll(binDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"keyfob", "keyfob-engine"} {
		if err := os.Link(filepath.Join(filepath.Dir(built), name), filepath.Join(binDir, name)); err != nil {
			copyFile(t, filepath.Join(filepath.Dir(built), name), filepath.Join(binDir, name))
		}
	}
	w.bin = filepath.Join(binDir, "keyfob")
	w.write(".config/keyfob/config.toml", docsBlock(t, docsProfileBlock), 0o600)
	return w
}

// write writes a file under the home directory and returns its path.
func (w *docsWorld) write(rel, body string, mode os.FileMode) string {
	w.t.Helper()
	path := filepath.Join(w.home, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), mode); err != nil {
		w.t.Fatal(err)
	}
	return path
}

// fillBin fills in the placeholder /usr/local/bin/keyfob.
func (w *docsWorld) fillBin(text string) string {
	w.t.Helper()
	return fill(w.t, text, "/usr/local/bin/keyfob", w.bin)
}

// environ is the user's shell: keyfob on PATH, the proxy and its CA, the
// secret the profile references; nothing of the test's own environment
// but PATH and GOCOVERDIR.
func (w *docsWorld) environ(extra ...string) []string {
	ca := w.proxy.caFile
	env := []string{
		"HOME=" + w.home, "TMPDIR=" + w.tmp, "TERM=dumb", "CI_SECRET=" + w.secret,
		"PATH=" + filepath.Dir(w.bin) + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HTTPS_PROXY=" + w.proxy.URL, "https_proxy=" + w.proxy.URL,
		"NO_PROXY=127.0.0.1,localhost,::1", "no_proxy=127.0.0.1,localhost,::1",
		"SSL_CERT_FILE=" + ca, "CURL_CA_BUNDLE=" + ca, "CARGO_HTTP_CAINFO=" + ca,
	}
	if v, ok := os.LookupEnv("GOCOVERDIR"); ok {
		env = append(env, "GOCOVERDIR="+v)
	}
	return append(env, extra...)
}

// bash runs script with bash -c in dir and returns its stdout, failing
// the test unless it exits 0.
func (w *docsWorld) bash(dir, script string, extra ...string) string {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", "set -euo pipefail\n"+script)
	var stderr strings.Builder
	cmd.Dir, cmd.Env, cmd.Stderr, cmd.WaitDelay = dir, w.environ(extra...), &stderr, 5*time.Second
	out, err := cmd.Output()
	w.t.Logf("bash -c %q:\nstdout:\n%s\nstderr:\n%s", script, out, stderr.String())
	if err != nil {
		w.t.Fatalf("bash -c %q: %v\n%s", script, err, stderr.String())
	}
	return string(out)
}

// verify accepts the access tokens the fake issued for the profile's
// scope.
func (w *docsWorld) verify(_ context.Context, token string) error { return w.idp.check(token, "api") }

// lateHandler serves with the handler set once its server exists (the
// servers need the world, whose proxy routes to them); 404 before.
type lateHandler struct{ h atomic.Pointer[http.Handler] }

func (l *lateHandler) set(h http.Handler) { l.h.Store(&h) }

func (l *lateHandler) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if h := l.h.Load(); h != nil {
		(*h).ServeHTTP(rw, r)
		return
	}
	http.NotFound(rw, r)
}

// reverseTo is a handler that forwards to the server at target, trusting
// caFile for an https target.
func reverseTo(t *testing.T, target, caFile string) http.Handler {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			t.Fatal(err)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &httputil.ReverseProxy{Transport: tr, Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(u)
		r.Out.Host = u.Host
	}}
}

// TestDocsHostsGoauth runs the GOAUTH block: the go command downloads the
// private module from goproxy.example.com with keyfob's token.
func TestDocsHostsGoauth(t *testing.T) {
	t.Parallel()
	goBin := toolClient(t, "go", true)
	handler := &lateHandler{}
	w := newDocsWorld(t, map[string]http.Handler{"goproxy.example.com": handler})
	mp := servers.StartModuleProxy(t, w.verify)
	handler.set(reverseTo(t, mp.URL, mp.CertFile))
	gopath := filepath.Join(w.home, "go")
	out := w.bash(w.home, docsBlock(t, docsGoauthBlock),
		"PATH="+filepath.Dir(w.bin)+string(os.PathListSeparator)+filepath.Dir(goBin)+string(os.PathListSeparator)+os.Getenv("PATH"),
		"GOPATH="+gopath, "GOMODCACHE="+filepath.Join(gopath, "pkg", "mod"), "GOCACHE="+filepath.Join(w.home, "gocache"),
		"GOFLAGS=-modcacherw", "GOTOOLCHAIN=local", "GOENV=off", "GOTELEMETRY=off")
	checkModule(t, out, mp)
	checkGuarded(t, mp.Requests(), "/example.com/private/@v/v1.0.0.info", "/example.com/private/@v/v1.0.0.zip")
	if n := len(w.idp.requests("client_credentials")); n != 1 {
		t.Errorf("client_credentials requests = %d, want 1 (keyfob's cache serves the rest)", n)
	}
}

// TestDocsHostsCargo runs cargo with the document's ~/.cargo/config.toml:
// the crate of the registry at crates.example.com is fetched with
// keyfob's token.
func TestDocsHostsCargo(t *testing.T) {
	t.Parallel()
	cargo := toolClient(t, "cargo", true)
	handler := &lateHandler{}
	w := newDocsWorld(t, map[string]http.Handler{"crates.example.com": handler})
	reg := servers.StartCargoRegistry(t, w.verify)
	handler.set(reverseTo(t, strings.TrimSuffix(strings.TrimPrefix(reg.IndexURL, "sparse+"), "/index/"), ""))
	config := docsBlock(t, docsCargoBlock)
	if !strings.Contains(config, "[registries.contoso]") {
		t.Fatalf("the cargo block no longer names the registry contoso:\n%s", config)
	}
	w.write(".cargo/config.toml", w.fillBin(config), 0o644)
	w.write("project/Cargo.toml", "[package]\nname = \"p\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nkfdep = { version = \"0.1\", registry = \"contoso\" }\n", 0o644)
	w.write("project/src/main.rs", "fn main() { println!(\"{}\", kfdep::answer()); }\n", 0o644)
	w.bash(filepath.Join(w.home, "project"), "exec "+cargo+" fetch", cargoHomeEnv(w.home)...)
	checkGuarded(t, reg.Requests(), "/index/config.json", "/index/kf/de/kfdep", "/dl/kfdep/0.1.0/download")
	if n := len(w.idp.requests("client_credentials")); n != 1 {
		t.Errorf("client_credentials requests = %d, want 1", n)
	}
}

// TestDocsHostsPnpm checks the pnpm blocks without pnpm (not on the
// machine image; TestPnpmTokenHelper runs it when present): the .npmrc
// points the registry's tokenHelper at the documented script, and the
// script, run as pnpm runs it, prints "Bearer <token>" for the profile.
func TestDocsHostsPnpm(t *testing.T) {
	t.Parallel()
	w := newDocsWorld(t, nil)
	npmrc := docsBlock(t, docsNpmrcBlock)
	script := w.fillBin(docsBlock(t, docsPnpmScript))
	helper := "/usr/local/bin/keyfob-pnpm-ci"
	registry, nerf := "", ""
	for _, line := range strings.Split(npmrc, "\n") {
		if v, ok := strings.CutPrefix(line, "@contoso:registry="); ok {
			registry = v
		}
		if k, v, ok := strings.Cut(line, ":tokenHelper="); ok && v == helper {
			nerf = k
		}
	}
	if registry == "" || nerf == "" || "//"+strings.TrimPrefix(registry, "https://") != nerf {
		t.Fatalf("the .npmrc block must set @contoso:registry and give its //host/path/ the tokenHelper %s:\n%s", helper, npmrc)
	}
	path := w.write("bin/keyfob-pnpm-ci", script, 0o700)
	out := w.bash(w.home, "exec "+path)
	token, ok := strings.CutPrefix(out, "Bearer ")
	token, nl := strings.CutSuffix(token, "\n")
	if !ok || !nl || strings.ContainsAny(token, " \n") {
		t.Fatalf("the helper printed %q, want one line Bearer <token>", out)
	}
	w.idp.wantToken(t, token, "ci", "api")
}

// docsSTS is Google's Security Token Service for the document's audience:
// it exchanges a subject token the fake issued for a Google access token.
func docsSTS(w *docsWorld, audience string) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/token" || r.ParseForm() != nil || r.PostForm.Get("grant_type") != tokenExchange ||
			r.PostForm.Get("audience") != audience || r.PostForm.Get("subject_token_type") != jwtTokenType ||
			w.verify(r.Context(), r.PostForm.Get("subject_token")) != nil {
			writeJSON(rw, http.StatusBadRequest, map[string]any{"error": "invalid_grant", "error_description": "subject token refused"})
			return
		}
		writeJSON(rw, http.StatusOK, map[string]any{"access_token": googleAT, "token_type": "Bearer",
			"issued_token_type": "urn:ietf:params:oauth:token-type:access_token", "expires_in": 3600})
	})
}

// TestDocsHostsGoogle runs the Google blocks: the shell lines set the
// variables, the credential JSON goes where they say, and Google's Go auth
// library, reading it, runs keyfob and trades its token at
// sts.googleapis.com. The library reads its opt-in from its own
// environment and passes that environment on, so this test sets variables
// on the test process and cannot run in parallel.
func TestDocsHostsGoogle(t *testing.T) {
	sts := &lateHandler{}
	w := newDocsWorld(t, map[string]http.Handler{"sts.googleapis.com": sts})
	vars := strings.Fields(w.bash(w.home, docsBlock(t, docsGoogleEnv)+
		`printf '%s %s\n' "$GOOGLE_APPLICATION_CREDENTIALS" "$GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES"`))
	if len(vars) != 2 || !strings.HasPrefix(vars[0], w.home+"/") || vars[1] != "1" {
		t.Fatalf("the shell block set %q, want a credentials file under the home and the opt-in", vars)
	}
	credJSON := w.fillBin(docsBlock(t, docsGoogleJSON))
	if err := os.MkdirAll(filepath.Dir(vars[0]), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(vars[0], []byte(credJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := googleExternalAccount(t, vars[0])
	sts.set(docsSTS(w, cfg.Audience))
	for _, kv := range w.environ("GOOGLE_APPLICATION_CREDENTIALS="+vars[0], "GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES="+vars[1]) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	for _, k := range []string{"KEYFOB_CONFIG", "KEYFOB_CACHE_DIR", "KEYFOB_PROFILE", "KEYFOB_NONINTERACTIVE", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", googleInteract} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, w.proxyClient(t))
	ts, err := externalaccount.NewTokenSource(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := ts.Token()
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	if tok.AccessToken != googleAT {
		t.Errorf("Google access token %q, want the STS's", tok.AccessToken)
	}
	if n := len(w.idp.requests("client_credentials")); n != 1 {
		t.Errorf("client_credentials requests = %d, want 1", n)
	}
}

// googleExternalAccount reads a credential file of type external_account
// into the library's configuration, as google.CredentialsFromJSON does.
func googleExternalAccount(t *testing.T, path string) externalaccount.Config {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Type             string                            `json:"type"`
		Audience         string                            `json:"audience"`
		SubjectTokenType string                            `json:"subject_token_type"`
		TokenURL         string                            `json:"token_url"`
		CredentialSource *externalaccount.CredentialSource `json:"credential_source"`
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil || f.Type != "external_account" || f.CredentialSource == nil || f.CredentialSource.Executable == nil {
		t.Fatalf("the credential JSON block is not an executable-sourced external account (%v):\n%s", err, data)
	}
	return externalaccount.Config{Audience: f.Audience, SubjectTokenType: f.SubjectTokenType, TokenURL: f.TokenURL,
		CredentialSource: f.CredentialSource, Scopes: []string{"https://www.googleapis.com/auth/cloud-platform"}}
}

// proxyClient is an HTTP client that goes through the proxy and trusts
// its CA, as the library's process would with HTTPS_PROXY and
// SSL_CERT_FILE.
func (w *docsWorld) proxyClient(t *testing.T) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(w.proxy.caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	proxyURL, err := url.Parse(w.proxy.URL)
	if err != nil {
		t.Fatal(err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = http.ProxyURL(proxyURL)
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: tr, Timeout: time.Minute}
}
