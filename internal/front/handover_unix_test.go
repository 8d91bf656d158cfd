//go:build unix

package front

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/internal/config"
)

// TestReplaceStdin runs replaceStdin in a child process (it replaces fd 0)
// and checks that the child then reads exactly the bytes handed over, for
// input that fits a pipe and input that needs the temporary file.
func TestReplaceStdin(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 300, 1 << 20} {
		t.Run(strconv.Itoa(size), func(t *testing.T) {
			t.Parallel()
			data := bytes.Repeat([]byte("protocol=https\n"), size/15+1)[:size]
			cmd := exec.Command(os.Args[0], "-test.run=^TestReplaceStdinChild$")
			cmd.Env = append(os.Environ(), "KEYFOB_TEST_HANDOVER="+strconv.Itoa(size))
			cmd.Stdin = strings.NewReader("the original stdin, which must not be seen")
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("child: %v", err)
			}
			if !bytes.Equal(out, data) {
				t.Errorf("child read %d bytes (%.40q…), want %d", len(out), out, len(data))
			}
		})
	}
}

// TestReplaceStdinChild is the child of TestReplaceStdin.
func TestReplaceStdinChild(t *testing.T) {
	v := os.Getenv("KEYFOB_TEST_HANDOVER")
	if v == "" {
		t.Skip("only run by TestReplaceStdin")
	}
	size, _ := strconv.Atoi(v)
	data := bytes.Repeat([]byte("protocol=https\n"), size/15+1)[:size]
	if err := replaceStdin(data); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(os.Stdin)
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.Write(got)
	os.Exit(0)
}

func TestEngineEnv(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		environ []string
		warned  string
		want    []string
	}{
		"no warning":           {[]string{"A=1"}, "", []string{"A=1"}},
		"warned":               {[]string{"A=1"}, "/c.toml", []string{"A=1", config.WarnedEnv + "=/c.toml"}},
		"stale marker dropped": {[]string{config.WarnedEnv + "=/old", "A=1"}, "", []string{"A=1"}},
		"marker replaced":      {[]string{config.WarnedEnv + "=/old"}, "/c.toml", []string{config.WarnedEnv + "=/c.toml"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, engineEnv(tc.environ, tc.warned)); diff != "" {
				t.Errorf("engineEnv (-want +got):\n%s", diff)
			}
		})
	}
}
