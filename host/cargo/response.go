package cargo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Cache tells cargo how long it may reuse a token within its run.
type Cache string

// The cache controls of the protocol.
const (
	CacheNever   Cache = "never"
	CacheSession Cache = "session"
	CacheExpires Cache = "expires"
)

// Response is a successful answer. For a get it holds a secret (Token):
// its String and GoString redact it, but never log its fields.
type Response struct {
	// Kind is the request's kind: KindGet, KindLogin or KindLogout.
	Kind string
	// Token is the Authorization header value, scheme included.
	Token string
	// Expiry, when not zero, is sent as cache "expires"; a zero Expiry is
	// cache "session".
	Expiry time.Time
	// OperationIndependent tells cargo the token serves every operation.
	OperationIndependent bool
}

// Get returns the answer to a get: token (scheme included) valid for every
// operation until expiry.
func Get(token string, expiry time.Time) *Response {
	return &Response{Kind: KindGet, Token: token, Expiry: expiry, OperationIndependent: true}
}

// String describes the answer without its token.
func (r Response) String() string {
	if r.Kind != KindGet {
		return fmt.Sprintf("cargo.Response{%s}", r.Kind)
	}
	return fmt.Sprintf("cargo.Response{get, token redacted, expires %s}", r.Expiry.UTC().Format(time.RFC3339))
}

// GoString is String, so %#v redacts too.
func (r Response) GoString() string { return r.String() }

// getWire is the Ok body of a get, in cargo's field order.
type getWire struct {
	Kind                 string `json:"kind"`
	Token                string `json:"token"`
	Cache                Cache  `json:"cache"`
	Expiration           int64  `json:"expiration,omitempty"`
	OperationIndependent bool   `json:"operation_independent"`
}

// MarshalJSON renders the Ok body.
func (r Response) MarshalJSON() ([]byte, error) {
	if r.Kind != KindGet {
		return json.Marshal(struct {
			Kind string `json:"kind"`
		}{r.Kind})
	}
	if r.Token == "" || strings.ContainsAny(r.Token, "\r\n") {
		return nil, fmt.Errorf("cargo: a get answer needs a one-line token")
	}
	w := getWire{Kind: KindGet, Token: r.Token, Cache: CacheSession, OperationIndependent: r.OperationIndependent}
	if !r.Expiry.IsZero() {
		w.Cache, w.Expiration = CacheExpires, r.Expiry.Unix()
	}
	return marshal(w)
}

// ErrorKind is the kind of a provider error.
type ErrorKind string

// The error kinds of the protocol.
const (
	// ErrURLNotSupported: the provider does not serve this registry; cargo
	// tries the next provider.
	ErrURLNotSupported ErrorKind = "url-not-supported"
	// ErrNotFound: no credential; cargo tries the next provider.
	ErrNotFound ErrorKind = "not-found"
	// ErrOperationNotSupported: the provider cannot do this (e.g. login).
	ErrOperationNotSupported ErrorKind = "operation-not-supported"
	// ErrOther: the provider failed; cargo shows the message and stops.
	ErrOther ErrorKind = "other"
)

// Error is an error answer. It is also a Go error, so a handler can return
// one to choose the kind.
type Error struct {
	// Kind is the error kind.
	Kind ErrorKind `json:"kind"`
	// Message is shown by cargo; "" sends none (cargo then describes the
	// kind itself).
	Message string `json:"message,omitempty"`
	// CausedBy are the causes, outermost first.
	CausedBy []string `json:"caused-by,omitempty"`
}

// Error returns the message, or the kind when there is none.
func (e *Error) Error() string {
	if e.Message == "" {
		return "cargo: " + string(e.Kind)
	}
	return e.Message
}

// marshal encodes v without HTML escaping.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
