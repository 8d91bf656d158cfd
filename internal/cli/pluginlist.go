package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/keyfob/keyfob/internal/config"
)

// pluginPrefix starts the file names of plugins found by name.
const pluginPrefix = "keyfob-plugin-"

// pluginCandidate is a plugin executable keyfob plugins lists: keyfob
// itself, one found in a plugin directory, or one a profile names.
type pluginCandidate struct {
	// Name is "keyfob" for keyfob itself, NAME for keyfob-plugin-NAME,
	// else the profile's plugin value (a path).
	Name string
	// Path is the executable; "" when a profile names a plugin that is
	// not installed (Err says so).
	Path string
	// Builtin marks keyfob itself.
	Builtin bool
	// Profiles lists the profiles whose plugin key selects it.
	Profiles []string
	// Pins maps each checksum profiles pin it to (plugin_sha256) to the
	// first profile pinning it.
	Pins map[string]string
	// Err is why it cannot be listed, found before launching it.
	Err error
}

// pluginCandidates finds what keyfob plugins lists: keyfob itself, every
// keyfob-plugin-NAME in the plugin directories (the first directory wins
// for a name, as when a profile names it), and every plugin a profile of
// f names, each with the profiles using it and their pins.
func (e *Env) pluginCandidates(f *config.File) []*pluginCandidate {
	self := &pluginCandidate{Name: "keyfob", Path: e.Executable, Builtin: true, Pins: map[string]string{}}
	list := []*pluginCandidate{self}
	byKey := map[string]*pluginCandidate{}
	for _, c := range e.installedPlugins() {
		byKey[c.Path] = c
		list = append(list, c)
	}
	for _, name := range f.ProfileNames() {
		p, err := f.Profile(name)
		if err != nil {
			continue
		}
		c := self
		if p.Values["plugin"] != "" {
			key, fresh := e.profilePlugin(p.Values)
			if c = byKey[key]; c == nil {
				c, byKey[key] = fresh, fresh
				list = append(list, c)
			}
		}
		c.Profiles = append(c.Profiles, name)
		if pin := strings.ToLower(strings.TrimSpace(p.Values["plugin_sha256"])); pin != "" && c.Pins[pin] == "" {
			c.Pins[pin] = name
		}
	}
	return list
}

// profilePlugin returns the candidate a profile's plugin key selects and
// the key that identifies it: its absolute path, or its name when it is
// not installed.
func (e *Env) profilePlugin(values map[string]string) (string, *pluginCandidate) {
	c := &pluginCandidate{Name: values["plugin"], Pins: map[string]string{}}
	path, err := e.pluginPath(values)
	if err != nil {
		c.Err = err
		return "missing:" + c.Name, c
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	c.Path = path
	return path, c
}

// installedPlugins lists keyfob-plugin-NAME executables in the plugin
// directories, sorted by name; an unreadable directory is skipped.
func (e *Env) installedPlugins() []*pluginCandidate {
	seen := map[string]bool{}
	var out []*pluginCandidate
	for _, dir := range e.pluginDirs() {
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, ent := range entries {
			name, ok := pluginName(ent.Name())
			if !ok || seen[name] {
				continue
			}
			path := filepath.Join(dir, ent.Name())
			if abs, err := filepath.Abs(path); err == nil {
				path = abs
			}
			if !isExecutable(path) {
				continue
			}
			seen[name] = true
			out = append(out, &pluginCandidate{Name: name, Path: path, Pins: map[string]string{}})
		}
	}
	slices.SortFunc(out, func(a, b *pluginCandidate) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// pluginName returns NAME of a file named keyfob-plugin-NAME (with .exe
// on Windows).
func pluginName(file string) (string, bool) {
	if runtime.GOOS == "windows" {
		var ok bool
		if file, ok = strings.CutSuffix(strings.ToLower(file), ".exe"); !ok {
			return "", false
		}
	}
	name, ok := strings.CutPrefix(file, pluginPrefix)
	return name, ok && name != ""
}

// isExecutable reports whether path is a regular file (after symlinks)
// that may be run: on Unix, one with an execute bit.
func isExecutable(path string) bool {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return false
	}
	return runtime.GOOS == "windows" || st.Mode().Perm()&0o111 != 0
}
