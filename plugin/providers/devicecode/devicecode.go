package devicecode

import (
	"context"
	"time"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/grant"
	"github.com/keyfob/keyfob/plugin/oauth"
	"github.com/keyfob/keyfob/plugin/providers/internal/delegated"
)

// Name is the provider name used in profiles.
const Name = "device_code"

// GrantType is the grant_type of a device-code poll (RFC 8628 §3.4).
const GrantType = "urn:ietf:params:oauth:grant-type:device_code"

// Info describes the provider.
var Info = plugin.ProviderInfo{
	Name:        Name,
	Description: "device authorization grant (RFC 8628): sign in on any device with a short code",
	Interactive: true,
	Keys: append(append([]plugin.KeyInfo{
		{Name: "device_authorization_url", Description: "device authorization endpoint (or authority / issuer)"},
	}, delegated.Keys()...), grant.ClientKeys()...),
}

// Provider implements plugin.Provider. The zero value uses the real clock;
// tests set Now and Sleep to poll without waiting.
type Provider struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sleep waits d between polls, or returns ctx's error if ctx ends
	// first; nil means a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// GetToken redeems the stored refresh token, or runs the device flow.
func (p Provider) GetToken(ctx context.Context, req *plugin.Request) (*plugin.Token, error) {
	return delegated.GetToken(ctx, req, p.signIn(req))
}

// signIn requests a device code, shows it and polls for the token.
func (p Provider) signIn(req *plugin.Request) delegated.SignIn {
	return func(ctx context.Context, s *grant.Setup) (*oauth.TokenResponse, error) {
		a, err := p.authorize(ctx, s)
		if err != nil {
			return nil, err
		}
		if err := req.Interaction.Notify(ctx, a.notice(p.now())); err != nil {
			return nil, delegated.Needed("the sign-in code cannot be shown", err)
		}
		return p.poll(ctx, s, a)
	}
}

func (p Provider) now() time.Time {
	if p.Now == nil {
		return time.Now()
	}
	return p.Now()
}

func (p Provider) sleep(ctx context.Context, d time.Duration) error {
	if p.Sleep != nil {
		return p.Sleep(ctx, d)
	}
	return oauth.Sleep(ctx, d)
}
