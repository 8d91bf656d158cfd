//go:build unix

package front

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// EngineName is the engine executable's name, installed beside keyfob.
const EngineName = "keyfob-engine"

// Main is the front's main: answer from the cache or become the engine.
// A go-plugin host starting keyfob as a plugin goes straight to the
// engine, since the plugin face needs gRPC.
func Main() {
	home, _ := os.UserHomeDir()
	env := Env{Args: os.Args[1:], Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Home: home, Now: time.Now}
	if os.Getenv(pluginCookieKey) != pluginCookieValue {
		if code, ok := Run(env); ok {
			os.Exit(code)
		}
	}
	execEngine()
}

// The go-plugin handshake cookie (plugin.Handshake), repeated here so the
// front does not link the plugin package.
const (
	pluginCookieKey   = "KEYFOB_PLUGIN"
	pluginCookieValue = "7d1c0e5a-keyfob-token-plugin"
)

// execEngine replaces this process with the engine, keeping argv, the
// environment and the standard streams (nothing has been read from them).
func execEngine() {
	path, err := enginePath()
	if err == nil {
		err = syscall.Exec(path, os.Args, os.Environ())
	}
	fmt.Fprintf(os.Stderr, "keyfob: cannot start %s: %v (install it with go install github.com/keyfob/keyfob/cmd/...)\n", EngineName, err)
	os.Exit(1)
}

// enginePath finds keyfob-engine beside this executable (symlinks such as
// git-credential-keyfob resolved), else on PATH.
func enginePath() (string, error) {
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		cand := filepath.Join(filepath.Dir(exe), EngineName)
		if _, err := os.Stat(cand); err == nil {
			return cand, nil
		}
	}
	return lookPath(EngineName)
}
