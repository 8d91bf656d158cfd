package config

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// builtinKeyNames are the profile keys keyfob accepts. A key taken away
// would break existing files; one added belongs in a provider's
// ProviderInfo (or hostKeys) and here.
var builtinKeyNames = []string{
	"acr_exchange", "actor_token", "actor_token_type", "assertion", "assertion_alg", "assertion_audience",
	"assertion_issuer", "assertion_key", "assertion_kid", "assertion_subject", "audience", "authority",
	"authority_host", "authorization_url", "az_path", "azure_config_dir", "ca_file", "client_assertion_alg",
	"client_assertion_audience", "client_assertion_file", "client_assertion_header", "client_assertion_kid",
	"client_assertion_x5c", "client_auth", "client_capabilities", "client_certificate",
	"client_certificate_password", "client_id", "client_secret", "cloud", "device_authorization_url",
	"docker_username", "domain_hint", "federated_token_audience", "federated_token_source", "git_username",
	"hosts", "identity_endpoint", "identity_secret", "imds_endpoint", "issuer", "login_hint",
	"managed_identity_source", "msi_res_id", "no_browser", "object_id", "oidc_request_token",
	"oidc_request_url", "oidc_scopes", "password", "plugin", "plugin_sha256", "preset", "prompt", "provider",
	"redirect_mode", "redirect_uri", "refresh_token", "requested_token_type", "resource", "revocation_url",
	"scopes", "service_connection_id", "subject_token", "subject_token_type", "subscription", "tenant_id",
	"timeout", "token_url", "use_id_token", "username",
}

// builtinSecrets are the built-in keys IsSecret classifies as secret.
// Cache keys leave secrets out and take a digest of their values instead,
// so changing this classification for any key changes the cache key of
// every profile that sets it, and their cached tokens stop matching.
var builtinSecrets = []string{"actor_token", "assertion", "client_certificate_password", "client_secret", "identity_secret",
	"oidc_request_token", "password", "refresh_token", "subject_token"}

// TestBuiltinKeyClassification pins the name and the secret
// classification of every built-in key.
func TestBuiltinKeyClassification(t *testing.T) {
	t.Parallel()
	var names, secrets []string
	for _, k := range Keys {
		names = append(names, k.Name)
		if k.Secret != IsSecret(k.Name) {
			t.Errorf("key %s: KeySpec.Secret %v, IsSecret %v", k.Name, k.Secret, IsSecret(k.Name))
		}
		if IsSecret(k.Name) {
			secrets = append(secrets, k.Name)
		}
	}
	if diff := cmp.Diff(builtinKeyNames, names); diff != "" {
		t.Errorf("built-in keys (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(builtinSecrets, secrets); diff != "" {
		t.Errorf("secret keys (-want +got):\n%s", diff)
	}
}

func TestKeysTable(t *testing.T) {
	t.Parallel()
	var lists, bools []string
	seen := map[string]bool{}
	for _, k := range Keys {
		if seen[k.Name] {
			t.Errorf("key %q listed twice (a host key that a provider declares too?)", k.Name)
		}
		seen[k.Name] = true
		if !validKeyName(k.Name) || k.Description == "" {
			t.Errorf("key %+v: bad name or no description", k)
		}
		if k.List {
			lists = append(lists, k.Name)
		}
		if k.Bool {
			bools = append(bools, k.Name)
		}
	}
	if !slices.IsSortedFunc(Keys, func(a, b KeySpec) int { return strings.Compare(a.Name, b.Name) }) {
		t.Error("Keys is not sorted by name")
	}
	if diff := cmp.Diff([]string{"client_capabilities", "hosts", "scopes"}, lists); diff != "" {
		t.Errorf("list keys (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"acr_exchange", "client_assertion_x5c", "no_browser", "oidc_scopes", "use_id_token"}, bools); diff != "" {
		t.Errorf("bool keys (-want +got):\n%s", diff)
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	RegisterKey(KeySpec{Name: "lookup_test_token", Secret: true})
	RegisterKey(KeySpec{Name: "client_id"}) // a built-in wins
	tests := map[string]struct {
		name       string
		want       KeySpec
		wantOK     bool
		wantKnown  bool
		wantSecret bool
	}{
		"host key":      {name: "hosts", want: KeySpec{Name: "hosts", Description: "host patterns whose requests use this profile", List: true}, wantOK: true, wantKnown: true},
		"provider key":  {name: "redirect_mode", want: wantRedirectMode, wantOK: true, wantKnown: true},
		"secret":        {name: "identity_secret", want: wantIdentitySecret, wantOK: true, wantKnown: true, wantSecret: true},
		"registered":    {name: "lookup_test_token", want: KeySpec{Name: "lookup_test_token", Secret: true}, wantOK: true, wantKnown: true, wantSecret: true},
		"built-in wins": {name: "client_id", want: wantClientID, wantOK: true, wantKnown: true},
		"x_ key":        {name: "x_anything", wantKnown: true},
		"unknown":       {name: "nope"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, ok := Lookup(tc.name)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Lookup (-want +got):\n%s", diff)
			}
			gotFlags := [3]bool{ok, Known(tc.name), IsSecret(tc.name)}
			if diff := cmp.Diff([3]bool{tc.wantOK, tc.wantKnown, tc.wantSecret}, gotFlags); diff != "" {
				t.Errorf("[Lookup ok, Known, IsSecret] (-want +got):\n%s", diff)
			}
		})
	}
	if !slices.Contains(KeyNames(), "lookup_test_token") || !slices.IsSorted(KeyNames()) {
		t.Errorf("KeyNames() = %v, want sorted and holding the registered key", KeyNames())
	}
}

// Provider keys as the registry declares them.
var (
	wantRedirectMode = KeySpec{Name: "redirect_mode", Description: "loopback (default) or paste (show the URL, paste the final address back)",
		Providers: []string{"authorization_code"}}
	wantIdentitySecret = KeySpec{Name: "identity_secret", Description: "App Service identity header (IDENTITY_HEADER, or MSI_SECRET)",
		Secret: true, Providers: []string{"managed_identity"}}
	wantClientID = KeySpec{Name: "client_id", Description: "application (client) id", Providers: []string{"authorization_code",
		"client_credentials", "device_code", "environment", "jwt_bearer", "managed_identity", "on_behalf_of", "password",
		"refresh_token", "token_exchange", "workload_identity"}}
)

func TestRegisterKeyPanicsOnSecretMismatch(t *testing.T) {
	t.Parallel()
	for _, k := range []KeySpec{{Name: "acme_token"}, {Name: "acme_region", Secret: true}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("RegisterKey(%+v) did not panic", k)
				}
			}()
			RegisterKey(k)
		}()
	}
}

func TestRegisterKeyPanicsOnBadName(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"", "Upper", "with-dash", "9lives", "sp ace"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("RegisterKey(%q) did not panic", name)
				}
			}()
			RegisterKey(KeySpec{Name: name})
		}()
	}
}

func TestDidYouMean(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		name string
		want string
	}{
		"typo":      {name: "scpoes", want: ` (did you mean "scopes"?)`},
		"case":      {name: "Client_ID", want: ` (did you mean "client_id"?)`},
		"extension": {name: "login", want: ` (did you mean "login_hint"?)`},
		"too far":   {name: "zzzzzz", want: ""},
		"too short": {name: "q", want: ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := didYouMean(tc.name, []string{"scopes", "client_id", "login_hint", "hosts"})
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("didYouMean(%q) (-want +got):\n%s", tc.name, diff)
			}
		})
	}
}
