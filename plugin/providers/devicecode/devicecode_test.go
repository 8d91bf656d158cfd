package devicecode

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/grant"
)

func TestEntraDeviceFlow(t *testing.T) {
	t.Parallel()
	f := newFakeEntra(t, pending(), slowDown(), pending(), tokens("at-1", "rt-1", "alice@contoso.com"))
	ia := &fakeInteraction{}
	p, clock := provider()
	tok, err := p.GetToken(context.Background(), request(f, ia, nil))
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken.Reveal() != "at-1" || tok.Account != "alice@contoso.com" {
		t.Errorf("token %q for %q, want at-1 for alice@contoso.com", tok.AccessToken.Reveal(), tok.Account)
	}
	if st := grant.DecodeState(tok.State); st.RefreshToken != "rt-1" || st.Account != "alice@contoso.com" {
		t.Errorf("state = %+v, want the refresh token rt-1 for alice", st)
	}
	// slow_down adds 5 s to Entra's 5 s interval for every later poll.
	if diff := cmp.Diff([]time.Duration{5 * time.Second, 5 * time.Second, 10 * time.Second, 10 * time.Second}, clock.sleeps); diff != "" {
		t.Errorf("waits between polls (-want +got):\n%s", diff)
	}
	wantNotices := []plugin.Notice{
		{Message: "Signing in to " + f.srv.Listener.Addr().String() + " for client app…"},
		{Message: entraDeviceCode().body["message"].(string), VerificationURI: "https://microsoft.com/devicelogin",
			UserCode: "GLXQ8NZ9P", ExpiresAt: t0.Add(900 * time.Second)},
	}
	if diff := cmp.Diff(wantNotices, ia.shown()); diff != "" {
		t.Errorf("notices (-want +got):\n%s", diff)
	}
	scope := "api://app/.default offline_access openid profile"
	poll := seen{Path: "/" + tenant + "/oauth2/v2.0/token", Form: url.Values{"grant_type": {GrantType},
		"device_code": {"DAQABAAEAAAD--secret-device-code"}, "client_id": {"app"}, "scope": {scope}}}
	want := []seen{{Path: "/" + tenant + "/oauth2/v2.0/devicecode", Form: url.Values{"client_id": {"app"}, "scope": {scope}}},
		poll, poll, poll, poll}
	if diff := cmp.Diff(want, f.seen()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestPollOutcomes(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		answer answer
		want   plugin.Kind
		text   string
	}{
		"entra declined":        {oauthError(400, "authorization_declined", 70000), plugin.KindRefused, "declined"},
		"rfc access_denied":     {oauthError(400, "access_denied", 0), plugin.KindRefused, "declined"},
		"expired_token":         {oauthError(400, "expired_token", 70019), plugin.KindInteraction, "expired"},
		"bad_verification_code": {oauthError(400, "bad_verification_code", 70018), plugin.KindRefused, "does not know the device code"},
		"invalid_client":        {oauthError(401, "invalid_client", 7000215), plugin.KindRefused, "invalid_client"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeEntra(t, pending(), tc.answer)
			p, _ := provider()
			_, err := p.GetToken(context.Background(), request(f, &fakeInteraction{}, nil))
			if got := plugin.KindOf(err); got != tc.want || !strings.Contains(err.Error(), tc.text) {
				t.Errorf("error %v (kind %v), want kind %v mentioning %q", err, got, tc.want, tc.text)
			}
			var oe *plugin.OAuthError
			if !errors.As(err, &oe) || oe.TraceID != "trace-1" {
				t.Errorf("error %v does not carry the server's OAuth error", err)
			}
		})
	}
}

func TestPollStopsWhenTheCodeExpires(t *testing.T) {
	t.Parallel()
	f := newFakeEntra(t, pending())
	f.deviceAnswer.body["expires_in"] = "12" // a numeric string, as Entra's v1 endpoints send
	p, clock := provider()
	_, err := p.GetToken(context.Background(), request(f, &fakeInteraction{}, nil))
	if plugin.KindOf(err) != plugin.KindInteraction || !strings.Contains(err.Error(), "expired") {
		t.Errorf("error %v (kind %v), want an expiry needing a person", err, plugin.KindOf(err))
	}
	if diff := cmp.Diff([]time.Duration{5 * time.Second, 5 * time.Second}, clock.sleeps); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	if n := len(f.seen()); n != 3 {
		t.Errorf("%d requests, want the device request and two polls", n)
	}
}

