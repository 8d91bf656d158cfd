package cli

import (
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/spf13/pflag"
)

// Shared by the tests of the google, goauth, cargo and pnpm commands: a
// configuration and a cache that already holds each profile's token, so
// the commands answer without a plugin (Executable does not exist).

var updateHostTools = flag.Bool("update-host-tools", false, "rewrite the host tool golden files in testdata")

// toolNow is the fixed clock of these tests.
var toolNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

const toolConfig = `default_profile = "dflt"

[profiles.dflt]
provider = "client_credentials"
token_url = "https://idp.example.com/token"
client_id = "dflt"
client_secret = "env:TOOL_SECRET"

[profiles.repos]
provider = "client_credentials"
token_url = "https://idp.example.com/token"
client_id = "repos"
client_secret = "env:TOOL_SECRET"
hosts = ["127.0.0.1:8443", "dev.azure.com", "https://r.example.com/cargo/", "*.wild.example.com"]

[profiles.gcp]
provider = "client_credentials"
token_url = "https://idp.example.com/token"
client_id = "gcp"
client_secret = "env:TOOL_SECRET"
hosts = ["https://iam.googleapis.com/projects/123/"]

[profiles.idt]
provider = "client_credentials"
token_url = "https://idp.example.com/token"
client_id = "idt"
client_secret = "env:TOOL_SECRET"
use_id_token = true

[profiles.nohosts]
provider = "client_credentials"
token_url = "https://idp.example.com/token"
client_id = "nohosts"
client_secret = "env:TOOL_SECRET"
`

// toolToken is the access token cached for a profile.
func toolToken(profile string) string { return "at-" + profile + ".eyJ0eXAi.sig" }

// newToolVars writes the configuration and fills the cache with one token
// per profile, valid for an hour from toolNow (so hosts are told 10:55).
func newToolVars(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte(toolConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"KEYFOB_CONFIG": cfg, "KEYFOB_CACHE_DIR": filepath.Join(dir, "cache"),
		"KEYFOB_KEYRING": "off", "TOOL_SECRET": "s3cret"}
	for _, name := range []string{"dflt", "repos", "gcp", "idt", "nohosts"} {
		seedToolToken(t, vars, name, cache.Entry{AccessToken: toolToken(name), TokenType: "Bearer",
			IDToken: "id-" + name + ".eyJhbGci.sig", ExpiresAt: toolNow.Add(time.Hour), IssuedAt: toolNow})
	}
	return vars
}

// seedToolToken stores e as the profile's cached access token.
func seedToolToken(t *testing.T, vars map[string]string, name string, e cache.Entry) {
	t.Helper()
	env := Env{Getenv: func(k string) string { return vars[k] }, Now: func() time.Time { return toolNow },
		Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard}
	var c commonFlags
	fs := pflag.NewFlagSet("seed", pflag.ContinueOnError)
	c.register(fs)
	c.profile = name
	p, err := env.selectProfile(&c, fs)
	if err != nil {
		t.Fatal(err)
	}
	cc, err := cache.Open(vars["KEYFOB_CACHE_DIR"], cache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	req, err := env.keyedRequest(cc, tokenkey.Request{Values: p.Values})
	if err != nil {
		t.Fatal(err)
	}
	if err := cc.Put(tokenkey.Access(req, config.IsSecret), &e); err != nil {
		t.Fatal(err)
	}
}

// toolRun runs the CLI in process at toolNow.
func toolRun(t *testing.T, vars map[string]string, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := Env{Args: args, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return vars[k] }, Now: func() time.Time { return toolNow },
		Executable: "/nonexistent/keyfob"}
	code = Main(context.Background(), e)
	// The configuration's temporary path would make golden files differ.
	stdout = strings.ReplaceAll(out.String(), vars["KEYFOB_CONFIG"], "$KEYFOB_CONFIG")
	return stdout, errb.String(), code
}

// with returns a copy of vars with more variables set.
func with(vars map[string]string, kv ...string) map[string]string {
	out := make(map[string]string, len(vars)+len(kv)/2)
	for k, v := range vars {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// toolGolden compares got with testdata/NAME.golden.
func toolGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *updateHostTools {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run with -update-host-tools): %v", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}
