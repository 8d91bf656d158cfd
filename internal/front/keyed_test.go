package front

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/internal/config"
)

// keyedAccess is the access key of req with its credential fingerprinted
// under c's salt, the environment read through getenv: the key the engine
// stores a token under.
func keyedAccess(t *testing.T, c *cache.Cache, req tokenkey.Request, getenv func(string) string) string {
	t.Helper()
	salt, err := c.Salt()
	if err != nil {
		t.Fatal(err)
	}
	req, err = tokenkey.Keyed(req, salt, config.IsSecret, lookupEnv(getenv))
	if err != nil {
		t.Fatal(err)
	}
	return tokenkey.Access(req, config.IsSecret)
}

// TestRunDeclinesWhenTheCredentialChanged: the front computes the key
// from the credential it reads now, so a changed secret, an unset
// variable or a deleted salt makes it decline and leave the call to the
// engine (which asks the server or reports exit 2).
func TestRunDeclinesWhenTheCredentialChanged(t *testing.T) {
	t.Parallel()
	tests := map[string]func(vars map[string]string, dir string){
		"unchanged":      func(map[string]string, string) {},
		"another secret": func(vars map[string]string, _ string) { vars["S"] = "other-secret" },
		"variable unset": func(vars map[string]string, _ string) { delete(vars, "S") },
		"salt deleted":   func(_ map[string]string, dir string) { _ = os.Remove(filepath.Join(dir, "salt.bin")) },
		"entry tampered": func(_ map[string]string, dir string) {
			tamperEntries(t, dir, "cached-token", "cached-token\r\nX-Injected: evil")
		},
		"odd token type": func(_ map[string]string, dir string) { tamperEntries(t, dir, `"Bearer"`, `"Bearer\r\nX-Evil: 1"`) },
		"copied entry":   func(_ map[string]string, dir string) { copyEntry(t, dir) },
	}
	for name, change := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env, c, values := setup(t)
			vars := map[string]string{}
			for _, k := range []string{"KEYFOB_CONFIG", "KEYFOB_CACHE_DIR", "S"} {
				vars[k] = env.Getenv(k)
			}
			env.Getenv = func(k string) string { return vars[k] }
			key := keyedAccess(t, c, tokenkey.Request{Values: values}, env.Getenv)
			entry := &cache.Entry{AccessToken: "cached-token", TokenType: "Bearer", IssuedAt: now, ExpiresAt: now.Add(time.Hour)}
			if err := c.Put(key, entry); err != nil {
				t.Fatal(err)
			}
			change(vars, c.Path())
			var out bytes.Buffer
			env.Args, env.Stdout, env.Stderr = []string{"token", "-p", "p", "-o", "header"}, &out, &out
			_, handled := Run(env)
			if want := name == "unchanged"; handled != want || (handled && out.String() != "Authorization: Bearer cached-token\n") {
				t.Errorf("handled %v, output %q; want handled %v", handled, out.String(), want)
			}
		})
	}
}

// tamperEntries replaces old with new in every access entry in dir.
func tamperEntries(t *testing.T, dir, old, new string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "at-*.json"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, bytes.ReplaceAll(b, []byte(old), []byte(new)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// copyEntry makes the one access entry in dir look like one copied from
// another key's file: the key bound inside it is not the one its name is
// derived from.
func copyEntry(t *testing.T, dir string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "at-*.json"))
	if len(files) != 1 {
		t.Fatalf("access entries %v, want one", files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.Replace(b, []byte(`"key":"`), []byte(`"key":"x`), 1)
	if err := os.WriteFile(files[0], b, 0o600); err != nil {
		t.Fatal(err)
	}
}
