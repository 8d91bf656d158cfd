package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/host/safefile"
	"github.com/keyfob/keyfob/plugin/errdefs"
)

// loadWithin is Load(path), failing the test if it takes more than 10 s
// (reading /dev/zero or a FIFO used to never return).
func loadWithin(t *testing.T, path string) (*File, error) {
	t.Helper()
	type result struct {
		f   *File
		err error
	}
	done := make(chan result, 1)
	go func() { f, err := Load(path); done <- result{f, err} }()
	select {
	case r := <-done:
		return r.f, r.err
	case <-time.After(10 * time.Second):
		t.Fatalf("Load(%s) did not return", path)
		return nil, nil
	}
}

func TestLoadRefuses(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("Unix modes and devices")
	}
	dir := t.TempDir()
	chmodded := func(name string, mode fs.FileMode, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	big := chmodded("big.toml", 0o600, "")
	if err := os.Truncate(big, MaxFileSize+1); err != nil {
		t.Fatal(err)
	}
	open := chmodded("open.toml", 0o666, contractExample)
	group := chmodded("group.toml", 0o620, contractExample)
	shared := shareGroup(group)
	tests := map[string]struct {
		path   string
		want   string
		unsafe bool
	}{
		"world-writable": {open, "config " + open + " is writable by group and others (mode 0666); run chmod go-w " + open, true},
		"group-writable": {group, "config " + group + " is writable by its group (mode 0620); run chmod go-w " + group, true},
		"/dev/zero":      {"/dev/zero", "config /dev/zero: is not a regular file", false},
		"directory":      {dir, "config " + dir + ": is not a regular file", false},
		"too large":      {big, "config " + big + ": larger than 8388608 bytes", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if tc.path == group && !shared {
				t.Skip("cannot give the file a group other users are in")
			}
			_, err := loadWithin(t, tc.path)
			checkLoadErr(t, err, tc.want, tc.unsafe)
		})
	}
}

// shareGroup gives path a group that is nobody's private group (a gid no
// account database holds), so group write is refused rather than allowed
// as for the owner's own group; false when it cannot (not root).
func shareGroup(path string) bool { return os.Chown(path, -1, 4242424) == nil }

// checkLoadErr checks that err is the one-line configuration error want,
// wrapping a *safefile.UnsafeError when unsafe.
func checkLoadErr(t *testing.T, err error, want string, unsafe bool) {
	t.Helper()
	if !errors.Is(err, errdefs.ErrConfig) || err.Error() != want {
		t.Fatalf("err = %v, want config error %q", err, want)
	}
	var ue *safefile.UnsafeError
	if got := errors.As(err, &ue); got != unsafe {
		t.Fatalf("errors.As(%v, *UnsafeError) = %v, want %v", err, got, unsafe)
	}
}

func TestLoadRefusesAnotherUsersFile(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("Unix owners")
	}
	p := writeFile(t, contractExample)
	if err := os.Chown(p, os.Getuid()+4242, -1); err != nil {
		t.Skipf("cannot give the file to another user: %v", err)
	}
	_, err := Load(p)
	var ue *safefile.UnsafeError
	if !errors.Is(err, errdefs.ErrConfig) || !errors.As(err, &ue) || !strings.Contains(err.Error(), " is owned by uid ") {
		t.Fatalf("err = %v, want a refusal naming the owner", err)
	}
}

func TestLoadAcceptsReadableByOthers(t *testing.T) {
	t.Parallel()
	p := writeFile(t, contractExample)
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(p); err != nil {
		t.Fatalf("a 0644 file without literal secrets: %v", err)
	}
}
