package delegated

import (
	"encoding/base64"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/endpoint"
	"github.com/keyfob/keyfob/plugin/grant"
)

func TestWithOIDCScopes(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ in, want []string }{
		"none":       {nil, []string{"offline_access", "openid", "profile"}},
		"resource":   {[]string{"api://x/.default"}, []string{"api://x/.default", "offline_access", "openid", "profile"}},
		"duplicates": {[]string{"openid", "api", "offline_access"}, []string{"openid", "api", "offline_access", "profile"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			in := append([]string(nil), tc.in...)
			if diff := cmp.Diff(tc.want, WithOIDCScopes(in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.in, in); diff != "" {
				t.Errorf("input modified:\n%s", diff)
			}
		})
	}
}

func jwt(claims string) plugin.Secret {
	enc := base64.RawURLEncoding.EncodeToString
	return plugin.NewSecret(enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(claims)) + ".c2ln")
}

func TestAccount(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		idToken plugin.Secret
		hint    string
		want    string
	}{
		"preferred_username": {jwt(`{"preferred_username":"alice@contoso.com","oid":"o","tid":"t","sub":"s"}`), "hint", "alice@contoso.com"},
		"oid and tid":        {jwt(`{"oid":"o","tid":"t","sub":"s"}`), "hint", "o.t"},
		"oid alone":          {jwt(`{"oid":"o","sub":"s"}`), "hint", "hint"},
		"sub":                {jwt(`{"sub":"s"}`), "", "s"},
		"no token":           {plugin.Secret{}, "hint", "hint"},
		"garbled":            {plugin.NewSecret("a.!!!.c"), "hint", "hint"},
		"not JSON":           {plugin.NewSecret("a." + base64.RawURLEncoding.EncodeToString([]byte("nope")) + ".c"), "", ""},
		"padded payload":     {plugin.NewSecret("a." + base64.URLEncoding.EncodeToString([]byte(`{"sub":"pad"}`)) + ".c"), "", "pad"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := Account(tc.idToken, tc.hint); got != tc.want {
				t.Errorf("Account = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestNeeded(t *testing.T) {
	t.Parallel()
	if Needed("r", nil) != nil {
		t.Error("Needed(nil) is not nil")
	}
	err := Needed("no refresh token is stored", fmt.Errorf("KEYFOB_NONINTERACTIVE=1: %w", plugin.ErrInteractionRequired))
	want := "sign-in needed: run keyfob login (no refresh token is stored; KEYFOB_NONINTERACTIVE=1: interaction required)"
	if plugin.KindOf(err) != plugin.KindInteraction || err.Error() != want {
		t.Errorf("Needed = %q (kind %v), want %q", err, plugin.KindOf(err), want)
	}
	other := errors.New("broken pipe")
	if err := Needed("r", other); !errors.Is(err, other) || plugin.KindOf(err) == plugin.KindInteraction {
		t.Errorf("Needed(other) = %v", err)
	}
}

func TestServerName(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		cfg  plugin.Config
		want string
	}{
		"authority": {plugin.Config{"authority": "https://login.microsoftonline.com/common", "token_url": "https://x/t"}, "login.microsoftonline.com"},
		"issuer":    {plugin.Config{"issuer": "https://idp.example.com/realms/a"}, "idp.example.com"},
		"token_url": {plugin.Config{"token_url": "http://127.0.0.1:8080/token"}, "127.0.0.1:8080"},
		"nothing":   {plugin.Config{}, "the authorization server"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := serverName(tc.cfg); got != tc.want {
				t.Errorf("serverName = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestBool(t *testing.T) {
	t.Parallel()
	cfg := plugin.Config{"yes": "true", "no": "0", "bad": "maybe"}
	for key, want := range map[string]bool{"yes": true, "no": false, "absent": true} {
		if got, err := Bool(cfg, key, true); err != nil || got != want {
			t.Errorf("Bool(%s) = %v, %v; want %v", key, got, err, want)
		}
	}
	if _, err := Bool(cfg, "bad", true); plugin.KindOf(err) != plugin.KindConfig {
		t.Errorf("Bool(bad) error %v, want a configuration error", err)
	}
}

func TestRefreshScopes(t *testing.T) {
	t.Parallel()
	withOIDC := []string{"api", "offline_access", "openid", "profile"}
	tests := map[string]struct {
		ep      endpoint.Endpoints
		granted string
		want    []string
	}{
		"server dropped the sign-in scopes": {ep: endpoint.Endpoints{Token: "https://idp.example/t"}, granted: "api", want: []string{"api"}},
		"server kept offline_access":        {ep: endpoint.Endpoints{Token: "https://idp.example/t"}, granted: "api offline_access", want: []string{"api", "offline_access"}},
		"server granted everything":         {ep: endpoint.Endpoints{Token: "https://idp.example/t"}, granted: "openid profile offline_access api", want: withOIDC},
		"unknown grant: as before":          {ep: endpoint.Endpoints{Token: "https://idp.example/t"}, granted: "", want: nil},
		"entra: as MSAL":                    {ep: endpoint.Endpoints{Tenant: "contoso", Token: "https://login.microsoftonline.com/contoso/oauth2/v2.0/token"}, granted: "api", want: nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := &grant.Setup{Endpoints: tc.ep, Scopes: withOIDC}
			if diff := cmp.Diff(tc.want, RefreshScopes(s, tc.granted)); diff != "" {
				t.Errorf("RefreshScopes (-want +got):\n%s", diff)
			}
		})
	}
}
