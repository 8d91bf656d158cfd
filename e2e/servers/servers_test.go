package servers_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/keyfob/keyfob/e2e/servers"
)

// tokenResponse is the union of the token endpoint's success and error
// fields (RFC 6749 §5.1, §5.2).
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	IDToken      string `json:"id_token"`
	Scope        string `json:"scope"`
	Error        string `json:"error"`
}

// outcome is what the tests compare: the status, the OAuth error, and which
// tokens came back.
type outcome struct {
	Status         int
	Error          string
	HasAccessToken bool
	HasRefresh     bool
	HasIDToken     bool
}

func (r tokenResponse) outcome(status int) outcome {
	return outcome{
		Status:         status,
		Error:          r.Error,
		HasAccessToken: r.AccessToken != "",
		HasRefresh:     r.RefreshToken != "",
		HasIDToken:     r.IDToken != "",
	}
}

// postToken sends a token request with plain net/http. With method
// AuthMethodBasic the client authenticates in the Authorization header,
// with AuthMethodPost in the form.
func postToken(t *testing.T, tokenURL string, c servers.Client, method string, form url.Values) (int, tokenResponse) {
	t.Helper()
	form = cloneValues(form)
	if method == servers.AuthMethodPost {
		form.Set("client_id", c.ID)
		form.Set("client_secret", c.Secret)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if method == servers.AuthMethodBasic {
		req.SetBasicAuth(url.QueryEscape(c.ID), url.QueryEscape(c.Secret))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", tokenURL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading response: %v", err)
	}
	var tr tokenResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		t.Fatalf("POST %s: %s: body is not JSON: %q", tokenURL, resp.Status, body)
	}
	return resp.StatusCode, tr
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func withSecret(c servers.Client, secret string) servers.Client {
	c.Secret = secret
	return c
}

func TestZitadelClientCredentials(t *testing.T) {
	t.Parallel()
	z := servers.StartZitadel(t)
	ok := outcome{Status: http.StatusOK, HasAccessToken: true}
	openid := url.Values{"grant_type": {"client_credentials"}, "scope": {"openid"}}

	tests := map[string]struct {
		client servers.Client
		method string
		form   url.Values
		want   outcome
	}{
		"basic client, basic auth": {client: z.BasicClient, method: servers.AuthMethodBasic, form: openid, want: ok},
		"post client, post auth":   {client: z.PostClient, method: servers.AuthMethodPost, form: openid, want: ok},
		"stock client, basic auth": {client: z.StockClient, method: servers.AuthMethodBasic, form: openid, want: ok},
		"stock client, post auth":  {client: z.StockClient, method: servers.AuthMethodPost, form: openid, want: ok},
		"several allowed scopes": {
			client: z.BasicClient, method: servers.AuthMethodBasic,
			form: url.Values{"grant_type": {"client_credentials"}, "scope": {"openid api"}}, want: ok,
		},
		"basic client, post auth": {
			client: z.BasicClient, method: servers.AuthMethodPost, form: openid,
			want: outcome{Status: http.StatusUnauthorized, Error: "invalid_client"},
		},
		"post client, basic auth": {
			client: z.PostClient, method: servers.AuthMethodBasic, form: openid,
			want: outcome{Status: http.StatusUnauthorized, Error: "invalid_client"},
		},
		"basic client, wrong secret": {
			client: withSecret(z.BasicClient, "wrong"), method: servers.AuthMethodBasic, form: openid,
			want: outcome{Status: http.StatusUnauthorized, Error: "invalid_client"},
		},
		"post client, wrong secret": {
			client: withSecret(z.PostClient, "wrong"), method: servers.AuthMethodPost, form: openid,
			want: outcome{Status: http.StatusUnauthorized, Error: "invalid_client"},
		},
		"unknown client": {
			client: servers.Client{ID: "nobody", Secret: "x"}, method: servers.AuthMethodBasic, form: openid,
			want: outcome{Status: http.StatusUnauthorized, Error: "invalid_client"},
		},
		"stock client, wrong secret is a 500 (stock storage quirk)": {
			client: withSecret(z.StockClient, "wrong"), method: servers.AuthMethodBasic, form: openid,
			want: outcome{Status: http.StatusInternalServerError, Error: "server_error"},
		},
		"scope not allowed": {
			client: z.BasicClient, method: servers.AuthMethodBasic,
			form: url.Values{"grant_type": {"client_credentials"}, "scope": {"openid admin"}},
			want: outcome{Status: http.StatusBadRequest, Error: "invalid_scope"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			// Not parallel: the request counter is shared.
			before := z.TokenRequests()
			status, tr := postToken(t, z.TokenURL, tc.client, tc.method, tc.form)
			if diff := cmp.Diff(tc.want, tr.outcome(status)); diff != "" {
				t.Errorf("token response (-want +got):\n%s", diff)
			}
			if got := z.TokenRequests() - before; got != 1 {
				t.Errorf("token requests counted = %d, want 1", got)
			}
			if tr.AccessToken == "" {
				return
			}
			if tr.TokenType != "Bearer" {
				t.Errorf("token_type = %q, want Bearer", tr.TokenType)
			}
			if tc.client.ID == z.StockClient.ID {
				return // opaque token, nothing to verify offline
			}
			info, err := z.VerifyAccessToken(t.Context(), tr.AccessToken)
			if err != nil {
				t.Fatalf("VerifyAccessToken: %v", err)
			}
			if info.ClientID != tc.client.ID || info.Subject != tc.client.ID {
				t.Errorf("token client, subject = %q, %q; want %q", info.ClientID, info.Subject, tc.client.ID)
			}
			if until := time.Until(info.Expiry); until <= 0 || until > 6*time.Minute {
				t.Errorf("token expires in %v, want within 5 minutes", until)
			}
		})
	}
}

