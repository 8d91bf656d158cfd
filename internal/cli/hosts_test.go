package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/host/protocol"
	"github.com/keyfob/keyfob/host/protocol/all"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/internal/entraprofile"
	"github.com/keyfob/keyfob/internal/golden"
)

// hostsNow is the fixed clock of the host protocol tests.
var hostsNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// hostsConfig is testdata/hosts/config.toml: one profile per situation.
// Its secret variable is never set, so a request that misses the cache
// fails with a configuration error before any plugin starts: the tests
// make no network call. The front's tests use the same file and golden
// outputs, so both faces must answer alike.
const hostsConfig = "testdata/hosts/config.toml"

// hostsWorld is a config file and a cache primed per profile.
type hostsWorld struct {
	t    *testing.T
	vars map[string]string
	f    *config.File
	c    *cache.Cache
}

func newHostsWorld(t *testing.T) *hostsWorld {
	t.Helper()
	dir := t.TempDir()
	text, err := os.ReadFile(hostsConfig)
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, text, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := config.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"KEYFOB_CONFIG": cfg, "KEYFOB_CACHE_DIR": filepath.Join(dir, "cache"), "KEYFOB_KEYRING": "off",
		hostsSecretVar: "hosts-secret"}
	c, err := cache.Open(vars["KEYFOB_CACHE_DIR"], cache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return &hostsWorld{t: t, vars: vars, f: f, c: c}
}

// hostsSecretVar is the variable of the profiles' client secret: set, so
// cached tokens are served; a test case sets it to "" (unset) to make a
// miss fail with a configuration error before any plugin starts.
const hostsSecretVar = "HOSTS_TEST_SECRET"

// request is the token request of profile name with scopes, as the
// engine builds it, its credential fingerprinted.
func (w *hostsWorld) request(name string, scopes ...string) tokenkey.Request {
	w.t.Helper()
	p, err := w.f.Profile(name)
	if err != nil {
		w.t.Fatal(err)
	}
	values, err := entraprofile.Expand(p.Values, func(string) string { return "" })
	if err != nil {
		w.t.Fatal(err)
	}
	env := Env{Getenv: func(k string) string { return w.vars[k] }}
	req, err := env.keyedRequest(w.c, tokenkey.Request{Values: values, Scopes: scopes})
	if err != nil {
		w.t.Fatal(err)
	}
	return req
}

// prime caches token for profile name, issued an hour's lifetime ago by
// age and expiring after left.
func (w *hostsWorld) prime(name, token string, left time.Duration, scopes ...string) {
	w.t.Helper()
	e := &cache.Entry{AccessToken: token, TokenType: "Bearer", IssuedAt: hostsNow.Add(left - time.Hour), ExpiresAt: hostsNow.Add(left), Profile: name}
	if name == "kube" {
		e.IDToken = testJWT(hostsNow.Add(left))
	}
	if err := w.c.Put(tokenkey.Access(w.request(name, scopes...), config.IsSecret), e); err != nil {
		w.t.Fatal(err)
	}
}

// run runs the CLI with stdin and extra variables.
func (w *hostsWorld) run(stdin string, vars map[string]string, args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	all := map[string]string{}
	for k, v := range w.vars {
		all[k] = v
	}
	for k, v := range vars {
		all[k] = v
	}
	e := Env{Args: args, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return all[k] }, Now: func() time.Time { return hostsNow },
		Executable: "/nonexistent/keyfob"}
	code = Main(context.Background(), e)
	return out.String(), errb.String(), code
}

// testJWT is an unsigned JWT expiring at exp.
func testJWT(exp time.Time) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none"}`)) + "." + enc([]byte(fmt.Sprintf(`{"exp":%d}`, exp.Unix()))) + ".id"
}

// hostCase is one CLI run of a host protocol and its expected outcome;
// stdout is compared with testdata/hosts/NAME.golden.
type hostCase struct {
	args       []string
	stdin      string
	vars       map[string]string
	wantCode   int
	wantStderr string // a substring; "" means stderr must be empty
}

func runHostCases(t *testing.T, w *hostsWorld, tests map[string]hostCase) {
	t.Helper()
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := w.run(tc.stdin, tc.vars, tc.args...)
			if code != tc.wantCode {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.wantCode, stderr)
			}
			if (tc.wantStderr == "") != (stderr == "") || !strings.Contains(stderr, tc.wantStderr) {
				t.Errorf("stderr %q, want %q", stderr, tc.wantStderr)
			}
			golden.Check(t, "hosts/"+strings.ReplaceAll(name, " ", "_"), []byte(stdout))
		})
	}
}

