package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/host/google"
)

const (
	gcpAudience = "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/pool/providers/entra"
	libraryMode = "0" // GOOGLE_EXTERNAL_ACCOUNT_INTERACTIVE as the libraries set it
)

func TestGoogle(t *testing.T) {
	t.Parallel()
	vars := newToolVars(t)
	lib := with(vars, google.EnvInteractive, libraryMode, google.EnvAudience, "//iam.googleapis.com/projects/999/x",
		google.EnvTokenType, google.TokenTypeJWT)
	tests := map[string]struct {
		vars     map[string]string
		args     []string
		golden   string
		wantCode int
		stderr   bool // standalone failures also go to stderr
	}{
		"-p":                {vars: lib, args: []string{"google", "-p", "repos"}, golden: "google-repos"},
		"alias google-exec": {vars: lib, args: []string{"google-exec", "-p", "repos"}, golden: "google-repos"},
		"audience match":    {vars: with(lib, google.EnvAudience, gcpAudience), args: []string{"google"}, golden: "google-gcp"},
		"default_profile":   {vars: lib, args: []string{"google"}, golden: "google-dflt"},
		"KEYFOB_PROFILE beats audience": {vars: with(lib, google.EnvAudience, gcpAudience, "KEYFOB_PROFILE", "repos"),
			args: []string{"google"}, golden: "google-repos"},
		"use_id_token, type unset": {vars: with(lib, google.EnvTokenType, ""), args: []string{"google", "-p", "idt"}, golden: "google-idt"},
		"use_id_token, type jwt":   {vars: lib, args: []string{"google", "-p", "idt"}, golden: "google-idt-jwt"},
		"standalone":               {vars: vars, args: []string{"google", "-p", "repos"}, golden: "google-repos"},
		"saml":                     {vars: with(lib, google.EnvTokenType, google.TokenTypeSAML2), args: []string{"google", "-p", "repos"}, golden: "google-saml"},
		"unknown profile":          {vars: lib, args: []string{"google", "-p", "nope"}, golden: "google-unknown-profile"},
		"unknown profile, standalone": {vars: vars, args: []string{"google", "-p", "nope"}, golden: "google-unknown-profile",
			wantCode: ExitUsage, stderr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := toolRun(t, tc.vars, "", tc.args...)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.wantCode, stderr)
			}
			toolGolden(t, tc.golden, stdout)
			if (stderr != "") != tc.stderr {
				t.Errorf("stderr = %q; want output there %v", stderr, tc.stderr)
			}
		})
	}
}

// TestGoogleNoToken checks the failure answer when no token can be had
// (here the plugin cannot start): exit 0, nothing on stderr.
func TestGoogleNoToken(t *testing.T) {
	t.Parallel()
	vars := with(newToolVars(t), google.EnvInteractive, libraryMode, "KEYFOB_CACHE_DIR", filepath.Join(t.TempDir(), "empty"))
	stdout, stderr, code := toolRun(t, vars, "", "google", "-p", "repos")
	if code != 0 || stderr != "" || !strings.HasPrefix(stdout, `{"version":1,"success":false,"code":"`) {
		t.Errorf("exit %d, stdout %q, stderr %q; want 0, a failure answer and nothing", code, stdout, stderr)
	}
}

func TestGoogleOutputFile(t *testing.T) {
	t.Parallel()
	vars := newToolVars(t)
	out := filepath.Join(t.TempDir(), "subject.json")
	lib := with(vars, google.EnvInteractive, libraryMode, google.EnvOutputFile, out)
	stdout, stderr, code := toolRun(t, lib, "", "google", "-p", "repos")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != stdout {
		t.Errorf("output file %q differs from stdout %q", data, stdout)
	}
	if fi, err := os.Stat(out); err != nil || (runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600) {
		t.Errorf("output file mode: %v, %v; want 0600", fi.Mode(), err)
	}
	if _, err := google.Parse(data, toolNow, true); err != nil {
		t.Errorf("the Go library would reject the output file: %v", err)
	}

	// A sign-out removes it.
	stdout, _, code = toolRun(t, with(lib, google.EnvRevoke, "1", google.EnvInteractive, "1"), "", "google", "-p", "repos")
	if code != 0 || stdout != "{\"version\":1,\"success\":true}\n" {
		t.Errorf("revoke: exit %d, stdout %q", code, stdout)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output file still there after revoke: %v", err)
	}

	// An output file that cannot be written is a failure answer.
	bad := filepath.Join(t.TempDir(), "missing-dir", "subject.json")
	stdout, _, _ = toolRun(t, with(lib, google.EnvOutputFile, bad), "", "google", "-p", "repos")
	if !strings.Contains(stdout, `"success":false`) || !strings.Contains(stdout, "missing-dir") {
		t.Errorf("unwritable output file: stdout %q, want a failure naming it", stdout)
	}
}

// TestGoogleQuiet checks that nothing reaches stderr in library mode, even
// a warning keyfob would otherwise print (a literal secret in a config
// file others can read).
func TestGoogleQuiet(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no permission bits on Windows")
	}
	t.Parallel()
	vars := newToolVars(t)
	cfg := strings.Replace(toolConfig, `client_secret = "env:TOOL_SECRET"`, `client_secret = "literal-secret"`, 1)
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	vars = with(vars, "KEYFOB_CONFIG", path)
	_, stderr, _ := toolRun(t, vars, "", "google", "-p", "repos")
	if stderr == "" {
		t.Fatal("standalone: no warning about the literal secret; the test checks nothing")
	}
	_, stderr, code := toolRun(t, with(vars, google.EnvInteractive, libraryMode), "", "google", "-p", "repos")
	if stderr != "" || code != 0 {
		t.Errorf("library mode: exit %d, stderr %q; want 0 and nothing", code, stderr)
	}
}
