package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// viaCLI writes a configuration file with two profiles and runs the keyfob
// CLI the way scripts do. Secrets reach keyfob through environment
// variables named in the file, never on the command line.
func viaCLI(ctx context.Context, bin, dir string, srv *demoServer) error {
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte(configText(srv)), 0o600); err != nil {
		return err
	}
	env := append(os.Environ(),
		"KEYFOB_CONFIG="+cfg, "KEYFOB_CACHE_DIR="+filepath.Join(dir, "cache"),
		"QUICKSTART_SECRET="+srv.clientSecret, "QUICKSTART_PASSWORD="+srv.password)
	runs := []struct {
		title string
		args  []string
	}{
		{"client_credentials, raw", []string{"token", "-p", "app"}},
		{"client_credentials again, as a header for curl -H @-: answered from the cache", []string{"token", "-p", "app", "-o", "header"}},
		{"password grant, as JSON", []string{"token", "-p", "alice", "-o", "json"}},
		{"password grant again, forced: the refresh token is used", []string{"token", "-p", "alice", "--force-refresh", "-o", "json"}},
	}
	for _, r := range runs {
		say("keyfob %v  (%s)", r.args, r.title)
		if err := runKeyfob(ctx, bin, env, r.args); err != nil {
			return err
		}
	}
	return checkGrants(srv)
}

// checkGrants verifies what the server saw: one request per grant, the
// cached answer costing none and the forced refresh using the stored
// refresh token instead of the password.
func checkGrants(srv *demoServer) error {
	want := []string{"client_credentials", "client_credentials", "password", "refresh_token"}
	got := srv.grantsSeen()
	say("the server saw %d token requests: %v", len(got), got)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		return fmt.Errorf("the server saw grants %v, want %v", got, want)
	}
	return nil
}

func runKeyfob(ctx context.Context, bin string, env, args []string) error {
	cmd := exec.CommandContext(ctx, bin, args...)
	var out bytes.Buffer
	cmd.Env, cmd.Stdout, cmd.Stderr = env, &out, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("keyfob %v: %w", args, err)
	}
	if out.Len() == 0 {
		return fmt.Errorf("keyfob %v printed nothing", args)
	}
	_, err := os.Stdout.Write(out.Bytes())
	return err
}

func configText(srv *demoServer) string {
	return fmt.Sprintf(`default_profile = "app"

[profiles.app]
provider      = "client_credentials"
token_url     = "%[1]s/oauth2/token"
client_id     = "%[2]s"
client_secret = "env:QUICKSTART_SECRET"
client_auth   = "client_secret_basic"
scopes        = ["api.read"]

[profiles.alice]
provider      = "password"
token_url     = "%[1]s/oauth2/token"
client_id     = "%[2]s"
client_secret = "env:QUICKSTART_SECRET"
client_auth   = "client_secret_post"
username      = "%[3]s"
password      = "env:QUICKSTART_PASSWORD"
scopes        = ["api.read", "offline_access"]
`, srv.URL, srv.clientID, srv.username)
}
