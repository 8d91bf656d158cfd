package managedidentity

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// Configuration keys of this provider (besides resource, scopes,
// client_id, object_id and msi_res_id).
const (
	// KeySource names the endpoint kind: imds, app_service or
	// app_service_2017.
	KeySource = "managed_identity_source"
	// KeyIdentityEndpoint is the App Service endpoint URL.
	KeyIdentityEndpoint = "identity_endpoint"
	// KeyIdentitySecret is the App Service identity header (secret).
	KeyIdentitySecret = "identity_secret"
	// KeyIMDSEndpoint overrides the IMDS token URL.
	KeyIMDSEndpoint = "imds_endpoint"
)

// The values of KeySource.
const (
	SourceIMDS           = "imds"
	SourceAppService     = "app_service"
	SourceAppService2017 = "app_service_2017"
)

// DefaultIMDSEndpoint is the IMDS token URL on every Azure VM.
const DefaultIMDSEndpoint = "http://169.254.169.254/metadata/identity/oauth2/token"

// API versions of the endpoints.
const (
	IMDSAPIVersion           = "2018-02-01"
	AppServiceAPIVersion     = "2019-08-01"
	AppService2017APIVersion = "2017-09-01"
)

// identity picks a user-assigned identity: key is client_id, object_id or
// msi_res_id. The zero identity is the system-assigned one.
type identity struct {
	key, value string
}

// identityKeys are the keys that pick a user-assigned identity.
var identityKeys = []string{"client_id", "object_id", "msi_res_id"}

// identityOf reads the user-assigned identity; at most one key may pick it.
func identityOf(cfg plugin.Config) (identity, error) {
	var id identity
	for _, k := range identityKeys {
		if !cfg.Has(k) {
			continue
		}
		if id.key != "" {
			return identity{}, plugin.Configf("keys %s and %s both pick a user-assigned identity; set only one", id.key, k)
		}
		id = identity{key: k, value: cfg.String(k)}
	}
	return id, nil
}

// resourceOf returns the v1 resource to ask for: the resource key, or the
// one scope without its "/.default". A scope from the request wins.
func resourceOf(req *plugin.Request) (string, error) {
	scopes := req.Scopes
	if len(scopes) == 0 {
		var err error
		if scopes, err = req.Config.List("scopes"); err != nil {
			return "", err
		}
	}
	if len(scopes) == 0 {
		if r := req.Config.String("resource"); r != "" {
			return r, nil
		}
		return "", plugin.Configf("key resource (or one scope RESOURCE/.default) is required")
	}
	if len(scopes) != 1 {
		return "", plugin.Configf("a managed identity takes exactly one scope, RESOURCE/.default (got %d)", len(scopes))
	}
	return strings.TrimSuffix(scopes[0], "/.default"), nil
}

// endpoint is one managed-identity endpoint.
type endpoint struct {
	source string
	url    *url.URL
	secret plugin.Secret // App Service only
}

// endpointOf reads and checks the endpoint the profile (or the host's
// environment) names.
func endpointOf(cfg plugin.Config) (*endpoint, error) {
	src := cfg.String(KeySource)
	if src == "" {
		src = SourceIMDS
		if cfg.Has(KeyIdentityEndpoint) {
			src = SourceAppService
		}
	}
	switch src {
	case SourceIMDS:
		raw := cfg.String(KeyIMDSEndpoint)
		if raw == "" {
			raw = DefaultIMDSEndpoint
		}
		u, err := checkURL(KeyIMDSEndpoint, raw, true)
		return &endpoint{source: src, url: u}, err
	case SourceAppService, SourceAppService2017:
		return appServiceEndpoint(cfg, src)
	}
	return nil, plugin.Configf("key %s: unknown source %q (want %s, %s or %s)", KeySource, src, SourceIMDS, SourceAppService, SourceAppService2017)
}

