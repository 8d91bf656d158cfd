package secretref

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	env := map[string]string{"SET": "s3", "EMPTY": ""}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	tests := map[string]struct {
		ref, want, err string
	}{
		"literal":         {ref: "plain", want: "plain"},
		"env":             {ref: "env:SET", want: "s3"},
		"env unset":       {ref: "env:NOPE", err: "environment variable NOPE is not set"},
		"env empty":       {ref: "env:EMPTY", err: "environment variable EMPTY is not set"},
		"file":            {ref: "file:" + write("a", "abc\n"), want: "abc"},
		"file crlf":       {ref: "file:" + write("b", "abc\r\n"), want: "abc"},
		"file two lines":  {ref: "file:" + write("c", "abc\n\n"), want: "abc\n"},
		"file missing":    {ref: "file:" + filepath.Join(dir, "none"), err: "no such file"},
		"file dir":        {ref: "file:" + dir, err: "is not a regular file"},
		"file too large":  {ref: "file:" + write("big", strings.Repeat("x", MaxSecretSize+1)), err: "larger than 65536 bytes"},
		"file at the cap": {ref: "file:" + write("cap", strings.Repeat("y", MaxSecretSize)), want: strings.Repeat("y", MaxSecretSize)},
		"dev zero":        {ref: "file:/dev/zero", err: "is not a regular file"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Read(tc.ref, lookup)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Read(%q) error = %v, want %q", tc.ref, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Read(%q) = %q, %v; want %q", tc.ref, got, err, tc.want)
			}
		})
	}
}

func TestExpandHome(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skip(err)
	}
	if got := ExpandHome("~/x"); got != filepath.Join(home, "x") {
		t.Errorf("ExpandHome(~/x) = %q", got)
	}
	if got := ExpandHome("/abs/~/x"); got != "/abs/~/x" {
		t.Errorf("ExpandHome changed an absolute path: %q", got)
	}
}
