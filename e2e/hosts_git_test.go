package e2e_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/e2e/servers"
)

// TestGitCloneThroughKeyfob clones over smart HTTP from git http-backend,
// which requires a token, with keyfob configured as git's credential
// helper the way the README shows: keyfob install-helpers puts
// git-credential-keyfob on PATH, and a URL-scoped credential.helper names
// it. A user in the remote URL selects that user's profile.
func TestGitCloneThroughKeyfob(t *testing.T) {
	t.Parallel()
	gitPath := requireClient(t, "git")
	w := newHostWorld(t)
	srv := servers.StartGitHTTP(t, w.check)
	host := strings.TrimPrefix(srv.URL, "http://")
	w.writeConfig(t, w.profile("repos", w.z.BasicClient, host)+"\n"+w.postProfile("alice", "alice@"+host))
	gitconfig := filepath.Join(w.home, ".gitconfig")
	text := "[credential \"" + srv.URL + "\"]\n\thelper =\n\thelper = keyfob\n"
	if err := os.WriteFile(gitconfig, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	gitEnv := []string{"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=" + gitconfig, "GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=", "SSH_ASKPASS="}

	for i, url := range []string{srv.RepoURL, srv.RepoURL, strings.Replace(srv.RepoURL, "http://", "http://alice@", 1)} {
		dir := filepath.Join(t.TempDir(), "clone")
		w.runTool(t, w.home, gitPath, gitEnv, "clone", "-q", url, dir)
		b, err := os.ReadFile(filepath.Join(dir, "README"))
		if err != nil || string(b) != srv.Readme {
			t.Fatalf("clone %d: README = %q, %v", i, b, err)
		}
	}
	if srv.Rejected() != 0 {
		t.Errorf("the server rejected %d tokens", srv.Rejected())
	}
	if !w.sawClient(w.z.BasicClient.ID) || !w.sawClient(w.z.PostClient.ID) {
		t.Errorf("want tokens of both profiles (repos for the plain URL, alice for alice@); saw %v", w.clients)
	}
	if users := srv.Users(); !slices.Contains(users, "oauth2") || !slices.Contains(users, "alice") {
		t.Errorf("Basic user names %v, want oauth2 (default) and alice (from the URL)", users)
	}
	if n := w.z.TokenRequests(); n != 2 {
		t.Errorf("token requests = %d, want 2 (one per profile; the second clone is served from the cache)", n)
	}
}

// TestGitCredentialFillNothingHere asks git for a host no profile serves:
// keyfob prints nothing, so git falls through to its failure without a
// prompt, and no token is requested.
func TestGitCredentialFillNothingHere(t *testing.T) {
	t.Parallel()
	gitPath := requireClient(t, "git")
	w := newHostWorld(t)
	w.writeConfig(t, w.profile("repos", w.z.BasicClient, "git.example.com"))
	cmd := w.command(gitPath, "-c", "credential.helper=", "-c", "credential.helper=keyfob", "credential", "fill")
	cmd.Env = append(cmd.Env, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_TERMINAL_PROMPT=0")
	cmd.Stdin = strings.NewReader("protocol=https\nhost=github.com\n\n")
	out, err := cmd.CombinedOutput()
	if err == nil || strings.Contains(string(out), "password=") {
		t.Errorf("git credential fill for an unserved host: %v\n%s", err, out)
	}
	cmd = w.command(gitPath, "-c", "credential.helper=", "-c", "credential.helper=keyfob", "credential", "fill")
	cmd.Env = append(cmd.Env, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_TERMINAL_PROMPT=0")
	cmd.Stdin = strings.NewReader("protocol=https\nhost=git.example.com\n\n")
	out, err = cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "username=oauth2\npassword=") {
		t.Errorf("git credential fill for a served host: %v\n%s", err, out)
	}
	if n := w.z.TokenRequests(); n != 1 {
		t.Errorf("token requests = %d, want 1 (none for github.com)", n)
	}
}
