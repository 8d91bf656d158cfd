package managedidentity

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/plugin"
)

const arm = "https://management.azure.com/"

func TestIMDS(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		cfg       plugin.Config
		scopes    []string
		wantQuery url.Values
	}{
		"system-assigned, resource kept verbatim": {
			cfg:       plugin.Config{"resource": arm},
			wantQuery: url.Values{"api-version": {"2018-02-01"}, "resource": {arm}},
		},
		"scope becomes resource": {
			cfg:       plugin.Config{"scopes": `["https://vault.azure.net/.default"]`},
			wantQuery: url.Values{"api-version": {"2018-02-01"}, "resource": {"https://vault.azure.net"}},
		},
		"request scope wins": {
			cfg: plugin.Config{"resource": arm}, scopes: []string{"api://app/.default"},
			wantQuery: url.Values{"api-version": {"2018-02-01"}, "resource": {"api://app"}},
		},
		"client_id": {
			cfg:       plugin.Config{"resource": arm, "client_id": "cid"},
			wantQuery: url.Values{"api-version": {"2018-02-01"}, "resource": {arm}, "client_id": {"cid"}},
		},
		"object_id": {
			cfg:       plugin.Config{"resource": arm, "object_id": "oid"},
			wantQuery: url.Values{"api-version": {"2018-02-01"}, "resource": {arm}, "object_id": {"oid"}},
		},
		"msi_res_id": {
			cfg:       plugin.Config{"resource": arm, "msi_res_id": "/subscriptions/s/resourcegroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/u"},
			wantQuery: url.Values{"api-version": {"2018-02-01"}, "resource": {arm}, "msi_res_id": {"/subscriptions/s/resourcegroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/u"}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			imds := newIMDS(t)
			tc.cfg[KeyIMDSEndpoint] = imds.url()
			before := time.Now()
			tok, _, err := getToken(t, fastProvider, tc.cfg, tc.scopes...)
			if err != nil {
				t.Fatal(err)
			}
			if tok.AccessToken.Reveal() != "mi-at-1" || tok.TokenType != "Bearer" || tok.State != nil || tok.NoCache {
				t.Errorf("token = %+v", tok)
			}
			// expires_on (a string) is the expiry, to the second.
			if want := before.Add(3599 * time.Second).Truncate(time.Second); tok.ExpiresAt.Before(want) || tok.ExpiresAt.After(want.Add(2*time.Second)) {
				t.Errorf("ExpiresAt = %v, want about %v", tok.ExpiresAt, want)
			}
			reqs := imds.requests()
			if len(reqs) != 1 {
				t.Fatalf("requests = %d, want 1", len(reqs))
			}
			if diff := cmp.Diff(tc.wantQuery, reqs[0].URL.Query()); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
			if got := reqs[0].Header.Get("Metadata"); got != "true" {
				t.Errorf("Metadata header = %q, want true", got)
			}
		})
	}
}

func TestIMDSRetries(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		statuses   []int
		maxRetries int
		wantKind   plugin.Kind // KindInternal: success
		wantTries  int
	}{
		"410 restarting, then a token": {statuses: []int{410, 200}, wantTries: 2},
		"404, 429, 500, 503, token":    {statuses: []int{404, 429, 500, 503, 200}, wantTries: 5},
		"400 is not retried":           {statuses: []int{400}, wantKind: plugin.KindRefused, wantTries: 1},
		"403 is not retried":           {statuses: []int{403}, wantKind: plugin.KindRefused, wantTries: 1},
		"410 for good":                 {statuses: []int{410}, maxRetries: 2, wantKind: plugin.KindUnavailable, wantTries: 3},
		"404 for good":                 {statuses: []int{404}, maxRetries: 1, wantKind: plugin.KindUnavailable, wantTries: 2},
		"500 for good":                 {statuses: []int{500}, maxRetries: 3, wantKind: plugin.KindUnavailable, wantTries: 4},
		"default retries":              {statuses: []int{503}, wantKind: plugin.KindUnavailable, wantTries: DefaultMaxRetries + 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			imds := newIMDS(t, tc.statuses...)
			p := Provider{Backoff: time.Millisecond, MaxRetries: tc.maxRetries}
			tok, _, err := getToken(t, p, plugin.Config{"resource": arm, KeyIMDSEndpoint: imds.url()})
			if got := len(imds.requests()); got != tc.wantTries {
				t.Errorf("requests = %d, want %d", got, tc.wantTries)
			}
			if tc.wantKind == plugin.KindInternal {
				if err != nil || tok.AccessToken.Reveal() != "mi-at-"+strconv.Itoa(tc.wantTries) {
					t.Fatalf("GetToken = %+v, %v; want the token of the last attempt", tok, err)
				}
				return
			}
			if got := plugin.KindOf(err); got != tc.wantKind {
				t.Fatalf("error = %v (kind %v), want kind %v", err, got, tc.wantKind)
			}
			var oe *plugin.OAuthError
			if !errors.As(err, &oe) || oe.StatusCode != tc.statuses[0] || oe.Host != imds.srv.Listener.Addr().String() {
				t.Errorf("error = %#v, want the endpoint's OAuthError", err)
			}
		})
	}
}

