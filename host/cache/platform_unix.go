//go:build unix

package cache

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// Open flags for cache files: opening fails on a symbolic link, and a
// FIFO planted at a cache path does not block the open (the regular-file
// check then refuses it).
const (
	openNoFollow = syscall.O_NOFOLLOW
	openNonBlock = syscall.O_NONBLOCK
)

// checkOwnerMode refuses fi when another user owns it or when group or
// others have any permission on it.
func checkOwnerMode(what, path string, fi fs.FileInfo) error {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		if uid := os.Geteuid(); int(st.Uid) != uid {
			return &PermissionError{What: what, Path: path,
				Problem: fmt.Sprintf("is owned by uid %d, not you (uid %d)", st.Uid, uid)}
		}
	}
	perm := fi.Mode().Perm()
	if perm&0o077 == 0 {
		return nil
	}
	want := "600"
	if fi.IsDir() {
		want = "700"
	}
	return &PermissionError{What: what, Path: path,
		Problem: fmt.Sprintf("is %s (mode %04o)", exposure(perm), perm),
		Fix:     "run chmod " + want + " " + path}
}

// exposure describes what group or others may do with a file of mode perm.
func exposure(perm fs.FileMode) string {
	switch {
	case perm&0o044 != 0:
		return "readable by others"
	case perm&0o022 != 0:
		return "writable by others"
	}
	return "accessible by others"
}

// syncDir flushes a directory entry change (a rename) to disk.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// removeLockFile removes the lock file path while fl holds it, then
// unlocks: a process that opened the old file meanwhile finds it replaced
// once it gets the lock, and tries the new one (see tryLock).
func removeLockFile(fl lockHandle, path string) error {
	_ = os.Remove(path)
	return fl.Unlock()
}
