package front

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestHostRequestWithinTimeout feeds each protocol the front reads stdin
// for a pipe that never closes: with --timeout the front gives up in time
// and answers as the engine does (exit 5, one line on stderr, docker's
// error on stdout), instead of handing the wait to the engine.
func TestHostRequestWithinTimeout(t *testing.T) {
	t.Parallel()
	env := hostsEnv(t)
	const msg = "'s request did not arrive on standard input within --timeout 50ms\n"
	tests := map[string]struct {
		args       []string
		partial    string // what arrives before the pipe stalls
		wantStdout string
		tool       string
	}{
		"git get":           {args: []string{"git", "get", "--timeout", "50ms"}, tool: "git"},
		"git get, partial":  {args: []string{"git", "--timeout=50ms", "get"}, partial: "protocol=https\nhost=git.example.com\n", tool: "git"},
		"docker get":        {args: []string{"docker", "--timeout", "50ms", "get"}, partial: "registry.exa", tool: "docker", wantStdout: "docker's request did not arrive on standard input within --timeout 50ms\n"},
		"bazel get":         {args: []string{"bazel", "--timeout", "50ms", "get"}, partial: `{"uri":`, tool: "bazel"},
		"git helper name":   {args: []string{"--timeout", "50ms", "get"}, tool: "git"},
		"docker helper, -p": {args: []string{"-p", "repos", "--timeout", "50ms", "get"}, tool: "docker", wantStdout: "docker" + msg},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			wait := make(chan struct{})
			t.Cleanup(func() { close(wait) })
			e := env
			if strings.Contains(name, "helper") {
				e.Program = tc.tool + "-credential-keyfob"
			}
			var out, errb bytes.Buffer
			e.Args, e.Stdin, e.Stdout, e.Stderr = tc.args, NewInput(&blockingReader{data: []byte(tc.partial), wait: wait}), &out, &errb
			start := time.Now()
			code, handled := Run(e)
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("took %v", took)
			}
			if !handled || code != 5 {
				t.Fatalf("Run = (%d, %v), want (5, true); stderr %q", code, handled, errb.String())
			}
			if want := "keyfob: " + tc.tool + msg; errb.String() != want {
				t.Errorf("stderr %q, want %q", errb.String(), want)
			}
			if out.String() != tc.wantStdout {
				t.Errorf("stdout %q, want %q", out.String(), tc.wantStdout)
			}
		})
	}
}

// TestHostRequestWithoutTimeoutWaits checks that without --timeout the
// front still waits for the whole request (a slow writer is not cut off).
func TestHostRequestWithoutTimeoutWaits(t *testing.T) {
	t.Parallel()
	env := hostsEnv(t)
	r := &blockingReader{data: []byte("protocol=https\nhost=git.example.com\n"), wait: make(chan struct{})}
	var out bytes.Buffer
	env.Args, env.Stdin, env.Stdout = []string{"git", "get"}, NewInput(r), &out
	done := make(chan struct{})
	go func() {
		defer close(done)
		Run(env)
	}()
	select {
	case <-done:
		t.Fatal("Run ended before the request did")
	case <-time.After(200 * time.Millisecond):
	}
	close(r.wait)
	<-done
	if !strings.Contains(out.String(), "password=repos-token") {
		t.Errorf("stdout %q, want the credential once the request ended", out.String())
	}
}
