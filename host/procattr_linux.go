package host

import (
	"os/exec"
	"syscall"
)

// setProcAttr asks the kernel to kill the plugin when the host dies; the
// plugin also watches its parent pid (plugin/parent_unix.go).
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
