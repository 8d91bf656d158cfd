package e2e_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }

// keyfobBin returns the keyfob executable under test.
func keyfobBin(t *testing.T) string {
	t.Helper()
	return harness.BuildKeyfob(t)
}

// Names of the environment variables the profiles below reference.
const (
	clientSecretVar = "E2E_CLIENT_SECRET"
	passwordVar     = "E2E_PASSWORD"
	refreshTokenVar = "E2E_REFRESH_TOKEN"
)

// clientCredentialsProfile is a [profiles.NAME] table for the
// client_credentials provider, its secret read from clientSecretVar.
func clientCredentialsProfile(name, tokenURL string, c servers.Client, scopes ...string) string {
	return fmt.Sprintf(`[profiles.%s]
provider = "client_credentials"
token_url = %q
client_id = %q
client_secret = "env:%s"
client_auth = %q
scopes = %s
`, name, tokenURL, c.ID, clientSecretVar, authMethod(c), tomlList(scopes))
}

// passwordProfile is a [profiles.NAME] table for the password provider
// against f, as f.Client and f.User.
func passwordProfile(name string, f *servers.Fosite, scopes ...string) string {
	return fmt.Sprintf(`[profiles.%s]
provider = "password"
token_url = %q
client_id = %q
client_secret = "env:%s"
client_auth = %q
username = %q
password = "env:%s"
scopes = %s
`, name, f.TokenURL, f.Client.ID, clientSecretVar, authMethod(f.Client), f.User.Username, passwordVar, tomlList(scopes))
}

// refreshTokenProfile is a [profiles.NAME] table for the refresh_token
// provider against f, as f.Client, the token read from refreshTokenVar.
func refreshTokenProfile(name string, f *servers.Fosite) string {
	return fmt.Sprintf(`[profiles.%s]
provider = "refresh_token"
token_url = %q
client_id = %q
client_secret = "env:%s"
client_auth = %q
refresh_token = "env:%s"
`, name, f.TokenURL, f.Client.ID, clientSecretVar, authMethod(f.Client), refreshTokenVar)
}

func authMethod(c servers.Client) string {
	if c.AuthMethod == "" {
		return servers.AuthMethodBasic
	}
	return c.AuthMethod
}

func tomlList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// env builds RunOpts.Env from name, value pairs.
func env(kv ...string) []string {
	var out []string
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, kv[i]+"="+kv[i+1])
	}
	return out
}

// checkSuccess fails unless res is a clean success: exit 0, no secret or
// token on stderr, no secret on stdout, no process left behind.
func checkSuccess(t *testing.T, res harness.Result, secrets ...string) {
	t.Helper()
	if res.ExitCode != 0 {
		t.Fatalf("keyfob failed:\n%s", res)
	}
	checkNoLeaks(t, res, secrets...)
}

// checkNoLeaks fails if a secret shows in keyfob's output or a plugin was
// left running.
func checkNoLeaks(t *testing.T, res harness.Result, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s == "" {
			continue
		}
		if strings.Contains(res.Stdout, s) || strings.Contains(res.Stderr, s) {
			t.Errorf("a secret (%.4s…) appears in keyfob's output:\n%s", s, res)
		}
	}
	if res.Leftovers {
		t.Errorf("keyfob left a process (plugin) running after it exited")
	}
}

// rawToken returns the token of `-o raw` output: the token and a newline.
func rawToken(t *testing.T, stdout string) string {
	t.Helper()
	token, ok := strings.CutSuffix(stdout, "\n")
	if !ok || token == "" || strings.ContainsAny(token, " \t\r\n") {
		t.Fatalf("stdout = %q, want the access token and a newline", stdout)
	}
	return token
}

var headerLine = regexp.MustCompile(`^Authorization: Bearer (\S+)\n$`)

// headerToken returns the token of `-o header` output.
func headerToken(t *testing.T, stdout string) string {
	t.Helper()
	m := headerLine.FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("stdout = %q, want \"Authorization: Bearer <token>\\n\"", stdout)
	}
	return m[1]
}

// jsonOutput is `-o json` output, decoded.
type jsonOutput struct {
	AccessToken string
	TokenType   string
	ExpiresAt   time.Time
	Scopes      []string
}

