package kubeconfig

import (
	"errors"
	"fmt"
	"path"
	"strings"
)

// converter converts one kind of exec plugin.
type converter struct {
	name      string
	boolFlags map[string]bool
	aliases   map[string]string
	convert   func(flagSet) (conversion, error)
}

// detect recognises an exec entry that runs Azure/kubelogin or
// int128/kubelogin, and returns the converter and the flags after the
// subcommand.
func detect(e Exec) (*converter, []string) {
	base := path.Base(strings.ReplaceAll(e.Command, `\`, "/"))
	base = strings.TrimSuffix(strings.TrimSuffix(base, ".exe"), ".EXE")
	args := e.Args
	switch {
	case base == "kubectl" && len(args) >= 2 && args[0] == "oidc-login" && args[1] == "get-token":
		return &int128Kubelogin, args[2:]
	case base == "kubectl-oidc_login" && len(args) >= 1 && args[0] == "get-token":
		return &int128Kubelogin, args[1:]
	case base == "kubelogin" && len(args) >= 1 && args[0] == "get-token":
		for _, a := range args {
			if a == "--oidc-issuer-url" || strings.HasPrefix(a, "--oidc-issuer-url=") {
				return &int128Kubelogin, args[1:]
			}
		}
		return &azureKubelogin, args[1:]
	}
	return nil, nil
}

// aksClientID is the Azure Kubernetes Service AAD client that
// Azure/kubelogin uses for devicecode, interactive and ropc when no
// --client-id is given.
const aksClientID = "80faf920-1908-4b52-b5ef-a8e7bedfc67a"

// azureClouds maps kubelogin's --environment to keyfob's cloud.
var azureClouds = map[string]string{
	"AzurePublicCloud": "", "AzureUSGovernmentCloud": "usgov", "AzureChinaCloud": "china",
}

var azureKubelogin = converter{
	name:      "Azure/kubelogin",
	boolFlags: map[string]bool{"legacy": true, "pop-enabled": true, "use-azurerm-env-vars": true},
	aliases:   map[string]string{"l": "login", "t": "tenant-id", "e": "environment"},
	convert:   convertAzure,
}

// azureProviders maps kubelogin's --login to keyfob's provider.
var azureProviders = map[string]string{
	"devicecode": "device_code", "interactive": "authorization_code", "spn": "client_credentials",
	"ropc": "password", "msi": "managed_identity", "azurecli": "azure_cli", "workloadidentity": "workload_identity",
}

// azureKnown are the kubelogin flags convertAzure reads; any other is
// dropped and reported.
var azureKnown = map[string]bool{
	"login": true, "tenant-id": true, "environment": true, "server-id": true, "client-id": true,
	"client-secret": true, "client-certificate": true, "client-certificate-password": true,
	"username": true, "password": true, "identity-resource-id": true, "federated-token-file": true,
	"authority-host": true, "legacy": true, "pop-enabled": true, "pop-claims": true, "use-azurerm-env-vars": true,
}

// convertAzure converts Azure/kubelogin get-token flags.
func convertAzure(f flagSet) (conversion, error) {
	var c conversion
	switch {
	case f.isTrue("pop-enabled"):
		return c, errors.New("proof-of-possession tokens (--pop-enabled) are not supported")
	case f.isTrue("legacy"):
		return c, errors.New("--legacy tokens are not supported")
	case f.isTrue("use-azurerm-env-vars"):
		return c, errors.New("--use-azurerm-env-vars is not supported; use a profile with provider = \"environment\"")
	}
	login := f.get("login")
	if login == "" {
		login = "devicecode"
	}
	provider, ok := azureProviders[login]
	if !ok {
		return c, fmt.Errorf("login method %q is not supported", login)
	}
	cloud, ok := azureClouds[f.get("environment")]
	if f.has("environment") && !ok {
		return c, fmt.Errorf("environment %q is not supported", f.get("environment"))
	}
	server := f.get("server-id")
	if server == "" {
		return c, errors.New("no --server-id")
	}
	c.set("provider", provider)
	if err := azureCredentials(&c, f, login); err != nil {
		return conversion{}, err
	}
	if f.has("tenant-id") {
		c.set("cloud", cloud)
	}
	c.set("scope", strings.TrimSuffix(server, "/.default")+"/.default")
	c.ignored = f.unknown(azureKnown)
	return c, nil
}

// azureCredentials sets the tenant, client and secret keys of a login
// method.
func azureCredentials(c *conversion, f flagSet, login string) error {
	tenant, client := f.get("tenant-id"), f.get("client-id")
	switch login {
	case "devicecode", "interactive", "ropc", "spn":
		if tenant == "" {
			return fmt.Errorf("no --tenant-id (kubelogin would read it from the environment)")
		}
	}
	switch login {
	case "devicecode", "interactive":
		c.set("tenant-id", tenant)
		c.set("client-id", firstOf(client, aksClientID))
	case "ropc":
		if f.get("username") == "" {
			return errors.New("no --username (kubelogin would read it from the environment)")
		}
		c.set("tenant-id", tenant)
		c.set("client-id", firstOf(client, aksClientID))
		c.set("username", f.get("username"))
		c.secret("password", firstOf(f.get("password"), "env:AAD_USER_PRINCIPAL_PASSWORD"), "KEYFOB_PASSWORD")
	case "spn":
		if client == "" {
			return errors.New("no --client-id (kubelogin would read it from the environment)")
		}
		c.set("tenant-id", tenant)
		c.set("client-id", client)
		if cert := f.get("client-certificate"); cert != "" {
			c.set("client-certificate", cert)
			c.secret("client-certificate-password", f.get("client-certificate-password"), "KEYFOB_CLIENT_CERTIFICATE_PASSWORD")
		} else {
			c.secret("client-secret", firstOf(f.get("client-secret"), "env:AAD_SERVICE_PRINCIPAL_CLIENT_SECRET"), "KEYFOB_CLIENT_SECRET")
		}
	case "msi":
		c.set("client-id", client)
		c.set("msi-res-id", f.get("identity-resource-id"))
	case "azurecli":
		c.set("tenant-id", tenant)
	case "workloadidentity":
		c.set("tenant-id", tenant)
		c.set("client-id", client)
		c.set("client-assertion-file", f.get("federated-token-file"))
		c.set("authority-host", f.get("authority-host"))
	}
	return nil
}

var int128Kubelogin = converter{
	name: "int128/kubelogin",
	boolFlags: map[string]bool{"oidc-use-pkce": true, "oidc-use-access-token": true, "force-refresh": true,
		"force-keyring": true, "no-keyring": true, "skip-open-browser": true, "insecure-skip-tls-verify": true},
	convert: convertInt128,
}

// int128Providers maps --grant-type to keyfob's provider.
var int128Providers = map[string]string{
	"authcode": "authorization_code", "authcode-keyboard": "authorization_code", "device-code": "device_code",
	"password": "password", "client-credentials": "client_credentials",
}

// int128Known are the kubelogin flags convertInt128 reads.
var int128Known = map[string]bool{
	"oidc-issuer-url": true, "oidc-client-id": true, "oidc-client-secret": true, "oidc-extra-scope": true,
	"oidc-use-access-token": true, "grant-type": true, "username": true, "password": true,
	"certificate-authority": true, "certificate-authority-data": true, "insecure-skip-tls-verify": true,
	"oidc-redirect-url": true,
}

// convertInt128 converts int128/kubelogin get-token flags.
func convertInt128(f flagSet) (conversion, error) {
	var c conversion
	issuer, client := f.get("oidc-issuer-url"), f.get("oidc-client-id")
	switch {
	case issuer == "" || client == "":
		return c, errors.New("no --oidc-issuer-url or --oidc-client-id")
	case f.has("certificate-authority-data"):
		return c, errors.New("--certificate-authority-data is not supported; save the CA to a file and use ca_file")
	case f.isTrue("insecure-skip-tls-verify"):
		return c, errors.New("--insecure-skip-tls-verify is not supported")
	}
	grant := firstOf(f.get("grant-type"), "auto")
	if grant == "auto" {
		grant = "authcode"
		if f.get("username") != "" {
			grant = "password"
		}
	}
	provider, ok := int128Providers[grant]
	if !ok {
		return c, fmt.Errorf("grant type %q is not supported", grant)
	}
	if provider == "password" && (f.get("username") == "" || f.get("password") == "") {
		return c, errors.New("the password grant needs --username and --password (kubelogin would prompt)")
	}
	c.set("provider", provider)
	c.set("issuer", issuer)
	c.set("client-id", client)
	c.secret("client-secret", f.get("oidc-client-secret"), "KEYFOB_CLIENT_SECRET")
	c.set("username", f.get("username"))
	c.secret("password", f.get("password"), "KEYFOB_PASSWORD")
	c.set("ca-file", f.get("certificate-authority"))
	c.set("redirect-uri", f.get("oidc-redirect-url"))
	idToken := provider != "client_credentials" && !f.isTrue("oidc-use-access-token")
	if provider != "client_credentials" {
		c.set("scope", "openid")
	}
	for _, s := range f.list("oidc-extra-scope") {
		c.set("scope", s)
	}
	if idToken {
		c.set("use-id-token", "true")
	}
	c.ignored = f.unknown(int128Known)
	return c, nil
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
