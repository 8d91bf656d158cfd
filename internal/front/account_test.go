package front

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/internal/entraprofile"
)

// TestBoundAccountPerProfileName: with two accounts signed in for the
// client of profile repos, the front answers from the entry of the
// account repos is bound to, by the name the profile was selected under
// (keyfob token, and a host protocol's selection), and declines once no
// binding decides between them.
func TestBoundAccountPerProfileName(t *testing.T) {
	t.Parallel()
	env := hostsEnv(t)
	c, err := cache.Open(env.Getenv("KEYFOB_CACHE_DIR"), cache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	values := reposValues(t, env)
	bind := func(profile, id string) {
		err := c.UpdateAccounts(context.Background(), tokenkey.State(tokenkey.Request{Values: values}), func(a *cache.Accounts) {
			a.Bind(profile, cache.SignedIn{ID: id})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	bind("other", "a")
	bind("repos", "b")
	key := keyedAccess(t, c, tokenkey.Request{Values: values, Account: "b"}, env.Getenv)
	e := &cache.Entry{AccessToken: "b-token", TokenType: "Bearer", IssuedAt: hostsNow.Add(-10 * time.Minute), ExpiresAt: hostsNow.Add(50 * time.Minute)}
	if err := c.Put(key, e); err != nil {
		t.Fatal(err)
	}
	run := func(args []string, stdin string) (string, bool) {
		var out bytes.Buffer
		r := env
		r.Args, r.Stdin, r.Stdout, r.Stderr = args, NewInput(strings.NewReader(stdin)), &out, io.Discard
		_, handled := Run(r)
		return out.String(), handled
	}
	gitGet := []string{"git", "get"}
	request := "protocol=https\nhost=git.example.com\n"
	if out, ok := run([]string{"token", "-p", "repos"}, ""); !ok || out != "b-token\n" {
		t.Errorf("token -p repos bound to b: handled %v, %q", ok, out)
	}
	if out, ok := run(gitGet, request); !ok || !strings.Contains(out, "password=b-token\n") {
		t.Errorf("git get through repos bound to b: handled %v, %q", ok, out)
	}

	err = c.UpdateAccounts(context.Background(), tokenkey.State(tokenkey.Request{Values: values}), func(a *cache.Accounts) { a.Unbind("repos") })
	if err != nil {
		t.Fatal(err)
	}
	if out, ok := run(gitGet, request); ok || out != "" {
		t.Errorf("git get through repos bound to none of two accounts: handled %v, %q; want the engine", ok, out)
	}
}

// reposValues are profile repos' expanded values in the hosts tests'
// configuration.
func reposValues(t *testing.T, env Env) map[string]string {
	t.Helper()
	f, err := config.Load(env.Getenv("KEYFOB_CONFIG"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.Profile("repos")
	if err != nil {
		t.Fatal(err)
	}
	values, err := entraprofile.Expand(p.Values, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return values
}
