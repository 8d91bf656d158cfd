package config

import (
	"os"
	"path/filepath"
	"strings"
)

// Path returns the configuration file's path from the process environment:
// $KEYFOB_CONFIG, else $XDG_CONFIG_HOME/keyfob/config.toml, else
// ~/.config/keyfob/config.toml. It returns "" when none of these can be
// formed (no variable set and no home directory); Load treats "" as a
// missing file.
func Path() string {
	home, _ := os.UserHomeDir()
	return PathFrom(os.Getenv, home)
}

// PathFrom is Path with the environment lookup and home directory given,
// for tests. A leading "~/" in $KEYFOB_CONFIG is the home directory; a
// relative $XDG_CONFIG_HOME is ignored, as the XDG spec requires.
func PathFrom(getenv func(string) string, home string) string {
	if p := getenv("KEYFOB_CONFIG"); p != "" {
		return expandHome(p, home)
	}
	if xdg := getenv("XDG_CONFIG_HOME"); xdg != "" && filepath.IsAbs(xdg) {
		return filepath.Join(xdg, "keyfob", "config.toml")
	}
	if home == "" {
		return ""
	}
	return filepath.Join(home, ".config", "keyfob", "config.toml")
}

// expandHome replaces a leading "~/" (or a lone "~") in p with home.
func expandHome(p, home string) string {
	if home == "" {
		return p
	}
	if p == "~" {
		return home
	}
	if strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		return filepath.Join(home, p[2:])
	}
	return p
}
