package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/keyfob/keyfob/plugin"
)

// pluginPath finds the executable serving a profile: the profile's plugin
// key as a path, or as a NAME resolved to keyfob-plugin-NAME in
// $KEYFOB_PLUGIN_DIR or the user data directory; keyfob itself otherwise.
func (e *Env) pluginPath(values map[string]string) (string, error) {
	p := values["plugin"]
	if p == "" {
		return e.Executable, nil
	}
	if strings.ContainsAny(p, `/\`) {
		return plugin.ExpandHome(p), nil
	}
	for _, dir := range e.pluginDirs() {
		cand := filepath.Join(dir, "keyfob-plugin-"+p)
		if runtime.GOOS == "windows" {
			cand += ".exe"
		}
		if st, err := os.Stat(cand); err == nil && !st.IsDir() {
			return cand, nil
		}
	}
	return "", plugin.Configf("plugin %q: keyfob-plugin-%s not found in %s", p, p, strings.Join(e.pluginDirs(), ", "))
}

// pluginDirs lists where named plugins are looked up.
func (e *Env) pluginDirs() []string {
	var dirs []string
	if d := e.Getenv("KEYFOB_PLUGIN_DIR"); d != "" {
		dirs = append(dirs, d)
	}
	if d := e.Getenv("XDG_DATA_HOME"); d != "" {
		dirs = append(dirs, filepath.Join(d, "keyfob", "plugins"))
	} else if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".local", "share", "keyfob", "plugins"))
	}
	return dirs
}
