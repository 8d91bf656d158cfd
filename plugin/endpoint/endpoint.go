// Package endpoint finds a profile's authorization-server endpoints: given
// explicitly (token_url, device_authorization_url, authorization_url),
// derived from an Entra ID authority (https://HOST/TENANT), or read from
// OpenID Connect discovery (issuer).
package endpoint

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/entra"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// Endpoints are an authorization server's URLs; empty when unknown.
type Endpoints struct {
	Issuer              string
	Token               string
	DeviceAuthorization string
	Authorization       string
	Revocation          string
	// IssParameter is true when the server says it sends iss in every
	// authorization response (RFC 9207's
	// authorization_response_iss_parameter_supported): a response without
	// it must then be refused.
	IssParameter bool
	// Tenant is the tenant segment of an Entra authority (a tenant id or
	// domain, common, organizations or consumers); "" when the endpoints
	// did not come from an authority.
	Tenant string
}

// Keys a host that ran OpenID discovery itself (keyfob's engine, which
// caches the document) sets beside the discovered endpoint URLs
// (token_url, device_authorization_url, authorization_url,
// revocation_url), so that Resolve does not fetch the document again.
const (
	// KeyDiscoveredIssuer is the document's issuer, as the server spells
	// it (RFC 9207 compares iss with it exactly).
	KeyDiscoveredIssuer = "discovered_issuer"
	// KeyIssParameter is "true" when the document had
	// authorization_response_iss_parameter_supported.
	KeyIssParameter = "authorization_response_iss_parameter_supported"
)

// Resolve returns the profile's endpoints. Explicit keys win over derived
// ones; an authority derives Entra's v2.0 endpoints; an issuer triggers
// discovery over hc, unless the host discovered them already
// (KeyDiscoveredIssuer). Every URL is checked with oauth.CheckURL.
func Resolve(ctx context.Context, cfg plugin.Config, hc *http.Client) (Endpoints, error) {
	var ep Endpoints
	var err error
	switch {
	case cfg.Has("authority"):
		ep, err = FromAuthority(cfg.String("authority"))
	case cfg.Has("issuer") && cfg.Has(KeyDiscoveredIssuer):
		ep, err = fromHost(cfg)
	case cfg.Has("issuer"):
		ep, err = Discover(ctx, cfg.String("issuer"), hc)
	case !cfg.Has("token_url"):
		return ep, plugin.Configf("one of token_url, authority or issuer is required")
	}
	if err != nil {
		return ep, err
	}
	overlay(&ep.Token, cfg.String("token_url"))
	overlay(&ep.DeviceAuthorization, cfg.String("device_authorization_url"))
	overlay(&ep.Authorization, cfg.String("authorization_url"))
	overlay(&ep.Revocation, cfg.String("revocation_url"))
	return ep, ep.check()
}

// fromHost takes what the host discovered: the issuer (checked again
// against the configured one) and the iss promise; the URLs are overlaid
// from their keys by Resolve.
func fromHost(cfg plugin.Config) (Endpoints, error) {
	iss := cfg.String(KeyDiscoveredIssuer)
	if err := CheckIssuer(cfg.String("issuer"), iss); err != nil {
		return Endpoints{}, err
	}
	if !cfg.Has("token_url") {
		return Endpoints{}, plugin.Configf("key %s is set without token_url", KeyDiscoveredIssuer)
	}
	return Endpoints{Issuer: iss, IssParameter: cfg.String(KeyIssParameter) == "true"}, nil
}

