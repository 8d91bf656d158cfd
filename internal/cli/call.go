package cli

import (
	"context"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/discovery"
	"github.com/keyfob/keyfob/plugin"
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
	return pl.GetToken(ctx, req)
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
