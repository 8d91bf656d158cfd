package harness_test

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyfob/keyfob/e2e/harness"
)

// helperEnv switches this test binary into a stand-in for keyfob.
const helperEnv = "HARNESS_TEST_HELPER"

func TestMain(m *testing.M) {
	if mode, ok := os.LookupEnv(helperEnv); ok {
		os.Exit(helper(mode))
	}
	os.Exit(harness.Main(m))
}

// helper is the stand-in's behaviour.
func helper(mode string) int {
	switch {
	case mode == "env":
		env := os.Environ()
		slices.Sort(env)
		fmt.Println(strings.Join(env, "\n"))
	case mode == "stdin":
		_, _ = io.Copy(os.Stdout, os.Stdin)
	case strings.HasPrefix(mode, "exit:"):
		fmt.Print("out\n")
		fmt.Fprint(os.Stderr, "err\n")
		code, _ := strconv.Atoi(strings.TrimPrefix(mode, "exit:"))
		return code
	case mode == "sleep":
		time.Sleep(10 * time.Minute)
	case mode == "orphan":
		// Leave a child running, as a plugin that was not stopped would be.
		self, _ := os.Executable()
		child := exec.Command(self)
		child.Env = append(os.Environ(), helperEnv+"=sleep")
		if err := child.Start(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println(child.Process.Pid)
	}
	return 0
}

func self(t *testing.T) string {
	t.Helper()
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func TestRunControlsEnvironment(t *testing.T) {
	t.Setenv("HARNESS_TEST_LEAK", "from-parent")
	t.Setenv("XDG_CONFIG_HOME", "/parent/config")
	home := t.TempDir()
	res := harness.Run(t, self(t), harness.RunOpts{
		Home: home,
		Env:  []string{helperEnv + "=env", "KEYFOB_LOG=debug"},
	})
	got := map[string]string{}
	for line := range strings.SplitSeq(strings.TrimSpace(res.Stdout), "\n") {
		k, v, _ := strings.Cut(line, "=")
		got[k] = v
	}
	want := map[string]string{
		"HOME":             home,
		"XDG_CONFIG_HOME":  filepath.Join(home, ".config"),
		"XDG_CACHE_HOME":   filepath.Join(home, ".cache"),
		"KEYFOB_CACHE_DIR": filepath.Join(home, ".cache", "keyfob"),
		"KEYFOB_LOG":       "debug",
		"PATH":             os.Getenv("PATH"),
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if v, ok := got["HARNESS_TEST_LEAK"]; ok {
		t.Errorf("parent variable leaked: HARNESS_TEST_LEAK=%q", v)
	}
	if res.ExitCode != 0 {
		t.Errorf("exit code %d, want 0", res.ExitCode)
	}
}

func TestRunStdinAndExitCodes(t *testing.T) {
	t.Parallel()
	bin := self(t)
	tests := map[string]struct {
		opts harness.RunOpts
		want harness.Result
	}{
		"stdin is passed": {
			opts: harness.RunOpts{Env: []string{helperEnv + "=stdin"}, Stdin: "protocol=https\nhost=example.com\n\n"},
			want: harness.Result{Stdout: "protocol=https\nhost=example.com\n\n"},
		},
		"no stdin reads EOF": {
			opts: harness.RunOpts{Env: []string{helperEnv + "=stdin"}},
			want: harness.Result{},
		},
		"exit code and streams": {
			opts: harness.RunOpts{Env: []string{helperEnv + "=exit:3"}},
			want: harness.Result{Stdout: "out\n", Stderr: "err\n", ExitCode: 3},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := harness.Run(t, bin, tc.opts)
			got.Duration = 0
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Run (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunKillsLeftovers(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no process groups on Windows")
	}
	t.Parallel()
	res := harness.Run(t, self(t), harness.RunOpts{Env: []string{helperEnv + "=orphan"}})
	if !res.Leftovers {
		t.Errorf("Leftovers = false, want true: %s", res)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(res.Stdout))
	if err != nil {
		t.Fatalf("child pid: %v", err)
	}
	if runtime.GOOS == "linux" {
		waitDead(t, pid)
	}
}

// waitDead waits until pid is gone or a zombie (PID 1 here may not reap).
func waitDead(t *testing.T, pid int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return
		}
		// pid (comm) STATE ...
		if i := strings.LastIndexByte(string(stat), ')'); i > 0 && strings.HasPrefix(string(stat[i+1:]), " Z") {
			return
		}
	}
	t.Errorf("leftover child %d still running", pid)
}

// fatalTB records a Fatal instead of failing the real test.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (f *fatalTB) Fatal(args ...any) {
	f.msg = fmt.Sprint(args...)
	runtime.Goexit()
}

func TestRunTimeout(t *testing.T) {
	t.Parallel()
	ft := &fatalTB{TB: t}
	start := time.Now()
	done := make(chan struct{})
	go func() {
		defer close(done)
		harness.Run(ft, self(t), harness.RunOpts{Env: []string{helperEnv + "=sleep"}, Timeout: 300 * time.Millisecond})
	}()
	<-done
	if !strings.Contains(ft.msg, "did not finish within 300ms") {
		t.Errorf("Run past its timeout: fatal message %q, want one naming the timeout", ft.msg)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("Run took %v after a 300ms timeout", took)
	}
}

func TestWriteConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := harness.WriteConfig(t, dir, "[profiles.a]\nprovider = \"password\"\n")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
	if filepath.Dir(path) != dir {
		t.Errorf("path = %q, want it in %q", path, dir)
	}
}

func TestRepoRoot(t *testing.T) {
	t.Parallel()
	root := harness.RepoRoot(t)
	if _, err := os.Stat(filepath.Join(root, "e2e", "harness")); err != nil {
		t.Errorf("RepoRoot() = %q, which does not hold e2e/harness: %v", root, err)
	}
}