// parseJSON decodes `-o json` output: one object with access_token,
// token_type, expires_at (RFC 3339) and scope (a space-delimited string or
// a list).
func parseJSON(t *testing.T, stdout string) jsonOutput {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, stdout)
	}
	var out jsonOutput
	var expiresAt string
	for key, dst := range map[string]*string{"access_token": &out.AccessToken, "token_type": &out.TokenType, "expires_at": &expiresAt} {
		if err := json.Unmarshal(raw[key], dst); err != nil || *dst == "" {
			t.Fatalf("JSON output: %s missing or not a non-empty string\n%s", key, stdout)
		}
	}
	var err error
	if out.ExpiresAt, err = time.Parse(time.RFC3339, expiresAt); err != nil {
		t.Errorf("JSON output: expires_at %q is not RFC 3339: %v", expiresAt, err)
	}
	var scope string
	switch {
	case raw["scope"] == nil:
		t.Errorf("JSON output: scope missing\n%s", stdout)
	case json.Unmarshal(raw["scope"], &scope) == nil:
		out.Scopes = strings.Fields(scope)
	case json.Unmarshal(raw["scope"], &out.Scopes) != nil:
		t.Errorf("JSON output: scope %s is neither a string nor a list of strings", raw["scope"])
	}
	return out
}

var sortStrings = cmpopts.SortSlices(func(a, b string) bool { return a < b })

func TestTokenClientCredentials(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	tests := map[string]struct {
		client func(*servers.Zitadel) servers.Client
		args   []string
	}{
		"basic, raw":        {client: basicClient, args: nil},
		"basic, -o raw":     {client: basicClient, args: []string{"-o", "raw"}},
		"post, raw":         {client: postClient, args: nil},
		"basic, -o header":  {client: basicClient, args: []string{"-o", "header"}},
		"post, -o header":   {client: postClient, args: []string{"-o", "header"}},
		"basic, -o json":    {client: basicClient, args: []string{"-o", "json"}},
		"post, -o json":     {client: postClient, args: []string{"-o", "json"}},
		"stock client, raw": {client: func(z *servers.Zitadel) servers.Client { return z.StockClient }, args: nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			z := servers.StartZitadel(t)
			c := tc.client(z)
			home := t.TempDir()
			cfg := harness.WriteConfig(t, home, clientCredentialsProfile("zc", z.TokenURL, c, "openid"))
			res := harness.Run(t, bin, harness.RunOpts{
				Home: home,
				Args: append([]string{"token", "-p", "zc"}, tc.args...),
				Env:  env("KEYFOB_CONFIG", cfg, clientSecretVar, c.Secret),
			})
			checkSuccess(t, res, c.Secret)

			var token string
			var out jsonOutput
			switch {
			case slices.Contains(tc.args, "header"):
				token = headerToken(t, res.Stdout)
			case slices.Contains(tc.args, "json"):
				out = parseJSON(t, res.Stdout)
				token = out.AccessToken
			default:
				token = rawToken(t, res.Stdout)
			}
			if strings.Contains(res.Stderr, token) {
				t.Errorf("the access token appears on stderr:\n%s", res.Stderr)
			}
			if got := z.GrantRequests("client_credentials"); got != 1 || z.TokenRequests() != 1 {
				t.Errorf("token requests = %d (client_credentials: %d), want exactly 1", z.TokenRequests(), got)
			}
			if c.ID == z.StockClient.ID {
				return // opaque token
			}
			info, err := z.VerifyAccessToken(t.Context(), token)
			if err != nil {
				t.Fatalf("the printed token is not one zitadel issued: %v", err)
			}
			if info.ClientID != c.ID {
				t.Errorf("token issued to %q, want %q", info.ClientID, c.ID)
			}
			if out.AccessToken != "" {
				checkJSON(t, out, info.Expiry, []string{"openid"})
			}
		})
	}
}

func basicClient(z *servers.Zitadel) servers.Client { return z.BasicClient }
func postClient(z *servers.Zitadel) servers.Client  { return z.PostClient }

