package e2e_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// The example plugins, by the NAME a profile's plugin key gives.
const (
	minimalPlugin   = "minimal"
	githubAppPlugin = "github-app"
)

// examplePlugins are the example plugins built from the product module,
// by NAME: each executable's path and SHA-256.
type examplePlugins map[string]builtPlugin

type builtPlugin struct {
	Path   string
	SHA256 string
}

// buildExamplePlugins builds examples/plugin-minimal and
// examples/plugin-github-app into dir with CGO_ENABLED=0.
func buildExamplePlugins(t *testing.T, dir string) examplePlugins {
	t.Helper()
	cmd := exec.Command("go", "build", "-o", dir+string(filepath.Separator),
		"./examples/plugin-minimal", "./examples/plugin-github-app")
	cmd.Dir = harness.RepoRoot(t)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the example plugins: %v\n%s", err, out)
	}
	built := examplePlugins{}
	for name, pkg := range map[string]string{minimalPlugin: "plugin-minimal", githubAppPlugin: "plugin-github-app"} {
		path := filepath.Join(dir, pkg+exeSuffix())
		built[name] = builtPlugin{Path: path, SHA256: fileSHA256(t, path)}
	}
	return built
}

// install copies a plugin into dir as keyfob-plugin-NAME and returns the
// copy's path.
func (p examplePlugins) install(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(p[name].Path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "keyfob-plugin-"+name+exeSuffix())
	if err := os.WriteFile(dst, data, 0o755); err != nil {
		t.Fatal(err)
	}
	return dst
}

func exeSuffix() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// minimalProfile is a [profiles.NAME] table for examples/plugin-minimal
// against zitadel, as its client_secret_basic client.
func minimalProfile(name, sum string, z *servers.Zitadel) string {
	return fmt.Sprintf(`[profiles.%s]
plugin = %q
plugin_sha256 = %q
provider = "minimal_client_credentials"
token_url = %q
client_id = %q
client_secret = "env:%s"
scopes = ["openid"]
`, name, minimalPlugin, sum, z.TokenURL, z.BasicClient.ID, clientSecretVar)
}

// githubKeyVar names the variable holding the GitHub App's private key.
const githubKeyVar = "E2E_GITHUB_APP_KEY"

// githubAppProfile is a [profiles.NAME] table for
// examples/plugin-github-app against the fake g. Its keys are the
// plugin's own; the private key is an env: reference, which keyfob
// resolves (the plugin does not inherit the variable).
func githubAppProfile(name, sum string, g *servers.GitHub) string {
	return fmt.Sprintf(`[profiles.%s]
plugin = %q
plugin_sha256 = %q
provider = "github_app"
github_app_id = %q
github_installation_id = %q
github_app_private_key = "env:%s"
github_api_url = %q
github_repositories = ["infra"]
scopes = ["contents:read"]
`, name, githubAppPlugin, sum, g.AppID, g.InstallationID, githubKeyVar, g.URL)
}

