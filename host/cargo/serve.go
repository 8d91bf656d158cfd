package cargo

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/keyfob/keyfob/plugin/errdefs"
)

// maxLine bounds a request line; cargo's are well under a kilobyte.
const maxLine = 1 << 20

// Handler answers one request. An *Error chooses the error kind; any
// other error is sent as kind other with its text as the message.
type Handler func(ctx context.Context, r *Request) (*Response, error)

// Serve speaks the protocol on in and out: it writes the hello, then
// answers each request line with h until in ends. A line that is not a
// valid request is answered with an error of kind other. It returns an
// error only when reading or writing fails.
func Serve(ctx context.Context, in io.Reader, out io.Writer, h Handler) error {
	if err := writeLine(out, struct {
		V []int `json:"v"`
	}{[]int{ProtocolVersion}}); err != nil {
		return err
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	for sc.Scan() {
		line := sc.Bytes()
		if strings.TrimSpace(string(line)) == "" {
			continue
		}
		if err := answer(ctx, out, line, h); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		_ = WriteError(out, &Error{Kind: ErrOther, Message: "keyfob: reading cargo's request: " + err.Error()})
		return err
	}
	return nil
}

// answer handles one request line.
func answer(ctx context.Context, out io.Writer, line []byte, h Handler) error {
	r, err := ParseRequest(line)
	if err != nil {
		return WriteError(out, &Error{Kind: ErrOther, Message: "keyfob: " + err.Error()})
	}
	resp, err := h(ctx, r)
	if err != nil {
		return WriteError(out, asError(err))
	}
	if resp == nil {
		return WriteError(out, &Error{Kind: ErrNotFound})
	}
	if _, err := resp.MarshalJSON(); err != nil {
		return WriteError(out, &Error{Kind: ErrOther, Message: "keyfob: " + err.Error()})
	}
	return WriteOK(out, resp)
}

// asError turns a handler's error into an answer.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: ErrOther, Message: oneLine(err.Error())}
}

// WriteOK writes {"Ok":…} and a newline.
func WriteOK(w io.Writer, r *Response) error {
	return writeLine(w, struct {
		Ok *Response `json:"Ok"`
	}{r})
}

// WriteError writes {"Err":…} and a newline.
func WriteError(w io.Writer, e *Error) error {
	e2 := *e
	e2.Message = oneLine(e.Message)
	return writeLine(w, struct {
		Err *Error `json:"Err"`
	}{&e2})
}

// writeLine writes v as one JSON line.
func writeLine(w io.Writer, v any) error {
	b, err := marshal(v)
	if err != nil {
		return fmt.Errorf("cargo: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// oneLine keeps a message on one line, control characters dropped.
func oneLine(s string) string { return errdefs.OneLine(s) }
