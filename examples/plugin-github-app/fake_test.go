package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// testAppID and testInstallation are the App and installation the fake
// knows.
const (
	testAppID        = "424242"
	testInstallation = "9001"
)

// fakeGitHub serves POST /app/installations/{id}/access_tokens as GitHub's
// REST API documents it: the App JWT (RS256, iss, iat, exp at most 10
// minutes after iat) checked against the App's public key, the Accept
// header required, 201 with {token, expires_at, permissions} on success,
// {message} with 401, 404 or 422 otherwise.
type fakeGitHub struct {
	*httptest.Server
	key  *rsa.PrivateKey
	fail []int // statuses to answer before succeeding

	mu       sync.Mutex
	requests []fakeRequest
}

// fakeRequest is what the fake received.
type fakeRequest struct {
	Repositories []string
	Permissions  map[string]string
	Issuer       string
	IssuedAt     time.Time
	Expires      time.Time
}

func newFakeGitHub(t *testing.T) *fakeGitHub {
	t.Helper()
	f := &fakeGitHub{key: testKey(t)}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /app/installations/{id}/access_tokens", f.accessTokens)
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

func (f *fakeGitHub) accessTokens(w http.ResponseWriter, r *http.Request) {
	if status, ok := f.nextFailure(); ok {
		writeJSON(w, status, map[string]string{"message": "Server Error"})
		return
	}
	claims, err := f.verify(r)
	if err != nil {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": err.Error()})
		return
	}
	if r.Header.Get("Accept") != "application/vnd.github+json" || r.Header.Get("User-Agent") == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "want Accept: application/vnd.github+json and a User-Agent"})
		return
	}
	if r.PathValue("id") != testInstallation {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
		return
	}
	var body struct {
		Repositories []string          `json:"repositories"`
		Permissions  map[string]string `json:"permissions"`
	}
	if r.ContentLength > 0 {
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Problems parsing JSON"})
			return
		}
	}
	if body.Permissions["administration"] != "" {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "The permissions requested are not granted to this installation."})
		return
	}
	f.record(fakeRequest{Repositories: body.Repositories, Permissions: body.Permissions,
		Issuer: claims.Issuer, IssuedAt: claims.IssuedAt.Time, Expires: claims.ExpiresAt.Time})
	perms := body.Permissions
	if perms == nil {
		perms = map[string]string{"contents": "read", "metadata": "read"}
	}
	writeJSON(w, http.StatusCreated, map[string]any{
		"token": fmt.Sprintf("ghs_fake%d", f.count()), "expires_at": time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
		"permissions": perms, "repository_selection": "selected",
	})
}

// verify checks the App JWT as GitHub does.
func (f *fakeGitHub) verify(r *http.Request) (*jwt.RegisteredClaims, error) {
	raw, ok := bearer(r)
	if !ok {
		return nil, fmt.Errorf("A JSON web token could not be decoded")
	}
	claims := &jwt.RegisteredClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return &f.key.PublicKey, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(testAppID), jwt.WithIssuedAt(), jwt.WithExpirationRequired())
	if err != nil {
		return nil, fmt.Errorf("A JSON web token could not be decoded: %v", err)
	}
	if claims.IssuedAt == nil || claims.ExpiresAt.Sub(claims.IssuedAt.Time) > 10*time.Minute {
		return nil, fmt.Errorf("'Expiration time' claim ('exp') is too far in the future")
	}
	return claims, nil
}

func bearer(r *http.Request) (string, bool) {
	const prefix = "Bearer "
	h := r.Header.Get("Authorization")
	if len(h) <= len(prefix) || h[:len(prefix)] != prefix {
		return "", false
	}
	return h[len(prefix):], true
}

func (f *fakeGitHub) nextFailure() (int, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.fail) == 0 {
		return 0, false
	}
	s := f.fail[0]
	f.fail = f.fail[1:]
	return s, true
}

func (f *fakeGitHub) record(r fakeRequest) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r)
}

func (f *fakeGitHub) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

var (
	keyOnce sync.Once
	key     *rsa.PrivateKey
)

// testKey is an RSA key for the App, made once per test binary.
func testKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	keyOnce.Do(func() {
		var err error
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return key
}

// pemKey is k in PKCS#1 PEM form, as GitHub hands App keys out.
func pemKey(k *rsa.PrivateKey) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
}
