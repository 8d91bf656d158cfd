// Package output writes tokens in the forms keyfob prints. Both the lean
// front executable and the engine use it, so the bytes are the same
// whichever answers; it must stay free of gRPC imports.
package output

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Token is what an output form needs. ExpiresAt is the expiry hosts are
// told (E − M, CONTRACT §7), zero when unknown.
type Token struct {
	AccessToken string
	TokenType   string
	ExpiresAt   time.Time
	Scope       string
}

// Format names a keyfob token output form.
type Format string

// The output forms of keyfob token.
const (
	Raw    Format = "raw"
	Header Format = "header"
	JSON   Format = "json"
)

// ParseFormat checks a -o value.
func ParseFormat(s string) (Format, error) {
	switch Format(s) {
	case Raw, "":
		return Raw, nil
	case Header, JSON:
		return Format(s), nil
	}
	return "", fmt.Errorf("unknown output format %q (want raw, header or json)", s)
}

// Write writes t in form f.
func Write(w io.Writer, f Format, t Token) error {
	var err error
	switch f {
	case Header:
		_, err = fmt.Fprintf(w, "Authorization: %s %s\n", tokenType(t), t.AccessToken)
	case JSON:
		err = writeJSON(w, t)
	default:
		_, err = fmt.Fprintln(w, t.AccessToken)
	}
	return err
}

// tokenJSON is the -o json document.
type tokenJSON struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresAt   string `json:"expires_at,omitempty"`
	Scope       string `json:"scope,omitempty"`
}

func writeJSON(w io.Writer, t Token) error {
	doc := tokenJSON{AccessToken: t.AccessToken, TokenType: tokenType(t), Scope: t.Scope}
	if !t.ExpiresAt.IsZero() {
		doc.ExpiresAt = t.ExpiresAt.UTC().Format(time.RFC3339)
	}
	return json.NewEncoder(w).Encode(doc)
}

// tokenType is the token's type, "Bearer" when the server gave none or
// gave it in lower case.
func tokenType(t Token) string {
	if t.TokenType == "" || t.TokenType == "bearer" {
		return "Bearer"
	}
	return t.TokenType
}