// checkJSON checks `-o json` fields against the token's real expiry.
func checkJSON(t *testing.T, out jsonOutput, expiry time.Time, scopes []string) {
	t.Helper()
	// "Bearer" even where the server says "bearer" (fosite).
	if out.TokenType != "Bearer" {
		t.Errorf("token_type = %q, want Bearer", out.TokenType)
	}
	// keyfob may report the expiry itself or the expiry less its safety
	// margin (CONTRACT §7: at most 5 minutes).
	if out.ExpiresAt.After(expiry.Add(time.Second)) || out.ExpiresAt.Before(expiry.Add(-5*time.Minute-time.Second)) {
		t.Errorf("expires_at = %v, want at most 5 minutes before the token's expiry %v", out.ExpiresAt, expiry)
	}
	if !out.ExpiresAt.After(time.Now()) {
		t.Errorf("expires_at = %v is in the past", out.ExpiresAt)
	}
	if diff := cmp.Diff(scopes, out.Scopes, sortStrings); diff != "" {
		t.Errorf("scope (-want +got):\n%s", diff)
	}
}

func TestTokenFlagOnlyProfile(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	z := servers.StartZitadel(t)
	res := harness.Run(t, bin, harness.RunOpts{
		Args: []string{"token",
			"--provider", "client_credentials",
			"--token-url", z.TokenURL,
			"--client-id", z.PostClient.ID,
			"--client-secret", "env:" + clientSecretVar,
			"--client-auth", "client_secret_post",
			"--scope", "openid",
		},
		Env: env(clientSecretVar, z.PostClient.Secret),
	})
	checkSuccess(t, res, z.PostClient.Secret)
	info, err := z.VerifyAccessToken(t.Context(), rawToken(t, res.Stdout))
	if err != nil {
		t.Fatalf("the printed token is not one zitadel issued: %v", err)
	}
	if info.ClientID != z.PostClient.ID {
		t.Errorf("token issued to %q, want %q", info.ClientID, z.PostClient.ID)
	}
	if got := z.TokenRequests(); got != 1 {
		t.Errorf("token requests = %d, want 1", got)
	}
}

func TestTokenScopeFlagOverridesProfile(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	z := servers.StartZitadel(t)
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, clientCredentialsProfile("zc", z.TokenURL, z.BasicClient, "openid"))
	res := harness.Run(t, bin, harness.RunOpts{
		Home: home,
		Args: []string{"token", "-p", "zc", "--scope", "api", "--scope", "profile", "-o", "json"},
		Env:  env("KEYFOB_CONFIG", cfg, clientSecretVar, z.BasicClient.Secret),
	})
	checkSuccess(t, res, z.BasicClient.Secret)
	out := parseJSON(t, res.Stdout)
	info, err := z.VerifyAccessToken(t.Context(), out.AccessToken)
	if err != nil {
		t.Fatalf("the printed token is not one zitadel issued: %v", err)
	}
	checkJSON(t, out, info.Expiry, []string{"api", "profile"})
}

func TestTokenProfileSelection(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	tests := map[string]struct {
		config string // %[1]s: the zc profile; "" for none
		inXDG  bool   // config at $XDG_CONFIG_HOME/keyfob/config.toml instead of $KEYFOB_CONFIG
		args   []string
		env    []string
	}{
		"-p":                          {config: "%[1]s", args: []string{"-p", "zc"}},
		"--profile":                   {config: "%[1]s", args: []string{"--profile", "zc"}},
		"KEYFOB_PROFILE":              {config: "%[1]s", env: env("KEYFOB_PROFILE", "zc")},
		"default_profile":             {config: "default_profile = \"zc\"\n\n%[1]s"},
		"-p wins over KEYFOB_PROFILE": {config: "%[1]s", args: []string{"-p", "zc"}, env: env("KEYFOB_PROFILE", "nope")},
		"KEYFOB_PROFILE wins over default": {
			config: "default_profile = \"nope\"\n\n%[1]s", env: env("KEYFOB_PROFILE", "zc"),
		},
		"config from XDG_CONFIG_HOME": {config: "%[1]s", inXDG: true, args: []string{"-p", "zc"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			z := servers.StartZitadel(t)
			home := t.TempDir()
			toml := fmt.Sprintf(tc.config, clientCredentialsProfile("zc", z.TokenURL, z.BasicClient, "openid"))
			runEnv := env(clientSecretVar, z.BasicClient.Secret)
			if tc.inXDG {
				dir := filepath.Join(home, ".config", "keyfob")
				if err := os.MkdirAll(dir, 0o700); err != nil {
					t.Fatal(err)
				}
				harness.WriteConfig(t, dir, toml)
			} else {
				runEnv = append(runEnv, "KEYFOB_CONFIG="+harness.WriteConfig(t, home, toml))
			}
			res := harness.Run(t, bin, harness.RunOpts{
				Home: home,
				Args: append([]string{"token"}, tc.args...),
				Env:  append(runEnv, tc.env...),
			})
			checkSuccess(t, res, z.BasicClient.Secret)
			if _, err := z.VerifyAccessToken(t.Context(), rawToken(t, res.Stdout)); err != nil {
				t.Errorf("the printed token is not one zitadel issued: %v", err)
			}
		})
	}
}

