package servers

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// Client authentication methods at the token endpoint (RFC 7591 names).
const (
	AuthMethodBasic = "client_secret_basic"
	AuthMethodPost  = "client_secret_post"
)

// Client is an OAuth client registered with a test server.
type Client struct {
	// ID is the client_id.
	ID string
	// Secret is the client secret. It is random per server.
	Secret string
	// AuthMethod is the only token-endpoint authentication method the
	// server accepts from this client (AuthMethodBasic or AuthMethodPost);
	// empty when the server accepts either.
	AuthMethod string
}

// User is a resource owner known to a test server.
type User struct {
	Username string
	Password string
}

// TokenInfo is what a server knows about an access token it issued.
type TokenInfo struct {
	// Subject is the token's subject: the client_id for client_credentials,
	// a server-chosen id for users.
	Subject string
	// ClientID is the client the token was issued to.
	ClientID string
	// Scopes are the granted scopes, where the server records them in the
	// token (fosite does; zitadel's JWT access tokens carry no scope claim).
	Scopes []string
	// Expiry is when the token expires.
	Expiry time.Time
}

// randomSecret returns 32 hex characters from crypto/rand.
func randomSecret() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand documents a panic instead)
	return hex.EncodeToString(b[:])
}
