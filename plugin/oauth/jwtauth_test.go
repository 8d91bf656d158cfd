package oauth

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
)

const (
	jwtTokenURL = "https://idp.example/oauth2/token"
	jwtIssuer   = "https://idp.example/"
)

func TestPrivateKeyJWTApply(t *testing.T) {
	t.Parallel()
	signer, pub := testSigner(t)
	tests := map[string]struct {
		audience Audience
		issuer   string
		wantAud  any
		wantErr  string
	}{
		"default is the token endpoint": {wantAud: jwtTokenURL},
		"token endpoint":                {audience: AudienceTokenEndpoint, issuer: jwtIssuer, wantAud: jwtTokenURL},
		"issuer":                        {audience: AudienceIssuer, issuer: jwtIssuer, wantAud: jwtIssuer},
		"both":                          {audience: AudienceBoth, issuer: jwtIssuer, wantAud: []any{jwtTokenURL, jwtIssuer}},
		"issuer unknown": {
			audience: AudienceIssuer, wantErr: "key client_assertion_audience is issuer, but the issuer is unknown (set authority or issuer)",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req := &AuthRequest{Form: url.Values{"client_id": {"app-id"}}, Header: http.Header{},
				TokenURL: jwtTokenURL, ClientID: "app-id", Issuer: tc.issuer}
			err := PrivateKeyJWT{Signer: signer, Audience: tc.audience}.Apply(t.Context(), req)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr || plugin.KindOf(err) != plugin.KindConfig {
					t.Fatalf("Apply() = %v, want config error %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			claims := verifyAssertion(t, req.Form.Get("client_assertion"), pub)
			got := map[string]any{"aud": claims["aud"], "iss": claims["iss"], "sub": claims["sub"],
				"client_id": req.Form.Get("client_id"), "client_assertion_type": req.Form.Get("client_assertion_type"),
				"authorization": req.Header.Get("Authorization")}
			want := map[string]any{"aud": tc.wantAud, "iss": "app-id", "sub": "app-id",
				"client_id": "app-id", "client_assertion_type": AssertionType, "authorization": ""}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestPrivateKeyJWTFreshJTIPerApply(t *testing.T) {
	t.Parallel()
	signer, pub := testSigner(t)
	auth := PrivateKeyJWT{Signer: signer}
	seen := map[string]bool{}
	for range 20 {
		req := &AuthRequest{Form: url.Values{}, Header: http.Header{}, TokenURL: jwtTokenURL, ClientID: "app-id"}
		if err := auth.Apply(t.Context(), req); err != nil {
			t.Fatal(err)
		}
		seen[verifyAssertion(t, req.Form.Get("client_assertion"), pub)["jti"].(string)] = true
	}
	if len(seen) != 20 {
		t.Errorf("20 Applies gave %d distinct jtis, want 20", len(seen))
	}
}

// TestPrivateKeyJWTRetries checks that every attempt carries a new
// assertion: servers accept a jti once.
func TestPrivateKeyJWTRetries(t *testing.T) {
	t.Parallel()
	signer, pub := testSigner(t)
	busy := jsonReply(http.StatusServiceUnavailable, `{"error":"temporarily_unavailable"}`)
	st, srv := newStub(t, busy, busy, jsonReply(http.StatusOK, tokenBody))
	c := testClient(srv.URL+"/token", PrivateKeyJWT{Signer: signer})
	if _, err := c.Token(t.Context(), url.Values{"grant_type": {"client_credentials"}}); err != nil {
		t.Fatalf("Token() = %v", err)
	}
	reqs := st.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3 (two 503s, then success)", len(reqs))
	}
	assertions, jtis := map[string]bool{}, map[string]bool{}
	for i, r := range reqs {
		claims := verifyAssertion(t, r.Form.Get("client_assertion"), pub)
		assertions[r.Form.Get("client_assertion")] = true
		jtis[claims["jti"].(string)] = true
		got := []string{r.Form.Get("client_id"), r.Form.Get("client_assertion_type"), claims["aud"].(string)}
		if diff := cmp.Diff([]string{"app-id", AssertionType, srv.URL + "/token"}, got); diff != "" {
			t.Errorf("attempt %d: [client_id, client_assertion_type, aud] (-want +got):\n%s", i+1, diff)
		}
		if r.HasBasic {
			t.Errorf("attempt %d: an Authorization header was sent too", i+1)
		}
	}
	if len(assertions) != 3 || len(jtis) != 3 {
		t.Errorf("3 attempts sent %d distinct assertions with %d distinct jtis, want 3 each", len(assertions), len(jtis))
	}
}

func TestPrivateKeyJWTIssuerFromClient(t *testing.T) {
	t.Parallel()
	signer, pub := testSigner(t)
	st, srv := newStub(t, jsonReply(http.StatusOK, tokenBody))
	c := testClient(srv.URL+"/token", PrivateKeyJWT{Signer: signer, Audience: AudienceIssuer})
	c.Issuer = jwtIssuer
	if _, err := c.Token(t.Context(), url.Values{"grant_type": {"client_credentials"}}); err != nil {
		t.Fatal(err)
	}
	if aud := verifyAssertion(t, st.requests()[0].Form.Get("client_assertion"), pub)["aud"]; aud != jwtIssuer {
		t.Errorf("aud = %v, want the Client's issuer %s", aud, jwtIssuer)
	}
}

func TestPrivateKeyJWTNeeds(t *testing.T) {
	t.Parallel()
	signer, _ := testSigner(t)
	tests := map[string]struct {
		auth     PrivateKeyJWT
		clientID string
		wantErr  string
	}{
		"client id": {auth: PrivateKeyJWT{Signer: signer}, wantErr: "client_auth private_key_jwt needs a client_id"},
		"signer":    {auth: PrivateKeyJWT{}, clientID: "a", wantErr: "client_auth private_key_jwt needs a client_certificate"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req := &AuthRequest{Form: url.Values{}, Header: http.Header{}, TokenURL: jwtTokenURL, ClientID: tc.clientID}
			if err := tc.auth.Apply(t.Context(), req); err == nil || err.Error() != tc.wantErr || plugin.KindOf(err) != plugin.KindConfig {
				t.Errorf("Apply() = %v, want config error %q", err, tc.wantErr)
			}
		})
	}
}

func TestJWTAssertion(t *testing.T) {
	t.Parallel()
	errSource := errors.New("token file unreadable")
	tests := map[string]struct {
		get      func(context.Context, string) (plugin.Secret, error)
		want     url.Values
		wantErr  string
		wantKind plugin.Kind
	}{
		"sets the assertion": {
			get: func(_ context.Context, tokenURL string) (plugin.Secret, error) {
				return plugin.NewSecret("jwt-for-" + tokenURL + "\n"), nil
			},
			want: url.Values{"client_id": {"app-id"}, "client_assertion_type": {AssertionType}, "client_assertion": {"jwt-for-" + jwtTokenURL}},
		},
		"no source":     {wantErr: "client_auth private_key_jwt has no assertion source", wantKind: plugin.KindConfig},
		"empty":         {get: func(context.Context, string) (plugin.Secret, error) { return plugin.NewSecret(" \n"), nil }, wantErr: "the client assertion is empty", wantKind: plugin.KindConfig},
		"source errors": {get: func(context.Context, string) (plugin.Secret, error) { return plugin.Secret{}, errSource }, wantErr: errSource.Error(), wantKind: plugin.KindInternal},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req := &AuthRequest{Form: url.Values{"client_id": {"app-id"}}, Header: http.Header{}, TokenURL: jwtTokenURL, ClientID: "app-id"}
			err := JWTAssertion{Get: tc.get}.Apply(t.Context(), req)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr || plugin.KindOf(err) != tc.wantKind {
					t.Fatalf("Apply() = %v, want %v error %q", err, tc.wantKind, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, req.Form); diff != "" {
				t.Errorf("form (-want +got):\n%s", diff)
			}
		})
	}
}

// TestJWTAssertionPerAttempt checks that a ready-made assertion is fetched
// again for every attempt, so a rotated token file is picked up.
func TestJWTAssertionPerAttempt(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var urls []string
	auth := JWTAssertion{Get: func(_ context.Context, tokenURL string) (plugin.Secret, error) {
		mu.Lock()
		defer mu.Unlock()
		urls = append(urls, tokenURL)
		return plugin.NewSecret("federated-" + string(rune('0'+len(urls)))), nil
	}}
	st, srv := newStub(t, jsonReply(http.StatusBadGateway, ""), jsonReply(http.StatusOK, tokenBody))
	if _, err := testClient(srv.URL, auth).Token(t.Context(), url.Values{"grant_type": {"client_credentials"}}); err != nil {
		t.Fatal(err)
	}
	var sent []string
	for _, r := range st.requests() {
		sent = append(sent, r.Form.Get("client_assertion"))
	}
	if diff := cmp.Diff([]string{"federated-1", "federated-2"}, sent); diff != "" {
		t.Errorf("assertions sent (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{srv.URL, srv.URL}, urls); diff != "" {
		t.Errorf("Get's token URLs (-want +got):\n%s", diff)
	}
}

func TestFileAssertion(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "token")
	auth := FileAssertion(path)
	apply := func() (string, error) {
		req := &AuthRequest{Form: url.Values{}, Header: http.Header{}, TokenURL: jwtTokenURL, ClientID: "app-id"}
		err := auth.Apply(t.Context(), req)
		return req.Form.Get("client_assertion"), err
	}
	if _, err := apply(); err == nil || !strings.Contains(err.Error(), "key client_assertion_file: "+path) || plugin.KindOf(err) != plugin.KindConfig {
		t.Errorf("missing file: Apply() = %v, want a config error naming the file", err)
	}
	var got []string
	for _, content := range []string{"first.jwt\n", "second.jwt"} {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		a, err := apply()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, a)
	}
	if diff := cmp.Diff([]string{"first.jwt", "second.jwt"}, got); diff != "" {
		t.Errorf("assertions (-want +got):\n%s", diff)
	}
	if err := os.WriteFile(path, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := apply(); err == nil || err.Error() != "key client_assertion_file: "+path+" is empty" {
		t.Errorf("empty file: Apply() = %v", err)
	}
}

func TestParseAudience(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in      string
		want    Audience
		wantErr bool
	}{
		"empty":          {in: "", want: AudienceTokenEndpoint},
		"token_endpoint": {in: "token_endpoint", want: AudienceTokenEndpoint},
		"issuer":         {in: " Issuer ", want: AudienceIssuer},
		"both":           {in: "both", want: AudienceBoth},
		"unknown":        {in: "token_url", wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseAudience(tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("ParseAudience(%q) = %q, %v; want %q (error %v)", tc.in, got, err, tc.want, tc.wantErr)
			}
		})
	}
}
