//go:build unix

package secretref

import (
	"os"
	"syscall"
)

// OpenFile opens path like os.OpenFile(path, flag, perm), but with
// O_NONBLOCK, so that opening a FIFO does not wait for a writer, and then
// clears O_NONBLOCK again: the *os.File is an ordinary blocking file,
// which the Go runtime does not hand to its network poller (registering
// one costs a short-lived process a noticeable part of its run). Callers
// still check that what they opened is a regular file.
func OpenFile(path string, flag int, perm os.FileMode) (*os.File, error) {
	fd, err := syscall.Open(path, flag|syscall.O_NONBLOCK|syscall.O_CLOEXEC, uint32(perm.Perm()))
	for err == syscall.EINTR {
		fd, err = syscall.Open(path, flag|syscall.O_NONBLOCK|syscall.O_CLOEXEC, uint32(perm.Perm()))
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	if err := syscall.SetNonblock(fd, false); err != nil {
		_ = syscall.Close(fd)
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(fd), path), nil
}
