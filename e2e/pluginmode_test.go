//go:build unix

package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// TestBothPluginModes runs keyfob's own providers both ways the engine
// can run them: inside the engine (the default, KEYFOB_PLUGIN_MODE=auto)
// and launched as a go-plugin child (KEYFOB_PLUGIN_MODE=process), through
// the token (client_credentials), device_code and authorization_code
// flows, a refusal and a sign-in nobody can do. Each mode must give the
// same answers and the same error lines; only process mode starts a
// plugin.
func TestBothPluginModes(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	lines := map[string]map[string]string{} // mode → case → stderr
	t.Cleanup(func() {
		for name, auto := range lines["auto"] {
			if got := lines["process"][name]; got != auto {
				t.Errorf("%s: the two modes differ:\n auto:    %q\n process: %q", name, auto, got)
			}
		}
	})
	for _, mode := range []string{"auto", "process"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			got := pluginModeFlows(t, mode)
			mu.Lock()
			defer mu.Unlock()
			lines[mode] = got
		})
	}
}

// pluginModeFlows runs the flows of TestBothPluginModes in one mode and
// returns the stderr of its failing cases, the server's address removed.
func pluginModeFlows(t *testing.T, mode string) map[string]string {
	z := servers.StartZitadel(t)
	toml := clientCredentialsProfile("cc", z.TokenURL, z.BasicClient, "openid") +
		strings.Replace(clientCredentialsProfile("bad", z.TokenURL, z.BasicClient, "openid"), "env:"+clientSecretVar, "wrong", 1)
	for name, provider := range map[string]string{"dc": "device_code", "ac": "authorization_code"} {
		toml += fmt.Sprintf("[profiles.%s]\nprovider = %q\nissuer = %q\nclient_id = %q\nscopes = [\"openid\"]\n\n",
			name, provider, z.Issuer, z.NativeClient.ID)
	}
	bin := keyfobBin(t)
	world := func() *interactive { // a fresh home and cache: one state file each
		home := t.TempDir()
		return &interactive{z: z, bin: bin, home: home, cfg: harness.WriteConfig(t, home, toml)}
	}
	s := world()
	modeEnv := []string{"KEYFOB_PLUGIN_MODE=" + mode}
	out := map[string]string{}
	hostPort := strings.TrimPrefix(z.Issuer, "http://")
	scrub := func(stderr string) string { return strings.ReplaceAll(stderr, hostPort, "ISSUER") }

	checkClientCredentials(t, s, mode, modeEnv)

	r := s.run(t, false, append(modeEnv, clientSecretVar+"="+z.BasicClient.Secret), "token", "-p", "bad")
	if r.code != 3 || r.stdout != "" || !strings.Contains(r.stderr, "invalid_client") {
		t.Errorf("a wrong client secret: want exit 3 naming invalid_client, got\n%s", r)
	}
	out["refused"] = scrub(r.stderr)

	r = s.run(t, false, modeEnv, "token", "-p", "dc")
	checkHint(t, r, "dc")
	out["nobody to ask"] = scrub(r.stderr)

	checkDeviceCodeLogin(t, world(), modeEnv)
	checkAuthCodeLogin(t, world(), modeEnv)
	return out
}

// checkClientCredentials gets a client_credentials token from zitadel at
// debug level: go-plugin logs "using plugin" (the handshake) in process mode only.
func checkClientCredentials(t *testing.T, s *interactive, mode string, modeEnv []string) {
	t.Helper()
	r := s.run(t, false, append(modeEnv, clientSecretVar+"="+s.z.BasicClient.Secret, "KEYFOB_LOG=debug"), "token", "-p", "cc")
	if r.code != 0 || strings.Contains(r.stderr, s.z.BasicClient.Secret) {
		t.Fatalf("keyfob token -p cc:\n%s", r)
	}
	token := rawToken(t, r.stdout)
	if strings.Contains(r.stderr, token) {
		t.Errorf("the access token appears on stderr")
	}
	if info, err := s.z.VerifyAccessToken(t.Context(), token); err != nil || info.ClientID != s.z.BasicClient.ID {
		t.Errorf("the printed token is not one zitadel issued to %s: %+v, %v", s.z.BasicClient.ID, info, err)
	}
	if launched := strings.Contains(r.stderr, "using plugin"); launched != (mode == "process") {
		t.Errorf("mode %s: a plugin was started: %v, want %v\n%s", mode, launched, mode == "process", r)
	}
}

// checkDeviceCodeLogin signs in with the device code on a terminal; keyfob
// token then answers from what login stored.
func checkDeviceCodeLogin(t *testing.T, s *interactive, modeEnv []string) {
	t.Helper()
	p := s.start(t, true, modeEnv, "login", "-p", "dc")
	code := p.waitFor(t, userCode)
	if err := s.z.ApproveDevice(context.Background(), code); err != nil {
		t.Fatalf("approving %s: %v", code, err)
	}
	if r := p.wait(t); r.code != 0 || !strings.Contains(r.stderr, `signed in to profile "dc" as `+s.z.User.Username) {
		t.Fatalf("keyfob login -p dc:\n%s", r)
	}
	before := s.z.TokenRequests()
	if r := s.run(t, false, modeEnv, "token", "-p", "dc"); r.code != 0 || s.z.TokenRequests() != before {
		t.Fatalf("the token from keyfob login was not served from the cache:\n%s", r)
	}
}

// checkAuthCodeLogin signs in in a browser, then refreshes with nobody to
// ask: one refresh_token grant, the rotated refresh token stored.
func checkAuthCodeLogin(t *testing.T, s *interactive, modeEnv []string) {
	t.Helper()
	b := signingBrowser(t)
	if r := s.run(t, false, append(modeEnv, b.env...), "login", "-p", "ac"); r.code != 0 ||
		!strings.Contains(r.stderr, `signed in to profile "ac" as `+s.z.User.Username) {
		t.Fatalf("keyfob login -p ac:\n%s", r)
	}
	oldRT := s.refreshToken(t)
	refreshes := s.z.GrantRequests("refresh_token")
	r := s.run(t, false, modeEnv, "token", "-p", "ac", "--force-refresh")
	rawToken(t, r.stdout)
	if r.code != 0 || r.stderr != "" || s.z.GrantRequests("refresh_token") != refreshes+1 {
		t.Fatalf("silent refresh: want one refresh_token grant and nothing on stderr:\n%s", r)
	}
	if rt := s.refreshToken(t); rt == "" || rt == oldRT {
		t.Error("the rotated refresh token was not stored")
	}
}
