package servers

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// GitHub is a fake of the one GitHub REST API endpoint a GitHub App
// installation-token provider uses, on a loopback httptest server, as
// GitHub documents it ("Create an installation access token for an app"):
//
//	POST /app/installations/{installation_id}/access_tokens
//	Authorization: Bearer <App JWT>
//	Accept: application/vnd.github+json
//
// The App JWT must be RS256, signed with the App's private key, with iss
// the App id, iat not in the future and exp at most 10 minutes after iat
// and not past. Success is 201 with {token, expires_at, permissions,
// repository_selection}; a bad JWT is 401, an unknown installation 404, a
// missing Accept header 415 — each with {message, documentation_url}.
type GitHub struct {
	// URL is the API's base URL, for github_api_url.
	URL string
	// AppID is the App's id, the JWT's issuer.
	AppID string
	// InstallationID is the only installation the fake knows.
	InstallationID string
	// PrivateKeyPEM is the App's private key, PKCS#1 PEM as GitHub issues
	// it. It is random per server.
	PrivateKeyPEM string
	// TokenLifetime is the lifetime of issued tokens (GitHub: one hour).
	TokenLifetime time.Duration

	key *rsa.PublicKey

	mu     sync.Mutex
	issued map[string]GitHubGrant
}

// GitHubGrant is what the fake issued a token with.
type GitHubGrant struct {
	// Repositories and Permissions are the request's restrictions.
	Repositories []string
	Permissions  map[string]string
	// ExpiresAt is the token's expiry as sent.
	ExpiresAt time.Time
}

// githubAppKey is the App key of every fake in the process: generating RSA
// keys is slow under -race.
var githubAppKey = sync.OnceValues(func() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, 2048)
})

// StartGitHub starts the fake on 127.0.0.1; t.Cleanup stops it.
func StartGitHub(t testing.TB) *GitHub {
	t.Helper()
	key, err := githubAppKey()
	if err != nil {
		t.Fatalf("generating the App key: %v", err)
	}
	g := &GitHub{
		AppID: "424242", InstallationID: "9001", TokenLifetime: time.Hour,
		PrivateKeyPEM: string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})),
		key:           &key.PublicKey, issued: map[string]GitHubGrant{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /app/installations/{id}/access_tokens", g.accessTokens)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	g.URL = srv.URL
	return g
}

// Issued returns what the fake issued token with, and whether it did.
func (g *GitHub) Issued(token string) (GitHubGrant, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	gr, ok := g.issued[token]
	return gr, ok
}

// Requests counts the tokens issued.
func (g *GitHub) Requests() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.issued)
}

func (g *GitHub) accessTokens(w http.ResponseWriter, r *http.Request) {
	if err := g.verifyJWT(bearerToken(r), time.Now()); err != nil {
		githubError(w, http.StatusUnauthorized, "A JSON web token could not be decoded ("+err.Error()+")")
		return
	}
	if r.Header.Get("Accept") != "application/vnd.github+json" {
		githubError(w, http.StatusUnsupportedMediaType, "Unsupported 'Accept' header")
		return
	}
	if r.PathValue("id") != g.InstallationID {
		githubError(w, http.StatusNotFound, "Not Found")
		return
	}
	var body struct {
		Repositories []string          `json:"repositories"`
		Permissions  map[string]string `json:"permissions"`
	}
	if r.ContentLength != 0 {
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			githubError(w, http.StatusBadRequest, "Problems parsing JSON")
			return
		}
	}
	token := "ghs_" + randomSecret() + "e2e"
	grant := GitHubGrant{Repositories: body.Repositories, Permissions: body.Permissions,
		ExpiresAt: time.Now().Add(g.TokenLifetime).UTC().Truncate(time.Second)}
	g.mu.Lock()
	g.issued[token] = grant
	g.mu.Unlock()
	perms := body.Permissions
	if perms == nil {
		perms = map[string]string{"contents": "read", "metadata": "read"}
	}
	selection := "all"
	if len(body.Repositories) > 0 {
		selection = "selected"
	}
	writeGitHubJSON(w, http.StatusCreated, map[string]any{
		"token": token, "expires_at": grant.ExpiresAt.Format(time.RFC3339),
		"permissions": perms, "repository_selection": selection,
	})
}

// verifyJWT checks an App JWT as GitHub does.
func (g *GitHub) verifyJWT(raw string, now time.Time) error {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return errors.New("not a JWT")
	}
	var header struct {
		Alg string `json:"alg"`
	}
	var claims struct {
		Iss string `json:"iss"`
		Iat int64  `json:"iat"`
		Exp int64  `json:"exp"`
	}
	if decodeJWTPart(parts[0], &header) != nil || decodeJWTPart(parts[1], &claims) != nil {
		return errors.New("malformed")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || header.Alg != "RS256" {
		return errors.New("want an RS256 signature")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(g.key, crypto.SHA256, digest[:], sig) != nil {
		return errors.New("signature does not verify with the App's public key")
	}
	iat, exp := time.Unix(claims.Iat, 0), time.Unix(claims.Exp, 0)
	switch {
	case claims.Iss != g.AppID:
		return errors.New("iss is not the App id")
	case iat.After(now.Add(time.Second)):
		return errors.New("'Issued at' claim ('iat') must be an Integer representing a time in the past")
	case !exp.After(now):
		return errors.New("'Expiration time' claim ('exp') must be a numeric value representing the future time")
	case exp.Sub(iat) > 10*time.Minute:
		return errors.New("'Expiration time' claim ('exp') is too far in the future")
	}
	return nil
}

func decodeJWTPart(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func bearerToken(r *http.Request) string {
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return token
}

func githubError(w http.ResponseWriter, status int, message string) {
	writeGitHubJSON(w, status, map[string]string{
		"message":           message,
		"documentation_url": "https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app",
	})
}

func writeGitHubJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
