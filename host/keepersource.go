package host

import (
	"context"
	"net/http"

	"golang.org/x/oauth2"
)

// TokenSource returns an oauth2.TokenSource of the Keeper's token; ctx
// bounds the fetches its Token calls make. It is safe for concurrent use.
func (k *Keeper) TokenSource(ctx context.Context) oauth2.TokenSource {
	return keeperSource{ctx: ctx, k: k}
}

// HTTPClient returns an *http.Client that sends the Keeper's token with
// every request. Unlike oauth2.NewClient's, its transport keeps no token
// of its own, so a token the Keeper refreshed is used at once. The base
// transport is http.DefaultTransport.
func (k *Keeper) HTTPClient(ctx context.Context) *http.Client {
	return &http.Client{Transport: &oauth2.Transport{Source: k.TokenSource(ctx)}}
}

// keeperSource adapts a Keeper to oauth2.TokenSource.
type keeperSource struct {
	ctx context.Context
	k   *Keeper
}

// Token returns the Keeper's token.
func (s keeperSource) Token() (*oauth2.Token, error) {
	t, err := s.k.Token(s.ctx)
	if err != nil {
		return nil, err
	}
	return &oauth2.Token{AccessToken: t.AccessToken.Reveal(), TokenType: t.TokenType, Expiry: t.ExpiresAt}, nil
}
