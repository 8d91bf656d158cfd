package cli

import (
	"context"
	"errors"

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
