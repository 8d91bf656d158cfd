package e2e_test

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/e2e/harness"
)

// bazelExpires is Bazel's parser for expires, ported from
// DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX").
var bazelExpires = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$`)

// TestBazelCredentialHelper runs bazel-credential-keyfob get the way
// Bazel does (argv exactly [path, "get"], the request as Gson writes it on
// stdin) and checks the answer against the credential-helper spec and
// Bazel's parsing rules; no usable Bazel exists for the machine image
// (PROTOCOLS §4.6). When Java is installed, Bazel's own formatter parses
// expires too.
func TestBazelCredentialHelper(t *testing.T) {
	t.Parallel()
	w := newHostWorld(t)
	w.writeConfig(t, w.profile("artifacts", w.z.BasicClient, "artifacts.example.test", "https://cache.example.test/team/"))
	helper := w.helper("bazel-credential-keyfob")
	vars := env("KEYFOB_CONFIG", w.cfg, clientSecretVar, w.z.BasicClient.Secret)

	for _, uri := range []string{"https://artifacts.example.test/x/y.tar.gz?a\\u003d1", "https://cache.example.test/team/cas/0123"} {
		res := harness.Run(t, helper, harness.RunOpts{Home: w.home, Args: []string{"get"}, Env: vars, Stdin: `{"uri":"` + uri + `"}`})
		checkSuccess(t, res, w.z.BasicClient.Secret)
		var doc struct {
			Headers map[string][]string `json:"headers"`
			Expires string              `json:"expires"`
		}
		if err := json.Unmarshal([]byte(res.Stdout), &doc); err != nil {
			t.Fatalf("%s: %v", uri, err)
		}
		auth := doc.Headers["Authorization"]
		if len(auth) != 1 || !strings.HasPrefix(auth[0], "Bearer ") {
			t.Fatalf("%s: headers %v", uri, doc.Headers)
		}
		if err := w.check(t.Context(), strings.TrimPrefix(auth[0], "Bearer ")); err != nil {
			t.Errorf("%s: not a valid token: %v", uri, err)
		}
		if !bazelExpires.MatchString(doc.Expires) {
			t.Errorf("%s: expires %q would not parse in Bazel", uri, doc.Expires)
		}
		javaParses(t, doc.Expires)
	}
	for _, uri := range []string{"https://github.com/bazelbuild/rules_go/x.zip", "https://cache.example.test/other/cas/1"} {
		res := harness.Run(t, helper, harness.RunOpts{Home: w.home, Args: []string{"get"}, Env: vars, Stdin: `{"uri":"` + uri + `"}`})
		if res.ExitCode != 0 || res.Stdout != "{}\n" {
			t.Errorf("%s: want {} for a URI no profile serves:\n%s", uri, res)
		}
	}
	// Only https and grpcs (http and grpc to loopback) carry a token: every
	// other scheme gets {} and a note, from the front's cache hit too.
	for _, uri := range []string{"http://artifacts.example.test/x", "grpc://artifacts.example.test", "ws://artifacts.example.test/x",
		"wss://artifacts.example.test/x", "ftp://artifacts.example.test/x", "file://artifacts.example.test/x"} {
		res := harness.Run(t, helper, harness.RunOpts{Home: w.home, Args: []string{"get"}, Env: vars, Stdin: `{"uri":"` + uri + `"}`})
		if res.ExitCode != 0 || res.Stdout != "{}\n" || !strings.Contains(res.Stderr, "not sending the token of profile \"artifacts\"") {
			t.Errorf("%s: want {} and a note for a scheme that may not carry the token:\n%s", uri, res)
		}
	}
	if n := w.z.TokenRequests(); n != 1 {
		t.Errorf("token requests = %d, want 1", n)
	}
}

// javaParses parses expires with Bazel's formatter when Java is present.
func javaParses(t *testing.T, expires string) {
	t.Helper()
	java, err := exec.LookPath("java")
	if err != nil {
		t.Logf("no java: expires checked against the ported pattern only")
		return
	}
	out, err := exec.Command(java, filepath.Join("testdata", "BazelExpires.java"), expires).CombinedOutput()
	if err != nil {
		t.Fatalf("Bazel's formatter rejects expires %q: %v\n%s", expires, err, out)
	}
	secs, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	if err != nil || time.Until(time.Unix(secs, 0)) <= 0 {
		t.Errorf("Bazel's formatter read %q as %s", expires, out)
	}
}
