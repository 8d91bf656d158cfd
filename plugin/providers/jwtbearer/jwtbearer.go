package jwtbearer

import (
	"context"
	"net/url"
	"time"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/entra"
	"github.com/keyfob/keyfob/plugin/grant"
)

// Name is the provider name used in profiles.
const Name = "jwt_bearer"

// GrantType is the grant_type of RFC 7523 §2.1.
const GrantType = entra.GrantJWTBearer

// Configuration keys of the provider.
const (
	KeyAssertion = "assertion"
	KeyKey       = "assertion_key"
	KeyKID       = "assertion_kid"
	KeyAlg       = "assertion_alg"
	KeyIssuer    = "assertion_issuer"
	KeySubject   = "assertion_subject"
	KeyAudience  = "assertion_audience"
)

// Info describes the provider.
var Info = plugin.ProviderInfo{
	Name:        Name,
	Description: "JWT bearer grant (RFC 7523): a ready assertion, or one signed with a private key",
	Keys: append([]plugin.KeyInfo{
		{Name: KeyAssertion, Secret: true, Description: "a ready-made JWT assertion (env: or file: reference); or set assertion_key"},
		{Name: KeyKey, Description: "PEM private key (RSA or EC) that signs a new assertion for every request"},
		{Name: KeyIssuer, Description: "iss of a signed assertion (default: client_id)"},
		{Name: KeySubject, Description: "sub of a signed assertion (default: assertion_issuer)"},
		{Name: KeyAudience, Description: "aud of a signed assertion: token_endpoint, issuer, both or a literal value (default: the issuer when known, else the token endpoint)"},
		{Name: KeyKID, Description: "kid header of a signed assertion"},
		{Name: KeyAlg, Description: "signing algorithm: RS256 (default for RSA), PS256, ES256, ES384 or ES512"},
	}, grant.OptionalClientKeys()...),
}

// Provider implements plugin.Provider. The zero value is ready to use and
// safe for concurrent use.
type Provider struct {
	// Now is the clock of signed assertions; nil means time.Now.
	Now func() time.Time
}

// GetToken checks the assertion settings (loading the key) before any
// request, then posts the grant. A signed assertion is minted for every
// attempt; a ready one is sent as it is, and the token it gets is not
// cached by the host (Token.NoCache).
func (p Provider) GetToken(ctx context.Context, req *plugin.Request) (*plugin.Token, error) {
	src, err := newSource(req.Config, p.Now)
	if err != nil {
		return nil, err
	}
	s, err := grant.NewSetupOptionalClient(ctx, req)
	if err != nil {
		return nil, err
	}
	form := url.Values{"grant_type": {GrantType}}
	src.attach(s, form)
	tok, err := s.Post(ctx, form, src.account())
	if err != nil {
		return nil, err
	}
	tok.State = nil
	// A ready assertion is a secret, never part of the host's cache key,
	// so a cached token could be an earlier assertion's principal's.
	tok.NoCache = src.signer == nil
	return tok, nil
}
