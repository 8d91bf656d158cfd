package authcode

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/grant"
)

func TestLoopbackSignIn(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	ia := newInteraction()
	cfg := plugin.Config{"login_hint": "alice@contoso.com", "domain_hint": "contoso.com", "prompt": "select_account"}
	tok, err := Provider{}.GetToken(context.Background(), request(f, ia, cfg))
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken.Reveal() != "at" || tok.Account != "alice@contoso.com" || grant.DecodeState(tok.State).RefreshToken != "rt-authorization_code" {
		t.Errorf("token %q for %q, state %q", tok.AccessToken.Reveal(), tok.Account, tok.State)
	}
	if got := ia.callLog(); got != "Notify Notify OpenBrowser" {
		t.Errorf("calls %q, want the probe, the URL notice and the browser", got)
	}
	if ia.visitErr != nil || ia.status != 200 {
		t.Errorf("browser ended with %d, %v; want the success page", ia.status, ia.visitErr)
	}
	authorize, token := f.requests()
	if len(authorize) != 1 || len(token) != 1 {
		t.Fatalf("%d authorization and %d token requests, want one each", len(authorize), len(token))
	}
	a := authorize[0]
	redirect, err := url.Parse(a.Get("redirect_uri"))
	if err != nil || redirect.Hostname() != "localhost" || redirect.Port() == "" || redirect.Path != "/" {
		t.Errorf("redirect_uri %q, want http://localhost:PORT/", a.Get("redirect_uri"))
	}
	want := url.Values{
		"client_id": {"app"}, "response_type": {"code"}, "redirect_uri": {redirect.String()},
		"scope": {"api://app/.default offline_access openid profile"}, "state": a["state"],
		"code_challenge": {s256(token[0].Get("code_verifier"))}, "code_challenge_method": {"S256"},
		"login_hint": {"alice@contoso.com"}, "domain_hint": {"contoso.com"}, "prompt": {"select_account"},
	}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("authorization request (-want +got):\n%s", diff)
	}
	wantToken := url.Values{"grant_type": {"authorization_code"}, "code": {"the-code"}, "redirect_uri": {redirect.String()},
		"code_verifier": token[0]["code_verifier"], "client_id": {"app"}, "scope": want["scope"]}
	if diff := cmp.Diff(wantToken, token[0]); diff != "" {
		t.Errorf("token request (-want +got):\n%s", diff)
	}
	if n := len(a.Get("state")); n < 22 {
		t.Errorf("state %q has fewer than 128 bits", a.Get("state"))
	}
}

func TestWrongVerifierIsRefused(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	p := Provider{RedeemVerifier: func(v string) string { return v + "x" }}
	_, err := p.GetToken(context.Background(), request(f, newInteraction(), nil))
	var oe *plugin.OAuthError
	if plugin.KindOf(err) != plugin.KindRefused || !errorsAs(err, &oe) || oe.Code != "invalid_grant" {
		t.Errorf("error %v, want the server's invalid_grant", err)
	}
}

func TestCallbackOutcomes(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		callback func(state string) url.Values
		want     plugin.Kind
		text     string
	}{
		"state mismatch": {func(string) url.Values { return url.Values{"code": {"the-code"}, "state": {"forged"}} },
			plugin.KindRefused, "state does not match"},
		"no state": {func(string) url.Values { return url.Values{"code": {"the-code"}} }, plugin.KindRefused, "state does not match"},
		"access_denied": {func(s string) url.Values {
			return url.Values{"error": {"access_denied"}, "error_description": {"AADSTS65004: User declined to consent"}, "state": {s}}
		}, plugin.KindRefused, "access_denied: AADSTS65004"},
		"login_required": {func(s string) url.Values { return url.Values{"error": {"login_required"}, "state": {s}} },
			plugin.KindInteraction, "login_required"},
		"neither code nor error": {func(s string) url.Values { return url.Values{"state": {s}} }, plugin.KindRefused, "neither"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeServer(t)
			f.callback = tc.callback
			ia := newInteraction()
			_, err := Provider{}.GetToken(context.Background(), request(f, ia, nil))
			if plugin.KindOf(err) != tc.want || !strings.Contains(err.Error(), tc.text) {
				t.Errorf("error %v (kind %v), want kind %v mentioning %q", err, plugin.KindOf(err), tc.want, tc.text)
			}
			if _, token := f.requests(); len(token) != 0 {
				t.Errorf("%d token requests, want none", len(token))
			}
			if ia.status != 400 {
				t.Errorf("browser page status %d, want 400", ia.status)
			}
		})
	}
}

func TestNoBrowserOnlyShowsTheURL(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	ia := newInteraction()
	ia.visitOnNotify = true // the user opens the shown URL by hand
	if _, err := (Provider{}).GetToken(context.Background(), request(f, ia, plugin.Config{"no_browser": "true"})); err != nil {
		t.Fatal(err)
	}
	if got := ia.callLog(); got != "Notify Notify" {
		t.Errorf("calls %q, want notices only", got)
	}
	n := ia.notices[1]
	if !strings.HasPrefix(n.VerificationURI, f.authority()+"/oauth2/v2.0/authorize?") || !strings.HasSuffix(n.Message, "\n"+n.VerificationURI) {
		t.Errorf("notice %+v, want the authorization URL", n)
	}
}

