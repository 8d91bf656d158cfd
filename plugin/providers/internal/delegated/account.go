package delegated

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/keyfob/keyfob/plugin"
)

// idClaims are the ID token claims that name the signed-in user.
type idClaims struct {
	PreferredUsername string `json:"preferred_username"`
	OID               string `json:"oid"`
	TID               string `json:"tid"`
	Sub               string `json:"sub"`
}

// Account labels the signed-in user for the host's cache: the ID token's
// preferred_username, else Entra's object and tenant ids as "oid.tid"
// (MSAL's home account id form), else loginHint, else the token's sub.
// The ID token is decoded without verifying its signature: the label is
// never used to authorize anything. A missing or garbled token gives
// loginHint.
func Account(idToken plugin.Secret, loginHint string) string {
	c := decodeIDToken(idToken.Reveal())
	switch {
	case c.PreferredUsername != "":
		return c.PreferredUsername
	case c.OID != "" && c.TID != "":
		return c.OID + "." + c.TID
	case loginHint != "":
		return loginHint
	}
	return c.Sub
}

// decodeIDToken reads the payload of a compact JWS; the zero claims when
// it is not one.
func decodeIDToken(jwt string) idClaims {
	var c idClaims
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return c
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return c
	}
	_ = json.Unmarshal(payload, &c) // a payload that is not JSON names nobody
	return c
}