// TestRetryWithinDeadline checks that a backoff that would outlast the
// caller's deadline is not waited for.
func TestRetryWithinDeadline(t *testing.T) {
	t.Parallel()
	imds := newIMDS(t, 410)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req := &plugin.Request{Config: plugin.Config{"resource": arm, KeyIMDSEndpoint: imds.url()},
		Interaction: plugin.NoInteraction{}, Logger: hclog.NewNullLogger()}
	start := time.Now()
	_, err := Provider{Backoff: time.Hour}.GetToken(ctx, req)
	if plugin.KindOf(err) != plugin.KindUnavailable {
		t.Fatalf("error = %v, want unavailable", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v; a wait past the deadline should not start", d)
	}
	if n := len(imds.requests()); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
}

func TestUnreachable(t *testing.T) {
	t.Parallel()
	imds := newIMDS(t)
	dead := imds.url()
	imds.srv.Close()
	_, _, err := getToken(t, fastProvider, plugin.Config{"resource": arm, KeyIMDSEndpoint: dead})
	if plugin.KindOf(err) != plugin.KindUnavailable || !strings.Contains(err.Error(), "managed identity") {
		t.Fatalf("error = %v, want unavailable naming the managed identity endpoint", err)
	}
}

func TestAppService(t *testing.T) {
	t.Parallel()
	future := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	tests := map[string]struct {
		source     string
		id         [2]string
		wantQuery  url.Values
		wantHeader [2]string
		expiresOn  string
	}{
		"2019-08-01, system-assigned": {
			wantQuery:  url.Values{"api-version": {"2019-08-01"}, "resource": {arm}},
			wantHeader: [2]string{"X-IDENTITY-HEADER", "identity-header-secret"},
			expiresOn:  strconv.FormatInt(future.Unix(), 10),
		},
		"2019-08-01, object_id is principal_id": {
			id:         [2]string{"object_id", "oid"},
			wantQuery:  url.Values{"api-version": {"2019-08-01"}, "resource": {arm}, "principal_id": {"oid"}},
			wantHeader: [2]string{"X-IDENTITY-HEADER", "identity-header-secret"},
			expiresOn:  strconv.FormatInt(future.Unix(), 10),
		},
		"2019-08-01, msi_res_id is mi_res_id": {
			id:         [2]string{"msi_res_id", "/subscriptions/s/rg/u"},
			wantQuery:  url.Values{"api-version": {"2019-08-01"}, "resource": {arm}, "mi_res_id": {"/subscriptions/s/rg/u"}},
			wantHeader: [2]string{"X-IDENTITY-HEADER", "identity-header-secret"},
			expiresOn:  strconv.FormatInt(future.Unix(), 10),
		},
		"2019-08-01, client_id": {
			id:         [2]string{"client_id", "cid"},
			wantQuery:  url.Values{"api-version": {"2019-08-01"}, "resource": {arm}, "client_id": {"cid"}},
			wantHeader: [2]string{"X-IDENTITY-HEADER", "identity-header-secret"},
			expiresOn:  strconv.FormatInt(future.Unix(), 10),
		},
		"2017-09-01, a date expiry": {
			source:     SourceAppService2017,
			id:         [2]string{"client_id", "cid"},
			wantQuery:  url.Values{"api-version": {"2017-09-01"}, "resource": {arm}, "clientid": {"cid"}},
			wantHeader: [2]string{"secret", "identity-header-secret"},
			expiresOn:  future.Format("01/02/2006 15:04:05 -07:00"),
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := &fake{path: "/msi/token"}
			f.check = func(r *http.Request) string {
				if r.Header.Get(tc.wantHeader[0]) != tc.wantHeader[1] {
					return "missing identity header"
				}
				return ""
			}
			f.ok = func(w http.ResponseWriter, r *http.Request, n int) {
				writeJSON(w, http.StatusOK, map[string]string{"access_token": "app-service-at", "expires_on": tc.expiresOn,
					"resource": arm, "token_type": "Bearer", "client_id": "cid"})
			}
			f.start(t)
			cfg := plugin.Config{"resource": arm, KeyIdentityEndpoint: f.url(), KeyIdentitySecret: "identity-header-secret"}
			if tc.source != "" {
				cfg[KeySource] = tc.source
			}
			if tc.id[0] != "" {
				cfg[tc.id[0]] = tc.id[1]
			}
			tok, logs, err := getToken(t, fastProvider, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if tok.AccessToken.Reveal() != "app-service-at" || !tok.ExpiresAt.Equal(future) {
				t.Errorf("token = %s, expires %v; want app-service-at, %v", tok.AccessToken.Reveal(), tok.ExpiresAt, future)
			}
			reqs := f.requests()
			if diff := cmp.Diff(tc.wantQuery, reqs[0].URL.Query()); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
			if reqs[0].Header.Get("Metadata") != "" {
				t.Errorf("App Service request carries IMDS's Metadata header")
			}
			if strings.Contains(logs, "identity-header-secret") || strings.Contains(logs, "app-service-at") {
				t.Errorf("the logs show a secret:\n%s", logs)
			}
		})
	}
}

// TestAppServiceError checks that App Service's own error shape
// ({"statusCode", "message"}) gives a readable refusal.
func TestAppServiceError(t *testing.T) {
	t.Parallel()
	f := &fake{path: "/msi/token", check: func(*http.Request) string { return "" }}
	f.ok = func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, http.StatusBadRequest, map[string]any{"statusCode": 400, "message": "Unable to load the proper Managed Identity."})
	}
	f.start(t)
	_, _, err := getToken(t, fastProvider, plugin.Config{"resource": arm, KeyIdentityEndpoint: f.url(), KeyIdentitySecret: "s"})
	var oe *plugin.OAuthError
	if !errors.As(err, &oe) || plugin.KindOf(err) != plugin.KindRefused || !strings.Contains(err.Error(), "Unable to load") {
		t.Fatalf("error = %v, want a refusal with App Service's message", err)
	}
	if n := len(f.requests()); n != 1 {
		t.Errorf("requests = %d, want 1 (400 is not retried)", n)
	}
}

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	const closed = "http://127.0.0.1:9/metadata/identity/oauth2/token" // never reached
	tests := map[string]struct {
		cfg    plugin.Config
		scopes []string
		want   string
	}{
		"no resource":           {cfg: plugin.Config{KeyIMDSEndpoint: closed}, want: "resource"},
		"two scopes":            {cfg: plugin.Config{KeyIMDSEndpoint: closed}, scopes: []string{"a/.default", "b/.default"}, want: "exactly one"},
		"two identities":        {cfg: plugin.Config{"resource": arm, KeyIMDSEndpoint: closed, "client_id": "a", "object_id": "b"}, want: "only one"},
		"unknown source":        {cfg: plugin.Config{"resource": arm, KeyIMDSEndpoint: closed, KeySource: "arc"}, want: "arc"},
		"app service no secret": {cfg: plugin.Config{"resource": arm, KeyIdentityEndpoint: "http://127.0.0.1:9/msi"}, want: KeyIdentitySecret},
		"app service no endpoint": {
			cfg: plugin.Config{"resource": arm, KeyIMDSEndpoint: closed, KeySource: SourceAppService}, want: KeyIdentityEndpoint,
		},
		"app service over http off loopback": {
			cfg: plugin.Config{"resource": arm, KeyIdentityEndpoint: "http://10.0.0.4:8081/msi/token", KeyIdentitySecret: "s"}, want: "http",
		},
		"app service on the IMDS address over http": {
			cfg: plugin.Config{"resource": arm, KeyIdentityEndpoint: "http://169.254.169.254/msi/token", KeyIdentitySecret: "s"}, want: "http",
		},
		"IMDS over http off link-local": {
			cfg: plugin.Config{"resource": arm, KeyIMDSEndpoint: "http://10.0.0.4/metadata/identity/oauth2/token"}, want: "http",
		},
		"2017 endpoint with object_id": {
			cfg: plugin.Config{"resource": arm, KeySource: SourceAppService2017, KeyIdentityEndpoint: "http://127.0.0.1:9/msi",
				KeyIdentitySecret: "s", "object_id": "oid"},
			want: "object_id",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, _, err := getToken(t, fastProvider, tc.cfg, tc.scopes...)
			if plugin.KindOf(err) != plugin.KindConfig || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want a configuration error mentioning %q", err, tc.want)
			}
		})
	}
}

