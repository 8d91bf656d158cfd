//go:build unix

package safefile

import (
	"io/fs"
	"syscall"
)

// owner returns the uid and gid owning fi.
func owner(fi fs.FileInfo) (uid, gid int, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(st.Uid), int(st.Gid), true
}
