package host

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/keyfob/keyfob/plugin"
)

// VerifySHA256 checks the file at path against want, a lowercase hex
// SHA-256 as sha256sum prints it. A mismatch is a configuration error
// naming both checksums.
func VerifySHA256(path, want string) error {
	want = strings.ToLower(strings.TrimSpace(want))
	if len(want) != sha256.Size*2 {
		return plugin.Configf("plugin_sha256 %q is not a 64-digit hex SHA-256", want)
	}
	got, err := FileSHA256(path)
	if err != nil {
		return plugin.Configf("plugin %s: %v", path, err)
	}
	if got != want {
		return plugin.Configf("plugin %s: checksum mismatch: plugin_sha256 is %s but the file's SHA-256 is %s", path, want, got)
	}
	return nil
}

// FileSHA256 returns the SHA-256 of the file at path in lowercase hex, as
// sha256sum prints it: the value for plugin_sha256 (Options.SHA256).
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("reading: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
