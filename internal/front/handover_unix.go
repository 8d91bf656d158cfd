//go:build unix

package front

import (
	"os"

	"golang.org/x/sys/unix"
)

// replaceStdin makes data the whole of standard input (fd 0), for the
// engine the front is about to exec: it is written to a pipe whose read
// end becomes fd 0. Input too large for the pipe's buffer (requests are a
// few hundred bytes; the kernel gives at least 4 KiB) goes through an
// unlinked temporary file instead.
func replaceStdin(data []byte) error {
	var p [2]int
	if err := unix.Pipe(p[:]); err != nil {
		return err
	}
	r, w := p[0], p[1]
	complete := writeNonblocking(w, data)
	unix.Close(w)
	if !complete {
		unix.Close(r)
		return stdinFromFile(data)
	}
	return moveTo0(r)
}

// writeNonblocking writes data to fd without ever blocking, and reports
// whether all of it fit.
func writeNonblocking(fd int, data []byte) bool {
	if err := unix.SetNonblock(fd, true); err != nil {
		return false
	}
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n <= 0 {
			return false
		}
		data = data[n:]
	}
	return true
}

// stdinFromFile makes data standard input through a temporary file that
// is removed at once (the open descriptor keeps it readable).
func stdinFromFile(data []byte) error {
	f, err := os.CreateTemp("", "keyfob-stdin-*")
	if err != nil {
		return err
	}
	defer f.Close()
	_ = os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		return err
	}
	if _, err := f.Seek(0, 0); err != nil {
		return err
	}
	fd, err := unix.Dup(int(f.Fd()))
	if err != nil {
		return err
	}
	return moveTo0(fd)
}

// moveTo0 makes fd the standard input and closes fd. The duplicate on 0
// does not close on exec.
func moveTo0(fd int) error {
	if fd == 0 {
		return nil
	}
	defer unix.Close(fd)
	return unix.Dup2(fd, 0)
}
