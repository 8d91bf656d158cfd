package front

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/internal/entraprofile"
)

// The front answers host protocols from the same configuration and cache
// as the engine's tests (internal/cli/hosts_test.go), and must print the
// same bytes: it is compared with the engine's golden files.
const (
	engineConfig  = "../cli/testdata/hosts/config.toml"
	engineGoldens = "../cli/testdata/hosts"
)

var hostsNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// hostsEnv is an Env over a copy of the engine tests' configuration and a
// cache primed as they prime it.
func hostsEnv(t *testing.T) Env {
	t.Helper()
	dir := t.TempDir()
	text, err := os.ReadFile(engineConfig)
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, text, 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"KEYFOB_CONFIG": cfg, "KEYFOB_CACHE_DIR": filepath.Join(dir, "cache"), "HOSTS_TEST_SECRET": "hosts-secret"}
	f, err := config.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c, err := cache.Open(vars["KEYFOB_CACHE_DIR"], cache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	prime := func(name, token string, left time.Duration, scopes ...string) {
		p, err := f.Profile(name)
		if err != nil {
			t.Fatal(err)
		}
		values, err := entraprofile.Expand(p.Values, func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		e := &cache.Entry{AccessToken: token, TokenType: "Bearer", IssuedAt: hostsNow.Add(left - time.Hour), ExpiresAt: hostsNow.Add(left), Profile: name}
		if name == "kube" {
			e.IDToken = testJWT(hostsNow.Add(left))
		}
		key := keyedAccess(t, c, tokenkey.Request{Values: values, Scopes: scopes}, func(k string) string { return vars[k] })
		if err := c.Put(key, e); err != nil {
			t.Fatal(err)
		}
	}
	prime("repos", "repos-token", 50*time.Minute)
	prime("repos", "aks-token", 50*time.Minute, "6dae42f8-4368-4678-94ff-3960e28e3630/.default")
	prime("alice", "alice-token", 50*time.Minute)
	prime("devops", "devops-token", 50*time.Minute)
	prime("kube", "kube-access-token", 50*time.Minute)
	return Env{Getenv: func(k string) string { return vars[k] }, Home: dir, Now: func() time.Time { return hostsNow }}
}

func testJWT(exp time.Time) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none"}`)) + "." + enc([]byte(fmt.Sprintf(`{"exp":%d}`, exp.Unix()))) + ".id"
}