func TestGitHelper(t *testing.T) {
	t.Parallel()
	w := newHostsWorld(t)
	w.prime("repos", "repos-token", 50*time.Minute)
	w.prime("alice", "alice-token", 50*time.Minute)
	w.prime("devops", "devops-token", 50*time.Minute)
	runHostCases(t, w, map[string]hostCase{
		"git get":                  {args: []string{"git", "get"}, stdin: "protocol=https\nhost=git.example.com\n"},
		"git get crlf":             {args: []string{"git", "get"}, stdin: "protocol=https\r\nhost=git.example.com\r\n\r\n"},
		"git get authtype":         {args: []string{"git", "get"}, stdin: "capability[]=authtype\ncapability[]=state\nprotocol=https\nhost=git.example.com\n"},
		"git get user in URL":      {args: []string{"git", "get"}, stdin: "protocol=https\nhost=git.example.com\nusername=alice\n"},
		"git get preset hosts":     {args: []string{"git", "get"}, stdin: "protocol=https\nhost=dev.azure.com\npath=org/p/_git/r\n"},
		"git get -p":               {args: []string{"git", "-p", "devops", "get"}, stdin: "protocol=https\nhost=contoso.visualstudio.com\n"},
		"git get not found":        {args: []string{"git", "get"}, stdin: "protocol=https\nhost=github.com\n"},
		"git get no default":       {args: []string{"git", "get"}, stdin: "protocol=https\nhost=github.com\n", vars: map[string]string{"KEYFOB_PROFILE": "repos"}},
		"git get other protocol":   {args: []string{"git", "get"}, stdin: "protocol=cert\npath=/x.p12\n"},
		"git get -p outside hosts": {args: []string{"git", "-p", "repos", "get"}, stdin: "protocol=https\nhost=github.com\n", wantStderr: "does not serve github.com"},
		"git get plain http":       {args: []string{"git", "get"}, stdin: "protocol=http\nhost=git.example.com\n", wantStderr: "plain text"},
		"git get miss error":       {args: []string{"git", "get"}, stdin: "protocol=https\nhost=git.example.com\n", vars: map[string]string{"KEYFOB_CACHE_DIR": filepath.Join(t.TempDir(), "empty"), hostsSecretVar: ""}, wantCode: ExitUsage, wantStderr: "HOSTS_TEST_SECRET"},
		"git store":                {args: []string{"git", "store"}, stdin: "protocol=https\nhost=git.example.com\nusername=oauth2\npassword=repos-token\n"},
		"git unknown action":       {args: []string{"git", "capability"}, stdin: ""},
		"git unknown profile":      {args: []string{"git", "-p", "nope", "get"}, stdin: "protocol=https\nhost=git.example.com\n", wantCode: ExitUsage, wantStderr: `"nope"`},
		"git without action":       {args: []string{"git"}, wantCode: ExitUsage, wantStderr: "arg"},
	})
}

func TestGitEraseDropsOnlyTheRejectedToken(t *testing.T) {
	t.Parallel()
	w := newHostsWorld(t)
	w.prime("repos", "repos-token", 50*time.Minute)
	key := tokenkey.Access(w.request("repos"), config.IsSecret)
	in := "protocol=https\nhost=git.example.com\nusername=oauth2\npassword=%s\n"
	if _, stderr, code := w.run(fmt.Sprintf(in, "someone-elses"), nil, "git", "erase"); code != 0 {
		t.Fatalf("erase: exit %d: %s", code, stderr)
	}
	if _, ok := w.c.Get(key); !ok {
		t.Fatal("erase of another credential dropped keyfob's token")
	}
	if err := w.c.PutState(tokenkey.State(w.request("repos")), []byte("refresh-state")); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := w.run(fmt.Sprintf(in, "repos-token"), nil, "git", "erase"); code != 0 {
		t.Fatalf("erase: exit %d: %s", code, stderr)
	}
	if _, ok := w.c.Get(key); ok {
		t.Error("erase kept the rejected access token")
	}
	if _, ok, _ := w.c.GetState(tokenkey.State(w.request("repos"))); !ok {
		t.Error("erase dropped the refresh state")
	}
}

