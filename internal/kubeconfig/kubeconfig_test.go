package kubeconfig

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/keyfob/keyfob/host/kubectl"
	"github.com/keyfob/keyfob/internal/golden"
)

func TestUsersEntry(t *testing.T) {
	t.Parallel()
	for name, version := range map[string]string{"users_entry_v1": kubectl.V1, "users_entry_v1beta1": kubectl.V1beta1} {
		out, err := UsersEntry("aks", KeyfobExec("keyfob", version, "-p", "aks"))
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, name, out)
	}
}

func TestConvert(t *testing.T) {
	t.Parallel()
	in, err := os.ReadFile("testdata/kubelogin.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out, changes, err := Convert(in, "keyfob")
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "kubelogin_converted", out)
	want := []Change{
		{User: "clusterUser_rg_aks", From: "Azure/kubelogin", Ignored: []string{"--token-cache-dir"}},
		{User: "ci", From: "Azure/kubelogin"},
		{User: "pop", From: "Azure/kubelogin", Skipped: "proof-of-possession tokens (--pop-enabled) are not supported"},
		{User: "oidc", From: "int128/kubelogin", Ignored: []string{"--listen-address"}},
		{User: "oidc-device", From: "int128/kubelogin"},
	}
	if diff := cmp.Diff(want, changes); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if strings.Contains(out2args(t, out), "s3cret") {
		t.Error("a literal secret is still on the command line")
	}
	again, changes, err := Convert(out, "keyfob")
	if err != nil || string(again) != string(out) || len(changes) != 1 || changes[0].Skipped == "" {
		t.Errorf("converting twice changed the file or converted again: %v, %+v", err, changes)
	}
}

// out2args returns every exec args list of a kubeconfig, joined.
func out2args(t *testing.T, out []byte) string {
	t.Helper()
	var doc struct {
		Users []struct {
			User struct {
				Exec *Exec `yaml:"exec"`
			} `yaml:"user"`
		} `yaml:"users"`
	}
	if err := yaml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, u := range doc.Users {
		if u.User.Exec != nil {
			all = append(all, u.User.Exec.Args...)
		}
	}
	return strings.Join(all, " ")
}

