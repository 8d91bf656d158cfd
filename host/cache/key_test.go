package cache

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAccessKeyCanonical(t *testing.T) {
	t.Parallel()
	base := KeyParts{Plugin: "keyfob", Provider: "device_code", Authority: "https://login.example/contoso",
		ClientID: "cid", Scopes: []string{"b", "a"}, Extra: map[string]string{"x": "1", "y": "2"}}
	same := map[string]func(p *KeyParts){
		"scopes reordered":  func(p *KeyParts) { p.Scopes = []string{"a", "b"} },
		"scopes duplicated": func(p *KeyParts) { p.Scopes = []string{"a", "b", "a", "b"} },
		"empty scope":       func(p *KeyParts) { p.Scopes = []string{"", "b", " ", "a"} },
		"authority slash":   func(p *KeyParts) { p.Authority += "/" },
		"extra rebuilt":     func(p *KeyParts) { p.Extra = map[string]string{"y": "2", "x": "1"} },
		"nothing different": func(p *KeyParts) {},
		"scope spaces":      func(p *KeyParts) { p.Scopes = []string{" a", "b "} },
	}
	for name, change := range same {
		t.Run("same/"+name, func(t *testing.T) {
			t.Parallel()
			p := base
			p.Extra = map[string]string{"x": "1", "y": "2"}
			change(&p)
			if diff := cmp.Diff(AccessKey(base), AccessKey(p)); diff != "" {
				t.Errorf("(-base +changed):\n%s", diff)
			}
		})
	}
	differ := map[string]func(p *KeyParts){
		"plugin":    func(p *KeyParts) { p.Plugin = "other" },
		"provider":  func(p *KeyParts) { p.Provider = "client_credentials" },
		"authority": func(p *KeyParts) { p.Authority = "https://login.example/fabrikam" },
		"token url": func(p *KeyParts) { p.TokenURL = "https://idp/token" },
		"tenant":    func(p *KeyParts) { p.Tenant = "t" },
		"client":    func(p *KeyParts) { p.ClientID = "other" },
		"user":      func(p *KeyParts) { p.User = "alice" },
		"scopes":    func(p *KeyParts) { p.Scopes = []string{"a"} },
		"claims":    func(p *KeyParts) { p.Claims = `{"access_token":{}}` },
		"extra":     func(p *KeyParts) { p.Extra = map[string]string{"x": "2", "y": "2"} },
		"no extra":  func(p *KeyParts) { p.Extra = nil },
		// A field boundary cannot be moved to make two keys collide.
		"shifted": func(p *KeyParts) { p.Plugin, p.Provider = "keyfob\",\"provider\":\"device_code", "" },
	}
	for name, change := range differ {
		t.Run("differ/"+name, func(t *testing.T) {
			t.Parallel()
			p := base
			p.Scopes = []string{"b", "a"}
			change(&p)
			if AccessKey(base) == AccessKey(p) {
				t.Errorf("changing %s gives the same key %s", name, AccessKey(p))
			}
		})
	}
	if diff := cmp.Diff([]string{"b", "a"}, base.Scopes); diff != "" {
		t.Errorf("AccessKey changed the caller's scopes (-want +got):\n%s", diff)
	}
}

func TestStateKey(t *testing.T) {
	t.Parallel()
	p := StateKeyParts{Plugin: "keyfob", Authority: "https://a/t/", TokenURL: "https://a/t/oauth2/v2.0/token", ClientID: "c", Account: "alice"}
	tests := map[string]struct {
		a, b StateKeyParts
		same bool
	}{
		"authority wins over token url": {p, StateKeyParts{Plugin: "keyfob", Authority: "https://a/t", ClientID: "c", Account: "alice"}, true},
		"token url alone":               {StateKeyParts{TokenURL: "https://i/token/"}, StateKeyParts{TokenURL: "https://i/token"}, true},
		"account differs":               {p, StateKeyParts{Plugin: "keyfob", Authority: "https://a/t", ClientID: "c", Account: "bob"}, false},
		"profile differs":               {StateKeyParts{Profile: "a"}, StateKeyParts{Profile: "b"}, false},
		"not an access key":             {StateKeyParts{}, StateKeyParts{}, true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := StateKey(tt.a) == StateKey(tt.b); got != tt.same {
				t.Errorf("equal = %v, want %v:\n%s\n%s", got, tt.same, StateKey(tt.a), StateKey(tt.b))
			}
		})
	}
	if StateKey(StateKeyParts{}) == AccessKey(KeyParts{}) {
		t.Error("empty state and access keys collide")
	}
}

func TestFileNamesHideKeys(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	parts := KeyParts{Authority: "https://login.example/contoso", ClientID: "client-1234", User: "alice@example.com", Scopes: []string{"api"}}
	key := AccessKey(parts)
	if err := c.Put(key, fullEntry()); err != nil {
		t.Fatal(err)
	}
	if err := c.PutState(StateKey(StateKeyParts{ClientID: "client-1234", Account: "alice@example.com"}), []byte("s")); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(c.Path())
	for _, e := range ents {
		for _, part := range []string{"contoso", "client-1234", "alice", "api"} {
			if strings.Contains(e.Name(), part) {
				t.Errorf("file name %s contains %q", e.Name(), part)
			}
		}
	}
}
