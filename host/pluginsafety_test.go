package host

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/keyfob/keyfob/host/safefile"
	"github.com/keyfob/keyfob/plugin"
)

func TestLaunchRefusesPluginOthersCanChange(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("Unix owners and modes; shell-script plugins")
	}
	tests := map[string]struct {
		dirMode, fileMode os.FileMode
		otherOwner        bool
		want              func(dir, script string) string
	}{
		"world-writable file": {0o700, 0o757, false, func(_, s string) string {
			return "plugin " + s + " is writable by others (mode 0757); run chmod go-w " + s
		}},
		"group-writable directory": {0o770, 0o700, false, func(d, s string) string {
			return "plugin " + s + ": " + d + " is writable by its group (mode 0770); run chmod go-w " + d
		}},
		"another user's file": {0o755, 0o755, true, nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "plugins")
			script, marker := markerPlugin(t, dir)
			chmod(t, script, tc.fileMode)
			chmod(t, dir, tc.dirMode)
			if tc.dirMode&0o020 != 0 && os.Chown(dir, -1, 4242424) != nil {
				// a gid no account database holds: nobody's private group
				t.Skip("cannot give the directory a group other users are in")
			}
			if tc.otherOwner {
				if err := os.Chown(script, os.Getuid()+4242, -1); err != nil {
					t.Skipf("cannot give the plugin to another user: %v", err)
				}
			}
			p, err := Launch(t.Context(), Options{Path: script})
			if err == nil {
				_ = p.Close()
				t.Fatal("Launch started a plugin others can change")
			}
			var unsafe *safefile.UnsafeError
			if plugin.KindOf(err) != plugin.KindConfig || !errors.As(err, &unsafe) {
				t.Errorf("error %v: kind %v, want a config error (exit 2) wrapping *safefile.UnsafeError", err, plugin.KindOf(err))
			}
			if tc.want != nil && err.Error() != tc.want(dir, script) {
				t.Errorf("error = %q\nwant    %q", err, tc.want(dir, script))
			}
			time.Sleep(100 * time.Millisecond)
			if _, err := os.Stat(marker); err == nil {
				t.Error("the plugin was started")
			}
		})
	}
}

// markerPlugin writes a shell-script plugin in dir that creates a marker
// file when started, and returns both paths.
func markerPlugin(t *testing.T, dir string) (script, marker string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	marker = filepath.Join(filepath.Dir(dir), "started")
	script = filepath.Join(dir, "keyfob-plugin-x")
	if err := os.WriteFile(script, []byte("#!/bin/sh\ntouch "+marker+"\nexec sleep 5\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	return script, marker
}

// chmod sets path's mode, whatever the umask.
func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func TestCheckPluginPassesSelfAndMissing(t *testing.T) {
	t.Parallel()
	for _, path := range []string{testExe(t), filepath.Join(t.TempDir(), "missing")} {
		if err := CheckPlugin(path); err != nil {
			t.Errorf("CheckPlugin(%s) = %v, want nil", path, err)
		}
	}
}