func TestHostProtocolsAnswerLikeTheEngine(t *testing.T) {
	t.Parallel()
	env := hostsEnv(t)
	v1 := `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}`
	withCluster := `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"cluster":{"server":"https://k","config":%s},"interactive":false}}`
	tests := map[string]struct {
		program    string
		args       []string
		stdin      string
		vars       map[string]string
		wantCode   int
		wantStderr string
	}{
		"git get":                    {args: []string{"git", "get"}, stdin: "protocol=https\nhost=git.example.com\n"},
		"git get crlf":               {program: "/bin/git-credential-keyfob", args: []string{"get"}, stdin: "protocol=https\r\nhost=git.example.com\r\n\r\n"},
		"git get authtype":           {args: []string{"git", "get"}, stdin: "capability[]=authtype\ncapability[]=state\nprotocol=https\nhost=git.example.com\n"},
		"git get user in URL":        {args: []string{"git", "get"}, stdin: "protocol=https\nhost=git.example.com\nusername=alice\n"},
		"git get preset hosts":       {args: []string{"git", "get"}, stdin: "protocol=https\nhost=dev.azure.com\npath=org/p/_git/r\n"},
		"git get -p":                 {program: "git-credential-keyfob", args: []string{"-p", "devops", "get"}, stdin: "protocol=https\nhost=contoso.visualstudio.com\n"},
		"git get not found":          {args: []string{"git", "get"}, stdin: "protocol=https\nhost=github.com\n"},
		"git get no default":         {args: []string{"git", "get"}, stdin: "protocol=https\nhost=github.com\n", vars: map[string]string{"KEYFOB_PROFILE": "repos"}},
		"git get other protocol":     {args: []string{"git", "get"}, stdin: "protocol=cert\npath=/x.p12\n"},
		"git get -p outside hosts":   {args: []string{"git", "-p", "repos", "get"}, stdin: "protocol=https\nhost=github.com\n", wantStderr: "does not serve github.com"},
		"git get plain http":         {args: []string{"git", "get"}, stdin: "protocol=http\nhost=git.example.com\n", wantStderr: "plain text"},
		"git store":                  {args: []string{"git", "store"}, stdin: "protocol=https\nhost=git.example.com\n"},
		"git unknown action":         {args: []string{"git", "capability"}},
		"kubectl v1":                 {args: []string{"kubectl", "-p", "repos"}, vars: map[string]string{"KUBERNETES_EXEC_INFO": v1}},
		"kubectl v1beta1 by default": {args: []string{"kubectl"}},
		"kubectl KEYFOB_PROFILE":     {args: []string{"kubectl"}, vars: map[string]string{"KEYFOB_PROFILE": "kube"}},
		"kubectl cluster profile":    {args: []string{"kubectl"}, vars: map[string]string{"KUBERNETES_EXEC_INFO": fmt.Sprintf(withCluster, `{"profile":"kube"}`)}},
		"kubectl cluster audience":   {args: []string{"kubectl", "-p", "repos"}, vars: map[string]string{"KUBERNETES_EXEC_INFO": fmt.Sprintf(withCluster, `{"audience":"6dae42f8-4368-4678-94ff-3960e28e3630"}`)}},
		"kubectl id token":           {args: []string{"kubectl", "-p", "kube"}, vars: map[string]string{"KUBERNETES_EXEC_INFO": v1}},
		"docker get":                 {program: "docker-credential-keyfob", args: []string{"get"}, stdin: "registry.example.com"},
		"docker get hub key":         {args: []string{"docker", "get"}, stdin: "https://registry.example.com/v1/\n"},
		"docker get not found":       {args: []string{"docker", "get"}, stdin: "docker.io", wantCode: 1},
		"bazel get":                  {program: "bazel-credential-keyfob.exe", args: []string{"get"}, stdin: `{"uri":"https://artifacts.example.com/x/y.tar.gz"}`},
		"bazel get not found":        {args: []string{"bazel", "get"}, stdin: `{"uri":"https://github.com/x/y.tar.gz"}`},
		"terraform get":              {program: "terraform-credentials-keyfob", args: []string{"get", "tf.example.com"}},
		"terraform get not found":    {args: []string{"terraform", "get", "registry.terraform.io"}},
		"terraform get -p outside":   {args: []string{"terraform", "-p", "repos", "get", "app.terraform.io"}, wantStderr: "does not serve"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want, err := os.ReadFile(filepath.Join(engineGoldens, strings.ReplaceAll(name, " ", "_")+".golden"))
			if err != nil {
				t.Fatal(err)
			}
			e := env
			getenv := env.Getenv
			e.Getenv = func(k string) string {
				if v, ok := tc.vars[k]; ok {
					return v
				}
				return getenv(k)
			}
			var out, errb bytes.Buffer
			e.Program, e.Args, e.Stdin, e.Stdout, e.Stderr = tc.program, tc.args, NewInput(strings.NewReader(tc.stdin)), &out, &errb
			code, handled := Run(e)
			if !handled || code != tc.wantCode {
				t.Fatalf("Run = (%d, %v), want (%d, true); stderr %q", code, handled, tc.wantCode, errb.String())
			}
			if diff := cmp.Diff(string(want), out.String()); diff != "" {
				t.Errorf("stdout differs from the engine's (-engine +front):\n%s", diff)
			}
			if (tc.wantStderr == "") != (errb.Len() == 0) || !strings.Contains(errb.String(), tc.wantStderr) {
				t.Errorf("stderr %q, want %q", errb.String(), tc.wantStderr)
			}
		})
	}
}

// TestHostProtocolsDecline lists what the front leaves to the engine: it
// prints nothing, and what it read of stdin is kept for the engine.
func TestHostProtocolsDecline(t *testing.T) {
	t.Parallel()
	env := hostsEnv(t)
	tests := map[string]struct {
		args  []string
		stdin string
		vars  map[string]string
		read  bool // the front read stdin before declining
	}{
		"git get miss":          {args: []string{"git", "get"}, stdin: "protocol=https\nhost=git.example.com\npath=x\n", vars: map[string]string{"KEYFOB_CACHE_DIR": "/nonexistent/cache"}, read: true},
		"git get other scope":   {args: []string{"git", "--scope", "x", "get"}, stdin: "protocol=https\nhost=git.example.com\n", read: true},
		"git erase":             {args: []string{"git", "erase"}, stdin: "protocol=https\nhost=git.example.com\n"},
		"git key flag":          {args: []string{"git", "--client-id", "x", "get"}, stdin: "protocol=https\nhost=git.example.com\n"},
		"git unknown profile":   {args: []string{"git", "-p", "nope", "get"}, stdin: "protocol=https\nhost=git.example.com\n", read: true},
		"git no action":         {args: []string{"git"}},
		"docker list":           {args: []string{"docker", "list"}, stdin: "unused"},
		"docker store":          {args: []string{"docker", "store"}, stdin: `{"ServerURL":"r"}`},
		"docker erase":          {args: []string{"docker", "erase"}, stdin: "registry.example.com"},
		"docker version":        {args: []string{"docker", "version"}},
		"docker bad url":        {args: []string{"docker", "get"}, stdin: "", read: true},
		"bazel bad json":        {args: []string{"bazel", "get"}, stdin: `{"uri":`, read: true},
		"kubectl bad exec info": {args: []string{"kubectl"}, vars: map[string]string{"KUBERNETES_EXEC_INFO": "{"}},
		"kubectl force refresh": {args: []string{"kubectl", "--force-refresh"}},
		"kubectl positional":    {args: []string{"kubectl", "x"}},
		"terraform store":       {args: []string{"terraform", "store", "tf.example.com"}, stdin: `{"token":"x"}`},
		"terraform forget":      {args: []string{"terraform", "forget", "tf.example.com"}},
		"terraform too short":   {args: []string{"terraform", "--min-validity", "55m", "get", "tf.example.com"}},
		"terraform key flag":    {args: []string{"terraform", "--hosts", "x", "get", "tf.example.com"}},
		"install-helpers":       {args: []string{"install-helpers"}},
		"kubeconfig":            {args: []string{"kubeconfig", "-p", "repos"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := env
			getenv := env.Getenv
			e.Getenv = func(k string) string {
				if v, ok := tc.vars[k]; ok {
					return v
				}
				return getenv(k)
			}
			var out bytes.Buffer
			in := NewInput(strings.NewReader(tc.stdin))
			e.Args, e.Stdin, e.Stdout, e.Stderr = tc.args, in, &out, io.Discard
			if _, handled := Run(e); handled || out.Len() != 0 {
				t.Fatalf("handled %v, stdout %q; want the engine to run", handled, out.String())
			}
			data, read := in.Consumed()
			if read != tc.read || (read && string(data) != tc.stdin) {
				t.Errorf("Consumed = %q, %v; want %q, %v", data, read, tc.stdin, tc.read)
			}
		})
	}
}

