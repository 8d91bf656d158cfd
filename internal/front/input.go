package front

import (
	"io"
	"time"

	"github.com/keyfob/keyfob/host/protocol"
)

// Input is the front's standard input. The front reads it only for the
// protocols whose request comes on stdin (git, docker, Bazel), and keeps
// every byte it read, so that when it declines, the engine can be given
// the same input (see Consumed). The zero Input and a nil *Input read as
// empty.
type Input struct {
	r    io.Reader
	data []byte
	read bool
}

// NewInput returns an Input reading r.
func NewInput(r io.Reader) *Input { return &Input{r: r} }

// Within bounds the reads of in by --timeout d, as the engine does (see
// protocol.BoundStdin): a request that does not arrive in time fails
// with a *protocol.StdinTimeout naming tool. d ≤ 0 leaves them
// unbounded. Call it before reading; it returns in.
func (in *Input) Within(tool string, d time.Duration) *Input {
	if in != nil && in.r != nil {
		in.r = protocol.BoundStdin(in.r, tool, d)
	}
	return in
}

// Consumed returns what the front read from standard input, and whether
// it read at all (an empty input that was read is not the same as an
// untouched one: the engine must then see the end of input too).
func (in *Input) Consumed() ([]byte, bool) {
	if in == nil {
		return nil, false
	}
	return in.data, in.read
}

// Read reads from the input, keeping what it read for the engine (see
// Consumed).
func (in *Input) Read(p []byte) (int, error) {
	if in == nil {
		return 0, io.EOF
	}
	in.read = true
	if in.r == nil {
		return 0, io.EOF
	}
	n, err := in.r.Read(p)
	in.data = append(in.data, p[:n]...)
	return n, err
}
