//go:build !unix

package azurecli

import "os/exec"

// ownProcessGroup does nothing here: cancellation kills az itself, and
// cmd.WaitDelay bounds the wait for any process it left behind.
func ownProcessGroup(*exec.Cmd) {}
