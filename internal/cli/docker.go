package cli

import (
	"context"
	"net/http"
	"time"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/docker/acr"
)

// acrHTTPClient makes the HTTP client of the ACR exchange; tests replace
// it to trust their server.
var acrHTTPClient = func() *http.Client { return &http.Client{Timeout: time.Minute} }

// acrEndpoint is the exchange URL for a registry; tests replace it.
var acrEndpoint = acr.Endpoint

// ExchangeACR trades an Entra access token for registry's ACR refresh
// token, within --timeout: the docker protocol's exchange, which needs
// net/http and so is the engine's.
func (s *engineSession) ExchangeACR(ctx context.Context, registry, tenant, accessToken string) (*host.CacheEntry, error) {
	if s.c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.c.timeout)
		defer cancel()
	}
	rt, err := acr.Exchange(ctx, acrHTTPClient(), acrEndpoint(registry), registry, tenant, accessToken)
	if err != nil {
		return nil, err
	}
	return &host.CacheEntry{AccessToken: rt.Token, ExpiresAt: rt.ExpiresAt, IssuedAt: s.e.Now()}, nil
}
