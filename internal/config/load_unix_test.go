//go:build unix

package config

import (
	"path/filepath"
	"syscall"
	"testing"
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
