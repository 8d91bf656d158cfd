package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/keyfob/keyfob/plugin"
	"golang.org/x/term"
)

// TTY is a terminal the user reads and types at: /dev/tty, or stdin with
// stderr when stdin is the user's terminal.
type TTY interface {
	io.Writer
	// ReadLine reads one line without its end; secret turns echo off
	// meanwhile.
	ReadLine(secret bool) (string, error)
	// Close releases the terminal, restoring echo if a secret read is
	// still in progress.
	Close() error
}

// fileTTY is a TTY on an *os.File (or a reader that is not a terminal, in
// tests and for stdin).
type fileTTY struct {
	in    io.Reader
	out   io.Writer
	close func() error

	mu    sync.Mutex
	saved *term.State // echo state to restore while a secret read runs
}

// osIsTerminal reports whether stream is an *os.File on a terminal.
func osIsTerminal(stream any) bool {
	f, ok := stream.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// openDevTTY opens the controlling terminal. It fails where there is none
// (a daemon, a CI job, a process started with setsid, Windows).
func openDevTTY() (TTY, error) {
	f, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	return &fileTTY{in: f, out: f, close: f.Close}, nil
}

// streamTTY makes a TTY of stdin and stderr; closing it closes neither.
func streamTTY(in io.Reader, out io.Writer) TTY {
	return &fileTTY{in: in, out: out, close: func() error { return nil }}
}

func (t *fileTTY) Write(p []byte) (int, error) { return t.out.Write(p) }

// ReadLine reads a line byte by byte, so nothing typed after it is taken.
func (t *fileTTY) ReadLine(secret bool) (string, error) {
	f, ok := t.in.(*os.File)
	if secret && ok && term.IsTerminal(int(f.Fd())) {
		return t.readSecret(int(f.Fd()))
	}
	var b strings.Builder
	var c [1]byte
	for {
		n, err := t.in.Read(c[:])
		if n == 1 && c[0] == '\n' {
			return strings.TrimSuffix(b.String(), "\r"), nil
		}
		b.Write(c[:n])
		if err != nil {
			if errors.Is(err, io.EOF) && b.Len() > 0 {
				return b.String(), nil
			}
			return "", err
		}
	}
}

// readSecret reads a line with echo off.
func (t *fileTTY) readSecret(fd int) (string, error) {
	if st, err := term.GetState(fd); err == nil {
		t.mu.Lock()
		t.saved = st
		t.mu.Unlock()
	}
	b, err := term.ReadPassword(fd)
	t.mu.Lock()
	t.saved = nil
	t.mu.Unlock()
	fmt.Fprintln(t.out)
	return string(b), err
}

// Close restores echo if a secret read was abandoned, then closes.
func (t *fileTTY) Close() error {
	t.mu.Lock()
	st := t.saved
	t.mu.Unlock()
	if f, ok := t.in.(*os.File); ok && st != nil {
		_ = term.Restore(int(f.Fd()), st)
	}
	return t.close()
}

// readAnswer reads one line from t, giving up when ctx ends (the read
// itself goes on until the terminal is closed or the user presses enter).
func readAnswer(ctx context.Context, t TTY, secret bool) (string, error) {
	type answer struct {
		line string
		err  error
	}
	ch := make(chan answer, 1)
	go func() {
		line, err := t.ReadLine(secret)
		ch <- answer{line, err}
	}()
	select {
	case a := <-ch:
		if a.err != nil {
			return "", fmt.Errorf("reading the answer from the terminal: %v: %w", a.err, plugin.ErrInteractionRequired)
		}
		return a.line, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// noticeText renders a notice: the message, and the verification URI and
// user code verbatim unless the message already shows them.
func noticeText(n plugin.Notice) string {
	var b strings.Builder
	msg := strings.TrimSpace(n.Message)
	if msg == "" && n.VerificationURI != "" && n.UserCode != "" {
		msg = "To sign in, open " + n.VerificationURI + " and enter the code " + n.UserCode
	}
	if msg != "" {
		b.WriteString(msg + "\n")
	}
	if n.VerificationURI != "" && !strings.Contains(msg, n.VerificationURI) {
		b.WriteString("  URL:  " + n.VerificationURI + "\n")
	}
	if n.UserCode != "" && !strings.Contains(msg, n.UserCode) {
		b.WriteString("  Code: " + n.UserCode + "\n")
	}
	return b.String()
}
