package secretref

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// MaxSecretSize bounds a secret file: larger files are refused, so a
// reference to /dev/zero or a log file cannot exhaust memory.
const MaxSecretSize = 64 << 10

// ErrNotSet reports an env: reference to a variable that is unset or
// empty.
var ErrNotSet = errors.New("is not set")

// IsReference reports whether v is an env: or file: reference.
func IsReference(v string) bool {
	return strings.HasPrefix(v, "env:") || strings.HasPrefix(v, "file:")
}

// Read resolves v: "env:NAME" is the variable NAME read through lookup
// (os.LookupEnv when nil), which must be set and non-empty; "file:PATH" is
// the content of the regular file PATH (a leading "~/" is the home
// directory) less one trailing newline, at most MaxSecretSize bytes;
// anything else is v itself. Errors name the variable or file, never a
// value.
func Read(v string, lookup func(string) (string, bool)) (string, error) {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	if name, ok := strings.CutPrefix(v, "env:"); ok {
		val, ok := lookup(name)
		if !ok || val == "" {
			return "", fmt.Errorf("environment variable %s %w", name, ErrNotSet)
		}
		return val, nil
	}
	if path, ok := strings.CutPrefix(v, "file:"); ok {
		b, err := ReadFile(ExpandHome(path), MaxSecretSize)
		if err != nil {
			return "", fmt.Errorf("secret file %w", err)
		}
		return trimNewline(string(b)), nil
	}
	return v, nil
}

// trimNewline drops one trailing "\n" or "\r\n".
func trimNewline(s string) string {
	s = strings.TrimSuffix(s, "\n")
	return strings.TrimSuffix(s, "\r")
}

// ReadFile reads the regular file path, refusing anything else (a FIFO,
// a device, a directory) without blocking on it, and any file larger than
// max bytes. Errors start with the path.
func ReadFile(path string, max int64) ([]byte, error) {
	f, fi, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi.Size() > max {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, max)
	}
	return ReadAtMost(f, path, max)
}

// OpenRegular opens path for reading without blocking on a FIFO and
// returns it with its FileInfo if it is a regular file; anything else (a
// FIFO, a device, a directory) is refused with an error starting with
// path. A missing file gives an error that wraps fs.ErrNotExist.
func OpenRegular(path string) (*os.File, fs.FileInfo, error) {
	f, err := OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = errors.New("is not a regular file")
	}
	if err != nil {
		_ = f.Close()
		return nil, nil, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	return f, fi, nil
}

// ReadAtMost reads r, the file path, to its end, refusing more than max
// bytes (a file that grew after a size check). Errors start with path.
func ReadAtMost(r io.Reader, path string, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, max)
	}
	return b, nil
}

// ExpandHome replaces a leading "~/" with the user's home directory.
func ExpandHome(p string) string {
	rest, ok := strings.CutPrefix(p, "~/")
	if !ok {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return p
	}
	return filepath.Join(home, rest)
}

// unwrapPath drops *os.PathError's op and path: callers name the path.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
