package safefile

import (
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"

	"github.com/keyfob/keyfob/plugin/secretref"
)

// UnsafeError reports a file or directory that another user could change.
type UnsafeError struct {
	// Path is the file or directory refused.
	Path string
	// Mode is its permission bits.
	Mode fs.FileMode
	// Owner names its owner when that is the problem: another user, not
	// root. It is "" when the mode is the problem.
	Owner string
}

// Error is one line: Reason and Fix.
func (e *UnsafeError) Error() string { return e.Reason() + "; " + e.Fix() }

// Reason is what is wrong: the path and its owner or mode.
func (e *UnsafeError) Reason() string {
	if e.Owner != "" {
		return fmt.Sprintf("%s is owned by %s, not by you or root", e.Path, e.Owner)
	}
	return fmt.Sprintf("%s is writable by %s (mode %04o)", e.Path, writers(e.Mode), e.Mode.Perm())
}

// Fix is what the user runs to make the file acceptable.
func (e *UnsafeError) Fix() string {
	if e.Owner != "" {
		return "run chown " + currentUser() + " " + e.Path + ", or use a copy you own"
	}
	return "run chmod go-w " + e.Path
}

// writers names who besides the owner may write a file of mode m.
func writers(m fs.FileMode) string {
	switch m.Perm() & 0o022 {
	case 0o020:
		return "its group"
	case 0o002:
		return "others"
	}
	return "group and others"
}

// Check returns an *UnsafeError when fi, the FileInfo of path (a file or
// a directory), is owned by a user other than the current one and root,
// or is writable by group or others; nil otherwise, and always on
// Windows. A directory with the sticky bit (such as /tmp) may be writable
// by others, since they cannot replace a file they do not own in it.
func Check(path string, fi fs.FileInfo) error {
	uid, gid, ok := owner(fi)
	if !ok {
		return nil
	}
	if uid != 0 && uid != os.Getuid() {
		return &UnsafeError{Path: path, Mode: fi.Mode(), Owner: userName(uid)}
	}
	if othersMayWrite(fi, uid, gid) {
		return &UnsafeError{Path: path, Mode: fi.Mode()}
	}
	return nil
}

// othersMayWrite reports whether fi's mode lets a user other than its
// owner uid change it: write permission for others, or for a group gid
// that is not the owner's private group (PrivateGroup). A sticky
// directory protects the files in it.
func othersMayWrite(fi fs.FileInfo, uid, gid int) bool {
	perm := fi.Mode().Perm()
	if perm&0o022 == 0 || fi.IsDir() && fi.Mode()&fs.ModeSticky != 0 {
		return false
	}
	return perm&0o002 != 0 || !PrivateGroup(gid, uid)
}

// CheckExecutable checks a plugin executable before it is started: the
// file itself, which must be a regular file, its directory and, when path
// is a symbolic link, the file it points to and that file's directory.
// Errors are *UnsafeError or describe why path cannot be checked (it does
// not exist, wrapping fs.ErrNotExist) or used (it is not a regular file).
func CheckExecutable(path string) error {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(real); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: is not a regular file", path)
	}
	paths := []string{filepath.Dir(path), real, filepath.Dir(real)}
	for i, p := range paths {
		if i > 0 && p == paths[i-1] {
			continue
		}
		if err := checkPath(p); err != nil {
			return err
		}
	}
	return nil
}

// checkPath stats path and checks it.
func checkPath(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	return Check(path, fi)
}

// ReadFile reads path, which must be a regular file of at most max bytes
// that passes Check. It opens path without blocking (a FIFO is refused,
// not waited on) and checks the opened file, so the file checked is the
// file read. A missing file gives an error that wraps fs.ErrNotExist.
// Other errors start with path.
func ReadFile(path string, max int64) ([]byte, error) {
	f, fi, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi.Size() > max {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, max)
	}
	if err := Check(path, fi); err != nil {
		return nil, err
	}
	return secretref.ReadAtMost(f, path, max)
}

// OpenRegular opens path for reading without blocking on a FIFO and
// returns it with its FileInfo if it is a regular file; anything else (a
// FIFO, a device, a directory) is refused with an error starting with
// path. A missing file gives an error that wraps fs.ErrNotExist.
func OpenRegular(path string) (*os.File, fs.FileInfo, error) { return secretref.OpenRegular(path) }

// userName is the login name of uid with the number, or the number alone.
func userName(uid int) string {
	id := strconv.Itoa(uid)
	if u, err := user.LookupId(id); err == nil && u.Username != "" {
		return fmt.Sprintf("%s (uid %s)", u.Username, id)
	}
	return "uid " + id
}

// currentUser is the current user's login name, or "$USER" when unknown.
func currentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "$USER"
}
