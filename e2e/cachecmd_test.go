package e2e_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// TestCacheListAndClear covers keyfob cache list | clear: listings name
// the profile, scopes, expiry and storage of access and refresh-state
// entries but never a token; clear makes the next call ask the server.
func TestCacheListAndClear(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	f := servers.StartFosite(t)
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, passwordProfile("pw", f, "openid", "offline_access", "api"))
	vars := env("KEYFOB_CONFIG", cfg, clientSecretVar, f.Client.Secret, passwordVar, f.User.Password)
	run := func(args ...string) harness.Result {
		t.Helper()
		return harness.Run(t, bin, harness.RunOpts{Home: home, Args: args, Env: vars})
	}
	tok := run("token", "-p", "pw")
	checkSuccess(t, tok, f.Client.Secret, f.User.Password)
	token := rawToken(t, tok.Stdout)

	list := run("cache", "list", "-o", "json")
	checkSuccess(t, list, f.Client.Secret, f.User.Password)
	if strings.Contains(list.Stdout, token) {
		t.Fatalf("cache list shows the access token")
	}
	var entries []struct {
		Kind    string   `json:"kind"`
		Profile string   `json:"profile"`
		Scopes  []string `json:"scopes"`
		Path    string   `json:"path"`
	}
	if err := json.Unmarshal([]byte(list.Stdout), &entries); err != nil {
		t.Fatalf("cache list -o json: %v\n%s", err, list.Stdout)
	}
	kinds := map[string]int{}
	for _, e := range entries {
		kinds[e.Kind]++
		if e.Kind == "access" && (e.Profile != "pw" || len(e.Scopes) != 3) {
			t.Errorf("access entry %+v, want profile pw with 3 scopes", e)
		}
	}
	if kinds["access"] != 1 || kinds["state"] != 1 {
		t.Errorf("cache holds %v, want one access and one state entry", kinds)
	}
	text := run("cache", "list")
	if !strings.Contains(text.Stdout, "pw") || strings.Contains(text.Stdout, token) {
		t.Errorf("cache list text:\n%s", text.Stdout)
	}

	before := f.TokenRequests()
	checkSuccess(t, run("cache", "clear"))
	if after := run("cache", "list", "-o", "json"); strings.TrimSpace(after.Stdout) != "[]" && strings.TrimSpace(after.Stdout) != "null" {
		t.Errorf("cache list after clear = %q, want empty", after.Stdout)
	}
	checkSuccess(t, run("token", "-p", "pw"), f.Client.Secret, f.User.Password)
	if got := f.TokenRequests() - before; got != 1 {
		t.Errorf("token requests after clear = %d, want 1", got)
	}
	if got := f.GrantRequests("password"); got != 2 {
		t.Errorf("password grants = %d, want 2 (clear also dropped the refresh token)", got)
	}
}
