//go:build unix

package front

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/keyfob/keyfob/internal/config"
)

// EngineName is the engine executable's name, installed beside keyfob.
const EngineName = "keyfob-engine"

// Main is the front's main: answer from the cache or become the engine.
// A go-plugin host starting keyfob as a plugin goes straight to the
// engine, since the plugin face needs gRPC.
func Main() {
	home, _ := os.UserHomeDir()
	in := NewInput(os.Stdin)
	env := Env{Program: os.Args[0], Args: os.Args[1:], Stdin: in, Stdout: os.Stdout, Stderr: os.Stderr,
		Getenv: os.Getenv, Home: home, Now: time.Now}
	if os.Getenv(pluginCookieKey) != pluginCookieValue {
		if code, ok := Run(env); ok {
			os.Exit(code)
		}
	}
	if data, read := in.Consumed(); read {
		if err := replaceStdin(data); err != nil {
			fmt.Fprintf(os.Stderr, "keyfob: cannot hand standard input to %s: %v\n", EngineName, err)
			os.Exit(1)
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
// environment (see engineEnv) and the standard streams (standard input
// holds what the front read of it, see replaceStdin).
func execEngine() {
	path, err := enginePath()
	if err == nil {
		err = syscall.Exec(path, os.Args, engineEnv(os.Environ(), config.Warned()))
	}
	fmt.Fprintf(os.Stderr, "keyfob: cannot start %s: %v (install it with go install github.com/keyfob/keyfob/cmd/...)\n", EngineName, err)
	os.Exit(1)
}

// engineEnv is environ for the engine: config.WarnedEnv names warned, the
// configuration file whose literal-secret warning the front printed (""
// when it printed none), so the engine does not print it again.
func engineEnv(environ []string, warned string) []string {
	env := slices.DeleteFunc(environ, func(kv string) bool { return strings.HasPrefix(kv, config.WarnedEnv+"=") })
	if warned != "" {
		env = append(env, config.WarnedEnv+"="+warned)
	}
	return env
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
