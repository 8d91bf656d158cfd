//go:build unix && !darwin

package keyring

import (
	"errors"
	"testing"
)

func TestFindSessionBus(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		env   string
		files []string
		want  error
	}{
		"address":             {env: "unix:path=/run/user/1000/bus", want: nil},
		"runtime dir socket":  {files: []string{"/run/user/1000/bus"}, want: nil},
		"dbus-session file":   {files: []string{"/run/user/1000/dbus-session"}, want: nil},
		"nothing":             {want: errNoSessionBus},
		"autolaunch only":     {env: "autolaunch:", want: errNoSessionBus},
		"another user's":      {files: []string{"/run/user/0/bus"}, want: errNoSessionBus},
		"autolaunch, runtime": {env: "autolaunch:", files: []string{"/run/user/1000/bus"}, want: nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			getenv := func(k string) string {
				if k == "DBUS_SESSION_BUS_ADDRESS" {
					return tc.env
				}
				return ""
			}
			exists := func(p string) bool {
				for _, f := range tc.files {
					if f == p {
						return true
					}
				}
				return false
			}
			if err := findSessionBus(getenv, 1000, exists); !errors.Is(err, tc.want) {
				t.Errorf("findSessionBus = %v, want %v", err, tc.want)
			}
		})
	}
}
