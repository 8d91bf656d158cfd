package main

import (
	"crypto/rsa"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/keyfob/keyfob/plugin"
)

// appJWT is the JSON Web Token that authenticates as the App itself
// (GitHub: "Generating a JSON Web Token (JWT) for a GitHub App"): RS256,
// issued by the App, backdated 60 seconds against clock drift and valid
// for less than GitHub's maximum of 10 minutes.
func appJWT(appID string, key *rsa.PrivateKey, now time.Time) (string, error) {
	claims := jwt.RegisteredClaims{
		Issuer:    appID,
		IssuedAt:  jwt.NewNumericDate(now.Add(-60 * time.Second)),
		ExpiresAt: jwt.NewNumericDate(now.Add(9 * time.Minute)),
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(key)
	if err != nil {
		return "", plugin.Configf("signing the App JWT: %v", err)
	}
	return s, nil
}
