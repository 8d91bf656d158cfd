package config

import (
	"errors"
	"io/fs"
	"os"
	"sort"
	"strings"

	"github.com/keyfob/keyfob/internal/errdefs"
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

	profiles map[string]*Profile
}

// Load reads and parses the configuration file at path. A missing file,
// or an empty path, is not an error: it gives an empty File. Every error
// wraps errdefs.ErrConfig and is one line naming the file and, where known,
// the line and key.
func Load(path string) (*File, error) {
	if path == "" {
		return &File{}, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &File{Path: path}, nil
	}
	if err != nil {
		return nil, errdefs.Configf("config %s: %v", path, pathErr(err))
	}
	return Parse(path, data)
}

// pathErr drops the *fs.PathError wrapper, whose text repeats the path.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ProfileNames returns the configured profiles' names, sorted.
func (f *File) ProfileNames() []string {
	if f == nil {
		return nil
	}
	names := make([]string, 0, len(f.profiles))
	for name := range f.profiles {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Profile returns a copy of the named profile. The name "environment"
// gives the built-in environment profile unless the file defines one.
// An unknown name is a configuration error that lists the configured
// profiles.
func (f *File) Profile(name string) (*Profile, error) {
	if f != nil {
		if p, ok := f.profiles[name]; ok {
			return p.clone(), nil
		}
	}
	if name == EnvironmentProfile {
		return environmentProfile(), nil
	}
	return nil, f.unknownProfile(name)
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
