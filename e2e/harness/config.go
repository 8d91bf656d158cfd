package harness

import (
	"os"
	"path/filepath"
	"testing"
)

// WriteConfig writes toml to dir/config.toml with mode 0600 and returns the
// file's path, for KEYFOB_CONFIG.
func WriteConfig(t testing.TB, dir, toml string) string {
	t.Helper()
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(toml), 0o600); err != nil {
		t.Fatalf("writing config: %v", err)
	}
	// WriteFile keeps the mode of a file that already exists.
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatalf("writing config: %v", err)
	}
	return path
}
