package e2e_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// The generic grants (RFC 7523 jwt_bearer, RFC 8693 token_exchange)
// against zitadel/oidc's OpenID Provider, through the real keyfob.

// Environment variables the generic-grant profiles reference.
const (
	assertionVar    = "E2E_ASSERTION"
	subjectTokenVar = "E2E_SUBJECT_TOKEN"
	actorTokenVar   = "E2E_ACTOR_TOKEN"
)

// Grant types as the server counts them.
const (
	grantJWTBearer     = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	grantTokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange"
	tokenTypeIDToken   = "urn:ietf:params:oauth:token-type:id_token"
)

// writeServiceKey writes the service user's private key to dir, mode
// 0600, and returns its path.
func writeServiceKey(t *testing.T, dir string, z *servers.ZitadelGeneric) string {
	t.Helper()
	path := filepath.Join(dir, "svc-key.pem")
	if err := os.WriteFile(path, z.ServiceUser.KeyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// jwtBearerProfile is a [profiles.NAME] table for jwt_bearer signing with
// the service user's key at keyPath, the issuer found by discovery; extra
// lines are appended (they may override nothing already set).
func jwtBearerProfile(name string, z *servers.ZitadelGeneric, keyPath string, extra ...string) string {
	return fmt.Sprintf(`[profiles.%s]
provider = "jwt_bearer"
issuer = %q
assertion_key = %q
assertion_issuer = %q
assertion_kid = %q
scopes = ["openid", "api"]
%s`, name, z.Issuer, keyPath, z.ServiceUser.ID, z.ServiceUser.KeyID, strings.Join(extra, "\n"))
}

// tokenExchangeProfile is a [profiles.NAME] table for token_exchange as
// the server's Exchanger, the subject token read from subjectTokenVar.
func tokenExchangeProfile(name string, z *servers.ZitadelGeneric, extra ...string) string {
	return fmt.Sprintf(`[profiles.%s]
provider = "token_exchange"
token_url = %q
client_id = %q
client_secret = "env:%s"
subject_token = "env:%s"
%s`, name, z.TokenURL, z.Exchanger.ID, clientSecretVar, subjectTokenVar, strings.Join(extra, "\n"))
}

// serviceToken gets the service user's access token through keyfob's
// jwt_bearer provider.
func serviceToken(t *testing.T, bin string, z *servers.ZitadelGeneric) string {
	t.Helper()
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, jwtBearerProfile("svc", z, writeServiceKey(t, home, z)))
	res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "svc"}, Env: env("KEYFOB_CONFIG", cfg)})
	checkSuccess(t, res, string(z.ServiceUser.KeyPEM))
	return rawToken(t, res.Stdout)
}

// TestJWTBearerSignedAssertion: keyfob signs a grant with the service
// user's key; zitadel issues a token for the service user. The token is
// cached; --force-refresh signs a new assertion with a new jti.
func TestJWTBearerSignedAssertion(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	z := servers.StartZitadelGeneric(t)
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, jwtBearerProfile("svc", z, writeServiceKey(t, home, z)))
	run := func(args ...string) harness.Result {
		res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: append([]string{"token", "-p", "svc"}, args...),
			Env: env("KEYFOB_CONFIG", cfg)})
		checkSuccess(t, res, string(z.ServiceUser.KeyPEM))
		return res
	}
	out := parseJSON(t, run("-o", "json").Stdout)
	info, err := z.VerifyAccessToken(t.Context(), out.AccessToken)
	if err != nil {
		t.Fatalf("the printed token is not one zitadel issued: %v", err)
	}
	if info.Subject != z.ServiceUser.ID {
		t.Errorf("token subject %q, want the service user %q", info.Subject, z.ServiceUser.ID)
	}
	checkJSON(t, out, info.Expiry, []string{"openid", "api"})

	if again := rawToken(t, run().Stdout); again != out.AccessToken {
		t.Errorf("the second run printed another token; want the cached one")
	}
	if n := z.GrantRequests(grantJWTBearer); n != 1 {
		t.Errorf("jwt-bearer requests after a cached run = %d, want 1", n)
	}
	if fresh := rawToken(t, run("--force-refresh").Stdout); fresh == out.AccessToken {
		t.Errorf("--force-refresh printed the cached token")
	}
	ids := z.AssertionIDs()
	if len(ids) != 2 || ids[0] == "" || ids[0] == ids[1] {
		t.Errorf("assertion jti values = %q, want two different ones", ids)
	}
}

