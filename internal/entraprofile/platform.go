package entraprofile

import "strings"

// Provider names of the platform-credential providers (their packages'
// Name constants; spelled out so the host does not link them).
const (
	workloadIdentityProvider = "workload_identity"
	managedIdentityProvider  = "managed_identity"
	azureCLIProvider         = "azure_cli"
)

// imdsTokenPath is the IMDS token path, appended to
// AZURE_POD_IDENTITY_AUTHORITY_HOST as azidentity does.
const imdsTokenPath = "/metadata/identity/oauth2/token"

// PlatformDefaults returns defaults for the profile keys of a platform-credential
// provider, read from the variables the Azure platforms set (AKS workload
// identity, GitHub Actions, Azure Pipelines, App Service and Functions,
// aad-pod-identity, the Azure CLI). Plugins run with a restricted
// environment, so the host reads these variables and sends keys instead.
// Profile keys win over these defaults.
//
// A secret is never returned as a value: it is an "env:NAME" reference,
// which the host resolves like any other, so no secret appears in a
// profile, a cache key or a log line. Other providers get nil.
func PlatformDefaults(provider string, getenv func(string) string) map[string]string {
	out := map[string]string{}
	switch provider {
	case workloadIdentityProvider:
		workloadIdentityEnv(out, getenv)
	case managedIdentityProvider:
		managedIdentityEnv(out, getenv)
	case azureCLIProvider:
		setIf(out, "azure_config_dir", getenv("AZURE_CONFIG_DIR"))
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// workloadIdentityEnv maps the federated-credential variables. One
// assertion source is mapped, in azidentity's order: the token file of the
// AKS webhook, then GitHub Actions, then an Azure Pipelines service
// connection. The provider infers the file and GitHub sources from their
// keys; Azure Pipelines is named, since its service connection id may
// come from the profile.
func workloadIdentityEnv(out map[string]string, getenv func(string) string) {
	setIf(out, "client_id", getenv("AZURE_CLIENT_ID"))
	setIf(out, "tenant_id", getenv("AZURE_TENANT_ID"))
	setIf(out, "authority_host", getenv("AZURE_AUTHORITY_HOST"))
	switch {
	case getenv("AZURE_FEDERATED_TOKEN_FILE") != "":
		out["client_assertion_file"] = getenv("AZURE_FEDERATED_TOKEN_FILE")
	case getenv("ACTIONS_ID_TOKEN_REQUEST_URL") != "" && getenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN") != "":
		out["oidc_request_url"] = getenv("ACTIONS_ID_TOKEN_REQUEST_URL")
		out["oidc_request_token"] = "env:ACTIONS_ID_TOKEN_REQUEST_TOKEN"
	case getenv("SYSTEM_OIDCREQUESTURI") != "" && getenv("SYSTEM_ACCESSTOKEN") != "":
		out["federated_token_source"] = "azure_pipelines"
		out["oidc_request_url"] = getenv("SYSTEM_OIDCREQUESTURI")
		out["oidc_request_token"] = "env:SYSTEM_ACCESSTOKEN"
		setIf(out, "service_connection_id", getenv("AZURESUBSCRIPTION_SERVICE_CONNECTION_ID"))
		// The AzureCLI@2 and AzurePowerShell@5 tasks describe their
		// service connection in these.
		setIfUnset(out, "client_id", getenv("AZURESUBSCRIPTION_CLIENT_ID"))
		setIfUnset(out, "tenant_id", getenv("AZURESUBSCRIPTION_TENANT_ID"))
	}
}

// managedIdentityEnv maps the managed-identity endpoints, as MSAL detects
// them: App Service and Functions (IDENTITY_ENDPOINT with
// IDENTITY_HEADER), else the legacy MSI_ENDPOINT with MSI_SECRET (App
// Service 2017-09-01, Azure Machine Learning). Service Fabric (which adds
// IDENTITY_SERVER_THUMBPRINT) and Azure Arc (IDENTITY_ENDPOINT without
// IDENTITY_HEADER) are not supported and are not mapped. An
// aad-pod-identity AZURE_POD_IDENTITY_AUTHORITY_HOST overrides IMDS.
func managedIdentityEnv(out map[string]string, getenv func(string) string) {
	switch {
	case getenv("IDENTITY_ENDPOINT") != "" && getenv("IDENTITY_HEADER") != "" && getenv("IDENTITY_SERVER_THUMBPRINT") == "":
		out["identity_endpoint"] = getenv("IDENTITY_ENDPOINT")
		out["identity_secret"] = "env:IDENTITY_HEADER"
	case getenv("MSI_ENDPOINT") != "" && getenv("MSI_SECRET") != "":
		out["managed_identity_source"] = "app_service_2017"
		out["identity_endpoint"] = getenv("MSI_ENDPOINT")
		out["identity_secret"] = "env:MSI_SECRET"
	}
	if host := getenv("AZURE_POD_IDENTITY_AUTHORITY_HOST"); host != "" {
		out["imds_endpoint"] = strings.TrimRight(host, "/") + imdsTokenPath
	}
}

// setIf sets key to v when v is not empty.
func setIf(out map[string]string, key, v string) {
	if v != "" {
		out[key] = v
	}
}

// setIfUnset sets key to v when v is not empty and key is not set yet.
func setIfUnset(out map[string]string, key, v string) {
	if out[key] == "" {
		setIf(out, key, v)
	}
}
