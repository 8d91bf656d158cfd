package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/keyfob/keyfob/plugin"
)

// Exit codes of CONTRACT §7.
const (
	ExitOK          = 0
	ExitInternal    = 1
	ExitUsage       = 2
	ExitRefused     = 3
	ExitInteraction = 4
	ExitUnavailable = 5
)

// ExitCode maps an error to its exit code.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return ExitUsage
	}
	var se *silentExit
	if errors.As(err, &se) {
		return se.code
	}
	switch plugin.KindOf(err) {
	case plugin.KindConfig:
		return ExitUsage
	case plugin.KindRefused:
		return ExitRefused
	case plugin.KindInteraction:
		return ExitInteraction
	case plugin.KindUnavailable:
		return ExitUnavailable
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return ExitUnavailable
	}
	return ExitInternal
}

// usageError is a command-line usage error (exit 2).
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// silentExit ends a command with an exit code whose answer the command
// has already written (docker's "credentials not found in native
// keychain"); Main prints nothing more.
type silentExit struct{ code int }

func (e *silentExit) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// isSilent reports whether err is a silentExit.
func isSilent(err error) bool {
	var se *silentExit
	return errors.As(err, &se)
}
