package e2e_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// keyfob doctor, inspect and completion through the real executables
// (the lean front hands them to the engine).

// TestDoctorAgainstZitadel: a working profile passes with one GET to the
// server's discovery document and no token request; an unreachable
// server exits 5; a missing key file exits 2.
func TestDoctorAgainstZitadel(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	z := servers.StartZitadelGeneric(t)
	home := t.TempDir()
	key := writeServiceKey(t, home, z)
	closed := httptest.NewServer(nil)
	closed.Close()
	cfg := harness.WriteConfig(t, home, jwtBearerProfile("svc", z, key)+
		"\n[profiles.down]\nprovider = \"client_credentials\"\nclient_id = \"a\"\nissuer = \""+closed.URL+"\"\n"+
		"\n[profiles.nokey]\nprovider = \"jwt_bearer\"\ntoken_url = \""+z.TokenURL+"\"\nassertion_key = \"/nonexistent/key.pem\"\nassertion_issuer = \"x\"\n")
	tests := map[string]struct {
		profile  string
		wantCode int
		want     []string
	}{
		"healthy": {profile: "svc", wantCode: 0, want: []string{
			"PASS  endpoint     GET " + z.Issuer + "/.well-known/openid-configuration: HTTP 200; token endpoint " + z.TokenURL,
			"PASS  key          assertion_key: RSA 2048-bit key", "PASS  clock", " 0 failed"}},
		"unreachable":      {profile: "down", wantCode: 5, want: []string{"FAIL  endpoint", "connection refused"}},
		"missing key file": {profile: "nokey", wantCode: 2, want: []string{"FAIL  file         assertion_key: stat /nonexistent/key.pem"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"doctor", "-p", tc.profile}, Env: env("KEYFOB_CONFIG", cfg)})
			if res.ExitCode != tc.wantCode {
				t.Errorf("exit %d, want %d\n%s", res.ExitCode, tc.wantCode, res)
			}
			for _, w := range tc.want {
				if !strings.Contains(res.Stdout, w) {
					t.Errorf("stdout lacks %q\n%s", w, res)
				}
			}
			checkNoLeaks(t, res, string(z.ServiceUser.KeyPEM))
		})
	}
	if n := z.TokenRequests(); n != 0 {
		t.Errorf("doctor sent %d token requests, want none", n)
	}
}

// TestInspectZitadelToken: inspect gets a token when none is cached and
// shows its claims, never the token; the token is then served from the
// cache.
func TestInspectZitadelToken(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	z := servers.StartZitadelGeneric(t)
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, jwtBearerProfile("svc", z, writeServiceKey(t, home, z)))
	run := func(args ...string) harness.Result {
		res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: args, Env: env("KEYFOB_CONFIG", cfg)})
		checkSuccess(t, res, string(z.ServiceUser.KeyPEM))
		return res
	}
	inspected := run("inspect", "-p", "svc")
	token := rawToken(t, run("token", "-p", "svc").Stdout)
	for _, w := range []string{"format              JWT, signed with RS256", "iss                 " + z.Issuer,
		"sub                 " + z.ServiceUser.ID, "exp                 "} {
		if !strings.Contains(inspected.Stdout, w) {
			t.Errorf("inspect output lacks %q\n%s", w, inspected)
		}
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 || strings.Contains(inspected.Stdout, parts[1]) || strings.Contains(inspected.Stdout, parts[2]) {
		t.Errorf("inspect shows the token or its signature\n%s", inspected)
	}
	if n := z.GrantRequests(grantJWTBearer); n != 1 {
		t.Errorf("jwt-bearer requests = %d, want 1 (inspect's token served token from the cache)", n)
	}
}

// TestCompletionThroughFront: the scripts print, and the shell's
// completion requests (keyfob __complete) reach the engine.
func TestCompletionThroughFront(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, "[profiles.alpha]\nprovider = \"device_code\"\n[profiles.beta]\nprovider = \"password\"\n")
	for _, shell := range []string{"bash", "zsh", "fish"} {
		res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"completion", shell}})
		checkSuccess(t, res)
		if !strings.Contains(res.Stdout, "__complete") {
			t.Errorf("the %s script does not ask keyfob __complete\n%s", shell, res)
		}
	}
	res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"__complete", "token", "-p", ""}, Env: env("KEYFOB_CONFIG", cfg)})
	checkSuccess(t, res)
	if !strings.HasPrefix(res.Stdout, "alpha\nbeta\n:4\n") {
		t.Errorf("profile completions = %q, want alpha, beta and no file completion", res.Stdout)
	}
}
