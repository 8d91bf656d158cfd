package e2e_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/client-go/rest"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// kubeconfigFor is a kubeconfig for the API stub whose users come from
// users (the output of keyfob kubeconfig), for the user named user.
func kubeconfigFor(server, user, users string) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: stub
  cluster:
    server: %s
    insecure-skip-tls-verify: true
contexts:
- name: stub
  context:
    cluster: stub
    user: %s
current-context: stub
%s`, server, user, users)
}

// TestKubectlThroughKeyfob runs the real kubectl against an HTTPS API
// stub that requires a token, with the users entry that keyfob kubeconfig
// prints (the README's setup), for the v1 and v1beta1 exec APIs; and with
// the profile named by the cluster's exec extension (provideClusterInfo).
func TestKubectlThroughKeyfob(t *testing.T) {
	t.Parallel()
	kubectl := requireClient(t, "kubectl")
	w := newHostWorld(t)
	w.writeConfig(t, w.profile("kube", w.z.BasicClient))
	api := servers.StartKubeAPI(t, w.check)

	for _, version := range []string{"v1", "v1beta1"} {
		t.Run(version, func(t *testing.T) {
			res := harness.Run(t, w.bin, harness.RunOpts{Home: w.home, Args: []string{"kubeconfig", "-p", "kube", "--api-version", version}, Env: env("KEYFOB_CONFIG", w.cfg)})
			checkSuccess(t, res)
			path := filepath.Join(t.TempDir(), "kubeconfig")
			if err := os.WriteFile(path, []byte(kubeconfigFor(api.URL, "kube", res.Stdout)), 0o600); err != nil {
				t.Fatal(err)
			}
			out := w.runTool(t, w.home, kubectl, nil, "--kubeconfig", path, "get", "--raw", "/version")
			if !strings.Contains(out, servers.KubeVersion) {
				t.Errorf("kubectl get --raw /version:\n%s", out)
			}
		})
	}
	t.Run("cluster extension names the profile", func(t *testing.T) {
		users := `users:
- name: by-cluster
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: keyfob
      args: [kubectl]
      interactiveMode: Never
      provideClusterInfo: true
`
		config := strings.Replace(kubeconfigFor(api.URL, "by-cluster", users), "    insecure-skip-tls-verify: true\n",
			"    insecure-skip-tls-verify: true\n    extensions:\n    - name: client.authentication.k8s.io/exec\n      extension:\n        profile: kube\n", 1)
		path := filepath.Join(t.TempDir(), "kubeconfig")
		if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}
		out := w.runTool(t, w.home, kubectl, nil, "--kubeconfig", path, "get", "--raw", "/version")
		if !strings.Contains(out, servers.KubeVersion) {
			t.Errorf("kubectl get --raw /version:\n%s", out)
		}
	})
	if api.Rejected() != 0 || api.Accepted() < 3 {
		t.Errorf("API stub: %d accepted, %d rejected", api.Accepted(), api.Rejected())
	}
	if n := w.z.TokenRequests(); n != 1 {
		t.Errorf("token requests = %d, want 1 (later kubectl runs are served from the cache)", n)
	}
}

// TestClientGoExecAuthenticator uses client-go's own exec authenticator
// (k8s.io/client-go/rest with an ExecProvider), as every Go Kubernetes
// client does.
func TestClientGoExecAuthenticator(t *testing.T) {
	t.Parallel()
	w := newHostWorld(t)
	w.writeConfig(t, w.profile("kube", w.z.BasicClient))
	api := servers.StartKubeAPI(t, w.check)
	var execEnv []clientcmdapi.ExecEnvVar
	for _, kv := range w.env() {
		name, value, _ := strings.Cut(kv, "=")
		execEnv = append(execEnv, clientcmdapi.ExecEnvVar{Name: name, Value: value})
	}
	for _, version := range []string{"client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"} {
		cfg := &rest.Config{
			Host:            api.URL,
			TLSClientConfig: rest.TLSClientConfig{Insecure: true},
			ExecProvider: &clientcmdapi.ExecConfig{
				Command: w.bin, Args: []string{"kubectl", "-p", "kube"}, APIVersion: version,
				Env: execEnv, InteractiveMode: clientcmdapi.NeverExecInteractiveMode,
			},
		}
		hc, err := rest.HTTPClientFor(cfg)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := hc.Get(api.URL + "/version")
		if err != nil {
			t.Fatalf("%s: %v", version, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: GET /version = %s", version, resp.Status)
		}
	}
	if api.Rejected() != 0 {
		t.Errorf("the API stub rejected %d tokens", api.Rejected())
	}
}
