package host

import (
	"fmt"
	"path/filepath"

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
// source (sourceName), never the token.
func presentable(tok *Token, source string) (*Token, error) {
	if tok == nil {
		return nil, plugin.Errorf(plugin.ErrUnavailable, "%s returned no token", source)
	}
	if err := bearer.CheckToken(tok.AccessToken.Reveal()); err != nil {
		return nil, plugin.Errorf(plugin.ErrUnavailable, "%s: %v", source, err)
	}
	typ, err := bearer.CheckType(tok.TokenType)
	if err != nil {
		return nil, plugin.Errorf(plugin.ErrUnavailable, "%s: %v", source, err)
	}
	tok.TokenType = typ
	return tok, nil
}

// presentableOr is presentable of a getter's answer, err when it failed.
func presentableOr(tok *Token, err error, source string) (*Token, error) {
	if err != nil {
		return nil, err
	}
	return presentable(tok, source)
}

// sourceName names where req's token comes from in an error: `plugin
// <base name>` when the request names a plugin (its host key "plugin"),
// else `provider "<name>"`.
func sourceName(req *Request) string {
	if p := req.Config["plugin"]; p != "" {
		return "plugin " + filepath.Base(p)
	}
	return fmt.Sprintf("provider %q", req.Provider)
}
