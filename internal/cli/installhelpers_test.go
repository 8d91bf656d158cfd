package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/host/protocol/all"
)

// fakeInstall makes a directory with keyfob and keyfob-engine.
func fakeInstall(t *testing.T) (front, engine string) {
	t.Helper()
	dir := t.TempDir()
	front = filepath.Join(dir, "keyfob"+exeSuffix())
	engine = filepath.Join(dir, engineName+exeSuffix())
	for _, p := range []string{front, engine} {
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+p+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return front, engine
}

func runInstall(t *testing.T, engine string, args ...string) (string, string, int) {
	t.Helper()
	w := &hostsWorld{t: t, vars: map[string]string{"KEYFOB_CONFIG": filepath.Join(t.TempDir(), "none.toml"), "PATH": "/usr/bin"}}
	var out, errb strings.Builder
	e := Env{Args: append([]string{"install-helpers"}, args...), Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return w.vars[k] }, Now: time.Now, Executable: engine}
	code := Main(t.Context(), e)
	return out.String(), errb.String(), code
}

func TestInstallHelpersBesideKeyfob(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	front, engine := fakeInstall(t)
	stdout, stderr, code := runInstall(t, engine)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"git-credential-keyfob", "docker-credential-keyfob", "terraform-credentials-keyfob", "bazel-credential-keyfob"} {
		p := filepath.Join(filepath.Dir(front), name)
		link, err := os.Readlink(p)
		if err != nil || link != "keyfob" {
			t.Errorf("%s: link %q, %v; want a relative symlink to keyfob (not the engine)", name, link, err)
		}
		if !strings.Contains(stdout, p+" -> "+front+" (symlink)") {
			t.Errorf("stdout does not report %s:\n%s", name, stdout)
		}
	}
	if !strings.Contains(stderr, "not on PATH") {
		t.Errorf("stderr %q does not warn that the directory is not on PATH", stderr)
	}
	again, _, code := runInstall(t, engine)
	if code != 0 || strings.Count(again, "already there") != 4 {
		t.Errorf("second run: exit %d:\n%s", code, again)
	}
}

func TestInstallHelpersInAnotherDir(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	front, engine := fakeInstall(t)
	dir := filepath.Join(t.TempDir(), "plugins")
	stale := filepath.Join(dir, "terraform-credentials-keyfob")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, []byte("old copy"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runInstall(t, engine, dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if link, err := os.Readlink(stale); err != nil || link != front {
		t.Errorf("link %q, %v; want an absolute symlink to %s replacing the old file", link, err, front)
	}
	if _, err := os.Lstat(filepath.Join(dir, engineName)); err == nil {
		t.Error("keyfob-engine was copied although symlinks resolve to keyfob's directory")
	}
}

func TestInstallHelpersFallbacksBringTheEngine(t *testing.T) {
	t.Parallel()
	noSymlink := func(string, string) error { return os.ErrPermission }
	tests := map[string]struct {
		links linkFuncs
		how   string
	}{
		"hard links": {linkFuncs{symlink: noSymlink, link: os.Link}, "hard link"},
		"copies":     {linkFuncs{symlink: noSymlink, link: noSymlink}, "copy"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			front, engine := fakeInstall(t)
			dir := t.TempDir()
			done, err := installHelpers(front, dir, tc.links)
			if err != nil {
				if tc.how == "hard link" {
					t.Skipf("hard links unavailable here: %v", err)
				}
				t.Fatal(err)
			}
			if len(done) != 5 {
				t.Fatalf("installed %+v, want the four names and keyfob-engine", done)
			}
			for _, d := range done {
				if d.how != tc.how {
					t.Errorf("%s: %s, want %s", d.path, d.how, tc.how)
				}
			}
			if got, want := done[4], filepath.Join(dir, engineName+exeSuffix()); got.path != want || got.target != engine {
				t.Errorf("engine: %+v, want %s from %s", got, want, engine)
			}
			b, err := os.ReadFile(filepath.Join(dir, "git-credential-keyfob"+exeSuffix()))
			if want, _ := os.ReadFile(front); err != nil || string(b) != string(want) {
				t.Errorf("git-credential-keyfob is not keyfob: %q, %v", b, err)
			}
			if st, err := os.Stat(filepath.Join(dir, "docker-credential-keyfob"+exeSuffix())); err != nil || (runtime.GOOS != "windows" && st.Mode().Perm()&0o111 == 0) {
				t.Errorf("docker-credential-keyfob is not executable: %v", err)
			}
		})
	}
}

func TestHelperTarget(t *testing.T) {
	t.Parallel()
	front, engine := fakeInstall(t)
	if got := helperTarget(engine); got != front {
		t.Errorf("helperTarget(engine) = %q, want the front %q", got, front)
	}
	if got := helperTarget(front); got != front {
		t.Errorf("helperTarget(front) = %q", got)
	}
	lone := filepath.Join(t.TempDir(), engineName)
	if err := os.WriteFile(lone, nil, 0o755); err != nil {
		t.Fatal(err)
	}
	if got := helperTarget(lone); got != lone {
		t.Errorf("an engine without a front: %q, want itself", got)
	}
}

// TestInstallHelpersHelpFromTheProtocols keeps the help that the
// registered protocols now generate byte for byte what it was when it was
// written by hand.
func TestInstallHelpersHelpFromTheProtocols(t *testing.T) {
	t.Parallel()
	cmd := newInstallHelpersCmd(&Env{})
	wantLong := `Creates git-credential-keyfob, docker-credential-keyfob, terraform-credentials-keyfob and
bazel-credential-keyfob next to keyfob, or in DIR: symlinks, or hard links or copies where
symlinks are unavailable (then keyfob-engine is linked or copied into DIR too, since keyfob
finds it beside itself). Existing files of these names are replaced.`
	wantExample := `  keyfob install-helpers                         # beside keyfob, e.g. in ~/go/bin
  keyfob install-helpers ~/.terraform.d/plugins  # where Terraform looks for helpers`
	wantNote := "git, docker and Bazel look for helpers there (Terraform in ~/.terraform.d/plugins)"
	if cmd.Long != wantLong || cmd.Example != wantExample || whereToolsLook(all.Protocols()) != wantNote {
		t.Errorf("Long:\n%s\nExample:\n%s\nnote: %s", cmd.Long, cmd.Example, whereToolsLook(all.Protocols()))
	}
}

func TestAndListAndWrap(t *testing.T) {
	t.Parallel()
	for words, want := range map[string]string{"": "", "a": "a", "a b": "a and b", "a b c": "a, b and c"} {
		if got := andList(strings.Fields(words)); got != want {
			t.Errorf("andList(%q) = %q, want %q", words, got, want)
		}
	}
	if got := wrap("aa bb  cc dd", 5); got != "aa bb\ncc dd" {
		t.Errorf("wrap = %q", got)
	}
}
