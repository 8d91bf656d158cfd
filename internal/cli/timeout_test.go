package cli

import (
	"testing"

	"github.com/keyfob/keyfob/plugin/providers/all"
)

// TestInteractiveFromRegistry checks that the pipeline is told a built-in
// provider is interactive (so its default bound is host.MaxSigninWait) as
// its ProviderInfo.Interactive declares, once; an external plugin's
// providers are not known before it starts.
func TestInteractiveFromRegistry(t *testing.T) {
	t.Parallel()
	for _, info := range all.Registry().Providers() {
		if got := interactiveProvider(&profile{Name: "p", Values: map[string]string{"provider": info.Name}}); got != info.Interactive {
			t.Errorf("provider %s: interactiveProvider() = %v, want %v", info.Name, got, info.Interactive)
		}
		if interactiveProvider(&profile{Name: "p", Values: map[string]string{"provider": info.Name, "plugin": "acme"}}) {
			t.Errorf("provider %s of an external plugin counts as interactive", info.Name)
		}
	}
}
