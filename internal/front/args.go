package front

import (
	"strings"
	"time"

	"github.com/keyfob/keyfob/internal/output"
)

// parseToken parses the flags of keyfob token that the front handles; any
// other flag or argument makes it decline.
func parseToken(args []string) (tokenRequest, bool) {
	r := tokenRequest{format: output.Raw, minValidity: time.Minute}
	for i := 0; i < len(args); i++ {
		name, value, inline := splitFlag(args[i])
		if !inline {
			if i+1 >= len(args) || !takesValue(name) {
				return r, false
			}
			i++
			value = args[i]
		}
		if !r.set(name, value) {
			return r, false
		}
	}
	return r, true
}

// splitFlag splits "--name=value" (inline) from "--name" and "-p".
func splitFlag(arg string) (name, value string, inline bool) {
	if name, value, ok := strings.Cut(arg, "="); ok && strings.HasPrefix(arg, "--") {
		return name, value, true
	}
	return arg, "", false
}

func takesValue(name string) bool {
	switch name {
	case "-p", "--profile", "-o", "--output", "--scope", "--min-validity", "--timeout", "--lock-timeout":
		return true
	}
	return false
}

// set applies one flag; false for a flag or value the front declines.
func (r *tokenRequest) set(name, value string) bool {
	var err error
	switch name {
	case "-p", "--profile":
		r.profile = value
	case "-o", "--output":
		r.format, err = output.ParseFormat(value)
	case "--scope":
		r.scopes = append(r.scopes, value)
	case "--min-validity":
		r.minValidity, err = time.ParseDuration(value)
	case "--timeout":
		r.timeout, err = time.ParseDuration(value)
	case "--lock-timeout":
		_, err = time.ParseDuration(value) // bounds lock waits the front never makes
	default:
		return false
	}
	return err == nil
}

// hostArgs is a host protocol's command line that the front understands:
// the flags of parseToken but -o, and positional arguments (the action,
// a host).
type hostArgs struct {
	profile     string
	scopes      []string
	minValidity time.Duration
	minSet      bool // --min-validity was given
	// timeout is --timeout: it bounds the wait for the request on stdin.
	timeout    time.Duration
	positional []string
}

// parseHostArgs parses a host protocol's arguments; any flag the front
// does not handle makes it decline.
func parseHostArgs(args []string) (hostArgs, bool) {
	a := hostArgs{minValidity: time.Minute}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			a.positional = append(a.positional, arg)
			continue
		}
		name, value, inline := splitFlag(arg)
		if name == "-o" || name == "--output" {
			return a, false
		}
		if !inline {
			if i+1 >= len(args) || !takesValue(name) {
				return a, false
			}
			i++
			value = args[i]
		}
		var r tokenRequest
		if !r.set(name, value) {
			return a, false
		}
		switch name {
		case "-p", "--profile":
			a.profile = r.profile
		case "--scope":
			a.scopes = append(a.scopes, value)
		case "--min-validity":
			a.minValidity, a.minSet = r.minValidity, true
		case "--timeout":
			a.timeout = r.timeout
		}
	}
	return a, true
}
