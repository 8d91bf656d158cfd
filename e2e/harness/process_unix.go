//go:build unix

package harness

import (
	"os/exec"
	"syscall"
)

// setProcessGroup makes keyfob lead a new process group, so that a timeout
// kills the plugins it started too.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}

// killProcessGroup kills what is left of keyfob's process group after keyfob
// exited, and reports whether anything was.
func killProcessGroup(cmd *exec.Cmd) bool {
	if cmd.Process == nil {
		return false
	}
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) == nil
}