// TestTokenCache checks CONTRACT §7: a valid cached token is served without
// a token request, --force-refresh gets a new one, and the cache is private
// and holds no client secret.
func TestTokenCache(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	z := servers.StartZitadel(t)
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, clientCredentialsProfile("zc", z.TokenURL, z.BasicClient, "openid"))
	run := func(args ...string) string {
		t.Helper()
		res := harness.Run(t, bin, harness.RunOpts{
			Home: home,
			Args: append([]string{"token", "-p", "zc"}, args...),
			Env:  env("KEYFOB_CONFIG", cfg, clientSecretVar, z.BasicClient.Secret),
		})
		checkSuccess(t, res, z.BasicClient.Secret)
		return rawToken(t, res.Stdout)
	}

	first := run()
	if second := run(); second != first {
		t.Errorf("second call printed another token; want the cached one")
	}
	if got := z.TokenRequests(); got != 1 {
		t.Errorf("token requests after two calls = %d, want 1 (the second from the cache)", got)
	}
	forced := run("--force-refresh")
	if forced == first {
		t.Errorf("--force-refresh printed the cached token; want a new one")
	}
	if got := z.TokenRequests(); got != 2 {
		t.Errorf("token requests after --force-refresh = %d, want 2", got)
	}
	if _, err := z.VerifyAccessToken(t.Context(), forced); err != nil {
		t.Errorf("the forced token is not one zitadel issued: %v", err)
	}
	checkCacheDir(t, filepath.Join(home, ".cache", "keyfob"), z.BasicClient.Secret)
}

