package discovery

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/endpoint"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// MaxAge bounds how long a discovery document is kept.
const MaxAge = 24 * time.Hour

// skip are providers that never resolve endpoints from an issuer.
var skip = map[string]bool{"managed_identity": true, "azure_cli": true}

// Fill sets the discovered endpoint keys in cfg, a profile's resolved
// wire configuration, when it names an issuer and no authority, and the
// host has not discovered them already. getenv finds the cache directory
// (see cache.Dir). Errors are classified as the plugin's own discovery
// errors: an unreachable server wraps plugin.ErrUnavailable, a document
// for another issuer plugin.ErrConfig.
func Fill(ctx context.Context, cfg map[string]string, getenv func(string) string) error {
	if !needed(cfg) {
		return nil
	}
	ep, err := lookup(ctx, cfg, getenv, time.Now)
	if err != nil {
		return err
	}
	set(cfg, ep)
	return nil
}

// needed reports whether cfg's endpoints come from discovery.
func needed(cfg map[string]string) bool {
	return cfg["issuer"] != "" && cfg["authority"] == "" && cfg[endpoint.KeyDiscoveredIssuer] == "" && !skip[cfg["provider"]]
}

// set fills the keys the profile leaves empty.
func set(cfg map[string]string, ep endpoint.Endpoints) {
	for k, v := range map[string]string{"token_url": ep.Token, "device_authorization_url": ep.DeviceAuthorization,
		"authorization_url": ep.Authorization, "revocation_url": ep.Revocation} {
		if cfg[k] == "" && v != "" {
			cfg[k] = v
		}
	}
	cfg[endpoint.KeyDiscoveredIssuer] = ep.Issuer
	cfg[endpoint.KeyIssParameter] = strconv.FormatBool(ep.IssParameter)
}

// lookup returns the issuer's endpoints from a fresh cached document, or
// fetches and keeps one.
func lookup(ctx context.Context, cfg map[string]string, getenv func(string) string, now func() time.Time) (endpoint.Endpoints, error) {
	issuer := cfg["issuer"]
	u := endpoint.DiscoveryURL(issuer)
	if err := oauth.CheckURL(u); err != nil {
		return endpoint.Endpoints{}, err
	}
	store := openStore(getenv)
	if body, ok := store.read(u, now()); ok {
		if ep, err := endpoint.ParseDiscovery(body, issuer, hostOf(u)); err == nil {
			return ep, nil
		}
	}
	hc, err := oauth.HTTPClientFromConfig(plugin.Config(cfg))
	if err != nil {
		return endpoint.Endpoints{}, err
	}
	return fetch(ctx, store, u, issuer, hc, now())
}

// fetch gets the document, checks it and keeps it as long as allowed.
func fetch(ctx context.Context, store store, u, issuer string, hc *http.Client, now time.Time) (endpoint.Endpoints, error) {
	body, h, err := endpoint.FetchDiscovery(ctx, u, hc)
	if err != nil {
		return endpoint.Endpoints{}, err
	}
	ep, err := endpoint.ParseDiscovery(body, issuer, hostOf(u))
	if err != nil {
		return endpoint.Endpoints{}, err
	}
	if age := Lifetime(h, now); age > 0 {
		store.write(u, body, now.Add(age))
	}
	return ep, nil
}

// openStore is the store in the cache directory; one that cannot be
// opened keeps nothing (discovery still works, uncached).
func openStore(getenv func(string) string) store {
	dir, err := cache.Dir(getenv)
	if err != nil {
		return store{}
	}
	c, err := cache.Open(dir, cache.Options{})
	if err != nil {
		return store{}
	}
	return store{dir: c.Path()}
}