func TestZitadelCountsOnlyTokenPosts(t *testing.T) {
	t.Parallel()
	z := servers.StartZitadel(t)
	for _, u := range []string{z.Issuer + "/.well-known/openid-configuration", z.JWKSURL, z.TokenURL} {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		resp.Body.Close()
	}
	if got := z.TokenRequests(); got != 0 {
		t.Errorf("TokenRequests() = %d after GETs only, want 0", got)
	}
}

func TestZitadelRejectsForeignToken(t *testing.T) {
	t.Parallel()
	a, b := servers.StartZitadel(t), servers.StartZitadel(t)
	_, tr := postToken(t, a.TokenURL, a.BasicClient, servers.AuthMethodBasic, url.Values{"grant_type": {"client_credentials"}})
	if tr.AccessToken == "" {
		t.Fatalf("no access token: %+v", tr)
	}
	if _, err := b.VerifyAccessToken(t.Context(), tr.AccessToken); err == nil {
		t.Error("server b accepted a token issued by server a")
	}
	if _, err := a.VerifyAccessToken(t.Context(), tr.AccessToken+"x"); err == nil {
		t.Error("a tampered token was accepted")
	}
}

func TestFositePasswordAndRefresh(t *testing.T) {
	t.Parallel()
	f := servers.StartFosite(t)
	password := url.Values{
		"grant_type": {"password"},
		"username":   {f.User.Username},
		"password":   {f.User.Password},
		"scope":      {"openid offline_access api"},
	}

	status, first := postToken(t, f.TokenURL, f.Client, servers.AuthMethodBasic, password)
	if diff := cmp.Diff(outcome{Status: 200, HasAccessToken: true, HasRefresh: true}, first.outcome(status)); diff != "" {
		t.Fatalf("password grant (-want +got):\n%s", diff)
	}
	if first.TokenType != "bearer" {
		t.Errorf("token_type = %q, want fosite's lowercase bearer", first.TokenType)
	}
	checkIntrospection(t, f, first.AccessToken, f.Client.ID, []string{"openid", "offline_access", "api"})

	refresh := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first.RefreshToken}}
	status, second := postToken(t, f.TokenURL, f.Client, servers.AuthMethodBasic, refresh)
	want := outcome{Status: 200, HasAccessToken: true, HasRefresh: true, HasIDToken: true}
	if diff := cmp.Diff(want, second.outcome(status)); diff != "" {
		t.Fatalf("refresh grant (-want +got):\n%s", diff)
	}
	if second.AccessToken == first.AccessToken || second.RefreshToken == first.RefreshToken {
		t.Error("refresh returned the same tokens; want new ones (rotation)")
	}
	checkIntrospection(t, f, second.AccessToken, f.Client.ID, []string{"openid", "offline_access", "api"})

	// Reusing the rotated refresh token is refused, and revokes the grant.
	status, reuse := postToken(t, f.TokenURL, f.Client, servers.AuthMethodBasic, refresh)
	if diff := cmp.Diff(outcome{Status: 400, Error: "invalid_grant"}, reuse.outcome(status)); diff != "" {
		t.Errorf("refresh token reuse (-want +got):\n%s", diff)
	}
	if _, err := f.IntrospectAccessToken(t.Context(), second.AccessToken); err == nil {
		t.Error("access token still active after refresh token reuse; want revoked")
	}
	if got := f.GrantRequests("password"); got != 1 {
		t.Errorf("password requests = %d, want 1", got)
	}
	if got := f.GrantRequests("refresh_token"); got != 2 {
		t.Errorf("refresh_token requests = %d, want 2", got)
	}
}