func TestKubectlPlugin(t *testing.T) {
	t.Parallel()
	w := newHostsWorld(t)
	w.prime("repos", "repos-token", 50*time.Minute)
	w.prime("repos", "aks-token", 50*time.Minute, "6dae42f8-4368-4678-94ff-3960e28e3630/.default")
	w.prime("kube", "kube-access-token", 50*time.Minute)
	v1 := `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}`
	withCluster := `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"cluster":{"server":"https://k","config":%s},"interactive":false}}`
	info := func(s string) map[string]string { return map[string]string{"KUBERNETES_EXEC_INFO": s} }
	runHostCases(t, w, map[string]hostCase{
		"kubectl v1":                 {args: []string{"kubectl", "-p", "repos"}, vars: info(v1)},
		"kubectl v1beta1 by default": {args: []string{"kubectl"}},
		"kubectl KEYFOB_PROFILE":     {args: []string{"kubectl"}, vars: map[string]string{"KEYFOB_PROFILE": "kube"}},
		"kubectl cluster profile":    {args: []string{"kubectl"}, vars: info(fmt.Sprintf(withCluster, `{"profile":"kube"}`))},
		"kubectl cluster audience":   {args: []string{"kubectl", "-p", "repos"}, vars: info(fmt.Sprintf(withCluster, `{"audience":"6dae42f8-4368-4678-94ff-3960e28e3630"}`))},
		"kubectl id token":           {args: []string{"kubectl", "-p", "kube"}, vars: info(v1)},
		"kubectl bad exec info":      {args: []string{"kubectl"}, vars: info(`{"apiVersion":"client.authentication.k8s.io/v1alpha1"}`), wantCode: ExitUsage, wantStderr: "v1alpha1"},
		"kubectl miss error":         {args: []string{"kubectl", "-p", "repos", "--scope", "other"}, vars: map[string]string{"KUBERNETES_EXEC_INFO": v1, hostsSecretVar: ""}, wantCode: ExitUsage, wantStderr: "HOSTS_TEST_SECRET"},
	})
}

func TestDockerHelper(t *testing.T) {
	t.Parallel()
	w := newHostsWorld(t)
	w.prime("repos", "repos-token", 50*time.Minute)
	runHostCases(t, w, map[string]hostCase{
		"docker get":              {args: []string{"docker", "get"}, stdin: "registry.example.com"},
		"docker get hub key":      {args: []string{"docker", "get"}, stdin: "https://registry.example.com/v1/\n"},
		"docker get not found":    {args: []string{"docker", "get"}, stdin: "docker.io", wantCode: 1},
		"docker get empty":        {args: []string{"docker", "get"}, stdin: "", wantCode: ExitUsage, wantStderr: "no credentials server URL"},
		"docker get miss error":   {args: []string{"docker", "get"}, stdin: "registry.example.com", vars: map[string]string{"KEYFOB_CACHE_DIR": filepath.Join(t.TempDir(), "empty"), hostsSecretVar: ""}, wantCode: ExitUsage, wantStderr: "HOSTS_TEST_SECRET"},
		"docker list":             {args: []string{"docker", "list"}, stdin: "unused"},
		"docker version":          {args: []string{"docker", "version"}},
		"docker store":            {args: []string{"docker", "store"}, stdin: `{"ServerURL":"registry.example.com","Username":"u","Secret":"s"}`, wantStderr: `profile "repos"`},
		"docker store other":      {args: []string{"docker", "store"}, stdin: `{"ServerURL":"docker.io","Username":"u","Secret":"s"}`, wantStderr: "keeps no registry credentials"},
		"docker erase not served": {args: []string{"docker", "erase"}, stdin: "docker.io"},
		"docker unknown action":   {args: []string{"docker", "frobnicate"}, wantCode: ExitUsage, wantStderr: "frobnicate"},
	})
}

func TestBazelHelper(t *testing.T) {
	t.Parallel()
	w := newHostsWorld(t)
	w.prime("repos", "repos-token", 50*time.Minute)
	runHostCases(t, w, map[string]hostCase{
		"bazel get":           {args: []string{"bazel", "get"}, stdin: `{"uri":"https://artifacts.example.com/x/y.tar.gz"}`},
		"bazel get not found": {args: []string{"bazel", "get"}, stdin: `{"uri":"https://github.com/x/y.tar.gz"}`},
		"bazel get bad json":  {args: []string{"bazel", "get"}, stdin: `{"uri":`, wantCode: ExitUsage, wantStderr: "bazel request"},
		"bazel other command": {args: []string{"bazel", "put"}, wantCode: ExitUsage, wantStderr: "put"},
	})
}

