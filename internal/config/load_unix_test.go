//go:build unix

package config

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/keyfob/keyfob/host/safefile"
)

func TestLoadRefusesFIFO(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	_, err := loadWithin(t, p)
	checkLoadErr(t, err, "config "+p+": is not a regular file", false)
}

// TestLoadAcceptsOwnGroupWritable: a umask of 002 with one group per user
// makes files group-writable for the user's own group, which grants
// nobody else anything; such a file is read.
func TestLoadAcceptsOwnGroupWritable(t *testing.T) {
	t.Parallel()
	p := writeFile(t, contractExample)
	if err := os.Chmod(p, 0o664); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if gid := int(fi.Sys().(*syscall.Stat_t).Gid); !safefile.PrivateGroup(gid, os.Getuid()) {
		t.Skipf("group %d is not this user's private group here", gid)
	}
	if _, err := Load(p); err != nil {
		t.Fatalf("a file writable by the owner's own group: %v", err)
	}
}
