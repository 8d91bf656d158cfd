package grant

import (
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// ToToken converts a token response into a plugin.Token. When the server
// issued a refresh token it is kept in the token's State (the newest one
// always replaces the old: rotation), so the host persists it.
func ToToken(tr *oauth.TokenResponse, account string) (*plugin.Token, error) {
	return ToTokenState(tr, State{Account: account})
}

// ToTokenState is ToToken keeping st's account and granted scope in the
// state beside the new refresh token.
func ToTokenState(tr *oauth.TokenResponse, st State) (*plugin.Token, error) {
	account := st.Account
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
	st.RefreshToken = tr.RefreshToken.Reveal()
	b, err := st.Encode()
	if err != nil {
		return nil, err
	}
	tok.State = b
	return tok, nil
}
