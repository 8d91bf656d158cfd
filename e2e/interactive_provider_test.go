package e2e_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/keyfob/keyfob/e2e/servers"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/grant"
	"github.com/keyfob/keyfob/plugin/providers/authcode"
	"github.com/keyfob/keyfob/plugin/providers/devicecode"
)

// These tests call the delegated providers in-process against a real
// zitadel/oidc server. The person at the other end is scripted: a fake
// Interaction whose OpenBrowser drives servers.Browse (HTTP GET of the
// authorization URL, zitadel's login form, redirects, the loopback
// callback), whose Prompt answers with the address servers.Authorize
// ends on (paste mode), and whose Notify hands a device code to
// Zitadel.ApproveDevice or DenyDevice.

// deviceGrant is the grant_type of a device-code poll.
const deviceGrant = "urn:ietf:params:oauth:grant-type:device_code"

// person is the scripted user behind a plugin.Interaction.
type person struct {
	t *testing.T
	z *servers.Zitadel
	// onCode, when set, runs (in its own goroutine) with a device code the
	// provider showed.
	onCode func(ctx context.Context, userCode string)

	mu      sync.Mutex
	notices []plugin.Notice
	opened  []string
	wg      sync.WaitGroup
}

func newPerson(t *testing.T, z *servers.Zitadel) *person {
	p := &person{t: t, z: z}
	t.Cleanup(p.wg.Wait)
	return p
}

func (p *person) Notify(ctx context.Context, n plugin.Notice) error {
	p.mu.Lock()
	p.notices = append(p.notices, n)
	p.mu.Unlock()
	if n.UserCode != "" && p.onCode != nil {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.onCode(context.WithoutCancel(ctx), n.UserCode)
		}()
	}
	return nil
}

func (p *person) OpenBrowser(ctx context.Context, url, _ string) (bool, error) {
	p.mu.Lock()
	p.opened = append(p.opened, url)
	p.mu.Unlock()
	if _, err := servers.Browse(ctx, url, p.z.User); err != nil {
		p.t.Errorf("browser: %v", err)
	}
	return true, nil
}

func (p *person) Prompt(ctx context.Context, _ string, _ bool) (string, error) {
	u, err := servers.Authorize(ctx, p.lastURL(), p.z.User)
	if err != nil {
		p.t.Errorf("browser: %v", err)
		return "", err
	}
	return u.String(), nil
}

// lastCode is the last device code the provider showed.
func (p *person) lastCode() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := len(p.notices) - 1; i >= 0; i-- {
		if c := p.notices[i].UserCode; c != "" {
			return c
		}
	}
	return ""
}

// lastURL is the last URL the provider showed.
func (p *person) lastURL() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := len(p.notices) - 1; i >= 0; i-- {
		if u := p.notices[i].VerificationURI; u != "" {
			return u
		}
	}
	return ""
}

// nativeRequest is a request for z's native client, found through OpenID
// discovery at its issuer.
func nativeRequest(z *servers.Zitadel, ia plugin.Interaction, extra plugin.Config) *plugin.Request {
	cfg := plugin.Config{"issuer": z.Issuer, "client_id": z.NativeClient.ID, "scopes": `["email"]`}
	for k, v := range extra {
		cfg[k] = v
	}
	return &plugin.Request{Config: cfg, Interaction: ia, Logger: hclog.NewNullLogger()}
}

// afterFirstPoll waits until z has answered a device-code poll (so the
// flow has seen authorization_pending), then runs decide.
func afterFirstPoll(t *testing.T, z *servers.Zitadel, decide func(context.Context, string) error) func(context.Context, string) {
	return func(ctx context.Context, userCode string) {
		for z.GrantRequests(deviceGrant) == 0 {
			time.Sleep(20 * time.Millisecond)
		}
		if err := decide(ctx, userCode); err != nil {
			t.Errorf("deciding on %s: %v", userCode, err)
		}
	}
}