func TestConvertOne(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		command string
		args    []string
		want    []string
		wantEnv []EnvVar
		skipped string
	}{
		"azure default login": {command: "kubelogin", args: []string{"get-token", "--server-id", "S", "--tenant-id", "T"},
			want: []string{"kubectl", "--provider=device_code", "--tenant-id=T", "--client-id=" + aksClientID, "--cloud=", "--scope=S/.default"}},
		"azure interactive, china": {command: "kubelogin.exe", args: []string{"get-token", "-l", "interactive", "-e", "AzureChinaCloud", "--server-id=S", "-t", "T", "--client-id", "C"},
			want: []string{"kubectl", "--provider=authorization_code", "--tenant-id=T", "--client-id=C", "--cloud=china", "--scope=S/.default"}},
		"azure spn from env": {command: "kubelogin", args: []string{"get-token", "-l", "spn", "--server-id", "S", "-t", "T", "--client-id", "C"},
			want: []string{"kubectl", "--provider=client_credentials", "--tenant-id=T", "--client-id=C", "--client-secret=env:AAD_SERVICE_PRINCIPAL_CLIENT_SECRET", "--cloud=", "--scope=S/.default"}},
		"azure spn certificate": {command: "kubelogin", args: []string{"get-token", "-l", "spn", "--server-id", "S", "-t", "T", "--client-id", "C", "--client-certificate", "/c.pfx", "--client-certificate-password", "pw"},
			want:    []string{"kubectl", "--provider=client_credentials", "--tenant-id=T", "--client-id=C", "--client-certificate=/c.pfx", "--client-certificate-password=env:KEYFOB_CLIENT_CERTIFICATE_PASSWORD", "--cloud=", "--scope=S/.default"},
			wantEnv: []EnvVar{{"KEYFOB_CLIENT_CERTIFICATE_PASSWORD", "pw"}}},
		"azure ropc": {command: "kubelogin", args: []string{"get-token", "-l", "ropc", "--server-id", "S", "-t", "T", "--username", "u@contoso.com"},
			want: []string{"kubectl", "--provider=password", "--tenant-id=T", "--client-id=" + aksClientID, "--username=u@contoso.com", "--password=env:AAD_USER_PRINCIPAL_PASSWORD", "--cloud=", "--scope=S/.default"}},
		"azure msi": {command: "kubelogin", args: []string{"get-token", "-l", "msi", "--server-id", "S", "--client-id", "C"},
			want: []string{"kubectl", "--provider=managed_identity", "--client-id=C", "--scope=S/.default"}},
		"azure cli": {command: "kubelogin", args: []string{"get-token", "-l", "azurecli", "--server-id", "S"},
			want: []string{"kubectl", "--provider=azure_cli", "--scope=S/.default"}},
		"azure workload identity": {command: "kubelogin", args: []string{"get-token", "-l", "workloadidentity", "--server-id", "S", "--federated-token-file", "/var/run/t"},
			want: []string{"kubectl", "--provider=workload_identity", "--client-assertion-file=/var/run/t", "--scope=S/.default"}},
		"azure no server id":  {command: "kubelogin", args: []string{"get-token", "-t", "T"}, skipped: "no --server-id"},
		"azure no tenant":     {command: "kubelogin", args: []string{"get-token", "--server-id", "S"}, skipped: "no --tenant-id"},
		"azure unknown login": {command: "kubelogin", args: []string{"get-token", "-l", "azd", "--server-id", "S"}, skipped: "azd"},
		"azure stack cloud":   {command: "kubelogin", args: []string{"get-token", "-e", "AzureStackCloud", "--server-id", "S", "-t", "T"}, skipped: "AzureStackCloud"},
		"int128 password": {command: "kubectl", args: []string{"oidc-login", "get-token", "--oidc-issuer-url=https://i", "--oidc-client-id=k", "--username", "u", "--password", "p"},
			want:    []string{"kubectl", "--provider=password", "--issuer=https://i", "--client-id=k", "--username=u", "--password=env:KEYFOB_PASSWORD", "--scope=openid", "--use-id-token=true"},
			wantEnv: []EnvVar{{"KEYFOB_PASSWORD", "p"}}},
		"int128 client credentials": {command: "kubectl-oidc_login", args: []string{"get-token", "--oidc-issuer-url=https://i", "--oidc-client-id=k", "--oidc-client-secret=env:S", "--grant-type=client-credentials", "--oidc-extra-scope=api"},
			want: []string{"kubectl", "--provider=client_credentials", "--issuer=https://i", "--client-id=k", "--client-secret=env:S", "--scope=api"}},
		"int128 prompt for password": {command: "kubectl", args: []string{"oidc-login", "get-token", "--oidc-issuer-url=https://i", "--oidc-client-id=k", "--grant-type=password"}, skipped: "prompt"},
		"int128 ca data":             {command: "kubectl", args: []string{"oidc-login", "get-token", "--oidc-issuer-url=https://i", "--oidc-client-id=k", "--certificate-authority-data=LS0t"}, skipped: "certificate-authority-data"},
		"int128 token exchange":      {command: "kubectl", args: []string{"oidc-login", "get-token", "--oidc-issuer-url=https://i", "--oidc-client-id=k", "--grant-type=token-exchange"}, skipped: "token-exchange"},
		"int128 no issuer":           {command: "kubectl", args: []string{"oidc-login", "get-token", "--oidc-client-id=k"}, skipped: "no --oidc-issuer-url"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			conv, args := detect(Exec{Command: tc.command, Args: tc.args})
			if conv == nil {
				t.Fatalf("not detected")
			}
			c, err := conv.convert(parseFlags(args, conv.boolFlags, conv.aliases))
			if tc.skipped != "" {
				if err == nil || !strings.Contains(err.Error(), tc.skipped) {
					t.Fatalf("err = %v, want one mentioning %q", err, tc.skipped)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := append([]string{"kubectl"}, c.args...)
			want := tc.want
			if diff := cmp.Diff(dropEmpty(want), got); diff != "" {
				t.Errorf("args (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantEnv, c.env); diff != "" {
				t.Errorf("env (-want +got):\n%s", diff)
			}
		})
	}
}

// dropEmpty removes "--key=" entries from a want list: set skips empty
// values.
func dropEmpty(args []string) []string {
	var out []string
	for _, a := range args {
		if !strings.HasSuffix(a, "=") {
			out = append(out, a)
		}
	}
	return out
}

func TestDetectIgnoresOthers(t *testing.T) {
	t.Parallel()
	for _, e := range []Exec{
		{Command: "gke-gcloud-auth-plugin"},
		{Command: "keyfob", Args: []string{"kubectl", "-p", "aks"}},
		{Command: "kubectl", Args: []string{"oidc-login", "setup"}},
		{Command: "kubelogin", Args: []string{"convert-kubeconfig"}},
		{Command: "aws", Args: []string{"eks", "get-token"}},
	} {
		if c, _ := detect(e); c != nil {
			t.Errorf("detect(%+v) = %s", e, c.name)
		}
	}
}

func TestConvertWithoutUsers(t *testing.T) {
	t.Parallel()
	in := []byte("apiVersion: v1\nkind: Config\n")
	out, changes, err := Convert(in, "keyfob")
	if err != nil || string(out) != string(in) || changes != nil {
		t.Errorf("Convert = %q, %v, %v", out, changes, err)
	}
	if _, _, err := Convert([]byte("users: [\n"), "keyfob"); err == nil {
		t.Error("a malformed file converted")
	}
}

func TestExecVersionsAreKubectls(t *testing.T) {
	t.Parallel()
	if ExecV1 != kubectl.V1 || ExecV1beta1 != kubectl.V1beta1 {
		t.Errorf("exec versions %q, %q; host/kubectl answers %q, %q", ExecV1, ExecV1beta1, kubectl.V1, kubectl.V1beta1)
	}
}