func TestFositeTokenRequests(t *testing.T) {
	t.Parallel()
	f := servers.StartFosite(t)
	password := func(scope string) url.Values {
		return url.Values{
			"grant_type": {"password"},
			"username":   {f.User.Username},
			"password":   {f.User.Password},
			"scope":      {scope},
		}
	}
	cc := url.Values{"grant_type": {"client_credentials"}, "scope": {"api"}}
	ok := outcome{Status: 200, HasAccessToken: true}

	tests := map[string]struct {
		client servers.Client
		method string
		form   url.Values
		want   outcome
	}{
		"password without offline scope: no refresh token": {
			client: f.Client, method: servers.AuthMethodBasic, form: password("api"), want: ok,
		},
		"password, post client": {
			client: f.PostClient, method: servers.AuthMethodPost, form: password("offline api"),
			want: outcome{Status: 200, HasAccessToken: true, HasRefresh: true},
		},
		"client_credentials, basic": {client: f.Client, method: servers.AuthMethodBasic, form: cc, want: ok},
		"client_credentials, post":  {client: f.PostClient, method: servers.AuthMethodPost, form: cc, want: ok},
		"wrong client secret": {
			client: withSecret(f.Client, "wrong"), method: servers.AuthMethodBasic, form: password("api"),
			want: outcome{Status: http.StatusUnauthorized, Error: "invalid_client"},
		},
		"wrong client secret, post": {
			client: withSecret(f.PostClient, "wrong"), method: servers.AuthMethodPost, form: cc,
			want: outcome{Status: http.StatusUnauthorized, Error: "invalid_client"},
		},
		"basic client, post auth": {
			client: f.Client, method: servers.AuthMethodPost, form: cc,
			want: outcome{Status: http.StatusUnauthorized, Error: "invalid_client"},
		},
		"post client, basic auth": {
			client: f.PostClient, method: servers.AuthMethodBasic, form: cc,
			want: outcome{Status: http.StatusUnauthorized, Error: "invalid_client"},
		},
		"wrong user password": {
			client: f.Client, method: servers.AuthMethodBasic,
			form: func() url.Values { v := password("api"); v.Set("password", "wrong"); return v }(),
			want: outcome{Status: http.StatusBadRequest, Error: "invalid_grant"},
		},
		"scope not allowed": {
			client: f.Client, method: servers.AuthMethodBasic, form: password("api admin"),
			want: outcome{Status: http.StatusBadRequest, Error: "invalid_scope"},
		},
		"unknown refresh token": {
			client: f.Client, method: servers.AuthMethodBasic,
			form: url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"nope.nope"}},
			want: outcome{Status: http.StatusBadRequest, Error: "invalid_grant"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			status, tr := postToken(t, f.TokenURL, tc.client, tc.method, tc.form)
			if diff := cmp.Diff(tc.want, tr.outcome(status)); diff != "" {
				t.Errorf("token response (-want +got):\n%s", diff)
			}
			if tr.AccessToken != "" {
				checkIntrospection(t, f, tr.AccessToken, tc.client.ID, strings.Fields(tc.form.Get("scope")))
			}
		})
	}
}

func TestFositeIssueRefreshToken(t *testing.T) {
	t.Parallel()
	f := servers.StartFosite(t)
	rt := f.IssueRefreshToken(t)
	if got := f.TokenRequests(); got != 1 {
		t.Errorf("TokenRequests() = %d after IssueRefreshToken, want 1", got)
	}
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}
	status, tr := postToken(t, f.TokenURL, f.Client, servers.AuthMethodBasic, form)
	want := outcome{Status: 200, HasAccessToken: true, HasRefresh: true, HasIDToken: true}
	if diff := cmp.Diff(want, tr.outcome(status)); diff != "" {
		t.Fatalf("refresh with the issued token (-want +got):\n%s", diff)
	}
	// The refresh token is bound to Client.
	status, tr = postToken(t, f.TokenURL, f.PostClient, servers.AuthMethodPost, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tr.RefreshToken}})
	if diff := cmp.Diff(outcome{Status: 400, Error: "invalid_grant"}, tr.outcome(status)); diff != "" {
		t.Errorf("refresh by another client (-want +got):\n%s", diff)
	}
}

func TestFositeRevocation(t *testing.T) {
	t.Parallel()
	f := servers.StartFosite(t)
	_, tr := postToken(t, f.TokenURL, f.Client, servers.AuthMethodBasic, url.Values{"grant_type": {"client_credentials"}, "scope": {"api"}})
	form := url.Values{"token": {tr.AccessToken}, "token_type_hint": {"access_token"}}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, f.RevocationURL, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(f.Client.ID, f.Client.Secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("revocation: %s", resp.Status)
	}
	if _, err := f.IntrospectAccessToken(t.Context(), tr.AccessToken); err == nil {
		t.Error("revoked access token is still active")
	}
	if got := f.TokenRequests(); got != 1 {
		t.Errorf("TokenRequests() = %d, want 1 (revocation is not a token request)", got)
	}
}

func checkIntrospection(t *testing.T, f *servers.Fosite, token, clientID string, scopes []string) {
	t.Helper()
	info, err := f.IntrospectAccessToken(t.Context(), token)
	if err != nil {
		t.Fatalf("IntrospectAccessToken: %v", err)
	}
	if info.ClientID != clientID {
		t.Errorf("token client = %q, want %q", info.ClientID, clientID)
	}
	if diff := cmp.Diff(scopes, info.Scopes, cmpopts.SortSlices(func(a, b string) bool { return a < b }), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("granted scopes (-want +got):\n%s", diff)
	}
	if until := time.Until(info.Expiry); until <= 0 || until > time.Hour+time.Minute {
		t.Errorf("token expires in %v, want within an hour", until)
	}
}
