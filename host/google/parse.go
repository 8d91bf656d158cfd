package google

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Parse checks an answer the way Google's Go library does
// (golang.org/x/oauth2/google/externalaccount) and returns it: version and
// success present; a failure with both code and message; version 1;
// expiration_time present when an output file is configured; a token type
// whose token field is set; and an expiry not before now. A SAML answer is
// returned with its assertion as Token. A well-formed failure answer is
// returned together with a *FailureError.
func Parse(data []byte, now time.Time, withOutputFile bool) (Response, error) {
	var w wire
	if err := json.Unmarshal(data, &w); err != nil {
		return Response{}, fmt.Errorf("google: the answer is not JSON: %w", err)
	}
	switch {
	case w.Version == 0:
		return Response{}, errors.New("google: the answer has no version")
	case w.Success == nil:
		return Response{}, errors.New("google: the answer has no success field")
	case !*w.Success:
		return parseFailure(w)
	case w.Version != Version:
		return Response{}, fmt.Errorf("google: unsupported version %d", w.Version)
	case w.ExpirationTime == 0 && withOutputFile:
		return Response{}, errors.New("google: the answer has no expiration_time, which an output file requires")
	case w.TokenType == "":
		return Response{}, errors.New("google: the answer has no token_type")
	case w.ExpirationTime != 0 && w.ExpirationTime < now.Unix():
		return Response{}, errors.New("google: the token in the answer has expired")
	}
	return parseToken(w)
}

func parseFailure(w wire) (Response, error) {
	if w.Code == "" || w.Message == "" {
		return Response{}, errors.New("google: a failure answer needs both code and message")
	}
	r := Failure(w.Code, w.Message)
	return r, &FailureError{Code: w.Code, Message: w.Message}
}

func parseToken(w wire) (Response, error) {
	r := Response{Success: true, TokenType: w.TokenType}
	if w.ExpirationTime != 0 {
		r.Expiry = time.Unix(w.ExpirationTime, 0)
	}
	switch w.TokenType {
	case TokenTypeJWT, TokenTypeIDToken:
		r.Token = w.IDToken
	case TokenTypeSAML2:
		r.Token = w.SAMLResponse
	default:
		return Response{}, fmt.Errorf("google: unsupported token_type %q", w.TokenType)
	}
	if r.Token == "" {
		return Response{}, fmt.Errorf("google: the answer has token_type %s but no token", w.TokenType)
	}
	return r, nil
}

// FailureError is a well-formed failure answer (success:false).
type FailureError struct {
	Code, Message string
}

// Error renders the code and message as the Go library shows them.
func (e *FailureError) Error() string {
	return fmt.Sprintf("google: executable failed: (%s) %s", e.Code, e.Message)
}
