package protocol

import (
	"errors"
	"fmt"

	"github.com/keyfob/keyfob/plugin/errdefs"
)

// UsageError is a request the command line or the tool got wrong (exit
// 2): an unknown verb, input that does not parse. The lean front hands it
// to the engine, which reports it.
type UsageError struct{ Err error }

// Error is the wrapped error's message.
func (e *UsageError) Error() string { return e.Err.Error() }

// Unwrap returns the wrapped error.
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef returns a *UsageError with a formatted message.
func Usagef(format string, args ...any) error {
	return &UsageError{fmt.Errorf(format, args...)}
}

// RequestError is the error of a tool's request that could not be read
// or parsed: a *StdinTimeout as it is (exit 5), anything else a
// *UsageError.
func RequestError(err error) error {
	var te *StdinTimeout
	if errors.As(err, &te) {
		return te
	}
	return &UsageError{err}
}

// Exit ends a request with an exit code whose answer the protocol has
// already written (docker's "credentials not found"); nothing more is
// printed.
type Exit struct{ Code int }

// Error names the exit code.
func (e *Exit) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// OneLine collapses a message to one line for stderr, without control
// characters other than white space (errdefs.OneLine).
func OneLine(s string) string { return errdefs.OneLine(s) }
