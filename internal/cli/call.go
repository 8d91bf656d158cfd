package cli

import (
	"context"
	"sync"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/discovery"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/providers/all"
	"github.com/keyfob/keyfob/plugin/providers/azurecli"
)

// pluginModeEnv names the switch between the two ways of running
// keyfob's own providers: "process" launches them as a plugin (the
// engine itself), as a named plugin is launched; "" or "auto" runs them
// inside the engine (host.InProcess), which saves the plugin process.
const pluginModeEnv = "KEYFOB_PLUGIN_MODE"

// launcher is the getter under the CLI's pipeline: it asks the profile's
// provider for a token (the person reached through the Interaction the
// call's context carries), in the engine for keyfob's own providers, or
// from the profile's plugin, launched for the call and stopped after it.
type launcher struct {
	env *Env
	p   *profile
}

// GetToken fills in discovered endpoints for keyfob's own providers and
// asks the provider; host.Cache checks what it gave.
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
	inProcess, err := e.inProcess(l.p.Values)
	if err != nil {
		return nil, err
	}
	logger := newLogger(e.Stderr, e.Getenv("KEYFOB_LOG"))
	if inProcess {
		return host.InProcess(builtinRegistry(), host.InProcessOptions{Logger: logger}).GetToken(ctx, req)
	}
	return launchAndAsk(ctx, req, host.Options{Path: path, SHA256: l.p.Values["plugin_sha256"], Logger: logger})
}

// launchAndAsk launches the plugin, asks it once and stops it.
func launchAndAsk(ctx context.Context, req *host.Request, opts host.Options) (*host.Token, error) {
	pl, err := host.Launch(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer pl.Close()
	return pl.GetToken(ctx, req)
}

// builtinRegistry is keyfob's own providers, built once.
var builtinRegistry = sync.OnceValue(all.Registry)

// inProcess reports whether the profile's provider runs in the engine:
// one of keyfob's own, unless KEYFOB_PLUGIN_MODE=process, the profile
// pins the plugin executable's checksum (plugin_sha256 is checked at
// launch) or the provider is azure_cli, which hands the plugin's own,
// restricted environment to the az it runs.
func (e *Env) inProcess(values map[string]string) (bool, error) {
	switch mode := e.Getenv(pluginModeEnv); mode {
	case "", "auto":
	case "process":
		return false, nil
	default:
		return false, plugin.Configf("%s=%q: want process or auto", pluginModeEnv, mode)
	}
	return values["plugin"] == "" && values["plugin_sha256"] == "" && values["provider"] != azurecli.Name, nil
}

// lookupEnv adapts Getenv to os.LookupEnv's form; an empty value counts
// as unset.
func (e *Env) lookupEnv(name string) (string, bool) {
	v := e.Getenv(name)
	return v, v != ""
}