func TestTerraformHelper(t *testing.T) {
	t.Parallel()
	w := newHostsWorld(t)
	w.prime("repos", "repos-token", 40*time.Minute)
	w.prime("alice", "short-token", 20*time.Minute)
	runHostCases(t, w, map[string]hostCase{
		"terraform get":             {args: []string{"terraform", "get", "tf.example.com"}},
		"terraform get not found":   {args: []string{"terraform", "get", "registry.terraform.io"}},
		"terraform get -p outside":  {args: []string{"terraform", "-p", "repos", "get", "app.terraform.io"}, wantStderr: "does not serve"},
		"terraform get too short":   {args: []string{"terraform", "-p", "alice", "--hosts", "git.example.com", "get", "git.example.com"}, vars: map[string]string{hostsSecretVar: ""}, wantCode: ExitUsage, wantStderr: "HOSTS_TEST_SECRET"},
		"terraform get min valid":   {args: []string{"terraform", "--min-validity", "10m", "-p", "alice", "--hosts", "git.example.com", "get", "git.example.com"}},
		"terraform store refused":   {args: []string{"terraform", "store", "tf.example.com"}, stdin: `{"token":"x"}`, wantCode: 1, wantStderr: `from profile "repos"`},
		"terraform store unserved":  {args: []string{"terraform", "store", "app.terraform.io"}, stdin: `{"token":"x"}`, wantCode: 1, wantStderr: "add \"app.terraform.io\""},
		"terraform store extra":     {args: []string{"terraform", "store", "tf.example.com"}, stdin: `{"token":"x","other":1}`, wantCode: ExitUsage, wantStderr: "other"},
		"terraform unknown verb":    {args: []string{"terraform", "rotate", "tf.example.com"}, wantCode: ExitUsage, wantStderr: "rotate"},
		"terraform forget unserved": {args: []string{"terraform", "forget", "app.terraform.io"}},
	})
}

func TestTerraformForgetDropsTheToken(t *testing.T) {
	t.Parallel()
	w := newHostsWorld(t)
	w.prime("repos", "repos-token", 40*time.Minute)
	if _, stderr, code := w.run("", nil, "terraform", "forget", "tf.example.com"); code != 0 {
		t.Fatalf("forget: exit %d: %s", code, stderr)
	}
	if _, ok := w.c.Get(tokenkey.Access(w.request("repos"), config.IsSecret)); ok {
		t.Error("forget kept the access token")
	}
}

func TestHostProtocolsNeverUseTheEnvironmentProfile(t *testing.T) {
	t.Parallel()
	w := newHostsWorld(t)
	vars := map[string]string{"KEYFOB_CONFIG": filepath.Join(t.TempDir(), "none.toml"), "AZURE_CLIENT_ID": "x", "AZURE_TENANT_ID": "t", "AZURE_CLIENT_SECRET": "s"}
	for _, tc := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"git", "get"}, "protocol=https\nhost=git.example.com\n", ""},
		{[]string{"docker", "get"}, "registry.example.com", "credentials not found in native keychain\n"},
		{[]string{"bazel", "get"}, `{"uri":"https://artifacts.example.com/"}`, "{}\n"},
		{[]string{"terraform", "get", "tf.example.com"}, "", "{}\n"},
	} {
		if stdout, stderr, _ := w.run(tc.stdin, vars, tc.args...); stdout != tc.want || stderr != "" {
			t.Errorf("%v: stdout %q, stderr %q; want %q and nothing on stderr", tc.args, stdout, stderr, tc.want)
		}
	}
}

func TestHostsHelperNames(t *testing.T) {
	t.Parallel()
	want := []string{"git-credential-keyfob", "docker-credential-keyfob", "terraform-credentials-keyfob", "bazel-credential-keyfob"}
	if strings.Join(protocol.HelperNames(all.Protocols()), " ") != strings.Join(want, " ") {
		t.Errorf("HelperNames = %v", protocol.HelperNames(all.Protocols()))
	}
}
