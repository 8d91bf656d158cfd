//go:build linux

package e2e_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keyfob/keyfob/e2e/harness"
)

// This file kills processes around a token request (issue "Process
// faults"): the plugin dies mid-request, the process holding the cache
// lock dies, a plugin corrupts the handshake, and the host dies while its
// plugin runs. The misbehaving plugin is testdata/faultplugin, built here
// against the product's plugin SDK. Linux only: it reads /proc.

// buildFaultPlugin builds testdata/faultplugin into dir and returns its
// path.
func buildFaultPlugin(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "faultplugin")
	cmd := exec.Command("go", "build", "-o", bin, "./testdata/faultplugin")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the fault plugin: %v\n%s", err, out)
	}
	return bin
}

// hangProfile is a profile served by the fault plugin's hang_once
// provider, which records its pids in pidfile.
func hangProfile(pluginPath, pidfile string) string {
	return fmt.Sprintf("[profiles.hang]\nplugin = %q\nprovider = \"hang_once\"\nx_pidfile = %q\n", pluginPath, pidfile)
}

// asyncKeyfob is a keyfob started without waiting for it, in its own
// process group, with the harness's controlled environment.
type asyncKeyfob struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan struct{}
	started        time.Time
}

func startKeyfob(t *testing.T, bin, home string, args, vars []string) *asyncKeyfob {
	t.Helper()
	k := &asyncKeyfob{cmd: exec.Command(bin, args...), done: make(chan struct{})}
	k.cmd.Env = append([]string{
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"KEYFOB_CACHE_DIR=" + filepath.Join(home, ".cache", "keyfob"),
		"PATH=" + os.Getenv("PATH"),
	}, vars...)
	k.cmd.Dir = home
	k.cmd.Stdout, k.cmd.Stderr = &k.stdout, &k.stderr
	k.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	k.started = time.Now()
	if err := k.cmd.Start(); err != nil {
		t.Fatalf("starting keyfob: %v", err)
	}
	go func() { _ = k.cmd.Wait(); close(k.done) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-k.cmd.Process.Pid, syscall.SIGKILL) // whatever is left of the group
		<-k.done
	})
	return k
}

// wait waits for keyfob to exit and returns its result.
func (k *asyncKeyfob) wait(t *testing.T) harness.Result {
	t.Helper()
	select {
	case <-k.done:
	case <-time.After(harness.DefaultTimeout):
		t.Fatalf("keyfob did not exit within %v", harness.DefaultTimeout)
	}
	res := harness.Result{Stdout: k.stdout.String(), Stderr: k.stderr.String(),
		ExitCode: k.cmd.ProcessState.ExitCode(), Duration: time.Since(k.started)}
	t.Logf("keyfob %s\n%s", strings.Join(k.cmd.Args[1:], " "), res)
	return res
}

// waitPids waits for the hang_once provider's pidfile and returns the
// plugin's pid and its parent's (the keyfob engine).
func waitPids(t *testing.T, path string, k *asyncKeyfob) (plugin, host int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		b, err := os.ReadFile(path)
		if err == nil {
			f := strings.Fields(string(b))
			plugin, _ = strconv.Atoi(f[0])
			host, _ = strconv.Atoi(f[1])
			return plugin, host
		}
		select {
		case <-k.done:
			t.Fatalf("keyfob exited before its plugin started:\n%s", k.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("the plugin never wrote %s", path)
	return 0, 0
}

// waitGone waits until pid has exited (gone, or a zombie nobody reaps).
func waitGone(pid int, within time.Duration) bool {
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return true
		}
		if i := bytes.LastIndexByte(stat, ')'); i > 0 && bytes.HasPrefix(stat[i+1:], []byte(" Z")) {
			return true
		}
	}
	return false
}

