package google

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Version is the protocol version keyfob speaks, the only one there is.
const Version = 1

// Response is the executable's answer. It holds a secret (Token): its
// String and GoString redact it, but never log its fields.
type Response struct {
	// Success tells the two forms apart.
	Success bool
	// TokenType is TokenTypeJWT or TokenTypeIDToken on success.
	TokenType string
	// Token is the subject token, sent in the id_token field.
	Token string
	// Expiry is when the library must stop using the token; zero omits
	// expiration_time (the libraries then require no output file).
	Expiry time.Time
	// Code and Message describe a failure; both are required by the
	// libraries, so empty ones are filled in when rendering.
	Code, Message string
}

// Success returns a success answer.
func Success(tokenType, token string, expiry time.Time) Response {
	return Response{Success: true, TokenType: tokenType, Token: token, Expiry: expiry}
}

// Failure returns a failure answer. Marshal collapses code and message to
// one line each.
func Failure(code, message string) Response {
	return Response{Code: code, Message: message}
}

// String describes the answer without its token.
func (r Response) String() string {
	if !r.Success {
		return fmt.Sprintf("google.Response{failure %q: %q}", r.Code, r.Message)
	}
	return fmt.Sprintf("google.Response{%s, token redacted, expires %s}", r.TokenType, r.Expiry.UTC().Format(time.RFC3339))
}

// GoString is String, so %#v redacts too.
func (r Response) GoString() string { return r.String() }

// wire is the JSON document; field order is the documented one.
type wire struct {
	Version        int    `json:"version"`
	Success        *bool  `json:"success"`
	TokenType      string `json:"token_type,omitempty"`
	IDToken        string `json:"id_token,omitempty"`
	SAMLResponse   string `json:"saml_response,omitempty"`
	ExpirationTime int64  `json:"expiration_time,omitempty"`
	Code           string `json:"code,omitempty"`
	Message        string `json:"message,omitempty"`
}

// Marshal renders the answer as one JSON line. A success without a token
// or token type is an error; a failure's empty code becomes "error" and
// an empty message "failed".
func (r Response) Marshal() ([]byte, error) {
	w := wire{Version: Version, Success: &r.Success}
	if r.Success {
		if r.Token == "" || r.TokenType == "" {
			return nil, errors.New("google: a success answer needs a token and a token type")
		}
		w.TokenType, w.IDToken = r.TokenType, r.Token
		if !r.Expiry.IsZero() {
			w.ExpirationTime = r.Expiry.Unix()
		}
	} else {
		w.Code = oneLine(r.Code, "error")
		w.Message = oneLine(r.Message, "failed")
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(w); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Write writes the answer to w as one JSON line.
func Write(w io.Writer, r Response) error {
	b, err := r.Marshal()
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// oneLine collapses whitespace, or returns def for an empty string.
func oneLine(s, def string) string {
	if s = strings.Join(strings.Fields(s), " "); s == "" {
		return def
	}
	return s
}

// WriteRevoked writes the answer to a sign-out request
// (GOOGLE_EXTERNAL_ACCOUNT_REVOKE=1): {"version":1,"success":true}.
func WriteRevoked(w io.Writer) error {
	_, err := fmt.Fprintf(w, "{\"version\":%d,\"success\":true}\n", Version)
	return err
}