// TestExamplePlugins runs the example provider plugins the way a user
// does: installed as keyfob-plugin-NAME, named by profiles that pin their
// checksums, run by the real CLI against zitadel and a fake of GitHub's
// documented API.
func TestExamplePlugins(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	plugins := buildExamplePlugins(t, t.TempDir())
	pluginDir := t.TempDir()
	for _, name := range []string{minimalPlugin, githubAppPlugin} {
		plugins.install(t, pluginDir, name)
	}
	minimalSum, githubSum := plugins[minimalPlugin].SHA256, plugins[githubAppPlugin].SHA256

	t.Run("minimal against zitadel", func(t *testing.T) {
		t.Parallel()
		z := servers.StartZitadel(t)
		home := t.TempDir()
		cfg := harness.WriteConfig(t, home, minimalProfile("mini", minimalSum, z))
		opts := harness.RunOpts{Home: home, Args: []string{"token", "-p", "mini", "-o", "json"},
			Env: env("KEYFOB_CONFIG", cfg, "KEYFOB_PLUGIN_DIR", pluginDir, clientSecretVar, z.BasicClient.Secret)}
		res := harness.Run(t, bin, opts)
		checkSuccess(t, res, z.BasicClient.Secret)
		out := parseJSON(t, res.Stdout)
		info, err := z.VerifyAccessToken(t.Context(), out.AccessToken)
		if err != nil {
			t.Fatalf("the printed token is not one zitadel issued: %v", err)
		}
		if info.ClientID != z.BasicClient.ID {
			t.Errorf("token issued to %q, want %q", info.ClientID, z.BasicClient.ID)
		}
		checkJSON(t, out, info.Expiry, []string{"openid"})
		// The plugin's token is cached like keyfob's own.
		again := harness.Run(t, bin, opts)
		checkSuccess(t, again, z.BasicClient.Secret)
		if parseJSON(t, again.Stdout).AccessToken != out.AccessToken || z.GrantRequests("client_credentials") != 1 {
			t.Errorf("second run: token requests = %d, want the cached token and no new request", z.GrantRequests("client_credentials"))
		}
	})

	t.Run("minimal: the server's refusal keeps its exit code", func(t *testing.T) {
		t.Parallel()
		z := servers.StartZitadel(t)
		home := t.TempDir()
		cfg := harness.WriteConfig(t, home, minimalProfile("mini", minimalSum, z))
		res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "mini"},
			Env: env("KEYFOB_CONFIG", cfg, "KEYFOB_PLUGIN_DIR", pluginDir, clientSecretVar, "wrong-secret-5e1f")})
		if res.ExitCode != 3 || !strings.Contains(res.Stderr, "invalid_client") {
			t.Errorf("wrong client secret: want exit 3 naming invalid_client, got\n%s", res)
		}
		checkNoLeaks(t, res, "wrong-secret-5e1f")
	})

	t.Run("github app against the documented API", func(t *testing.T) {
		t.Parallel()
		g := servers.StartGitHub(t)
		home := t.TempDir()
		cfg := harness.WriteConfig(t, home, githubAppProfile("gh", githubSum, g))
		res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "gh", "-o", "json"},
			Env: env("KEYFOB_CONFIG", cfg, "KEYFOB_PLUGIN_DIR", pluginDir, githubKeyVar, g.PrivateKeyPEM)})
		checkSuccess(t, res, pemKeyLines(g.PrivateKeyPEM)...)
		out := parseJSON(t, res.Stdout)
		grant, ok := g.Issued(out.AccessToken)
		if !ok {
			t.Fatalf("the printed token is not one the fake issued")
		}
		want := servers.GitHubGrant{Repositories: []string{"infra"}, Permissions: map[string]string{"contents": "read"}, ExpiresAt: grant.ExpiresAt}
		if diff := cmp.Diff(want, grant); diff != "" {
			t.Errorf("grant (-want +got):\n%s", diff)
		}
		checkJSON(t, out, grant.ExpiresAt, []string{"contents:read"})
	})

	t.Run("github app from the user data directory", func(t *testing.T) {
		t.Parallel()
		g := servers.StartGitHub(t)
		home := t.TempDir()
		plugins.install(t, filepath.Join(home, ".local", "share", "keyfob", "plugins"), githubAppPlugin)
		cfg := harness.WriteConfig(t, home, githubAppProfile("gh", githubSum, g))
		res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "gh"},
			Env: env("KEYFOB_CONFIG", cfg, githubKeyVar, g.PrivateKeyPEM)})
		checkSuccess(t, res, pemKeyLines(g.PrivateKeyPEM)...)
		if _, ok := g.Issued(rawToken(t, res.Stdout)); !ok {
			t.Errorf("the printed token is not one the fake issued")
		}
	})

	t.Run("wrong checksum is refused before the plugin starts", func(t *testing.T) {
		t.Parallel()
		z := servers.StartZitadel(t)
		home := t.TempDir()
		cfg := harness.WriteConfig(t, home, minimalProfile("mini", githubSum, z))
		res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "mini"},
			Env: env("KEYFOB_CONFIG", cfg, "KEYFOB_PLUGIN_DIR", pluginDir, clientSecretVar, z.BasicClient.Secret)})
		if res.ExitCode != 2 || !strings.Contains(res.Stderr, githubSum) || !strings.Contains(res.Stderr, "checksum") {
			t.Errorf("want exit 2 naming the pinned checksum %s, got\n%s", githubSum, res)
		}
		if z.TokenRequests() != 0 {
			t.Errorf("token requests = %d, want none", z.TokenRequests())
		}
		checkNoLeaks(t, res, z.BasicClient.Secret)
	})

	t.Run("plugin not installed", func(t *testing.T) {
		t.Parallel()
		home := t.TempDir()
		cfg := harness.WriteConfig(t, home, "[profiles.p]\nplugin = \"nope\"\nprovider = \"x\"\nnope_setting = \"1\"\n")
		res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "p"},
			Env: env("KEYFOB_CONFIG", cfg, "KEYFOB_PLUGIN_DIR", pluginDir)})
		if res.ExitCode != 2 || !strings.Contains(res.Stderr, "keyfob-plugin-nope") || !strings.Contains(res.Stderr, pluginDir) {
			t.Errorf("want exit 2 naming keyfob-plugin-nope and %s, got\n%s", pluginDir, res)
		}
	})

	t.Run("keyfob plugins lists them", func(t *testing.T) {
		t.Parallel()
		home := t.TempDir()
		z, g := servers.StartZitadel(t), servers.StartGitHub(t)
		cfg := harness.WriteConfig(t, home, minimalProfile("mini", minimalSum, z)+githubAppProfile("gh", githubSum, g))
		opts := harness.RunOpts{Home: home, Args: []string{"plugins", "-o", "json"},
			Env: env("KEYFOB_CONFIG", cfg, "KEYFOB_PLUGIN_DIR", pluginDir)}
		res := harness.Run(t, bin, opts)
		checkSuccess(t, res)
		got := parsePluginListing(t, res.Stdout)
		want := map[string]pluginSummary{
			"keyfob": {Builtin: true, Protocol: 1},
			minimalPlugin: {SHA256: minimalSum, Profiles: []string{"mini"}, Protocol: 1, Version: "0.1.0", Providers: map[string][]string{
				"minimal_client_credentials": {"token_url*", "client_id*", "client_secret*", "scopes"},
			}},
			githubAppPlugin: {SHA256: githubSum, Profiles: []string{"gh"}, Protocol: 1, Version: "0.1.0", Providers: map[string][]string{
				"github_app": {"github_app_id*", "github_installation_id*", "github_app_private_key*", "github_api_url", "github_repositories", "scopes", "ca_file"},
			}},
		}
		if k := got["keyfob"]; !slices.Contains(k.providerNames(), "client_credentials") {
			t.Errorf("keyfob's providers = %v, want client_credentials among them", k.providerNames())
		}
		for name := range got {
			s := got[name]
			if name == "keyfob" {
				s.Providers, s.Version = nil, ""
			}
			got[name] = s
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("keyfob plugins -o json (-want +got):\n%s", diff)
		}

		text := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"plugins"}, Env: opts.Env})
		checkSuccess(t, text)
		for _, s := range []string{"minimal (protocol 1, version 0.1.0)", "github-app (protocol 1, version 0.1.0)",
			"sha256:   " + githubSum, "github_app_private_key*"} {
			if !strings.Contains(text.Stdout, s) {
				t.Errorf("keyfob plugins does not show %q:\n%s", s, text.Stdout)
			}
		}
	})

	t.Run("keyfob plugins refuses a mismatched pin", func(t *testing.T) {
		t.Parallel()
		home := t.TempDir()
		cfg := harness.WriteConfig(t, home, minimalProfile("mini", githubSum, servers.StartZitadel(t)))
		res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"plugins", "-o", "json"},
			Env: env("KEYFOB_CONFIG", cfg, "KEYFOB_PLUGIN_DIR", pluginDir)})
		if res.ExitCode != 2 || !strings.Contains(res.Stderr, githubSum) {
			t.Errorf("want exit 2 naming the pinned checksum, got\n%s", res)
		}
		got := parsePluginListing(t, res.Stdout)
		if m := got[minimalPlugin]; m.Protocol != 0 || !strings.Contains(m.Error, "checksum mismatch") {
			t.Errorf("minimal's listing = %+v, want a checksum error and no launch", m)
		}
		if gh := got[githubAppPlugin]; gh.Protocol != 1 {
			t.Errorf("github-app's listing = %+v, want it listed", gh)
		}
	})
}

