//go:build !linux

package host

import "os/exec"

// setProcAttr does nothing here; the plugin watches its parent instead.
func setProcAttr(*exec.Cmd) {}
