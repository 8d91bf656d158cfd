package e2e_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// TestCargoRegistry runs cargo with keyfob as the credential provider of a
// sparse registry that answers 401 without a token zitadel issued.
func TestCargoRegistry(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	cargo := toolClient(t, "cargo", true)
	tests := map[string]struct {
		provider string // after the keyfob path
		hosts    func(registryHost string) []string
		wantOK   bool
	}{
		"-p":            {provider: "cargo -p crates", hosts: func(string) []string { return nil }, wantOK: true},
		"host matching": {provider: "cargo", hosts: func(h string) []string { return []string{h} }, wantOK: true},
		"url prefix":    {provider: "cargo", hosts: func(h string) []string { return []string{"http://" + h + "/index/"} }, wantOK: true},
		"no profile":    {provider: "cargo", hosts: func(string) []string { return []string{"crates.example.com"} }},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			z := servers.StartZitadel(t)
			reg := servers.StartCargoRegistry(t, toolVerify(z))
			host := strings.TrimSuffix(strings.TrimPrefix(reg.IndexURL, "sparse+http://"), "/index/")
			home := t.TempDir()
			cfg := harness.WriteConfig(t, home, toolProfile("crates", z, tc.hosts(host)...))
			project := cargoProject(t, home, reg, bin+" "+tc.provider)
			out, err := runToolCmd(t, project, cargoEnv(t, home, cfg, z), cargo, "fetch")
			if !tc.wantOK {
				if err == nil || !strings.Contains(out, "no credential providers could handle the request") {
					t.Errorf("cargo fetch: %v; want cargo to find no provider for the registry", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("cargo fetch: %v", err)
			}
			checkGuarded(t, reg.Requests(), "/index/config.json", "/index/kf/de/kfdep", "/dl/kfdep/0.1.0/download")
			if n := z.GrantRequests("client_credentials"); n != 1 {
				t.Errorf("client_credentials requests = %d, want 1", n)
			}
			if strings.Contains(out, z.BasicClient.Secret) {
				t.Error("cargo's output shows the client secret")
			}
		})
	}
}

// TestCargoLogout runs cargo logout, which keyfob refuses with a hint.
func TestCargoLogout(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	cargo := toolClient(t, "cargo", true)
	z := servers.StartZitadel(t)
	reg := servers.StartCargoRegistry(t, toolVerify(z))
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, toolProfile("crates", z))
	project := cargoProject(t, home, reg, bin+" cargo -p crates")
	out, err := runToolCmd(t, project, cargoEnv(t, home, cfg, z), cargo, "logout", "--registry", "kf")
	if err == nil || !strings.Contains(out, "keyfob logout -p crates") || !strings.Contains(out, "not supported") {
		t.Errorf("cargo logout: %v; want a failure naming keyfob logout -p crates", err)
	}
}

// cargoProject writes a package depending on the registry's crate, with
// the registry and its credential provider in .cargo/config.toml.
func cargoProject(t *testing.T, home string, reg *servers.CargoRegistry, provider string) string {
	t.Helper()
	dir := filepath.Join(home, "project")
	files := map[string]string{
		"Cargo.toml":         "[package]\nname = \"p\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nkfdep = { version = \"0.1\", registry = \"kf\" }\n",
		"src/main.rs":        "fn main() { println!(\"{}\", kfdep::answer()); }\n",
		".cargo/config.toml": fmt.Sprintf("[registries.kf]\nindex = %q\ncredential-provider = %q\n", reg.IndexURL, provider),
	}
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// cargoEnv is cargo's environment: a private CARGO_HOME, and the real
// RUSTUP_HOME (cargo is usually rustup's proxy, which looks for its
// toolchains under the home directory the test replaces), and more.
func cargoEnv(t *testing.T, home, cfg string, z *servers.Zitadel, more ...string) []string {
	t.Helper()
	extra := append(cargoHomeEnv(home), more...)
	return toolEnv(home, cfg, z, extra...)
}

// cargoHomeEnv is the part of cargo's environment that is not keyfob's:
// CARGO_HOME under home, no colours or retries, and rustup's variables.
func cargoHomeEnv(home string) []string {
	extra := []string{"CARGO_HOME=" + filepath.Join(home, ".cargo"), "CARGO_TERM_COLOR=never", "CARGO_NET_RETRY=0"}
	rustup := os.Getenv("RUSTUP_HOME")
	if rustup == "" {
		if h, err := os.UserHomeDir(); err == nil {
			rustup = filepath.Join(h, ".rustup")
		}
	}
	if rustup != "" {
		extra = append(extra, "RUSTUP_HOME="+rustup)
	}
	if v, ok := os.LookupEnv("RUSTUP_TOOLCHAIN"); ok {
		extra = append(extra, "RUSTUP_TOOLCHAIN="+v)
	}
	return extra
}
