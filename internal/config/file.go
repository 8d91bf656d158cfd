package config

import (
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
	"unsafe"

	"github.com/keyfob/keyfob/host/safefile"
	"github.com/keyfob/keyfob/plugin/errdefs"
	"github.com/keyfob/keyfob/plugin/secretref"
)

// File is a parsed configuration file. The zero File (no profiles) is
// what a missing file gives.
type File struct {
	// Path is the file it was read from.
	Path string
	// DefaultProfile is the top-level default_profile, "" when unset.
	DefaultProfile string
	// DefaultSource is where default_profile is written.
	DefaultSource Source

	profiles map[string]*Profile // read by the general path
	plain    *plainIndex         // or by plainParse: built when asked for

	mode     fs.FileMode // the mode of the file Load read, when modeSeen
	modeSeen bool
}

// MaxFileSize bounds the configuration file: a larger file (or
// KEYFOB_CONFIG naming a log or /dev/zero) is refused rather than read.
// Ten thousand profiles take about 2 MiB.
const MaxFileSize = 8 << 20

// Load reads and parses the configuration file at path. A missing file,
// or an empty path, is not an error: it gives an empty File. The file must
// be a regular file of at most MaxFileSize bytes that only its owner — the
// user or root — can write (safefile.ReadFile); a FIFO is refused without
// waiting on it. Every error wraps errdefs.ErrConfig and is one line naming
// the file and, where known, the line and key; a file others could change
// is refused with an error that also wraps a *safefile.UnsafeError.
func Load(path string) (*File, error) {
	return loadIndexed(path, "", 0)
}

// sawMode keeps the mode of the file fi describes, which the load read,
// for LiteralSecretWarning; nothing when fi is nil.
func (f *File) sawMode(fi fs.FileInfo) {
	if f != nil && fi != nil {
		f.mode, f.modeSeen = fi.Mode(), true
	}
}

// readTextInfo is safefile.ReadFile(path, MaxFileSize) as a string, read
// into a buffer of the file's size, not one grown as it is read (ten
// thousand profiles are 2 MB), and not copied, with the FileInfo of the
// file read (from the open file, after the safefile checks passed).
// Anything unusual — an error, a file that grew — is left to
// safefile.ReadFile, which reports it; the FileInfo is then nil.
func readTextInfo(path string) (string, fs.FileInfo, error) {
	f, fi, err := secretref.OpenRegular(path)
	if err != nil || fi.Size() > MaxFileSize || safefile.Check(path, fi) != nil {
		text, err := readFile(path, f)
		return text, nil, err
	}
	defer f.Close()
	b := make([]byte, fi.Size()+1) // one read, to its end
	n, err := io.ReadFull(f, b)
	if n == 0 && err == io.EOF {
		return "", fi, nil
	}
	if err != io.ErrUnexpectedEOF {
		text, err := readFile(path, nil) // an error, or it grew
		return text, nil, err
	}
	return unsafe.String(&b[0], n), fi, nil // b is not used again
}

// readFile closes f (when open) and reads path by safefile.ReadFile.
func readFile(path string, f *os.File) (string, error) {
	if f != nil {
		_ = f.Close()
	}
	data, err := safefile.ReadFile(path, MaxFileSize)
	return string(data), err
}

// readError is a configuration file that cannot be read or is refused:
// "config " and the reason, which starts with the path. It wraps
// errdefs.ErrConfig and the reason.
type readError struct{ err error }

func (e *readError) Error() string   { return "config " + e.err.Error() }
func (e *readError) Unwrap() []error { return []error{errdefs.ErrConfig, e.err} }

// ProfileNames returns the configured profiles' names, sorted.
func (f *File) ProfileNames() []string {
	if f == nil {
		return nil
	}
	var names []string
	if f.plain != nil {
		if f.plain.order != nil {
			return f.plain.sortedNames(make([]string, f.plain.count()))
		}
		names = make([]string, 0, len(f.plain.profiles))
		for _, p := range f.plain.profiles {
			names = append(names, p.name)
		}
	} else {
		names = make([]string, 0, len(f.profiles))
		for name := range f.profiles {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// Profile returns a copy of the named profile. The name "environment"
// gives the built-in environment profile unless the file defines one.
// An unknown name is a configuration error that lists the configured
// profiles.
func (f *File) Profile(name string) (*Profile, error) {
	if p, ok, err := f.find(name); ok || err != nil {
		return p, err
	}
	if name == EnvironmentProfile {
		return environmentProfile(), nil
	}
	return nil, f.unknownProfile(name)
}

// find returns a copy of the configured profile name, false when there
// is none.
func (f *File) find(name string) (*Profile, bool, error) {
	if f == nil {
		return nil, false, nil
	}
	if f.plain == nil {
		if p, ok := f.profiles[name]; ok {
			return p.clone(), true, nil
		}
		return nil, false, nil
	}
	i, ok := f.plain.lookup(name)
	if !ok {
		return nil, false, nil
	}
	if p, ok := f.plain.build(f.Path, int(i)); ok {
		return p, true, nil
	}
	return f.reparse(name) // not reached: plainParse checked every key
}

// reparse finds the profile name by the general path, in case a profile
// plainParse accepted does not build.
func (f *File) reparse(name string) (*Profile, bool, error) {
	g, err := parseGeneral(f.Path, []byte(f.plain.text))
	if err != nil {
		return nil, false, err
	}
	return g.find(name)
}

// unknownProfile is the error for a profile that is not configured.
func (f *File) unknownProfile(name string) error {
	where := "the configuration"
	if f != nil && f.Path != "" {
		where = f.Path
	}
	names := f.ProfileNames()
	if len(names) == 0 {
		return errdefs.Configf("profile %q is not configured in %s (no profiles are configured)", name, where)
	}
	return errdefs.Configf("profile %q is not configured in %s (configured: %s)%s",
		name, where, strings.Join(names, ", "), didYouMean(name, names))
}
