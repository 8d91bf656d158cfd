package output

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run with -update): %v", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

func TestFormats(t *testing.T) {
	t.Parallel()
	tok := Token{AccessToken: "eyJ0eXAi.test.token", TokenType: "bearer",
		ExpiresAt: time.Date(2026, 11, 22, 10, 55, 0, 0, time.UTC), Scope: "https://graph.microsoft.com/.default"}
	for _, name := range []string{"raw", "header", "json"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f, err := ParseFormat(name)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := Write(&buf, f, tok); err != nil {
				t.Fatal(err)
			}
			golden(t, "token-"+name, buf.Bytes())
		})
	}
	if _, err := ParseFormat("yaml"); err == nil {
		t.Error("ParseFormat(yaml) succeeded")
	}
}
