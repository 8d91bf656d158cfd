//go:build unix

package safefile

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// stat is the Sys value of a file owned by uid and gid.
func stat(uid, gid int) any { return &syscall.Stat_t{Uid: uint32(uid), Gid: uint32(gid)} }

func TestReadFileFIFODoesNotBlock(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := ReadFile(p, 100); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "fifo: is not a regular file") {
			t.Fatalf("err = %v, want not a regular file", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("reading a FIFO blocked")
	}
}