func overlay(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

func (ep Endpoints) check() error {
	for _, u := range []string{ep.Token, ep.DeviceAuthorization, ep.Authorization, ep.Revocation} {
		if u == "" {
			continue
		}
		if err := oauth.CheckURL(u); err != nil {
			return err
		}
	}
	return nil
}

// FromAuthority derives Entra ID v2.0 endpoints from https://HOST/TENANT.
func FromAuthority(authority string) (Endpoints, error) {
	a := strings.TrimRight(authority, "/")
	if err := oauth.CheckURL(a); err != nil {
		return Endpoints{}, err
	}
	if strings.Count(strings.SplitN(a, "://", 2)[1], "/") < 1 {
		return Endpoints{}, plugin.Configf("authority %s must be https://HOST/TENANT", authority)
	}
	return Endpoints{
		Issuer:              a + "/v2.0",
		Token:               a + "/oauth2/v2.0/token",
		DeviceAuthorization: a + "/oauth2/v2.0/devicecode",
		Authorization:       a + "/oauth2/v2.0/authorize",
		Tenant:              entra.TenantOf(a),
	}, nil
}

// discoveryDoc is the subset of OpenID Provider Metadata keyfob uses.
type discoveryDoc struct {
	Issuer              string `json:"issuer"`
	Token               string `json:"token_endpoint"`
	DeviceAuthorization string `json:"device_authorization_endpoint"`
	Authorization       string `json:"authorization_endpoint"`
	Revocation          string `json:"revocation_endpoint"`
	IssParameter        bool   `json:"authorization_response_iss_parameter_supported"`
}

// Discover reads ISSUER/.well-known/openid-configuration. The document's
// issuer must be the configured one (see CheckIssuer); the Endpoints
// carry the document's spelling.
func Discover(ctx context.Context, issuer string, hc *http.Client) (Endpoints, error) {
	u := DiscoveryURL(issuer)
	if err := oauth.CheckURL(u); err != nil {
		return Endpoints{}, err
	}
	body, _, err := FetchDiscovery(ctx, u, hc)
	if err != nil {
		return Endpoints{}, err
	}
	return ParseDiscovery(body, issuer, hostOf(u))
}

// DiscoveryURL is ISSUER/.well-known/openid-configuration, a trailing
// slash of the issuer dropped.
func DiscoveryURL(issuer string) string {
	return strings.TrimRight(issuer, "/") + "/.well-known/openid-configuration"
}

// ParseDiscovery reads a discovery document fetched from host for the
// configured issuer: it must name a token endpoint and the issuer (see
// CheckIssuer). The URLs are not checked here; Resolve checks them.
func ParseDiscovery(body []byte, issuer, host string) (Endpoints, error) {
	var doc discoveryDoc
	if err := json.Unmarshal(body, &doc); err != nil || doc.Token == "" {
		return Endpoints{}, plugin.Configf("OpenID discovery at %s: no token_endpoint in the document", host)
	}
	if err := CheckIssuer(issuer, doc.Issuer); err != nil {
		return Endpoints{}, fmt.Errorf("OpenID discovery at %s: %w", host, err)
	}
	return Endpoints{Issuer: doc.Issuer, Token: doc.Token, DeviceAuthorization: doc.DeviceAuthorization,
		Authorization: doc.Authorization, Revocation: doc.Revocation, IssParameter: doc.IssParameter}, nil
}

// FetchDiscovery GETs the discovery document at u over hc and returns its
// body (at most 1 MiB) and the answer's headers, for a caller that caches
// it. A failure to get an HTTP 200 wraps plugin.ErrUnavailable.
func FetchDiscovery(ctx context.Context, u string, hc *http.Client) ([]byte, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, plugin.Configf("discovery URL %s: %v", u, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("OpenID discovery at %s: %v: %w", req.URL.Host, oauth.TransportCause(ctx, err), plugin.ErrUnavailable)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil || resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("OpenID discovery at %s: HTTP %d: %w", req.URL.Host, resp.StatusCode, plugin.ErrUnavailable)
	}
	return body, resp.Header, nil
}

// CheckIssuer reports a configuration error unless a discovery document's
// issuer is the configured one. OpenID Connect Discovery §4.3 and RFC 8414
// §3.3 require them to be identical: a document naming another issuer is
// a misconfiguration or an impersonation, and its endpoints must not be
// used. The one difference allowed is a trailing slash: keyfob drops it
// before appending /.well-known/openid-configuration, so both spellings
// fetch the same document from the same server (Auth0's issuers end in a
// slash, and users leave it off). Scheme and host compare exactly too.
func CheckIssuer(configured, discovered string) error {
	if strings.TrimRight(configured, "/") == strings.TrimRight(discovered, "/") && discovered != "" {
		return nil
	}
	return plugin.Configf("the document's issuer %q is not the configured issuer %q (OpenID Discovery §4.3); "+
		"set issuer to the server's own issuer URL", clip(discovered), configured)
}

// clip bounds a server-chosen string quoted in an error message.
func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// hostOf is raw's host, or raw when it does not parse.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Host
}

// IsEntra reports whether the endpoints are Microsoft Entra ID's: derived
// from an authority, or a token endpoint on one of Entra's sign-in hosts.
// Entra takes a v1 resource only as the v2.0 scope RESOURCE/.default;
// other servers take RFC 8707's resource parameter.
func (ep Endpoints) IsEntra() bool {
	return ep.Tenant != "" || entra.IsSignInHost(hostOf(ep.Token))
}