func TestPollHonoursTheDeadline(t *testing.T) {
	t.Parallel()
	f := newFakeEntra(t, pending())
	p, clock := provider()
	clock.err = context.DeadlineExceeded
	_, err := p.GetToken(context.Background(), request(f, &fakeInteraction{}, nil))
	if plugin.KindOf(err) != plugin.KindInteraction || !strings.Contains(err.Error(), "timed out") {
		t.Errorf("error %v (kind %v), want a timeout needing a person", err, plugin.KindOf(err))
	}
}

func TestPollWithARealDeadline(t *testing.T) {
	t.Parallel()
	f := newFakeEntra(t, pending())
	f.deviceAnswer.body["interval"] = 1
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Provider{}.GetToken(ctx, request(f, &fakeInteraction{}, nil))
	if plugin.KindOf(err) != plugin.KindInteraction || time.Since(start) > 5*time.Second {
		t.Errorf("error %v (kind %v) after %v, want a prompt timeout", err, plugin.KindOf(err), time.Since(start))
	}
}

func TestNobodyToAskSendsNothing(t *testing.T) {
	t.Parallel()
	f := newFakeEntra(t, tokens("at", "rt", "u"))
	for name, ia := range map[string]plugin.Interaction{"NoInteraction": plugin.NoInteraction{}, "refusing host": &fakeInteraction{refuse: true}} {
		p, _ := provider()
		req := request(f, ia, nil)
		req.ForceRefresh = true
		_, err := p.GetToken(context.Background(), req)
		if plugin.KindOf(err) != plugin.KindInteraction || !strings.HasPrefix(err.Error(), "sign-in needed: run keyfob login") {
			t.Errorf("%s: error %v (kind %v), want the sign-in hint with exit 4", name, err, plugin.KindOf(err))
		}
	}
	if n := len(f.seen()); n != 0 {
		t.Errorf("server saw %d requests, want none", n)
	}
}

func TestConfidentialClientAuthenticatesTheDeviceRequest(t *testing.T) {
	t.Parallel()
	f := newFakeEntra(t, tokens("at", "rt", "u"))
	p, _ := provider()
	_, err := p.GetToken(context.Background(), request(f, &fakeInteraction{}, plugin.Config{"client_secret": "s3cret"}))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range f.seen() {
		if r.User != "app" || r.Pass != "s3cret" {
			t.Errorf("%s: Basic credentials %q:%q, want app:s3cret", r.Path, r.User, r.Pass)
		}
	}
}

