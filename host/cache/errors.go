package cache

import "errors"

var (
	// ErrInsecure marks a cache directory or file that keyfob refuses to
	// use because another user owns it or could read or change it. Errors
	// matching it are *PermissionError values; show them to the user.
	ErrInsecure = errors.New("insecure cache permissions")
	// ErrNotCacheable marks an entry that Put refuses: no access token, or
	// no expiry (a token whose lifetime is unknown is never served from
	// the cache).
	ErrNotCacheable = errors.New("token cannot be cached")
)

// PermissionError reports a cache directory or file that is unsafe to use:
// owned by another user, reachable by group or others, a symbolic link, or
// of the wrong type. Its message is one line naming the path, the problem
// and, where there is one, the command that fixes it.
type PermissionError struct {
	// What is "cache dir" or "cache file".
	What string
	// Path is the offending path.
	Path string
	// Problem says what is wrong, e.g. "is owned by uid 1001, not you".
	Problem string
	// Fix is a command that repairs it, or "".
	Fix string
}

// Error renders "cache file PATH PROBLEM; FIX".
func (e *PermissionError) Error() string {
	msg := e.What + " " + e.Path + " " + e.Problem
	if e.Fix != "" {
		msg += "; " + e.Fix
	}
	return msg
}

// Is makes errors.Is(err, ErrInsecure) true.
func (e *PermissionError) Is(target error) bool { return target == ErrInsecure }

const (
	whatDir  = "cache dir"
	whatFile = "cache file"
)
