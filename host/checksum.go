package host

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/keyfob/keyfob/host/safefile"
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
		return plugin.Configf("plugin %v", err)
	}
	if got != want {
		return plugin.Configf("plugin %s: checksum mismatch: plugin_sha256 is %s but the file's SHA-256 is %s", path, want, got)
	}
	return nil
}

// FileSHA256 returns the SHA-256 of the file at path in lowercase hex, as
// sha256sum prints it: the value for plugin_sha256 (Options.SHA256). It
// reads only a regular file, so a FIFO at path fails instead of blocking.
// Errors start with path.
func FileSHA256(path string) (string, error) {
	f, _, err := safefile.OpenRegular(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: reading: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
