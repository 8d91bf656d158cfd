//go:build unix

package e2e_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// Issue 12 item 6 against zitadel's OpenID provider, configured to behave
// like the certified provider of the report.

// TestRefreshAsksOnlyForGrantedScopes: the server grants the resource
// scope and offline_access but drops openid and profile from a browser
// sign-in, and refuses (invalid_scope) a refresh that asks for more than
// the grant included (RFC 6749 §6). keyfob's refresh must ask for the
// resource scope and the granted sign-in scope only, and succeed without
// anybody to ask.
func TestRefreshAsksOnlyForGrantedScopes(t *testing.T) {
	t.Parallel()
	z := servers.StartZitadel(t, servers.ZitadelDropsSignInScopes())
	home := t.TempDir()
	toml := fmt.Sprintf("[profiles.ac]\nprovider = \"authorization_code\"\nissuer = %q\nclient_id = %q\nscopes = [%q]\n",
		z.Issuer, z.NativeClient.ID, servers.ZitadelResourceScope)
	s := &interactive{z: z, bin: keyfobBin(t), home: home, cfg: harness.WriteConfig(t, home, toml)}
	b := signingBrowser(t)
	if r := s.run(t, false, b.env, "login", "-p", "ac"); r.code != 0 || r.stdout != "" {
		t.Fatalf("keyfob login:\n%s", r)
	}
	rt := s.refreshToken(t)
	if rt == "" {
		t.Fatal("keyfob login stored no refresh token")
	}
	for range 2 {
		rt = s.checkSilentRefresh(t, rt, "--force-refresh")
	}
	if r := s.run(t, false, nil, "token", "-p", "ac", "-o", "json"); r.code != 0 || !strings.Contains(r.stdout, servers.ZitadelResourceScope) {
		t.Errorf("the refreshed token is not for the resource scope:\n%s", r)
	}
}

// TestDiscoveryIsCached: two cache misses in a row (--force-refresh) of an
// issuer profile make two token requests but one discovery GET; the
// document is kept 0600 in the cache directory.
func TestDiscoveryIsCached(t *testing.T) {
	t.Parallel()
	var discoveries atomic.Int64
	z := servers.StartZitadel(t, servers.ZitadelCountsDiscovery(&discoveries))
	home := t.TempDir()
	args := []string{"token", "--force-refresh", "--provider", "client_credentials", "--issuer", z.Issuer,
		"--client-id", z.BasicClient.ID, "--client-secret", "env:" + clientSecretVar, "--scope", "api"}
	for range 2 {
		res := harness.Run(t, keyfobBin(t), harness.RunOpts{Home: home, Args: args, Env: env(clientSecretVar, z.BasicClient.Secret)})
		checkSuccess(t, res, z.BasicClient.Secret)
	}
	if n := z.GrantRequests("client_credentials"); n != 2 {
		t.Errorf("%d token requests, want 2 (two misses)", n)
	}
	if n := discoveries.Load(); n != 1 {
		t.Errorf("%d discovery GETs, want 1", n)
	}
	files, _ := filepath.Glob(filepath.Join(home, ".cache", "keyfob", "ds-*.json"))
	if len(files) != 1 {
		t.Fatalf("discovery files %v, want one", files)
	}
	if fi, err := os.Stat(files[0]); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("discovery file: %v, %v; want mode 0600", fi, err)
	}
}
