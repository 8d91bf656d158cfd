package cache

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// Options configure a Cache. The zero value is valid.
type Options struct {
	// Sealer, when set, encrypts the plugins' state (refresh tokens) at
	// rest. State written with a Sealer can be read only with an
	// equivalent Sealer; state that does not open is treated as missing,
	// and so is unsealed state while a Sealer is set.
	Sealer Sealer
	// MigratePlain, with a Sealer, reads unsealed state — written before
	// a Sealer was available, e.g. before an OS keyring was usable — and
	// seals it in place, so a Sealer appearing later does not lose the
	// refresh tokens stored before. Without it such state is a miss.
	MigratePlain bool
}

// Cache is a directory of token entries, plugin state, negative entries
// and lock files. It holds no open files or in-memory state, so any number
// of Cache values and processes may share a directory. A Cache is safe for
// concurrent use.
type Cache struct {
	dir          string
	sealer       Sealer
	migratePlain bool
}

// Dir returns the cache directory: $KEYFOB_CACHE_DIR (made absolute), else
// $XDG_CACHE_HOME/keyfob (ignored unless absolute, as the XDG spec says),
// else ~/.cache/keyfob, where ~ is $HOME (on Windows, $USERPROFILE when
// $HOME is unset). getenv is usually os.Getenv.
func Dir(getenv func(string) string) (string, error) {
	if d := getenv("KEYFOB_CACHE_DIR"); d != "" {
		return filepath.Abs(d)
	}
	if x := getenv("XDG_CACHE_HOME"); filepath.IsAbs(x) {
		return filepath.Join(x, "keyfob"), nil
	}
	home := getenv("HOME")
	if home == "" && runtime.GOOS == "windows" {
		home = getenv("USERPROFILE")
	}
	if home == "" {
		return "", errors.New("cannot find the cache directory: set KEYFOB_CACHE_DIR or HOME")
	}
	return filepath.Join(home, ".cache", "keyfob"), nil
}

// Open returns the cache in dir, creating it (and missing parents) with
// mode 0700 if needed. It refuses, with a *PermissionError, a directory
// that another user owns or that grants any permission to group or others
// (on Windows, where modes do not describe access, only the type is
// checked).
func Open(dir string, opts Options) (*Cache, error) {
	if err := ensureDir(dir); err != nil {
		return nil, err
	}
	return &Cache{dir: dir, sealer: opts.Sealer, migratePlain: opts.MigratePlain}, nil
}

// Path returns the cache directory.
func (c *Cache) Path() string { return c.dir }

// ensureDir creates dir 0700 when it is missing and checks it otherwise.
func ensureDir(dir string) error {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create cache dir: %w", err)
		}
		if err := os.Chmod(dir, 0o700); err != nil { // in case of an odd umask
			return fmt.Errorf("create cache dir: %w", err)
		}
		if err := restrictDir(dir); err != nil {
			return err
		}
		fi, err = os.Stat(dir)
	}
	if err != nil {
		return fmt.Errorf("open cache dir: %w", err)
	}
	if !fi.IsDir() {
		return &PermissionError{What: whatDir, Path: dir, Problem: "is not a directory"}
	}
	return checkOwnerMode(whatDir, dir, fi)
}
