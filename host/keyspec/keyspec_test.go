package keyspec

import "testing"

func TestClassifiers(t *testing.T) {
	t.Parallel()
	type kinds struct{ secret, resolved bool }
	tests := map[string]kinds{
		// built-in secrets, declared in their providers' ProviderInfo
		"client_secret": {true, true}, "password": {true, true}, "client_certificate_password": {true, true},
		"refresh_token": {true, true}, "assertion": {true, true}, "subject_token": {true, true},
		"actor_token": {true, true}, "identity_secret": {true, true}, "oidc_request_token": {true, true},
		// declared not secret, but named like a secret: the host still resolves a reference
		"assertion_key": {false, true}, "use_id_token": {false, true},
		// a third-party plugin's keys, by their names
		"my_secret": {true, true}, "pfx_password": {true, true}, "id_token": {true, true},
		"github_app_private_key": {true, true}, "x_api_key": {true, true},
		"client_id": {}, "tenant": {}, "scopes": {}, "token_url": {}, "secret": {}, "username": {},
		"client_certificate": {}, "token_type": {}, "github_app_id": {}, "key": {},
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := (kinds{IsSecret(name), ResolvedByHost(name)}); got != want {
				t.Errorf("{IsSecret, ResolvedByHost}(%q) = %+v, want %+v", name, got, want)
			}
		})
	}
}

// A host key is declared once: no built-in provider reads it too.
func TestHostKeysAreNotProviderKeys(t *testing.T) {
	t.Parallel()
	provider := map[string]bool{}
	for _, k := range Builtin {
		provider[k.Name] = true
	}
	for _, k := range Host {
		if provider[k.Name] {
			t.Errorf("host key %s is a built-in provider's key too: declare it in its ProviderInfo only", k.Name)
		}
		if k.Description == "" || len(k.Providers) != 0 {
			t.Errorf("host key %+v: want a description and no providers", k)
		}
	}
}
