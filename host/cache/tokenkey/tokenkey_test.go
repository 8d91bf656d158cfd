package tokenkey

import (
	"strings"
	"testing"
)

func isSecret(k string) bool { return k == "client_secret" || k == "password" }

func TestAccessKey(t *testing.T) {
	t.Parallel()
	base := map[string]string{"provider": "password", "token_url": "https://idp/t", "client_id": "c",
		"username": "alice", "password": "env:PW", "client_secret": "literal-secret", "scopes": `["b","a"]`, "hosts": `["x"]`}
	key := Access(Request{Values: base}, isSecret)
	if strings.Contains(key, "literal-secret") || strings.Contains(key, "env:PW") {
		t.Errorf("key holds a secret value: %s", key)
	}
	same := map[string]string{}
	for k, v := range base {
		same[k] = v
	}
	same["client_secret"] = "another-secret"
	same["hosts"] = `["y"]`
	same["scopes"] = `["a","b"]`
	if got := Access(Request{Values: same}, isSecret); got != key {
		t.Errorf("secret, hosts or scope order changed the key:\n%s\n%s", key, got)
	}
	changes := map[string]func(m map[string]string){
		"client":   func(m map[string]string) { m["client_id"] = "d" },
		"user":     func(m map[string]string) { m["username"] = "bob" },
		"scopes":   func(m map[string]string) { m["scopes"] = `["a"]` },
		"resource": func(m map[string]string) { m["resource"] = "https://graph.microsoft.com" },
		"plugin":   func(m map[string]string) { m["plugin"] = "acme" },
	}
	for name, change := range changes {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		change(m)
		if Access(Request{Values: m}, isSecret) == key {
			t.Errorf("changing %s did not change the key", name)
		}
	}
	if Access(Request{Values: base, Scopes: []string{"z"}}, isSecret) == key {
		t.Error("--scope did not change the key")
	}
	if Access(Request{Values: base, Claims: `{"x":1}`}, isSecret) == key {
		t.Error("claims did not change the key")
	}
}

func TestStateKeyIgnoresScopes(t *testing.T) {
	t.Parallel()
	a := map[string]string{"authority": "https://login/t", "client_id": "c", "username": "alice", "scopes": `["a"]`}
	b := map[string]string{"authority": "https://login/t", "client_id": "c", "username": "alice", "scopes": `["b"]`}
	if State(Request{Values: a}) != State(Request{Values: b}) {
		t.Error("refresh state must be shared across resources")
	}
	b["username"] = "bob"
	if State(Request{Values: a}) == State(Request{Values: b}) {
		t.Error("refresh state must be per account")
	}
}
