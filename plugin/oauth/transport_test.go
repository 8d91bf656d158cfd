package oauth

import (
	"encoding/pem"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/keyfob/keyfob/plugin"
)

func TestHTTPClientFromConfigCAFile(t *testing.T) {
	t.Parallel()
	s := &stub{replies: []reply{jsonReply(200, tokenBody)}}
	srv := newTLSServer(t, s)
	dir := t.TempDir()
	caFile := filepath.Join(dir, "ca.pem")
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		cfg      plugin.Config
		wantKind plugin.Kind // KindInternal means success
		wantMsg  string
	}{
		"ca_file trusts the server":  {cfg: plugin.Config{"ca_file": caFile}},
		"system pool does not":       {cfg: plugin.Config{}, wantKind: plugin.KindUnavailable, wantMsg: "TLS certificate not trusted"},
		"missing ca_file":            {cfg: plugin.Config{"ca_file": filepath.Join(dir, "nope.pem")}, wantKind: plugin.KindConfig, wantMsg: "key ca_file:"},
		"ca_file without PEM blocks": {cfg: plugin.Config{"ca_file": writeFile(t, dir, "junk")}, wantKind: plugin.KindConfig, wantMsg: "holds no PEM certificate"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := tokenVia(t, srv.URL, tc.cfg)
			if tc.wantKind == plugin.KindInternal {
				if err != nil {
					t.Fatalf("Token() = %v", err)
				}
				return
			}
			if plugin.KindOf(err) != tc.wantKind || !contains(err.Error(), tc.wantMsg) {
				t.Errorf("error = %v (kind %v), want %v containing %q", err, plugin.KindOf(err), tc.wantKind, tc.wantMsg)
			}
		})
	}
}

// tokenVia runs one token request through HTTPClientFromConfig(cfg).
func tokenVia(t *testing.T, tokenURL string, cfg plugin.Config) (*TokenResponse, error) {
	hc, err := HTTPClientFromConfig(cfg)
	if err != nil {
		return nil, err
	}
	c := testClient(tokenURL, nil)
	c.HTTPClient = hc
	return c.Token(t.Context(), url.Values{})
}

// writeFile writes a file named by its content into dir.
func writeFile(t *testing.T, dir, content string) string {
	t.Helper()
	p := filepath.Join(dir, content+".pem")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
