// Package jwtexp reads the expiry of a JSON Web Token without verifying
// it, for deciding how long to hand a token out, never for trusting it.
// It imports only the standard library, so the lean front can use it.
package jwtexp

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"
)

// Expiry returns the exp claim of a compact JWS, or false when token is
// not a JWT or has no numeric exp.
func Expiry(token string) (time.Time, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}, false
	}
	var claims struct {
		Exp *json.Number `json:"exp"`
	}
	if json.Unmarshal(payload, &claims) != nil || claims.Exp == nil {
		return time.Time{}, false
	}
	f, err := claims.Exp.Float64()
	if err != nil || f <= 0 || f > 1e11 {
		return time.Time{}, false
	}
	return time.Unix(int64(f), 0).UTC(), true
}
