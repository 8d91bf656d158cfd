// Package discovery runs OpenID Connect discovery for keyfob's engine and
// keeps the document in the cache directory, so that not every cache miss
// of an issuer profile fetches /.well-known/openid-configuration again.
//
// Plugins are stateless and start with a restricted environment, so the
// host does it: before launching the plugin, [Fill] looks the issuer's
// document up (or fetches it), checks that it names the configured issuer
// (OpenID Discovery §4.3), and passes the endpoints to the plugin as
// explicit keys — token_url, device_authorization_url, authorization_url,
// revocation_url, plus endpoint.KeyDiscoveredIssuer and
// endpoint.KeyIssParameter for RFC 9207's iss check — which plugin/endpoint
// then uses without a request of its own. Keys the profile sets win.
//
// A document is kept as the server's caching headers allow, and never
// longer than MaxAge: Cache-Control max-age, else Expires, else MaxAge;
// no-store and no-cache keep nothing. Files are ds-<sha256>.json, 0600,
// written atomically in the cache directory; one that cannot be read is a
// miss. Documents hold no secrets.
package discovery
