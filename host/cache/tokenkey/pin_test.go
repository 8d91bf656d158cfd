package tokenkey

import (
	"strings"
	"testing"
)

// pinnedProfiles are profiles whose keys TestKeysArePinned pins.
var pinnedProfiles = map[string]Request{
	"client credentials": {Values: map[string]string{"provider": "client_credentials", "token_url": "https://idp.example/token/",
		"client_id": "app", "client_secret": "env:PIN_SECRET", "scopes": `["api","read"]`, "hosts": `["git.example"]`}},
	"device code bound": {Values: map[string]string{"provider": "device_code", "authority": "https://login.example/tenant",
		"client_id": "cli", "resource": "https://res.example", "timeout": "2m"}, Account: "alice@example", Scopes: []string{"b", "a"}},
	"password": {Values: map[string]string{"provider": "password", "issuer": "https://issuer.example", "client_id": "c",
		"username": "bob", "password": "pw", "use_id_token": "true"}, Claims: `{"access_token":{"acrs":{"value":"c1"}}}`},
	"plugin": {Values: map[string]string{"plugin": "acme", "provider": "acme_grant", "x_api_secret": "k", "x_region": "eu"}},
}

// pinnedKeys are the access and state keys of pinnedProfiles as keyfob
// has always computed them: a cache written before keeps matching.
var pinnedKeys = map[string][2]string{
	"client credentials": {"keyfob.access.v1:{\"provider\":\"client_credentials\",\"token_url\":\"https://idp.example/token\",\"client_id\":\"app\",\"scopes\":[\"api\",\"read\"],\"credential\":\"hmac-sha256:BWRIrhrO26O5IYCyiDIWaOSkG6tvzAcqGrikFOQGKhs\"}", "keyfob.state.v1:{\"token_url\":\"https://idp.example/token\",\"client_id\":\"app\"}"},
	"device code bound":  {"keyfob.access.v1:{\"provider\":\"device_code\",\"authority\":\"https://login.example/tenant\",\"client_id\":\"cli\",\"user\":\"alice@example\",\"scopes\":[\"a\",\"b\"],\"extra\":{\"resource\":\"https://res.example\"}}", "keyfob.state.v1:{\"authority\":\"https://login.example/tenant\",\"client_id\":\"cli\",\"account\":\"alice@example\"}"},
	"password":           {"keyfob.access.v1:{\"provider\":\"password\",\"token_url\":\"https://issuer.example\",\"client_id\":\"c\",\"user\":\"bob\",\"claims\":\"{\\\"access_token\\\":{\\\"acrs\\\":{\\\"value\\\":\\\"c1\\\"}}}\",\"credential\":\"hmac-sha256:nfpj1HaML7jHZFbdxbP-_RjDt_y_3aAtp4hmMrqamYM\"}", "keyfob.state.v1:{\"token_url\":\"https://issuer.example\",\"client_id\":\"c\",\"account\":\"bob\",\"user_credential\":\"hmac-sha256:1Fi0EuV1UwK5AnutOc--eRiiD9aqiADWBStlbbAh5RY\"}"},
	"plugin":             {"keyfob.access.v1:{\"plugin\":\"acme\",\"provider\":\"acme_grant\",\"extra\":{\"x_region\":\"eu\"},\"credential\":\"hmac-sha256:SqelG3f1epiNnKS0x_IS53oPvJHZPVAfITMR6LS-6X8\"}", "keyfob.state.v1:{\"plugin\":\"acme\"}"},
}

// TestKeysArePinned computes the keys of a few profiles, credential
// fingerprints under a fixed salt included, and compares them byte for
// byte with the keys computed before the package moved.
func TestKeysArePinned(t *testing.T) {
	t.Parallel()
	salt := []byte(strings.Repeat("p", 32))
	lookup := func(k string) (string, bool) { return map[string]string{"PIN_SECRET": "s3cret"}[k], k == "PIN_SECRET" }
	for name, r := range pinnedProfiles {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, err := Keyed(r, salt, isSecretForTest, lookup)
			if err != nil {
				t.Fatal(err)
			}
			got := [2]string{Access(r, isSecretForTest), State(r)}
			if got != pinnedKeys[name] {
				t.Errorf("keys changed:\n got %q\nwant %q", got, pinnedKeys[name])
			}
		})
	}
}
