package entra

import (
	"net"
	"net/url"
	"strings"

	"github.com/keyfob/keyfob/plugin"
)

// The tenant values of an Entra authority that name no single tenant
// (entra-docs v2-protocols.md, "Endpoints").
const (
	TenantCommon        = "common"
	TenantOrganizations = "organizations"
	TenantConsumers     = "consumers"
)

// TenantOf returns the tenant segment of an authority https://HOST/TENANT
// ("" when there is none).
func TenantOf(authority string) string {
	u, err := url.Parse(strings.TrimSpace(authority))
	if err != nil {
		return ""
	}
	seg, _, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	return seg
}

// IsMultiTenant reports whether tenant is common, organizations or
// consumers rather than a tenant id or domain.
func IsMultiTenant(tenant string) bool {
	switch strings.ToLower(tenant) {
	case TenantCommon, TenantOrganizations, TenantConsumers:
		return true
	}
	return false
}

// CheckGrant reports a configuration error when the token request form
// (its grant_type and requested_token_use) is a grant that Entra refuses
// on tenant, so that it fails before any request:
//
//   - the password grant (ROPC) on common or consumers (Entra answers
//     AADSTS9001023; v2-oauth-ropc.md);
//   - client_credentials without a tenant id or domain
//     (v2-oauth2-client-creds-grant-flow.md);
//   - on-behalf-of without a tenant id or domain
//     (v2-oauth2-on-behalf-of-flow.md).
//
// tenant "" (not an Entra authority) always passes.
func CheckGrant(tenant string, form url.Values) error {
	if tenant == "" {
		return nil
	}
	t := strings.ToLower(tenant)
	switch grant := form.Get("grant_type"); {
	case grant == "password" && (t == TenantCommon || t == TenantConsumers):
		return plugin.Configf("the password grant does not work on the %s authority (Entra answers AADSTS9001023): "+
			"use a tenant id or domain, or organizations", tenant)
	case grant == "client_credentials" && IsMultiTenant(t):
		return plugin.Configf("client_credentials needs a tenant id or domain in authority, not %s", tenant)
	case grant == GrantJWTBearer && form.Get("requested_token_use") == "on_behalf_of" && IsMultiTenant(t):
		return plugin.Configf("on_behalf_of needs a tenant id or domain in authority, not %s", tenant)
	}
	return nil
}

// GrantJWTBearer is the RFC 7523 grant type that Entra's on-behalf-of
// flow uses.
const GrantJWTBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"

// signInHosts are the sign-in hosts of Entra's clouds (public, US
// government, China) and their older names.
var signInHosts = map[string]bool{
	"login.microsoftonline.com": true, "login.microsoft.com": true, "login.windows.net": true, "sts.windows.net": true,
	"login.microsoftonline.us": true, "login.usgovcloudapi.net": true,
	"login.chinacloudapi.cn": true, "login.partner.microsoftonline.cn": true,
}

// IsSignInHost reports whether host (a URL's host, with or without port)
// is one of Entra's sign-in hosts.
func IsSignInHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return signInHosts[strings.ToLower(host)]
}
