package cli

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"
)

// stalledStdin returns its data, then blocks until the test ends, like a
// pipe whose writer never closes it.
type stalledStdin struct {
	data string
	wait <-chan struct{}
}

func (r *stalledStdin) Read(p []byte) (int, error) {
	if r.data == "" {
		<-r.wait
		return 0, io.EOF
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// TestHostRequestWithinTimeout feeds every command that reads a host
// tool's request a pipe that never closes: with --timeout it gives up in
// time with exit 5, one line on stderr (the front's line too) and the
// protocol's error form on stdout.
func TestHostRequestWithinTimeout(t *testing.T) {
	t.Parallel()
	w := newHostsWorld(t)
	const msg = "'s request did not arrive on standard input within --timeout 50ms"
	tests := map[string]struct {
		args       []string
		partial    string
		tool       string
		wantStdout string
	}{
		"git get":         {args: []string{"git", "--timeout", "50ms", "get"}, partial: "protocol=https\nhost=git.example.com\n", tool: "git"},
		"git erase":       {args: []string{"git", "erase", "--timeout", "50ms"}, tool: "git"},
		"docker get":      {args: []string{"docker", "--timeout", "50ms", "get"}, partial: "registry.exa", tool: "docker", wantStdout: "docker" + msg + "\n"},
		"docker erase":    {args: []string{"docker", "--timeout", "50ms", "erase"}, tool: "docker", wantStdout: "docker" + msg + "\n"},
		"docker store":    {args: []string{"docker", "--timeout", "50ms", "store"}, partial: `{"ServerURL":`, tool: "docker", wantStdout: "docker" + msg + "\n"},
		"bazel get":       {args: []string{"bazel", "--timeout", "50ms", "get"}, tool: "bazel"},
		"terraform store": {args: []string{"terraform", "--timeout", "50ms", "store", "tf.example.com"}, partial: `{"token":`, tool: "terraform"},
		"cargo": {args: []string{"cargo", "--timeout", "50ms", "--cargo-plugin"}, tool: "cargo",
			wantStdout: `{"v":[1]}` + "\n" + `{"Err":{"kind":"other","message":"keyfob: reading cargo's request: cargo` + msg + `"}}` + "\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			wait := make(chan struct{})
			t.Cleanup(func() { close(wait) })
			var out, errb bytes.Buffer
			e := Env{Args: tc.args, Stdin: &stalledStdin{data: tc.partial, wait: wait}, Stdout: &out, Stderr: &errb,
				Getenv: func(k string) string { return w.vars[k] }, Now: func() time.Time { return hostsNow },
				Executable: "/nonexistent/keyfob"}
			start := time.Now()
			code := Main(context.Background(), e)
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("took %v", took)
			}
			if code != ExitUnavailable {
				t.Errorf("exit %d, want %d", code, ExitUnavailable)
			}
			if want := "keyfob: " + tc.tool + msg + "\n"; errb.String() != want {
				t.Errorf("stderr %q, want %q", errb.String(), want)
			}
			if out.String() != tc.wantStdout {
				t.Errorf("stdout %q, want %q", out.String(), tc.wantStdout)
			}
		})
	}
}
