package e2e_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// CONTRACT §7: a cached token is served only to the credentials that
// earned it. These tests run the real keyfob against ory/fosite, which
// checks every client secret, password, refresh token and client
// assertion.

// credRun runs keyfob token -p profile with vars in home.
func credRun(t *testing.T, bin, home string, vars []string, profile string, args ...string) harness.Result {
	t.Helper()
	return harness.Run(t, bin, harness.RunOpts{Home: home, Args: append([]string{"token", "-p", profile}, args...), Env: vars})
}

// checkRefused fails unless res is exit 3 with one line on stderr and
// nothing on stdout.
func checkRefused(t *testing.T, res harness.Result, want string) {
	t.Helper()
	if res.ExitCode != 3 || res.Stdout != "" {
		t.Fatalf("exit %d, stdout %q; want 3 and nothing:\n%s", res.ExitCode, res.Stdout, res)
	}
	checkOneErrorLine(t, res.Stderr, want)
}

// TestCredentialsTwoUsersRefreshToken: two refresh_token profiles of two
// users, same client and token URL. Each gets a token for its own user,
// and refreshing one never redeems the other's stored (rotated) refresh
// token.
func TestCredentialsTwoUsersRefreshToken(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	bob := servers.NewUser("bob")
	f := servers.StartFosite(t, servers.WithUsers(bob))
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, strings.ReplaceAll(refreshTokenProfile("alice", f), refreshTokenVar, "RT_ALICE")+
		strings.ReplaceAll(refreshTokenProfile("bob", f), refreshTokenVar, "RT_BOB"))
	vars := env("KEYFOB_CONFIG", cfg, clientSecretVar, f.Client.Secret,
		"RT_ALICE", f.IssueRefreshTokenFor(t, f.User), "RT_BOB", f.IssueRefreshTokenFor(t, bob))
	subject := func(profile string, args ...string) string {
		t.Helper()
		res := credRun(t, bin, home, vars, profile, args...)
		checkSuccess(t, res, f.Client.Secret)
		info, err := f.IntrospectAccessToken(t.Context(), rawToken(t, res.Stdout))
		if err != nil {
			t.Fatalf("%s: the printed token is not an active fosite token: %v", profile, err)
		}
		return info.Subject
	}
	// fosite names a grant's subject by its session; a refresh keeps it.
	alice, bobs := subject("alice"), subject("bob")
	if alice == bobs {
		t.Fatalf("profile bob was served alice's token (subject %q)", alice)
	}
	for _, step := range []struct{ profile, want string }{{"bob", bobs}, {"alice", alice}, {"bob", bobs}} {
		if got := subject(step.profile, "--force-refresh"); got != step.want {
			t.Errorf("profile %s refreshed into subject %q, want its own %q", step.profile, got, step.want)
		}
	}
	if n := f.GrantRequests("refresh_token"); n != 5 {
		t.Errorf("refresh_token grants = %d, want 5, one per call", n)
	}
}

// TestCredentialsWrongClientSecret: a wrong (or rotated) client secret
// reaches the server, which refuses it (exit 3); the right secret's
// cached token is untouched, and the wrong one's remembered invalid_client
// never blocks the right one.
func TestCredentialsWrongClientSecret(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	f := servers.StartFosite(t)
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, clientCredentialsProfile("cc", f.TokenURL, f.Client, "api"))
	right := env("KEYFOB_CONFIG", cfg, clientSecretVar, f.Client.Secret)
	wrong := env("KEYFOB_CONFIG", cfg, clientSecretVar, "not-"+f.Client.Secret)

	first := credRun(t, bin, home, right, "cc")
	checkSuccess(t, first, f.Client.Secret)
	checkRefused(t, credRun(t, bin, home, wrong, "cc"), "invalid_client")
	if n := f.TokenRequests(); n != 2 {
		t.Fatalf("token requests = %d, want 2: the wrong secret must reach the server", n)
	}
	again := credRun(t, bin, home, right, "cc")
	checkSuccess(t, again, f.Client.Secret)
	if again.Stdout != first.Stdout || f.TokenRequests() != 2 {
		t.Errorf("the right secret's cached token was not served as it was (%d requests)", f.TokenRequests())
	}
	fresh := credRun(t, bin, home, right, "cc", "--force-refresh")
	checkSuccess(t, fresh, f.Client.Secret)
	if f.TokenRequests() != 3 {
		t.Errorf("token requests = %d, want 3: the wrong secret's invalid_client blocked the right one", f.TokenRequests())
	}
}