// appServiceEndpoint reads the App Service endpoint and its secret.
func appServiceEndpoint(cfg plugin.Config, src string) (*endpoint, error) {
	if err := cfg.Require(KeyIdentityEndpoint); err != nil {
		return nil, err
	}
	u, err := checkURL(KeyIdentityEndpoint, cfg.String(KeyIdentityEndpoint), false)
	if err != nil {
		return nil, err
	}
	secret, err := cfg.Secret(KeyIdentitySecret)
	if err != nil {
		return nil, err
	}
	if secret.IsZero() {
		return nil, plugin.Configf("key %s is required with %s (IDENTITY_HEADER)", KeyIdentitySecret, KeyIdentityEndpoint)
	}
	return &endpoint{source: src, url: u, secret: secret}, nil
}

// checkURL accepts what oauth.CheckURL accepts (https, http on loopback)
// and, when linkLocal is set, http on a link-local address such as IMDS's
// 169.254.169.254. Only an endpoint that is sent no secret may have
// linkLocal set.
func checkURL(key, raw string, linkLocal bool) (*url.URL, error) {
	err := oauth.CheckURL(raw)
	u, perr := url.Parse(raw)
	switch {
	case err == nil:
		return u, nil
	case perr == nil && linkLocal && u.Scheme == "http" && isLinkLocal(u.Hostname()):
		return u, nil
	case perr == nil && linkLocal && u.Scheme == "http":
		return nil, plugin.Configf("key %s: refusing plain http:// URL %s (only loopback and link-local addresses such as IMDS's may use http)", key, u.Redacted())
	case perr == nil && u.Scheme == "http" && u.Host != "":
		return nil, plugin.Configf("key %s: refusing plain http:// URL %s (it is sent the identity secret: only loopback may use http)", key, u.Redacted())
	}
	return nil, plugin.Configf("key %s: %v", key, err)
}

// isLinkLocal reports whether host is a link-local IP (169.254.0.0/16,
// fe80::/10).
func isLinkLocal(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLinkLocalUnicast()
}

// requestFor returns a function building the token request for resource
// and id; it is called once per attempt.
func (ep *endpoint) requestFor(resource string, id identity) (func(context.Context) (*http.Request, error), error) {
	q := ep.url.Query()
	q.Set("resource", resource)
	header := http.Header{"Accept": {"application/json"}}
	var err error
	switch ep.source {
	case SourceIMDS:
		q.Set("api-version", IMDSAPIVersion)
		err = setIdentity(q, id, map[string]string{"client_id": "client_id", "object_id": "object_id", "msi_res_id": "msi_res_id"})
		header.Set("Metadata", "true")
	case SourceAppService:
		q.Set("api-version", AppServiceAPIVersion)
		err = setIdentity(q, id, map[string]string{"client_id": "client_id", "object_id": "principal_id", "msi_res_id": "mi_res_id"})
		header.Set("X-IDENTITY-HEADER", ep.secret.Reveal())
	case SourceAppService2017:
		q.Set("api-version", AppService2017APIVersion)
		err = setIdentity(q, id, map[string]string{"client_id": "clientid"})
		header.Set("secret", ep.secret.Reveal())
	}
	if err != nil {
		return nil, err
	}
	u := *ep.url
	u.RawQuery = q.Encode()
	target := u.String()
	return func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
		if err != nil {
			return nil, plugin.Configf("managed identity endpoint: %v", err)
		}
		req.Header = header.Clone()
		return req, nil
	}, nil
}

// setIdentity adds the user-assigned identity under the endpoint's name
// for it; params maps keyfob's key to that name and lacks the keys the
// endpoint does not support.
func setIdentity(q url.Values, id identity, params map[string]string) error {
	if id.key == "" {
		return nil
	}
	name, ok := params[id.key]
	if !ok {
		return plugin.Configf("key %s is not supported by this managed identity endpoint (use client_id)", id.key)
	}
	q.Set(name, id.value)
	return nil
}
