//go:build !unix

package cache

import (
	"io/fs"
	"os"
)

// openNoFollow and openNonBlock are 0: this platform has neither
// O_NOFOLLOW nor FIFOs that block an open.
const (
	openNoFollow = 0
	openNonBlock = 0
)

// checkOwnerMode accepts everything: on Windows, file modes do not describe
// who may read a file; the per-user profile directory's ACL protects the
// cache.
func checkOwnerMode(what, path string, fi fs.FileInfo) error { return nil }

// syncDir is a no-op: directories cannot be flushed here.
func syncDir(dir string) error { return nil }

// removeLockFile unlocks and closes fl, then removes path. Windows cannot
// remove a file someone has open, so the removal fails harmlessly while
// anyone holds or waits on the lock.
func removeLockFile(fl lockHandle, path string) error {
	err := fl.Unlock()
	_ = os.Remove(path)
	return err
}