// TestCheckURL covers CONTRACT §7's exception: plain http only for the
// managed-identity endpoints, and a secret only to loopback over http.
func TestCheckURL(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw       string
		linkLocal bool
		ok        bool
	}{
		"default IMDS":                  {raw: DefaultIMDSEndpoint, linkLocal: true, ok: true},
		"IMDS over IPv6 link-local":     {raw: "http://[fe80::1]/metadata/identity/oauth2/token", linkLocal: true, ok: true},
		"link-local http with a secret": {raw: DefaultIMDSEndpoint, linkLocal: false, ok: false},
		"App Service on 127.0.0.1":      {raw: "http://127.0.0.1:41741/msi/token", ok: true},
		"App Service on localhost":      {raw: "http://localhost:41741/msi/token", ok: true},
		"https anywhere":                {raw: "https://mi.example.com/token", ok: true},
		"http elsewhere":                {raw: "http://10.0.0.4:2579/metadata/identity/oauth2/token", linkLocal: true, ok: false},
		"http by name":                  {raw: "http://metadata.example.com/token", linkLocal: true, ok: false},
		"other scheme":                  {raw: "ftp://127.0.0.1/token", linkLocal: true, ok: false},
		"no host":                       {raw: "http:///token", linkLocal: true, ok: false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := checkURL("k", tc.raw, tc.linkLocal)
			if (err == nil) != tc.ok {
				t.Errorf("checkURL(%q, linkLocal=%v) = %v, want ok=%v", tc.raw, tc.linkLocal, err, tc.ok)
			}
			if err != nil && plugin.KindOf(err) != plugin.KindConfig {
				t.Errorf("error %v is not a configuration error", err)
			}
		})
	}
}

func TestDefaultHTTPClientHasNoProxy(t *testing.T) {
	t.Parallel()
	tr, ok := defaultHTTPClient().Transport.(*http.Transport)
	if !ok || tr.Proxy != nil {
		t.Errorf("default transport = %T with a proxy function; want no proxy", defaultHTTPClient().Transport)
	}
	if defaultHTTPClient().CheckRedirect == nil {
		t.Errorf("the default client follows redirects")
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	tests := map[string]time.Duration{"": 0, "3": 3 * time.Second, "-1": 0, "garbage": 0, "86400": maxRetryAfter}
	for in, want := range tests {
		if got := retryAfter(http.Header{"Retry-After": {in}}); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestInfoKeys(t *testing.T) {
	t.Parallel()
	for _, k := range Info.Keys {
		spec, ok := config.Lookup(k.Name)
		if !ok {
			t.Errorf("key %s is not a configuration key", k.Name)
			continue
		}
		if spec.Secret != k.Secret || spec.List != k.List {
			t.Errorf("key %s: Info says secret=%v list=%v, the key table secret=%v list=%v", k.Name, k.Secret, k.List, spec.Secret, spec.List)
		}
	}
}
