package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/internal/front"
)

// TestGitRefusalSaysTheSameOnBothPaths: a credential git would refuse (a
// user name with a line break) fails with the same one line whether the
// front answers from the cache or the engine does.
func TestGitRefusalSaysTheSameOnBothPaths(t *testing.T) {
	t.Parallel()
	w := newCredWorld(t)
	w.write("config.toml", `[profiles.g]
provider = "client_credentials"
token_url = "https://idp.example.com/token"
client_id = "g"
client_secret = "env:CRED_SECRET"
hosts = ["git.example.com"]
git_username = "first\nsecond"
`)
	key, _ := w.keys("g")
	if err := w.cache().Put(key, &cache.Entry{AccessToken: "git-token", TokenType: "Bearer", IssuedAt: credNow, ExpiresAt: credNow.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	const stdin = "protocol=https\nhost=git.example.com\n"
	const want = "keyfob: git credential value holds a line break or NUL\n"

	var fout, ferr bytes.Buffer
	fcode, handled := front.Run(front.Env{Program: "git-credential-keyfob", Args: []string{"get"}, Stdin: front.NewInput(strings.NewReader(stdin)),
		Stdout: &fout, Stderr: &ferr, Getenv: func(k string) string { return w.vars[k] }, Home: filepath.Dir(w.dir), Now: func() time.Time { return credNow }})
	if !handled || fcode != 1 || fout.Len() != 0 || ferr.String() != want {
		t.Errorf("front: handled %v, exit %d, stdout %q, stderr %q; want exit 1 and %q", handled, fcode, fout.String(), ferr.String(), want)
	}

	var eout, eerr bytes.Buffer
	env := *w.env()
	env.Args, env.Stdin, env.Stdout, env.Stderr = []string{"git", "get"}, strings.NewReader(stdin), &eout, &eerr
	if code := Main(context.Background(), env); code != fcode || eout.String() != fout.String() || eerr.String() != ferr.String() {
		t.Errorf("engine: exit %d, stdout %q, stderr %q; want what the front said", code, eout.String(), eerr.String())
	}
}
