package endpoint

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		cfg     plugin.Config
		want    Endpoints
		wantErr plugin.Kind
	}{
		"entra authority with a domain tenant": {
			cfg: plugin.Config{"authority": "https://login.microsoftonline.com/contoso.onmicrosoft.com/"},
			want: Endpoints{
				Issuer:              "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0",
				Token:               "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
				DeviceAuthorization: "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/devicecode",
				Authorization:       "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize",
				Tenant:              "contoso.onmicrosoft.com",
			},
		},
		"explicit token_url wins over the authority": {
			cfg: plugin.Config{"authority": "https://login.microsoftonline.com/common", "token_url": "https://idp.example.com/t"},
			want: Endpoints{
				Issuer:              "https://login.microsoftonline.com/common/v2.0",
				Token:               "https://idp.example.com/t",
				DeviceAuthorization: "https://login.microsoftonline.com/common/oauth2/v2.0/devicecode",
				Authorization:       "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
				Tenant:              "common",
			},
		},
		"token_url alone":                    {cfg: plugin.Config{"token_url": "http://127.0.0.1:8080/token"}, want: Endpoints{Token: "http://127.0.0.1:8080/token"}},
		"nothing":                            {cfg: plugin.Config{}, wantErr: plugin.KindConfig},
		"authority without tenant":           {cfg: plugin.Config{"authority": "https://login.microsoftonline.com"}, wantErr: plugin.KindConfig},
		"plain http token_url is refused":    {cfg: plugin.Config{"token_url": "http://idp.example.com/token"}, wantErr: plugin.KindConfig},
		"plain http authority is refused":    {cfg: plugin.Config{"authority": "http://login.example.com/t"}, wantErr: plugin.KindConfig},
		"plain http device url is refused":   {cfg: plugin.Config{"token_url": "https://a/t", "device_authorization_url": "http://a/d"}, wantErr: plugin.KindConfig},
		"unreachable issuer is unavailable":  {cfg: plugin.Config{"issuer": "http://127.0.0.1:1"}, wantErr: plugin.KindUnavailable},
		"plain http issuer is refused early": {cfg: plugin.Config{"issuer": "http://issuer.example.com"}, wantErr: plugin.KindConfig},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Resolve(context.Background(), tc.cfg, http.DefaultClient)
			if tc.wantErr != plugin.KindInternal {
				if err == nil || plugin.KindOf(err) != tc.wantErr {
					t.Fatalf("Resolve() error = %v (kind %v), want kind %v", err, plugin.KindOf(err), tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve() error = %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Resolve() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDiscover(t *testing.T) {
	t.Parallel()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/realm/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{
			"issuer": srv.URL + "/realm", "token_endpoint": srv.URL + "/realm/token",
			"device_authorization_endpoint": srv.URL + "/realm/device", "revocation_endpoint": srv.URL + "/realm/revoke",
		})
	}))
	defer srv.Close()
	got, err := Resolve(context.Background(), plugin.Config{"issuer": srv.URL + "/realm/"}, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	want := Endpoints{Issuer: srv.URL + "/realm", Token: srv.URL + "/realm/token",
		DeviceAuthorization: srv.URL + "/realm/device", Revocation: srv.URL + "/realm/revoke"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := Resolve(context.Background(), plugin.Config{"issuer": srv.URL + "/other"}, srv.Client()); plugin.KindOf(err) != plugin.KindUnavailable {
		t.Errorf("missing discovery document: error %v, want unavailable", err)
	}
}
