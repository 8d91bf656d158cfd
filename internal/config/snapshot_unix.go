//go:build unix

package config

import (
	"io"
	"io/fs"
	"os"
	"syscall"

	"github.com/keyfob/keyfob/plugin/secretref"
)

// identityOf is the identity of the file fi describes.
func identityOf(fi fs.FileInfo) (fileIdentity, bool) {
	if fi == nil {
		return fileIdentity{}, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileIdentity{}, false
	}
	return fileIdentity{dev: uint64(st.Dev), ino: uint64(st.Ino), size: st.Size,
		mtime: fi.ModTime().UnixNano(), ctime: changeTime(st),
		mode: uint32(st.Mode), uid: st.Uid, gid: st.Gid}, true
}

// maxSnapshotSize bounds a snapshot read: ten thousand profiles take
// about 360 KB, and a configuration file at most MaxFileSize.
const maxSnapshotSize = MaxFileSize

// readSnapshot is decodeSnapshot of the snapshot file snap, which must be
// a regular file of this user's that no one else can write or read.
func readSnapshot(snap, path, text string, id fileIdentity) (*File, bool) {
	f, err := secretref.OpenFile(snap, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !privateFile(fi) || fi.Size() > maxSnapshotSize {
		return nil, false
	}
	b := make([]byte, fi.Size()+1)
	n, err := io.ReadFull(f, b)
	if err != io.ErrUnexpectedEOF || int64(n) != fi.Size() {
		return nil, false // a read error, or it grew
	}
	return decodeSnapshot(b[:n], path, text, id)
}

// privateFile reports whether fi is a regular file of the current user's
// that grants nothing to group or others.
func privateFile(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && fi.Mode().IsRegular() && fi.Mode().Perm()&0o077 == 0 && int(st.Uid) == os.Getuid()
}

// writeSnapshot writes b to the snapshot file snap in dir, atomically (a
// temporary file renamed over it), mode 0600; failures are ignored: the
// next call validates the file again. The temporary file is named as the
// cache's own, whose writes remove one a crash left behind.
func writeSnapshot(dir, snap string, b []byte) {
	if b == nil {
		return
	}
	f, err := os.CreateTemp(dir, "tmp-*")
	if err != nil {
		return
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), snap)
	}
	if err != nil {
		_ = os.Remove(f.Name())
	}
}
