package config

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPathFrom(t *testing.T) {
	t.Parallel()
	home := filepath.FromSlash("/home/u")
	tests := map[string]struct {
		env  map[string]string
		home string
		want string
	}{
		"KEYFOB_CONFIG wins": {
			env:  map[string]string{"KEYFOB_CONFIG": "/etc/kf.toml", "XDG_CONFIG_HOME": "/xdg"},
			home: home, want: "/etc/kf.toml",
		},
		"KEYFOB_CONFIG with tilde": {
			env:  map[string]string{"KEYFOB_CONFIG": "~/kf.toml"},
			home: home, want: filepath.Join(home, "kf.toml"),
		},
		"XDG_CONFIG_HOME": {
			env:  map[string]string{"XDG_CONFIG_HOME": filepath.FromSlash("/xdg")},
			home: home, want: filepath.Join(filepath.FromSlash("/xdg"), "keyfob", "config.toml"),
		},
		"relative XDG_CONFIG_HOME ignored": {
			env:  map[string]string{"XDG_CONFIG_HOME": "rel"},
			home: home, want: filepath.Join(home, ".config", "keyfob", "config.toml"),
		},
		"home default": {
			home: home, want: filepath.Join(home, ".config", "keyfob", "config.toml"),
		},
		"no home": {want: ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := PathFrom(func(k string) string { return tc.env[k] }, tc.home)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("PathFrom (-want +got):\n%s", diff)
			}
		})
	}
}