func TestParseHostArgs(t *testing.T) {
	t.Parallel()
	a, ok := parseHostArgs([]string{"-p", "x", "--scope=a", "--min-validity", "30m", "--timeout", "5s", "get", "host"})
	want := hostArgs{profile: "x", scopes: []string{"a"}, minValidity: 30 * time.Minute, minSet: true, timeout: 5 * time.Second, positional: []string{"get", "host"}}
	if !ok {
		t.Fatal("declined")
	}
	if diff := cmp.Diff(want, a, cmp.AllowUnexported(hostArgs{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range [][]string{{"-o", "json"}, {"--force-refresh", "get"}, {"--", "get"}, {"-p"}, {"--provider", "x", "get"}} {
		if _, ok := parseHostArgs(bad); ok {
			t.Errorf("parseHostArgs(%q) accepted", bad)
		}
	}
}

// blockingReader returns its data, then blocks until the test ends, like
// a terminal where a person typed a request and a blank line.
type blockingReader struct {
	data []byte
	wait chan struct{}
}

func (r *blockingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		<-r.wait
		return 0, io.EOF
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// TestGitGetStopsAtTheBlankLine: git get answers once the request's
// blank line arrives, without waiting for the input to end.
func TestGitGetStopsAtTheBlankLine(t *testing.T) {
	t.Parallel()
	env := hostsEnv(t)
	r := &blockingReader{data: []byte("protocol=https\nhost=git.example.com\n\n"), wait: make(chan struct{})}
	defer close(r.wait)
	want, err := os.ReadFile(filepath.Join(engineGoldens, "git_get.golden"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	env.Args, env.Stdin, env.Stdout, env.Stderr = []string{"git", "get"}, NewInput(r), &out, io.Discard
	type result struct {
		code    int
		handled bool
	}
	done := make(chan result)
	go func() {
		code, handled := Run(env)
		done <- result{code, handled}
	}()
	select {
	case res := <-done:
		if res.code != 0 || !res.handled || out.String() != string(want) {
			t.Errorf("Run = (%d, %v), stdout %q; want (0, true), %q", res.code, res.handled, out.String(), want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("git get waited for the end of input after a blank line")
	}
}

func TestNilInput(t *testing.T) {
	t.Parallel()
	var nilInput *Input
	if n, err := nilInput.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Errorf("nil Input: Read = %d, %v", n, err)
	}
	if _, read := nilInput.Consumed(); read {
		t.Error("nil Input reports a read")
	}
}

// frontPluginPackages are the plugin SDK packages the front may link:
// standard-library only, so that it reads secret references and checks
// tokens exactly as the plugin side does.
var frontPluginPackages = map[string]bool{
	"github.com/keyfob/keyfob/plugin/secretref": true, "github.com/keyfob/keyfob/plugin/bearer": true,
	"github.com/keyfob/keyfob/plugin/errdefs": true,
}

// TestFrontLinksNoHeavyPackages keeps the front lean: it must answer a
// cache hit without paying for gRPC, go-plugin, cobra, net/http or YAML.
func TestFrontLinksNoHeavyPackages(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if frontPluginPackages[dep] {
			continue
		}
		for _, banned := range []string{"google.golang.org/grpc", "github.com/hashicorp/go-plugin", "github.com/spf13/cobra",
			"google.golang.org/protobuf", "github.com/keyfob/keyfob/plugin", "go.yaml.in/yaml", "net/http", "github.com/keyfob/keyfob/internal/cli"} {
			if dep == banned || strings.HasPrefix(dep, banned+"/") {
				t.Errorf("the front links %s", dep)
			}
		}
	}
}
