package entraprofile

import (
	"strings"

	"github.com/keyfob/keyfob/plugin/errdefs"
)

// Preset is a named set of defaults for a common Microsoft resource: the
// scope to request and the host patterns whose requests the profile
// serves, per cloud, plus other keys' defaults.
type Preset struct {
	// Name is the value of the preset key.
	Name string
	// Variants maps a cloud name to the preset's values there; a cloud
	// without an entry does not offer the resource.
	Variants map[string]Variant
	// Defaults are further keys filled in when the profile lacks them.
	Defaults map[string]string
	// Note is a remark for the documentation's table.
	Note string
}

// Variant is a preset's values in one cloud.
type Variant struct {
	// Scope is the v2.0 scope, RESOURCE/.default.
	Scope string
	// Hosts are host patterns (the hosts key); empty when the resource is
	// not reached through a host protocol.
	Hosts []string
}

// aksServerApp is the application id of the AKS AAD server, the audience
// of every AKS-managed Entra cluster in every cloud (kubelogin's default
// --server-id).
const aksServerApp = "6dae42f8-4368-4678-94ff-3960e28e3630"

// azureDevOpsApp is the application id of Azure DevOps.
const azureDevOpsApp = "499b84ac-1321-427f-aa17-267ca6975798"

// Presets are the built-in presets, documented in docs/entra.md.
var Presets = []Preset{
	{Name: "graph", Variants: map[string]Variant{
		"public": {"https://graph.microsoft.com/.default", []string{"graph.microsoft.com"}},
		"usgov":  {"https://graph.microsoft.us/.default", []string{"graph.microsoft.us"}},
		"china":  {"https://microsoftgraph.chinacloudapi.cn/.default", []string{"microsoftgraph.chinacloudapi.cn"}},
	}, Note: "Microsoft Graph; US Government L5 (DoD) uses dod-graph.microsoft.us: set scopes"},
	{Name: "arm", Variants: map[string]Variant{
		"public": {"https://management.azure.com/.default", []string{"management.azure.com"}},
		"usgov":  {"https://management.core.usgovcloudapi.net/.default", []string{"management.usgovcloudapi.net"}},
		"china":  {"https://management.core.chinacloudapi.cn/.default", []string{"management.chinacloudapi.cn"}},
	}, Note: "Azure Resource Manager (and az-style tools, Terraform's azurerm)"},
	{Name: "aks", Variants: map[string]Variant{
		"public": {aksServerApp + "/.default", nil},
		"usgov":  {aksServerApp + "/.default", nil},
		"china":  {aksServerApp + "/.default", nil},
	}, Note: "AKS clusters with AKS-managed Entra integration; used through keyfob kubectl"},
	{Name: "azure-devops", Variants: map[string]Variant{
		"public": {azureDevOpsApp + "/.default", []string{"dev.azure.com", "*.visualstudio.com"}},
	}, Defaults: map[string]string{"git_username": "azure-devops"},
		Note: "Azure DevOps Services (git over HTTPS, REST, Artifacts feeds); public cloud only"},
	{Name: "keyvault", Variants: map[string]Variant{
		"public": {"https://vault.azure.net/.default", []string{"*.vault.azure.net"}},
		"usgov":  {"https://vault.usgovcloudapi.net/.default", []string{"*.vault.usgovcloudapi.net"}},
		"china":  {"https://vault.azure.cn/.default", []string{"*.vault.azure.cn"}},
	}, Note: "Azure Key Vault data plane"},
	{Name: "storage", Variants: map[string]Variant{
		"public": {"https://storage.azure.com/.default", []string{"*.blob.core.windows.net", "*.dfs.core.windows.net"}},
		"usgov":  {"https://storage.azure.us/.default", []string{"*.blob.core.usgovcloudapi.net", "*.dfs.core.usgovcloudapi.net"}},
		"china":  {"https://storage.azure.cn/.default", []string{"*.blob.core.chinacloudapi.cn", "*.dfs.core.chinacloudapi.cn"}},
	}, Note: "Azure Storage blobs and Data Lake; requests also need an x-ms-version header of 2017-11-09 or later"},
	{Name: "acr", Variants: map[string]Variant{
		"public": {"https://containerregistry.azure.net/.default", nil},
		"usgov":  {"https://containerregistry.azure.us/.default", nil},
		"china":  {"https://containerregistry.azure.cn/.default", nil},
	}, Defaults: map[string]string{"acr_exchange": "true"},
		Note: "Azure Container Registry through docker: the token is exchanged at the registry for an ACR refresh token; no hosts, set your registries' hosts (never *.azurecr.io: any registry could then receive the token)"},
}

// PresetNamed returns the preset called name, ignoring case.
func PresetNamed(name string) (Preset, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, p := range Presets {
		if p.Name == n {
			return p, true
		}
	}
	return Preset{}, false
}

// presetNames lists the preset names for messages.
func presetNames() string {
	names := make([]string, len(Presets))
	for i, p := range Presets {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

// applyPreset fills the profile keys a preset sets and the profile lacks:
// scopes (unless scopes or resource is set), hosts and the defaults.
func applyPreset(out map[string]string, cloud Cloud) error {
	p, ok := PresetNamed(out[KeyPreset])
	if !ok {
		return errdefs.Configf("key preset: unknown preset %q (want %s)", out[KeyPreset], presetNames())
	}
	v, ok := p.Variants[cloud.Name]
	if !ok {
		return errdefs.Configf("key preset: %s is not available in the %s cloud", p.Name, cloud.Name)
	}
	if out["scopes"] == "" && out["resource"] == "" {
		out["scopes"] = jsonList([]string{v.Scope})
	}
	if out["hosts"] == "" && len(v.Hosts) > 0 {
		out["hosts"] = jsonList(v.Hosts)
	}
	for k, val := range p.Defaults {
		setDefault(out, k, val)
	}
	return nil
}