func TestProcessFaults(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	pluginPath := buildFaultPlugin(t, t.TempDir())

	// The plugin is SIGKILLed mid-request: keyfob reports it in one
	// line naming the plugin, the cache lock is released, and the next
	// call works.
	t.Run("plugin killed mid-request", func(t *testing.T) {
		t.Parallel()
		home := t.TempDir()
		pidfile := filepath.Join(home, "pids")
		vars := env("KEYFOB_CONFIG", harness.WriteConfig(t, home, hangProfile(pluginPath, pidfile)))
		k := startKeyfob(t, bin, home, []string{"token", "-p", "hang"}, vars)
		pluginPid, _ := waitPids(t, pidfile, k)
		if err := syscall.Kill(pluginPid, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		res := k.wait(t)
		if res.ExitCode != 1 || res.Stdout != "" {
			t.Errorf("exit code %d, stdout %q; want 1 (internal error) and nothing", res.ExitCode, res.Stdout)
		}
		if res.Duration > 15*time.Second {
			t.Errorf("keyfob took %v to notice its plugin died", res.Duration)
		}
		checkSingleLine(t, res.Stderr)
		checkOneErrorLine(t, res.Stderr, pluginPath, "exited during the call", "killed")

		next := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "hang", "--lock-timeout", "5s"}, Env: vars})
		checkSuccess(t, next)
		if next.Stdout != "after-the-fault\n" || strings.Contains(next.Stderr, "waiting") {
			t.Errorf("the call after the killed plugin: want the token at once, got %s", next)
		}
	})

	// The keyfob holding the cache lock is SIGKILLed while its plugin
	// runs: the plugin exits too, and the next call takes the lock at
	// once, where a call during the hang had to wait for it.
	t.Run("lock holder and host killed", func(t *testing.T) {
		t.Parallel()
		home := t.TempDir()
		pidfile := filepath.Join(home, "pids")
		vars := env("KEYFOB_CONFIG", harness.WriteConfig(t, home, hangProfile(pluginPath, pidfile)))
		k := startKeyfob(t, bin, home, []string{"token", "-p", "hang"}, vars)
		pluginPid, hostPid := waitPids(t, pidfile, k)
		if hostPid != k.cmd.Process.Pid {
			t.Fatalf("the plugin's parent is %d, want keyfob (%d)", hostPid, k.cmd.Process.Pid)
		}

		blocked := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "hang", "--timeout", "1s"}, Env: vars})
		if blocked.ExitCode != 5 || !strings.Contains(blocked.Stderr, "waiting for another keyfob") {
			t.Errorf("a call while the lock is held: want exit 5 after waiting for it, got %s", blocked)
		}

		if err := syscall.Kill(hostPid, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		if res := k.wait(t); res.ExitCode != -1 {
			t.Errorf("keyfob exit code %d, want -1 (killed)", res.ExitCode)
		}
		if !waitGone(pluginPid, 5*time.Second) {
			t.Errorf("the plugin (pid %d) still runs 5 s after its host was killed", pluginPid)
		}

		next := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "hang", "--lock-timeout", "5s"}, Env: vars})
		checkSuccess(t, next)
		if next.Stdout != "after-the-fault\n" || strings.Contains(next.Stderr, "waiting") {
			t.Errorf("the call after the killed lock holder: want the token at once, got %s", next)
		}
	})

	// A plugin that writes to stdout before the handshake is refused
	// with an error naming it.
	t.Run("plugin writes to stdout before the handshake", func(t *testing.T) {
		t.Parallel()
		home := t.TempDir()
		noisy := filepath.Join(home, "faultplugin-noisy")
		copyFile(t, pluginPath, noisy)
		vars := env("KEYFOB_CONFIG", harness.WriteConfig(t, home, hangProfile(noisy, filepath.Join(home, "pids"))))
		res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "hang"}, Env: vars})
		if res.ExitCode == 0 || res.Stdout != "" {
			t.Errorf("exit code %d, stdout %q; want a failure and nothing on stdout", res.ExitCode, res.Stdout)
		}
		checkNoLeaks(t, res)
		checkSingleLine(t, res.Stderr)
		checkOneErrorLine(t, res.Stderr, noisy, "handshake")
		checkCacheFiles(t, home, 0, false)
	})

	// A plugin that never completes the handshake is given up on at the
	// call's deadline, not go-plugin's own 30 s start timeout.
	t.Run("plugin never starts", func(t *testing.T) {
		t.Parallel()
		home := t.TempDir()
		sleepy := filepath.Join(home, "faultplugin-sleepy")
		copyFile(t, pluginPath, sleepy)
		vars := env("KEYFOB_CONFIG", harness.WriteConfig(t, home, hangProfile(sleepy, filepath.Join(home, "pids"))))
		res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "hang", "--timeout", "2s"}, Env: vars})
		if res.ExitCode != 5 || res.Stdout != "" {
			t.Errorf("exit code %d, stdout %q; want 5 and nothing on stdout", res.ExitCode, res.Stdout)
		}
		if res.Duration > 8*time.Second {
			t.Errorf("keyfob took %v with --timeout 2s", res.Duration)
		}
		checkNoLeaks(t, res)
		checkSingleLine(t, res.Stderr)
		checkOneErrorLine(t, res.Stderr, sleepy, "did not start before the deadline")
	})

	// A plugin path that is missing or not an executable is a
	// configuration error (exit 2) naming it.
	for name, write := range map[string]bool{"plugin is not executable": true, "plugin is missing": false} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			home := t.TempDir()
			bogus := filepath.Join(home, "not-a-plugin")
			if write {
				if err := os.WriteFile(bogus, []byte("just text\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			vars := env("KEYFOB_CONFIG", harness.WriteConfig(t, home, hangProfile(bogus, filepath.Join(home, "pids"))))
			res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "hang"}, Env: vars})
			if res.ExitCode != 2 || res.Stdout != "" {
				t.Errorf("exit code %d, stdout %q; want 2 and nothing on stdout", res.ExitCode, res.Stdout)
			}
			checkSingleLine(t, res.Stderr)
			checkOneErrorLine(t, res.Stderr, bogus, "cannot be started")
		})
	}
}

// checkSingleLine fails unless stderr is exactly one line.
func checkSingleLine(t *testing.T, stderr string) {
	t.Helper()
	if lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n"); len(lines) != 1 || lines[0] == "" {
		t.Errorf("stderr has %d lines, want one:\n%s", len(lines), stderr)
	}
}
