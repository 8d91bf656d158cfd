package config

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLiteralSecretWarning(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("mode bits do not describe access on Windows")
	}
	literal := "[profiles.b]\nclient_secret = \"s3cr3t-value\"\n[profiles.a]\npassword = \"hunter2\"\nclient_secret = \"env:X\"\n"
	refs := "[profiles.a]\nclient_secret = \"env:X\"\npassword = \"file:~/pw\"\nclient_id = \"not-a-secret\"\n"
	tests := map[string]struct {
		content string
		mode    os.FileMode
		want    string
	}{
		"literal, world-readable": {
			content: literal, mode: 0o644,
			want: `config %s is readable by others (mode 0644) and holds a literal secret (profile "a" key "password" and 1 more); run chmod 600 %s or use env:NAME or file:PATH references`,
		},
		"literal, group-readable": {
			content: "[profiles.a]\nrefresh_token = \"rt\"\n", mode: 0o640,
			want: `config %s is readable by others (mode 0640) and holds a literal secret (profile "a" key "refresh_token"); run chmod 600 %s or use env:NAME or file:PATH references`,
		},
		"literal, private": {content: literal, mode: 0o600},
		"references only":  {content: refs, mode: 0o644},
		"no secrets":       {content: "[profiles.a]\nclient_id = \"x\"\n", mode: 0o644},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := writeFile(t, tc.content)
			if err := os.Chmod(path, tc.mode); err != nil {
				t.Fatal(err)
			}
			f, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if want != "" {
				want = fmt.Sprintf(want, path, path)
			}
			got := LiteralSecretWarning(path, f)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("LiteralSecretWarning (-want +got):\n%s", diff)
			}
			for _, secret := range []string{"s3cr3t-value", "hunter2"} {
				if got != "" && strings.Contains(got, secret) {
					t.Errorf("warning %q shows a secret value", got)
				}
			}
		})
	}
}

func TestLiteralSecretWarningNoFile(t *testing.T) {
	t.Parallel()
	if got := LiteralSecretWarning("", nil); got != "" {
		t.Errorf("LiteralSecretWarning with no file = %q", got)
	}
}

func TestWarnLiteralSecretOncePerCall(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("mode bits do not describe access on Windows")
	}
	load := func() (string, *File) {
		path := writeFile(t, "[profiles.a]\npassword = \"hunter2\"\n")
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		return path, f
	}
	t.Run("the front warned", func(t *testing.T) {
		t.Parallel()
		path, f := load()
		var b strings.Builder
		WarnLiteralSecret(&b, func(k string) string { return map[string]string{WarnedEnv: path}[k] }, path, f)
		if b.Len() != 0 {
			t.Errorf("warned again after the front: %q", b.String())
		}
	})
	t.Run("twice in one process", func(t *testing.T) {
		t.Parallel()
		path, f := load()
		var b strings.Builder
		for range 2 {
			WarnLiteralSecret(&b, func(string) string { return "" }, path, f)
		}
		if n := strings.Count(b.String(), "keyfob: warning: config "+path+" is readable by others"); n != 1 {
			t.Errorf("%d warnings, want 1:\n%s", n, b.String())
		}
	})
}

// TestLiteralSecretWarningUsesLoadedMode checks that a File read by Load
// or LoadIndexed is judged by the mode the load saw, without another
// stat, and a File built otherwise by the file's mode now.
func TestLiteralSecretWarningUsesLoadedMode(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("mode bits do not describe access on Windows")
	}
	doc := "[profiles.a]\npassword = \"hunter2\"\n"
	path := writeFile(t, doc)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	indexed, err := LoadIndexed(path, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := Parse(path, []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]*File{"Load": loaded, "LoadIndexed": indexed} {
		if LiteralSecretWarning(path, f) == "" {
			t.Errorf("%s: no warning for the mode 0644 the load saw", name)
		}
	}
	if w := LiteralSecretWarning(path, parsed); w != "" {
		t.Errorf("Parse: warning %q for a file now mode 0600", w)
	}
}
