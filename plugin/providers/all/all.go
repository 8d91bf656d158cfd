// Package all registers keyfob's built-in grant providers. Adding a
// provider is one new package under plugin/providers and one line here.
package all

import (
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/providers/authcode"
	"github.com/keyfob/keyfob/plugin/providers/azurecli"
	"github.com/keyfob/keyfob/plugin/providers/clientcredentials"
	"github.com/keyfob/keyfob/plugin/providers/devicecode"
	"github.com/keyfob/keyfob/plugin/providers/environment"
	"github.com/keyfob/keyfob/plugin/providers/jwtbearer"
	"github.com/keyfob/keyfob/plugin/providers/managedidentity"
	"github.com/keyfob/keyfob/plugin/providers/onbehalfof"
	"github.com/keyfob/keyfob/plugin/providers/password"
	"github.com/keyfob/keyfob/plugin/providers/refreshtoken"
	"github.com/keyfob/keyfob/plugin/providers/tokenexchange"
	"github.com/keyfob/keyfob/plugin/providers/workloadidentity"
)

// Register adds every built-in provider to r.
func Register(r *plugin.Registry) {
	r.Register(clientcredentials.Info, clientcredentials.Provider{})
	r.Register(password.Info, password.Provider{})
	r.Register(refreshtoken.Info, refreshtoken.Provider{})
	r.Register(workloadidentity.Info, workloadidentity.Provider{})
	r.Register(managedidentity.Info, managedidentity.Provider{})
	r.Register(azurecli.Info, azurecli.Provider{})
	r.Register(environment.Info, environment.Provider{})
	r.Register(onbehalfof.Info, onbehalfof.Provider{})
	r.Register(devicecode.Info, devicecode.Provider{})
	r.Register(authcode.Info, authcode.Provider{})
	r.Register(tokenexchange.Info, tokenexchange.Provider{})
	r.Register(jwtbearer.Info, jwtbearer.Provider{})
}

// Registry returns a new registry with every built-in provider.
func Registry() *plugin.Registry {
	r := &plugin.Registry{}
	Register(r)
	return r
}