// TestCredentialsWrongPassword: a wrong password for the same user name
// reaches the server (exit 3), also with --force-refresh, which must not
// redeem the refresh token the right password earned.
func TestCredentialsWrongPassword(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	f := servers.StartFosite(t)
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, passwordProfile("pw", f, "offline_access", "api"))
	right := env("KEYFOB_CONFIG", cfg, clientSecretVar, f.Client.Secret, passwordVar, f.User.Password)
	wrong := env("KEYFOB_CONFIG", cfg, clientSecretVar, f.Client.Secret, passwordVar, "not-"+f.User.Password)

	first := credRun(t, bin, home, right, "pw")
	checkSuccess(t, first, f.User.Password)
	checkRefused(t, credRun(t, bin, home, wrong, "pw"), f.URL[len("http://"):])
	checkRefused(t, credRun(t, bin, home, wrong, "pw", "--force-refresh"), f.URL[len("http://"):])
	if p, rt := f.GrantRequests("password"), f.GrantRequests("refresh_token"); p != 3 || rt != 0 {
		t.Errorf("password grants %d, refresh grants %d; want 3 and 0: the wrong password rode on the right one's refresh token", p, rt)
	}
	again := credRun(t, bin, home, right, "pw")
	checkSuccess(t, again, f.User.Password)
	if again.Stdout != first.Stdout {
		t.Error("the right password's cached token was not served")
	}
	checkSuccess(t, credRun(t, bin, home, right, "pw", "--force-refresh"), f.User.Password)
	if rt := f.GrantRequests("refresh_token"); rt != 1 {
		t.Errorf("refresh grants = %d, want 1: the right password's refresh token is still its own", rt)
	}
}

// TestCredentialsCertificateReplaced: a client certificate replaced by
// another at the same path is another credential: the server is asked,
// and refuses a certificate it does not know (exit 3). Put back, the
// original's cached token is served again.
func TestCredentialsCertificateReplaced(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	f := startAssertionFosite(t)
	home := t.TempDir()
	cert := certFile{format: formatPEM, key: clientKeys[rs256Client]()}.write(t, home, "")
	original, err := os.ReadFile(cert)
	if err != nil {
		t.Fatal(err)
	}
	cfg := harness.WriteConfig(t, home, assertionProfile("a", "client_credentials", f, rs256Client, cert, `scopes = ["api"]`))
	vars := env("KEYFOB_CONFIG", cfg)

	first := credRun(t, bin, home, vars, "a")
	checkSuccess(t, first)
	certFile{format: formatPEM, key: newRSAKey()}.write(t, home, "") // same path, a key fosite does not know
	checkRefused(t, credRun(t, bin, home, vars, "a"), "invalid_client")
	if n := f.TokenRequests(); n != 2 {
		t.Errorf("token requests = %d, want 2: the replaced certificate must reach the server", n)
	}
	if err := os.WriteFile(cert, original, 0o600); err != nil {
		t.Fatal(err)
	}
	if again := credRun(t, bin, home, vars, "a"); again.ExitCode != 0 || again.Stdout != first.Stdout || f.TokenRequests() != 2 {
		t.Errorf("the original certificate's cached token was not served (%d requests):\n%s", f.TokenRequests(), again)
	}
}

// TestCredentialsSecretGoneAfterCaching: an env: variable unset or a
// file: secret deleted after a token was cached is a configuration error
// naming the key (exit 2), not the cached token.
func TestCredentialsSecretGoneAfterCaching(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	f := servers.StartFosite(t)
	home := t.TempDir()
	secretFile := filepath.Join(home, "secret")
	if err := os.WriteFile(secretFile, []byte(f.Client.Secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := harness.WriteConfig(t, home, clientCredentialsProfile("envsecret", f.TokenURL, f.Client, "api")+
		strings.ReplaceAll(clientCredentialsProfile("filesecret", f.TokenURL, f.Client, "api"), "env:"+clientSecretVar, "file:"+secretFile))
	for _, profile := range []string{"envsecret", "filesecret"} {
		checkSuccess(t, credRun(t, bin, home, env("KEYFOB_CONFIG", cfg, clientSecretVar, f.Client.Secret), profile), f.Client.Secret)
	}
	if err := os.Remove(secretFile); err != nil {
		t.Fatal(err)
	}
	for profile, want := range map[string]string{
		"envsecret":  fmt.Sprintf("key client_secret: environment variable %s is not set", clientSecretVar),
		"filesecret": "key client_secret: secret file " + secretFile,
	} {
		res := credRun(t, bin, home, env("KEYFOB_CONFIG", cfg), profile)
		if res.ExitCode != 2 || res.Stdout != "" {
			t.Errorf("%s: exit %d, stdout %q; want 2 and nothing", profile, res.ExitCode, res.Stdout)
		}
		checkOneErrorLine(t, res.Stderr, want)
	}
	if n := f.TokenRequests(); n != 1 {
		t.Errorf("token requests = %d, want 1 (both profiles present the same credential)", n)
	}
}
