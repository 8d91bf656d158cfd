package cli

import (
	"context"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/internal/config"
)

// keyedRequest sets req's credential fingerprints under cc's salt, as
// the pipeline (host.Cache) and the front do.
func (e *Env) keyedRequest(cc *cache.Cache, req tokenkey.Request) (tokenkey.Request, error) {
	salt, err := cc.Salt()
	if err != nil {
		return req, err
	}
	return tokenkey.Keyed(req, salt, config.IsSecret, e.lookupEnv)
}

// fixedGetter is a TokenGetter standing for the plugin: it answers every
// call with tok, or fails with err.
type fixedGetter struct {
	tok *host.Token
	err error
}

func (g fixedGetter) GetToken(context.Context, *host.Request) (*host.Token, error) {
	if g.err != nil {
		return nil, g.err
	}
	t := *g.tok
	return &t, nil
}
