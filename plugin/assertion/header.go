package assertion

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"fmt"
)

// HeaderMode chooses how an assertion names the certificate that signed
// it.
type HeaderMode string

// The header modes (values of client_assertion_header).
const (
	// HeaderX5TS256 sends x5t#S256, the SHA-256 thumbprint: Entra's
	// current documentation.
	HeaderX5TS256 HeaderMode = "x5t#S256"
	// HeaderX5T sends x5t, the SHA-1 thumbprint: AD FS, older Entra
	// documentation.
	HeaderX5T HeaderMode = "x5t"
	// HeaderBoth sends x5t#S256 and x5t.
	HeaderBoth HeaderMode = "both"
	// HeaderKID sends only kid: Options.KID, else the SHA-256 thumbprint.
	HeaderKID HeaderMode = "kid"
)

// ThumbprintS256 is the x5t#S256 value of c: the base64url encoding,
// without padding, of the SHA-256 of its DER (RFC 7515 §4.1.8).
func ThumbprintS256(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// ThumbprintSHA1 is the x5t value of c: the base64url encoding, without
// padding, of the SHA-1 of its DER (RFC 7515 §4.1.7). Entra's portal
// shows the same digest in hex as the certificate's "thumbprint".
func ThumbprintSHA1(c *x509.Certificate) string {
	sum := sha1.Sum(c.Raw) // x5t is SHA-1 by definition; it names the certificate, it protects nothing
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// headerFields returns the fixed header fields of every assertion (alg and
// typ aside). An empty mode is x5t#S256, with x5t too for RS256, the alg of
// AD FS and of the older Entra documentation, which both expect x5t.
func headerFields(cred *Credential, alg string, opts Options) (map[string]any, error) {
	mode := opts.Header
	if mode == "" {
		mode = HeaderX5TS256
		if alg == "RS256" {
			mode = HeaderBoth
		}
	}
	h := map[string]any{}
	switch mode {
	case HeaderX5TS256:
		h["x5t#S256"] = ThumbprintS256(cred.Leaf)
	case HeaderX5T:
		h["x5t"] = ThumbprintSHA1(cred.Leaf)
	case HeaderBoth:
		h["x5t#S256"] = ThumbprintS256(cred.Leaf)
		h["x5t"] = ThumbprintSHA1(cred.Leaf)
	case HeaderKID:
		h["kid"] = ThumbprintS256(cred.Leaf)
	default:
		return nil, fmt.Errorf("unknown header %q (want x5t#S256, x5t, both or kid)", mode)
	}
	if opts.KID != "" {
		h["kid"] = opts.KID
	}
	if opts.X5C {
		h["x5c"] = x5c(cred.Chain)
	}
	return h, nil
}

// x5c is the certificate chain as RFC 7515 §4.1.6 wants it: standard
// base64 (with padding) DER, the leaf first.
func x5c(chain []*x509.Certificate) []string {
	out := make([]string, len(chain))
	for i, c := range chain {
		out[i] = base64.StdEncoding.EncodeToString(c.Raw)
	}
	return out
}
