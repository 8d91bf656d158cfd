package entraprofile

import (
	"encoding/json"
	"maps"
	"os"

	"github.com/keyfob/keyfob/plugin/errdefs"
)

// Profile keys Expand reads or fills.
const (
	KeyProvider      = "provider"
	KeyPreset        = "preset"
	KeyCloud         = "cloud"
	KeyAuthorityHost = "authority_host"
	KeyAuthority     = "authority"
	KeyTenantID      = "tenant_id"
	KeyClientID      = "client_id"
)

// EnvironmentProvider is the provider that takes its settings from the
// Azure environment variables.
const EnvironmentProvider = "environment"

// noAuthority lists providers that never talk to an Entra token endpoint,
// so tenant_id does not make them an authority.
var noAuthority = map[string]bool{"managed_identity": true, "azure_cli": true}

// Expand returns a copy of a profile's wire-form values with its Entra
// shorthands expanded (see the package documentation). getenv reads the
// environment (os.Getenv when nil); an empty value counts as unset. Keys
// the profile sets are never replaced. Errors wrap errdefs.ErrConfig.
func Expand(values map[string]string, getenv func(string) string) (map[string]string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	get := envReader(getenv)
	out := maps.Clone(values)
	if out == nil {
		out = map[string]string{}
	}
	if out[KeyProvider] == EnvironmentProvider {
		for k, v := range fromEnvironment(get) {
			setDefault(out, k, v)
		}
	}
	for k, v := range PlatformDefaults(out[KeyProvider], getenv) {
		setDefault(out, k, v)
	}
	cloud, err := profileCloud(out, get)
	if err != nil {
		return nil, err
	}
	if err := deriveAuthority(out, cloud, get); err != nil {
		return nil, err
	}
	if out[KeyPreset] != "" {
		if err := applyPreset(out, cloud); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// profileCloud is the profile's cloud: the cloud key, else the cloud whose
// sign-in host the authority_host key, the authority or
// $AZURE_AUTHORITY_HOST names, else $ARM_ENVIRONMENT, else public. A host
// no cloud knows (a private test server) counts as public.
func profileCloud(out map[string]string, get envReader) (Cloud, error) {
	if v := out[KeyCloud]; v != "" {
		return parseCloud(v)
	}
	for _, u := range []string{out[KeyAuthorityHost], out[KeyAuthority], get(EnvAuthorityHost)} {
		if u != "" {
			c, _ := CloudOfURL(u)
			return orPublic(c), nil
		}
	}
	if v := get(ArmEnvironment); v != "" {
		c, ok := CloudNamed(v)
		if !ok {
			return Cloud{}, errdefs.Configf("%s=%q: want public, usgovernment or china", ArmEnvironment, v)
		}
		return c, nil
	}
	return Clouds[0], nil
}

// orPublic returns c, or the public cloud for the zero Cloud.
func orPublic(c Cloud) Cloud {
	if c.Name == "" {
		return Clouds[0]
	}
	return c
}

// deriveAuthority sets authority = AUTHORITY_HOST/TENANT for a profile
// that has a tenant_id but no endpoint of its own. The authority host is
// the authority_host key, else the cloud key's, else
// $AZURE_AUTHORITY_HOST, else the cloud's (from $ARM_ENVIRONMENT or
// public).
func deriveAuthority(out map[string]string, cloud Cloud, get envReader) error {
	if out[KeyAuthority] != "" || out["token_url"] != "" || out["issuer"] != "" || noAuthority[out[KeyProvider]] {
		return nil
	}
	tenant := out[KeyTenantID]
	if tenant == "" {
		if out[KeyCloud] != "" || out[KeyAuthorityHost] != "" {
			return errdefs.Configf("key tenant_id is required with cloud or authority_host (or set authority)")
		}
		return nil
	}
	host, err := authorityHost(out, cloud, get)
	if err != nil {
		return err
	}
	out[KeyAuthority] = host + "/" + tenant
	return nil
}

// authorityHost picks the sign-in host for deriveAuthority.
func authorityHost(out map[string]string, cloud Cloud, get envReader) (string, error) {
	switch {
	case out[KeyAuthorityHost] != "":
		return normalizeHost("key authority_host", out[KeyAuthorityHost])
	case out[KeyCloud] != "":
		return cloud.AuthorityHost, nil
	case get(EnvAuthorityHost) != "":
		return normalizeHost(EnvAuthorityHost, get(EnvAuthorityHost))
	}
	return cloud.AuthorityHost, nil
}

// setDefault sets m[k] = v unless m already has a non-empty value.
func setDefault(m map[string]string, k, v string) {
	if m[k] == "" && v != "" {
		m[k] = v
	}
}

// jsonList is a list value's wire form, JSON array text.
func jsonList(items []string) string {
	b, _ := json.Marshal(items) // a []string always marshals
	return string(b)
}
