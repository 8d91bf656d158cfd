package entraprofile

import (
	"strconv"
	"strings"
)

// The Azure SDKs' environment variables (azidentity.go) that
// provider = "environment" reads, and Terraform azurerm's ARM_*
// equivalents. For each key an AZURE_* variable wins over its ARM_* one.
const (
	EnvTenantID           = "AZURE_TENANT_ID"
	EnvClientID           = "AZURE_CLIENT_ID"
	EnvClientSecret       = "AZURE_CLIENT_SECRET"
	EnvCertificatePath    = "AZURE_CLIENT_CERTIFICATE_PATH"
	EnvCertificatePass    = "AZURE_CLIENT_CERTIFICATE_PASSWORD"
	EnvFederatedTokenFile = "AZURE_FEDERATED_TOKEN_FILE"
	EnvUsername           = "AZURE_USERNAME"
	EnvPassword           = "AZURE_PASSWORD"
	EnvAuthorityHost      = "AZURE_AUTHORITY_HOST"

	ArmTenantID         = "ARM_TENANT_ID"
	ArmClientID         = "ARM_CLIENT_ID"
	ArmClientSecret     = "ARM_CLIENT_SECRET"
	ArmClientSecretFile = "ARM_CLIENT_SECRET_FILE_PATH"
	ArmCertificatePath  = "ARM_CLIENT_CERTIFICATE_PATH"
	ArmCertificatePass  = "ARM_CLIENT_CERTIFICATE_PASSWORD"
	ArmOIDCTokenFile    = "ARM_OIDC_TOKEN_FILE_PATH"
	ArmUseOIDC          = "ARM_USE_OIDC"
	ArmEnvironment      = "ARM_ENVIRONMENT"
)

// DefaultAuthorityHost is the authority host when neither the profile nor
// the environment names one.
const DefaultAuthorityHost = "https://login.microsoftonline.com"

// envReader reads the environment; an empty value counts as unset.
type envReader func(string) string

// first returns the name and value of the first of names that is set.
func (get envReader) first(names ...string) (name, value string) {
	for _, n := range names {
		if v := strings.TrimSpace(get(n)); v != "" {
			return n, v
		}
	}
	return "", ""
}

// bool reads a boolean variable; unset or unparsable is false.
func (get envReader) bool(name string) bool {
	b, err := strconv.ParseBool(strings.TrimSpace(get(name)))
	return err == nil && b
}

// fromEnvironment returns the keys provider = "environment" takes from
// the environment: tenant_id, client_id and one credential, chosen as
// azidentity's EnvironmentCredential does (client secret, then client
// certificate, then user name and password), then a federated token file
// as DefaultAzureCredential's workload identity would. Secrets are env: or
// file: references, never values. The authority is derived later, like
// any profile's.
func fromEnvironment(get envReader) map[string]string {
	out := map[string]string{}
	if _, v := get.first(EnvTenantID, ArmTenantID); v != "" {
		out[KeyTenantID] = v
	}
	if _, v := get.first(EnvClientID, ArmClientID); v != "" {
		out[KeyClientID] = v
	}
	credentialFromEnvironment(get, out)
	return out
}

// credentialFromEnvironment adds the first credential the environment
// offers to out.
func credentialFromEnvironment(get envReader, out map[string]string) {
	if name, _ := get.first(EnvClientSecret, ArmClientSecret); name != "" {
		out["client_secret"] = "env:" + name
		return
	}
	if _, path := get.first(ArmClientSecretFile); path != "" {
		out["client_secret"] = "file:" + path
		return
	}
	if _, path := get.first(EnvCertificatePath, ArmCertificatePath); path != "" {
		out["client_certificate"] = path
		if name, _ := get.first(EnvCertificatePass, ArmCertificatePass); name != "" {
			out["client_certificate_password"] = "env:" + name
		}
		return
	}
	if _, user := get.first(EnvUsername); user != "" {
		out["username"] = user
		out["password"] = "env:" + EnvPassword // a missing one is reported when resolved
		return
	}
	if path := federatedTokenFile(get); path != "" {
		out["client_assertion_file"] = path
	}
}

// federatedTokenFile is AZURE_FEDERATED_TOKEN_FILE, else Terraform's
// ARM_OIDC_TOKEN_FILE_PATH when ARM_USE_OIDC is true (azurerm ignores the
// file otherwise).
func federatedTokenFile(get envReader) string {
	if _, path := get.first(EnvFederatedTokenFile); path != "" {
		return path
	}
	if get.bool(ArmUseOIDC) {
		_, path := get.first(ArmOIDCTokenFile)
		return path
	}
	return ""
}
