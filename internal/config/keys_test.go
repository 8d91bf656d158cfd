package config

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestKeysTable(t *testing.T) {
	t.Parallel()
	var secrets, lists, bools []string
	seen := map[string]bool{}
	for _, k := range Keys {
		if seen[k.Name] {
			t.Errorf("key %q listed twice", k.Name)
		}
		seen[k.Name] = true
		if !validKeyName(k.Name) || k.Description == "" {
			t.Errorf("key %+v: bad name or no description", k)
		}
		if k.Secret {
			secrets = append(secrets, k.Name)
		}
		if k.List {
			lists = append(lists, k.Name)
		}
		if k.Bool {
			bools = append(bools, k.Name)
		}
	}
	want := []string{"actor_token", "assertion", "client_certificate_password", "client_secret", "identity_secret", "oidc_request_token", "password", "refresh_token", "subject_token"}
	if diff := cmp.Diff(want, sorted(secrets)); diff != "" {
		t.Errorf("secret keys (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"client_capabilities", "hosts", "scopes"}, sorted(lists)); diff != "" {
		t.Errorf("list keys (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"acr_exchange", "client_assertion_x5c", "no_browser", "oidc_scopes", "use_id_token"}, sorted(bools)); diff != "" {
		t.Errorf("bool keys (-want +got):\n%s", diff)
	}
}

func sorted(s []string) []string { slices.Sort(s); return s }

func TestLookup(t *testing.T) {
	t.Parallel()
	RegisterKey(KeySpec{Name: "lookup_test_token", Secret: true})
	RegisterKey(KeySpec{Name: "client_id", Secret: true}) // a built-in wins
	tests := map[string]struct {
		name       string
		want       KeySpec
		wantOK     bool
		wantKnown  bool
		wantSecret bool
	}{
		"built-in":      {name: "scopes", want: KeySpec{Name: "scopes", Description: "scopes to request", List: true}, wantOK: true, wantKnown: true},
		"secret":        {name: "client_secret", want: KeySpec{Name: "client_secret", Description: "client secret", Secret: true}, wantOK: true, wantKnown: true, wantSecret: true},
		"registered":    {name: "lookup_test_token", want: KeySpec{Name: "lookup_test_token", Secret: true}, wantOK: true, wantKnown: true, wantSecret: true},
		"built-in wins": {name: "client_id", want: KeySpec{Name: "client_id", Description: "OAuth client (application) id"}, wantOK: true, wantKnown: true},
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
