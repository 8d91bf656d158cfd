package harness

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// DefaultTimeout bounds a keyfob run when RunOpts.Timeout is zero.
const DefaultTimeout = 60 * time.Second

// waitDelay bounds how long Run waits for output after keyfob exits or is
// killed, in case a process it started still holds stdout or stderr.
const waitDelay = 5 * time.Second

// passedEnv are variables taken from the test's environment when set: the
// ones a process needs to run at all, and GOCOVERDIR for executables built
// with -cover. Everything else comes from RunOpts.
var passedEnv = []string{"PATH", "TMPDIR", "GOCOVERDIR", "SYSTEMROOT", "TEMP", "TMP"}

// RunOpts describes one keyfob invocation.
type RunOpts struct {
	// Args are the arguments after the executable name.
	Args []string
	// Env holds NAME=value entries added after the controlled base
	// environment; they override it (e.g. KEYFOB_CONFIG, KEYFOB_LOG,
	// secrets referenced as env:NAME).
	Env []string
	// Stdin is keyfob's standard input. Empty means /dev/null.
	Stdin string
	// Home is the private home directory. HOME (and USERPROFILE) point at
	// it, XDG_CONFIG_HOME at Home/.config, XDG_CACHE_HOME at Home/.cache and
	// KEYFOB_CACHE_DIR at Home/.cache/keyfob (not created beforehand).
	// Invocations that share a cache share a Home. Empty means a fresh
	// t.TempDir().
	Home string
	// Dir is the working directory. Empty means Home.
	Dir string
	// Timeout bounds the run; keyfob and every process it started are
	// killed when it expires, and the test fails. Zero means DefaultTimeout.
	Timeout time.Duration
}

// Result is the outcome of a keyfob run.
type Result struct {
	Stdout   string
	Stderr   string
	ExitCode int
	Duration time.Duration
	// Leftovers reports that a process keyfob started (a plugin) was still
	// running after keyfob exited. Run kills such processes. Always false
	// where process groups are unavailable (Windows).
	Leftovers bool
}

// String formats r for failure messages.
func (r Result) String() string {
	return fmt.Sprintf("exit code %d after %v\nstdout: %q\nstderr:\n%s", r.ExitCode, r.Duration.Round(time.Millisecond), trimOutput(r.Stdout), trimOutput(r.Stderr))
}

// Run runs keyfob (the executable bin) once and returns its output and exit
// code. A non-zero exit is a Result, not a failure; failing to start, or
// running past the timeout, fails the test.
func Run(t testing.TB, bin string, opts RunOpts) Result {
	t.Helper()
	return RunParallel(t, bin, opts)[0]
}

// RunParallel starts one keyfob process per opts, all before waiting for
// any, and returns their results in order. Give them the same Home to make
// them contend for one cache.
func RunParallel(t testing.TB, bin string, opts ...RunOpts) []Result {
	t.Helper()
	procs := make([]*process, 0, len(opts))
	defer func() {
		for _, p := range procs {
			p.stop() // no-op for the ones already waited for
		}
	}()
	for _, o := range opts {
		p, err := startProcess(t, bin, o)
		if err != nil {
			t.Fatalf("starting %s: %v", bin, err)
		}
		procs = append(procs, p)
	}
	results := make([]Result, len(procs))
	for i, p := range procs {
		res, err := p.wait()
		t.Logf("keyfob %s\n%s", strings.Join(opts[i].Args, " "), res)
		if err != nil {
			t.Fatalf("keyfob %s: %v\n%s", strings.Join(opts[i].Args, " "), err, res)
		}
		results[i] = res
	}
	return results
}

// process is one running keyfob.
type process struct {
	cmd            *exec.Cmd
	cancel         context.CancelFunc
	ctx            context.Context
	stdout, stderr bytes.Buffer
	started        time.Time
	timeout        time.Duration
}

func startProcess(t testing.TB, bin string, opts RunOpts) (*process, error) {
	t.Helper()
	home := opts.Home
	if home == "" {
		home = t.TempDir()
	}
	dir := opts.Dir
	if dir == "" {
		dir = home
	}
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	p := &process{timeout: timeout}
	p.ctx, p.cancel = context.WithTimeout(context.Background(), timeout)
	p.cmd = exec.CommandContext(p.ctx, bin, opts.Args...)
	p.cmd.Env = append(baseEnv(home), opts.Env...)
	p.cmd.Dir = dir
	if opts.Stdin != "" {
		p.cmd.Stdin = strings.NewReader(opts.Stdin)
	}
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	p.cmd.WaitDelay = waitDelay
	setProcessGroup(p.cmd)
	p.started = time.Now()
	if err := p.cmd.Start(); err != nil {
		p.cancel()
		return nil, err
	}
	return p, nil
}

// wait waits for the process, then kills whatever it left running. The
// error is non-nil only when the run itself failed (timeout, I/O), not for
// a non-zero exit code.
func (p *process) wait() (Result, error) {
	err := p.cmd.Wait()
	res := Result{Duration: time.Since(p.started), ExitCode: p.cmd.ProcessState.ExitCode()}
	res.Leftovers = killProcessGroup(p.cmd)
	timedOut := p.ctx.Err() != nil
	p.cancel()
	res.Stdout, res.Stderr = p.stdout.String(), p.stderr.String()
	var exitErr *exec.ExitError
	switch {
	case timedOut:
		return res, fmt.Errorf("did not finish within %v; killed", p.timeout)
	case err != nil && !errors.As(err, &exitErr):
		return res, err
	}
	return res, nil
}

// stop kills a process that was started but not waited for.
func (p *process) stop() {
	if p.cmd.ProcessState == nil {
		p.cancel()
		_ = p.cmd.Wait()
		killProcessGroup(p.cmd)
	}
}

// baseEnv is the controlled environment every run starts from.
func baseEnv(home string) []string {
	env := []string{
		"HOME=" + home,
		"USERPROFILE=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"KEYFOB_CACHE_DIR=" + filepath.Join(home, ".cache", "keyfob"),
	}
	if runtime.GOOS == "windows" {
		env = append(env,
			"APPDATA="+filepath.Join(home, "AppData", "Roaming"),
			"LOCALAPPDATA="+filepath.Join(home, "AppData", "Local"))
	}
	for _, name := range passedEnv {
		if v, ok := os.LookupEnv(name); ok {
			env = append(env, name+"="+v)
		}
	}
	return env
}