// checkUserToken proves an access token works: zitadel's userinfo
// endpoint answers it with the signed-in user.
func checkUserToken(t *testing.T, z *servers.Zitadel, tok *plugin.Token) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, z.Issuer+"/userinfo", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken.Reveal())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("userinfo answered the access token with HTTP %d", resp.StatusCode)
	}
	if tok.Account != z.User.Username {
		t.Errorf("account %q, want %q from the ID token", tok.Account, z.User.Username)
	}
	if grant.DecodeState(tok.State).RefreshToken == "" {
		t.Errorf("no refresh token in the state")
	}
}

func TestZitadelDeviceCodeApproved(t *testing.T) {
	t.Parallel()
	z := servers.StartZitadel(t)
	p := newPerson(t, z)
	p.onCode = afterFirstPoll(t, z, z.ApproveDevice)
	start := time.Now()
	tok, err := devicecode.Provider{}.GetToken(context.Background(), nativeRequest(z, p, nil))
	if err != nil {
		t.Fatal(err)
	}
	checkUserToken(t, z, tok)
	if n := z.GrantRequests(deviceGrant); n < 2 {
		t.Errorf("%d polls, want authorization_pending first, then the token", n)
	}
	n := p.notices[len(p.notices)-1]
	if n.UserCode == "" || n.VerificationURI != z.Issuer+"/device" || !strings.Contains(n.Message, n.UserCode) ||
		n.ExpiresAt.Before(start.Add(4*time.Minute)) || n.ExpiresAt.After(time.Now().Add(5*time.Minute)) {
		t.Errorf("notice %+v, want the user code, %s/device and a 5-minute expiry", n, z.Issuer)
	}
}

func TestZitadelDeviceCodeDenied(t *testing.T) {
	t.Parallel()
	z := servers.StartZitadel(t)
	p := newPerson(t, z)
	p.onCode = afterFirstPoll(t, z, z.DenyDevice)
	_, err := devicecode.Provider{}.GetToken(context.Background(), nativeRequest(z, p, nil))
	var oe *plugin.OAuthError
	if plugin.KindOf(err) != plugin.KindRefused || !errors.As(err, &oe) || oe.Code != "access_denied" || !strings.Contains(err.Error(), "declined") {
		t.Errorf("error %v (kind %v), want access_denied as a refusal (exit 3)", err, plugin.KindOf(err))
	}
}

func TestZitadelDeviceCodeConfidentialClient(t *testing.T) {
	t.Parallel()
	z := servers.StartZitadel(t)
	confidential := func(secret string) *plugin.Request {
		p := newPerson(t, z)
		p.onCode = afterFirstPoll(t, z, z.ApproveDevice)
		return nativeRequest(z, p, plugin.Config{"client_id": z.DeviceClient.ID, "client_secret": secret, "client_auth": "client_secret_basic"})
	}
	tok, err := devicecode.Provider{}.GetToken(context.Background(), confidential(z.DeviceClient.Secret))
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken.IsZero() || tok.Account != "id1" {
		t.Errorf("token for %q, want one labelled with the ID token's sub", tok.Account)
	}
	// The device authorization request itself is authenticated: a wrong
	// secret is refused there, before any code is shown.
	p := newPerson(t, z)
	_, err = devicecode.Provider{}.GetToken(context.Background(), nativeRequest(z, p,
		plugin.Config{"client_id": z.DeviceClient.ID, "client_secret": "wrong", "client_auth": "client_secret_basic"}))
	var oe *plugin.OAuthError
	if plugin.KindOf(err) != plugin.KindRefused || !errors.As(err, &oe) || oe.Code != "invalid_client" {
		t.Errorf("wrong secret: error %v (kind %v), want invalid_client (exit 3)", err, plugin.KindOf(err))
	}
	if code := p.lastCode(); code != "" {
		t.Errorf("a device code %q was shown for a refused client", code)
	}
}

func TestZitadelDelegatedNobodyToAsk(t *testing.T) {
	t.Parallel()
	z := servers.StartZitadel(t)
	for name, p := range map[string]plugin.Provider{"device_code": devicecode.Provider{}, "authorization_code": authcode.Provider{}} {
		_, err := p.GetToken(context.Background(), nativeRequest(z, plugin.NoInteraction{}, nil))
		if plugin.KindOf(err) != plugin.KindInteraction || !strings.HasPrefix(err.Error(), "sign-in needed: run keyfob login") {
			t.Errorf("%s: error %v (kind %v), want the sign-in hint (exit 4)", name, err, plugin.KindOf(err))
		}
	}
	if n := z.TokenRequests(); n != 0 {
		t.Errorf("%d token requests, want none", n)
	}
}

