package e2e_test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// TestCargoRefusesPlainHTTPIndex runs cargo against a sparse registry
// whose index is sparse+http:// on a host that is not loopback: keyfob
// answers url-not-supported and says why on stderr, so no token travels
// in plain text. The registry's host name reaches the registry on
// loopback through a forward proxy (cargo's http.proxy), so nothing
// leaves the machine.
func TestCargoRefusesPlainHTTPIndex(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	cargo := toolClient(t, "cargo", true)
	const regHost = "crates.example.test"
	tests := map[string]struct {
		provider string
		hosts    []string
		index    string // the index URL; the registry is reached at regHost
	}{
		"-p, sparse+http":            {provider: "cargo -p crates", index: "sparse+http://" + regHost + "/index/"},
		"host matching, sparse+http": {provider: "cargo", hosts: []string{regHost}, index: "sparse+http://" + regHost + "/index/"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			z := servers.StartZitadel(t)
			reg := servers.StartCargoRegistry(t, toolVerify(z))
			proxy := forwardProxy(t, reg.IndexURL)
			home := t.TempDir()
			cfg := harness.WriteConfig(t, home, toolProfile("crates", z, tc.hosts...))
			project := cargoProject(t, home, &servers.CargoRegistry{IndexURL: tc.index}, bin+" "+tc.provider)
			out, err := runToolCmd(t, project, cargoEnv(t, home, cfg, z, "CARGO_HTTP_PROXY="+proxy), cargo, "fetch")
			if err == nil || !strings.Contains(out, "no credential providers could handle the request") {
				t.Errorf("cargo fetch: %v; want cargo to find no provider for the registry", err)
			}
			note := `keyfob: not sending the token of profile "crates" in plain text to ` + regHost + ` (use https)`
			if !strings.Contains(out, note) {
				t.Errorf("cargo's output lacks keyfob's note %q", note)
			}
			reqs := reg.Requests()
			if len(reqs) == 0 {
				t.Error("the registry got no request: the proxy did not reach it")
			}
			for _, r := range reqs {
				if r.Authorized {
					t.Errorf("a request carried a token over plain http: %+v", r)
				}
			}
			if n := z.TokenRequests(); n != 0 {
				t.Errorf("token requests = %d, want 0 (keyfob refuses before getting a token)", n)
			}
		})
	}
}

// forwardProxy starts an HTTP forward proxy on loopback that sends every
// request, whatever host it names, to the server of indexURL.
func forwardProxy(t *testing.T, indexURL string) string {
	t.Helper()
	target, err := url.Parse(strings.TrimPrefix(indexURL, "sparse+"))
	if err != nil {
		t.Fatal(err)
	}
	rp := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.Out.URL.Scheme, r.Out.URL.Host = target.Scheme, target.Host
		r.Out.Host = r.In.Host
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodConnect {
			http.Error(w, "no tunnels here", http.StatusMethodNotAllowed)
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
