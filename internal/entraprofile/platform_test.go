package entraprofile

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/plugin/providers/azurecli"
	"github.com/keyfob/keyfob/plugin/providers/managedidentity"
	"github.com/keyfob/keyfob/plugin/providers/workloadidentity"
)

func TestPlatformEnv(t *testing.T) {
	t.Parallel()
	aks := map[string]string{
		"AZURE_CLIENT_ID": "cid", "AZURE_TENANT_ID": "tid", "AZURE_AUTHORITY_HOST": "https://login.microsoftonline.com/",
		"AZURE_FEDERATED_TOKEN_FILE": "/var/run/secrets/azure/tokens/azure-identity-token",
	}
	github := map[string]string{
		"AZURE_CLIENT_ID": "cid", "AZURE_TENANT_ID": "tid",
		"ACTIONS_ID_TOKEN_REQUEST_URL":   "https://pipelines.actions.githubusercontent.com/abc/_apis/token?api-version=2.0",
		"ACTIONS_ID_TOKEN_REQUEST_TOKEN": "gh-secret",
	}
	pipelines := map[string]string{
		"SYSTEM_OIDCREQUESTURI": "https://dev.azure.com/org/proj/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken",
		"SYSTEM_ACCESSTOKEN":    "ado-secret", "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID": "sc-1",
		"AZURESUBSCRIPTION_CLIENT_ID": "sc-cid", "AZURESUBSCRIPTION_TENANT_ID": "sc-tid",
	}
	tests := map[string]struct {
		provider string
		env      map[string]string
		want     map[string]string
	}{
		"workload identity, nothing set": {provider: "workload_identity", env: nil, want: nil},
		"workload identity, AKS webhook": {provider: "workload_identity", env: aks, want: map[string]string{
			"client_id": "cid", "tenant_id": "tid", "authority_host": "https://login.microsoftonline.com/",
			"client_assertion_file": "/var/run/secrets/azure/tokens/azure-identity-token",
		}},
		"workload identity, GitHub Actions": {provider: "workload_identity", env: github, want: map[string]string{
			"client_id": "cid", "tenant_id": "tid",
			"oidc_request_url":   "https://pipelines.actions.githubusercontent.com/abc/_apis/token?api-version=2.0",
			"oidc_request_token": "env:ACTIONS_ID_TOKEN_REQUEST_TOKEN",
		}},
		"workload identity, GitHub without id-token permission": {provider: "workload_identity",
			env: map[string]string{"ACTIONS_ID_TOKEN_REQUEST_URL": "https://x/y"}, want: nil},
		"workload identity, Azure Pipelines": {provider: "workload_identity", env: pipelines, want: map[string]string{
			"federated_token_source": "azure_pipelines", "client_id": "sc-cid", "tenant_id": "sc-tid",
			"oidc_request_url":      "https://dev.azure.com/org/proj/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken",
			"oidc_request_token":    "env:SYSTEM_ACCESSTOKEN",
			"service_connection_id": "sc-1",
		}},
		"workload identity, Azure Pipelines, AZURE_CLIENT_ID wins": {provider: "workload_identity",
			env: mergeEnv(pipelines, map[string]string{"AZURE_CLIENT_ID": "cid"}), want: map[string]string{
				"federated_token_source": "azure_pipelines", "client_id": "cid", "tenant_id": "sc-tid",
				"oidc_request_url":      "https://dev.azure.com/org/proj/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken",
				"oidc_request_token":    "env:SYSTEM_ACCESSTOKEN",
				"service_connection_id": "sc-1",
			}},
		"workload identity, the file wins over GitHub": {provider: "workload_identity", env: mergeEnv(github, aks), want: map[string]string{
			"client_id": "cid", "tenant_id": "tid", "authority_host": "https://login.microsoftonline.com/",
			"client_assertion_file": "/var/run/secrets/azure/tokens/azure-identity-token",
		}},
		"managed identity, IMDS": {provider: "managed_identity", env: map[string]string{"AZURE_CLIENT_ID": "not-for-mi"}, want: nil},
		"managed identity, App Service": {provider: "managed_identity",
			env:  map[string]string{"IDENTITY_ENDPOINT": "http://127.0.0.1:41741/msi/token", "IDENTITY_HEADER": "hdr-secret"},
			want: map[string]string{"identity_endpoint": "http://127.0.0.1:41741/msi/token", "identity_secret": "env:IDENTITY_HEADER"}},
		"managed identity, legacy MSI_ENDPOINT": {provider: "managed_identity",
			env: map[string]string{"MSI_ENDPOINT": "http://127.0.0.1:41741/MSI/token/", "MSI_SECRET": "msi-secret"},
			want: map[string]string{"managed_identity_source": "app_service_2017", "identity_endpoint": "http://127.0.0.1:41741/MSI/token/",
				"identity_secret": "env:MSI_SECRET"}},
		"managed identity, App Service wins over MSI_ENDPOINT": {provider: "managed_identity",
			env:  map[string]string{"IDENTITY_ENDPOINT": "http://127.0.0.1:1/a", "IDENTITY_HEADER": "h", "MSI_ENDPOINT": "http://127.0.0.1:1/b", "MSI_SECRET": "s"},
			want: map[string]string{"identity_endpoint": "http://127.0.0.1:1/a", "identity_secret": "env:IDENTITY_HEADER"}},
		"managed identity, Service Fabric is not mapped": {provider: "managed_identity",
			env:  map[string]string{"IDENTITY_ENDPOINT": "https://10.0.0.4:2377/metadata/identity/oauth2/token", "IDENTITY_HEADER": "h", "IDENTITY_SERVER_THUMBPRINT": "ab"},
			want: nil},
		"managed identity, Arc is not mapped": {provider: "managed_identity",
			env: map[string]string{"IDENTITY_ENDPOINT": "http://localhost:40342/metadata/identity/oauth2/token", "IMDS_ENDPOINT": "http://localhost:40342"}, want: nil},
		"managed identity, pod identity host": {provider: "managed_identity",
			env:  map[string]string{"AZURE_POD_IDENTITY_AUTHORITY_HOST": "http://169.254.169.254/"},
			want: map[string]string{"imds_endpoint": "http://169.254.169.254/metadata/identity/oauth2/token"}},
		"azure cli": {provider: "azure_cli", env: map[string]string{"AZURE_CONFIG_DIR": "/home/u/.azure-work", "AZURE_TENANT_ID": "tid"},
			want: map[string]string{"azure_config_dir": "/home/u/.azure-work"}},
		"azure cli, nothing set": {provider: "azure_cli", env: nil, want: nil},
		"other provider":         {provider: "client_credentials", env: mergeEnv(aks, github), want: nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			getenv := func(k string) string { return tc.env[k] }
			got := PlatformDefaults(tc.provider, getenv)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("PlatformDefaults (-want +got):\n%s", diff)
			}
			for k, v := range got {
				if !config.Known(k) {
					t.Errorf("key %s is not a configuration key", k)
				}
				if config.IsSecret(k) != strings.HasPrefix(v, "env:") {
					t.Errorf("key %s = %q: a secret key must be an env: reference, and only a secret key", k, v)
				}
				for _, secret := range []string{"gh-secret", "ado-secret", "hdr-secret", "msi-secret"} {
					if strings.Contains(v, secret) {
						t.Errorf("key %s holds a secret value", k)
					}
				}
			}
		})
	}
}

// TestPlatformEnvProviderNames checks the names against the providers'.
func TestPlatformEnvProviderNames(t *testing.T) {
	t.Parallel()
	if workloadIdentityProvider != workloadidentity.Name || managedIdentityProvider != managedidentity.Name || azureCLIProvider != azurecli.Name {
		t.Errorf("provider names differ from the providers' Name constants")
	}
}

func mergeEnv(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}
