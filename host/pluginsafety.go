package host

import (
	"errors"
	"io/fs"
	"os"
	"strings"

	"github.com/keyfob/keyfob/host/safefile"
	"github.com/keyfob/keyfob/plugin"
)

// CheckPlugin returns a config error when the plugin executable at path
// is not a regular file, or when it, its directory, or (for a symbolic
// link) the file it points to and that file's directory could be changed
// by another user (safefile.Check): a plugin runs as the user, so whoever
// can replace it can run code as the user. The error is one line naming the file, its owner or mode, and the
// fix, and wraps a *safefile.UnsafeError. The running executable itself
// (a host that serves as its own plugin) and a missing file pass: the
// first is already running, and starting the second reports it.
func CheckPlugin(path string) error {
	if isSelf(path) {
		return nil
	}
	err := safefile.CheckExecutable(path)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if msg := err.Error(); strings.HasPrefix(msg, path+" ") || strings.HasPrefix(msg, path+":") {
		return &unsafePlugin{msg: "plugin " + msg, err: err}
	}
	return &unsafePlugin{msg: "plugin " + path + ": " + err.Error(), err: err}
}

// unsafePlugin is CheckPlugin's error: a config error wrapping the reason.
type unsafePlugin struct {
	msg string
	err error
}

func (e *unsafePlugin) Error() string   { return e.msg }
func (e *unsafePlugin) Unwrap() []error { return []error{plugin.ErrConfig, e.err} }

// isSelf reports whether path is the running executable.
func isSelf(path string) bool {
	self, err := os.Executable()
	if err != nil {
		return false
	}
	a, errA := os.Stat(path)
	b, errB := os.Stat(self)
	return errA == nil && errB == nil && os.SameFile(a, b)
}
