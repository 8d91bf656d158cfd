package oauth

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"

	"github.com/keyfob/keyfob/plugin"
)

// ClientAuth authenticates the client to the token endpoint (RFC 6749
// §2.3) by adding form fields or headers to one request.
//
// Apply is called once per attempt, retries included, on a fresh
// AuthRequest, so an implementation that mints a single-use credential (a
// JWT client assertion) mints a new one each time. Apply must be safe for
// concurrent use. An error from Apply aborts the request without retrying
// and is returned as is; wrap plugin.ErrConfig for a missing credential.
type ClientAuth interface {
	Apply(ctx context.Context, req *AuthRequest) error
}

// AuthRequest is the part of one token request a ClientAuth may change.
// Form already holds client_id (when the Client has one); an
// implementation may delete it if its method forbids it.
type AuthRequest struct {
	// Form is the request body, to be form-encoded after Apply.
	Form url.Values
	// Header holds the request headers, e.g. for Authorization.
	Header http.Header
	// TokenURL is the token endpoint, e.g. for an assertion's audience.
	// A request to another endpoint of the server that authenticates the
	// client (device authorization, PAR) still carries the token endpoint
	// here, since that is the audience Entra and fosite expect.
	TokenURL string
	// ClientID is the Client's client id.
	ClientID string
	// Issuer is the authorization server's issuer identifier when known
	// (from an authority or OpenID discovery), else "".
	Issuer string
}

// None is the authentication of a public client: it sends client_id in the
// form and nothing else.
type None struct{}

// Apply does nothing.
func (None) Apply(context.Context, *AuthRequest) error { return nil }

// SecretBasic is client_secret_basic: the client id and secret in an HTTP
// Basic Authorization header. As RFC 6749 §2.3.1 requires, both are
// form-url-encoded before the base64 encoding (as x/oauth2 does), so a
// secret holding ':' or '%' survives. client_id stays in the form too;
// Entra ID and ory/fosite accept that.
type SecretBasic struct {
	// Secret is the client secret.
	Secret plugin.Secret
}

// Apply sets the Authorization header.
func (a SecretBasic) Apply(_ context.Context, req *AuthRequest) error {
	if err := checkSecret("client_secret_basic", req.ClientID, a.Secret); err != nil {
		return err
	}
	pair := url.QueryEscape(req.ClientID) + ":" + url.QueryEscape(a.Secret.Reveal())
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(pair)))
	return nil
}

// SecretPost is client_secret_post: client_id and client_secret as form
// fields.
type SecretPost struct {
	// Secret is the client secret.
	Secret plugin.Secret
}

// Apply adds client_id and client_secret to the form.
func (a SecretPost) Apply(_ context.Context, req *AuthRequest) error {
	if err := checkSecret("client_secret_post", req.ClientID, a.Secret); err != nil {
		return err
	}
	req.Form.Set("client_id", req.ClientID)
	req.Form.Set("client_secret", a.Secret.Reveal())
	return nil
}

// checkSecret reports a configuration error when a secret-based method
// lacks its client id or secret.
func checkSecret(method, clientID string, secret plugin.Secret) error {
	if clientID == "" {
		return plugin.Configf("client_auth %s needs a client_id", method)
	}
	if secret.IsZero() {
		return plugin.Configf("client_auth %s needs a client_secret", method)
	}
	return nil
}
