//go:build !unix

package secretref

import "os"

// OpenFile is os.OpenFile where FIFOs cannot block an open.
func OpenFile(path string, flag int, perm os.FileMode) (*os.File, error) {
	return os.OpenFile(path, flag, perm)
}
