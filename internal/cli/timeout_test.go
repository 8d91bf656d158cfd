package cli

import (
	"testing"

	"github.com/keyfob/keyfob/plugin/providers/authcode"
	"github.com/keyfob/keyfob/plugin/providers/devicecode"
)

// interactiveBuiltins are the built-in providers that may sign a person
// in. The set is kept by hand on purpose: a new built-in interactive
// provider must be added here, so that its longer default bound
// (host.MaxSigninWait) is a decision, not an accident of its ProviderInfo.
var interactiveBuiltins = map[string]bool{devicecode.Name: true, authcode.Name: true}

// TestInteractiveFromRegistry checks that the pipeline is told a built-in
// provider is interactive (so its default bound is host.MaxSigninWait)
// for device_code and authorization_code alone, and for no provider of
// an external plugin, whose providers are not known before it starts.
func TestInteractiveFromRegistry(t *testing.T) {
	t.Parallel()
	seen := 0
	for _, info := range builtinRegistry().Providers() {
		want := interactiveBuiltins[info.Name]
		if want {
			seen++
		}
		if got := interactiveProvider(&profile{Name: "p", Values: map[string]string{"provider": info.Name}}); got != want {
			t.Errorf("provider %s: interactiveProvider() = %v, want %v", info.Name, got, want)
		}
		if interactiveProvider(&profile{Name: "p", Values: map[string]string{"provider": info.Name, "plugin": "acme"}}) {
			t.Errorf("provider %s of an external plugin counts as interactive", info.Name)
		}
	}
	if seen != len(interactiveBuiltins) {
		t.Errorf("%d of the interactive providers %v are built in, want all", seen, interactiveBuiltins)
	}
}