// TestJWTBearerReadyAssertion: an assertion someone else signed is sent
// as it is, from an env: reference, and never shown.
func TestJWTBearerReadyAssertion(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	z := servers.StartZitadelGeneric(t)
	assertion, err := z.ServiceAssertion(5 * time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, fmt.Sprintf(`[profiles.ready]
provider = "jwt_bearer"
token_url = %q
assertion = "env:%s"
scopes = ["api"]
`, z.TokenURL, assertionVar))
	res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "ready"},
		Env: env("KEYFOB_CONFIG", cfg, assertionVar, assertion)})
	checkSuccess(t, res, assertion)
	info, err := z.VerifyAccessToken(t.Context(), rawToken(t, res.Stdout))
	if err != nil {
		t.Fatalf("the printed token is not one zitadel issued: %v", err)
	}
	if info.Subject != z.ServiceUser.ID {
		t.Errorf("token subject %q, want %q", info.Subject, z.ServiceUser.ID)
	}
}

// TestJWTBearerFlagOnlyProfile: a complete jwt_bearer profile on the
// command line.
func TestJWTBearerFlagOnlyProfile(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	z := servers.StartZitadelGeneric(t)
	home := t.TempDir()
	res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token",
		"--provider", "jwt_bearer", "--issuer", z.Issuer,
		"--assertion-key", writeServiceKey(t, home, z), "--assertion-issuer", z.ServiceUser.ID,
		"--assertion-kid", z.ServiceUser.KeyID, "--scope", "api"}})
	checkSuccess(t, res, string(z.ServiceUser.KeyPEM))
	if _, err := z.VerifyAccessToken(t.Context(), rawToken(t, res.Stdout)); err != nil {
		t.Fatalf("the printed token is not one zitadel issued: %v", err)
	}
}

// TestJWTBearerErrors: local mistakes exit 2 before any request; grants
// the server rejects exit 3 with its error.
func TestJWTBearerErrors(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	tests := map[string]struct {
		extra        []string
		keyPath      string // default: the service user's key
		wantCode     int
		wantRequests int64
		wantStderr   string
	}{
		"unknown key id": {
			extra: []string{`assertion_kid = "no-such-key"`}, wantCode: 3, wantRequests: 1, wantStderr: "invalid_request",
		},
		"audience the token endpoint (zitadel wants the issuer)": {
			extra: []string{`assertion_audience = "token_endpoint"`}, wantCode: 3, wantRequests: 1, wantStderr: "assertion invalid",
		},
		"another issuer": {
			extra: []string{`assertion_issuer = "intruder"`}, wantCode: 3, wantRequests: 1, wantStderr: "invalid_request",
		},
		"missing key file": {
			keyPath: "/nonexistent/svc-key.pem", wantCode: 2, wantStderr: "assertion_key",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			z := servers.StartZitadelGeneric(t)
			home := t.TempDir()
			key := tc.keyPath
			if key == "" {
				key = writeServiceKey(t, home, z)
			}
			// Later TOML keys may not repeat earlier ones: put overrides in a
			// profile of their own, without the defaults they replace.
			profile := jwtBearerProfile("svc", z, key)
			for _, line := range tc.extra {
				k, _, _ := strings.Cut(line, " ")
				profile = dropLine(profile, k)
			}
			cfg := harness.WriteConfig(t, home, profile+strings.Join(tc.extra, "\n")+"\n")
			res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "svc"}, Env: env("KEYFOB_CONFIG", cfg)})
			if res.ExitCode != tc.wantCode {
				t.Errorf("exit code %d, want %d\n%s", res.ExitCode, tc.wantCode, res)
			}
			if res.Stdout != "" || !strings.Contains(res.Stderr, tc.wantStderr) {
				t.Errorf("want nothing on stdout and %q on stderr\n%s", tc.wantStderr, res)
			}
			if n := z.TokenRequests(); n != tc.wantRequests {
				t.Errorf("token requests = %d, want %d", n, tc.wantRequests)
			}
			checkNoLeaks(t, res, string(z.ServiceUser.KeyPEM))
		})
	}
}

