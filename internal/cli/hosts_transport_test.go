package cli

import (
	"fmt"
	"testing"
	"time"
)

// transportCluster is KUBERNETES_EXEC_INFO with provideClusterInfo for
// an API server at server.
func transportCluster(server string) map[string]string {
	return map[string]string{"KUBERNETES_EXEC_INFO": fmt.Sprintf(
		`{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"cluster":{"server":%q},"interactive":false}}`, server)}
}

// TestHostProtocolsAllowListSchemes checks that every host protocol sends
// a token only over the schemes it allows (protocol.Transport): https
// (and grpcs for Bazel) anywhere, http (and grpc) to loopback only, and
// nothing else. The front gives the same answers (internal/front).
func TestHostProtocolsAllowListSchemes(t *testing.T) {
	t.Parallel()
	w := newHostsWorld(t)
	w.prime("repos", "repos-token", 50*time.Minute)
	bazel := func(uri string) string { return `{"uri":"` + uri + `"}` }
	runHostCases(t, w, map[string]hostCase{
		"transport bazel grpcs":        {args: []string{"bazel", "get"}, stdin: bazel("grpcs://artifacts.example.com:443")},
		"transport bazel grpc":         {args: []string{"bazel", "get"}, stdin: bazel("grpc://artifacts.example.com"), wantStderr: "in plain text to artifacts.example.com (use https or grpcs)"},
		"transport bazel http":         {args: []string{"bazel", "get"}, stdin: bazel("http://artifacts.example.com/x"), wantStderr: "in plain text"},
		"transport bazel ws":           {args: []string{"bazel", "get"}, stdin: bazel("ws://artifacts.example.com/x"), wantStderr: "over ws:// to artifacts.example.com"},
		"transport bazel wss":          {args: []string{"bazel", "get"}, stdin: bazel("wss://artifacts.example.com/x"), wantStderr: "over wss://"},
		"transport bazel ftp":          {args: []string{"bazel", "get"}, stdin: bazel("ftp://artifacts.example.com/x"), wantStderr: "over ftp://"},
		"transport bazel file":         {args: []string{"bazel", "get"}, stdin: bazel("file://artifacts.example.com/x"), wantStderr: "over file://"},
		"transport docker http":        {args: []string{"docker", "get"}, stdin: "http://registry.example.com", wantCode: 1, wantStderr: "in plain text"},
		"transport git http":           {args: []string{"git", "get"}, stdin: "protocol=http\nhost=git.example.com\n", wantStderr: "in plain text"},
		"transport kubectl https":      {args: []string{"kubectl", "-p", "repos"}, vars: transportCluster("https://k.example.com")},
		"transport kubectl loopback":   {args: []string{"kubectl", "-p", "repos"}, vars: transportCluster("http://127.0.0.1:6443")},
		"transport kubectl plain http": {args: []string{"kubectl", "-p", "repos"}, vars: transportCluster("http://k.example.com:8080"), wantCode: ExitUsage, wantStderr: `not sending the token of profile "repos" in plain text to k.example.com (use https)`},
		"transport kubectl ws":         {args: []string{"kubectl", "-p", "repos"}, vars: transportCluster("ws://k.example.com"), wantCode: ExitUsage, wantStderr: "over ws://"},
	})
}
