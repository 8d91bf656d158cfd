package tokenkey

import "testing"

// TestAccountRule: a profile naming its user is never bound, and the
// accounts of a client are keyed by its refresh-state key without an
// account, whatever the scopes.
func TestAccountRule(t *testing.T) {
	t.Parallel()
	base := map[string]string{"provider": "authcode", "issuer": "https://idp", "client_id": "c", "scopes": "a"}
	if NamesAccount(base) {
		t.Error("a profile naming no user names its account")
	}
	for _, k := range []string{"username", "login_hint"} {
		if !NamesAccount(map[string]string{k: "alice"}) {
			t.Errorf("a profile with %s does not name its account", k)
		}
	}
	other := map[string]string{"provider": "authcode", "issuer": "https://idp", "client_id": "c", "scopes": "b"}
	if got, want := AccountScope(base), State(Request{Values: base}); got != want || AccountScope(other) != want {
		t.Errorf("AccountScope = %q (other scopes %q), want %q", got, AccountScope(other), want)
	}
	if AccountScope(base) == State(Request{Values: base, Account: "a"}) {
		t.Error("AccountScope is an account's state key")
	}
}
