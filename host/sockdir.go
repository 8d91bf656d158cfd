package host

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// staleSocketAge is how old a plugin socket directory must be before a
// later launch may sweep it: older than any handshake, so a directory
// another process is setting up right now is never touched.
const staleSocketAge = time.Minute

// socketRoot returns the directory go-plugin creates its private plugin
// socket directories in: a per-user keyfob-<uid> directory (0700) under
// the temporary directory, swept of directories whose plugin is gone (a
// host killed by SIGKILL leaves its directory behind). Where that
// directory cannot be made safely, the temporary directory itself is
// used, as before.
func socketRoot(tmp string) string {
	base := socketBase(tmp)
	root := filepath.Join(base, socketRootName())
	if err := os.Mkdir(root, 0o700); err != nil && !os.IsExist(err) {
		return base
	}
	if !ownPrivateDir(root) {
		return base
	}
	sweepSocketDirs(root, time.Now())
	return root
}

// socketRootName is keyfob-<uid> where there are uids, else keyfob.
func socketRootName() string {
	if uid := os.Getuid(); uid >= 0 {
		return "keyfob-" + strconv.Itoa(uid)
	}
	return "keyfob"
}

// ownPrivateDir reports whether path is a real directory (not a link)
// that this user owns and nobody else can enter.
func ownPrivateDir(path string) bool {
	fi, err := os.Lstat(path)
	if err != nil || !fi.IsDir() {
		return false
	}
	return fi.Mode().Perm()&0o077 == 0 && ownedByMe(fi)
}

// sweepSocketDirs removes the plugin-dir* directories in root that are
// older than staleSocketAge and hold no socket a plugin still listens on.
func sweepSocketDirs(root string, now time.Time) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "plugin-dir") {
			continue
		}
		dir := filepath.Join(root, e.Name())
		if fi, err := e.Info(); err == nil && now.Sub(fi.ModTime()) > staleSocketAge && !listening(dir) {
			_ = os.RemoveAll(dir)
		}
	}
}

// listening reports whether any socket in dir accepts a connection.
func listening(dir string) bool {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Type()&os.ModeSocket == 0 {
			continue
		}
		c, err := net.DialTimeout("unix", filepath.Join(dir, e.Name()), 100*time.Millisecond)
		if err == nil {
			_ = c.Close()
			return true
		}
	}
	return false
}