func TestStoredRefreshTokenFirst(t *testing.T) {
	t.Parallel()
	f := newFakeEntra(t, tokens("at-2", "rt-2", "ignored"))
	ia := &fakeInteraction{refuse: true} // a refresh needs nobody
	p, _ := provider()
	req := request(f, ia, nil)
	req.State = state(t, "rt-1", "alice@contoso.com")
	tok, err := p.GetToken(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if st := grant.DecodeState(tok.State); st.RefreshToken != "rt-2" || tok.Account != "alice@contoso.com" {
		t.Errorf("state %+v, account %q: want the rotated rt-2 for alice", st, tok.Account)
	}
	got := f.seen()
	if len(got) != 1 || got[0].Form.Get("grant_type") != "refresh_token" || got[0].Form.Get("refresh_token") != "rt-1" {
		t.Errorf("requests %+v, want one refresh with rt-1", got)
	}
}

func TestRefusedRefreshTokenFallsBackToSignIn(t *testing.T) {
	t.Parallel()
	refused := oauthError(400, "invalid_grant", 700082)
	t.Run("someone to ask", func(t *testing.T) {
		t.Parallel()
		f := newFakeEntra(t, refused, pending(), tokens("at", "rt-new", "bob"))
		p, _ := provider()
		req := request(f, &fakeInteraction{}, nil)
		req.State = state(t, "rt-old", "bob")
		tok, err := p.GetToken(context.Background(), req)
		if err != nil || grant.DecodeState(tok.State).RefreshToken != "rt-new" {
			t.Fatalf("GetToken = %v, %v; want a new sign-in", tok, err)
		}
	})
	t.Run("nobody to ask", func(t *testing.T) {
		t.Parallel()
		f := newFakeEntra(t, refused)
		p, _ := provider()
		req := request(f, plugin.NoInteraction{}, nil)
		req.State = state(t, "rt-old", "bob")
		_, err := p.GetToken(context.Background(), req)
		if plugin.KindOf(err) != plugin.KindInteraction || !strings.Contains(err.Error(), "sign-in needed: run keyfob login (the stored refresh token was refused") {
			t.Errorf("error %v (kind %v), want the sign-in hint", err, plugin.KindOf(err))
		}
		if n := len(f.seen()); n != 1 {
			t.Errorf("%d requests, want only the refresh", n)
		}
	})
	t.Run("interaction_required on refresh", func(t *testing.T) {
		t.Parallel()
		f := newFakeEntra(t, oauthError(400, "interaction_required", 50076), tokens("at", "rt-mfa", "bob"))
		p, _ := provider()
		req := request(f, &fakeInteraction{}, nil)
		req.State = state(t, "rt-old", "bob")
		tok, err := p.GetToken(context.Background(), req)
		if err != nil || grant.DecodeState(tok.State).RefreshToken != "rt-mfa" {
			t.Fatalf("GetToken = %v, %v; want a new sign-in", tok, err)
		}
	})
}

func TestScopesAndOIDCScopesOff(t *testing.T) {
	t.Parallel()
	f := newFakeEntra(t, tokens("at", "rt", "u"))
	p, _ := provider()
	cfg := plugin.Config{"oidc_scopes": "false", "scopes": `["api://app/.default","openid"]`}
	if _, err := p.GetToken(context.Background(), request(f, &fakeInteraction{}, cfg)); err != nil {
		t.Fatal(err)
	}
	if got := f.seen()[0].Form.Get("scope"); got != "api://app/.default openid" {
		t.Errorf("scope = %q, want only the configured scopes", got)
	}
	_, err := p.GetToken(context.Background(), request(f, &fakeInteraction{}, plugin.Config{"oidc_scopes": "maybe"}))
	if plugin.KindOf(err) != plugin.KindConfig {
		t.Errorf("oidc_scopes = maybe: error %v, want a configuration error", err)
	}
}

func TestDeviceAuthorizationErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		answer answer
		want   plugin.Kind
	}{
		"invalid_scope":       {oauthError(400, "invalid_scope", 70011), plugin.KindRefused},
		"server error":        {oauthError(503, "temporarily_unavailable", 0), plugin.KindUnavailable},
		"no user_code":        {answer{200, map[string]any{"device_code": "d", "verification_uri": "https://x"}}, plugin.KindUnavailable},
		"not an object":       {answer{200, map[string]any(nil)}, plugin.KindUnavailable},
		"unauthorized_client": {oauthError(400, "unauthorized_client", 700016), plugin.KindRefused},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeEntra(t, tokens("at", "rt", "u"))
			f.deviceAnswer = tc.answer
			p, _ := provider()
			_, err := p.GetToken(context.Background(), request(f, &fakeInteraction{}, nil))
			if plugin.KindOf(err) != tc.want {
				t.Errorf("error %v (kind %v), want kind %v", err, plugin.KindOf(err), tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "secret-device-code") {
				t.Errorf("error %q shows the device code", err)
			}
		})
	}
}

func TestNeedsADeviceEndpoint(t *testing.T) {
	t.Parallel()
	f := newFakeEntra(t, tokens("at", "rt", "u"))
	req := request(f, &fakeInteraction{}, nil)
	delete(req.Config, "authority")
	req.Config["token_url"] = f.srv.URL + "/token"
	p, _ := provider()
	if _, err := p.GetToken(context.Background(), req); plugin.KindOf(err) != plugin.KindConfig {
		t.Errorf("error %v, want a configuration error", err)
	}
}

func TestNoticeWithoutMessage(t *testing.T) {
	t.Parallel()
	a, err := parseAuthorization([]byte(`{"device_code":"d","user_code":"WDJB-MJHT","verification_url":"https://example.com/device",
		"verification_uri_complete":"https://example.com/device?user_code=WDJB-MJHT","expires_in":"1800","interval":"0"}`), "example.com")
	if err != nil {
		t.Fatal(err)
	}
	want := plugin.Notice{
		Message:         "To sign in, open https://example.com/device and enter the code WDJB-MJHT (or open https://example.com/device?user_code=WDJB-MJHT, which holds the code)",
		VerificationURI: "https://example.com/device", UserCode: "WDJB-MJHT", ExpiresAt: t0.Add(30 * time.Minute),
	}
	if diff := cmp.Diff(want, a.notice(t0)); diff != "" {
		t.Errorf("notice (-want +got):\n%s", diff)
	}
	if a.interval != DefaultInterval {
		t.Errorf("interval %v, want the default %v for 0", a.interval, DefaultInterval)
	}
}

func TestInfo(t *testing.T) {
	t.Parallel()
	if Info.Name != "device_code" || !Info.Interactive {
		t.Errorf("Info = %+v, want an interactive device_code", Info)
	}
}

// state is stored provider state holding a refresh token.
func state(t *testing.T, rt, account string) []byte {
	t.Helper()
	b, err := grant.State{RefreshToken: rt, Account: account}.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return b
}
