package plugin

import (
	"context"
	"time"

	"github.com/hashicorp/go-hclog"
)

// Provider runs one OAuth grant. Providers are registered by name in a
// Registry and served by a plugin executable.
//
// GetToken must be safe for concurrent use: a long-lived plugin may serve
// several requests at once. It must honour ctx's deadline for every network
// call and wait. It must not write to stdout (the go-plugin handshake uses
// it) and must not log secret values. It returns a non-nil *Token or an
// error classified by KindOf: wrap ErrConfig, ErrRefused,
// ErrInteractionRequired or ErrUnavailable, or return an *OAuthError.
//
// Providers are stateless: anything that must survive until the next call
// (a refresh token, an account id) goes into Token.State, and the host
// hands it back in Request.State.
type Provider interface {
	GetToken(ctx context.Context, req *Request) (*Token, error)
}

// ProviderFunc adapts a function to Provider.
type ProviderFunc func(ctx context.Context, req *Request) (*Token, error)

// GetToken calls f.
func (f ProviderFunc) GetToken(ctx context.Context, req *Request) (*Token, error) { return f(ctx, req) }

// Request is what a provider receives. The zero value of every field is
// meaningful: no state, no minimum validity, nobody to ask.
type Request struct {
	// Config holds the profile's keys, references not yet resolved; use
	// Config.String, Config.Secret and Config.List to read them.
	Config Config
	// Scopes requested; empty means the profile's own "scopes" key.
	Scopes []string
	// State is the opaque state of an earlier Token for the same profile,
	// or nil.
	State []byte
	// ForceRefresh asks the provider not to reuse anything reusable.
	ForceRefresh bool
	// MinValidity is the least lifetime the caller needs.
	MinValidity time.Duration
	// Claims is a claims-request JSON object, or "".
	Claims string
	// Interaction reaches the user through the host. Never nil: when nobody
	// can be asked its methods return ErrInteractionRequired.
	Interaction Interaction
	// Logger is the plugin's logger; never nil. Never log secret values.
	Logger hclog.Logger
}

// Token is a provider's result.
type Token struct {
	// AccessToken is the token value.
	AccessToken Secret
	// TokenType is normally "Bearer".
	TokenType string
	// ExpiresAt is the absolute expiry; zero means unknown.
	ExpiresAt time.Time
	// RefreshAt is a soft deadline to ask again early (Entra refresh_in);
	// zero means none.
	RefreshAt time.Time
	// Scope is the granted scope when the server said.
	Scope string
	// IDToken is the OpenID Connect ID token, if any.
	IDToken Secret
	// State is opaque data to hand back in the next Request (nil: keep the
	// stored state unless ClearState).
	State []byte
	// ClearState asks the host to drop its stored state.
	ClearState bool
	// Account identifies the signed-in principal, if known. Not secret.
	Account string
	// NoCache asks the host not to keep the access token (it belongs to a
	// session the provider does not own, such as the Azure CLI's).
	NoCache bool
}

// Interaction reaches the user through the host (CONTRACT §5). Every
// method returns an error wrapping ErrInteractionRequired when the host's
// rules forbid asking anybody.
type Interaction interface {
	// Notify shows a message, e.g. device-code instructions.
	Notify(ctx context.Context, n Notice) error
	// OpenBrowser opens url in the user's browser; it reports false when no
	// browser could be started (the URL has been shown instead).
	OpenBrowser(ctx context.Context, url, message string) (bool, error)
	// Prompt asks the user for one line of text.
	Prompt(ctx context.Context, message string, secret bool) (string, error)
}

// Notice is a message for the user.
type Notice struct {
	Message         string
	VerificationURI string
	UserCode        string
	ExpiresAt       time.Time
}

// NoInteraction is the Interaction used when nobody can be asked.
type NoInteraction struct{}

// Notify returns ErrInteractionRequired.
func (NoInteraction) Notify(context.Context, Notice) error { return ErrInteractionRequired }

// OpenBrowser returns ErrInteractionRequired.
func (NoInteraction) OpenBrowser(context.Context, string, string) (bool, error) {
	return false, ErrInteractionRequired
}

// Prompt returns ErrInteractionRequired.
func (NoInteraction) Prompt(context.Context, string, bool) (string, error) {
	return "", ErrInteractionRequired
}
