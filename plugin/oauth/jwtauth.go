package oauth

import (
	"context"
	"strings"

	"github.com/keyfob/keyfob/plugin/secretref"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/assertion"
)

// AssertionType is the client_assertion_type of a JWT client assertion
// (RFC 7523 §2.2).
const AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// JWTAssertion authenticates with a ready-made client assertion, such as a
// federated token (workload identity: a Kubernetes service-account token,
// a GitHub Actions OIDC token) that Entra trusts in place of a
// certificate. client_id stays in the form.
type JWTAssertion struct {
	// Get returns the assertion for one attempt; it is called on every
	// attempt, retries included, so it can re-read a file that rotates.
	// tokenURL is the token endpoint. Get must be safe for concurrent
	// use; its errors are returned as they are.
	Get func(ctx context.Context, tokenURL string) (plugin.Secret, error)
}

// Apply sets client_assertion_type and client_assertion.
func (a JWTAssertion) Apply(ctx context.Context, req *AuthRequest) error {
	if a.Get == nil {
		return plugin.Configf("client_auth private_key_jwt has no assertion source")
	}
	s, err := a.Get(ctx, req.TokenURL)
	if err != nil {
		return err
	}
	return setAssertion(req, s)
}

// MaxAssertionFileSize bounds a federated token file (FileAssertion): a
// JWT, far below it.
const MaxAssertionFileSize = 64 << 10

// FileAssertion is a JWTAssertion read from path on every attempt, as a
// federated token file (Kubernetes' projected service-account token,
// AZURE_FEDERATED_TOKEN_FILE) is replaced before it expires. Surrounding
// white space is dropped. Errors name the file, never its content.
func FileAssertion(path string) JWTAssertion {
	return JWTAssertion{Get: func(context.Context, string) (plugin.Secret, error) {
		b, err := secretref.ReadFile(path, MaxAssertionFileSize)
		if err != nil {
			return plugin.Secret{}, plugin.Configf("key %s: %v", KeyAssertionFile, err)
		}
		s := strings.TrimSpace(string(b))
		if s == "" {
			return plugin.Secret{}, plugin.Configf("key %s: %s is empty", KeyAssertionFile, path)
		}
		return plugin.NewSecret(s), nil
	}}
}

// setAssertion puts a client assertion in the form.
func setAssertion(req *AuthRequest, s plugin.Secret) error {
	v := strings.TrimSpace(s.Reveal())
	if v == "" {
		return plugin.Configf("the client assertion is empty")
	}
	req.Form.Set("client_assertion_type", AssertionType)
	req.Form.Set("client_assertion", v)
	return nil
}

// Audience chooses the aud claim of a signed client assertion.
type Audience string

// The audiences (values of client_assertion_audience). Servers disagree:
// Entra and ory/fosite want the token endpoint, zitadel the issuer.
const (
	// AudienceTokenEndpoint is the request's token endpoint URL.
	AudienceTokenEndpoint Audience = "token_endpoint"
	// AudienceIssuer is the authorization server's issuer identifier.
	AudienceIssuer Audience = "issuer"
	// AudienceBoth is an array of the two.
	AudienceBoth Audience = "both"
)

// ParseAudience reads client_assertion_audience; "" is the token endpoint.
func ParseAudience(v string) (Audience, error) {
	switch a := Audience(strings.ToLower(strings.TrimSpace(v))); a {
	case "":
		return AudienceTokenEndpoint, nil
	case AudienceTokenEndpoint, AudienceIssuer, AudienceBoth:
		return a, nil
	}
	return "", plugin.Configf("key %s: unknown audience %q (want token_endpoint, issuer or both)", KeyAssertionAudience, v)
}

// values returns the aud values for req.
func (a Audience) values(req *AuthRequest) ([]string, error) {
	if (a == AudienceIssuer || a == AudienceBoth) && req.Issuer == "" {
		return nil, plugin.Configf("key %s is %s, but the issuer is unknown (set authority or issuer)", KeyAssertionAudience, a)
	}
	switch a {
	case AudienceIssuer:
		return []string{req.Issuer}, nil
	case AudienceBoth:
		return []string{req.TokenURL, req.Issuer}, nil
	}
	return []string{req.TokenURL}, nil
}

// PrivateKeyJWT is private_key_jwt with a certificate: every Apply, and
// so every attempt, signs a new assertion (a fresh jti), since servers
// accept each one once. client_id stays in the form too, as Entra's
// examples send it.
type PrivateKeyJWT struct {
	// Signer holds the certificate and key.
	Signer *assertion.Signer
	// Audience is the aud claim; "" means AudienceTokenEndpoint.
	Audience Audience
}

// Apply signs an assertion for this attempt and adds it to the form.
func (a PrivateKeyJWT) Apply(_ context.Context, req *AuthRequest) error {
	if req.ClientID == "" {
		return plugin.Configf("client_auth private_key_jwt needs a client_id")
	}
	if a.Signer == nil {
		return plugin.Configf("client_auth private_key_jwt needs a client_certificate")
	}
	aud, err := a.Audience.values(req)
	if err != nil {
		return err
	}
	s, err := a.Signer.Sign(req.ClientID, aud...)
	if err != nil {
		return err
	}
	return setAssertion(req, s)
}
