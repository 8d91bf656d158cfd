package safefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// info is an fs.FileInfo with a chosen mode and Sys value.
type info struct {
	mode fs.FileMode
	sys  any
}

func (i info) Name() string       { return "f" }
func (i info) Size() int64        { return 0 }
func (i info) Mode() fs.FileMode  { return i.mode }
func (i info) ModTime() time.Time { return time.Time{} }
func (i info) IsDir() bool        { return i.mode.IsDir() }
func (i info) Sys() any           { return i.sys }

func TestCheck(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("owners and modes do not describe access on Windows")
	}
	other := os.Getuid() + 4242
	// sharedGID is in no account database, so it is nobody's private
	// group: group write is refused.
	sharedGID := 4242424
	tests := map[string]struct {
		mode fs.FileMode
		uid  int
		want string // "" accepts
	}{
		"mine, 0600":             {0o600, os.Getuid(), ""},
		"mine, 0644":             {0o644, os.Getuid(), ""},
		"mine, 0755":             {0o755, os.Getuid(), ""},
		"root's, 0644":           {0o644, 0, ""},
		"group-writable":         {0o664, os.Getuid(), "/p is writable by its group (mode 0664); run chmod go-w /p"},
		"others-writable":        {0o646, os.Getuid(), "/p is writable by others (mode 0646); run chmod go-w /p"},
		"world-writable":         {0o666, os.Getuid(), "/p is writable by group and others (mode 0666); run chmod go-w /p"},
		"root's, world-writable": {0o666, 0, "/p is writable by group and others (mode 0666)"},
		"another user's":         {0o600, other, "/p is owned by uid "},
		"sticky directory":       {fs.ModeDir | fs.ModeSticky | 0o777, 0, ""},
		"open directory":         {fs.ModeDir | 0o777, os.Getuid(), "/p is writable by group and others (mode 0777)"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := Check("/p", info{mode: tc.mode, sys: stat(tc.uid, sharedGID)})
			checkErr(t, err, tc.want)
		})
	}
}

// checkErr checks that err is nil when want is "", else an *UnsafeError
// whose text contains want.
func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("err = %v, want nil", err)
		}
		return
	}
	var ue *UnsafeError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want an *UnsafeError containing %q", err, want)
	}
}

func TestCheckOwnerFix(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("owners do not describe access on Windows")
	}
	err := Check("/p", info{mode: 0o600, sys: stat(os.Getuid()+4242, 0)})
	if err == nil || !strings.Contains(err.Error(), "not by you or root; run chown ") || !strings.HasSuffix(err.Error(), " /p, or use a copy you own") {
		t.Fatalf("err = %v, want the chown fix", err)
	}
}

func TestReadFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, size int, mode fs.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, make([]byte, size), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := map[string]struct {
		path string
		want string // "" reads
	}{
		"regular":        {write("ok", 10, 0o600), ""},
		"at the limit":   {write("full", 100, 0o644), ""},
		"too large":      {write("big", 101, 0o600), "big: larger than 100 bytes"},
		"directory":      {dir, ": is not a regular file"},
		"device":         {os.DevNull, os.DevNull + ": is not a regular file"},
		"world-writable": {write("open", 10, 0o666), "open is writable by group and others"},
	}
	if runtime.GOOS == "windows" {
		delete(tests, "device")
		delete(tests, "world-writable")
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := ReadFile(tc.path, 100)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("ReadFile(%s) err = %v, want %q", tc.path, err, tc.want)
			}
		})
	}
}

func TestReadFileMissing(t *testing.T) {
	t.Parallel()
	_, err := ReadFile(filepath.Join(t.TempDir(), "none"), 100)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want fs.ErrNotExist", err)
	}
}

func TestCheckExecutable(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("modes do not describe access on Windows")
	}
	root := t.TempDir()
	safe := mkdir(t, root, "safe", 0o755)
	open := mkdir(t, root, "open", 0o777)
	exe := func(dir, name string, mode fs.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := exe(safe, "good", 0o755)
	link := func(dir, name, target string) string {
		p := filepath.Join(dir, name)
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := map[string]struct {
		path string
		want string
	}{
		"safe":                     {good, ""},
		"writable file":            {exe(safe, "w", 0o757), "w is writable by others (mode 0757)"},
		"in an open directory":     {exe(open, "x", 0o755), open + " is writable by group and others"},
		"link to a safe file":      {link(safe, "l1", good), ""},
		"link in open directory":   {link(open, "l2", good), open + " is writable"},
		"link into open directory": {link(safe, "l3", exe(open, "y", 0o755)), open + " is writable"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			checkErr(t, CheckExecutable(tc.path), tc.want)
		})
	}
}

// mkdir makes the directory root/name with mode.
func mkdir(t *testing.T, root, name string, mode fs.FileMode) string {
	t.Helper()
	p := filepath.Join(root, name)
	if err := os.Mkdir(p, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPrivateGroup(t *testing.T) {
	t.Parallel()
	const passwd = `root:x:0:0:root:/root:/bin/sh
# a comment
alice:x:1000:1000::/home/alice:/bin/sh
bob:x:1001:1001::/home/bob:/bin/sh
carol:x:1002:100::/home/carol:/bin/sh
dave:x:1003:100::/home/dave:/bin/sh
erin:x:1004:2000::/home/erin:/bin/sh
`
	const group = `root:x:0:
alice:x:1000:
bob:x:1001:alice
users:x:100:
staff:x:50:alice
erin:x:2000:erin
empty:x:3000:
`
	tests := map[string]struct {
		gid, uid int
		want     bool
	}{
		"alice's own group":             {1000, 1000, true},
		"root's own group":              {0, 0, true},
		"a member listed as itself":     {2000, 1004, true},
		"another's group":               {1000, 1001, false},
		"own group with another member": {1001, 1001, false},
		"shared primary group":          {100, 1002, false},
		"supplementary only":            {50, 1000, true},
		"no member":                     {3000, 1000, false},
		"unknown group":                 {4000, 1000, false},
		"unknown user":                  {1000, 4000, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := privateGroupIn(strings.NewReader(passwd), strings.NewReader(group), tc.gid, tc.uid); got != tc.want {
				t.Errorf("privateGroupIn(gid %d, uid %d) = %v, want %v", tc.gid, tc.uid, got, tc.want)
			}
		})
	}
}
