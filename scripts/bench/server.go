package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"time"
)

// server is a loopback authorization server for client_credentials that
// counts the token requests it serves. It has OpenID discovery, which
// int128/kubelogin needs to find its token endpoint.
type server struct {
	*httptest.Server
	secret   string
	requests atomic.Int64
}

func newServer() *server {
	s := &server{secret: randomHex()}
	mux := http.NewServeMux()
	mux.HandleFunc("/token", s.token)
	mux.HandleFunc("/.well-known/openid-configuration", s.discovery)
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, map[string]any{"keys": []any{}}) })
	s.Server = httptest.NewServer(mux)
	return s
}

func (s *server) token(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	_, secret, ok := r.BasicAuth()
	if !ok {
		_ = r.ParseForm()
		secret = r.PostForm.Get("client_secret")
	}
	if secret != s.secret {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client"})
		return
	}
	writeJSON(w, map[string]any{"access_token": s.accessToken(), "token_type": "Bearer", "expires_in": 3600})
}

// accessToken is a JWT-shaped access token (kubelogin reads its exp; the
// signature is random, nobody verifies it).
func (s *server) accessToken() string {
	now := time.Now().Unix()
	enc := base64.RawURLEncoding.EncodeToString
	payload, _ := json.Marshal(map[string]any{"iss": s.URL, "sub": "bench", "aud": "bench", "iat": now, "exp": now + 3600, "jti": randomHex()})
	return enc([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + enc(payload) + "." + enc([]byte(randomHex()))
}

// discovery is the OpenID provider metadata, the issuer being this
// server's URL.
func (s *server) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, map[string]any{
		"issuer": s.URL, "token_endpoint": s.URL + "/token", "jwks_uri": s.URL + "/jwks",
		"authorization_endpoint": s.URL + "/authorize", "response_types_supported": []string{"code"},
		"subject_types_supported": []string{"public"}, "id_token_signing_alg_values_supported": []string{"RS256"},
		"grant_types_supported": []string{"client_credentials"},
	})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func randomHex() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
