package e2e_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// pnpmEnv names a pnpm executable to test with instead of the one on PATH.
const pnpmEnv = "KEYFOB_E2E_PNPM"

// pnpmBin returns pnpm: $KEYFOB_E2E_PNPM, else pnpm on PATH. pnpm is not
// on the machine image (npm i -g pnpm installs it), so a missing pnpm
// skips the test, in CI too.
func pnpmBin(t *testing.T) string {
	t.Helper()
	if p := os.Getenv(pnpmEnv); p != "" {
		return p
	}
	return toolClient(t, "pnpm", false)
}

// TestPnpmTokenHelper runs pnpm install against a registry that answers
// 401 without a token zitadel issued, with keyfob as the registry's
// tokenHelper in the user's .npmrc.
func TestPnpmTokenHelper(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	pnpm := pnpmBin(t)
	major := pnpmMajor(t, pnpm)
	tests := map[string]struct {
		helper   func(home string) string // the tokenHelper value
		minMajor int                      // the oldest pnpm that takes it
	}{
		// pnpm 10 and older want an absolute path without arguments.
		"wrapper script": {helper: func(home string) string {
			return toolWriteScript(t, filepath.Join(home, "bin", "keyfob-pnpm-npm"), "#!/bin/sh\nexec "+bin+" pnpm -p npm\n")
		}},
		"command line": {helper: func(string) string { return bin + " pnpm -p npm" }, minMajor: 11},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if major < tc.minMajor {
				t.Skipf("pnpm %d takes only a path", major)
			}
			t.Parallel()
			z := servers.StartZitadel(t)
			reg := servers.StartNPMRegistry(t, toolVerify(z))
			home := t.TempDir()
			cfg := harness.WriteConfig(t, home, toolProfile("npm", z))
			nerf := strings.TrimPrefix(reg.URL, "http:")
			npmrc := "registry=" + reg.URL + "\n" + nerf + ":tokenHelper=" + tc.helper(home) + "\nupdate-notifier=false\n"
			toolWriteFile(t, filepath.Join(home, ".npmrc"), npmrc)
			project := filepath.Join(home, "project")
			toolWriteFile(t, filepath.Join(project, "package.json"),
				`{"name":"p","version":"1.0.0","private":true,"dependencies":{"`+reg.Package+`":"`+reg.Version+`"}}`)
			out, err := runToolCmd(t, project, toolEnv(home, cfg, z), pnpm, "install", "--no-frozen-lockfile",
				"--store-dir", filepath.Join(home, "store"), "--reporter", "append-only")
			if err != nil {
				t.Fatalf("pnpm install: %v", err)
			}
			if _, err := os.Stat(filepath.Join(project, "node_modules", reg.Package, "index.js")); err != nil {
				t.Errorf("package not installed: %v", err)
			}
			checkGuarded(t, reg.Requests(), "/"+reg.Package, "/"+reg.Package+"/-/"+reg.Package+"-"+reg.Version+".tgz")
			if strings.Contains(out, z.BasicClient.Secret) {
				t.Error("pnpm's output shows the client secret")
			}
		})
	}
}

// pnpmMajor returns pnpm's major version.
func pnpmMajor(t *testing.T, pnpm string) int {
	t.Helper()
	out, err := exec.Command(pnpm, "--version").Output()
	if err != nil {
		t.Fatalf("pnpm --version: %v", err)
	}
	m := regexp.MustCompile(`^(\d+)\.`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pnpm --version: %q", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	t.Logf("pnpm %s", strings.TrimSpace(string(out)))
	return n
}

// TestPnpmOutput checks the helper's output contract without pnpm: one
// line "Bearer <token>" on stdout, nothing on stderr; a failure is a
// non-zero exit status with nothing on stdout.
func TestPnpmOutput(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	z := servers.StartZitadel(t)
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, toolProfile("npm", z))
	vars := env("KEYFOB_CONFIG", cfg, clientSecretVar, z.BasicClient.Secret)
	res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"pnpm", "-p", "npm"}, Env: vars})
	checkSuccess(t, res, z.BasicClient.Secret)
	token, ok := strings.CutPrefix(res.Stdout, "Bearer ")
	token, nl := strings.CutSuffix(token, "\n")
	if !ok || !nl || strings.ContainsAny(token, " \n") || res.Stderr != "" {
		t.Fatalf("stdout %q, stderr %q; want \"Bearer <token>\\n\" and nothing", res.Stdout, res.Stderr)
	}
	if _, err := z.VerifyAccessToken(t.Context(), token); err != nil {
		t.Errorf("the token is not one zitadel issued: %v", err)
	}
	res = harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"pnpm", "-p", "nope"}, Env: vars})
	if res.ExitCode == 0 || res.Stdout != "" || res.Stderr == "" {
		t.Errorf("unknown profile: %s; want a non-zero exit, a message and no stdout", res)
	}
}

// toolWriteFile writes a file, creating its directory.
func toolWriteFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// toolWriteScript writes an executable script and returns its path.
func toolWriteScript(t *testing.T, path, body string) string {
	t.Helper()
	toolWriteFile(t, path, body)
	if err := os.Chmod(path, 0o700); err != nil {
		t.Fatal(err)
	}
	return path
}
