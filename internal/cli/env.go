// Package cli is keyfob's command-line face: it parses argv, picks the
// profile, launches the plugin through the host package and writes the
// payload of each output format or host protocol. Everything it touches
// from the process comes through Env, so tests use buffers and fixed time.
package cli

import (
	"io"
	"os"
	"time"

	"github.com/keyfob/keyfob/host/protocol"
	"github.com/keyfob/keyfob/host/protocol/all"
)

// Env is the process environment a command runs in.
type Env struct {
	// Args are the arguments after the program name; when the program
	// runs under a helper name (git-credential-keyfob get) the helper's
	// command comes first (git get), see protocol.Dispatch.
	Args []string
	// Stdin, Stdout and Stderr are the standard streams. Stdout carries
	// only the payload.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads the environment.
	Getenv func(string) string
	// Now is the clock.
	Now func() time.Time
	// Executable is the path of the keyfob executable (the default plugin).
	Executable string
	// IsTerminal reports whether a stream (Stdin, Stderr) is a terminal;
	// nil means none is.
	IsTerminal func(stream any) bool
	// OpenTTY opens the controlling terminal, /dev/tty; nil means there is
	// none.
	OpenTTY func() (TTY, error)
}

// OSEnv returns the real process environment.
func OSEnv() Env {
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	return Env{
		Args: protocol.Dispatch(all.Protocols(), os.Args[0], os.Args[1:]), Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Getenv: os.Getenv, Now: time.Now, Executable: exe,
		IsTerminal: osIsTerminal, OpenTTY: openDevTTY,
	}
}

// isTerminal reports whether stream is a terminal.
func (e *Env) isTerminal(stream any) bool {
	return e.IsTerminal != nil && e.IsTerminal(stream)
}
