package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
)

// server is a loopback token endpoint for client_credentials that counts
// the requests it serves.
type server struct {
	*httptest.Server
	secret   string
	requests atomic.Int64
}

func newServer() *server {
	s := &server{secret: randomHex()}
	s.Server = httptest.NewServer(http.HandlerFunc(s.token))
	return s
}

func (s *server) token(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	_, secret, _ := r.BasicAuth()
	w.Header().Set("Content-Type", "application/json")
	if secret != s.secret {
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client"})
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": randomHex(), "token_type": "Bearer", "expires_in": 3600})
}

func randomHex() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
