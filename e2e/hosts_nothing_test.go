package e2e_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/e2e/harness"
)

// TestNothingHereIsFastAndOffline asks every helper name about hosts no
// profile serves — with a default_profile and $KEYFOB_PROFILE set, which
// host protocols must ignore — through a lone copy of the front, without
// keyfob-engine beside it: each protocol's "nothing here" comes from the
// front alone (no plugin, no gRPC), and the token endpoint sees nothing.
func TestNothingHereIsFastAndOffline(t *testing.T) {
	t.Parallel()
	w := newHostWorld(t)
	w.writeConfig(t, "default_profile = \"served\"\n"+w.profile("served", w.z.BasicClient, "served.example.test"))
	lone := filepath.Join(t.TempDir(), "keyfob")
	copyFile(t, w.bin, lone)
	for _, name := range []string{"git-credential-keyfob", "docker-credential-keyfob", "terraform-credentials-keyfob", "bazel-credential-keyfob"} {
		if err := os.Symlink(lone, filepath.Join(filepath.Dir(lone), name)); err != nil {
			t.Skipf("symlinks unavailable: %v", err)
		}
	}
	vars := env("KEYFOB_CONFIG", w.cfg, "KEYFOB_PROFILE", "served", clientSecretVar, w.z.BasicClient.Secret)
	tests := map[string]struct {
		name     string
		args     []string
		stdin    string
		want     string
		wantCode int
	}{
		"git":        {name: "git-credential-keyfob", args: []string{"get"}, stdin: "protocol=https\nhost=github.com\n", want: ""},
		"git store":  {name: "git-credential-keyfob", args: []string{"store"}, stdin: "protocol=https\nhost=github.com\nusername=u\npassword=p\n", want: ""},
		"git -p":     {name: "git-credential-keyfob", args: []string{"-p", "served", "get"}, stdin: "protocol=https\nhost=github.com\n", want: ""},
		"docker":     {name: "docker-credential-keyfob", args: []string{"get"}, stdin: "index.docker.io", want: "credentials not found in native keychain\n", wantCode: 1},
		"terraform":  {name: "terraform-credentials-keyfob", args: []string{"get", "registry.terraform.io"}, want: "{}\n"},
		"bazel":      {name: "bazel-credential-keyfob", args: []string{"get"}, stdin: `{"uri":"https://mirror.bazel.build/x.tar.gz"}`, want: "{}\n"},
		"keyfob git": {name: "keyfob", args: []string{"git", "get"}, stdin: "protocol=https\nhost=github.com\n", want: ""},
	}
	for label, tc := range tests {
		t.Run(label, func(t *testing.T) {
			res := harness.Run(t, filepath.Join(filepath.Dir(lone), tc.name), harness.RunOpts{Home: w.home, Args: tc.args, Stdin: tc.stdin, Env: vars})
			if res.ExitCode != tc.wantCode || res.Stdout != tc.want {
				t.Errorf("want exit %d and %q:\n%s", tc.wantCode, tc.want, res)
			}
			if strings.Contains(res.Stderr, "keyfob-engine") {
				t.Errorf("the front needed the engine for a nothing-here answer:\n%s", res)
			}
		})
	}
	if n := w.z.TokenRequests(); n != 0 {
		t.Errorf("token requests = %d, want 0", n)
	}
}

// TestCachedHostAnswersNeedNoEngine primes the cache through the full
// install, then asks every protocol again through a lone copy of the
// front: cache hits are answered without keyfob-engine. The first,
// uncached git and docker calls also prove the front hands the stdin it
// read to the engine.
func TestCachedHostAnswersNeedNoEngine(t *testing.T) {
	t.Parallel()
	w := newHostWorld(t)
	w.writeConfig(t, "default_profile = \"served\"\n"+w.profile("served", w.z.BasicClient, "served.example.test"))
	vars := env("KEYFOB_CONFIG", w.cfg, clientSecretVar, w.z.BasicClient.Secret)
	lone := filepath.Join(t.TempDir(), "keyfob")
	copyFile(t, w.bin, lone)
	calls := map[string]struct {
		name  string
		args  []string
		stdin string
		want  string // a substring of the answer
	}{
		"git":       {name: "git-credential-keyfob", args: []string{"get"}, stdin: "protocol=https\nhost=served.example.test\n", want: "password="},
		"docker":    {name: "docker-credential-keyfob", args: []string{"get"}, stdin: "served.example.test", want: `"Secret":"`},
		"terraform": {name: "terraform-credentials-keyfob", args: []string{"get", "served.example.test"}, want: `{"token":"`},
		"bazel":     {name: "bazel-credential-keyfob", args: []string{"get"}, stdin: `{"uri":"https://served.example.test/x"}`, want: `"Authorization":["Bearer `},
		"kubectl":   {name: "keyfob", args: []string{"kubectl"}, want: `"kind":"ExecCredential"`},
	}
	for label, c := range calls {
		full := w.helper(c.name)
		if c.name == "keyfob" {
			full = w.bin
		}
		res := harness.Run(t, full, harness.RunOpts{Home: w.home, Args: c.args, Stdin: c.stdin, Env: vars})
		checkSuccess(t, res, w.z.BasicClient.Secret)
		if !strings.Contains(res.Stdout, c.want) {
			t.Fatalf("%s through the engine: %q lacks %q", label, res.Stdout, c.want)
		}
		if c.name != "keyfob" {
			if err := os.Symlink(lone, filepath.Join(filepath.Dir(lone), c.name)); err != nil {
				t.Skipf("symlinks unavailable: %v", err)
			}
		}
	}
	before := w.z.TokenRequests()
	for label, c := range calls {
		res := harness.Run(t, filepath.Join(filepath.Dir(lone), c.name), harness.RunOpts{Home: w.home, Args: c.args, Stdin: c.stdin, Env: vars})
		checkSuccess(t, res, w.z.BasicClient.Secret)
		if !strings.Contains(res.Stdout, c.want) {
			t.Errorf("%s from the front alone: %q lacks %q", label, res.Stdout, c.want)
		}
	}
	if n := w.z.TokenRequests(); n != before {
		t.Errorf("token requests grew from %d to %d on cache hits", before, n)
	}
}
