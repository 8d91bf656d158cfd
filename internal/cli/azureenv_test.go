package cli

import (
	"maps"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
)

func TestExpandProfile(t *testing.T) {
	t.Parallel()
	const (
		publicHost = "https://login.microsoftonline.com"
		tenant     = "contoso.onmicrosoft.com"
		graph      = `["https://graph.microsoft.com/.default"]`
	)
	tests := map[string]struct {
		values  map[string]string
		env     map[string]string
		want    map[string]string
		wantErr string // substring of a configuration error
	}{
		// Presets.
		"graph preset fills scopes and hosts": {
			values: map[string]string{"provider": "client_credentials", "preset": "graph", "authority": publicHost + "/" + tenant},
			want: map[string]string{"provider": "client_credentials", "preset": "graph", "authority": publicHost + "/" + tenant,
				"scopes": graph, "hosts": `["graph.microsoft.com"]`},
		},
		"profile scopes and hosts win over the preset": {
			values: map[string]string{"provider": "device_code", "preset": "graph", "scopes": `["User.Read"]`, "hosts": `["example.com"]`},
			want:   map[string]string{"provider": "device_code", "preset": "graph", "scopes": `["User.Read"]`, "hosts": `["example.com"]`},
		},
		"resource keeps the preset's scopes out": {
			values: map[string]string{"provider": "client_credentials", "preset": "arm", "resource": "https://management.core.windows.net/"},
			want: map[string]string{"provider": "client_credentials", "preset": "arm", "resource": "https://management.core.windows.net/",
				"hosts": `["management.azure.com"]`},
		},
		"azure-devops fills git_username": {
			values: map[string]string{"provider": "device_code", "preset": "Azure-DevOps"},
			want: map[string]string{"provider": "device_code", "preset": "Azure-DevOps", "git_username": "azure-devops",
				"scopes": `["499b84ac-1321-427f-aa17-267ca6975798/.default"]`, "hosts": `["dev.azure.com","*.visualstudio.com"]`},
		},
		"profile git_username wins": {
			values: map[string]string{"provider": "device_code", "preset": "azure-devops", "git_username": "me", "scopes": `["x"]`, "hosts": `["h"]`},
			want:   map[string]string{"provider": "device_code", "preset": "azure-devops", "git_username": "me", "scopes": `["x"]`, "hosts": `["h"]`},
		},
		"aks has no hosts": {
			values: map[string]string{"provider": "device_code", "preset": "aks"},
			want:   map[string]string{"provider": "device_code", "preset": "aks", "scopes": `["6dae42f8-4368-4678-94ff-3960e28e3630/.default"]`},
		},
		"usgov graph via cloud, with the authority from tenant_id": {
			values: map[string]string{"provider": "client_credentials", "preset": "graph", "cloud": "usgov", "tenant_id": tenant},
			want: map[string]string{"provider": "client_credentials", "preset": "graph", "cloud": "usgov", "tenant_id": tenant,
				"authority": "https://login.microsoftonline.us/" + tenant,
				"scopes":    `["https://graph.microsoft.us/.default"]`, "hosts": `["graph.microsoft.us"]`},
		},
		"china arm inferred from the authority's host": {
			values: map[string]string{"provider": "client_credentials", "preset": "arm", "authority": "https://login.partner.microsoftonline.cn/t"},
			want: map[string]string{"provider": "client_credentials", "preset": "arm", "authority": "https://login.partner.microsoftonline.cn/t",
				"scopes": `["https://management.core.chinacloudapi.cn/.default"]`, "hosts": `["management.chinacloudapi.cn"]`},
		},
		"keyvault cloud from ARM_ENVIRONMENT": {
			values: map[string]string{"provider": "client_credentials", "preset": "keyvault", "token_url": "https://idp.example/t"},
			env:    map[string]string{"ARM_ENVIRONMENT": "usgovernment"},
			want: map[string]string{"provider": "client_credentials", "preset": "keyvault", "token_url": "https://idp.example/t",
				"scopes": `["https://vault.usgovcloudapi.net/.default"]`, "hosts": `["*.vault.usgovcloudapi.net"]`},
		},
		"unknown preset":              {values: map[string]string{"provider": "x", "preset": "grpah"}, wantErr: `unknown preset "grpah"`},
		"azure-devops is public only": {values: map[string]string{"provider": "x", "preset": "azure-devops", "cloud": "china", "tenant_id": "t"}, wantErr: "not available in the china cloud"},

		// Clouds and authorities.
		"tenant_id alone uses the public cloud": {
			values: map[string]string{"provider": "client_credentials", "tenant_id": tenant},
			want:   map[string]string{"provider": "client_credentials", "tenant_id": tenant, "authority": publicHost + "/" + tenant},
		},
		"tenant_id with cloud china": {
			values: map[string]string{"provider": "device_code", "tenant_id": "organizations", "cloud": "AzureChinaCloud"},
			want:   map[string]string{"provider": "device_code", "tenant_id": "organizations", "cloud": "AzureChinaCloud", "authority": "https://login.chinacloudapi.cn/organizations"},
		},
		"authority_host wins over cloud and AZURE_AUTHORITY_HOST": {
			values: map[string]string{"provider": "device_code", "tenant_id": "t", "cloud": "usgov", "authority_host": "https://login.microsoftonline.us/"},
			env:    map[string]string{"AZURE_AUTHORITY_HOST": "https://login.chinacloudapi.cn/"},
			want: map[string]string{"provider": "device_code", "tenant_id": "t", "cloud": "usgov", "authority_host": "https://login.microsoftonline.us/",
				"authority": "https://login.microsoftonline.us/t"},
		},
		"AZURE_AUTHORITY_HOST applies to any profile's tenant_id": {
			values: map[string]string{"provider": "workload_identity", "tenant_id": "t"},
			env:    map[string]string{"AZURE_AUTHORITY_HOST": "http://127.0.0.1:9/"},
			want:   map[string]string{"provider": "workload_identity", "tenant_id": "t", "authority": "http://127.0.0.1:9/t", "authority_host": "http://127.0.0.1:9/"},
		},
		"an authority of the profile's own is kept": {
			values: map[string]string{"provider": "client_credentials", "tenant_id": "t", "authority": "https://login.microsoftonline.com/other"},
			want:   map[string]string{"provider": "client_credentials", "tenant_id": "t", "authority": "https://login.microsoftonline.com/other"},
		},
		"token_url profiles get no authority": {
			values: map[string]string{"provider": "client_credentials", "tenant_id": "t", "token_url": "https://idp.example/token"},
			want:   map[string]string{"provider": "client_credentials", "tenant_id": "t", "token_url": "https://idp.example/token"},
		},
		"managed identity gets no authority": {
			values: map[string]string{"provider": "managed_identity", "tenant_id": "t"},
			want:   map[string]string{"provider": "managed_identity", "tenant_id": "t"},
		},
		"nothing Entra is left alone": {
			values: map[string]string{"provider": "password", "token_url": "https://idp.example/token", "username": "u"},
			env:    map[string]string{"AZURE_CLIENT_SECRET": "ignored", "AZURE_TENANT_ID": "ignored"},
			want:   map[string]string{"provider": "password", "token_url": "https://idp.example/token", "username": "u"},
		},
		"unknown cloud":               {values: map[string]string{"provider": "x", "cloud": "mars", "tenant_id": "t"}, wantErr: `unknown cloud "mars"`},
		"cloud without a tenant":      {values: map[string]string{"provider": "x", "cloud": "usgov"}, wantErr: "tenant_id is required"},
		"bad authority_host":          {values: map[string]string{"provider": "x", "tenant_id": "t", "authority_host": "login.microsoftonline.com"}, wantErr: "key authority_host"},
		"bad AZURE_AUTHORITY_HOST":    {values: map[string]string{"provider": "x", "tenant_id": "t"}, env: map[string]string{"AZURE_AUTHORITY_HOST": "https://h/with/path"}, wantErr: "AZURE_AUTHORITY_HOST"},
		"bad ARM_ENVIRONMENT":         {values: map[string]string{"provider": "x", "tenant_id": "t"}, env: map[string]string{"ARM_ENVIRONMENT": "german"}, wantErr: "ARM_ENVIRONMENT"},
		"preset needs a known cloud ": {values: map[string]string{"provider": "x", "preset": "graph", "cloud": "germany"}, wantErr: "unknown cloud"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			before := maps.Clone(tc.values)
			got, err := expandProfile(tc.values, func(k string) string { return tc.env[k] })
			if tc.wantErr != "" {
				if plugin.KindOf(err) != plugin.KindConfig || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("expandProfile() error = %v, want a configuration error containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("expandProfile() (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, tc.values); diff != "" {
				t.Errorf("expandProfile modified its input (-before +after):\n%s", diff)
			}
		})
	}
}

// TestExpandEnvironmentProvider: provider = "environment" takes the Azure
// SDKs' variables (AZURE_* over ARM_*), choosing the credential as
// EnvironmentCredential does, with secrets as references only.
func TestExpandEnvironmentProvider(t *testing.T) {
	t.Parallel()
	const tenant = "contoso.onmicrosoft.com"
	env := map[string]string{"AZURE_TENANT_ID": tenant, "AZURE_CLIENT_ID": "app"}
	with := func(kv ...string) map[string]string {
		out := maps.Clone(env)
		for i := 0; i+1 < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	ids := func(kv ...string) map[string]string {
		out := map[string]string{"provider": "environment", "tenant_id": tenant, "client_id": "app",
			"authority": "https://login.microsoftonline.com/" + tenant}
		for i := 0; i+1 < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	tests := map[string]struct {
		values map[string]string
		env    map[string]string
		want   map[string]string
	}{
		"client secret": {
			env:  with("AZURE_CLIENT_SECRET", "s3cret"),
			want: ids("client_secret", "env:AZURE_CLIENT_SECRET"),
		},
		"secret before certificate": {
			env:  with("AZURE_CLIENT_SECRET", "s3cret", "AZURE_CLIENT_CERTIFICATE_PATH", "/c.pfx"),
			want: ids("client_secret", "env:AZURE_CLIENT_SECRET"),
		},
		"certificate with its password": {
			env:  with("AZURE_CLIENT_CERTIFICATE_PATH", "/c.pfx", "AZURE_CLIENT_CERTIFICATE_PASSWORD", "pw"),
			want: ids("client_certificate", "/c.pfx", "client_certificate_password", "env:AZURE_CLIENT_CERTIFICATE_PASSWORD"),
		},
		"certificate before user": {
			env:  with("AZURE_CLIENT_CERTIFICATE_PATH", "/c.pem", "AZURE_USERNAME", "alice", "AZURE_PASSWORD", "pw"),
			want: ids("client_certificate", "/c.pem"),
		},
		"user and password": {
			env:  with("AZURE_USERNAME", "alice@contoso.com", "AZURE_PASSWORD", "pw"),
			want: ids("username", "alice@contoso.com", "password", "env:AZURE_PASSWORD"),
		},
		"user before federated token": {
			env:  with("AZURE_USERNAME", "alice", "AZURE_FEDERATED_TOKEN_FILE", "/t"),
			want: ids("username", "alice", "password", "env:AZURE_PASSWORD"),
		},
		"federated token file": {
			env:  with("AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/azure-identity-token"),
			want: ids("client_assertion_file", "/var/run/secrets/azure/tokens/azure-identity-token"),
		},
		"authority host, trailing slash dropped": {
			env: with("AZURE_CLIENT_SECRET", "s", "AZURE_AUTHORITY_HOST", "https://login.microsoftonline.us/"),
			want: ids("client_secret", "env:AZURE_CLIENT_SECRET",
				"authority", "https://login.microsoftonline.us/"+tenant),
		},
		"terraform names": {
			env: map[string]string{"ARM_TENANT_ID": tenant, "ARM_CLIENT_ID": "app", "ARM_CLIENT_SECRET": "s",
				"ARM_ENVIRONMENT": "china"},
			want: ids("client_secret", "env:ARM_CLIENT_SECRET", "authority", "https://login.chinacloudapi.cn/"+tenant),
		},
		"AZURE_ wins over ARM_, variable by variable": {
			env: map[string]string{"AZURE_TENANT_ID": tenant, "ARM_TENANT_ID": "other", "ARM_CLIENT_ID": "app",
				"AZURE_CLIENT_SECRET": "a", "ARM_CLIENT_SECRET": "b"},
			want: ids("client_secret", "env:AZURE_CLIENT_SECRET"),
		},
		"terraform secret file": {
			env:  map[string]string{"ARM_TENANT_ID": tenant, "ARM_CLIENT_ID": "app", "ARM_CLIENT_SECRET_FILE_PATH": "/run/secret"},
			want: ids("client_secret", "file:/run/secret"),
		},
		"terraform certificate": {
			env: map[string]string{"ARM_TENANT_ID": tenant, "ARM_CLIENT_ID": "app", "ARM_CLIENT_CERTIFICATE_PATH": "/c.pfx",
				"ARM_CLIENT_CERTIFICATE_PASSWORD": "pw"},
			want: ids("client_certificate", "/c.pfx", "client_certificate_password", "env:ARM_CLIENT_CERTIFICATE_PASSWORD"),
		},
		"terraform OIDC file needs ARM_USE_OIDC": {
			env:  map[string]string{"ARM_TENANT_ID": tenant, "ARM_CLIENT_ID": "app", "ARM_OIDC_TOKEN_FILE_PATH": "/oidc"},
			want: ids(),
		},
		"terraform OIDC file": {
			env:  map[string]string{"ARM_TENANT_ID": tenant, "ARM_CLIENT_ID": "app", "ARM_OIDC_TOKEN_FILE_PATH": "/oidc", "ARM_USE_OIDC": "true"},
			want: ids("client_assertion_file", "/oidc"),
		},
		"profile keys win": {
			values: map[string]string{"provider": "environment", "client_id": "from-profile", "scopes": `["api://x/.default"]`},
			env:    with("AZURE_CLIENT_SECRET", "s"),
			want:   ids("client_id", "from-profile", "client_secret", "env:AZURE_CLIENT_SECRET", "scopes", `["api://x/.default"]`),
		},
		"with a preset": {
			values: map[string]string{"provider": "environment", "preset": "arm"},
			env:    with("AZURE_CLIENT_SECRET", "s"),
			want: ids("client_secret", "env:AZURE_CLIENT_SECRET", "preset", "arm",
				"scopes", `["https://management.azure.com/.default"]`, "hosts", `["management.azure.com"]`),
		},
		"nothing set": {
			env:  map[string]string{},
			want: map[string]string{"provider": "environment"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			values := tc.values
			if values == nil {
				values = map[string]string{"provider": "environment"}
			}
			got, err := expandProfile(values, func(k string) string { return tc.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("expandProfile() (-want +got):\n%s", diff)
			}
			for k, v := range got {
				for _, secret := range []string{"s3cret", "pw"} {
					if v == secret {
						t.Errorf("key %s holds a secret value; want a reference", k)
					}
				}
			}
		})
	}
}
