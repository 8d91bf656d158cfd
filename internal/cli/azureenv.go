package cli

import "github.com/keyfob/keyfob/internal/entraprofile"

// expandProfile expands a profile's Microsoft Entra ID shorthands on the
// host, before cache keys are computed and the plugin is started:
// provider = "environment" takes its keys from the AZURE_* (else ARM_*)
// environment variables, with secrets as env:/file: references; tenant_id
// with cloud, authority_host or $AZURE_AUTHORITY_HOST becomes an
// authority; a preset fills scopes, hosts and defaults for the profile's
// cloud. Keys the profile sets always win. See package entraprofile.
func expandProfile(values map[string]string, getenv func(string) string) (map[string]string, error) {
	return entraprofile.Expand(values, getenv)
}
