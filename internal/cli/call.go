package cli

import (
	"context"
	"path/filepath"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/discovery"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/bearer"
)

// launcher is the getter under the CLI's pipeline: it launches the
// profile's plugin for each call, asks it for a token (the person
// reached through the Interaction the call's context carries) and stops
// it.
type launcher struct {
	env *Env
	p   *profile
}

// GetToken fills in discovered endpoints for keyfob's own providers,
// launches the plugin and asks it.
func (l *launcher) GetToken(ctx context.Context, req *host.Request) (*host.Token, error) {
	e := l.env
	if l.p.Values["plugin"] == "" { // keyfob's own providers: discovery from the host's cache
		if err := discovery.Fill(ctx, req.Config, e.Getenv); err != nil {
			return nil, err
		}
	}
	path, err := e.pluginPath(l.p.Values)
	if err != nil {
		return nil, err
	}
	logger := newLogger(e.Stderr, e.Getenv("KEYFOB_LOG"))
	pl, err := host.Launch(ctx, host.Options{Path: path, SHA256: l.p.Values["plugin_sha256"], Logger: logger})
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

// lookupEnv adapts Getenv to os.LookupEnv's form; an empty value counts
// as unset.
func (e *Env) lookupEnv(name string) (string, bool) {
	v := e.Getenv(name)
	return v, v != ""
}