// checkCacheDir checks that the cache exists, its directories are 0700 and
// its files 0600 or stricter, and no file holds one of secrets.
func checkCacheDir(t *testing.T, dir string, secrets ...string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		perm := info.Mode().Perm()
		switch {
		case d.IsDir() && runtime.GOOS != "windows" && perm != 0o700:
			t.Errorf("cache directory %s has mode %v, want 0700", path, perm)
		case !d.IsDir() && runtime.GOOS != "windows" && perm&0o077 != 0:
			t.Errorf("cache file %s has mode %v, want 0600", path, perm)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		files++
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if strings.Contains(string(data), s) {
				t.Errorf("cache file %s holds a secret (%.4s…)", path, s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading the cache %s: %v", dir, err)
	}
	if files == 0 {
		t.Errorf("cache %s holds no files", dir)
	}
}

// TestTokenParallelSingleRequest checks CONTRACT §7: parallel invocations
// for the same profile make at most one token request.
func TestTokenParallelSingleRequest(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	z := servers.StartZitadel(t)
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, clientCredentialsProfile("zc", z.TokenURL, z.BasicClient, "openid"))
	opts := make([]harness.RunOpts, 6)
	for i := range opts {
		opts[i] = harness.RunOpts{
			Home: home,
			Args: []string{"token", "-p", "zc"},
			Env:  env("KEYFOB_CONFIG", cfg, clientSecretVar, z.BasicClient.Secret),
		}
	}
	results := harness.RunParallel(t, bin, opts...)
	tokens := map[string]bool{}
	for _, res := range results {
		checkSuccess(t, res, z.BasicClient.Secret)
		tokens[rawToken(t, res.Stdout)] = true
	}
	if len(tokens) != 1 {
		t.Errorf("%d parallel calls printed %d different tokens, want 1", len(results), len(tokens))
	}
	if got := z.TokenRequests(); got != 1 {
		t.Errorf("%d parallel calls made %d token requests, want 1", len(results), got)
	}
}

// passwordRun runs keyfob token -p pw against f with the profile's
// secrets in its environment.
func passwordRun(t *testing.T, bin, home, cfg string, f *servers.Fosite, args ...string) harness.Result {
	t.Helper()
	res := harness.Run(t, bin, harness.RunOpts{
		Home: home,
		Args: append([]string{"token", "-p", "pw"}, args...),
		Env:  env("KEYFOB_CONFIG", cfg, clientSecretVar, f.Client.Secret, passwordVar, f.User.Password),
	})
	checkSuccess(t, res, f.Client.Secret, f.User.Password)
	return res
}

func TestTokenPassword(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	f := servers.StartFosite(t)
	home := t.TempDir()
	scopes := []string{"openid", "offline_access", "api"}
	cfg := harness.WriteConfig(t, home, passwordProfile("pw", f, scopes...))

	out := parseJSON(t, passwordRun(t, bin, home, cfg, f, "-o", "json").Stdout)
	info := introspect(t, f, out.AccessToken, scopes)
	checkJSON(t, out, info.Expiry, scopes) // fosite itself answers token_type "bearer"
	if got := f.GrantRequests("password"); got != 1 || f.TokenRequests() != 1 {
		t.Errorf("token requests = %d (password: %d), want exactly 1", f.TokenRequests(), got)
	}
}

// TestTokenPasswordForceRefresh checks CONTRACT §5: --force-refresh uses
// the stored refresh token rather than running the grant again.
func TestTokenPasswordForceRefresh(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	f := servers.StartFosite(t)
	home := t.TempDir()
	scopes := []string{"openid", "offline_access", "api"}
	cfg := harness.WriteConfig(t, home, passwordProfile("pw", f, scopes...))

	first := rawToken(t, passwordRun(t, bin, home, cfg, f).Stdout)
	refreshed := rawToken(t, passwordRun(t, bin, home, cfg, f, "--force-refresh").Stdout)
	if refreshed == first {
		t.Errorf("--force-refresh printed the cached token; want a new one")
	}
	introspect(t, f, refreshed, scopes)
	if got := f.GrantRequests("refresh_token"); got != 1 || f.GrantRequests("password") != 1 {
		t.Errorf("after --force-refresh: refresh_token requests = %d, password requests = %d; want 1 and 1",
			got, f.GrantRequests("password"))
	}
	checkCacheDir(t, filepath.Join(home, ".cache", "keyfob"), f.Client.Secret, f.User.Password)
}

// refreshTokenRun runs keyfob token -p rt against f, handing it rt.
func refreshTokenRun(t *testing.T, bin, home, cfg string, f *servers.Fosite, rt string, args ...string) string {
	t.Helper()
	res := harness.Run(t, bin, harness.RunOpts{
		Home: home,
		Args: append([]string{"token", "-p", "rt"}, args...),
		Env:  env("KEYFOB_CONFIG", cfg, clientSecretVar, f.Client.Secret, refreshTokenVar, rt),
	})
	checkSuccess(t, res, f.Client.Secret, rt)
	return rawToken(t, res.Stdout)
}

// issuedScopes are the scopes of Fosite.IssueRefreshToken's grant.
var issuedScopes = []string{"openid", "offline_access", "api"}

func TestTokenRefreshTokenProvider(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	f := servers.StartFosite(t)
	rt := f.IssueRefreshToken(t)
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, refreshTokenProfile("rt", f))

	token := refreshTokenRun(t, bin, home, cfg, f, rt)
	introspect(t, f, token, issuedScopes)
	if got := f.GrantRequests("refresh_token"); got != 1 || f.TokenRequests() != 2 {
		t.Errorf("token requests = %d (refresh_token: %d), want 2 and 1 (one by IssueRefreshToken)", f.TokenRequests(), got)
	}
}

