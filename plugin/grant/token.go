package grant

import (
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// ToToken converts a token response into a plugin.Token. When the server
// issued a refresh token it is kept in the token's State (the newest one
// always replaces the old: rotation), so the host persists it.
func ToToken(tr *oauth.TokenResponse, account string) (*plugin.Token, error) {
	tok := &plugin.Token{
		AccessToken: tr.AccessToken,
		TokenType:   tr.TokenType,
		ExpiresAt:   tr.ExpiresAt,
		RefreshAt:   tr.RefreshAt,
		Scope:       tr.Scope,
		IDToken:     tr.IDToken,
		Account:     account,
	}
	if tr.RefreshToken.IsZero() {
		return tok, nil
	}
	st, err := State{RefreshToken: tr.RefreshToken.Reveal(), Account: account}.Encode()
	if err != nil {
		return nil, err
	}
	tok.State = st
	return tok, nil
}
