package tokenexchange

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/bearer"
	"github.com/keyfob/keyfob/plugin/grant"
)

// Name is the provider name used in profiles.
const Name = "token_exchange"

// GrantType is the grant_type of RFC 8693 §2.1.
const GrantType = "urn:ietf:params:oauth:grant-type:token-exchange"

// TokenTypeAccessToken is the default subject_token_type and
// actor_token_type (RFC 8693 §3).
const TokenTypeAccessToken = "urn:ietf:params:oauth:token-type:access_token"

// Configuration keys of the provider.
const (
	KeySubjectToken       = "subject_token"
	KeySubjectTokenType   = "subject_token_type"
	KeyActorToken         = "actor_token"
	KeyActorTokenType     = "actor_token_type"
	KeyAudience           = "audience"
	KeyResource           = "resource"
	KeyRequestedTokenType = "requested_token_type"
)

// Info describes the provider.
var Info = plugin.ProviderInfo{
	Name:        Name,
	Description: "token exchange (RFC 8693): trade a subject token for another token",
	Keys: append([]plugin.KeyInfo{
		{Name: KeySubjectToken, Required: true, Secret: true, Description: "the token to exchange (env: or file: reference)"},
		{Name: KeySubjectTokenType, Description: "type of subject_token (default " + TokenTypeAccessToken + ")"},
		{Name: KeyActorToken, Secret: true, Description: "token of the party acting for the subject, for delegation (env: or file: reference)"},
		{Name: KeyActorTokenType, Description: "type of actor_token (default " + TokenTypeAccessToken + ")"},
		{Name: KeyAudience, Description: "logical name of the service the new token is for"},
		{Name: KeyResource, Description: "URI of the resource the new token is for"},
		{Name: KeyRequestedTokenType, Description: "type of token wanted (default: the server's choice)"},
	}, grant.OptionalClientKeys()...),
}

// Provider implements plugin.Provider. The zero value is ready to use and
// safe for concurrent use.
type Provider struct{}

// GetToken posts the exchange. Its settings are checked and its tokens
// read before any request. The token it returns is not cached by the
// host (Token.NoCache).
func (Provider) GetToken(ctx context.Context, req *plugin.Request) (*plugin.Token, error) {
	form, err := exchangeForm(req.Config)
	if err != nil {
		return nil, err
	}
	s, err := grant.NewSetupOptionalClient(ctx, req)
	if err != nil {
		return nil, err
	}
	if s.Scopes, err = scopes(req); err != nil {
		return nil, err
	}
	tr, err := s.Send(ctx, form)
	if err != nil {
		return nil, explainNA(err)
	}
	if issued := issuedTokenType(tr.Raw); issued != "" {
		req.Logger.Debug("token exchanged", "issued_token_type", issued, "token", tr.AccessToken.Fingerprint())
	}
	tok, err := grant.ToToken(tr, "")
	if err != nil {
		return nil, fmt.Errorf("token response: %w", err)
	}
	tok.State = nil
	// The host's cache key never holds a secret, so it cannot tell one
	// subject token from the next: a cached token could be an earlier
	// subject's. Each call exchanges again.
	tok.NoCache = true
	return tok, nil
}

// explainNA adds what to do to the refusal of token_type N_A (RFC 8693
// §2.2.1): the server issued something that is not an access token (an
// ID token, a SAML assertion), which keyfob cannot present as a bearer
// token. Other errors are returned as they are.
func explainNA(err error) error {
	var te *bearer.TypeError
	if !errors.As(err, &te) || !strings.EqualFold(te.Type, "N_A") {
		return err
	}
	return fmt.Errorf("%w (the issued token is not an access token; ask for one with %s = %q, or leave it unset)",
		err, KeyRequestedTokenType, TokenTypeAccessToken)
}

// exchangeForm builds the request's parameters from the profile.
func exchangeForm(cfg plugin.Config) (url.Values, error) {
	if err := cfg.Require(KeySubjectToken); err != nil {
		return nil, err
	}
	if cfg.Has(KeyActorTokenType) && !cfg.Has(KeyActorToken) {
		return nil, plugin.Configf("key %s is set but %s is not", KeyActorTokenType, KeyActorToken)
	}
	form := url.Values{"grant_type": {GrantType}}
	if err := addToken(form, cfg, KeySubjectToken, KeySubjectTokenType); err != nil {
		return nil, err
	}
	if cfg.Has(KeyActorToken) {
		if err := addToken(form, cfg, KeyActorToken, KeyActorTokenType); err != nil {
			return nil, err
		}
	}
	for _, k := range []string{KeyAudience, KeyResource, KeyRequestedTokenType} {
		if v := cfg.String(k); v != "" {
			form.Set(k, v)
		}
	}
	return form, nil
}

// addToken resolves a token key and sets it with its type (the access
// token type by default).
func addToken(form url.Values, cfg plugin.Config, key, typeKey string) error {
	tok, err := cfg.Secret(key)
	if err != nil {
		return err
	}
	if tok.IsZero() {
		return plugin.Configf("key %s is empty", key)
	}
	typ := cfg.String(typeKey)
	if typ == "" {
		typ = TokenTypeAccessToken
	}
	form.Set(key, tok.Reveal())
	form.Set(typeKey, typ)
	return nil
}

// scopes are the request's scopes, else the profile's scopes key. Unlike
// grant.Scopes, a resource never becomes a "/.default" scope: it is a
// parameter of its own here.
func scopes(req *plugin.Request) ([]string, error) {
	if len(req.Scopes) > 0 {
		return req.Scopes, nil
	}
	return req.Config.List("scopes")
}

// issuedTokenType reads issued_token_type from the response's other
// fields; "" when absent or not a string.
func issuedTokenType(raw map[string]json.RawMessage) string {
	var s string
	if json.Unmarshal(raw["issued_token_type"], &s) != nil {
		return ""
	}
	return s
}