// TestTokenRefreshTokenRotation checks that keyfob keeps the refresh token
// a rotating server returns: fosite invalidates the configured one on first
// use, so refreshing again must use the stored one (reusing the old one
// would revoke the whole grant).
func TestTokenRefreshTokenRotation(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	f := servers.StartFosite(t)
	rt := f.IssueRefreshToken(t)
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, refreshTokenProfile("rt", f))

	first := refreshTokenRun(t, bin, home, cfg, f, rt)
	if cached := refreshTokenRun(t, bin, home, cfg, f, rt); cached != first {
		t.Errorf("second call printed another token; want the cached one")
	}
	forced := refreshTokenRun(t, bin, home, cfg, f, rt, "--force-refresh")
	introspect(t, f, forced, issuedScopes)
	if got := f.GrantRequests("refresh_token"); got != 2 {
		t.Errorf("refresh_token requests = %d after --force-refresh, want 2", got)
	}
	checkCacheDir(t, filepath.Join(home, ".cache", "keyfob"), f.Client.Secret)
}

func introspect(t *testing.T, f *servers.Fosite, token string, scopes []string) servers.TokenInfo {
	t.Helper()
	info, err := f.IntrospectAccessToken(t.Context(), token)
	if err != nil {
		t.Fatalf("the printed token is not an active fosite token: %v", err)
	}
	if info.ClientID != f.Client.ID {
		t.Errorf("token issued to %q, want %q", info.ClientID, f.Client.ID)
	}
	if diff := cmp.Diff(scopes, info.Scopes, sortStrings); diff != "" {
		t.Errorf("granted scopes (-want +got):\n%s", diff)
	}
	return info
}

// errorCase is a keyfob run that must fail.
type errorCase struct {
	// zitadel and fosite select the servers to start.
	zitadel, fosite bool
	// config returns the config file's content ("" for no file).
	config func(z *servers.Zitadel, f *servers.Fosite) string
	// args follow "token".
	args []string
	// env returns extra environment (secrets).
	env func(z *servers.Zitadel, f *servers.Fosite) []string

	wantExit int
	// wantStderr must all appear in stderr; one of wantStderrAny must.
	wantStderr    []string
	wantStderrAny []string
	// wantOneLine requires stderr to be a single line.
	wantOneLine bool
	// minRequests, maxRequests bound the token requests made.
	minRequests, maxRequests int64
}

