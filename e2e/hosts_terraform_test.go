package e2e_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// TestTerraformInitThroughKeyfob runs terraform init against an HTTPS
// module registry that requires a token, with terraform-credentials-keyfob
// in Terraform's plugin directory (keyfob install-helpers
// ~/.terraform.d/plugins) and a credentials_helper block, as the README
// shows. Terraform asks the helper for every host it contacts; hosts no
// profile serves get {}. terraform logout then calls forget.
func TestTerraformInitThroughKeyfob(t *testing.T) {
	t.Parallel()
	terraform := requireClient(t, "terraform")
	w := newHostWorld(t)
	reg := servers.StartTerraformRegistry(t, w.check)
	w.writeConfig(t, w.profile("registry", w.z.BasicClient, reg.Host))
	w.install(t, filepath.Join(w.home, ".terraform.d", "plugins"))
	rc := filepath.Join(w.home, ".terraformrc")
	if err := os.WriteFile(rc, []byte("credentials_helper \"keyfob\" {\n  args = []\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	mainTF := "module \"hello\" {\n  source  = \"" + reg.Source + "\"\n  version = \"1.0.0\"\n}\n"
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(mainTF), 0o644); err != nil {
		t.Fatal(err)
	}
	tfEnv := []string{"TF_CLI_CONFIG_FILE=" + rc, "SSL_CERT_FILE=" + reg.CAFile, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"}

	w.runTool(t, work, terraform, tfEnv, "init", "-input=false", "-no-color")
	if _, err := os.Stat(filepath.Join(work, ".terraform", "modules", "hello", "main.tf")); err != nil {
		t.Errorf("the module was not installed: %v", err)
	}
	if reg.Accepted() < 2 || reg.Rejected() != 0 {
		t.Errorf("registry: %d requests with a valid token, %d rejected; want versions and download authorised", reg.Accepted(), reg.Rejected())
	}
	if n := w.z.TokenRequests(); n != 1 {
		t.Errorf("token requests = %d, want 1", n)
	}

	res := harness.Run(t, w.helper("terraform-credentials-keyfob"), harness.RunOpts{Home: w.home, Args: []string{"get", "registry.terraform.io"},
		Env: env("KEYFOB_CONFIG", w.cfg)})
	if res.ExitCode != 0 || res.Stdout != "{}\n" {
		t.Errorf("get for an unserved host:\n%s", res)
	}
	cached := filepath.Join(w.home, ".cache", "keyfob", "at-*")
	if entries, _ := filepath.Glob(cached); len(entries) == 0 {
		t.Fatalf("no cached access token under %s", cached)
	}
	out := w.runTool(t, work, terraform, tfEnv, "logout", "-no-color", reg.Host)
	if !strings.Contains(out, "Removed") && !strings.Contains(out, "removed") {
		t.Logf("terraform logout said: %s", out)
	}
	entries, _ := filepath.Glob(cached)
	if len(entries) != 0 {
		t.Errorf("forget left cached access tokens: %v", entries)
	}
}
