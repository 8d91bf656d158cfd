package cli

import (
	"context"
	"path/filepath"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/discovery"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/bearer"
)

// hostOnlyKeys are profile keys for the host alone; the plugin never sees
// them.
var hostOnlyKeys = []string{"plugin", "plugin_sha256", "hosts", "git_username", "docker_username", "acr_exchange", "use_id_token"}

// getToken launches the profile's plugin, asks it for a token (serving
// ia, through which it reaches the user) and stops it, all within
// c.timeout.
func (e *Env) getToken(ctx context.Context, c *commonFlags, p *profile, state []byte, ia plugin.Interaction) (*host.Token, error) {
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	req, err := e.buildRequest(c, p)
	if err != nil {
		return nil, err
	}
	if p.Values["plugin"] == "" { // keyfob's own providers: discovery from the host's cache
		if err := discovery.Fill(ctx, req.Config, e.Getenv); err != nil {
			return nil, err
		}
	}
	req.State = state
	path, err := e.pluginPath(p.Values)
	if err != nil {
		return nil, err
	}
	logger := newLogger(e.Stderr, e.Getenv("KEYFOB_LOG"))
	pl, err := host.Launch(ctx, host.Options{Path: path, SHA256: p.Values["plugin_sha256"], Logger: logger,
		Interaction: ia})
	if err != nil {
		return nil, err
	}
	defer pl.Close()
	tok, err := pl.GetToken(ctx, req)
	if err != nil {
		return nil, err
	}
	return presentable(path, tok)
}

// presentable refuses a token keyfob cannot present safely (plugin/bearer):
// one with characters a bearer token may not have, which would put a
// second header line into `keyfob token -o header`, or a token type other
// than bearer. keyfob's own providers check at receipt; this holds every
// plugin, a third party's included, to the same rule before anything is
// printed or cached. An accepted type is spelled "Bearer".
func presentable(path string, tok *host.Token) (*host.Token, error) {
	if err := bearer.CheckToken(tok.AccessToken.Reveal()); err != nil {
		return nil, plugin.Errorf(plugin.ErrUnavailable, "plugin %s: %v", filepath.Base(path), err)
	}
	typ, err := bearer.CheckType(tok.TokenType)
	if err != nil {
		return nil, plugin.Errorf(plugin.ErrUnavailable, "plugin %s: %v", filepath.Base(path), err)
	}
	tok.TokenType = typ
	return tok, nil
}

func (e *Env) buildRequest(c *commonFlags, p *profile) (*host.Request, error) {
	cfg, err := host.ResolveConfigWith(p.Values, e.lookupEnv)
	if err != nil {
		return nil, err
	}
	for _, k := range hostOnlyKeys {
		delete(cfg, k)
	}
	if c.interact.noBrowser {
		cfg["no_browser"] = "true"
	}
	return &host.Request{
		Provider:     cfg["provider"],
		Config:       cfg,
		Scopes:       c.scopes,
		ForceRefresh: c.forceRefresh,
		MinValidity:  c.minValidity,
		Claims:       c.claims,
	}, nil
}

// lookupEnv adapts Getenv to os.LookupEnv's form; an empty value counts
// as unset.
func (e *Env) lookupEnv(name string) (string, bool) {
	v := e.Getenv(name)
	return v, v != ""
}