func TestBrowserThatDoesNotStartStillShowsTheURL(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	ia := newInteraction()
	ia.noBrowser, ia.visitOnNotify = true, true
	if _, err := (Provider{}).GetToken(context.Background(), request(f, ia, nil)); err != nil {
		t.Fatal(err)
	}
}

func TestPasteMode(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		edit func(final string) string
		want plugin.Kind // KindInternal: success
	}{
		"whole address":  {func(s string) string { return "  " + s + "\n" }, plugin.KindInternal},
		"query only":     {func(s string) string { _, q, _ := strings.Cut(s, "?"); return q }, plugin.KindInternal},
		"stale state":    {func(s string) string { return strings.Replace(s, "state=", "state=old", 1) }, plugin.KindRefused},
		"not an address": {func(string) string { return "hello" }, plugin.KindConfig},
		"empty answer":   {func(string) string { return "" }, plugin.KindConfig},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeServer(t)
			ia := newInteraction()
			ia.noBrowser = true
			ia.answer = func(shown string) string {
				final, err := ia.b.finalAddress(shown)
				if err != nil {
					t.Error(err)
				}
				return tc.edit(final)
			}
			cfg := plugin.Config{"redirect_mode": "paste", "redirect_uri": "https://login.microsoftonline.com/common/oauth2/nativeclient"}
			tok, err := Provider{}.GetToken(context.Background(), request(f, ia, cfg))
			if tc.want == plugin.KindInternal {
				if err != nil || tok.AccessToken.Reveal() != "at" {
					t.Fatalf("GetToken = %v, %v", tok, err)
				}
			} else if plugin.KindOf(err) != tc.want {
				t.Errorf("error %v (kind %v), want kind %v", err, plugin.KindOf(err), tc.want)
			}
			authorize, _ := f.requests()
			if got := authorize[0].Get("redirect_uri"); got != cfg["redirect_uri"] {
				t.Errorf("redirect_uri %q, want the configured one", got)
			}
			if got := ia.callLog(); got != "Notify Notify OpenBrowser Prompt" {
				t.Errorf("calls %q", got)
			}
		})
	}
}

func TestNobodyToAskSendsNothing(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	for _, ia := range []plugin.Interaction{plugin.NoInteraction{}, &fakeInteraction{refuse: true}} {
		_, err := Provider{}.GetToken(context.Background(), request(f, ia, nil))
		if plugin.KindOf(err) != plugin.KindInteraction || !strings.HasPrefix(err.Error(), "sign-in needed: run keyfob login (no refresh token is stored") {
			t.Errorf("error %v (kind %v), want the sign-in hint", err, plugin.KindOf(err))
		}
	}
	if a, tok := f.requests(); len(a)+len(tok) != 0 {
		t.Errorf("server saw requests: %v %v", a, tok)
	}
}

func TestStoredRefreshToken(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	req := request(f, plugin.NoInteraction{}, nil)
	req.State, _ = grant.State{RefreshToken: "live", Account: "alice"}.Encode()
	tok, err := Provider{}.GetToken(context.Background(), req)
	if err != nil || grant.DecodeState(tok.State).RefreshToken != "rt-refresh_token" || tok.Account != "alice" {
		t.Fatalf("GetToken = %+v, %v; want a refreshed token for alice", tok, err)
	}
	req.State, _ = grant.State{RefreshToken: "dead"}.Encode()
	_, err = Provider{}.GetToken(context.Background(), req)
	if plugin.KindOf(err) != plugin.KindInteraction || !strings.HasPrefix(err.Error(), "sign-in needed: run keyfob login (the stored refresh token was refused") {
		t.Errorf("error %v, want the sign-in hint", err)
	}
}

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	tests := map[string]plugin.Config{
		"mode":            {"redirect_mode": "carrier-pigeon"},
		"no_browser":      {"no_browser": "perhaps"},
		"https loopback":  {"redirect_uri": "https://localhost/"},
		"not loopback":    {"redirect_uri": "http://example.com/"},
		"relative":        {"redirect_uri": "/callback"},
		"fragment":        {"redirect_uri": "http://localhost/#x"},
		"no client_id":    {"client_id": ""},
		"no authorize ep": {"authority": "", "token_url": f.srv.URL + "/token"},
	}
	for name, cfg := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Provider{}.GetToken(context.Background(), request(f, newInteraction(), cfg))
			if plugin.KindOf(err) != plugin.KindConfig {
				t.Errorf("error %v (kind %v), want a configuration error", err, plugin.KindOf(err))
			}
		})
	}
}

func TestInfo(t *testing.T) {
	t.Parallel()
	if Info.Name != "authorization_code" || !Info.Interactive {
		t.Errorf("Info = %+v", Info)
	}
}
