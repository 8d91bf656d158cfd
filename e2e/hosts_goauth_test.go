package e2e_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// TestGoauthGoCommand runs the go command (the one running the tests) with
// GOAUTH set to keyfob against a module proxy over HTTPS that answers 401
// without a token zitadel issued.
func TestGoauthGoCommand(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	goBin := toolClient(t, "go", true)
	tests := map[string]struct {
		goauth          string // after the keyfob path
		hosts           func(proxyHost string) []string
		wantOK          bool
		firstAuthorized bool // the token is announced before the first request
	}{
		"host matching": {goauth: "goauth", hosts: func(h string) []string { return []string{h} }, wantOK: true},
		"-p announces":  {goauth: "goauth -p mods", hosts: func(h string) []string { return []string{h} }, wantOK: true, firstAuthorized: true},
		// A host without its port cannot be announced as a prefix (the go
		// command matches prefixes literally), so the token comes after
		// the first 401.
		"-p, host without port":   {goauth: "goauth -p mods", hosts: func(string) []string { return []string{"127.0.0.1"} }, wantOK: true},
		"no profile for the host": {goauth: "goauth", hosts: func(string) []string { return []string{"proxy.example.com"} }},
		"-p without hosts":        {goauth: "goauth -p mods", hosts: func(string) []string { return nil }},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			z := servers.StartZitadel(t)
			proxy := servers.StartModuleProxy(t, toolVerify(z))
			host := strings.TrimPrefix(proxy.URL, "https://")
			home := t.TempDir()
			cfg := harness.WriteConfig(t, home, toolProfile("mods", z, tc.hosts(host)...))
			out, err := goModDownload(t, goBin, home, cfg, z, proxy, bin+" "+tc.goauth)
			reqs := proxy.Requests()
			if !tc.wantOK {
				if err == nil || !strings.Contains(out, "401") {
					t.Errorf("go mod download: %v; want a failure showing the 401", err)
				}
				for _, r := range reqs {
					if r.Authorized {
						t.Errorf("a request carried a token: %+v", r)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("go mod download: %v", err)
			}
			checkModule(t, out, proxy)
			checkGuarded(t, reqs, "/example.com/private/@v/v1.0.0.info", "/example.com/private/@v/v1.0.0.zip")
			if len(reqs) == 0 || reqs[0].Authorized != tc.firstAuthorized {
				t.Errorf("first request authorized = %v, want %v: %+v", len(reqs) > 0 && reqs[0].Authorized, tc.firstAuthorized, reqs)
			}
			if n := z.GrantRequests("client_credentials"); n != 1 {
				t.Errorf("client_credentials requests = %d, want 1 (keyfob's cache serves the rest)", n)
			}
		})
	}
}

// goModDownload runs go mod download for the proxy's module with GOAUTH.
func goModDownload(t *testing.T, goBin, home, cfg string, z *servers.Zitadel, proxy *servers.ModuleProxy, goauth string) (string, error) {
	t.Helper()
	gopath := filepath.Join(home, "go")
	env := toolEnv(home, cfg, z,
		"GOAUTH="+goauth,
		"GOPROXY="+proxy.URL,
		"GOSUMDB=off",
		"GOPRIVATE=", "GONOPROXY=", "GONOSUMDB=", "GOINSECURE=",
		"SSL_CERT_FILE="+proxy.CertFile,
		"GOPATH="+gopath,
		"GOMODCACHE="+filepath.Join(gopath, "pkg", "mod"),
		"GOCACHE="+filepath.Join(home, "gocache"),
		"GOFLAGS=-modcacherw",
		"GOTOOLCHAIN=local",
		"GOENV=off",
		"GOTELEMETRY=off",
		"GO111MODULE=on",
	)
	return runToolCmd(t, home, env, goBin, "mod", "download", "-json", proxy.Module+"@"+proxy.Version)
}

// checkModule checks go mod download's JSON: the module unpacked.
func checkModule(t *testing.T, out string, proxy *servers.ModuleProxy) {
	t.Helper()
	var m struct{ Path, Version, Dir, Error string }
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("go mod download -json output: %v", err)
	}
	if m.Error != "" || m.Path != proxy.Module || m.Version != proxy.Version {
		t.Fatalf("downloaded %+v, want %s@%s", m, proxy.Module, proxy.Version)
	}
	if _, err := os.Stat(filepath.Join(m.Dir, "private.go")); err != nil {
		t.Errorf("module not unpacked: %v", err)
	}
}

// TestGoauthOutput checks keyfob's GOAUTH output itself, as the go command
// would parse it.
func TestGoauthOutput(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	z := servers.StartZitadel(t)
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, toolProfile("mods", z, "mods.example.com", "*.example.org"))
	run := func(args ...string) harness.Result {
		return harness.Run(t, bin, harness.RunOpts{Home: home, Args: append([]string{"goauth"}, args...),
			Env:   env("KEYFOB_CONFIG", cfg, clientSecretVar, z.BasicClient.Secret),
			Stdin: "HTTP/1.1 401 Unauthorized\nWww-Authenticate: Bearer\n\n"})
	}
	res := run("https://x.example.org/m/@v/list")
	checkSuccess(t, res, z.BasicClient.Secret)
	lines := strings.Split(res.Stdout, "\n")
	if len(lines) != 5 || lines[0] != "https://x.example.org" || lines[1] != "" || !strings.HasPrefix(lines[2], "Authorization: Bearer ") || lines[3] != "" {
		t.Fatalf("stdout = %q, want one credential set for https://x.example.org", res.Stdout)
	}
	if _, err := z.VerifyAccessToken(t.Context(), strings.TrimPrefix(lines[2], "Authorization: Bearer ")); err != nil {
		t.Errorf("the token is not one zitadel issued: %v", err)
	}
	for _, args := range [][]string{{}, {"https://proxy.golang.org/x/@v/list"}, {"http://mods.example.com/x"}} {
		if res := run(args...); res.ExitCode != 0 || res.Stdout != "" {
			t.Errorf("goauth %v: %s; want exit 0 and nothing", args, res)
		}
	}
	if n := z.TokenRequests(); n != 1 {
		t.Errorf("token requests = %d, want 1", n)
	}
}
