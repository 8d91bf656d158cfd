package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestKubeconfigCmd(t *testing.T) {
	t.Parallel()
	w := newHostsWorld(t)
	stdout, stderr, code := w.run("", nil, "kubeconfig", "-p", "kube", "--api-version", "v1beta1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"- name: kube", "command: keyfob", "- kubectl", "- -p", "- kube", "client.authentication.k8s.io/v1beta1", "interactiveMode: IfAvailable"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if stdout, _, _ = w.run("", nil, "kubeconfig"); !strings.Contains(stdout, "- repos") {
		t.Errorf("without -p the entry should use default_profile:\n%s", stdout)
	}
	for _, args := range [][]string{{"kubeconfig", "-p", "nope"}, {"kubeconfig", "-p", "kube", "--api-version", "v2"}} {
		if _, _, code := w.run("", nil, args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
}

func TestKubeconfigConvertCmd(t *testing.T) {
	t.Parallel()
	w := newHostsWorld(t)
	in := `apiVersion: v1
kind: Config
users:
- name: aks
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: kubelogin
      args: [get-token, --server-id, S, --tenant-id, T, --login, spn, --client-id, C, --client-secret, hunter2]
`
	stdout, stderr, code := w.run(in, nil, "kubeconfig", "convert", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "command: keyfob") || !strings.Contains(stdout, "--client-secret=env:KEYFOB_CLIENT_SECRET") {
		t.Errorf("not converted:\n%s", stdout)
	}
	if !strings.Contains(stderr, `user "aks" (Azure/kubelogin) converted`) || strings.Contains(stderr, "hunter2") {
		t.Errorf("stderr %q", stderr)
	}

	path := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(path, []byte(in), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := w.run("", map[string]string{"KUBECONFIG": path + string(filepath.ListSeparator) + "/other"}, "kubeconfig", "convert", "--in-place"); code != 0 {
		t.Fatalf("--in-place: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), "command: keyfob") {
		t.Errorf("the file was not rewritten: %s %v", b, err)
	}
	if st, err := os.Stat(path); runtime.GOOS != "windows" && (err != nil || st.Mode().Perm() != 0o600) {
		t.Errorf("mode after --in-place: %v %v, want 0600", st.Mode(), err)
	}
	if _, _, code := w.run("", nil, "kubeconfig", "convert", filepath.Join(t.TempDir(), "missing")); code == 0 {
		t.Error("a missing file converted")
	}
}