func TestTokenErrors(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	zeros := strings.Repeat("0", 64)
	zc := func(c func(*servers.Zitadel) servers.Client, scopes ...string) func(*servers.Zitadel, *servers.Fosite) string {
		return func(z *servers.Zitadel, _ *servers.Fosite) string {
			return clientCredentialsProfile("zc", z.TokenURL, c(z), scopes...)
		}
	}
	zcSecret := func(c func(*servers.Zitadel) servers.Client) func(*servers.Zitadel, *servers.Fosite) []string {
		return func(z *servers.Zitadel, _ *servers.Fosite) []string { return env(clientSecretVar, c(z).Secret) }
	}
	pw := func(_ *servers.Zitadel, f *servers.Fosite) string { return passwordProfile("pw", f, "openid", "api") }
	pwEnv := func(clientSecret, password string) func(*servers.Zitadel, *servers.Fosite) []string {
		return func(_ *servers.Zitadel, f *servers.Fosite) []string {
			if clientSecret == "" {
				clientSecret = f.Client.Secret
			}
			if password == "" {
				password = f.User.Password
			}
			return env(clientSecretVar, clientSecret, passwordVar, password)
		}
	}
	wrongSecret := func(c func(*servers.Zitadel) servers.Client) func(*servers.Zitadel) servers.Client {
		return func(z *servers.Zitadel) servers.Client {
			client := c(z)
			client.Secret = "wrong-secret-7c1f9a"
			return client
		}
	}
	// withKeys adds lines to the zc profile.
	withKeys := func(lines ...string) func(*servers.Zitadel, *servers.Fosite) string {
		return func(z *servers.Zitadel, _ *servers.Fosite) string {
			return clientCredentialsProfile("zc", z.TokenURL, z.BasicClient, "openid") + strings.Join(lines, "\n") + "\n"
		}
	}
	stock := func(z *servers.Zitadel) servers.Client { return z.StockClient }

	tests := map[string]errorCase{
		// The authorization server refuses: exit 3, one request, no retry.
		"fosite wrong client secret": {
			fosite: true, config: pw, args: []string{"-p", "pw"}, env: pwEnv("wrong-secret-7c1f9a", ""),
			wantExit: 3, wantStderr: []string{"invalid_client"}, minRequests: 1, maxRequests: 1,
		},
		"fosite wrong user password": {
			fosite: true, config: pw, args: []string{"-p", "pw"}, env: pwEnv("", "wrong-password-51be"),
			wantExit: 3, wantStderr: []string{"invalid_grant"}, minRequests: 1, maxRequests: 1,
		},
		"fosite scope not allowed": {
			fosite: true, config: pw, args: []string{"-p", "pw", "--scope", "admin"}, env: pwEnv("", ""),
			wantExit: 3, wantStderr: []string{"invalid_scope"}, minRequests: 1, maxRequests: 1,
		},
		"zitadel wrong client secret": {
			zitadel: true, config: zc(basicClient, "openid"), args: []string{"-p", "zc"}, env: zcSecret(wrongSecret(basicClient)),
			wantExit: 3, wantStderr: []string{"invalid_client"}, minRequests: 1, maxRequests: 1,
		},
		"zitadel client authentication method not allowed": {
			zitadel: true, args: []string{"-p", "zc"}, env: zcSecret(basicClient),
			config: func(z *servers.Zitadel, _ *servers.Fosite) string {
				c := z.BasicClient
				c.AuthMethod = servers.AuthMethodPost // the server accepts only basic
				return clientCredentialsProfile("zc", z.TokenURL, c, "openid")
			},
			wantExit: 3, wantStderr: []string{"invalid_client"}, minRequests: 1, maxRequests: 1,
		},
		"zitadel scope not allowed": {
			zitadel: true, config: zc(basicClient, "admin"), args: []string{"-p", "zc"}, env: zcSecret(basicClient),
			wantExit: 3, wantStderr: []string{"invalid_scope"}, minRequests: 1, maxRequests: 1,
		},
		// The server fails (500 server_error): retried a bounded number of times, then exit 5.
		"zitadel server_error is retried, then exit 5": {
			zitadel: true, config: zc(stock, "openid"), args: []string{"-p", "zc", "--timeout", "45s"}, env: zcSecret(wrongSecret(stock)),
			wantExit: 5, wantStderr: []string{"server_error"}, minRequests: 2, maxRequests: 3,
		},
		// Usage and configuration errors: exit 2, before any request.
		"unknown profile": {
			zitadel: true, config: zc(basicClient, "openid"), args: []string{"-p", "no-such-profile"}, env: zcSecret(basicClient),
			wantExit: 2, wantStderr: []string{"no-such-profile"}, wantOneLine: true,
		},
		"missing secret environment variable": {
			zitadel: true, config: zc(basicClient, "openid"), args: []string{"-p", "zc"},
			wantExit: 2, wantStderr: []string{clientSecretVar},
		},
		"missing secret file": {
			zitadel: true, args: []string{"-p", "zc"},
			config: func(z *servers.Zitadel, _ *servers.Fosite) string {
				return strings.Replace(clientCredentialsProfile("zc", z.TokenURL, z.BasicClient, "openid"),
					"env:"+clientSecretVar, "file:/nonexistent/keyfob-e2e/secret", 1)
			},
			wantExit: 2, wantStderr: []string{"/nonexistent/keyfob-e2e/secret"},
		},
		"malformed TOML": {
			zitadel: true, args: []string{"-p", "zc"}, env: zcSecret(basicClient),
			config: func(*servers.Zitadel, *servers.Fosite) string {
				return "[profiles.zc]\nprovider = \"client_credentials\nclient_id = \n"
			},
			wantExit: 2, wantStderr: []string{"config.toml"},
		},
		"plugin checksum mismatch": {
			zitadel: true, config: withKeys(fmt.Sprintf("plugin_sha256 = %q", zeros)), args: []string{"-p", "zc"}, env: zcSecret(basicClient),
			wantExit: 2, wantStderrAny: []string{"plugin_sha256", "checksum", zeros},
		},
		"unknown provider": {
			zitadel: true, args: []string{"-p", "zc"}, env: zcSecret(basicClient),
			config: func(z *servers.Zitadel, _ *servers.Fosite) string {
				return strings.Replace(clientCredentialsProfile("zc", z.TokenURL, z.BasicClient, "openid"),
					`provider = "client_credentials"`, `provider = "no_such_grant"`, 1)
			},
			wantExit: 2, wantStderr: []string{"no_such_grant"},
		},
		"plain http to a non-loopback host is refused": {
			args: []string{"--provider", "client_credentials", "--token-url", "http://idp.example.invalid/oauth2/token",
				"--client-id", "x", "--client-secret", "env:" + clientSecretVar, "--scope", "openid", "--timeout", "10s"},
			env:      func(*servers.Zitadel, *servers.Fosite) []string { return env(clientSecretVar, "some-secret-2d4e") },
			wantExit: 2, wantStderrAny: []string{"http://idp.example.invalid", "https", "token_url", "token-url"},
		},
		"a literal secret on the command line is refused": {
			zitadel: true,
			args: []string{"--provider", "client_credentials", "--token-url", "TOKEN_URL",
				"--client-id", "cc-basic", "--client-secret", "literal-secret-93ab", "--scope", "openid"},
			wantExit: 2, wantStderr: []string{"client-secret"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runErrorCase(t, bin, tc)
		})
	}
}