func TestZitadelAuthCodePKCE(t *testing.T) {
	t.Parallel()
	z := servers.StartZitadel(t)
	p := newPerson(t, z)
	tok, err := authcode.Provider{}.GetToken(context.Background(), nativeRequest(z, p, nil))
	if err != nil {
		t.Fatal(err)
	}
	checkUserToken(t, z, tok)
	if len(p.opened) != 1 || !strings.HasPrefix(p.opened[0], z.AuthorizationURL+"?") ||
		!strings.Contains(p.opened[0], "code_challenge_method=S256") {
		t.Errorf("browser opened %q, want one authorization URL with PKCE", p.opened)
	}
}

func TestZitadelAuthCodeWrongVerifierRefused(t *testing.T) {
	t.Parallel()
	z := servers.StartZitadel(t)
	tamper := authcode.Provider{RedeemVerifier: func(v string) string { return flipLast(v) }}
	_, err := tamper.GetToken(context.Background(), nativeRequest(z, newPerson(t, z), nil))
	var oe *plugin.OAuthError
	if plugin.KindOf(err) != plugin.KindRefused || !errors.As(err, &oe) || oe.Code != "invalid_grant" {
		t.Errorf("error %v (kind %v), want the server's invalid_grant for the wrong verifier", err, plugin.KindOf(err))
	}
	if n := z.GrantRequests("authorization_code"); n != 1 {
		t.Errorf("%d code redemptions, want 1", n)
	}
}

// flipLast changes the last character of a PKCE verifier, keeping it a
// well-formed verifier.
func flipLast(v string) string {
	if strings.HasSuffix(v, "A") {
		return v[:len(v)-1] + "B"
	}
	return v[:len(v)-1] + "A"
}

func TestZitadelAuthCodePaste(t *testing.T) {
	t.Parallel()
	z := servers.StartZitadel(t)
	p := newPerson(t, z)
	cfg := plugin.Config{"redirect_mode": "paste", "no_browser": "true"}
	tok, err := authcode.Provider{}.GetToken(context.Background(), nativeRequest(z, p, cfg))
	if err != nil {
		t.Fatal(err)
	}
	checkUserToken(t, z, tok)
	if len(p.opened) != 0 {
		t.Errorf("no_browser, yet a browser opened %q", p.opened)
	}
}

func TestZitadelRefreshRotation(t *testing.T) {
	t.Parallel()
	z := servers.StartZitadel(t)
	first, err := authcode.Provider{}.GetToken(context.Background(), nativeRequest(z, newPerson(t, z), nil))
	if err != nil {
		t.Fatal(err)
	}
	// Nobody can be asked from here on: only refresh tokens work.
	refresh := func(state []byte) (*plugin.Token, error) {
		req := nativeRequest(z, plugin.NoInteraction{}, nil)
		req.State = state
		return authcode.Provider{}.GetToken(context.Background(), req)
	}
	second, err := refresh(first.State)
	if err != nil {
		t.Fatal(err)
	}
	rt1, rt2 := grant.DecodeState(first.State).RefreshToken, grant.DecodeState(second.State).RefreshToken
	if rt2 == "" || rt2 == rt1 || second.Account != z.User.Username {
		t.Errorf("second call: refresh token rotated %v, account %q", rt2 != rt1 && rt2 != "", second.Account)
	}
	checkUserToken(t, z, second)
	_, err = refresh(first.State)
	if plugin.KindOf(err) != plugin.KindInteraction || !strings.Contains(err.Error(), "sign-in needed: run keyfob login (the stored refresh token was refused") {
		t.Errorf("old refresh token: error %v (kind %v), want the sign-in hint", err, plugin.KindOf(err))
	}
	if _, err := refresh(second.State); err != nil {
		t.Errorf("the newest refresh token stopped working: %v", err)
	}
	if n := z.GrantRequests("refresh_token"); n != 3 {
		t.Errorf("%d refresh requests, want 3", n)
	}
}