// dropLine removes the line setting key from a TOML profile.
func dropLine(profile, key string) string {
	var out []string
	for _, line := range strings.Split(profile, "\n") {
		if !strings.HasPrefix(line, key+" ") {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// TestTokenExchange: subject tokens of a user and of a service, with and
// without an actor, are exchanged for tokens of the subject; a delegated
// token names its actor. Subject and actor tokens never show.
func TestTokenExchange(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	tests := map[string]struct {
		// subject returns the subject token and the subject it names.
		subject   func(t *testing.T, z *servers.ZitadelGeneric) (string, string)
		withActor bool
		extra     []string
		wantAud   string
	}{
		"a user's ID token": {
			subject: userIDToken, extra: []string{`subject_token_type = "` + tokenTypeIDToken + `"`},
		},
		"a service's access token (the default type)": {
			subject: func(t *testing.T, z *servers.ZitadelGeneric) (string, string) {
				return serviceToken(t, bin, z), z.ServiceUser.ID
			},
		},
		"delegation: a user's ID token, the service acting": {
			subject: userIDToken, withActor: true, extra: []string{`subject_token_type = "` + tokenTypeIDToken + `"`},
		},
		"for an audience": {
			subject: userIDToken, extra: []string{`subject_token_type = "` + tokenTypeIDToken + `"`, `audience = "downstream-api"`},
			wantAud: "downstream-api",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			z := servers.StartZitadelGeneric(t)
			subject, wantSub := tc.subject(t, z)
			vars := []string{clientSecretVar, z.Exchanger.Secret, subjectTokenVar, subject}
			extra := tc.extra
			secrets := []string{z.Exchanger.Secret, subject}
			if tc.withActor {
				actor := serviceToken(t, bin, z)
				vars = append(vars, actorTokenVar, actor)
				extra = append(extra, `actor_token = "env:`+actorTokenVar+`"`)
				secrets = append(secrets, actor)
			}
			home := t.TempDir()
			cfg := harness.WriteConfig(t, home, tokenExchangeProfile("exchange", z, extra...))
			res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "exchange"},
				Env: append(env("KEYFOB_CONFIG", cfg), env(vars...)...)})
			checkSuccess(t, res, secrets...)
			info, err := z.VerifyAccessToken(t.Context(), rawToken(t, res.Stdout))
			if err != nil {
				t.Fatalf("the printed token is not one zitadel issued: %v", err)
			}
			wantActor := ""
			if tc.withActor {
				wantActor = z.ServiceUser.ID
			}
			got := [3]string{info.Subject, info.ClientID, info.Actor}
			if diff := cmp.Diff([3]string{wantSub, z.Exchanger.ID, wantActor}, got); diff != "" {
				t.Errorf("[sub, client_id, act.sub] (-want +got):\n%s", diff)
			}
			if tc.wantAud != "" && !slices.Contains(info.Audience, tc.wantAud) {
				t.Errorf("aud = %q, want it to hold %q", info.Audience, tc.wantAud)
			}
			if n := z.GrantRequests(grantTokenExchange); n != 1 {
				t.Errorf("token-exchange requests = %d, want 1", n)
			}
		})
	}
}

