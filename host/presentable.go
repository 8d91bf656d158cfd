package host

import (
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/bearer"
)

// presentable refuses a token that cannot be presented safely as a bearer
// token (plugin/bearer): characters a bearer token may not have, which
// would put a second header line into an Authorization header, or a token
// type other than bearer. keyfob's own providers check at receipt; the
// Cache holds every getter, a third party's plugin included, to the same
// rule before it stores or returns anything. An accepted type is spelled
// "Bearer". The error is of kind plugin.ErrUnavailable and names the
// provider, never the token.
func presentable(tok *Token, provider string) (*Token, error) {
	if tok == nil {
		return nil, plugin.Errorf(plugin.ErrUnavailable, "provider %q returned no token", provider)
	}
	if err := bearer.CheckToken(tok.AccessToken.Reveal()); err != nil {
		return nil, plugin.Errorf(plugin.ErrUnavailable, "provider %q: %v", provider, err)
	}
	typ, err := bearer.CheckType(tok.TokenType)
	if err != nil {
		return nil, plugin.Errorf(plugin.ErrUnavailable, "provider %q: %v", provider, err)
	}
	tok.TokenType = typ
	return tok, nil
}

// presentableOr is presentable of a getter's answer, err when it failed.
func presentableOr(tok *Token, err error, provider string) (*Token, error) {
	if err != nil {
		return nil, err
	}
	return presentable(tok, provider)
}
