package entra

import (
	"net/url"
	"testing"

	"github.com/keyfob/keyfob/plugin"
)

func TestTenantOf(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"https://login.microsoftonline.com/contoso.onmicrosoft.com":  "contoso.onmicrosoft.com",
		"https://login.microsoftonline.com/common/":                  "common",
		"http://127.0.0.1:8080/organizations/oauth2/v2.0/token":      "organizations",
		"https://login.microsoftonline.us/0000-1111":                 "0000-1111",
		"https://login.microsoftonline.com":                          "",
		"://bad":                                                     "",
		"https://contoso.b2clogin.com/tfp/contoso.onmicrosoft.com/x": "tfp",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			if got := TenantOf(in); got != want {
				t.Errorf("TenantOf(%q) = %q, want %q", in, got, want)
			}
		})
	}
}

func TestCheckGrant(t *testing.T) {
	t.Parallel()
	password := url.Values{"grant_type": {"password"}}
	clientCreds := url.Values{"grant_type": {"client_credentials"}}
	obo := url.Values{"grant_type": {GrantJWTBearer}, "requested_token_use": {"on_behalf_of"}}
	jwtBearer := url.Values{"grant_type": {GrantJWTBearer}}
	refresh := url.Values{"grant_type": {"refresh_token"}}
	tests := map[string]struct {
		tenant  string
		form    url.Values
		refused bool
	}{
		"password on common":                  {"common", password, true},
		"password on Consumers":               {"Consumers", password, true},
		"password on organizations":           {"organizations", password, false},
		"password on a tenant":                {"contoso.onmicrosoft.com", password, false},
		"client_credentials on common":        {"common", clientCreds, true},
		"client_credentials on organizations": {"organizations", clientCreds, true},
		"client_credentials on consumers":     {"consumers", clientCreds, true},
		"client_credentials on a guid":        {"72f988bf-86f1-41af-91ab-2d7cd011db47", clientCreds, false},
		"obo on organizations":                {"organizations", obo, true},
		"obo on a tenant":                     {"contoso.com", obo, false},
		"plain jwt-bearer on common":          {"common", jwtBearer, false},
		"refresh on common":                   {"common", refresh, false},
		"not an Entra authority":              {"", password, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := CheckGrant(tc.tenant, tc.form)
			if tc.refused != (err != nil) {
				t.Fatalf("CheckGrant(%q, %v) = %v, want refused=%v", tc.tenant, tc.form, err, tc.refused)
			}
			if err != nil && plugin.KindOf(err) != plugin.KindConfig {
				t.Errorf("kind = %v, want config", plugin.KindOf(err))
			}
		})
	}
}
