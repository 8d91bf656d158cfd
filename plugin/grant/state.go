package grant

import (
	"encoding/json"
	"fmt"
)

// State is the opaque state keyfob's own providers hand back to the host.
// It is secret: it holds a refresh token.
type State struct {
	// V is the format version, 1.
	V int `json:"v"`
	// RefreshToken is the newest refresh token.
	RefreshToken string `json:"rt,omitempty"`
	// Account identifies the signed-in principal.
	Account string `json:"acct,omitempty"`
	// Granted is the scope the grant included, space-separated: the
	// token response's scope at sign-in, or the requested scope when the
	// server did not say (RFC 6749 §5.1). A refresh may not ask for more
	// (§6); "" when unknown (a state from before it was kept).
	Granted string `json:"gs,omitempty"`
}

// Encode serialises the state.
func (s State) Encode() ([]byte, error) {
	s.V = 1
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("encoding state: %w", err)
	}
	return b, nil
}

// DecodeState parses state bytes. Empty or unreadable state (from another
// provider or an older format) is the zero State, never an error: the
// provider then simply runs its grant.
func DecodeState(b []byte) State {
	var s State
	if len(b) == 0 || json.Unmarshal(b, &s) != nil || s.V != 1 {
		return State{}
	}
	return s
}