// pemKeyLines returns the base64 lines of a PEM key, each of which must stay
// out of keyfob's output.
func pemKeyLines(pemKey string) []string {
	lines := strings.Split(pemKey, "\n")
	return slices.DeleteFunc(lines, func(l string) bool { return len(l) < 32 || strings.HasPrefix(l, "-----") })
}

// pluginSummary is what a test checks of one plugin of keyfob plugins -o
// json: its providers map to their config keys, a required one marked *.
type pluginSummary struct {
	Builtin   bool
	SHA256    string
	Profiles  []string
	Protocol  int
	Version   string
	Providers map[string][]string
	Error     string
}

func (s pluginSummary) providerNames() []string {
	var names []string
	for n := range s.Providers {
		names = append(names, n)
	}
	return names
}

// parsePluginListing decodes keyfob plugins -o json by plugin name.
func parsePluginListing(t *testing.T, stdout string) map[string]pluginSummary {
	t.Helper()
	var list []struct {
		Name            string   `json:"name"`
		Path            string   `json:"path"`
		Builtin         bool     `json:"builtin"`
		SHA256          string   `json:"sha256"`
		Profiles        []string `json:"profiles"`
		ProtocolVersion int      `json:"protocol_version"`
		Version         string   `json:"version"`
		Error           string   `json:"error"`
		Providers       []struct {
			Name       string `json:"name"`
			ConfigKeys []struct {
				Name     string `json:"name"`
				Required bool   `json:"required"`
			} `json:"config_keys"`
		} `json:"providers"`
	}
	if err := json.Unmarshal([]byte(stdout), &list); err != nil {
		t.Fatalf("keyfob plugins -o json is not a JSON list: %v\n%s", err, stdout)
	}
	out := map[string]pluginSummary{}
	for _, l := range list {
		s := pluginSummary{Builtin: l.Builtin, SHA256: l.SHA256, Profiles: l.Profiles, Protocol: l.ProtocolVersion,
			Version: l.Version, Error: l.Error}
		for _, p := range l.Providers {
			if s.Providers == nil {
				s.Providers = map[string][]string{}
			}
			keys := []string{}
			for _, k := range p.ConfigKeys {
				name := k.Name
				if k.Required {
					name += "*"
				}
				keys = append(keys, name)
			}
			s.Providers[p.Name] = keys
		}
		if l.Path == "" && l.Error == "" {
			t.Errorf("plugin %q has neither a path nor an error", l.Name)
		}
		out[l.Name] = s
	}
	return out
}
