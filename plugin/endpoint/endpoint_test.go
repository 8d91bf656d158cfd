package endpoint

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
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

// TestDiscoverChecksTheIssuer: a discovery document naming another issuer
// is refused (exit 2) before any of its endpoints is used; only a trailing
// slash may differ.
func TestDiscoverChecksTheIssuer(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		configured, served string // paths below the server's URL; served "-" omits the issuer
		wantErr            bool
	}{
		"identical":                    {configured: "/realm", served: "/realm"},
		"trailing slash configured":    {configured: "/realm/", served: "/realm"},
		"trailing slash served":        {configured: "/realm", served: "/realm/"},
		"another realm":                {configured: "/realm", served: "/other", wantErr: true},
		"another host":                 {configured: "/realm", served: "https://evil.example/realm", wantErr: true},
		"case differs":                 {configured: "/realm", served: "/Realm", wantErr: true},
		"no issuer in the document":    {configured: "/realm", served: "-", wantErr: true},
		"prefix of the configured one": {configured: "/realm", served: "", wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var srv *httptest.Server
			srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				doc := map[string]string{"token_endpoint": srv.URL + "/realm/token"}
				switch {
				case tc.served == "-":
				case strings.HasPrefix(tc.served, "https://"):
					doc["issuer"] = tc.served
				default:
					doc["issuer"] = srv.URL + tc.served
				}
				_ = json.NewEncoder(w).Encode(doc)
			}))
			t.Cleanup(srv.Close)
			ep, err := Resolve(context.Background(), plugin.Config{"issuer": srv.URL + tc.configured}, srv.Client())
			if !tc.wantErr {
				if err != nil || ep.Token != srv.URL+"/realm/token" {
					t.Fatalf("Resolve = %+v, %v; want the document's endpoints", ep, err)
				}
				return
			}
			if plugin.KindOf(err) != plugin.KindConfig || !strings.Contains(err.Error(), "is not the configured issuer") || ep.Token != "" {
				t.Fatalf("Resolve = %+v, %v (kind %v); want a configuration error and no endpoints", ep, err, plugin.KindOf(err))
			}
		})
	}
}

func TestIsEntra(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		ep   Endpoints
		want bool
	}{
		"authority":          {Endpoints{Tenant: "contoso", Token: "https://127.0.0.1:1/contoso/oauth2/v2.0/token"}, true},
		"entra token url":    {Endpoints{Token: "https://login.microsoftonline.com/contoso/oauth2/v2.0/token"}, true},
		"china cloud":        {Endpoints{Token: "https://login.chinacloudapi.cn/t/oauth2/v2.0/token"}, true},
		"another server":     {Endpoints{Token: "https://idp.example.com/oauth2/token"}, false},
		"look-alike host":    {Endpoints{Token: "https://login.microsoftonline.com.evil.example/t"}, false},
		"nothing configured": {Endpoints{}, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := tc.ep.IsEntra(); got != tc.want {
				t.Errorf("IsEntra() = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestResolveTakesTheHostsDiscovery: with the host's discovered issuer
// beside the endpoint URLs there is no discovery request; the issuer is
// checked again and the iss promise kept.
func TestResolveTakesTheHostsDiscovery(t *testing.T) {
	t.Parallel()
	cfg := plugin.Config{"issuer": "https://idp.example/realm/", KeyDiscoveredIssuer: "https://idp.example/realm", KeyIssParameter: "true",
		"token_url": "https://idp.example/realm/token", "authorization_url": "https://idp.example/realm/auth", "revocation_url": "https://idp.example/realm/revoke"}
	noNetwork := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request to %s", r.URL)
		return nil, http.ErrHandlerTimeout
	})}
	got, err := Resolve(context.Background(), cfg, noNetwork)
	want := Endpoints{Issuer: "https://idp.example/realm", Token: "https://idp.example/realm/token", Authorization: "https://idp.example/realm/auth",
		Revocation: "https://idp.example/realm/revoke", IssParameter: true}
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	cfg[KeyDiscoveredIssuer] = "https://evil.example/realm"
	if _, err := Resolve(context.Background(), cfg, noNetwork); plugin.KindOf(err) != plugin.KindConfig {
		t.Errorf("another discovered issuer: error %v, want a configuration error", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
