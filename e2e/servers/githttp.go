package servers

import (
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// GitHTTP is a git smart-HTTP server: the real git http-backend behind
// net/http/cgi, serving one repository, every request of which needs a
// valid token (401 with WWW-Authenticate: Basic otherwise, so that git
// asks its credential helpers).
type GitHTTP struct {
	// URL is the server's base URL, http://127.0.0.1:PORT.
	URL string
	// RepoURL is the repository's URL, for git clone.
	RepoURL string
	// Readme is the content of README in the repository's one commit.
	Readme string
	tokenGate
}

// StartGitHTTP creates a bare repository with one commit and serves it
// with git http-backend on 127.0.0.1. It needs git on PATH. The server is
// closed by t.Cleanup.
func StartGitHTTP(t testing.TB, check TokenCheck) *GitHTTP {
	t.Helper()
	gitPath, err := exec.LookPath("git")
	if err != nil {
		t.Fatalf("git http server: %v", err)
	}
	root := t.TempDir()
	g := &GitHTTP{Readme: "served by git http-backend for keyfob\n", tokenGate: tokenGate{check: check}}
	makeBareRepo(t, gitPath, root, g.Readme)
	backend := &cgi.Handler{
		Path: gitPath, Args: []string{"http-backend"}, Root: "/",
		Env: []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1", "HOME=" + root},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !g.allow(r) {
			w.Header().Set("WWW-Authenticate", `Basic realm="keyfob e2e git"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		backend.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	g.URL = srv.URL
	g.RepoURL = srv.URL + "/repo.git"
	return g
}

// makeBareRepo creates root/repo.git with one commit holding README.
func makeBareRepo(t testing.TB, gitPath, root, readme string) {
	t.Helper()
	work := t.TempDir()
	if err := os.WriteFile(filepath.Join(work, "README"), []byte(readme), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "HOME="+work, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull,
		"GIT_AUTHOR_NAME=keyfob", "GIT_AUTHOR_EMAIL=e2e@keyfob.invalid",
		"GIT_COMMITTER_NAME=keyfob", "GIT_COMMITTER_EMAIL=e2e@keyfob.invalid")
	for _, args := range [][]string{
		{"init", "-q", work},
		{"-C", work, "add", "README"},
		{"-C", work, "commit", "-q", "-m", "first"},
		{"clone", "-q", "--bare", work, filepath.Join(root, "repo.git")},
	} {
		cmd := exec.Command(gitPath, args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
}
