package front

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHostProtocolsAllowListSchemesLikeTheEngine runs the engine's
// TestHostProtocolsAllowListSchemes cases through the front: a cached
// token goes only over the schemes the protocol allows, with the same
// answers and notes; what the engine refuses with an error (kubectl's
// plain-text API server) the front leaves to it.
func TestHostProtocolsAllowListSchemesLikeTheEngine(t *testing.T) {
	t.Parallel()
	env := hostsEnv(t)
	bazel := func(uri string) string { return `{"uri":"` + uri + `"}` }
	cluster := func(server string) string {
		return fmt.Sprintf(`{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"cluster":{"server":%q},"interactive":false}}`, server)
	}
	tests := map[string]struct {
		args       []string
		stdin      string
		execInfo   string
		wantCode   int
		wantStderr string
		declined   bool
	}{
		"transport bazel grpcs":        {args: []string{"bazel", "get"}, stdin: bazel("grpcs://artifacts.example.com:443")},
		"transport bazel grpc":         {args: []string{"bazel", "get"}, stdin: bazel("grpc://artifacts.example.com"), wantStderr: "in plain text to artifacts.example.com (use https or grpcs)"},
		"transport bazel http":         {args: []string{"bazel", "get"}, stdin: bazel("http://artifacts.example.com/x"), wantStderr: "in plain text"},
		"transport bazel ws":           {args: []string{"bazel", "get"}, stdin: bazel("ws://artifacts.example.com/x"), wantStderr: "over ws:// to artifacts.example.com"},
		"transport bazel wss":          {args: []string{"bazel", "get"}, stdin: bazel("wss://artifacts.example.com/x"), wantStderr: "over wss://"},
		"transport bazel ftp":          {args: []string{"bazel", "get"}, stdin: bazel("ftp://artifacts.example.com/x"), wantStderr: "over ftp://"},
		"transport bazel file":         {args: []string{"bazel", "get"}, stdin: bazel("file://artifacts.example.com/x"), wantStderr: "over file://"},
		"transport docker http":        {args: []string{"docker", "get"}, stdin: "http://registry.example.com", wantCode: 1, wantStderr: "in plain text"},
		"transport git http":           {args: []string{"git", "get"}, stdin: "protocol=http\nhost=git.example.com\n", wantStderr: "in plain text"},
		"transport kubectl https":      {args: []string{"kubectl", "-p", "repos"}, execInfo: cluster("https://k.example.com")},
		"transport kubectl loopback":   {args: []string{"kubectl", "-p", "repos"}, execInfo: cluster("http://127.0.0.1:6443")},
		"transport kubectl plain http": {args: []string{"kubectl", "-p", "repos"}, execInfo: cluster("http://k.example.com:8080"), declined: true},
		"transport kubectl ws":         {args: []string{"kubectl", "-p", "repos"}, execInfo: cluster("ws://k.example.com"), declined: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := env
			getenv := env.Getenv
			e.Getenv = func(k string) string {
				if k == "KUBERNETES_EXEC_INFO" {
					return tc.execInfo
				}
				return getenv(k)
			}
			var out, errb bytes.Buffer
			e.Args, e.Stdin, e.Stdout, e.Stderr = tc.args, NewInput(strings.NewReader(tc.stdin)), &out, &errb
			code, handled := Run(e)
			if tc.declined {
				if handled || out.Len() != 0 {
					t.Fatalf("handled %v, stdout %q; want the engine to refuse", handled, out.String())
				}
				return
			}
			if !handled || code != tc.wantCode {
				t.Fatalf("Run = (%d, %v), want (%d, true); stderr %q", code, handled, tc.wantCode, errb.String())
			}
			want, err := os.ReadFile(filepath.Join(engineGoldens, strings.ReplaceAll(name, " ", "_")+".golden"))
			if err != nil {
				t.Fatal(err)
			}
			if out.String() != string(want) {
				t.Errorf("stdout %q, the engine's %q", out.String(), want)
			}
			if (tc.wantStderr == "") != (errb.Len() == 0) || !strings.Contains(errb.String(), tc.wantStderr) {
				t.Errorf("stderr %q, want %q", errb.String(), tc.wantStderr)
			}
		})
	}
}
