package e2e_test

import (
	"context"
	"strings"
	"testing"

	"github.com/docker/docker-credential-helpers/client"
	"github.com/docker/docker-credential-helpers/credentials"

	"github.com/keyfob/keyfob/e2e/servers"
)

// dockerProgram is the docker-credential-helpers client's program for the
// installed docker-credential-keyfob, in w's environment.
func dockerProgram(w *hostWorld, extra ...string) client.ProgramFunc {
	vars := map[string]string{}
	for _, kv := range w.env(extra...) {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	return client.NewShellProgramFuncWithEnv(w.helper("docker-credential-keyfob"), &vars)
}

// TestDockerCredentialHelper drives docker-credential-keyfob with the
// docker-credential-helpers client library, which the docker CLI uses:
// get for a registry a profile serves gives its token as the password of
// a plain user name; other registries are "not found"; list, erase and
// store behave as docker expects.
func TestDockerCredentialHelper(t *testing.T) {
	t.Parallel()
	w := newHostWorld(t)
	const registry = "registry.example.test"
	w.writeConfig(t, w.profile("registry", w.z.BasicClient, registry))
	prog := dockerProgram(w)

	for i := range 2 {
		creds, err := client.Get(prog, registry)
		if err != nil {
			t.Fatalf("get %d: %v", i, err)
		}
		if creds.ServerURL != registry || creds.Username != "oauth2" {
			t.Errorf("get %d: ServerURL %q, Username %q; want %q and oauth2 (never <token>)", i, creds.ServerURL, creds.Username, registry)
		}
		if err := w.check(context.Background(), creds.Secret); err != nil {
			t.Errorf("get %d: the secret is not a valid access token: %v", i, err)
		}
	}
	if n := w.z.TokenRequests(); n != 1 {
		t.Errorf("token requests = %d, want 1", n)
	}
	if _, err := client.Get(prog, "docker.io"); !credentials.IsErrCredentialsNotFound(err) {
		t.Errorf("get for an unserved registry: %v, want credentials not found", err)
	}
	list, err := client.List(prog)
	if err != nil || list[registry] != "oauth2" {
		t.Errorf("list = %v, %v", list, err)
	}
	if err := client.Erase(prog, registry); err != nil {
		t.Errorf("erase: %v", err)
	}
	if err := client.Store(prog, &credentials.Credentials{ServerURL: "docker.io", Username: "u", Secret: "s"}); err != nil {
		t.Errorf("store: %v", err)
	}
	if _, err := client.Get(prog, registry); err != nil {
		t.Errorf("get after erase: %v", err)
	}
	if n := w.z.TokenRequests(); n != 2 {
		t.Errorf("token requests = %d, want 2 (erase dropped the cached token)", n)
	}
}

// TestDockerAzureContainerRegistry exchanges the profile's token at a
// fake of ACR's documented /oauth2/exchange API and hands docker the ACR
// refresh token as an identity token (user name <token>).
func TestDockerAzureContainerRegistry(t *testing.T) {
	t.Parallel()
	w := newHostWorld(t)
	acr := servers.StartACR(t, w.check)
	w.writeConfig(t, w.profile("acr", w.z.BasicClient, acr.Host)+`preset = "acr"
tenant_id = "contoso.onmicrosoft.com"
`)
	prog := dockerProgram(w, "SSL_CERT_FILE="+acr.CAFile)
	for i := range 2 {
		creds, err := client.Get(prog, acr.Host)
		if err != nil {
			t.Fatalf("get %d: %v", i, err)
		}
		if creds.Username != "<token>" || creds.Secret != acr.RefreshToken {
			t.Errorf("get %d: Username %q, Secret %.12q…; want <token> and the ACR refresh token", i, creds.Username, creds.Secret)
		}
	}
	if acr.Accepted() != 1 || acr.Rejected() != 0 {
		t.Errorf("exchanges: %d accepted, %d rejected; want 1 (the second get is served from the cache)", acr.Accepted(), acr.Rejected())
	}
}
