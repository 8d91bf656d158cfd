package config

import (
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"runtime"
	"slices"
	"sync/atomic"

	"github.com/keyfob/keyfob/plugin/errdefs"
)

// LiteralSecretWarning returns a one-line warning when the file at path
// holds a literal (not env:/file:) value for a secret-valued key and its
// Unix mode lets group or others read it; otherwise "". The mode is the
// one Load or LoadIndexed saw when f was read from path, else stat's. The
// warning names the file, profile and key, never the value. On Windows,
// where mode bits do not describe access, it returns "".
func LiteralSecretWarning(path string, f *File) string {
	if path == "" || f == nil || runtime.GOOS == "windows" {
		return ""
	}
	mode, ok := f.modeOf(path)
	if !ok || mode.Perm()&0o044 == 0 {
		return "" // the common case: no need to look at every profile
	}
	profile, key, n := f.literalSecrets()
	if n == 0 {
		return ""
	}
	return literalSecretMessage(path, mode.Perm(), profile, key, n)
}

// modeOf is the mode of the file at path: the one the load of f saw when
// f was read from path, else what stat says; false when stat fails.
func (f *File) modeOf(path string) (fs.FileMode, bool) {
	if f.modeSeen && f.Path == path {
		return f.mode, true
	}
	info, err := os.Stat(path)
	if err != nil {
		return 0, false
	}
	return info.Mode(), true
}

// WarnedEnv is the environment variable through which the lean front tells
// the engine it hands a call to that it already printed the literal-secret
// warning for the configuration file the variable names, so a call warns
// once. It is internal to one call: setting it by hand only silences the
// warning.
const WarnedEnv = "KEYFOB_CONFIG_WARNED"

// warned is the file WarnLiteralSecret warned about in this process.
var warned atomic.Pointer[string]

// WarnLiteralSecret writes LiteralSecretWarning's warning, when there is
// one, to w as a "keyfob: warning: " line, unless this process already
// warned about path or getenv(WarnedEnv) says the front did. Warned then
// names path.
func WarnLiteralSecret(w io.Writer, getenv func(string) string, path string, f *File) {
	if path == "" || getenv(WarnedEnv) == path || Warned() == path {
		return
	}
	if msg := LiteralSecretWarning(path, f); msg != "" {
		_, _ = io.WriteString(w, "keyfob: warning: "+msg+"\n")
		warned.Store(&path)
	}
}

// Warned returns the configuration file WarnLiteralSecret warned about in
// this process, "" when it has not warned: the front passes it on to the
// engine as WarnedEnv.
func Warned() string {
	if p := warned.Load(); p != nil {
		return *p
	}
	return ""
}

// literalSecretMessage renders the warning.
func literalSecretMessage(path string, mode fs.FileMode, profile, key string, n int) string {
	more := ""
	if n > 1 {
		more = fmt.Sprintf(" and %d more", n-1)
	}
	return fmt.Sprintf("config %s is readable by others (mode %#o) and holds a literal secret "+
		"(profile %q key %q%s); run chmod 600 %s or use env:NAME or file:PATH references",
		path, uint32(mode), profile, key, more, path)
}

// literalSecrets returns the first profile and key (in sorted order)
// holding a literal secret, and how many there are.
func (f *File) literalSecrets() (profile, key string, n int) {
	if f.plain != nil && f.plain.secrets != nil {
		s := f.plain.secrets
		return s.profile, s.key, s.n
	}
	for _, name := range f.ProfileNames() {
		p, _, _ := f.find(name)
		if p == nil {
			continue
		}
		values := p.Values
		for _, k := range slices.Sorted(maps.Keys(values)) {
			v := values[k]
			if v == "" || errdefs.IsReference(v) || !IsSecret(k) {
				continue
			}
			if n == 0 {
				profile, key = name, k
			}
			n++
		}
	}
	return profile, key, n
}

// secretsFound is what File.literalSecrets found in a file, kept by
// its index.
type secretsFound struct {
	profile, key string
	n            int
}

// rememberLiteralSecrets has f's index keep literalSecrets' answer.
func (f *File) rememberLiteralSecrets() {
	if f.plain != nil && f.plain.secrets == nil {
		profile, key, n := f.literalSecrets()
		f.plain.secrets = &secretsFound{profile: profile, key: key, n: n}
	}
}
