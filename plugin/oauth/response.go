package oauth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/bearer"
)

// TokenResponse is a successful token response (RFC 6749 §5.1) with the
// extensions of Microsoft Entra ID. Times are absolute.
type TokenResponse struct {
	// AccessToken is the token; never empty.
	AccessToken plugin.Secret
	// TokenType is "Bearer": bearer in any spelling (fosite sends
	// "bearer") or omitted. Any other type is refused at receipt, since
	// keyfob cannot present it (see package bearer).
	TokenType string
	// ExpiresAt is expires_on when sent, else the time of the response plus
	// expires_in; zero when the server gave neither. It is never at or
	// before the time of the response: such a token is refused.
	ExpiresAt time.Time
	// RefreshAt is when to ask again early (Entra's refresh_in); zero when
	// the server did not say.
	RefreshAt time.Time
	// ExtExpiresAt is Entra's extended lifetime (ext_expires_in), for use
	// during an outage; zero when not sent.
	ExtExpiresAt time.Time
	// RefreshToken is the new refresh token, if any. When a server rotates
	// refresh tokens the old one is dead: store this one.
	RefreshToken plugin.Secret
	// IDToken is the OpenID Connect ID token, if any.
	IDToken plugin.Secret
	// Scope is the granted scope, space-separated; "" when not sent.
	Scope string
	// Raw holds every other field as sent (foci, client_info, resource…).
	// access_token, refresh_token and id_token are removed from it, but a
	// server may send other secrets: never log Raw wholesale.
	Raw map[string]json.RawMessage
}

// Fields of a token response that hold secrets; they are moved out of Raw.
var secretFields = []string{"access_token", "refresh_token", "id_token"}

// ParseTokenResponse parses a token endpoint's answer of HTTP status
// status, received at now. A 2xx JSON object with an access_token gives a
// TokenResponse when the token is an RFC 6750 b64token, its token_type is
// bearer (or omitted) and its expiry, if any, lies after now; a token that
// could smuggle a header or a terminal escape, a type keyfob cannot
// present and an expired token are malformed answers. Anything else gives an error: a non-2xx status (or a 2xx
// body carrying "error", as GitHub sends) gives a *plugin.OAuthError with
// StatusCode set (its Host and RetryAfter are the caller's to fill); a
// malformed 2xx body gives an error wrapping plugin.ErrUnavailable that
// names the condition and the status but never echoes the body, which may
// hold secrets.
func ParseTokenResponse(body []byte, status int, now time.Time) (*TokenResponse, error) {
	if status < 200 || status > 299 {
		return nil, parseErrorResponse(body, status)
	}
	raw, err := decodeObject(body)
	if err != nil {
		return nil, malformed(status, err.Error())
	}
	if code, _ := stringField(raw, "error"); code != "" && raw["access_token"] == nil {
		return nil, errorFromFields(raw, status)
	}
	return tokenFromFields(raw, status, now)
}

// decodeObject decodes a JSON object, telling a truncated body apart from
// one that is not JSON at all. Its errors never quote the body.
func decodeObject(body []byte) (map[string]json.RawMessage, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, fmt.Errorf("body is empty")
	}
	var raw map[string]json.RawMessage
	err := json.Unmarshal(body, &raw)
	switch {
	case err == nil && raw != nil:
		return raw, nil
	case body[0] != '{':
		return nil, fmt.Errorf("body is not a JSON object")
	case isTruncated(body):
		return nil, fmt.Errorf("JSON body is truncated")
	}
	return nil, fmt.Errorf("JSON body is malformed")
}

// isTruncated reports whether body, a JSON object that failed to decode,
// was cut short: reading it token by token hits the end of input before
// the object closes.
func isTruncated(body []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		}
		depth += delimDepth(tok)
		if depth == 0 {
			return false // the object closed; the fault lies after it
		}
	}
}

// delimDepth is +1 for an opening delimiter, -1 for a closing one.
func delimDepth(tok json.Token) int {
	switch tok {
	case json.Delim('{'), json.Delim('['):
		return 1
	case json.Delim('}'), json.Delim(']'):
		return -1
	}
	return 0
}

// tokenFromFields builds a TokenResponse from a decoded 2xx body.
func tokenFromFields(raw map[string]json.RawMessage, status int, now time.Time) (*TokenResponse, error) {
	at, err := secretField(raw, "access_token")
	if err != nil || at.IsZero() {
		return nil, malformed(status, "response has no access_token")
	}
	if err := bearer.CheckToken(at.Reveal()); err != nil {
		return nil, malformed(status, "access_token has characters a bearer token may not have (RFC 6750 b64token)")
	}
	tr := &TokenResponse{AccessToken: at, Raw: raw}
	if err := tr.fillStrings(raw); err != nil {
		return nil, malformedBy(status, err)
	}
	if err := tr.fillTimes(raw, now); err != nil {
		return nil, malformed(status, err.Error())
	}
	if err := checkExpiry(tr.ExpiresAt, now); err != nil {
		return nil, malformed(status, err.Error())
	}
	for _, k := range secretFields {
		delete(raw, k)
	}
	return tr, nil
}

// fillStrings sets the token type, scope and the optional secrets.
func (tr *TokenResponse) fillStrings(raw map[string]json.RawMessage) error {
	var err error
	if tr.RefreshToken, err = secretField(raw, "refresh_token"); err != nil {
		return err
	}
	if tr.IDToken, err = secretField(raw, "id_token"); err != nil {
		return err
	}
	tt, err := stringField(raw, "token_type")
	if err != nil {
		return err
	}
	if tr.TokenType, err = bearer.CheckType(tt); err != nil {
		return err
	}
	tr.Scope = scopeField(raw)
	return nil
}

// checkExpiry refuses a token that expired before it was received (an
// expires_on in the past): handing it out would only fail at the resource.
func checkExpiry(exp, now time.Time) error {
	if exp.IsZero() || exp.After(now) {
		return nil
	}
	return fmt.Errorf("the token expired at %s, before it was received (is this machine's clock right?)", exp.UTC().Format(time.RFC3339))
}

// malformed is the error for a 2xx body that is not a usable token
// response.
func malformed(status int, condition string) error {
	return &unavailableError{msg: fmt.Sprintf("HTTP %d token response: %s", status, condition)}
}

// malformedBy is malformed for cause, which stays reachable through
// errors.As (a *bearer.TypeError names the refused type).
func malformedBy(status int, cause error) error {
	return &unavailableError{msg: fmt.Sprintf("HTTP %d token response: %s", status, cause), cause: cause}
}
