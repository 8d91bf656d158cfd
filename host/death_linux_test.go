//go:build linux

package host

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPluginDiesWithHost kills a host process with SIGKILL (no chance to
// stop its plugin) and expects the plugin to go too (CONTRACT §8).
func TestPluginDiesWithHost(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(testExe(t))
	// The killed host leaves its socket directory behind: keep it in a
	// directory of this test's, removed when it ends.
	cmd.Env = append(os.Environ(), hostModeEnv+"=sleep", quickExit, "TMPDIR="+shortTempDir(t))
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line := readLine(t, bufio.NewReader(stdout), 20*time.Second)
	pid, err := strconv.Atoi(line)
	if err != nil || pid <= 0 {
		t.Fatalf("helper host printed %q, want the plugin's pid", line)
	}
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
	if !alive(pid) {
		t.Fatalf("plugin %d is not running while its host is", pid)
	}
	if ppid := parentOf(pid); ppid != cmd.Process.Pid {
		t.Fatalf("plugin %d has parent %d, want the helper host %d", pid, ppid, cmd.Process.Pid)
	}

	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if !eventually(5*time.Second, func() bool { return !alive(pid) }) {
		t.Errorf("plugin %d still runs 5s after its host was killed", pid)
	}
}

// alive reports whether pid is a running (not zombie) process.
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	state, _ := procStat(pid)
	return state != "" && state != "Z" && state != "X"
}

func parentOf(pid int) int {
	_, ppid := procStat(pid)
	return ppid
}

// procStat returns the state and parent pid from /proc/<pid>/stat.
func procStat(pid int) (state string, ppid int) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "", 0
	}
	// The command name is in parentheses and may hold spaces.
	rest := string(b)
	if i := strings.LastIndexByte(rest, ')'); i >= 0 {
		rest = rest[i+1:]
	}
	f := strings.Fields(rest)
	if len(f) < 2 {
		return "", 0
	}
	ppid, _ = strconv.Atoi(f[1])
	return f[0], ppid
}
