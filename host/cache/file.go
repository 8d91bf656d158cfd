package cache

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/keyfob/keyfob/plugin/secretref"
)

// File name prefixes and suffixes, one pair per kind of file.
const (
	prefixAccess   = "at-"
	prefixState    = "st-"
	prefixNegative = "ng-"
	prefixLock     = "lk-"
	prefixTemp     = "tmp-"

	extAccess   = ".json"
	extState    = ".bin"
	extNegative = ".json"
	extLock     = ".lock"
)

// maxFileSize bounds what a read accepts; anything larger is corrupt.
const maxFileSize = 1 << 20

// errCorrupt marks a file whose content cannot be used; callers treat it
// as a miss.
var errCorrupt = errors.New("corrupt cache file")

// path returns the file for key of the kind given by prefix and ext.
func (c *Cache) path(prefix, key, ext string) string {
	return filepath.Join(c.dir, prefix+keyHash(key)+ext)
}

// readFile reads path after checking that it is a regular file we own that
// no one else can reach. It neither follows a symbolic link nor blocks on
// a FIFO. A missing file returns an error matching fs.ErrNotExist; an
// unsafe one a *PermissionError.
func readFile(path string) ([]byte, error) {
	f, err := secretref.OpenFile(path, os.O_RDONLY|openNoFollow, 0)
	if err != nil {
		return nil, openError(path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read cache file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, &PermissionError{What: whatFile, Path: path, Problem: "is not a regular file"}
	}
	if err := checkOwnerMode(whatFile, path, fi); err != nil {
		return nil, err
	}
	return readLimited(f)
}

// readLimited reads all of r, or errCorrupt past maxFileSize.
func readLimited(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read cache file: %w", err)
	}
	if len(b) > maxFileSize {
		return nil, errCorrupt
	}
	return b, nil
}

// openError explains a failed open: a missing file stays fs.ErrNotExist, a
// symbolic link (refused by O_NOFOLLOW) becomes a *PermissionError.
func openError(path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return &PermissionError{What: whatFile, Path: path,
			Problem: "is a symbolic link", Fix: "remove it"}
	}
	return fmt.Errorf("read cache file: %w", err)
}

// writeFile replaces path with data atomically: a new 0600 temporary file
// in the same directory (O_CREATE|O_EXCL), flushed, closed and renamed over
// path, then the directory flushed. Readers see the old or the new content,
// never a mix. A crash leaves at most a tmp- file, which the next write
// after staleTemp removes (Clear removes it at once).
func (c *Cache) writeFile(path string, data []byte) error {
	tmp, err := c.writeTemp(data)
	if err != nil {
		return fmt.Errorf("write cache file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write cache file: %w", err)
	}
	_ = syncDir(c.dir) // durability only: the entry is in place either way
	c.sweepTemp(time.Now())
	return nil
}

// writeTemp writes data to a new 0600 temporary file in the cache
// directory and returns its path.
func (c *Cache) writeTemp(data []byte) (string, error) {
	f, err := os.CreateTemp(c.dir, prefixTemp+"*")
	if err != nil {
		return "", err
	}
	if err := writeSync(f, data); err != nil {
		_ = f.Close()
		_ = os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// staleTemp is the age past which a temporary file is a crashed writer's:
// a write takes milliseconds, so a concurrent writer's file is never this
// old.
const staleTemp = time.Minute

// sweepTemp removes temporary files that are ours and older than
// staleTemp at now: a process killed mid-write leaves one, holding a
// token. Failures are ignored; the next write tries again.
func (c *Cache) sweepTemp(now time.Time) {
	ents, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), prefixTemp) || !e.Type().IsRegular() {
			continue
		}
		path := filepath.Join(c.dir, e.Name())
		fi, err := e.Info()
		if err == nil && now.Sub(fi.ModTime()) > staleTemp && checkOwnerMode(whatFile, path, fi) == nil {
			_ = os.Remove(path)
		}
	}
}

// writeSync writes data to f, flushes it and closes it.
func writeSync(f *os.File, data []byte) error {
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// removeFile removes path; a missing file is not an error.
func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove cache file: %w", err)
	}
	return nil
}
