//go:build !unix

package safefile

import "io/fs"

// openNonBlock is 0 where FIFOs cannot block an open.
const openNonBlock = 0

// owner reports no owner: Unix owners and modes do not describe access
// here, so Check passes.
func owner(fs.FileInfo) (uid, gid int, ok bool) { return 0, 0, false }
