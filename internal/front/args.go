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
	case "--timeout", "--lock-timeout":
		_, err = time.ParseDuration(value) // bounds waits the front never makes
	default:
		return false
	}
	return err == nil
}
