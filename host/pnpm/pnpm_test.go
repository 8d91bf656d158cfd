package pnpm

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestWriteGolden(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := Write(&buf, "eyJ0eXAi.test.token"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "token.golden")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run with -update): %v", err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

func TestWriteRefuses(t *testing.T) {
	t.Parallel()
	for _, tok := range []string{"", "a b", "a\nb", "a\r", "\tb", "a\x00", "a\u2028b", "a\u00a0", "a\ufeff", "é"} {
		var buf bytes.Buffer
		if err := Write(&buf, tok); err == nil || buf.Len() != 0 {
			t.Errorf("Write(%q) = %v, wrote %q; want an error and nothing written", tok, err, buf.String())
		}
	}
}
