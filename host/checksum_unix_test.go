//go:build unix

package host

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPluginFIFODoesNotBlock: a FIFO where the plugin should be fails at
// once, both the checksum and the start.
func TestPluginFIFODoesNotBlock(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "keyfob-plugin-x")
	if err := syscall.Mkfifo(p, 0o700); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for name, check := range map[string]func() error{
		"VerifySHA256": func() error { return VerifySHA256(p, strings.Repeat("0", 64)) },
		"Launch": func() error {
			_, err := Launch(t.Context(), Options{Path: p, SHA256: strings.Repeat("0", 64)})
			return err
		},
	} {
		done := make(chan error, 1)
		go func() { done <- check() }()
		select {
		case err := <-done:
			if want := "plugin " + p + ": is not a regular file"; err == nil || err.Error() != want {
				t.Errorf("%s: err = %v, want %q", name, err, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s blocked on a FIFO", name)
		}
	}
}
