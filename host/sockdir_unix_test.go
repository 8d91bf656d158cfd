//go:build unix

package host

import (
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSweepSocketDirs(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	old := time.Now().Add(-2 * staleSocketAge)
	mk := func(name string, mtime time.Time) string {
		d := filepath.Join(root, name)
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(d, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		return d
	}
	dead := mk("plugin-dir1", old)
	deadSocket(t, filepath.Join(dead, "plugin1"))
	live := mk("plugin-dir2", old)
	ln, err := net.Listen("unix", filepath.Join(live, "plugin2"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go acceptAll(ln)
	empty := mk("plugin-dir3", old)
	fresh := mk("plugin-dir4", time.Now())
	other := mk("not-ours", old)
	// Set the times after the sockets were made: making them touched the dirs.
	for _, d := range []string{dead, live, empty, other} {
		if err := os.Chtimes(d, old, old); err != nil {
			t.Fatal(err)
		}
	}
	sweepSocketDirs(root, time.Now())
	for d, want := range map[string]bool{dead: false, empty: false, live: true, fresh: true, other: true} {
		if _, err := os.Stat(d); (err == nil) != want {
			t.Errorf("%s: exists = %v, want %v", filepath.Base(d), err == nil, want)
		}
	}
}

// deadSocket leaves a socket file that nothing listens on, as a host
// killed with SIGKILL does.
func deadSocket(t *testing.T, path string) {
	t.Helper()
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	_ = ln.Close()
}

func acceptAll(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		_ = c.Close()
	}
}

func TestSocketRootIsPrivateAndPerUser(t *testing.T) {
	t.Parallel()
	tmp := shortTempDir(t)
	root := socketRoot(tmp)
	if root != filepath.Join(tmp, socketRootName()) {
		t.Fatalf("socketRoot = %q", root)
	}
	if !ownPrivateDir(root) {
		t.Fatalf("%s is not a private directory of this user", root)
	}
	shared := shortTempDir(t)
	if err := os.Mkdir(filepath.Join(shared, socketRootName()), 0o777); err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(filepath.Join(shared, socketRootName()), 0o777)
	if got := socketRoot(shared); got != shared {
		t.Errorf("a world-writable %s was used: %q", socketRootName(), got)
	}
}

// shortTempDir is a temporary directory short enough for socket paths.
func shortTempDir(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp("/tmp", "kf")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(d) })
	return d
}
