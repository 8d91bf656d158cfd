package e2e_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestHostRequestWithinTimeout runs the built keyfob as each host tool
// does, with a standard input that stays open and silent (a pipe whose
// writer never writes or closes it, as `sleep 20 | keyfob git get` is):
// --timeout ends the wait, in the front and in the engine, with exit 5,
// one line on stderr and the protocol's error form.
func TestHostRequestWithinTimeout(t *testing.T) {
	t.Parallel()
	w := newHostWorld(t)
	w.writeConfig(t, w.profile("repos", w.z.BasicClient, "git.example.test", "registry.example.test"))
	const timeout = 2 * time.Second
	msg := func(tool string) string {
		return tool + "'s request did not arrive on standard input within --timeout " + timeout.String()
	}
	tests := map[string]struct {
		path       string
		args       []string
		tool       string
		wantStdout string
	}{
		"git get, front":         {path: w.bin, args: []string{"git", "get", "--timeout", timeout.String()}, tool: "git"},
		"git-credential-keyfob":  {path: w.helper("git-credential-keyfob"), args: []string{"--timeout", timeout.String(), "get"}, tool: "git"},
		"git get, engine":        {path: w.bin, args: []string{"git", "--client-id", "other", "--timeout", timeout.String(), "get"}, tool: "git"},
		"git get, keyfob-engine": {path: filepath.Join(filepath.Dir(w.bin), "keyfob-engine"), args: []string{"git", "get", "--timeout", timeout.String()}, tool: "git"},
		"docker get, front":      {path: w.bin, args: []string{"docker", "--timeout", timeout.String(), "get"}, tool: "docker", wantStdout: msg("docker") + "\n"},
		"bazel get, front":       {path: w.bin, args: []string{"bazel", "--timeout", timeout.String(), "get"}, tool: "bazel"},
		"terraform store":        {path: w.bin, args: []string{"terraform", "--timeout", timeout.String(), "store", "registry.example.test"}, tool: "terraform"},
		"cargo": {path: w.bin, args: []string{"cargo", "--timeout", timeout.String(), "--cargo-plugin"}, tool: "cargo",
			wantStdout: `{"v":[1]}` + "\n" + `{"Err":{"kind":"other","message":"keyfob: reading cargo's request: ` + msg("cargo") + `"}}` + "\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code, took := runStalledStdin(t, w, tc.path, tc.args...)
			if code != 5 {
				t.Errorf("exit %d, want 5", code)
			}
			if took < timeout-100*time.Millisecond || took > timeout+5*time.Second {
				t.Errorf("took %v, want about %v", took, timeout)
			}
			if want := "keyfob: " + msg(tc.tool) + "\n"; stderr != want {
				t.Errorf("stderr %q, want %q", stderr, want)
			}
			if stdout != tc.wantStdout {
				t.Errorf("stdout %q, want %q", stdout, tc.wantStdout)
			}
		})
	}
	if n := w.z.TokenRequests(); n != 0 {
		t.Errorf("token requests = %d, want 0", n)
	}
}

// runStalledStdin runs path with args and w's environment, its standard
// input a pipe the test holds open without writing, bounded by 30 s.
func runStalledStdin(t *testing.T, w *hostWorld, path string, args ...string) (stdout, stderr string, code int, took time.Duration) {
	t.Helper()
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer wr.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	var out, errb bytes.Buffer
	cmd.Dir, cmd.Env, cmd.Stdin, cmd.Stdout, cmd.Stderr, cmd.WaitDelay = w.home, w.env(), r, &out, &errb, 5*time.Second
	start := time.Now()
	err = cmd.Run()
	took = time.Since(start)
	t.Logf("%s %v: %v after %v\nstdout: %q\nstderr: %q", filepath.Base(path), args, err, took, out.String(), errb.String())
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("still waiting after 30 s")
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return out.String(), errb.String(), code, took
}
