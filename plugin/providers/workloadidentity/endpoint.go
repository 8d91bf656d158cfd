package workloadidentity

import (
	"context"
	"maps"
	"net/http"
	"regexp"
	"strings"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/endpoint"
)

// DefaultAuthorityHost is Entra's global-cloud authority host, used with
// tenant_id when authority_host is not set.
const DefaultAuthorityHost = "https://login.microsoftonline.com"

// validTenant matches a tenant id or domain, as azidentity's validTenantID.
var validTenant = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z.-]*$`)

// resolveEndpoints returns the profile's endpoints. token_url, authority
// and issuer work as for every provider; without them the authority is
// authority_host/tenant_id, the form the AKS webhook's AZURE_AUTHORITY_HOST
// and AZURE_TENANT_ID give.
func resolveEndpoints(ctx context.Context, cfg plugin.Config, hc *http.Client) (endpoint.Endpoints, error) {
	if !cfg.Has("token_url") && !cfg.Has("authority") && !cfg.Has("issuer") {
		authority, err := tenantAuthority(cfg)
		if err != nil {
			return endpoint.Endpoints{}, err
		}
		cfg = maps.Clone(cfg)
		cfg["authority"] = authority
	}
	return endpoint.Resolve(ctx, cfg, hc)
}

// tenantAuthority is authority_host (or DefaultAuthorityHost) joined with
// tenant_id.
func tenantAuthority(cfg plugin.Config) (string, error) {
	tenant := cfg.String("tenant_id")
	if tenant == "" {
		return "", plugin.Configf("key tenant_id (or authority, or token_url) is required")
	}
	if !validTenant.MatchString(tenant) {
		return "", plugin.Configf("key tenant_id: %q is not a tenant id or domain", tenant)
	}
	host := cfg.String("authority_host")
	if host == "" {
		host = DefaultAuthorityHost
	}
	return strings.TrimRight(host, "/") + "/" + tenant, nil
}