func runErrorCase(t *testing.T, bin string, tc errorCase) {
	t.Helper()
	var z *servers.Zitadel
	var f *servers.Fosite
	if tc.zitadel {
		z = servers.StartZitadel(t)
	}
	if tc.fosite {
		f = servers.StartFosite(t)
	}
	home := t.TempDir()
	var runEnv []string
	if tc.env != nil {
		runEnv = tc.env(z, f)
	}
	if tc.config != nil {
		runEnv = append(runEnv, "KEYFOB_CONFIG="+harness.WriteConfig(t, home, tc.config(z, f)))
	}
	args := append([]string{"token"}, tc.args...)
	for i, a := range args {
		if a == "TOKEN_URL" && z != nil {
			args[i] = z.TokenURL
		}
	}
	res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: args, Env: runEnv})

	if res.ExitCode != tc.wantExit {
		t.Errorf("exit code = %d, want %d\n%s", res.ExitCode, tc.wantExit, res)
	}
	if res.Stdout != "" {
		t.Errorf("stdout = %q, want nothing on failure", res.Stdout)
	}
	for _, s := range tc.wantStderr {
		if !strings.Contains(res.Stderr, s) {
			t.Errorf("stderr does not mention %q:\n%s", s, res.Stderr)
		}
	}
	if len(tc.wantStderrAny) > 0 && !containsAny(res.Stderr, tc.wantStderrAny) {
		t.Errorf("stderr mentions none of %q:\n%s", tc.wantStderrAny, res.Stderr)
	}
	if tc.wantOneLine && strings.Count(strings.TrimSuffix(res.Stderr, "\n"), "\n") != 0 {
		t.Errorf("stderr is not one line:\n%s", res.Stderr)
	}
	var requests int64
	if z != nil {
		requests += z.TokenRequests()
	}
	if f != nil {
		requests += f.TokenRequests()
	}
	if requests < tc.minRequests || requests > tc.maxRequests {
		t.Errorf("token requests = %d, want %d to %d", requests, tc.minRequests, tc.maxRequests)
	}
	secrets := []string{"wrong-secret-7c1f9a", "wrong-password-51be", "some-secret-2d4e", "literal-secret-93ab"}
	if z != nil {
		secrets = append(secrets, z.BasicClient.Secret, z.PostClient.Secret)
	}
	if f != nil {
		secrets = append(secrets, f.Client.Secret, f.User.Password)
	}
	checkNoLeaks(t, res, secrets...)
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