// TestTokenExchangeFollowsTheSubject: an issued token is never served
// from the cache for another subject token — the cache key cannot tell
// subject tokens apart (it holds no secret), so every call exchanges.
// Both runs have the same profile and flags; only the subject differs.
func TestTokenExchangeFollowsTheSubject(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	z := servers.StartZitadelGeneric(t)
	exchange := func(home, cfg, subject string, args ...string) string {
		res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: append([]string{"token", "-p", "exchange"}, args...),
			Env: env("KEYFOB_CONFIG", cfg, clientSecretVar, z.Exchanger.Secret, subjectTokenVar, subject)})
		checkSuccess(t, res, subject, z.Exchanger.Secret)
		return rawToken(t, res.Stdout)
	}
	// The user's access token: their ID token exchanged, in a home of its own.
	idToken, _ := userIDToken(t, z)
	other := t.TempDir()
	userToken := exchange(other, harness.WriteConfig(t, other, tokenExchangeProfile("exchange", z)), idToken,
		"--subject-token-type", tokenTypeIDToken)

	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, tokenExchangeProfile("exchange", z))
	for i, step := range []struct{ subject, wantSub string }{
		{serviceToken(t, bin, z), z.ServiceUser.ID},
		{userToken, z.UserID},
	} {
		info, err := z.VerifyAccessToken(t.Context(), exchange(home, cfg, step.subject))
		if err != nil {
			t.Fatalf("run %d: the printed token is not one zitadel issued: %v", i, err)
		}
		if info.Subject != step.wantSub {
			t.Errorf("run %d: token for %q, want %q (a cached token of the earlier subject?)", i, info.Subject, step.wantSub)
		}
	}
	if n := z.GrantRequests(grantTokenExchange); n != 3 {
		t.Errorf("token-exchange requests = %d, want 3", n)
	}
}

// userIDToken is a subject: the example user's ID token.
func userIDToken(t *testing.T, z *servers.ZitadelGeneric) (string, string) {
	t.Helper()
	tok, err := z.UserIDToken(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return tok, z.UserID
}

// TestTokenExchangeErrors: a subject token the server does not accept is
// a refusal (exit 3) that says why; a missing one is a configuration
// error (exit 2) before any request.
func TestTokenExchangeErrors(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	tests := map[string]struct {
		subject      string
		wantCode     int
		wantRequests int64
		wantStderr   string
	}{
		"not a token":                 {subject: "not-a-token", wantCode: 3, wantRequests: 1, wantStderr: "subject_token is invalid"},
		"no subject (unset variable)": {wantCode: 2, wantStderr: subjectTokenVar},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			z := servers.StartZitadelGeneric(t)
			home := t.TempDir()
			cfg := harness.WriteConfig(t, home, tokenExchangeProfile("exchange", z))
			vars := env("KEYFOB_CONFIG", cfg, clientSecretVar, z.Exchanger.Secret)
			if tc.subject != "" {
				vars = append(vars, env(subjectTokenVar, tc.subject)...)
			}
			res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "exchange"}, Env: vars})
			if res.ExitCode != tc.wantCode || res.Stdout != "" || !strings.Contains(res.Stderr, tc.wantStderr) {
				t.Errorf("want exit %d, nothing on stdout and %q on stderr\n%s", tc.wantCode, tc.wantStderr, res)
			}
			if n := z.TokenRequests(); n != tc.wantRequests {
				t.Errorf("token requests = %d, want %d", n, tc.wantRequests)
			}
			checkNoLeaks(t, res, z.Exchanger.Secret)
		})
	}
}

// TestGenericGrantsListed: keyfob plugins names both providers and their
// keys.
func TestGenericGrantsListed(t *testing.T) {
	t.Parallel()
	res := harness.Run(t, keyfobBin(t), harness.RunOpts{Args: []string{"plugins", "-o", "json"}})
	checkSuccess(t, res)
	var list []struct {
		Builtin   bool `json:"builtin"`
		Providers []struct {
			Name       string `json:"name"`
			ConfigKeys []struct {
				Name string `json:"name"`
			} `json:"config_keys"`
		} `json:"providers"`
	}
	if err := json.Unmarshal([]byte(res.Stdout), &list); err != nil || len(list) == 0 || !list[0].Builtin {
		t.Fatalf("keyfob plugins -o json: %v\n%s", err, res.Stdout)
	}
	keys := map[string][]string{}
	for _, p := range list[0].Providers {
		for _, k := range p.ConfigKeys {
			keys[p.Name] = append(keys[p.Name], k.Name)
		}
	}
	for provider, want := range map[string][]string{
		"jwt_bearer":     {"assertion", "assertion_key", "assertion_issuer", "assertion_subject", "assertion_audience", "assertion_kid", "assertion_alg"},
		"token_exchange": {"subject_token", "subject_token_type", "actor_token", "actor_token_type", "audience", "resource", "requested_token_type"},
	} {
		for _, k := range want {
			if !slices.Contains(keys[provider], k) {
				t.Errorf("provider %s: key %s not listed (have %v)", provider, k, keys[provider])
			}
		}
	}
}
