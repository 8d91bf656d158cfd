package plugin

import (
	"context"
	"fmt"
	"sort"
	"sync"
)

// ProviderInfo describes a registered provider; keyfob plugins lists it.
type ProviderInfo struct {
	// Name used in a profile's provider key, e.g. "client_credentials".
	Name string
	// Description is one human-readable line.
	Description string
	// Keys are the configuration keys the provider reads.
	Keys []KeyInfo
	// Interactive is true when the provider may need a person.
	Interactive bool
}

// KeyInfo describes one configuration key of a provider. For keyfob's
// built-in providers it is the one declaration of the key: the host's key
// table (which keys a profile may hold, their kinds, which are secret) and
// docs/config.md are generated from it (see package keyspec).
type KeyInfo struct {
	// Name is the key as written in a profile, e.g. "client_id".
	Name string
	// Description is one human-readable line.
	Description string
	// Required is true when the provider cannot run without the key.
	Required bool
	// Secret marks a secret-valued key: a literal, or an env:/file:
	// reference the host resolves before the call. A third-party plugin's
	// key is secret when named like one (keyspec.SecretName).
	Secret bool
	// List marks a list of strings, carried as JSON array text.
	List bool
	// Bool marks a boolean, carried as "true" or "false". It is not sent
	// over the plugin protocol: only built-in providers' tables use it.
	Bool bool
}

// Registry maps provider names to providers. The zero value is empty and
// ready to use; it is safe for concurrent use.
type Registry struct {
	mu      sync.RWMutex
	entries map[string]registration
}

type registration struct {
	info     ProviderInfo
	provider Provider
}

// Register adds a provider under info.Name. Registering a name twice
// panics: it is a programming error, found by any test that builds the
// registry.
func (r *Registry) Register(info ProviderInfo, p Provider) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.entries == nil {
		r.entries = map[string]registration{}
	}
	if _, dup := r.entries[info.Name]; dup {
		panic(fmt.Sprintf("keyfob: provider %q registered twice", info.Name))
	}
	r.entries[info.Name] = registration{info: info, provider: p}
}

// Lookup returns the provider registered under name.
func (r *Registry) Lookup(name string) (Provider, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	e, ok := r.entries[name]
	return e.provider, ok
}

// Providers lists the registered providers sorted by name.
func (r *Registry) Providers() []ProviderInfo {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]ProviderInfo, 0, len(r.entries))
	for _, e := range r.entries {
		out = append(out, e.info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names lists the registered provider names, sorted.
func (r *Registry) Names() []string {
	infos := r.Providers()
	names := make([]string, len(infos))
	for i, info := range infos {
		names[i] = info.Name
	}
	return names
}

// GetToken runs the provider named name, or returns a configuration error
// naming the unknown provider and the known ones. A provider that returns
// neither a token nor an error gets an internal error, not a crash.
func (r *Registry) GetToken(ctx context.Context, name string, req *Request) (*Token, error) {
	p, ok := r.Lookup(name)
	if !ok {
		return nil, Configf("unknown provider %q (this plugin has: %v)", name, r.Names())
	}
	tok, err := p.GetToken(ctx, req)
	if err == nil && tok == nil {
		return nil, fmt.Errorf("provider %q returned neither a token nor an error", name)
	}
	return tok, err
}
