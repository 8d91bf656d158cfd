package cli

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/internal/front"
)

func TestOneLine(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ in, want string }{
		"plain":            {"idp: invalid_client", "idp: invalid_client"},
		"newlines":         {"a\r\nb\n\tc", "a b c"},
		"terminal escapes": {"idp: \x1b[2J\x1b[1;31mbad\x1b[0m\a", "idp: [2J[1;31mbad[0m"},
		"C1 controls":      {"x\u009b31my", "x31my"},
		"unicode kept":     {"Überprüfung fehlgeschlagen", "Überprüfung fehlgeschlagen"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := oneLine(tc.in); got != tc.want {
				t.Errorf("oneLine(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// failingWriter fails every write with err.
type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

// TestControlCharactersDroppedOnBothPaths: an error whose text holds
// control characters (here a failed write of the answer) is printed as
// the same one line, those characters dropped, whether the front answers
// from the cache or the engine does.
func TestControlCharactersDroppedOnBothPaths(t *testing.T) {
	t.Parallel()
	w := newCredWorld(t)
	w.write("config.toml", `[profiles.g]
provider = "client_credentials"
token_url = "https://idp.example.com/token"
client_id = "g"
client_secret = "env:CRED_SECRET"
hosts = ["git.example.com"]
`)
	key, _ := w.keys("g")
	if err := w.cache().Put(key, &cache.Entry{AccessToken: "git-token", TokenType: "Bearer", IssuedAt: credNow, ExpiresAt: credNow.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	const stdin = "protocol=https\nhost=git.example.com\n"
	stdout := failingWriter{errors.New("\x1b[31mdisk\r\nfull\x1b[0m\a")}

	var ferr bytes.Buffer
	fcode, handled := front.Run(front.Env{Program: "git-credential-keyfob", Args: []string{"get"}, Stdin: front.NewInput(strings.NewReader(stdin)),
		Stdout: stdout, Stderr: &ferr, Getenv: func(k string) string { return w.vars[k] }, Home: filepath.Dir(w.dir), Now: func() time.Time { return credNow }})
	line := ferr.String()
	if !handled || fcode != 1 || !strings.HasSuffix(line, "[31mdisk full[0m\n") || strings.ContainsAny(line, "\x1b\a\r") {
		t.Errorf("front: handled %v, exit %d, stderr %q; want exit 1 and one line without control characters", handled, fcode, line)
	}

	var eerr bytes.Buffer
	env := *w.env()
	env.Args, env.Stdin, env.Stdout, env.Stderr = []string{"git", "get"}, strings.NewReader(stdin), stdout, &eerr
	if code := Main(context.Background(), env); code != fcode || eerr.String() != line {
		t.Errorf("engine: exit %d, stderr %q; want what the front said, %q", code, eerr.String(), line)
	}
}
