// Package all registers keyfob's built-in grant providers. Adding a
// provider is one new package under plugin/providers and one line here.
package all

import (
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/providers/clientcredentials"
	"github.com/keyfob/keyfob/plugin/providers/password"
	"github.com/keyfob/keyfob/plugin/providers/refreshtoken"
)

// Register adds every built-in provider to r.
func Register(r *plugin.Registry) {
	r.Register(clientcredentials.Info, clientcredentials.Provider{})
	r.Register(password.Info, password.Provider{})
	r.Register(refreshtoken.Info, refreshtoken.Provider{})
}

// Registry returns a new registry with every built-in provider.
func Registry() *plugin.Registry {
	r := &plugin.Registry{}
	Register(r)
	return r
}
