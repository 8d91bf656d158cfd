//go:build unix

package cache

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// otherUID is a uid that is not the test's.
const otherUID = 4242

func TestModes(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "a", "b", "keyfob")
	c, err := Open(dir, Options{Sealer: AESGCMSealer(make([]byte, 32))})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Put("k", fullEntry()); err != nil {
		t.Fatal(err)
	}
	if err := c.PutState("k", []byte("rt")); err != nil {
		t.Fatal(err)
	}
	if err := c.PutNegative("k", Negative{Until: fixed, Kind: NegativeThrottled}); err != nil {
		t.Fatal(err)
	}
	unlock, err := c.Lock(context.Background(), "k", nil)
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	paths := map[string]string{
		"dir": dir, "parent": filepath.Dir(dir),
		"access": c.path(prefixAccess, "k", extAccess), "state": c.path(prefixState, "k", extState),
		"negative": c.path(prefixNegative, "k", extNegative), "lock": c.path(prefixLock, "k", extLock),
	}
	got := map[string]fs.FileMode{}
	for name, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		got[name] = fi.Mode().Perm()
	}
	want := map[string]fs.FileMode{"dir": 0o700, "parent": 0o700, "access": 0o600, "state": 0o600, "negative": 0o600, "lock": 0o600}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("modes (-want +got):\n%s", diff)
	}
}

func TestOpenRefusesInsecureDir(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		setup   func(dir string) error
		problem string
	}{
		"0755": {
			setup:   func(dir string) error { return os.Chmod(dir, 0o755) },
			problem: "is readable by others (mode 0755); run chmod 700 PATH",
		},
		"0730": {
			setup:   func(dir string) error { return os.Chmod(dir, 0o730) },
			problem: "is writable by others (mode 0730); run chmod 700 PATH",
		},
		"0701": {
			setup:   func(dir string) error { return os.Chmod(dir, 0o701) },
			problem: "is accessible by others (mode 0701); run chmod 700 PATH",
		},
		"foreign owner": {
			setup:   func(dir string) error { return chownOther(t, dir) },
			problem: fmt.Sprintf("is owned by uid %d, not you (uid %d)", otherUID, os.Geteuid()),
		},
		"a file": {
			setup:   func(dir string) error { return replaceWithFile(dir) },
			problem: "is not a directory",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "keyfob")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := tt.setup(dir); err != nil {
				t.Fatal(err)
			}
			_, err := Open(dir, Options{})
			wantMsg := "cache dir " + dir + " " + strings.ReplaceAll(tt.problem, "PATH", dir)
			if !errors.Is(err, ErrInsecure) || err.Error() != wantMsg {
				t.Errorf("Open error = %v\nwant %s", err, wantMsg)
			}
		})
	}
}

func TestGetCheckedRefusesInsecureEntry(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		setup   func(path string) error
		problem string
	}{
		"0644": {
			setup:   func(path string) error { return os.Chmod(path, 0o644) },
			problem: "is readable by others (mode 0644); run chmod 600 PATH",
		},
		"0620": {
			setup:   func(path string) error { return os.Chmod(path, 0o620) },
			problem: "is writable by others (mode 0620); run chmod 600 PATH",
		},
		"foreign owner": {
			setup:   func(path string) error { return chownOther(t, path) },
			problem: fmt.Sprintf("is owned by uid %d, not you (uid %d)", otherUID, os.Geteuid()),
		},
		"symlink": {
			setup:   func(path string) error { return replaceWithSymlink(path) },
			problem: "is a symbolic link; remove it",
		},
		"directory": {
			setup:   func(path string) error { return replaceWithDir(path) },
			problem: "is not a regular file",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newCache(t, Options{})
			if err := c.Put("k", fullEntry()); err != nil {
				t.Fatal(err)
			}
			if err := c.PutState("k", []byte("rt")); err != nil {
				t.Fatal(err)
			}
			for _, path := range []string{c.path(prefixAccess, "k", extAccess), c.path(prefixState, "k", extState)} {
				if err := tt.setup(path); err != nil {
					t.Fatal(err)
				}
			}
			path := c.path(prefixAccess, "k", extAccess)
			wantMsg := "cache file " + path + " " + strings.ReplaceAll(tt.problem, "PATH", path)
			e, ok, err := c.GetChecked("k")
			if e != nil || ok || !errors.Is(err, ErrInsecure) || err.Error() != wantMsg {
				t.Errorf("GetChecked = %v, %v, %v\nwant error %s", e, ok, err, wantMsg)
			}
			if _, ok := c.Get("k"); ok {
				t.Error("Get served an unsafe entry")
			}
			if _, ok, err := c.GetState("k"); ok || !errors.Is(err, ErrInsecure) {
				t.Errorf("GetState = %v, %v; want ErrInsecure", ok, err)
			}
		})
	}
}

// chownOther gives path to another user; it skips the test unless root.
func chownOther(t *testing.T, path string) error {
	if os.Geteuid() != 0 {
		t.Skip("changing a file's owner needs root")
	}
	return os.Lchown(path, otherUID, otherUID)
}

// replaceWithFile replaces the directory dir with a regular file.
func replaceWithFile(dir string) error {
	if err := os.Remove(dir); err != nil {
		return err
	}
	return os.WriteFile(dir, nil, 0o600)
}

// replaceWithSymlink moves path aside and links path to it.
func replaceWithSymlink(path string) error {
	if err := os.Rename(path, path+".target"); err != nil {
		return err
	}
	return os.Symlink(path+".target", path)
}

// replaceWithDir replaces the file path with a 0700 directory.
func replaceWithDir(path string) error {
	if err := os.Remove(path); err != nil {
		return err
	}
	return os.Mkdir(path, 0o700)
}
